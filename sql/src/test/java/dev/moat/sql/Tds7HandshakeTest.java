package dev.moat.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.sqlserver.jdbc.SQLServerDataSource;
import dev.moat.core.Check;
import dev.moat.core.TlsRefusalException;
import dev.moat.core.TlsRefusals;
import dev.moat.testkit.BadTls;
import dev.moat.testkit.Scenario;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TDS 7.x ({@code encrypt=true}): the driver's TLS handshake inside PRELOGIN packets, against
 * {@link FakeTdsServer} presenting catalog certificates. The fake server speaks TLS 1.2 only, as
 * SQL Server does for TDS 7.x.
 */
class Tds7HandshakeTest {
  private static final List<String> TLS12 = List.of("TLSv1.2");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"GOOD", "UNTRUSTED_ROOT", "WRONG_HOST", "EXPIRED", "SELF_SIGNED", "CN_ONLY"})
  void connect_tds7Scenario_refusedWithCheckOrLoginReached(String name) throws Exception {
    Scenario scenario = BadTls.byName(name);
    try (FakeTdsServer server =
        FakeTdsServer.start(
            FakeTdsServer.Mode.TDS7_ENCRYPT_ON, scenario.credentials().orElseThrow(), TLS12, List.of())) {
      SQLServerDataSource ds =
          SqlTestSupport.dataSource(scenario.policy(), server.port(), SqlServerEncryption.MANDATORY);
      SQLException e = SqlTestSupport.connectExpectingFailure(ds);
      Optional<TlsRefusalException> refusal =
          TlsRefusals.explain(e, scenario.host(), server.port(), SqlServerTls.PROTOCOL);
      if (scenario.expectsSuccess()) {
        assertThat(refusal).as("no TLS refusal for GOOD: %s", e).isEmpty();
        assertThat(server.completedHandshakes()).isEqualTo(1);
        assertThat(server.logins()).as("LOGIN7 arrived inside TLS").isEqualTo(1);
        assertThat(e.getErrorCode()).isEqualTo(FakeTdsServer.LOGIN_FAILED);
        assertThat(e.getMessage()).contains("Login failed for user 'moat-test'");
      } else {
        Check expected = scenario.expectedCheck().orElseThrow();
        assertThat(refusal).as("Moat refusal in %s", e).isPresent();
        assertThat(refusal.get().check()).isEqualTo(expected);
        assertThat(refusal.get().host()).isEqualTo("localhost");
        assertThat(server.completedHandshakes()).isZero();
        assertThat(server.receivedLogin7()).as("no LOGIN7 may follow a refused handshake").isFalse();
      }
      assertThat(e.toString()).doesNotContain(SqlTestSupport.PASSWORD);
    }
  }
}
