package dev.moat.core.revocation;

import static dev.moat.core.revocation.Handshakes.refusedWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.core.Check;
import dev.moat.core.Revocation;
import dev.moat.core.TlsPolicy;
import dev.moat.testkit.BadTls;
import dev.moat.testkit.Scenario;
import dev.moat.testkit.TlsTestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The catalog's REVOKED and REVOKED_STAPLED, exactly as every protocol module's catalog test runs
 * them: {@code TlsTestServer.start(scenario)} and {@code scenario.policy()}, no extra setup.
 */
class RevokedScenarioTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"REVOKED", "REVOKED_STAPLED"})
  void catalogScenario_defaultPolicy_refusedRevoked(String name) throws Exception {
    Scenario scenario = BadTls.byName(name);
    assertThat(scenario.unavailableReason()).isEmpty();
    assertThat(scenario.pendingRevocationSupport()).isFalse();
    TlsPolicy policy = scenario.policy();
    assertThat(policy.revocationFor(scenario.host())).isEqualTo(Revocation.softFail());
    try (TlsTestServer server = TlsTestServer.start(scenario)) {
      refusedWith(policy, server, scenario.expectedCheck().orElseThrow());
      assertThat(scenario.expectedCheck()).contains(Check.REVOKED);
      if (scenario.staplesOcsp()) {
        assertThat(policy.revocationChecker().networkRequests()).as("the staple decided").isZero();
      }
    }
  }

  @ParameterizedTest(name = "{0} served without stapling")
  @ValueSource(strings = {"REVOKED", "REVOKED_STAPLED"})
  void catalogScenario_serverThatCannotStaple_stillRefusedRevoked(String name) throws Exception {
    Scenario scenario = BadTls.byName(name);
    try (TlsTestServer server = TlsTestServer.builder()
        .credentials(scenario.credentials().orElseThrow())
        .protocols(scenario.serverProtocols())
        .start()) {
      refusedWith(scenario.policy(), server, Check.REVOKED);
    }
  }
}
