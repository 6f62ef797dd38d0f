package dev.moat.sql;

import com.microsoft.sqlserver.jdbc.SQLServerDriver;
import dev.moat.core.PlaintextRefusedException;
import dev.moat.core.TlsPolicy;
import dev.moat.sql.internal.JdbcUrl;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A JDBC driver for {@code jdbc:moat:sqlserver://...} URLs: the Microsoft driver with a {@link
 * TlsPolicy} enforced, so a connection pool adopts Moat by changing its URL. Registered through
 * {@code META-INF/services/java.sql.Driver}; {@link DriverManager} finds it on the class path.
 *
 * <pre>{@code
 * MoatSqlServerDriver.register("orders-db", policy);          // once, at start-up
 * Connection c = DriverManager.getConnection(
 *     "jdbc:moat:sqlserver://db.example.com:1433;databaseName=orders;moatPolicy=orders-db", user, pw);
 * }</pre>
 *
 * <p>Which policy: the one registered under the name given by the {@code moatPolicy} property (in
 * the URL or the {@code Properties}); without {@code moatPolicy}, the strict default {@link
 * TlsPolicy#strict()} (the platform's trust anchors, no exemptions). An unknown name fails the
 * connection. The URL and properties are checked as {@link SqlServerTls#check} does, then the
 * connection is opened as {@code jdbc:sqlserver://...} with {@code encrypt=true} (or the URL's
 * {@code strict}), {@code trustServerCertificate=false} and Moat's trust manager for the policy.
 *
 * <p>Refusals come as {@link SQLNonTransientConnectionException} (SQL state {@code 08001}) whose
 * cause is the {@link PlaintextRefusedException} or {@link IllegalArgumentException} naming the
 * property and the fix; TLS refusals during the handshake carry Moat's {@code TlsRefusalException}
 * in their cause chain ({@code TlsRefusals.find}).
 */
public final class MoatSqlServerDriver implements Driver {
  /** The URL prefix this driver accepts. */
  public static final String URL_PREFIX = "jdbc:moat:sqlserver://";
  /** The property (URL or {@code Properties}) that names a registered policy. */
  public static final String POLICY_PROPERTY = "moatPolicy";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Map<String, TlsPolicy> POLICIES = new ConcurrentHashMap<>();
  private static volatile @Nullable TlsPolicy defaultPolicy;

  static {
    try {
      DriverManager.registerDriver(new MoatSqlServerDriver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final SQLServerDriver delegate = new SQLServerDriver();

  /** For {@link java.util.ServiceLoader} and pools that instantiate drivers by class name. */
  public MoatSqlServerDriver() {}

  /**
   * Makes {@code policy} available to URLs with {@code moatPolicy=name}. A name is bound once:
   * registering another policy under a taken name fails rather than changing what existing
   * connections trust (registering the same policy again is a no-op).
   *
   * @throws IllegalArgumentException when the name is not 1 to 64 letters, digits, {@code .}, {@code
   *     _} or {@code -}
   * @throws IllegalStateException when the name is already bound to another policy
   */
  public static void register(String name, TlsPolicy policy) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(policy, "policy");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "moatPolicy name '" + SqlServerTls.sanitize(name) + "' is not allowed; use 1 to 64 letters,"
              + " digits, '.', '_' or '-'");
    }
    TlsPolicy previous = POLICIES.putIfAbsent(name, policy);
    if (previous != null && previous != policy) {
      throw new IllegalStateException(
          "moatPolicy name '" + name + "' is already bound to another policy; names are bound once."
              + " Register this policy under a new name");
    }
  }

  /** The policy a connection with these settings would use (the default when none is named). */
  static TlsPolicy policyFor(JdbcUrl url, @Nullable Properties info) throws SQLException {
    String name = url.get(POLICY_PROPERTY);
    if (name == null && info != null) {
      for (String key : info.stringPropertyNames()) {
        if (key.equalsIgnoreCase(POLICY_PROPERTY)) {
          name = info.getProperty(key);
        }
      }
    }
    if (name == null || name.isEmpty()) {
      TlsPolicy p = defaultPolicy;
      if (p == null) {
        synchronized (MoatSqlServerDriver.class) {
          p = defaultPolicy;
          if (p == null) {
            p = TlsPolicy.strict();
            defaultPolicy = p;
          }
        }
      }
      return p;
    }
    TlsPolicy p = POLICIES.get(name);
    if (p == null) {
      throw new SQLNonTransientConnectionException(
          "moatPolicy=" + SqlServerTls.sanitize(name) + " names no policy; register it at start-up with"
              + " MoatSqlServerDriver.register(\"" + SqlServerTls.sanitize(name) + "\", policy), or"
              + " remove moatPolicy to use the strict default policy",
          "08001");
    }
    return p;
  }

  @Override
  public @Nullable Connection connect(String url, @Nullable Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null; // JDBC: not ours, let DriverManager ask the next driver
    }
    Properties props = info == null ? new Properties() : info;
    String target = translate(url, props);
    Properties forwarded = SqlServerTls.withoutManagedKeys(props);
    forwarded.remove(POLICY_PROPERTY);
    forwarded.stringPropertyNames().stream()
        .filter(k -> k.equalsIgnoreCase(POLICY_PROPERTY))
        .forEach(forwarded::remove);
    return delegate.connect(target, forwarded);
  }

  /** The {@code jdbc:sqlserver://} URL, checked and with Moat's settings, for a Moat URL. */
  static String translate(String url, Properties props) throws SQLException {
    JdbcUrl parsed;
    try {
      parsed = JdbcUrl.parse(url, URL_PREFIX);
    } catch (IllegalArgumentException e) {
      throw new SQLNonTransientConnectionException(e.getMessage(), "08001", e);
    }
    TlsPolicy policy = policyFor(parsed, props);
    try {
      return SqlServerTls.secure(policy, parsed.without(List.of(POLICY_PROPERTY)), props)
          .toUrl(JdbcUrl.SQLSERVER_PREFIX);
    } catch (IllegalArgumentException e) { // also PlaintextRefusedException
      throw new SQLNonTransientConnectionException(e.getMessage(), "08001", e);
    }
  }

  @Override
  public boolean acceptsURL(@Nullable String url) {
    return url != null && url.regionMatches(true, 0, URL_PREFIX, 0, URL_PREFIX.length());
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, @Nullable Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return new DriverPropertyInfo[0];
    }
    String plain = JdbcUrl.SQLSERVER_PREFIX + url.substring(URL_PREFIX.length());
    return delegate.getPropertyInfo(plain, info);
  }

  @Override
  public int getMajorVersion() {
    return delegate.getMajorVersion();
  }

  @Override
  public int getMinorVersion() {
    return delegate.getMinorVersion();
  }

  @Override
  public boolean jdbcCompliant() {
    return delegate.jdbcCompliant();
  }

  @Override
  public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }
}
