package dev.moat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.moat.testkit.BadTls;
import dev.moat.testkit.Credentials;
import dev.moat.testkit.OcspResponder;
import dev.moat.testkit.OcspResponder.CertStatus;
import dev.moat.testkit.Scenario;
import dev.moat.testkit.TestPki;
import dev.moat.testkit.TlsTestServer;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.junit.jupiter.api.Test;

/**
 * Refusal messages are API (STYLE.md section 4): one full message per check, word for word, with
 * the expected text built from the actual certificates' pins, subjects and dates.
 */
class RefusalMessageTest {
  static final TestPki PKI = TestPki.create("localhost");
  static final Clock CLOCK = Clock.fixed(PKI.created(), ZoneOffset.UTC);
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
    return TlsPolicy.builder().trustRoot(PKI.root()).clock(CLOCK);
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

  static String quoted(X509Certificate c) {
    return "'" + subject(c) + "'";
  }

  static String head(String check) {
    return "Refused TLS connection to localhost:443 (https) [check: " + check + "]\n  ";
  }

  static String trustRoot() {
    return "\n  Expected: a chain to the trust anchor " + quoted(PKI.root()) + ", the only one configured for this host.";
  }

  @Test
  void pin_fullMessage() {
    List<X509Certificate> c = PKI.serverChain();
    List<String> pins = TestPki.unrelatedPins(2).stream().map(Pin::toString).collect(Collectors.toList());
    TlsPolicy policy = base().pin("localhost", pins.get(0), pins.get(1)).build();
    assertThat(message(policy, c)).isEqualTo(
        head("PIN") + "No certificate in the peer chain matches a pin configured for localhost."
            + chain(c)
            + "\n  Expected one of: " + pins.stream().sorted().collect(Collectors.joining(", "))
            + "\n  If the server key was rotated on purpose, add its pin:"
            + "\n    TlsPolicy.builder().pin(\"localhost\", \"" + Pin.of(c.get(0)) + "\", <backup pin>)");
  }

  @Test
  void pinSetExpired_fullMessage() {
    List<X509Certificate> c = PKI.serverChain();
    Instant expiry = PKI.created().minus(Duration.ofDays(2));
    String leafPin = Pin.of(c.get(0)).toString();
    String backup = PKI.unrelatedPin().toString();
    TlsPolicy policy = base().pin("localhost", PinSet.of(leafPin, backup).expiresAt(expiry, PinSet.OnExpiry.FAIL_CLOSED))
        .build();
    String sortedPins = leafPin.compareTo(backup) < 0 ? leafPin + ", " + backup : backup + ", " + leafPin;
    assertThat(message(policy, c)).isEqualTo(
        head("PIN_SET_EXPIRED") + "The pin set for localhost expired on " + expiry
            + " and is configured to fail closed, so no connection is accepted until it is renewed."
            + chain(c)
            + "\n  Configured: PinSet[" + sortedPins + "] expires " + expiry + " then FAIL_CLOSED"
            + "\n  Validation instant: " + WHEN.format(PKI.created())
            + "\n  Renew the pin set with the current key's pin, a backup pin and a new expiry date:"
            + "\n    TlsPolicy.builder().pin(\"localhost\", PinSet.of(\"" + leafPin + "\", <backup pin>)"
            + ".expiresAt(<new date>, PinSet.OnExpiry.FAIL_CLOSED))"
            + "\n  To stop enforcing pins when a set expires instead, use PinSet.OnExpiry.STOP_ENFORCING.");
  }

  @Test
  void trustPath_unknownRoot_fullMessage() {
    List<X509Certificate> c = PKI.untrustedRootChain().chain();
    assertThat(message(base().build(), c)).isEqualTo(
        head("TRUST_PATH") + "The chain ends at " + quoted(c.get(1)) + ", whose issuer '"
            + c.get(1).getIssuerX500Principal().getName() + "' is not a configured trust anchor (an unknown or"
            + " private root)."
            + chain(c)
            + trustRoot()
            + "\n  If you mean to trust that root, add it: TlsPolicy.builder().trustRoot(rootCertificate)"
            + " (see Pem.readCertificates), or for this host only: .trustRootFor(\"localhost\", root)");
  }

  @Test
  void trustPath_selfSigned_fullMessage() {
    List<X509Certificate> c = PKI.selfSignedLeaf().chain();
    assertThat(message(base().build(), c)).isEqualTo(
        head("TRUST_PATH") + "The server's certificate is self-signed and is not a configured trust anchor."
            + chain(c)
            + trustRoot()
            + "\n  Have the certificate issued by a CA you trust. To trust this one certificate for this host,"
            + " add it: TlsPolicy.builder().trustRootFor(\"localhost\", certificate)");
  }

