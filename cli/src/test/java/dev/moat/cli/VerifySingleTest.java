package dev.moat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.testkit.BadTls;
import dev.moat.testkit.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code moat verify --roots --chain --host}: exit 0 / 1 / 2. */
class VerifySingleTest {
  @TempDir Path dir;
  final TestPki pki = TestPki.shared();

  @Test
  void verify_goodChain_acceptsWithPath() throws Exception {
    CliRun run = CliRun.of("verify", "--roots", roots(), "--chain", write("chain.pem", pki.chainPem()), "--host", "localhost");

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).startsWith("ACCEPT localhost at ").contains("path CN=localhost -> ");
  }

  @Test
  void verify_wrongHostAndFutureTime_refusedWithFullRefusalText() throws Exception {
    String chain = write("chain.pem", pki.chainPem());
    long inTenYears = Instant.now().getEpochSecond() + 3650L * 86400;

    CliRun wrongHost = CliRun.of("verify", "--roots", roots(), "--chain", chain, "--host", "db.example.com");
    CliRun later = CliRun.of("verify", "--roots", roots(), "--chain", chain, "--host", "localhost",
        "--time", Long.toString(inTenYears));

    assertThat(wrongHost.exit()).as(wrongHost.toString()).isEqualTo(1);
    assertThat(wrongHost.out()).isEmpty();
    assertThat(wrongHost.err().lines().findFirst().orElseThrow())
        .startsWith("moat verify: refused db.example.com [check: HOSTNAME]");
    assertThat(wrongHost.err()).contains("Refused").contains("(verify) [check: HOSTNAME]")
        .contains("localhost");
    assertThat(later.exit()).as(later.toString()).isEqualTo(1);
    assertThat(later.err()).contains("[check: EXPIRED]");
  }

  @Test
  void verify_clientChain_checksClientAuth() throws Exception {
    String client = write("client.pem", TestPki.toPem(pki.clientIdentity("alice").chain()));
    String server = write("server.pem", TestPki.toPem(BadTls.byName("NO_SERVER_AUTH_EKU").credentials().orElseThrow().chain()));

    CliRun ok = CliRun.of("verify", "--client", "--roots", roots(), "--chain", client);
    CliRun serverWithClientCert = CliRun.of("verify", "--roots", roots(), "--chain", server, "--host", "localhost");

    assertThat(ok.exit()).as(ok.toString()).isZero();
    assertThat(serverWithClientCert.exit()).isEqualTo(1);
    assertThat(serverWithClientCert.err()).contains("[check: EXTENDED_KEY_USAGE]");
  }

  @Test
  void verify_garbageOrMissingFiles_exitTwoWithOneLine() throws Exception {
    String garbage = write("garbage.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    String text = write("text.pem", "nothing to see");

    for (CliRun run : List.of(
        CliRun.of("verify", "--roots", garbage, "--chain", roots(), "--host", "localhost"),
        CliRun.of("verify", "--roots", roots(), "--chain", text, "--host", "localhost"),
        CliRun.of("verify", "--roots", dir.resolve("missing.pem").toString(), "--chain", roots(), "--host", "x"),
        CliRun.of("verify", "--roots", roots(), "--chain", roots()))) {
      assertThat(run.exit()).as(run.toString()).isEqualTo(2);
      assertThat(run.err().lines().count()).as(run.toString()).isLessThanOrEqualTo(2);
      assertThat(run.err()).startsWith("moat verify: ").doesNotContain("\tat ");
    }
  }

  @Test
  void verify_debug_printsStackTrace() throws Exception {
    CliRun run = CliRun.of("verify", "--debug", "--roots", roots(), "--chain", write("c.pem", pki.chainPem()),
        "--host", "other.example");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("\tat ");
  }

  private String roots() throws Exception {
    return write("roots.pem", pki.rootPem());
  }

  private String write(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.US_ASCII).toString();
  }
}
