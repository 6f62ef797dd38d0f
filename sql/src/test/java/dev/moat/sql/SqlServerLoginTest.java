package dev.moat.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.sqlserver.jdbc.SQLServerDataSource;
import dev.moat.core.Check;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.core.TlsRefusals;
import dev.moat.testkit.BadTls;
import dev.moat.testkit.Scenario;
import dev.moat.testkit.TestPki;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What reaches the wire around the login: LOGIN7 (type 0x10) carries the password, so it must go
 * only inside TLS validated by the policy.
 */
class SqlServerLoginTest {
  private static final Scenario GOOD = BadTls.byName("GOOD");

  @Test
  void connect_serverCannotEncrypt_refusedBeforeLogin7() throws Exception {
    try (FakeTdsServer server =
        FakeTdsServer.start(
            FakeTdsServer.Mode.TDS7_ENCRYPT_NOT_SUPPORTED, GOOD.credentials().orElseThrow(), List.of(), List.of())) {
      SQLServerDataSource ds =
          SqlTestSupport.dataSource(GOOD.policy(), server.port(), SqlServerEncryption.MANDATORY);
      SQLException e = SqlTestSupport.connectExpectingFailure(ds);

      assertThat(server.acceptedConnections()).isGreaterThanOrEqualTo(1);
      assertThat(server.packetTypes()).as("only the clear PRELOGIN was sent").containsOnly(FakeTdsServer.PKT_PRELOGIN);
      assertThat(server.receivedLogin7()).as("no LOGIN7, so no password on the wire").isFalse();
      assertThat(e.getMessage()).containsIgnoringCase("encryption");
      assertThat(e.toString()).doesNotContain(SqlTestSupport.PASSWORD);
    }
  }

  @Test
  void connect_strictGoodServer_login7OnlyInsideTls() throws Exception {
    try (FakeTdsServer server =
        FakeTdsServer.start(FakeTdsServer.Mode.TDS8, GOOD.credentials().orElseThrow(), List.of(), List.of())) {
      SQLServerDataSource ds =
          SqlTestSupport.dataSource(GOOD.policy(), server.port(), SqlServerEncryption.STRICT);
      SQLException e = SqlTestSupport.connectExpectingFailure(ds);

      assertThat(TlsRefusals.explain(e, "localhost", server.port(), SqlServerTls.PROTOCOL)).isEmpty();
      assertThat(server.completedHandshakes()).isEqualTo(1);
      assertThat(server.logins()).as("LOGIN7 arrived inside TLS").isEqualTo(1);
      assertThat(e.getErrorCode()).isEqualTo(FakeTdsServer.LOGIN_FAILED);
      assertThat(e.getMessage()).contains("Login failed for user 'moat-test'");
    }
  }

  /** A PKI whose leaf names only db.moat.test (no IP SAN), reached through 127.0.0.1. */
  private static final TestPki DB_PKI = TestPki.create("db.moat.test");

  @Test
  void connect_hostNameInCertificateDiffers_certificateMatchedAgainstThatName() throws Exception {
    // The client connects to 127.0.0.1 and says the certificate carries db.moat.test: Moat checks
    // that name (with trustManagerClass the driver would check none).
    try (FakeTdsServer server =
        FakeTdsServer.start(FakeTdsServer.Mode.TDS8, DB_PKI.goodChain(), List.of(), List.of())) {
      SQLServerDataSource ds = new SQLServerDataSource();
      ds.setServerName("127.0.0.1");
      ds.setPortNumber(server.port());
      ds.setHostNameInCertificate("db.moat.test");
      ds.setUser(SqlTestSupport.USER);
      ds.setPassword(SqlTestSupport.PASSWORD);
      ds.setLoginTimeout(10);
      SqlServerTls.configure(ds, TlsPolicy.builder().trustRoot(DB_PKI.root()).build(), SqlServerEncryption.STRICT);
      SQLException e = SqlTestSupport.connectExpectingFailure(ds);
      assertThat(server.logins()).as("%s", e).isEqualTo(1);
      assertThat(e.getErrorCode()).isEqualTo(FakeTdsServer.LOGIN_FAILED);
    }
  }

  @Test
  void connect_byIpWithoutHostNameInCertificate_refusedHostnameForTheIp() throws Exception {
    try (FakeTdsServer server =
        FakeTdsServer.start(FakeTdsServer.Mode.TDS8, DB_PKI.goodChain(), List.of(), List.of())) {
      TlsPolicy policy = TlsPolicy.builder().trustRoot(DB_PKI.root()).build();
      SQLServerDataSource ds =
          SqlServerTls.dataSource(policy, "127.0.0.1", server.port(), "master", SqlServerEncryption.STRICT);
      ds.setUser(SqlTestSupport.USER);
      ds.setPassword(SqlTestSupport.PASSWORD);
      ds.setLoginTimeout(10);
      SQLException e = SqlTestSupport.connectExpectingFailure(ds);
      TlsRefusalException refusal =
          TlsRefusals.find(e).orElseThrow(() -> new AssertionError("no Moat refusal in " + e, e));
      assertThat(refusal.check()).isEqualTo(Check.HOSTNAME);
      assertThat(refusal.host()).as("the host the driver connected to").isEqualTo("127.0.0.1");
      assertThat(server.logins()).isZero();
    }
  }
}
