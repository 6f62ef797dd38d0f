package dev.moat.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile text (certificate names, configured hosts) cannot change how a refusal message reads:
 * what {@link Texts} escapes, and which hosts {@link HostNames#normalize} refuses.
 */
class HostileTextTest {

  /** Code point (hex) | Character type, for the display name. Each must come out escaped. */
  @ParameterizedTest(name = "U+{0} ({1}) escaped")
  @CsvSource({
    "000a, line feed", "000d, carriage return", "001b, escape", "007f, delete", "0085, next line",
    "2028, line separator", "2029, paragraph separator",
    "202a, LRE", "202b, RLE", "202c, PDF", "202d, LRO", "202e, RLO",
    "2066, LRI", "2067, RLI", "2068, FSI", "2069, PDI",
    "200b, zero-width space", "200c, ZWNJ", "200d, ZWJ", "200e, LRM", "200f, RLM", "feff, BOM",
    "00ad, soft hyphen", "061c, Arabic letter mark",
    "e000, private use", "d800, unpaired high surrogate", "dc00, unpaired low surrogate",
  })
  void sanitize_spoofingCharacter_escaped(String hex, String what) {
    char c = (char) Integer.parseInt(hex, 16);
    String out = Texts.sanitize("a" + c + "b", 100);
    assertThat(out).as(what).isEqualTo("a\\u" + hex + "b");
    assertThat(Texts.quote("a" + c + "b")).as(what).doesNotContain(String.valueOf(c));
  }

  @Test
  void sanitize_supplementaryPrivateUse_escapedAsPair_ordinaryTextKept() {
    assertThat(Texts.sanitize("x" + new String(Character.toChars(0xF0000)) + "y", 100))
        .isEqualTo("x\\udb80\\udc00y");
    String ordinary = "Bücher GmbH, 東京, Ελλάδα, emoji \uD83D\uDE00, Ω";
    assertThat(Texts.sanitize(ordinary, 200)).isEqualTo(ordinary);
  }

  @Test
  void sanitize_escapesCountTowardsTheBound_truncationMarked() {
    String s = Texts.sanitize("\u202e".repeat(50), 30);
    assertThat(s).endsWith("...").doesNotContain("\u202e");
    assertThat(s.length()).isLessThan(45);
  }

  @Test
  void hostPort_hostileHost_sanitisedOnOneLine() {
    assertThat(Texts.hostPort("api.example.com\r\n2026-01-01 INFO accepted", 443))
        .isEqualTo("api.example.com\\u000d\\u000a2026-01-01 INFO accepted:443");
    assertThat(Texts.hostPort("moc.elpmaxe\u202e", -1)).isEqualTo("moc.elpmaxe\\u202e");
    assertThat(Texts.hostPort("2001:db8::1", 443)).isEqualTo("[2001:db8::1]:443");
  }

  @Test
  void quote_hostileText_oneLineJavaLiteral() {
    assertThat(Texts.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    assertThat(Texts.quote("h\r\nx\u2028y\u202ez")).isEqualTo("\"h\\r\\nx\\u2028y\\u202ez\"");
  }

  @Test
  void refusalMessage_hostileHostAndProtocol_headerStaysOneLine() {
    String m = Texts.refusalMessage(dev.moat.core.Check.HOSTNAME, "a.example\nFAKE LINE", 443,
        "https\u2028x", java.util.List.of(), "reason", java.util.List.of(), null);
    assertThat(m.lines().findFirst().orElseThrow()).contains("a.example\\u000aFAKE LINE:443")
        .contains("https\\u2028x");
    assertThat(m).doesNotContain("\u2028").doesNotContain("\nFAKE");
  }

  @ParameterizedTest(name = "[{0}] refused")
  @ValueSource(strings = {
    "api.example.com\r\nX: y", "api example.com", "api.example.com:8443", "user@api.example.com",
    "api.example.com/path", "api.example.com\u0000", "a\tb.example", "api;example.com", "*", "a.*.example",
    "**", "api.example.com%0d",
  })
  void normalize_asciiHostWithBadCharacter_refusedClearly(String host) {
    assertThatThrownBy(() -> HostNames.normalize(host))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a host name has only letters, digits, '-', '_' and '.'")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\r").doesNotContain("\n"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "db_primary.corp.internal, db_primary.corp.internal",
    "My-Host.Example.com., my-host.example.com",
    "[::1], 0:0:0:0:0:0:0:1",
    "10.0.0.1, 10.0.0.1",
    "*.example.com, *.example.com",
    "**.example.com, **.example.com",
  })
  void normalize_dialableHostOrPattern_accepted(String host, String expected) {
    assertThat(HostNames.normalize(host)).isEqualTo(expected);
  }

  @Test
  void hostPattern_badHost_refusedClearly_wildcardsStillParse() {
    assertThat(HostPattern.parse("*.example.com").matches("a.example.com")).isTrue();
    assertThat(HostPattern.parse("**.example.com").matches("a.b.example.com")).isTrue();
    assertThatThrownBy(() -> HostPattern.parse("evil.example.com\n.example.com"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("U+000A");
  }
}
