package org.dure.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The header search's query encoding (the Enter-to-search flow is covered in the browser tests).
 */
class MainLayoutTest {

  @Test
  void searchParametersEncodeTheQuery() {
    assertEquals(
        "q=a%20b%26c", MainLayout.searchParameters("a b&c").getQueryString().replace("+", "%20"));
  }
}
