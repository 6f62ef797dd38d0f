package dev.moat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.moat.testkit.Credentials;
import dev.moat.testkit.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile input ends quickly with a clear error: garbage, truncation, long chains, huge SAN lists, loops. */
class HostileInputTest {
  static final TestPki PKI = TestPki.create("localhost");
  static final Duration QUICK = Duration.ofSeconds(5);

  static TlsRefusalException refusal(TlsPolicy policy, List<X509Certificate> chain) {
    return refusal(policy, chain, "localhost");
  }

  static TlsRefusalException refusal(TlsPolicy policy, List<X509Certificate> chain, String host) {
    Throwable t = catchThrowable(() -> policy.verifyServer(chain, host, 443, "https"));
    assertThat(t).isInstanceOf(TlsRefusalException.class);
    return (TlsRefusalException) t;
  }

  @Test
  void parseCertificates_garbageAndTruncatedPem_clearErrors() {
    String good = TestPki.toPem(List.of(PKI.leaf()));
    String der = Base64.getEncoder().encodeToString(new byte[] {0x30, (byte) 0x82, 0x10, 0x00, 0x01, 0x02});
    List<String> hostile = List.of(
        "garbage",
        "",
        good.substring(0, good.length() / 2), // truncated PEM: no END line
        "-----BEGIN CERTIFICATE-----\n" + der + "\n-----END CERTIFICATE-----\n", // truncated DER
        "-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE-----\n" + "QUFB".repeat(50_000) + "\n-----END CERTIFICATE-----\n");
    assertTimeoutPreemptively(QUICK, () -> {
      for (String pem : hostile) {
        assertThatThrownBy(() -> Pem.parseCertificates(pem))
            .as("input starting %s", pem.substring(0, Math.min(30, pem.length())))
            .isInstanceOf(IllegalArgumentException.class)
            .satisfies(e -> assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(1000));
      }
    });
  }

  @Test
  void clientIdentityFromPem_garbageOrTruncatedKey_clearErrors(@TempDir Path dir) throws Exception {
    Path chain = Files.writeString(dir.resolve("chain.pem"), TestPki.toPem(PKI.serverChain()));
    String key = TestPki.toPkcs8Pem(PKI.leafKey());
    for (String bad : List.of("garbage", key.substring(0, key.length() / 2),
        "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n")) {
      Path keyFile = Files.writeString(dir.resolve("key.pem"), bad, StandardCharsets.US_ASCII);
      assertTimeoutPreemptively(QUICK, () -> assertThatThrownBy(() -> ClientIdentity.fromPem(chain, keyFile, null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(keyFile.toString()));
    }
    Path garbageChain = Files.writeString(dir.resolve("garbage.pem"), "garbage");
    Path keyFile = Files.writeString(dir.resolve("key.pem"), key);
    assertThatThrownBy(() -> ClientIdentity.fromPem(garbageChain, keyFile, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(garbageChain.toString());
  }

  @Test
  void chainOf50Certificates_refusedQuickly() {
    Credentials issuer = PKI.rootCredentials();
    for (int i = 0; i < 49; i++) {
      issuer = PKI.caBuilder().issuer(issuer).build();
    }
    Credentials leaf = PKI.leafBuilder().issuer(issuer).build();
    assertThat(leaf.chain()).hasSize(50);
    TlsPolicy policy = TlsPolicy.builder().trustRoot(PKI.root()).build();
    TlsRefusalException e = assertTimeoutPreemptively(QUICK, () -> refusal(policy, leaf.chain()));
    assertThat(e.check()).isEqualTo(Check.MALFORMED);
    assertThat(e.reason()).contains("presented 50 certificates");
    assertThat(e.getMessage()).contains("... 40 more certificates");
  }

  @Test
  void leafWithThousandsOfSans_refusedAsMalformedQuickly() {
    List<String> sans = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      sans.add("DNS:host" + i + ".example.com");
    }
    sans.add("DNS:localhost");
    Credentials leaf = PKI.leafBuilder().commonName("localhost").sans(sans).build();
    TlsPolicy policy = TlsPolicy.builder().trustRoot(PKI.root()).build();
    for (String host : List.of("localhost", "host4999.example.com", "elsewhere.example.org")) {
      TlsRefusalException e = assertTimeoutPreemptively(QUICK, () -> refusal(policy, leaf.chain(), host));
      assertThat(e.check()).as("host %s", host).isEqualTo(Check.MALFORMED);
      assertThat(e.reason()).contains("has 5001 subjectAltName entries; Moat accepts at most 1000");
      assertThat(e.fix()).contains("fewer names");
      assertThat(e.getMessage()).hasSizeLessThan(3000);
    }
  }

  @Test
  void leafWithExactlyTheSanCap_accepted() {
    List<String> sans = new ArrayList<>(List.of("DNS:localhost"));
    for (int i = 1; i < 1000; i++) {
      sans.add("DNS:host" + i + ".example.com");
    }
    Credentials leaf = PKI.leafBuilder().commonName("localhost").sans(sans).build();
    TlsPolicy policy = TlsPolicy.builder().trustRoot(PKI.root()).build();
    assertTimeoutPreemptively(QUICK, () -> policy.verifyServer(leaf.chain(), "host999.example.com", 443, "https"));
  }

  @Test
  void selfIssuedLoop_refusedQuickly() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair a = g.generateKeyPair();
    KeyPair b = g.generateKeyPair();
    Credentials tempB = PKI.caBuilder().subject("CN=Loop B").key(b).selfSigned().build();
    Credentials caA = PKI.caBuilder().subject("CN=Loop A").key(a).issuer(tempB.certificate(), b.getPrivate()).build();
    Credentials caB = PKI.caBuilder().subject("CN=Loop B").key(b).issuer(caA.certificate(), a.getPrivate()).build();
    Credentials caA2 = PKI.caBuilder().subject("CN=Loop A").key(a).issuer(caB.certificate(), b.getPrivate()).build();
    Credentials leaf = PKI.leafBuilder().issuer(caA.certificate(), a.getPrivate()).build();
    List<X509Certificate> chain = new ArrayList<>(List.of(leaf.certificate()));
    for (int i = 0; i < 5; i++) {
      chain.addAll(List.of(caA.certificate(), caB.certificate(), caA2.certificate()));
    }
    TlsPolicy policy = TlsPolicy.builder().trustRoot(PKI.root()).build();
    TlsRefusalException e = assertTimeoutPreemptively(QUICK, () -> refusal(policy, chain));
    assertThat(e.check()).isIn(Check.TRUST_PATH, Check.MALFORMED);
    assertThat(e.fix()).isNotBlank();
  }
}
