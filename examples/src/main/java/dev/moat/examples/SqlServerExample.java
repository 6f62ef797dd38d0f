package dev.moat.examples;

import com.microsoft.sqlserver.jdbc.SQLServerDataSource;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusals;
import dev.moat.sql.SqlServerEncryption;
import dev.moat.sql.SqlServerTls;
import dev.moat.testkit.TestPki;
import dev.moat.testkit.TlsTestServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * sql: the SQL Server JDBC driver configured by {@link SqlServerTls} with {@code encrypt=strict}
 * (TDS 8: TLS before any TDS byte), against local TLS servers. No SQL Server runs here: with good
 * certificates the TLS handshake completes and then the login fails, as the server is not SQL
 * Server; with a certificate for another host, Moat refuses the handshake ({@code HOSTNAME}).
 *
 * <pre>{@code ./mvnw -q -pl examples -am verify -DskipTests -Pdemo -Dmoat.example=SqlServerExample}</pre>
 */
public final class SqlServerExample {
  /** The driver logs a WARNING for the test server's non-TDS answer, expected here: keep it quiet. */
  private static final Logger DRIVER_LOG = Logger.getLogger("com.microsoft.sqlserver.jdbc");

  static {
    DRIVER_LOG.setLevel(Level.SEVERE);
  }

  private SqlServerExample() {}

  public static void main(String[] args) throws Exception {
    TestPki pki = TestPki.shared(); // a throw-away root -> intermediate -> leaf for localhost
    TlsPolicy policy = TlsPolicy.builder().trustRoot(pki.root()).build(); // trust our root only

    try (TlsTestServer good = TlsTestServer.start(pki.goodChain())) {
      System.out.println("good server:       " + connect(policy, good));
    }
    try (TlsTestServer wrongHost = TlsTestServer.start(pki.wrongHostLeaf())) {
      System.out.println("wrong-host server: " + connect(policy, wrongHost));
    } catch (SQLException e) { // Moat's refusal is in the cause chain, with a typed check and the fix
      System.out.println("wrong-host server: refused, " + TlsRefusals.find(e).orElseThrow().getMessage());
    }
  }

  /**
   * Connects once. Returns what happened when the TLS handshake completed (the login then fails:
   * the test server is not SQL Server); throws the driver's exception when it did not.
   */
  static String connect(TlsPolicy policy, TlsTestServer server) throws SQLException {
    SQLServerDataSource ds = SqlServerTls.dataSource(
        policy, "localhost", server.port(), "orders", SqlServerEncryption.STRICT); // the one line
    ds.setUser("app");
    ds.setPassword("not-a-real-password");
    ds.setLoginTimeout(10);
    ds.setConnectRetryCount(0);
    try (Connection connection = ds.getConnection()) {
      return "connected to " + connection.getMetaData().getDatabaseProductName();
    } catch (SQLException e) {
      if (server.completedHandshakes() == 0 || TlsRefusals.find(e).isPresent()) {
        throw e;
      }
      String tls = server.lastSession().map(s -> s.getProtocol() + ", " + s.getCipherSuite()).orElse("?");
      return "TLS handshake passed (" + tls + "); then the login failed: no SQL Server behind this"
          + " test server (" + e.getSQLState() + ")";
    }
  }
}
