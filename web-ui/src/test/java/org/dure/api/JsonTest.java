package org.dure.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class JsonTest {
  private static final JsonMapper JACKSON = JsonMapper.builder().build();

  @Test
  void readsWhatJacksonWrites() throws Exception {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("name", "두레 \"quoted\" \\ back\nline\ttab\u0001 😀");
    value.put("pages", 12L);
    value.put("big", Long.MAX_VALUE);
    value.put("negative", -3L);
    value.put("ratio", 0.25);
    value.put("ok", true);
    value.put("none", null);
    value.put("list", Arrays.asList("a", 1L, false, null, List.of(), Map.of()));
    value.put("nested", Map.of("x", List.of(Map.of("y", "z"))));
    assertEquals(value, Json.parse(JACKSON.writeValueAsString(value)));
    assertEquals(
        value, Json.parse(JACKSON.writerWithDefaultPrettyPrinter().writeValueAsString(value)));
  }

  @Test
  void jacksonReadsWhatItWrites() throws Exception {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("name", "두레 \"q\" \\ \n\t\u0001");
    value.put("n", 5L);
    value.put("list", Arrays.asList("a", null, true));
    value.put("empty", Map.of());
    for (boolean indent : new boolean[] {false, true}) {
      String text = Json.write(value, indent);
      assertEquals(JACKSON.readTree(JACKSON.writeValueAsString(value)), JACKSON.readTree(text));
      assertEquals(value, Json.parse(text));
    }
  }

  @Test
  void refusesWhatIsNotOneJsonValue() {
    for (String bad :
        List.of(
            "",
            "{",
            "{\"a\":1,}",
            "[1 2]",
            "{\"a\" 1}",
            "\"open",
            "\"bad \\x escape\"",
            "\"\\u12\"",
            "tru",
            "nul",
            "1 2",
            "-",
            "{a:1}",
            "\"raw\ncontrol\"",
            "[".repeat(100) + "]".repeat(100))) {
      assertThrows(Json.ParseException.class, () -> Json.parse(bad), bad);
    }
  }
}
