package dev.moat.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void parse_caseLine_readsEveryType() {
    Object v = Json.parse(" {\"id\":\"a\\u00e9\\n\",\"n\":-1.5e3,\"t\":true,\"z\":null,\"l\":[1,{\"k\":[]}]} ");

    Map<?, ?> m = (Map<?, ?>) v;
    assertThat(m.get("id")).isEqualTo("a\u00e9\n");
    assertThat(m.get("n")).isEqualTo(new BigDecimal("-1.5e3"));
    assertThat(m.get("t")).isEqualTo(Boolean.TRUE);
    assertThat(m.containsKey("z")).isTrue();
    assertThat(m.get("z")).isNull();
    assertThat((List<?>) m.get("l")).hasSize(2);
  }

  @Test
  void parse_nonStrictInput_refusedWithOffset() {
    for (String bad : List.of("{\"a\":1,}", "[1,2,]", "{\"a\":1,\"a\":2}", "{'a':1}", "01", "1.", "\"a\tb\"",
        "{\"a\":1} x", "", "nul", "\"\\x\"", "[" .repeat(100) + "]".repeat(100), "// c\n1")) {
      assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("invalid JSON at offset ");
    }
  }

  @Test
  void write_controlAndNonAscii_escapedToAsciiAndReadBack() {
    String id = "a\"b\\c\nd\u0001\u00e9\ud800";
    String text = Json.write(Json.object("id", id, "n", 3, "l", Arrays.asList("x", null)));

    assertThat(text).isEqualTo("{\"id\":\"a\\\"b\\\\c\\nd\\u0001\\u00e9\\ud800\",\"n\":3,\"l\":[\"x\",null]}");
    assertThat(((Map<?, ?>) Json.parse(text)).get("id")).isEqualTo(id);
  }
}
