package dev.moat.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.sqlserver.jdbc.SQLServerDataSource;
import dev.moat.core.Check;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusals;
import dev.moat.testkit.Credentials;
import dev.moat.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mssqlserver.MSSQLServerContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * {@code SELECT 1} against a real SQL Server 2022, over strict (TDS 8) and mandatory (TDS 7)
 * encryption, with a server certificate from testkit that only the Moat policy trusts.
 *
 * <p>Runs where Docker is, with {@code -Dmoat.sqlserver.image=<Microsoft's mssql/server:2022-latest
 * image, as your registry names it>}; disabled without Docker, skipped without the image name.
 * Accepting the image's licence (EULA) is the user's call: setting the property accepts it.
 */
@Testcontainers(disabledWithoutDocker = true)
class SqlServerContainerIT {
  private static final String IMAGE_PROPERTY = "moat.sqlserver.image";
  private static final TestPki PKI = TestPki.create("localhost");
  private static MSSQLServerContainer server;

  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    String image = System.getProperty(IMAGE_PROPERTY, "");
    assumeTrue(!image.isBlank(), "set -D" + IMAGE_PROPERTY + "=<the SQL Server 2022 image> to run this test");
    // SQL Server on Linux wants an RSA key; the leaf names localhost, which is what the client dials.
    Credentials tls = PKI.leafBuilder().issuer(PKI.intermediateCredentials()).rsaKey(2048).build();
    Path cert = Files.writeString(dir.resolve("server.crt"), TestPki.toPem(tls.chain()));
    Path key = Files.writeString(dir.resolve("server.key"), TestPki.toPkcs8Pem(tls.key()));
    Path conf = Files.writeString(dir.resolve("mssql.conf"), "[network]\n"
        + "tlscert = /var/opt/mssql/moat/server.crt\n"
        + "tlskey = /var/opt/mssql/moat/server.key\n"
        + "tlsprotocols = 1.2\n"
        + "forceencryption = 1\n");
    server = new MSSQLServerContainer(DockerImageName.parse(image))
        .acceptLicense()
        .withCopyToContainer(MountableFile.forHostPath(cert, 0644), "/var/opt/mssql/moat/server.crt")
        .withCopyToContainer(MountableFile.forHostPath(key, 0644), "/var/opt/mssql/moat/server.key")
        .withCopyToContainer(MountableFile.forHostPath(conf, 0644), "/var/opt/mssql/mssql.conf")
        .withStartupTimeout(Duration.ofMinutes(3));
    server.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
  }

  private static SQLServerDataSource dataSource(TlsPolicy policy, SqlServerEncryption encryption) {
    SQLServerDataSource ds =
        SqlServerTls.dataSource(policy, "localhost", server.getMappedPort(1433), "master", encryption);
    ds.setUser(server.getUsername());
    ds.setPassword(server.getPassword());
    ds.setLoginTimeout(30);
    return ds;
  }

  private static int selectOne(SQLServerDataSource ds) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT 1")) {
      assertThat(r.next()).isTrue();
      return r.getInt(1);
    }
  }

  @Test
  void selectOne_strictEncryption_overVerifiedTls() throws Exception {
    TlsPolicy policy = TlsPolicy.builder().trustRoot(PKI.root()).build();
    assertThat(selectOne(dataSource(policy, SqlServerEncryption.STRICT))).isEqualTo(1);
  }

  @Test
  void selectOne_mandatoryEncryption_overVerifiedTls() throws Exception {
    TlsPolicy policy = TlsPolicy.builder().trustRoot(PKI.root()).build();
    assertThat(selectOne(dataSource(policy, SqlServerEncryption.MANDATORY))).isEqualTo(1);
  }

  @Test
  void connect_policyThatDoesNotTrustTheServer_refusedWithTrustPath() {
    TlsPolicy other = TlsPolicy.builder().trustRoot(TestPki.create("localhost").root()).build();
    assertThatThrownBy(() -> selectOne(dataSource(other, SqlServerEncryption.STRICT)))
        .satisfies(e -> assertThat(TlsRefusals.find(e))
            .hasValueSatisfying(r -> assertThat(r.check()).isEqualTo(Check.TRUST_PATH)));
  }
}
