package dev.moat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.moat.core.Check;
import dev.moat.testkit.Scenario;
import dev.moat.testkit.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code moat inspect --protocol sqlserver} through the TDS 7 PRELOGIN exchange, the TLS handshake
 * framed in PRELOGIN packets, for every scenario of the bad-TLS catalog; the plaintext scenario is
 * a server that answers ENCRYPT_NOT_SUP.
 */
class InspectSqlServerCatalogTest {
  @TempDir static Path dir;

  @ParameterizedTest(name = "{0} / moat inspect --protocol sqlserver")
  @MethodSource("dev.moat.testkit.BadTls#catalog")
  void inspectSqlServer_catalogScenario_reportsExpectedVerdict(Scenario scenario) throws Exception {
    assumeFalse(scenario.unavailableReason().isPresent(), () -> scenario.unavailableReason().orElse(""));
    Path root = dir.resolve("root-" + scenario.name() + ".pem");
    Files.writeString(root, TestPki.toPem(List.of(scenario.trustRoot())), StandardCharsets.US_ASCII);
    try (TdsTestServer server = TdsTestServer.start(scenario)) {
      List<String> args = new ArrayList<>(List.of("inspect", "localhost:" + server.port(),
          "--protocol", "sqlserver", "--trust", root.toString()));
      for (String pin : scenario.pins()) {
        args.add("--pin");
        args.add(pin);
      }
      CliRun run = CliRun.of(args.toArray(new String[0]));

      if (scenario.expectsSuccess()) {
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Verdict: ACCEPTED").contains("TLS version   TLSv1.")
            .contains("0 CN=localhost");
      } else {
        Check expected = scenario.expectedCheck().orElseThrow();
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("Verdict: REFUSED [check: " + expected + "]");
        assertThat(run.err()).contains("(sqlserver) [check: " + expected + "]");
      }
      if (scenario.plaintext()) {
        assertThat(run.err()).contains("ENCRYPT_NOT_SUP");
        assertThat(server.packetsAfterNotSupported()).isZero();
      }
    }
  }
}
