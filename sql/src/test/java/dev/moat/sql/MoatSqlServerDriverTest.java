package dev.moat.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.core.Check;
import dev.moat.core.PlaintextRefusedException;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.core.TlsRefusals;
import dev.moat.testkit.BadTls;
import dev.moat.testkit.Scenario;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code jdbc:moat:sqlserver://} through a plain {@link DriverManager} call. */
class MoatSqlServerDriverTest {
  private static final Scenario GOOD = BadTls.byName("GOOD");

  private static String uniqueName() {
    return "test-" + UUID.randomUUID();
  }

  private static SQLException connect(String url) {
    try (Connection c = DriverManager.getConnection(url, SqlTestSupport.USER, SqlTestSupport.PASSWORD)) {
      throw new AssertionError("connected to a fake server: " + c);
    } catch (SQLException e) {
      return e;
    }
  }

  @Test
  void driverManager_moatUrl_foundThroughServiceLoader() throws SQLException {
    Driver driver = DriverManager.getDriver("jdbc:moat:sqlserver://localhost:1433");
    assertThat(driver).isInstanceOf(MoatSqlServerDriver.class);
    assertThat(Collections.list(DriverManager.getDrivers())).anyMatch(d -> d instanceof MoatSqlServerDriver);
  }

  @Test
  void driverManager_namedPolicyGoodServer_loginInsideValidatedTls() throws Exception {
    String name = uniqueName();
    MoatSqlServerDriver.register(name, GOOD.policy());
    try (FakeTdsServer server =
        FakeTdsServer.start(FakeTdsServer.Mode.TDS8, GOOD.credentials().orElseThrow(), List.of(), List.of())) {
      SQLException e = connect("jdbc:moat:sqlserver://localhost:" + server.port()
          + ";encrypt=strict;loginTimeout=10;moatPolicy=" + name);
      assertThat(server.logins()).as("%s", e).isEqualTo(1);
      assertThat(e.getErrorCode()).isEqualTo(FakeTdsServer.LOGIN_FAILED);
    }
  }

  @Test
  void driverManager_untrustedRoot_refusedWithTypedCheck() throws Exception {
    Scenario untrusted = BadTls.byName("UNTRUSTED_ROOT");
    String name = uniqueName();
    MoatSqlServerDriver.register(name, untrusted.policy());
    try (FakeTdsServer server =
        FakeTdsServer.start(FakeTdsServer.Mode.TDS7_ENCRYPT_ON, untrusted.credentials().orElseThrow(),
            List.of("TLSv1.2"), List.of())) {
      SQLException e = connect("jdbc:moat:sqlserver://localhost:" + server.port() + ";loginTimeout=10;moatPolicy=" + name);
      TlsRefusalException refusal = TlsRefusals.find(e).orElseThrow(() -> new AssertionError(e));
      assertThat(refusal.check()).isEqualTo(Check.TRUST_PATH);
      assertThat(server.receivedLogin7()).isFalse();
    }
  }

  @Test
  void driverManager_defaultPolicy_trustsOnlyPlatformRootsSoTestRootRefused() throws Exception {
    try (FakeTdsServer server =
        FakeTdsServer.start(FakeTdsServer.Mode.TDS8, GOOD.credentials().orElseThrow(), List.of(), List.of())) {
      SQLException e = connect("jdbc:moat:sqlserver://localhost:" + server.port() + ";encrypt=strict;loginTimeout=10");
      assertThat(TlsRefusals.find(e)).as("%s", e).isPresent();
      assertThat(server.logins()).isZero();
    }
  }

  @Test
  void driverManager_encryptFalse_refusedBeforeConnecting() {
    SQLException e = connect("jdbc:moat:sqlserver://localhost:1;encrypt=false");
    assertThat(e.getSQLState()).isEqualTo("08001");
    assertThat(e.getCause()).isInstanceOf(PlaintextRefusedException.class);
    assertThat(e.getMessage()).contains("encrypt=false").doesNotContain(SqlTestSupport.PASSWORD);
  }

  @Test
  void driverManager_unknownPolicyName_refused() {
    SQLException e = connect("jdbc:moat:sqlserver://localhost:1;moatPolicy=never-registered");
    assertThat(e.getMessage()).contains("moatPolicy=never-registered names no policy");
  }

  @Test
  void register_nameTakenByAnotherPolicy_neverOverwritten() {
    String name = uniqueName();
    TlsPolicy first = GOOD.policy();
    MoatSqlServerDriver.register(name, first);
    MoatSqlServerDriver.register(name, first); // same policy: no-op
    assertThatThrownBy(() -> MoatSqlServerDriver.register(name, TlsPolicy.strict()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already bound");
  }

  @Test
  void acceptsUrl_plainSqlServerUrl_leftToMicrosoftDriver() throws SQLException {
    MoatSqlServerDriver driver = new MoatSqlServerDriver();
    assertThat(driver.acceptsURL("jdbc:sqlserver://localhost")).isFalse();
    assertThat(driver.connect("jdbc:sqlserver://localhost", null)).isNull();
  }
}
