package dev.moat.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.sqlserver.jdbc.SQLServerDataSource;
import dev.moat.core.PlaintextRefusedException;
import dev.moat.core.TlsPolicy;
import dev.moat.testkit.TestPki;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The URL / Properties check and what the data source factory sets. No network. */
class SqlServerTlsTest {
  private static final TestPki PKI = TestPki.shared();
  private static final TlsPolicy POLICY = TlsPolicy.builder().trustRoot(PKI.root()).build();
  private static final String URL = "jdbc:sqlserver://db.example.com:1433;databaseName=orders";

  @Test
  void dataSource_default_encryptTrueTrustManagerOfPolicy() {
    SQLServerDataSource ds = SqlServerTls.dataSource(POLICY, "db.example.com", 1433, "orders");
    assertThat(ds.getEncrypt()).isEqualTo("true");
    assertThat(ds.getTrustServerCertificate()).isFalse();
    assertThat(ds.getTrustManagerClass()).isEqualTo(SqlServerTrustManager.class.getName());
    assertThat(new SqlServerTrustManager(ds.getTrustManagerConstructorArg()).policy()).isSameAs(POLICY);
  }

  @Test
  void dataSource_strict_encryptStrict() {
    SQLServerDataSource ds =
        SqlServerTls.dataSource(POLICY, "db.example.com", 1433, "orders", SqlServerEncryption.STRICT);
    assertThat(ds.getEncrypt()).isEqualTo("strict");
  }

  @Test
  void constructorArg_twoPolicies_differentHandlesNeitherOverwritten() {
    TlsPolicy other = TlsPolicy.builder().trustRoot(TestPki.create("other.test").root()).build();
    String a = SqlServerTrustManager.constructorArg(POLICY);
    String b = SqlServerTrustManager.constructorArg(other);
    assertThat(a).isNotEqualTo(b).startsWith("moat-policy-").hasSizeGreaterThan(30);
    assertThat(SqlServerTrustManager.constructorArg(POLICY)).as("same policy, same handle").isEqualTo(a);
    assertThat(new SqlServerTrustManager(a).policy()).isSameAs(POLICY);
    assertThat(new SqlServerTrustManager(b).policy()).isSameAs(other);
  }

