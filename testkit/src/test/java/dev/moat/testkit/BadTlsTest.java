package dev.moat.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.core.Check;
import dev.moat.core.Pin;
import dev.moat.core.TlsPolicy;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadTlsTest {

  @Test
  void catalog_names_stableAndInOrder() {
    assertThat(BadTls.names())
        .containsExactly(
            "GOOD", "EXPIRED", "NOT_YET_VALID", "WRONG_HOST", "CN_ONLY", "SELF_SIGNED",
            "UNTRUSTED_ROOT", "MISSING_INTERMEDIATE", "SHA1_SIGNED", "RSA_1024",
            "NO_SERVER_AUTH_EKU", "INTERMEDIATE_NOT_CA", "REVOKED", "REVOKED_STAPLED", "PIN_MISMATCH",
            "TLS_1_0_ONLY", "TLS_1_1_ONLY", "NON_AEAD_ONLY", "PLAINTEXT");
  }

  @Test
  void catalog_expectedChecks_matchTheDefects() {
    assertThat(
            BadTls.catalog().stream()
                .filter(s -> !s.expectsSuccess())
                .collect(
                    Collectors.toMap(Scenario::name, s -> s.expectedCheck().orElseThrow())))
        .containsEntry("EXPIRED", Check.EXPIRED)
        .containsEntry("NOT_YET_VALID", Check.NOT_YET_VALID)
        .containsEntry("WRONG_HOST", Check.HOSTNAME)
        .containsEntry("CN_ONLY", Check.HOSTNAME)
        .containsEntry("SELF_SIGNED", Check.TRUST_PATH)
        .containsEntry("UNTRUSTED_ROOT", Check.TRUST_PATH)
        .containsEntry("MISSING_INTERMEDIATE", Check.MISSING_INTERMEDIATE)
        .containsEntry("SHA1_SIGNED", Check.SIGNATURE_ALGORITHM)
        .containsEntry("RSA_1024", Check.KEY_STRENGTH)
        .containsEntry("NO_SERVER_AUTH_EKU", Check.EXTENDED_KEY_USAGE)
        .containsEntry("INTERMEDIATE_NOT_CA", Check.BASIC_CONSTRAINTS)
        .containsEntry("REVOKED", Check.REVOKED)
        .containsEntry("REVOKED_STAPLED", Check.REVOKED)
        .containsEntry("PIN_MISMATCH", Check.PIN)
        .containsEntry("TLS_1_0_ONLY", Check.PROTOCOL)
        .containsEntry("TLS_1_1_ONLY", Check.PROTOCOL)
        .containsEntry("NON_AEAD_ONLY", Check.CIPHER_SUITE)
        .containsEntry("PLAINTEXT", Check.PLAINTEXT)
        .hasSize(BadTls.catalog().size() - 1);
    assertThat(BadTls.byName("GOOD").expectedCheck()).isEmpty();
    assertThat(BadTls.byName("GOOD").expectsSuccess()).isTrue();
  }

  @Test
  void scenario_credentials_comeFromTheSharedPki() {
    TestPki pki = TestPki.shared();
    assertThat(BadTls.byName("GOOD").credentials()).contains(pki.goodChain());
    assertThat(BadTls.byName("EXPIRED").credentials()).contains(pki.expiredLeaf());
    assertThat(BadTls.byName("RSA_1024").credentials()).contains(pki.rsa1024Leaf());
    assertThat(BadTls.byName("PLAINTEXT").credentials()).isEmpty();
    assertThat(BadTls.byName("PLAINTEXT").plaintext()).isTrue();
    for (Scenario scenario : BadTls.catalog()) {
      assertThat(scenario.host()).isEqualTo("localhost");
      assertThat(scenario.trustRoot()).isEqualTo(pki.root());
      assertThat(scenario.toString()).isEqualTo(scenario.name());
      assertThat(scenario.description()).isNotBlank();
    }
  }

  @Test
  void scenario_protocolsAndSuites_describeTheServer() {
    assertThat(BadTls.byName("GOOD").serverProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(BadTls.byName("TLS_1_0_ONLY").serverProtocols()).containsExactly("TLSv1");
    assertThat(BadTls.byName("TLS_1_0_ONLY").opensslCiphers()).contains("@SECLEVEL=0");
    assertThat(BadTls.byName("TLS_1_1_ONLY").opensslProtocols()).containsExactly("TLSv1.1");
    assertThat(BadTls.byName("NON_AEAD_ONLY").serverProtocols()).containsExactly("TLSv1.2");
    assertThat(BadTls.byName("NON_AEAD_ONLY").serverCipherSuites())
        .isNotEmpty()
        .allSatisfy(suite -> assertThat(suite).contains("_CBC_").doesNotContain("GCM"));
    assertThat(BadTls.byName("NON_AEAD_ONLY").opensslCiphers()).doesNotContain("GCM");
  }

  @Test
  void revoked_availableAndNamingTheSharedResponder() {
    Scenario revoked = BadTls.byName("REVOKED");
    Scenario stapled = BadTls.byName("REVOKED_STAPLED");
    assertThat(BadTls.catalog().stream().filter(Scenario::pendingRevocationSupport)).isEmpty();
    assertThat(revoked.unavailableReason()).isEmpty();
    assertThat(stapled.unavailableReason()).isEmpty();
    assertThat(revoked.staplesOcsp()).isFalse();
    assertThat(stapled.staplesOcsp()).isTrue();
    String url = TestPki.shared().revocationResponder().url();
    assertThat(revoked.credentials().orElseThrow().certificate().getExtensionValue("1.3.6.1.5.5.7.1.1"))
        .isNotNull();
    assertThat(new String(stapled.credentials().orElseThrow().certificate()
            .getExtensionValue("1.3.6.1.5.5.7.1.1"), java.nio.charset.StandardCharsets.ISO_8859_1))
        .contains(url);
  }

  @Test
  void legacyScenarios_availableInThisJvm() {
    assertThat(BadTls.byName("TLS_1_0_ONLY").unavailableReason()).isEmpty();
    assertThat(BadTls.byName("TLS_1_1_ONLY").unavailableReason()).isEmpty();
  }

  @Test
  void pinMismatch_pinsMatchNothingInTheChain() {
    Scenario scenario = BadTls.byName("PIN_MISMATCH");
    assertThat(scenario.pins()).hasSize(2).allSatisfy(p -> assertThat(p).startsWith("sha256/"));
    for (X509Certificate certificate : scenario.credentials().orElseThrow().chain()) {
      assertThat(scenario.pins()).doesNotContain(Pin.of(certificate).toString());
    }
    assertThat(scenario.pins()).doesNotContain(Pin.of(scenario.trustRoot()).toString());
    assertThat(BadTls.byName("GOOD").pins()).isEmpty();
  }

  @Test
  void policy_trustsTheSharedRoot() {
    TlsPolicy good = BadTls.byName("GOOD").policy();
    TlsPolicy pinned = BadTls.byName("PIN_MISMATCH").policy();

    assertThat(good.roots()).containsExactly(TestPki.shared().root());
    assertThat(pinned.roots()).containsExactly(TestPki.shared().root());
    assertThat(pinned.rulesFor("localhost")).isNotEmpty();
  }

  @Test
  void byName_unknown_refusedListingKnownNames() {
    assertThatThrownBy(() -> BadTls.byName("NOPE"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("NOPE")
        .hasMessageContaining("GOOD, EXPIRED");
  }

  @Test
  void writeServerFiles_expiredScenario_writesItsChain(@TempDir Path dir) throws Exception {
    ServerFiles files = BadTls.byName("EXPIRED").writeServerFiles(dir);

    assertThat(files.certificateChain())
        .hasContent(TestPki.toPem(TestPki.shared().expiredLeaf().chain()));
    assertThat(files.caCertificate()).hasContent(TestPki.shared().rootPem());
    assertThatThrownBy(() -> BadTls.byName("PLAINTEXT").writeServerFiles(dir))
        .isInstanceOf(IllegalStateException.class);
  }
}
