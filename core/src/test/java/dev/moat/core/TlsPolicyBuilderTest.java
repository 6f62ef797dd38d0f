package dev.moat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TlsPolicyBuilderTest {
  private static final String A = "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  private static final String B = "sha256/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=";

  @Test
  void build_enforcedPinWithOnlyAReportOnlyBackup_refusedAsSinglePin() {
    assertThatThrownBy(() -> TlsPolicy.builder()
            .pin("api.example.com", PinSet.of(A))
            .pin("api.example.com", PinSet.of(B).reportOnly())
            .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("single pin and no backup");
  }

  @Test
  void build_reportOnlySingleSet_allowedBecauseNothingIsEnforced() {
    TlsPolicy policy = TlsPolicy.builder().pin("api.example.com", PinSet.of(A).reportOnly()).build();
    assertThat(policy.rulesFor("api.example.com").get(0).pinSets()).hasSize(1);
  }

  @Test
  void build_twoEnforcedPinsAcrossSets_accepted() {
    TlsPolicy policy = TlsPolicy.builder()
        .pin("api.example.com", PinSet.of(A))
        .pin("api.example.com", PinSet.of(B))
        .build();
    assertThat(policy.rulesFor("api.example.com").get(0).pinSets()).hasSize(2);
  }

  @Test
  void toBuilder_roundTrip_keepsEverySetting() {
    TlsPolicy policy = TlsPolicy.builder()
        .minimumVersion(TlsVersion.TLS_1_3)
        .pin("api.example.com", A, B)
        .insecureAllowPlaintextTo("localhost", "dev broker")
        .relax("internal.example.com", ProfileRule.SUBJECT_CN_IN_SAN)
        .revocation(Revocation.hardFail())
        .build();
    TlsPolicy copy = policy.toBuilder().build();
    assertThat(copy.toString()).isEqualTo(policy.toString());
    assertThat(copy.protocols()).containsExactly("TLSv1.3");
  }

  @Test
  void verifyServer_hostThatIsAPattern_refusedAsHostnameBeforeAnyPathWork() {
    TlsPolicy policy = TlsPolicy.strict();
    assertThatThrownBy(() -> policy.verifyServer(java.util.List.of(), "*.example.com", 443, "https"))
        .isInstanceOfSatisfying(TlsRefusalException.class, e -> {
          assertThat(e.check()).isEqualTo(Check.HOSTNAME);
          assertThat(e.getMessage()).contains("is a pattern, not a host name");
        });
  }
}
