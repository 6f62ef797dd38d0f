package dev.moat.testkit;

import dev.moat.core.Check;
import dev.moat.testkit.internal.LegacyTls;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The bad-TLS catalog: one list of server misconfigurations that every protocol module runs
 * against its real client, so each module proves the same refusals. Each {@link Scenario} says
 * what the server presents, how it is configured, and which {@link Check} must refuse it.
 *
 * <pre>{@code
 * class RedisCatalogTest {
 *   @ParameterizedTest(name = "{0}")
 *   @MethodSource("dev.moat.testkit.BadTls#catalog")
 *   void connect_catalogScenario_behavesAsExpected(Scenario scenario) { ... }
 * }
 * }</pre>
 *
 * <p>Names are stable: GOOD, EXPIRED, NOT_YET_VALID, WRONG_HOST, CN_ONLY, SELF_SIGNED,
 * UNTRUSTED_ROOT, MISSING_INTERMEDIATE, SHA1_SIGNED, RSA_1024, NO_SERVER_AUTH_EKU,
 * INTERMEDIATE_NOT_CA, REVOKED, REVOKED_STAPLED, PIN_MISMATCH, TLS_1_0_ONLY, TLS_1_1_ONLY,
 * NON_AEAD_ONLY, PLAINTEXT. The revoked leaves name an OCSP responder testkit starts on
 * 127.0.0.1 (lazily, once per JVM); the default policy (soft-fail revocation) refuses them.
 *
 * <p><b>Security:</b> loading this class re-enables TLS 1.0 and 1.1 in the test JVM's JSSE so the
 * legacy scenarios can be served; see {@link TlsTestServer}.
 */
public final class BadTls {
  static {
    LegacyTls.enable();
  }

