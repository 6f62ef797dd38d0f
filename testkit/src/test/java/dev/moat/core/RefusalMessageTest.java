package dev.moat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.moat.testkit.Credentials;
import dev.moat.testkit.TestPki;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.junit.jupiter.api.Test;

/**
 * Refusal messages are API (STYLE.md section 4): one full message per check, word for word, with
 * the expected text built from the actual certificates' pins, subjects and dates.
 */
class RefusalMessageTest {
  static final TestPki PKI = TestPki.create("localhost");
  static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);
  static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  static String subject(X509Certificate c) {
    return c.getSubjectX500Principal().getName(X500Principal.RFC2253);
  }

  static String chain(List<X509Certificate> chain) {
    StringBuilder b = new StringBuilder("\n  Peer chain, leaf first (SPKI SHA-256):");
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate c = chain.get(i);
      b.append("\n    ").append(i).append(' ').append(Pin.of(c)).append("  ").append(subject(c))
          .append("  (valid ").append(DAY.format(c.getNotBefore().toInstant())).append(" to ")
          .append(DAY.format(c.getNotAfter().toInstant())).append(')');
    }
    return b.toString();
  }

  static String message(TlsPolicy policy, List<X509Certificate> presented) {
    Throwable t = catchThrowable(() -> policy.verifyServer(presented, "localhost", 443, "https"));
    assertThat(t).isInstanceOf(TlsRefusalException.class);
    return t.getMessage();
  }

  static TlsPolicy.Builder base() {
    return TlsPolicy.builder().trustRoot(PKI.root()).clock(Clock.fixed(PKI.created(), ZoneOffset.UTC));
  }

  @Test
  void hostname_fullMessage() {
    List<X509Certificate> c = PKI.wrongHostLeaf().chain();
    assertThat(message(base().build(), c)).isEqualTo(
        "Refused TLS connection to localhost:443 (https) [check: HOSTNAME]\n"
            + "  The certificate is not valid for host localhost."
            + chain(c)
            + "\n  The certificate names: wrong.example.invalid"
            + "\n  Connect to a name the certificate carries, or have the certificate reissued with localhost"
            + " in its subjectAltName.");
  }

  @Test
  void expired_fullMessage() {
    List<X509Certificate> c = PKI.expiredLeaf().chain();
    assertThat(message(base().build(), c)).isEqualTo(
        "Refused TLS connection to localhost:443 (https) [check: EXPIRED]\n"
            + "  The certificate 'CN=localhost' expired on " + WHEN.format(c.get(0).getNotAfter().toInstant())
            + " (1 day ago)."
            + chain(c)
            + "\n  Validation instant: " + WHEN.format(PKI.created())
            + "\n  Renew the server's certificate. If this machine's clock is ahead, correct it.");
  }

  @Test
  void certificateProfile_serialZero_fullMessage() {
    List<X509Certificate> c = PKI.leafBuilder().serial(BigInteger.ZERO).build().chain();
    assertThat(message(base().build(), c)).isEqualTo(
        "Refused TLS connection to localhost:443 (https) [check: CERTIFICATE_PROFILE]\n"
            + "  The certificate 'CN=localhost' has serial number 0 (hex); serial numbers must be positive,"
            + " non-zero and at most 20 octets (RFC 5280 4.1.2.2)."
            + chain(c)
            + "\n  Have the certificate reissued by a conforming CA, or relax the rule for this host:"
            + " .relax(\"localhost\", ProfileRule.SERIAL_NUMBER)");
  }

  @Test
  void nameConstraints_fullMessage() {
    Credentials intermediate = PKI.caBuilder().extension(Extension.nameConstraints, true, new NameConstraints(
        new GeneralSubtree[] {new GeneralSubtree(new GeneralName(GeneralName.dNSName, "example.com"))}, null))
        .build();
    List<X509Certificate> c = PKI.leafBuilder().issuer(intermediate).build().chain();
    String ca = "'" + subject(intermediate.certificate()) + "'";
    assertThat(message(base().build(), c)).isEqualTo(
        "Refused TLS connection to localhost:443 (https) [check: NAME_CONSTRAINTS]\n"
            + "  The DNS name 'localhost' in 'CN=localhost' breaks the name constraints of the CA " + ca
            + ": it lies outside every permitted DNS subtree."
            + chain(c)
            + "\n  Constraints of " + ca + ": permitted: DNS:example.com; excluded: (none)"
            + "\n  That CA is not allowed to issue for this name. Use a certificate from a CA whose constraints"
            + " cover it, or reissue the certificate without the name.");
  }

  @Test
  void publicSuffixWildcard_fullMessage() {
    List<X509Certificate> c = PKI.leafBuilder().sans("DNS:localhost", "DNS:*.co.uk").build().chain();
    String message = message(base().build(), c);
    String version = message.replaceAll("(?s).*Public suffix list \\(ICANN section\\): (\\S+).*", "$1");
    assertThat(message).isEqualTo(
        "Refused TLS connection to localhost:443 (https) [check: CERTIFICATE_PROFILE]\n"
            + "  The certificate 'CN=localhost' has the wildcard name '*.co.uk', which stands over the public"
            + " suffix 'co.uk': it would match every registrant's domain there."
            + chain(c)
            + "\n  Public suffix list (ICANN section): " + version
            + "\n  Have the certificate reissued for the registered domain (for example *.example.co.uk), or"
            + " relax the rule for this host: .relax(\"localhost\", ProfileRule.NO_PUBLIC_SUFFIX_WILDCARD)");
    assertThat(version).matches("\\d{4}-\\d{2}-\\d{2}.*");
  }

  @Test
  void leafIsCa_fullMessage() {
    List<X509Certificate> c = PKI.caBuilder().issuer(PKI.intermediateCredentials()).commonName("localhost")
        .sans("DNS:localhost").build().chain();
    assertThat(message(base().build(), c)).isEqualTo(
        "Refused TLS connection to localhost:443 (https) [check: LEAF_IS_CA]\n"
            + "  The peer's certificate 'CN=localhost' is a CA certificate (basicConstraints CA:TRUE); a server"
            + " or client must present an end-entity certificate."
            + chain(c)
            + "\n  Serve an end-entity certificate issued by the CA, not the CA certificate itself.");
  }
}
