package dev.moat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.cli.internal.Json;
import dev.moat.core.Pin;
import dev.moat.testkit.BadTls;
import dev.moat.testkit.TestPki;
import dev.moat.testkit.TlsTestServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
  @TempDir static Path dir;
  static Path root;
  static TestPki pki;

  @BeforeAll
  static void writeRoot() throws Exception {
    pki = TestPki.shared();
    root = dir.resolve("root.pem");
    Files.writeString(root, pki.rootPem(), StandardCharsets.US_ASCII);
  }

  @Test
  void inspect_goodServerWithJson_printsOneDocumentWithChainAndVerdict() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(pki)) {
      CliRun run = CliRun.of("inspect", "localhost:" + server.port(), "--trust", root.toString(), "--json");

      assertThat(run.exit()).as(run.toString()).isZero();
      assertThat(run.out().strip().lines()).hasSize(1);
      @SuppressWarnings("unchecked")
      Map<String, Object> doc = (Map<String, Object>) Json.parse(run.out().strip());
      assertThat(doc).containsEntry("verdict", "ACCEPT").containsEntry("tls_version", "TLSv1.3")
          .containsEntry("protocol", "https").containsEntry("check", null);
      List<?> chain = (List<?>) doc.get("chain");
      assertThat(chain).hasSize(2);
      Map<?, ?> leaf = (Map<?, ?>) chain.get(0);
      assertThat(leaf.get("pin")).isEqualTo(Pin.of(pki.leaf()).toString());
      assertThat(String.valueOf(leaf.get("sans"))).contains("DNS:localhost");
      assertThat(leaf.get("key_type")).isEqualTo("EC");
    }
  }

  @Test
  void inspect_expiredServerWithJson_refusesWithCheckAndFullMessage() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(BadTls.byName("EXPIRED"))) {
      CliRun run = CliRun.of("inspect", "localhost:" + server.port(), "--trust", root.toString(), "--json",
          "--protocol", "redis");

      assertThat(run.exit()).as(run.toString()).isEqualTo(1);
      @SuppressWarnings("unchecked")
      Map<String, Object> doc = (Map<String, Object>) Json.parse(run.out().strip());
      assertThat(doc).containsEntry("verdict", "REFUSE").containsEntry("check", "EXPIRED");
      assertThat((String) doc.get("message")).contains("(redis)").contains("[check: EXPIRED]");
      assertThat(run.err()).startsWith("moat inspect: refused localhost:" + server.port() + " (redis) [check: EXPIRED]");
    }
  }

  @Test
  void inspect_matchingSinglePin_accepts_andOtherPin_refusesWithPinCheck() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(pki)) {
      String target = "localhost:" + server.port();
      CliRun ok = CliRun.of("inspect", target, "--trust", root.toString(), "--pin", Pin.of(pki.intermediate()).toString());
      CliRun bad = CliRun.of("inspect", target, "--trust", root.toString(), "--pin", pki.unrelatedPin().toString());

      assertThat(ok.exit()).as(ok.toString()).isZero();
      assertThat(bad.exit()).as(bad.toString()).isEqualTo(1);
      assertThat(bad.err()).contains("[check: PIN]");
    }
  }

  @Test
  void inspect_withoutTrust_usesPlatformRootsAndRefusesTestRoot() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(pki)) {
      CliRun run = CliRun.of("inspect", "localhost:" + server.port());

      assertThat(run.exit()).as(run.toString()).isEqualTo(1);
      assertThat(run.out()).contains("Verdict: REFUSED [check: TRUST_PATH]");
    }
  }

  @Test
  void inspect_closedPort_exitsUnreachableWithOneLine() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    CliRun run = CliRun.of("inspect", "127.0.0.1:" + port, "--connect-timeout", "2");

    assertThat(run.exit()).as(run.toString()).isEqualTo(3);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).contains("cannot inspect 127.0.0.1:" + port).contains("connection refused");
  }

  @Test
  void inspect_serverThatNeverAnswers_givesUpWithinTheBound() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try (Socket s = silent.accept()) {
          s.setSoTimeout(10_000);
          s.getInputStream().readAllBytes(); // reads the ClientHello, says nothing
        } catch (Exception e) {
          // closed by the test
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      long start = System.nanoTime();
      CliRun run = CliRun.of("inspect", "127.0.0.1:" + silent.getLocalPort(), "--timeout", "1");
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(run.exit()).as(run.toString()).isEqualTo(3);
      assertThat(run.err()).contains("no complete TLS handshake within 1 s");
      assertThat(took).isLessThan(Duration.ofSeconds(8));
    }
  }

  @Test
  void inspect_sqlserverTdsStrict_speaksTlsFirstWithAlpn() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(pki)) {
      CliRun run = CliRun.of("inspect", "localhost:" + server.port(), "--protocol", "sqlserver", "--tds-strict",
          "--trust", root.toString());

      assertThat(run.exit()).as(run.toString()).isZero();
      assertThat(run.out()).contains("moat inspect localhost:" + server.port() + " (sqlserver)");
    }
  }

  @Test
  void inspect_sqlserverAgainstPlainTlsServer_failsClearlyWithinBound() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(pki)) {
      CliRun run = CliRun.of("inspect", "localhost:" + server.port(), "--protocol", "sqlserver", "--timeout", "3");

      assertThat(run.exit()).as(run.toString()).isEqualTo(3);
      assertThat(run.err()).startsWith("moat inspect: cannot inspect localhost:" + server.port()).doesNotContain("\tat ");
    }
  }

  @Test
  void inspect_badArguments_exitTwoWithoutStackTrace() throws Exception {
    Path garbage = dir.resolve("garbage.pem");
    Files.writeString(garbage, "-----BEGIN CERTIFICATE-----\nnot base64 !!\n-----END CERTIFICATE-----\n");

    CliRun unknownOption = CliRun.of("inspect", "localhost:443", "--frobnicate");
    CliRun badPem = CliRun.of("inspect", "localhost:443", "--trust", garbage.toString());
    CliRun missing = CliRun.of("inspect", "localhost:443", "--trust", dir.resolve("nope.pem").toString());
    CliRun badPort = CliRun.of("inspect", "localhost:99999");
    CliRun badProtocol = CliRun.of("inspect", "localhost", "--protocol", "gopher");
    CliRun badRevocation = CliRun.of("inspect", "localhost", "--revocation", "maybe");

    for (CliRun run : List.of(unknownOption, badPem, missing, badPort, badProtocol, badRevocation)) {
      assertThat(run.exit()).as(run.toString()).isEqualTo(2);
      assertThat(run.err()).as(run.toString()).startsWith("moat inspect: ").doesNotContain("\tat ");
    }
    assertThat(unknownOption.err()).contains("Unknown option: '--frobnicate'");
    assertThat(badPem.err()).contains("not valid base64");
    assertThat(badPort.err()).contains("outside 1..65535");
  }

  @Test
  void help_everySubcommand_printsUsageAndExitsZero() {
    for (String sub : List.of("inspect", "pins", "verify")) {
      CliRun run = CliRun.of(sub, "--help");
      assertThat(run.exit()).as(run.toString()).isZero();
      assertThat(run.out()).startsWith("Usage: moat " + sub);
    }
    assertThat(CliRun.of("--help").out()).contains("inspect").contains("pins").contains("verify");
  }
}
