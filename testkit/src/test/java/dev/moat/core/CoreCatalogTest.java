package dev.moat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.moat.testkit.Scenario;
import dev.moat.testkit.TlsTestServer;
import java.time.Duration;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-TLS catalog through core itself: one real loopback handshake per scenario through {@link
 * TlsPolicy#sslSocketFactory(String)}. Each bad scenario is refused with its typed check (found by
 * {@link TlsRefusals#explain} also for PROTOCOL, CIPHER_SUITE and PLAINTEXT, which the JDK raises);
 * GOOD completes and moves data both ways (the test server echoes what the client writes).
 */
class CoreCatalogTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.moat.testkit.BadTls#catalog")
  void handshake_catalogScenario_refusedWithItsCheckOrMovesData(Scenario scenario) {
    assumeTrue(scenario.unavailableReason().isEmpty(), () -> scenario.unavailableReason().orElse(""));
    TlsPolicy policy = scenario.policy();
    assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
      try (TlsTestServer server = TlsTestServer.start(scenario)) {
        if (scenario.expectsSuccess()) {
          SSLSession session = server.handshake(policy.sslSocketFactory("tls"));
          assertThat(session.getProtocol()).isIn("TLSv1.3", "TLSv1.2");
          assertThat(session.getCipherSuite()).containsAnyOf("GCM", "CHACHA20");
          assertThat(server.completedHandshakes()).isEqualTo(1);
          return;
        }
        Throwable failure = catchThrowable(() -> server.handshake(policy.sslSocketFactory("tls")));
        assertThat(failure).as("%s must be refused", scenario).isNotNull();
        TlsRefusalException refusal = TlsRefusals.explain(failure, scenario.host(), server.port(), "tls")
            .orElseThrow(() -> new AssertionError(scenario + ": not recognised as a refusal", failure));
        Check expected = scenario.expectedCheck().orElseThrow();
        assertThat(refusal.check()).as(refusal.getMessage()).isEqualTo(expected);
        assertThat(refusal.getMessage())
            .startsWith("Refused TLS connection to localhost:" + server.port() + " (tls) [check: " + expected + "]");
        assertThat(refusal.fix()).as("an actionable fix").isNotBlank();
        if (!scenario.plaintext() && refusal.peerChain().isEmpty()) {
          // JDK-level refusals (PROTOCOL, CIPHER_SUITE) happen before any certificate is seen
          assertThat(expected).isIn(Check.PROTOCOL, Check.CIPHER_SUITE);
        }
      }
    });
  }
}
