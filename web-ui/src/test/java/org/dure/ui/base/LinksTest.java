package org.dure.ui.base;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The pages' addresses (the Enter-to-search flow is covered in the browser tests). */
class LinksTest {

  @Test
  void searchQueryEncodesTheText() {
    assertEquals("q=a%20b%26c", Links.searchQuery("a b&c").getQueryString().replace("+", "%20"));
  }
}