  @Test
  void trustManager_unknownHandle_refusesToExist() {
    assertThatThrownBy(() -> new SqlServerTrustManager("moat-policy-guessed"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("names no Moat policy registered");
  }

  @ParameterizedTest(name = "encrypt={0}")
  @ValueSource(strings = {"false", "optional", "no", "FALSE"})
  void check_encryptOff_refusedAsPlaintext(String value) {
    assertThatThrownBy(() -> SqlServerTls.check(POLICY, URL + ";encrypt=" + value + ";password=Secr3t!", new Properties()))
        .isInstanceOf(PlaintextRefusedException.class)
        .hasMessageContaining("[check: PLAINTEXT]")
        .hasMessageContaining("encrypt=" + value.toLowerCase(java.util.Locale.ROOT))
        .hasMessageContaining("insecureAllowPlaintextTo(\"db.example.com\"")
        .hasMessageNotContaining("Secr3t!");
  }

  @Test
  void check_encryptOffInProperties_refused() {
    Properties p = new Properties();
    p.setProperty("Encrypt", "false");
    p.setProperty("password", "Secr3t!");
    assertThatThrownBy(() -> SqlServerTls.check(POLICY, URL, p))
        .isInstanceOf(PlaintextRefusedException.class)
        .hasMessageNotContaining("Secr3t!");
  }

  @Test
  void check_encryptOffToExemptedHost_allowed() {
    TlsPolicy dev = POLICY.toBuilder().insecureAllowPlaintextTo("db.example.com", "local dev server").build();
    SqlServerTls.check(dev, URL + ";encrypt=false", new Properties());
    assertThat(SqlServerTls.secureUrl(dev, URL + ";encrypt=false", new Properties())).contains(";encrypt=false");
  }

  @Test
  void check_trustServerCertificate_refusedWithFix() {
    assertThatThrownBy(() -> SqlServerTls.check(POLICY, URL + ";trustServerCertificate=true;password=Secr3t!", new Properties()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Refused SQL Server connection settings for db.example.com: trustServerCertificate=true accepts"
                + " any certificate, so anyone on the path can read the password.\n"
                + "  Fix: remove trustServerCertificate (or set it to false) and let the policy trust the"
                + " server's CA: TlsPolicy.builder().trustRoot(caCertificate), or"
                + " .trustRootFor(\"db.example.com\", caCertificate) for this server only.");
  }

  @Test
  void check_trustStore_refusedWithoutEchoingPassword() {
    Properties p = new Properties();
    p.setProperty("trustStore", "/etc/ssl/db.jks");
    p.setProperty("trustStorePassword", "St0rePass!");
    assertThatThrownBy(() -> SqlServerTls.check(POLICY, URL, p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trustStore would be ignored")
        .hasMessageContaining("trustRootsFrom(keyStore)")
        .hasMessageNotContaining("St0rePass!");
  }

  @Test
  void check_serverCertificate_refusedPointingToPins() {
    assertThatThrownBy(() -> SqlServerTls.check(POLICY, URL + ";serverCertificate=/tmp/db.cer", new Properties()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("serverCertificate")
        .hasMessageContaining(".pin(\"db.example.com\"");
  }

  @Test
  void check_foreignTrustManagerClass_refused() {
    assertThatThrownBy(() -> SqlServerTls.check(POLICY,
            URL + ";trustManagerClass=com.example.TrustAll", new Properties()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trustManagerClass names a trust manager other than Moat's");
  }

  @Test
  void check_moatTrustManagerWithAnotherPolicysHandle_refused() {
    TlsPolicy other = TlsPolicy.builder().trustRoot(TestPki.create("other.test").root()).build();
    String url = URL + ";trustManagerClass=" + SqlServerTrustManager.class.getName()
        + ";trustManagerConstructorArg=" + SqlServerTrustManager.constructorArg(other);
    assertThatThrownBy(() -> SqlServerTls.check(POLICY, url, new Properties()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trustManagerConstructorArg selects another trust decision");
    SqlServerTls.check(other, url, new Properties());
  }

  @Test
  void secureUrl_samePolicyHandleBoundToAnotherHostInProperties_refused() {
    Properties info = new Properties();
    info.setProperty("trustManagerClass", SqlServerTrustManager.class.getName());
    info.setProperty("trustManagerConstructorArg",
        SqlServerTrustManager.constructorArg(POLICY, "elsewhere.example.com"));
    assertThatThrownBy(() -> SqlServerTls.secureUrl(POLICY, URL, info))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trustManagerConstructorArg selects another trust decision");
    info.setProperty("trustManagerConstructorArg", SqlServerTrustManager.constructorArg(POLICY));
    SqlServerTls.secureUrl(POLICY, URL, info);
  }

  @Test
  void check_hostNameInCertificateWildcard_refused() {
    assertThatThrownBy(() -> SqlServerTls.check(POLICY, URL + ";hostNameInCertificate=*.example.com", new Properties()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hostNameInCertificate must be one exact host name");
  }

  @Test
  void check_hostNameInCertificateSkippingPins_refusedAsContradiction() {
    TlsPolicy pinned = POLICY.toBuilder()
        .pin("db.example.com", TestPki.unrelatedPins(2).get(0).toString(), TestPki.unrelatedPins(2).get(1).toString())
        .build();
    assertThatThrownBy(() -> SqlServerTls.check(pinned, URL + ";hostNameInCertificate=other.example.com", new Properties()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("contradicts the policy");
  }

  @Test
  void check_hostNameInCertificatePullingInAnotherHostsRoot_refusedAsContradiction() {
    TlsPolicy policy = POLICY.toBuilder()
        .trustRootFor("dev-db.internal", TestPki.create("dev-db.internal").root())
        .build();
    assertThatThrownBy(() -> SqlServerTls.secureUrl(policy, URL + ";hostNameInCertificate=dev-db.internal",
            new Properties()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("contradicts the policy");
    SqlServerTls.check(POLICY, URL + ";hostNameInCertificate=other.example.com", new Properties());
  }

  @Test
  void check_oldSslProtocol_refused() {
    assertThatThrownBy(() -> SqlServerTls.check(POLICY, URL + ";sslProtocol=TLSv1.1", new Properties()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sslProtocol=TLSv1.1");
  }

  @Test
  void secureUrl_bracedValuesAndStrict_keepsOthersReplacesTrust() {
    String url = "jdbc:sqlserver://db.example.com\\inst:1433;encrypt=strict;applicationName={a;b}};c}"
        + ";trustServerCertificate=false";
    String secured = SqlServerTls.secureUrl(POLICY, url, new Properties());
    assertThat(secured)
        .startsWith("jdbc:sqlserver://db.example.com\\inst:1433;applicationName={a;b}};c};encrypt=strict;")
        .contains(";trustServerCertificate=false;trustManagerClass=" + SqlServerTrustManager.class.getName())
        .contains(";trustManagerConstructorArg=" + SqlServerTrustManager.constructorArg(POLICY));
  }

  @Test
  void configure_dataSourceWithTrustServerCertificate_refused() {
    SQLServerDataSource ds = new SQLServerDataSource();
    ds.setServerName("db.example.com");
    ds.setTrustServerCertificate(true);
    assertThatThrownBy(() -> SqlServerTls.configure(ds, POLICY, SqlServerEncryption.MANDATORY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trustServerCertificate=true");
  }

  @Test
  void check_noHost_refused() {
    assertThatThrownBy(() -> SqlServerTls.check(POLICY, "jdbc:sqlserver://;databaseName=x", new Properties()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("No SQL Server host name");
  }
}