  @Test
  void missingIntermediate_fullMessage() {
    List<X509Certificate> c = PKI.missingIntermediateChain().chain();
    String issuer = "'" + PKI.intermediate().getSubjectX500Principal().getName() + "'";
    assertThat(message(base().build(), c)).isEqualTo(
        head("MISSING_INTERMEDIATE") + "The server did not send the certificate of the leaf's issuer " + issuer
            + ", and no trust anchor has that name: the server's intermediate certificate is missing."
            + chain(c)
            + "\n  Configure the server to send its full chain (leaf then intermediates). If " + issuer
            + " is itself a root you trust, add it with TlsPolicy.builder().trustRoot(...)");
  }

  @Test
  void notYetValid_fullMessage() {
    List<X509Certificate> c = PKI.notYetValidLeaf().chain();
    String from = WHEN.format(c.get(0).getNotBefore().toInstant());
    assertThat(message(base().build(), c)).isEqualTo(
        head("NOT_YET_VALID") + "The certificate 'CN=localhost' is not valid until " + from + " (1 day from now)."
            + chain(c)
            + "\n  Validation instant: " + WHEN.format(PKI.created())
            + "\n  If this machine's clock is behind, correct it; otherwise the server installed its certificate"
            + " too early: serve the previous certificate until " + from + ".");
  }

  @Test
  void keyStrength_fullMessage() {
    List<X509Certificate> c = PKI.rsa1024Leaf().chain();
    assertThat(message(base().build(), c)).isEqualTo(
        head("KEY_STRENGTH") + "The certificate 'CN=localhost' has a 1024-bit RSA key; the minimum is 2048 bits."
            + chain(c)
            + "\n  Reissue it with an RSA key of at least 2048 bits or an EC key on P-256 or larger.");
  }

  @Test
  void signatureAlgorithm_fullMessage() {
    List<X509Certificate> c = PKI.sha1SignedLeaf().chain();
    assertThat(message(base().build(), c)).isEqualTo(
        head("SIGNATURE_ALGORITHM") + "The certificate 'CN=localhost' is signed with SHA1withECDSA; only SHA-256"
            + " or stronger signatures are accepted (SHA-1 and MD5 signatures can be forged)."
            + chain(c)
            + "\n  Have the certificate reissued with a SHA-256 (or stronger) signature.");
  }

  @Test
  void extendedKeyUsage_fullMessage() {
    List<X509Certificate> c = PKI.noServerAuthLeaf().chain();
    assertThat(message(base().build(), c)).isEqualTo(
        head("EXTENDED_KEY_USAGE") + "The certificate 'CN=localhost' allows extended key usages clientAuth but"
            + " not serverAuth."
            + chain(c)
            + "\n  Reissue the certificate with extendedKeyUsage serverAuth.");
  }

  @Test
  void keyUsage_fullMessage() {
    List<X509Certificate> c = PKI.leafBuilder().keyUsage(KeyUsage.keyAgreement).build().chain();
    assertThat(message(base().build(), c)).isEqualTo(
        head("KEY_USAGE") + "The certificate 'CN=localhost' has a keyUsage extension without digitalSignature,"
            + " which every allowed (forward-secret) TLS handshake needs."
            + chain(c)
            + "\n  Reissue the certificate with keyUsage digitalSignature.");
  }

  @Test
  void basicConstraints_fullMessage() {
    List<X509Certificate> c = PKI.intermediateNotCaChain().chain();
    assertThat(message(base().build(), c)).isEqualTo(
        head("BASIC_CONSTRAINTS") + "The certificate " + quoted(c.get(1)) + " issued 'CN=localhost' but is not a"
            + " CA (its basicConstraints do not say CA:TRUE)."
            + chain(c)
            + "\n  The issuing certificate must be a CA certificate; have the chain reissued by a proper CA.");
  }

  @Test
  void malformed_tooManySans_fullMessage() {
    List<String> sans = new ArrayList<>(List.of("DNS:localhost"));
    for (int i = 1; i <= 1000; i++) {
      sans.add("DNS:host" + i + ".example.com");
    }
    List<X509Certificate> c = PKI.leafBuilder().sans(sans).build().chain();
    assertThat(message(base().build(), c)).isEqualTo(
        head("MALFORMED") + "The certificate 'CN=localhost' has 1001 subjectAltName entries; Moat accepts at most"
            + " 1000, so a hostile certificate cannot make every check slow."
            + chain(c)
            + "\n  Expected: at most 1000 subjectAltName entries (real certificates have a few, large multi-domain"
            + " ones a few hundred)."
            + "\n  Have the certificate reissued with fewer names: give this service a certificate of its own,"
            + " or split the names over several certificates.");
  }