  private static final List<String> MODERN = List.of("TLSv1.3", "TLSv1.2");
  private static final String SECLEVEL_0 = "DEFAULT:@SECLEVEL=0";
  /** Forward-secret but CBC (non-AEAD) suites for an EC key, strongest first. */
  private static final List<String> NON_AEAD_SUITES =
      List.of(
          "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
          "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
          "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
  private static final String NON_AEAD_OPENSSL =
      "ECDHE-ECDSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA256:"
          + "ECDHE-ECDSA-AES256-SHA:ECDHE-ECDSA-AES128-SHA";

  private static final List<Scenario> CATALOG =
      List.of(
          cert("GOOD", "A correct server: leaf for localhost, intermediate, trusted root.",
              TestPki::goodChain, null),
          cert("EXPIRED", "The leaf's notAfter lies one day in the past.",
              TestPki::expiredLeaf, Check.EXPIRED),
          cert("NOT_YET_VALID", "The leaf's notBefore lies one day in the future.",
              TestPki::notYetValidLeaf, Check.NOT_YET_VALID),
          cert("WRONG_HOST", "The leaf names only " + TestPki.WRONG_HOST + ", not localhost.",
              TestPki::wrongHostLeaf, Check.HOSTNAME),
          cert("CN_ONLY",
              "The leaf has CN=localhost and no subjectAltName; the CN must not be used.",
              TestPki::cnOnlyLeaf, Check.HOSTNAME),
          cert("SELF_SIGNED", "The server presents a self-signed leaf for localhost.",
              TestPki::selfSignedLeaf, Check.TRUST_PATH),
          cert("UNTRUSTED_ROOT",
              "A complete chain for localhost under a root the client does not trust.",
              TestPki::untrustedRootChain, Check.TRUST_PATH),
          cert("MISSING_INTERMEDIATE",
              "The server presents its leaf without the intermediate that links it to the root.",
              TestPki::missingIntermediateChain, Check.MISSING_INTERMEDIATE),
          cert("SHA1_SIGNED", "The intermediate signed the leaf with SHA1withECDSA.",
              TestPki::sha1SignedLeaf, Check.SIGNATURE_ALGORITHM, SECLEVEL_0),
          cert("RSA_1024", "The leaf's key is RSA with 1024 bits.",
              TestPki::rsa1024Leaf, Check.KEY_STRENGTH, SECLEVEL_0),
          cert("NO_SERVER_AUTH_EKU",
              "The leaf's extended key usage is clientAuth only, without serverAuth.",
              TestPki::noServerAuthLeaf, Check.EXTENDED_KEY_USAGE),
          cert("INTERMEDIATE_NOT_CA",
              "The leaf's issuer is a certificate with basicConstraints cA=false and no"
                  + " keyCertSign, issued by the trusted root.",
              TestPki::intermediateNotCaChain, Check.BASIC_CONSTRAINTS),
          new Scenario("REVOKED",
              "The leaf is revoked: its OCSP responder (testkit's, on 127.0.0.1) answers"
                  + " \"revoked\"; the server staples nothing.",
              TestPki::revokedLeaf, MODERN, List.of(), MODERN, "", Check.REVOKED,
              false, false, false, false),
          new Scenario("REVOKED_STAPLED",
              "The leaf is revoked and the server staples its OCSP response saying so (a server"
                  + " that cannot staple leaves the client to ask the same responder).",
              TestPki::revokedStapledLeaf, MODERN, List.of(), MODERN, "", Check.REVOKED,
              false, false, false, true),
          new Scenario("PIN_MISMATCH",
              "A correct server, but the client pins localhost to two keys that match nothing"
                  + " in the chain.",
              TestPki::goodChain, MODERN, List.of(), MODERN, "", Check.PIN, true, false, false, false),
          legacy("TLS_1_0_ONLY", "TLSv1"),
          legacy("TLS_1_1_ONLY", "TLSv1.1"),
          new Scenario("NON_AEAD_ONLY",
              "The server speaks TLS 1.2 with CBC (non-AEAD) ECDHE suites only.",
              TestPki::goodChain, List.of("TLSv1.2"), NON_AEAD_SUITES, List.of("TLSv1.2"),
              NON_AEAD_OPENSSL, Check.CIPHER_SUITE, false, false, false, false),
          new Scenario("PLAINTEXT",
              "The server speaks no TLS: it writes a plaintext banner and echoes.",
              null, List.of(), List.of(), List.of(), "", Check.PLAINTEXT, false, false, false, false));

  private BadTls() {}

  /** Every scenario, GOOD first, in a stable order. */
  public static List<Scenario> catalog() {
    return CATALOG;
  }

  /** The names of {@link #catalog()}, in order. */
  public static List<String> names() {
    return CATALOG.stream().map(Scenario::name).collect(Collectors.toUnmodifiableList());
  }

  /**
   * The scenario with this name.
   *
   * @throws NoSuchElementException naming the known scenarios
   */
  public static Scenario byName(String name) {
    for (Scenario scenario : CATALOG) {
      if (scenario.name().equals(name)) {
        return scenario;
      }
    }
    throw new NoSuchElementException(
        "no bad-TLS scenario named '" + name + "'; known: " + String.join(", ", names()));
  }

  private static Scenario cert(
      String name,
      String description,
      Function<TestPki, Credentials> credentials,
      @Nullable Check check) {
    return cert(name, description, credentials, check, "");
  }

  private static Scenario cert(
      String name,
      String description,
      Function<TestPki, Credentials> credentials,
      @Nullable Check check,
      String opensslCiphers) {
    return new Scenario(name, description, credentials, MODERN, List.of(), MODERN, opensslCiphers,
        check, false, false, false, false);
  }

  private static Scenario legacy(String name, String protocol) {
    return new Scenario(name,
        "A correct certificate, but the server speaks " + protocol + " only (JDK default suites;"
            + " testkit re-enables " + protocol + " in the test JVM, see TlsTestServer).",
        TestPki::goodChain, List.of(protocol), List.of(), List.of(protocol), SECLEVEL_0,
        Check.PROTOCOL, false, true, false, false);
  }
}
