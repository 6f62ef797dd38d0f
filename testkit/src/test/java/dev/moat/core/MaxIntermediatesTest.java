package dev.moat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.testkit.TestPki;
import org.junit.jupiter.api.Test;

class MaxIntermediatesTest {
  private static final TestPki PKI = TestPki.create("localhost");

  private static TlsPolicy policy(int max) {
    return TlsPolicy.builder().trustRoot(PKI.root()).revocation(Revocation.off()).maxIntermediates(max).build();
  }

  @Test
  void verifyServer_oneIntermediateWithinBound_accepted() throws Exception {
    policy(1).verifyServer(PKI.serverChain(), "localhost", 443, "https");
  }

  @Test
  void verifyServer_oneIntermediateWithBoundZero_refusedAsBasicConstraints() {
    assertThatThrownBy(() -> policy(0).verifyServer(PKI.serverChain(), "localhost", 443, "https"))
        .isInstanceOfSatisfying(TlsRefusalException.class, e -> {
          assertThat(e.check()).isEqualTo(Check.BASIC_CONSTRAINTS);
          assertThat(e.getMessage()).contains("needs more than 0 intermediate certificates");
        });
  }

  @Test
  void maxIntermediates_outOfRange_refusedAtTheSetter() {
    assertThatThrownBy(() -> TlsPolicy.builder().maxIntermediates(9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use 0 to 8");
    assertThat(policy(3).toString()).contains("maxIntermediates=3");
    assertThat(policy(3).toBuilder().build().maxIntermediates()).isEqualTo(3);
  }
}
