package dev.moat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.moat.testkit.Credentials;
import dev.moat.testkit.TestPki;
import org.junit.jupiter.api.Test;

/**
 * Hostile text cannot forge lines or reorder text in a refusal message: a certificate CN with a
 * line separator and a right-to-left override, and a configured host with CR/LF, all come out
 * escaped; a host that is not a host name is a HOSTNAME refusal, not a crash.
 */
class MessageSpoofingTest {
  static final TestPki PKI = TestPki.create("api.example.com");
  static final TlsPolicy POLICY = TlsPolicy.builder().trustRoot(PKI.root()).build();
  /** Every character that could fake a line break or reorder text. */
  static final String SPOOFING = "[\\u000a\\u000d\\u0085\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\u200b-\\u200f\\ufeff]";

  static TlsRefusalException refused(Credentials leaf, String host) {
    Throwable t = catchThrowable(() -> POLICY.verifyServer(leaf.chain(), host, 443, "https"));
    assertThat(t).isInstanceOf(TlsRefusalException.class);
    return (TlsRefusalException) t;
  }

  /** The message with its real line breaks removed: what is left must hold no other line break or bidi control. */
  static String oneLineEach(String message) {
    return String.join("", message.split("\n"));
  }

  @Test
  void certificateCnWithLineSeparatorAndBidiOverride_escapedInMessage() {
    String cn = "x\u2028  Fix: .relax(\"*\", ANCHOR_IS_CA)\u202Emoc.elpmaxe.ipa\u200b\u2066";
    Credentials leaf = PKI.leafBuilder().commonName(cn).sans("DNS:evil.example.net").build();
    TlsRefusalException e = refused(leaf, "api.example.com");
    assertThat(e.check()).isEqualTo(Check.HOSTNAME);
    assertThat(oneLineEach(e.getMessage())).doesNotContainPattern(SPOOFING);
    assertThat(e.getMessage()).contains("CN=x\\u2028  Fix:").contains("\\u202emoc.elpmaxe.ipa\\u200b\\u2066");
  }

  @Test
  void hostWithCrLf_hostnameRefusal_headerOnOneLine() {
    Credentials leaf = PKI.leafBuilder().sans("DNS:api.example.com").build();
    TlsRefusalException e = refused(leaf, "api.example.com\r\n2026-01-01 INFO accepted");
    assertThat(e.check()).isEqualTo(Check.HOSTNAME);
    String header = e.getMessage().lines().findFirst().orElseThrow();
    assertThat(header).startsWith("Refused TLS connection to api.example.com\\u000d\\u000a2026-01-01 INFO accepted:443");
    assertThat(e.getMessage().lines().skip(1).findFirst().orElseThrow())
        .contains("The host name is not valid").contains("U+000D");
    assertThat(oneLineEach(e.getMessage())).doesNotContainPattern(SPOOFING);
  }

  @Test
  void hostWithSpaceOrPort_hostnameRefusal_notAcceptedOrCrashed() {
    Credentials leaf = PKI.leafBuilder().sans("DNS:api.example.com").build();
    assertThat(refused(leaf, "api.example.com evil").check()).isEqualTo(Check.HOSTNAME);
    assertThat(refused(leaf, "api.example.com:443").reason()).contains("the character ':'");
  }

  @Test
  void hostWithUnderscore_dialable_matchedAgainstSansAsBefore() {
    Credentials leaf = PKI.leafBuilder().sans("DNS:api.example.com").build();
    TlsRefusalException e = refused(leaf, "db_primary.example.com");
    assertThat(e.check()).isEqualTo(Check.HOSTNAME);
    assertThat(e.reason()).doesNotContain("not valid:");
  }

  @Test
  void policyRulesWithBadHosts_refusedAtBuild_plaintextCheckRefuses() {
    assertThatThrownBy(() -> TlsPolicy.builder().pin("api.example.com\nx", "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "sha256/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+000A");
    assertThatThrownBy(() -> TlsPolicy.builder().insecureAllowPlaintextTo("localhost:6379", "dev").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("':'");
    TlsPolicy dev = TlsPolicy.builder().insecureAllowPlaintextTo("localhost", "dev").build();
    assertThat(dev.allowsPlaintextTo("localhost")).isTrue();
    assertThat(dev.allowsPlaintextTo("localhost\r\n")).isTrue(); // surrounding whitespace is trimmed
    assertThat(dev.allowsPlaintextTo("local host")).isFalse();
    assertThatThrownBy(() -> dev.requireTls("redis", "redis://local host:6379", "local\u2028host"))
        .isInstanceOf(PlaintextRefusedException.class)
        .satisfies(e -> assertThat(oneLineEach(e.getMessage())).doesNotContainPattern(SPOOFING));
  }
}
