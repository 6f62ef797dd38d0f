package dev.moat.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.microsoft.sqlserver.jdbc.SQLServerDataSource;
import dev.moat.core.PlaintextRefusedException;
import dev.moat.core.TlsPolicy;
import dev.moat.testkit.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The host the checks are made for is the host the driver connects to: the driver's {@code
 * serverName} (and its synonym {@code server}), given last, overrides the URL's host part, and
 * {@code failoverPartner} is a second server. An exemption or a rule for the URL's host must not
 * carry over to either.
 */
class SqlServerHostTest {
  private static final TestPki PKI = TestPki.shared();
  /** Exempts localhost only (a local development server). */
  private static final TlsPolicy DEV =
      TlsPolicy.builder().trustRoot(PKI.root()).insecureAllowPlaintextTo("localhost", "local dev db").build();
  private static final String SECRET = "S3cret!-not-shown";

  private static Properties withPassword() {
    Properties p = new Properties();
    p.setProperty("user", "app");
    p.setProperty("password", SECRET);
    return p;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      ";serverName=127.0.0.2", ";server=127.0.0.2", ";SERVER=127.0.0.2", ";ServerName=127.0.0.2\\SQLEXPRESS",
      ";serverName=localhost;server=127.0.0.2", ";server=127.0.0.2;serverName=localhost", ";serverName="})
  void check_serverNameInUrlOverridesExemptedHost_refusedNamingProperty(String override) {
    String url = "jdbc:sqlserver://localhost:1433" + override + ";encrypt=false;password=" + SECRET;
    assertThatThrownBy(() -> SqlServerTls.check(DEV, url, withPassword()))
        .isInstanceOf(IllegalArgumentException.class)
        .isNotInstanceOf(PlaintextRefusedException.class)
        .hasMessageContaining("names another server than localhost")
        .hasMessageMatching("(?s).*\\b(serverName|server)=.*")
        .hasMessageContaining("Fix: name the server once, in the URL's host part")
        .hasMessageNotContaining(SECRET);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"serverName", "server", "Server", "SERVERNAME"})
  void check_serverNameInPropertiesOverridesExemptedHost_refused(String key) {
    Properties p = withPassword();
    p.setProperty(key, "127.0.0.2");
    assertThatThrownBy(() -> SqlServerTls.check(DEV, "jdbc:sqlserver://localhost;encrypt=false", p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("=127.0.0.2 names another server than localhost")
        .hasMessageContaining("jdbc:sqlserver://127.0.0.2:1433")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void secureUrl_reviewReproduction_refusedInsteadOfPlaintextToOtherServer() {
    String url = "jdbc:sqlserver://localhost;server=127.0.0.2;encrypt=false;databaseName=orders";
    assertThatThrownBy(() -> SqlServerTls.secureUrl(DEV, url, withPassword()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("server=127.0.0.2 names another server than localhost")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void check_serverNameSameHostAnyCaseOrWithInstance_accepted() {
    Properties p = withPassword();
    p.setProperty("serverName", "LOCALHOST");
    SqlServerTls.check(DEV, "jdbc:sqlserver://localhost;server=localhost\\SQLEXPRESS;encrypt=false", p);
    assertThat(SqlServerTls.secureUrl(DEV, "jdbc:sqlserver://localhost;serverName=localhost;encrypt=false", p))
        .contains(";encrypt=false");
  }

  @Test
  void check_noUrlHostServerNamesDisagree_refused() {
    SqlServerTls.check(DEV, "jdbc:sqlserver://;serverName=localhost;encrypt=false", new Properties());
    Properties p = withPassword();
    p.setProperty("server", "127.0.0.2");
    assertThatThrownBy(() -> SqlServerTls.check(DEV, "jdbc:sqlserver://;serverName=localhost;encrypt=false", p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("server=127.0.0.2 names another server than localhost")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void check_failoverPartnerNotExempted_plaintextRefusedNamingPartner() {
    assertThatThrownBy(() ->
            SqlServerTls.check(DEV, "jdbc:sqlserver://localhost;failoverPartner=127.0.0.2;encrypt=false", withPassword()))
        .isInstanceOf(PlaintextRefusedException.class)
        .hasMessageContaining("127.0.0.2 (failoverPartner of localhost) [check: PLAINTEXT]")
        .hasMessageContaining("insecureAllowPlaintextTo(\"127.0.0.2\"")
        .hasMessageNotContaining(SECRET);
    Properties p = withPassword();
    p.setProperty("FailoverPartner", "db2.example.com\\MIRROR");
    PlaintextRefusedException e = (PlaintextRefusedException) catchThrowable(() ->
        SqlServerTls.secureUrl(DEV, "jdbc:sqlserver://localhost;encrypt=false", p));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("db2.example.com (failoverPartner of localhost)").doesNotContain(SECRET);
  }

  @Test
  void check_failoverPartnerExemptedOrEncrypted_accepted() {
    TlsPolicy both = DEV.toBuilder().insecureAllowPlaintextTo("127.0.0.2", "local mirror").build();
    SqlServerTls.check(both, "jdbc:sqlserver://localhost;failoverPartner=127.0.0.2;encrypt=false", new Properties());
    assertThat(SqlServerTls.secureUrl(DEV, "jdbc:sqlserver://localhost;failoverPartner=127.0.0.2", new Properties()))
        .contains(";encrypt=true");
  }

  @Test
  void check_hostNameInCertificateSkippingFailoverPartnersPins_refused() {
    List<dev.moat.core.Pin> pins = TestPki.unrelatedPins(2);
    TlsPolicy policy = TlsPolicy.builder().trustRoot(PKI.root())
        .pin("db2.example.com", pins.get(0).toString(), pins.get(1).toString()).build();
    assertThatThrownBy(() -> SqlServerTls.check(policy,
            "jdbc:sqlserver://db.example.com;failoverPartner=db2.example.com;hostNameInCertificate=cert.example.com",
            new Properties()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pins or roots for the failoverPartner db2.example.com");
  }

  @Test
  void configure_urlServerNameOverridesExemptedHost_refused() {
    SQLServerDataSource ds = new SQLServerDataSource();
    ds.setURL("jdbc:sqlserver://localhost;serverName=127.0.0.2;encrypt=false");
    ds.setPassword(SECRET);
    assertThatThrownBy(() -> SqlServerTls.configure(ds, DEV, SqlServerEncryption.MANDATORY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("serverName=127.0.0.2 names another server than localhost")
        .hasMessageNotContaining(SECRET);

    SQLServerDataSource other = new SQLServerDataSource();
    other.setURL("jdbc:sqlserver://localhost;encrypt=false");
    other.setServerName("127.0.0.2"); // the data source's own serverName wins over its URL
    assertThatThrownBy(() -> SqlServerTls.configure(other, DEV, SqlServerEncryption.MANDATORY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("serverName=127.0.0.2 names another server than localhost");
  }

  @Test
  void configure_failoverPartnerNotExempted_plaintextRefused() {
    SQLServerDataSource ds = new SQLServerDataSource();
    ds.setServerName("localhost");
    ds.setEncrypt("false");
    ds.setFailoverPartner("127.0.0.2");
    assertThatThrownBy(() -> SqlServerTls.configure(ds, DEV, SqlServerEncryption.MANDATORY))
        .isInstanceOf(PlaintextRefusedException.class)
        .hasMessageContaining("failoverPartner of localhost");
  }

  @Test
  void configure_dataSourceServerNameOnly_stillChecked() {
    SQLServerDataSource ds = SqlServerTls.dataSource(DEV, "localhost", 1433, "orders");
    assertThat(ds.getEncrypt()).isEqualTo("true");
    assertThat(ds.getServerName()).isEqualTo("localhost");
  }

  @Test
  void driverManager_serverOverridesExemptedHost_refusedAndOtherServerNeverContacted() throws Exception {
    String name = "host-test-" + UUID.randomUUID();
    MoatSqlServerDriver.register(name, DEV);
    try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
      String url = "jdbc:moat:sqlserver://localhost:" + other.getLocalPort() + ";server=127.0.0.2"
          + ";encrypt=false;loginTimeout=3;connectRetryCount=0;moatPolicy=" + name;
      SQLException e = null;
      try (Connection c = DriverManager.getConnection(url, "app", SECRET)) {
        throw new AssertionError("connected: " + c);
      } catch (SQLException refused) {
        e = refused;
      }
      assertThat(e.getSQLState()).isEqualTo("08001");
      assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
      assertThat(e.getMessage()).contains("server=127.0.0.2 names another server than localhost")
          .doesNotContain(SECRET);
      other.setSoTimeout(300);
      assertThat(acceptedSomething(other)).as("127.0.0.2 was contacted").isFalse();
    }
  }

  private static boolean acceptedSomething(ServerSocket server) throws IOException {
    try (Socket s = server.accept()) {
      return s != null;
    } catch (SocketTimeoutException nothing) {
      return false;
    }
  }
}
