package dev.moat.sql;

import com.microsoft.sqlserver.jdbc.SQLServerDataSource;
import dev.moat.core.PlaintextRefusedException;
import dev.moat.core.TlsPolicy;
import dev.moat.sql.internal.JdbcUrl;
import dev.moat.sql.internal.PolicyRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Connections to SQL Server through the Microsoft JDBC driver that are always encrypted and whose
 * server certificate is validated by a {@link TlsPolicy}: host name, chain, pins, key strength,
 * TLS version and cipher suite.
 *
 * <pre>{@code
 * TlsPolicy policy = TlsPolicy.builder().trustRoots(Pem.readCertificates(Path.of("db-ca.pem"))).build();
 * SQLServerDataSource ds =
 *     SqlServerTls.dataSource(policy, "db.example.com", 1433, "orders", SqlServerEncryption.STRICT);
 * ds.setUser("app");
 * ds.setPassword(secret);
 * try (Connection c = ds.getConnection()) { ... }
 * }</pre>
 *
 * <p>What it sets: {@code encrypt=true} ({@code strict} when asked), {@code
 * trustServerCertificate=false}, {@code trustManagerClass=}{@link SqlServerTrustManager} and {@code
 * trustManagerConstructorArg=} a handle to the policy. With {@code trustManagerClass} the driver
 * checks no host name itself; the policy's trust manager does.
 *
 * <p>What it refuses, naming the property and the fix (and never showing a password): {@code
 * encrypt=false/optional/no}, {@code trustServerCertificate=true}, {@code trustStore}/{@code
 * trustStorePassword} and {@code serverCertificate} (trust comes from the policy), another {@code
 * trustManagerClass} or another policy's {@code trustManagerConstructorArg}, {@code
 * sslProtocol=TLSv1/TLSv1.1}, and a {@code hostNameInCertificate} that is not a plain host name or
 * that would skip pins or roots the policy has for the server's name or its {@code failoverPartner}.
 *
 * <p><b>Which host is checked.</b> The driver connects to the last {@code serverName} (or its
 * synonym {@code server}) it is given, not to the URL's host part, and falls back to {@code
 * failoverPartner} with the same settings. So a {@code serverName}/{@code server} (URL, {@code
 * Properties} or data source; any case) that names another host than the URL's host part is
 * refused (name the server once, in the URL), and {@code encrypt=false} is accepted only when the
 * policy exempts the failover partner as well.
 *
 * <p><b>Security</b>: {@code encrypt=false} is accepted only for a host the policy names in {@link
 * TlsPolicy.Builder#insecureAllowPlaintextTo(String, String)}; the driver then sends the login,
 * password included, in clear to a server that does not encrypt. A {@code hostNameInCertificate}
 * that differs from the server name makes the policy match the certificate against that name
 * instead; a certificate for that name is then accepted from whatever server answers.
 */
public final class SqlServerTls {
  /** The protocol name in refusal messages. */
  public static final String PROTOCOL = "sqlserver";

  static final String ENCRYPT = "encrypt";
  static final String TRUST_SERVER_CERTIFICATE = "trustServerCertificate";
  static final String TRUST_MANAGER_CLASS = "trustManagerClass";
  static final String TRUST_MANAGER_ARG = "trustManagerConstructorArg";
  static final String HOST_NAME_IN_CERTIFICATE = "hostNameInCertificate";
  static final String TRUST_STORE = "trustStore";
  static final String TRUST_STORE_PASSWORD = "trustStorePassword";
  static final String SERVER_CERTIFICATE = "serverCertificate";
  static final String SSL_PROTOCOL = "sslProtocol";
  static final String SERVER_NAME = "serverName";
  /** The driver's synonym of {@code serverName}. */
  static final String SERVER = "server";
  static final String FAILOVER_PARTNER = "failoverPartner";

  /** Keys Moat sets itself; a connection string's own values for them are checked, then replaced. */
  static final List<String> MANAGED_KEYS =
      List.of(ENCRYPT, TRUST_SERVER_CERTIFICATE, TRUST_MANAGER_CLASS, TRUST_MANAGER_ARG);

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:\\[\\]-]+");

  private SqlServerTls() {}

  /**
   * A data source for {@code serverName:port/databaseName} with {@code encrypt=true} (TDS 7.x),
   * validated by {@code policy}. Use {@link #dataSource(TlsPolicy, String, int, String,
   * SqlServerEncryption)} with {@link SqlServerEncryption#STRICT} for SQL Server 2022 and Azure SQL.
   */
  public static SQLServerDataSource dataSource(
      TlsPolicy policy, String serverName, int port, String databaseName) {
    return dataSource(policy, serverName, port, databaseName, SqlServerEncryption.MANDATORY);
  }

  /** A data source for {@code serverName:port/databaseName}, encrypted as {@code encryption} says. */
  public static SQLServerDataSource dataSource(
      TlsPolicy policy, String serverName, int port, String databaseName, SqlServerEncryption encryption) {
    Objects.requireNonNull(serverName, "serverName");
    Objects.requireNonNull(databaseName, "databaseName");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range; use 1 to 65535 (SQL Server: 1433)");
    }
    SQLServerDataSource ds = new SQLServerDataSource();
    ds.setServerName(serverName);
    ds.setPortNumber(port);
    ds.setDatabaseName(databaseName);
    return configure(ds, policy, encryption);
  }

  /**
   * Checks the TLS settings a data source already has, then makes it encrypt as {@code encryption}
   * says and trust only what {@code policy} trusts. Returns the same object.
   *
   * @throws PlaintextRefusedException when it is set to {@code encrypt=false/optional} for a host
   *     without a plaintext exemption
   * @throws IllegalArgumentException when another setting bypasses the policy (see the class doc)
   */
  public static SQLServerDataSource configure(
      SQLServerDataSource ds, TlsPolicy policy, SqlServerEncryption encryption) {
    Objects.requireNonNull(ds, "ds");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(encryption, "encryption");
    Settings settings = new Settings();
    String url = ds.getURL();
    JdbcUrl parsed = null;
    if (url != null && !url.isEmpty()) {
      parsed = JdbcUrl.parse(url, JdbcUrl.SQLSERVER_PREFIX);
      settings.addUrl(parsed);
    }
    settings.add(ENCRYPT, ds.getEncrypt());
    if (ds.getTrustServerCertificate()) {
      settings.add(TRUST_SERVER_CERTIFICATE, "true");
    }
    settings.add(TRUST_STORE, ds.getTrustStore());
    settings.add(SERVER_CERTIFICATE, ds.getServerCertificate());
    settings.add(TRUST_MANAGER_CLASS, ds.getTrustManagerClass());
    settings.add(TRUST_MANAGER_ARG, ds.getTrustManagerConstructorArg());
    settings.add(HOST_NAME_IN_CERTIFICATE, ds.getHostNameInCertificate());
    settings.add(SSL_PROTOCOL, ds.getSSLProtocol());
    settings.add(FAILOVER_PARTNER, ds.getFailoverPartner());
    // The data source's own serverName wins over its URL's; decide() refuses any that disagree.
    String dsServerName = ds.getServerName();
    if (dsServerName != null && !dsServerName.trim().isEmpty()) {
      settings.add(SERVER_NAME, dsServerName);
    }
    String host = parsed == null ? "" : parsed.host().trim();
    if (host.isEmpty()) {
      host = firstServerName(settings);
    }
    Decision d = decide(policy, host, settings, encryption);
    if (parsed != null) {
      ds.setURL(parsed.without(MANAGED_KEYS).toUrl(JdbcUrl.SQLSERVER_PREFIX));
    }
    ds.setEncrypt(d.encrypt);
    ds.setTrustServerCertificate(false);
    ds.setTrustManagerClass(SqlServerTrustManager.class.getName());
    ds.setTrustManagerConstructorArg(d.trustManagerArg);
    return ds;
  }

  /**
   * Checks a {@code jdbc:sqlserver://} URL and its properties against {@code policy} without
   * changing anything.
   *
   * @throws PlaintextRefusedException for {@code encrypt=false/optional/no} to a host without a
   *     plaintext exemption
   * @throws IllegalArgumentException naming the first property that bypasses the policy and its fix
   */
  public static void check(TlsPolicy policy, String jdbcUrl, Properties info) {
    JdbcUrl url = JdbcUrl.parse(jdbcUrl, JdbcUrl.SQLSERVER_PREFIX);
    Settings settings = settingsOf(url, info);
    decide(policy, hostOf(url, settings), settings, null);
  }

  /**
   * For {@code DriverManager} and connection pools that take a URL and properties: checks them as
   * {@link #check} does and returns the URL to use, with Moat's encryption and trust settings in
   * place of the URL's own. {@code info} is not changed; pass it along as it is.
   *
   * <pre>{@code
   * String url = SqlServerTls.secureUrl(policy, "jdbc:sqlserver://db.example.com;databaseName=orders", props);
   * Connection c = DriverManager.getConnection(url, props);
   * }</pre>
   *
   * @throws PlaintextRefusedException for {@code encrypt=false/optional/no} to a host without a
   *     plaintext exemption
   * @throws IllegalArgumentException naming the first property that bypasses the policy and its fix
   */
  public static String secureUrl(TlsPolicy policy, String jdbcUrl, Properties info) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(info, "info");
    JdbcUrl url = JdbcUrl.parse(jdbcUrl, JdbcUrl.SQLSERVER_PREFIX);
    return secure(policy, url, info).toUrl(JdbcUrl.SQLSERVER_PREFIX);
  }

  /**
   * The checked URL with Moat's settings. The driver lets {@code info} override the URL, which is why
   * every managed key in {@code info} must already equal what Moat sets (checked in decide).
   */
  static JdbcUrl secure(TlsPolicy policy, JdbcUrl url, Properties info) {
    Settings settings = settingsOf(url, info);
    Decision d = decide(policy, hostOf(url, settings), settings, null);
    return url.without(MANAGED_KEYS)
        .with(ENCRYPT, d.encrypt)
        .with(TRUST_SERVER_CERTIFICATE, "false")
        .with(TRUST_MANAGER_CLASS, SqlServerTrustManager.class.getName())
        .with(TRUST_MANAGER_ARG, d.trustManagerArg);
  }

  static Properties withoutManagedKeys(Properties info) {
    Properties copy = new Properties();
    for (String name : info.stringPropertyNames()) {
      boolean managed = false;
      for (String k : MANAGED_KEYS) {
        managed |= k.equalsIgnoreCase(name);
      }
      if (!managed) {
        copy.setProperty(name, info.getProperty(name));
      }
    }
    return copy;
  }

  /**
   * The host the checks are made for: the URL's host part, else the first {@code serverName} or
   * {@code server} given. {@link #decide} then refuses every {@code serverName}/{@code server} that
   * names another host, so this is the host the driver connects to.
   */
  private static String hostOf(JdbcUrl url, Settings settings) {
    String host = url.host().trim();
    return host.isEmpty() ? firstServerName(settings) : host;
  }

  private static String firstServerName(Settings settings) {
    for (String key : List.of(SERVER_NAME, SERVER)) {
      List<String> values = settings.get(key);
      if (!values.isEmpty()) {
        return hostPart(values.get(0));
      }
    }
    return "";
  }

  /**
   * The host in a {@code serverName}, {@code server} or {@code failoverPartner} value as the driver
   * reads it: without {@code \\instance}, without IPv6 brackets.
   */
  static String hostPart(String value) {
    String v = value.trim();
    int cut = v.indexOf('\\');
    if (cut >= 0) {
      v = v.substring(0, cut).trim();
    }
    if (v.startsWith("[") && v.endsWith("]")) {
      v = v.substring(1, v.length() - 1);
    }
    return v;
  }

  private static Settings settingsOf(JdbcUrl url, Properties info) {
    Settings s = new Settings();
    for (String name : info.stringPropertyNames()) {
      s.add(name, info.getProperty(name));
    }
    s.addUrl(url);
    return s;
  }

  // ------------------------------------------------------------------ the decision

  /** Every value given for each key, from every source, keys in lower case. */
  static final class Settings {
    final Map<String, List<String>> values = new LinkedHashMap<>();

    void add(String key, @Nullable String value) {
      // The driver's getters return "" for unset strings; an empty value sets nothing, except that
      // an empty serverName or server does override the host (the driver then connects to its
      // default), so it is kept for decide() to refuse.
      String k = key.trim().toLowerCase(Locale.ROOT);
      boolean keepEmpty = k.equals("servername") || k.equals(SERVER);
      if (value != null && (keepEmpty || !value.trim().isEmpty())) {
        values.computeIfAbsent(k, x -> new ArrayList<>()).add(value.trim());
      }
    }

    void addUrl(JdbcUrl url) {
      for (JdbcUrl.Entry e : url.entries()) {
        add(e.key(), e.value());
      }
    }

    List<String> get(String key) {
      return values.getOrDefault(key.toLowerCase(Locale.ROOT), List.of());
    }
  }

  static final class Decision {
    final String encrypt;
    final String trustManagerArg;

    Decision(String encrypt, String trustManagerArg) {
      this.encrypt = encrypt;
      this.trustManagerArg = trustManagerArg;
    }
  }

  /**
   * The one place the rules live. {@code requested} is the data source's mode; null means "what
   * the settings say, else MANDATORY".
   */
  static Decision decide(
      TlsPolicy policy, String host, Settings s, @Nullable SqlServerEncryption requested) {
    Objects.requireNonNull(policy, "policy");
    String shownHost = host.isEmpty() ? "?" : sanitize(host);
    if (host.isEmpty()) {
      throw new IllegalArgumentException(
          "No SQL Server host name is given (URL host or serverName), so the server certificate could"
              + " not be matched to it; name the server: jdbc:sqlserver://db.example.com:1433;...");
    }

    // serverName / server: the driver connects to the last one given, whatever the URL's host
    // part says, so every check below would be made for the wrong host. Refuse any that differ.
    for (String key : List.of(SERVER_NAME, SERVER)) {
      for (String value : s.get(key)) {
        String named = hostPart(value);
        if (!named.equalsIgnoreCase(host)) {
          String shownNamed = named.isEmpty() ? "(empty)" : sanitize(value);
          throw refused(shownHost, key + "=" + shownNamed + " names another server than " + shownHost
                  + "; the driver connects to the last serverName or server it is given, so the"
                  + " policy's plaintext exemption, pins and roots would be checked for " + shownHost
                  + " while the login goes to " + (named.isEmpty() ? "the driver's default host" : sanitize(named)),
              "name the server once, in the URL's host part (jdbc:sqlserver://"
                  + (named.isEmpty() ? "db.example.com" : sanitize(named))
                  + ":1433;...), and remove serverName and server from the URL, the Properties and"
                  + " the data source");
        }
      }
    }
    List<String> partners = new ArrayList<>();
    for (String value : s.get(FAILOVER_PARTNER)) {
      String partner = hostPart(value);
      if (!partner.isEmpty() && !partner.equalsIgnoreCase(host)) {
        partners.add(partner);
      }
    }

    // encrypt
    String encrypt = requested == null ? null : requested.driverValue();
    boolean plaintext = false;
    for (String value : s.get(ENCRYPT)) {
      String v = value.toLowerCase(Locale.ROOT);
      switch (v) {
        case "true":
        case "yes":
        case "mandatory":
          if (encrypt == null) {
            encrypt = "true";
          }
          break;
        case "strict":
          encrypt = "strict";
          break;
        case "false":
        case "no":
        case "optional":
          if (!policy.allowsPlaintextTo(host)) {
            throw new PlaintextRefusedException(host, PROTOCOL,
                "Refused plaintext sqlserver connection to " + shownHost + " [check: PLAINTEXT]\n"
                    + "  encrypt=" + v + " lets the driver send the login, password included, in clear"
                    + " to a server that does not offer encryption. Nothing was sent.\n"
                    + "  Fix: remove encrypt (Moat sets encrypt=true) or set encrypt=true; use"
                    + " encrypt=strict for SQL Server 2022 and Azure SQL.\n"
                    + "  If this host really cannot encrypt (a local development server), exempt it by"
                    + " name:\n    TlsPolicy.builder().insecureAllowPlaintextTo(\"" + shownHost
                    + "\", \"why this is acceptable\")");
          }
          plaintext = true;
          break;
        default:
          throw refused(shownHost, "encrypt has a value the driver does not know",
              "set encrypt=true, or encrypt=strict for SQL Server 2022 and Azure SQL");
      }
    }
    if (plaintext) {
      // The driver falls back to failoverPartner with the same settings: it must be exempt too.
      for (String partner : partners) {
        if (!policy.allowsPlaintextTo(partner)) {
          String shownPartner = sanitize(partner);
          throw new PlaintextRefusedException(partner, PROTOCOL,
              "Refused plaintext sqlserver connection to " + shownPartner + " (failoverPartner of "
                  + shownHost + ") [check: PLAINTEXT]\n"
                  + "  encrypt=false (or optional/no) applies to the failover partner too, and the"
                  + " policy exempts only " + shownHost + " from TLS. Nothing was sent.\n"
                  + "  Fix: remove encrypt (Moat sets encrypt=true), or remove failoverPartner.\n"
                  + "  If the partner really cannot encrypt (a local development server), exempt it by"
                  + " name:\n    TlsPolicy.builder().insecureAllowPlaintextTo(\"" + shownPartner
                  + "\", \"why this is acceptable\")");
        }
      }
    }
    if (plaintext && encrypt == null) {
      // An exempted host keeps the driver's own encrypt=false; Moat still supplies the trust manager
      // for the login-only encryption the driver then negotiates. A data source configured with an
      // explicit SqlServerEncryption keeps that mode instead.
      encrypt = "false";
    }
    if (encrypt == null) {
      encrypt = SqlServerEncryption.MANDATORY.driverValue();
    }

    // trustServerCertificate
    for (String value : s.get(TRUST_SERVER_CERTIFICATE)) {
      String v = value.toLowerCase(Locale.ROOT);
      if (!v.equals("false") && !v.equals("no")) {
        throw refused(shownHost, TRUST_SERVER_CERTIFICATE + "=" + (v.equals("true") || v.equals("yes") ? v : "...")
                + " accepts any certificate, so anyone on the path can read the password",
            "remove trustServerCertificate (or set it to false) and let the policy trust the"
                + " server's CA: TlsPolicy.builder().trustRoot(caCertificate), or"
                + " .trustRootFor(\"" + shownHost + "\", caCertificate) for this server only");
      }
    }

    // trust stores and the driver's own pinning: the policy decides trust
    if (!s.get(TRUST_STORE).isEmpty() || !s.get(TRUST_STORE_PASSWORD).isEmpty()) {
      String which = !s.get(TRUST_STORE).isEmpty() ? TRUST_STORE : TRUST_STORE_PASSWORD;
      throw refused(shownHost, which + " would be ignored: with Moat the policy decides which"
              + " certificates are trusted",
          "remove trustStore and trustStorePassword and give the policy those roots:"
              + " TlsPolicy.builder().trustRootsFrom(keyStore) (or .trustRoots(Pem.readCertificates(path)))");
    }
    if (!s.get(SERVER_CERTIFICATE).isEmpty()) {
      throw refused(shownHost, SERVER_CERTIFICATE + " would be ignored: with Moat the policy decides"
              + " which certificates are trusted",
          "remove serverCertificate and pin the server's key in the policy:"
              + " TlsPolicy.builder().pin(\"" + shownHost + "\", \"sha256/...\", \"sha256/<backup>\")"
              + " (the moat CLI prints a server's pins)");
    }

    // sslProtocol
    for (String value : s.get(SSL_PROTOCOL)) {
      String v = value.toUpperCase(Locale.ROOT);
      if (!v.equals("TLS") && !v.equals("TLSV1.2") && !v.equals("TLSV1.3")) {
        throw refused(shownHost, SSL_PROTOCOL + "=" + (v.startsWith("TLSV1") ? value : "...")
                + " asks for a TLS version the policy does not allow",
            "remove sslProtocol (the policy allows " + String.join(" and ", policy.protocols()) + ")");
      }
    }

    // hostNameInCertificate
    String certificateHost = null;
    for (String value : s.get(HOST_NAME_IN_CERTIFICATE)) {
      if (value.isEmpty()) {
        continue;
      }
      if (value.indexOf('*') >= 0 || !HOST.matcher(value).matches()) {
        throw refused(shownHost, HOST_NAME_IN_CERTIFICATE + " must be one exact host name (no"
                + " wildcard): the certificate is matched against it",
            "set hostNameInCertificate to the name the server's certificate carries, or remove it"
                + " to match the server name " + shownHost);
      }
      if (!value.equalsIgnoreCase(host)) {
        List<TlsPolicy.HostRule> serverRules = policy.rulesFor(host);
        // Equal rules both ways: the other name must neither skip this server's pins and roots nor
        // bring in roots or relaxations that the policy grants only to that other name.
        if (!serverRules.equals(policy.rulesFor(value))) {
          throw refused(shownHost, HOST_NAME_IN_CERTIFICATE + "=" + sanitize(value)
                  + " contradicts the policy: its rules (pins, roots, relaxations) for " + shownHost
                  + " and for " + sanitize(value) + " differ, so checking the certificate against "
                  + sanitize(value) + " would change what is trusted",
              "remove hostNameInCertificate, or give the policy the same rules for " + sanitize(value));
        }
        for (String partner : partners) {
          List<TlsPolicy.HostRule> partnerRules = policy.rulesFor(partner);
          if (!partnerRules.equals(policy.rulesFor(value))) {
            throw refused(shownHost, HOST_NAME_IN_CERTIFICATE + "=" + sanitize(value)
                    + " contradicts the policy: it has pins or roots for the failoverPartner "
                    + sanitize(partner) + " that checking the certificate against " + sanitize(value)
                    + " would skip",
                "remove hostNameInCertificate, or give the policy the same rules for " + sanitize(value));
          }
        }
        certificateHost = value;
      }
    }

    // trustManagerClass / trustManagerConstructorArg: only Moat's, only for this policy
    String expectedArg =
        certificateHost == null
            ? SqlServerTrustManager.constructorArg(policy)
            : SqlServerTrustManager.constructorArg(policy, certificateHost);
    for (String value : s.get(TRUST_MANAGER_CLASS)) {
      if (!value.equals(SqlServerTrustManager.class.getName())) {
        throw refused(shownHost, TRUST_MANAGER_CLASS + " names a trust manager other than Moat's, which"
                + " would bypass the policy",
            "remove trustManagerClass and trustManagerConstructorArg; Moat sets them to "
                + SqlServerTrustManager.class.getName() + " for the policy");
      }
    }
    for (String value : s.get(TRUST_MANAGER_ARG)) {
      // Exactly Moat's value: the driver lets Properties override the URL, so a value with the same
      // policy id but another bound host would silently change which name the certificate must carry.
      if (!value.equals(expectedArg)) {
        throw refused(shownHost, TRUST_MANAGER_ARG + " selects another trust decision than this"
                + " policy",
            "remove trustManagerClass and trustManagerConstructorArg; Moat sets them for the policy");
      }
    }
    return new Decision(encrypt, expectedArg);
  }

  private static IllegalArgumentException refused(String host, String what, String fix) {
    return new IllegalArgumentException(
        "Refused SQL Server connection settings for " + host + ": " + what + ".\n  Fix: " + fix + ".");
  }

  static String sanitize(String s) {
    String clean = s.replaceAll("[^\\p{Alnum}._:\\[\\]\\\\-]", "?");
    return clean.length() > 100 ? clean.substring(0, 100) + "..." : clean;
  }
}
