package dev.moat.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.microsoft.sqlserver.jdbc.SQLServerDataSource;
import dev.moat.core.TlsRefusalException;
import dev.moat.core.TlsRefusals;
import dev.moat.testkit.Scenario;
import dev.moat.testkit.TlsTestServer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole bad-TLS catalog against the SQL Server driver in TDS 8 ({@code encrypt=strict}: TLS
 * before any TDS byte), configured by {@link SqlServerTls}. Each scenario is served by testkit's
 * {@link TlsTestServer} on loopback. Bad scenarios must be refused with Moat's typed check in the
 * exception chain; GOOD must complete the handshake, after which the driver fails for a non-TLS
 * reason (the test server is an echo server, not SQL Server, so the driver's own PRELOGIN comes back
 * as the "response").
 */
class SqlServerCatalogTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.moat.testkit.BadTls#catalog")
  void connect_strictCatalogScenario_refusedWithCheckOrHandshakes(Scenario scenario) {
    assumeFalse(scenario.unavailableReason().isPresent(), () -> scenario.unavailableReason().orElse(""));
    try (TlsTestServer server = TlsTestServer.start(scenario)) {
      SQLServerDataSource ds =
          SqlTestSupport.dataSource(scenario.policy(), server.port(), SqlServerEncryption.STRICT);
      long start = System.nanoTime();
      SQLException e = SqlTestSupport.connectExpectingFailure(ds);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      Optional<TlsRefusalException> refusal =
          TlsRefusals.explain(e, scenario.host(), server.port(), SqlServerTls.PROTOCOL);

      if (scenario.expectsSuccess()) {
        assertThat(refusal).as("GOOD must not be refused: %s", e).isEmpty();
        assertThat(server.completedHandshakes()).as("the server completed the TLS handshake").isEqualTo(1);
        assertThat(server.lastSession().orElseThrow().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
        assertThat(e.getMessage())
            .as("fails after TLS, in TDS: %s", e)
            .contains("unexpected pre-login response");
      } else {
        assertThat(refusal).as("%s: Moat refusal expected in %s", scenario, e).isPresent();
        assertThat(refusal.get().check()).isEqualTo(scenario.expectedCheck().orElseThrow());
        assertThat(server.completedHandshakes()).isZero();
      }
      assertThat(took).as("bounded").isLessThan(Duration.ofSeconds(20));
      assertThat(e.toString()).doesNotContain(SqlTestSupport.PASSWORD);
    }
  }
}
