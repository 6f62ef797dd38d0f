package dev.moat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.moat.core.Check;
import dev.moat.core.Pin;
import dev.moat.testkit.BadTls;
import dev.moat.testkit.Scenario;
import dev.moat.testkit.TestPki;
import dev.moat.testkit.TlsTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code moat inspect} against a real loopback server for every scenario of the bad-TLS catalog:
 * the verdict, exit status and typed check must be the ones the catalog expects.
 */
class InspectCatalogTest {
  @TempDir static Path dir;

  @ParameterizedTest(name = "{0} / moat inspect")
  @MethodSource("dev.moat.testkit.BadTls#catalog")
  void inspect_catalogScenario_reportsExpectedVerdict(Scenario scenario) throws Exception {
    assumeFalse(scenario.unavailableReason().isPresent(), () -> scenario.unavailableReason().orElse(""));
    Path root = dir.resolve("root-" + scenario.name() + ".pem");
    Files.writeString(root, TestPki.toPem(List.of(scenario.trustRoot())), StandardCharsets.US_ASCII);
    try (TlsTestServer server = TlsTestServer.start(scenario)) {
      List<String> args = new ArrayList<>(List.of(
          "inspect", scenario.host() + ":" + server.port(), "--trust", root.toString(), "--timeout", "10"));
      for (String pin : scenario.pins()) {
        args.add("--pin");
        args.add(pin);
      }
      CliRun run = CliRun.of(args.toArray(new String[0]));

      if (scenario.expectsSuccess()) {
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out())
            .contains("Verdict: ACCEPTED")
            .contains("TLS version   TLSv1.3")
            .contains("0 CN=localhost")
            .contains("DNS:localhost")
            .contains(Pin.of(scenario.pki().leaf()).toString())
            .contains(Pin.of(scenario.pki().intermediate()).toString());
        assertThat(run.err()).isEmpty();
      } else {
        Check expected = scenario.expectedCheck().orElseThrow();
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("Verdict: REFUSED [check: " + expected + "]");
        // One line, then the refusal's full text, on stderr.
        assertThat(run.err().lines().findFirst().orElse(""))
            .startsWith("moat inspect: refused localhost:" + server.port())
            .contains("[check: " + expected + "]");
        assertThat(run.err()).contains("[check: " + expected + "]\n").doesNotContain("\tat ");
      }
    }
  }

  static List<Scenario> catalog() {
    return BadTls.catalog();
  }
}