  @Test
  void revoked_fullMessage() {
    try (OcspResponder ocsp = OcspResponder.start(PKI).clock(CLOCK)) {
      List<X509Certificate> c = ocsp.leaf(CertStatus.REVOKED).chain();
      TlsPolicy policy = base().revocation(Revocation.softFail()).build();
      assertThat(message(policy, c)).isEqualTo(
          head("REVOKED") + "The certificate 'CN=localhost' is revoked."
              + chain(c)
              + "\n  Status: REVOKED via OCSP from " + ocsp.url() + ": revoked on "
              + PKI.created().minus(Duration.ofHours(1)) + ", reason keyCompromise"
              + "\n  The server must get a new certificate; a revoked certificate cannot be accepted.");
    }
  }

  @Test
  void revocationUnknown_hardFail_fullMessage() {
    try (OcspResponder ocsp = OcspResponder.start(PKI).clock(CLOCK)) {
      List<X509Certificate> c = ocsp.leaf(CertStatus.UNKNOWN).chain();
      TlsPolicy policy = base().revocation(Revocation.hardFail()).build();
      assertThat(message(policy, c)).isEqualTo(
          head("REVOCATION_UNKNOWN") + "The revocation status of 'CN=localhost' could not be established, and"
              + " the policy is HARD_FAIL."
              + chain(c)
              + "\n  Status: UNKNOWN via OCSP from " + ocsp.url() + ": the responder does not know this certificate"
              + "\n  Make the OCSP responder or CRL reachable, or enable OCSP stapling on the server. To accept an"
              + " unknown status for this host (and lose protection when the responder is blocked):"
              + " .revocation(\"localhost\", Revocation.softFail())");
    }
  }

  /** Handshakes with the scenario's server and returns the refusal TlsRefusals.explain words. */
  static String explained(Scenario scenario) {
    assumeTrue(scenario.unavailableReason().isEmpty(), () -> scenario.unavailableReason().orElse(""));
    return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      try (TlsTestServer server = TlsTestServer.start(scenario)) {
        Throwable failure = catchThrowable(() -> server.handshake(scenario.policy().sslSocketFactory("https")));
        assertThat(failure).as("%s must fail", scenario).isNotNull();
        TlsRefusalException refusal = TlsRefusals.explain(failure, "localhost", 443, "https")
            .orElseThrow(() -> new AssertionError(scenario + ": not recognised", failure));
        assertThat(refusal.check()).isEqualTo(scenario.expectedCheck().orElseThrow());
        return refusal.getMessage();
      }
    });
  }

  /** The full message, with only the JDK's own text after "JDK says: " left open. */
  static String jdkPattern(String check, String reason, String fix) {
    return Pattern.quote(head(check) + reason + "\n  Peer chain: none presented\n  JDK says: ") + "[^\n]+"
        + Pattern.quote("\n  " + fix);
  }

  @Test
  void protocol_explainedJdkFailure_fullMessage() {
    assertThat(explained(BadTls.byName("TLS_1_0_ONLY"))).matches(jdkPattern("PROTOCOL",
        "The server offers no TLS version the policy allows (TLS 1.3 or 1.2); it likely speaks only TLS 1.0 or 1.1.",
        "Enable TLS 1.2 or 1.3 on the server. TLS 1.0 and 1.1 are broken and cannot be allowed."));
  }

  @Test
  void cipherSuite_explainedJdkFailure_fullMessage() {
    assertThat(explained(BadTls.byName("NON_AEAD_ONLY"))).matches(jdkPattern("CIPHER_SUITE",
        "The server and the policy share no cipher suite: the server likely offers only non-AEAD (CBC) or"
            + " non-forward-secret suites.",
        "Enable ECDHE with AES-GCM or ChaCha20-Poly1305 suites on the server."));
  }

  @Test
  void plaintext_explainedJdkFailure_fullMessage() {
    assertThat(explained(BadTls.byName("PLAINTEXT"))).matches(jdkPattern("PLAINTEXT",
        "The server did not answer with TLS: it speaks plaintext on this port (or another protocol).",
        "Connect to the server's TLS port, or enable TLS on the server."));
  }

  @Test
  void plaintext_requireTls_fullMessage() {
    Throwable t = catchThrowable(() -> base().build().requireTls("redis", "redis://localhost:6379", "localhost"));
    assertThat(t).isInstanceOf(PlaintextRefusedException.class);
    assertThat(((PlaintextRefusedException) t).check()).isEqualTo(Check.PLAINTEXT);
    assertThat(t.getMessage()).isEqualTo(
        "Refused plaintext redis connection to redis://localhost:6379 [check: PLAINTEXT]"
            + "\n  Nothing was sent: the policy allows only TLS."
            + "\n  Use the TLS form of the endpoint (https://, rediss://, ssl://, amqps://, encrypt=true)."
            + "\n  If this host really cannot speak TLS (a local development server), exempt it by name:"
            + "\n    TlsPolicy.builder().insecureAllowPlaintextTo(\"localhost\", \"why this is acceptable\")");
  }
}
