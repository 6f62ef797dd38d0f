package dev.moat.sql;

import com.microsoft.sqlserver.jdbc.SQLServerDataSource;
import dev.moat.core.TlsPolicy;
import java.sql.Connection;
import java.sql.SQLException;

/** Shared bits of the sql tests: a data source aimed at a loopback port, and one connect attempt. */
final class SqlTestSupport {
  static final String USER = "moat-test";
  /** Must never appear in any message or on the wire in clear. */
  static final String PASSWORD = "n0t-a-real-Passw0rd";

  private SqlTestSupport() {}

  static SQLServerDataSource dataSource(TlsPolicy policy, int port, SqlServerEncryption encryption) {
    SQLServerDataSource ds = SqlServerTls.dataSource(policy, "localhost", port, "master", encryption);
    ds.setUser(USER);
    ds.setPassword(PASSWORD);
    ds.setLoginTimeout(10);
    ds.setConnectRetryCount(0);
    return ds;
  }

  /** Connects once; returns the failure (a connection that opens is a test failure here). */
  static SQLException connectExpectingFailure(SQLServerDataSource ds) {
    try (Connection c = ds.getConnection()) {
      throw new AssertionError("connected to a fake server: " + c);
    } catch (SQLException e) {
      return e;
    }
  }
}
