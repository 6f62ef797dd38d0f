package dev.moat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.testkit.BadTls;
import dev.moat.testkit.Scenario;
import dev.moat.testkit.TlsTestServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

/**
 * A TLS 1.0/1.1 catalog scenario in a JVM where testkit could not re-enable those versions: skipped
 * locally, but under {@code CI=true} or {@code -Dmoat.requireServers=true} asking for it fails
 * loudly, so catalog tests in CI never skip it silently nor pass it vacuously. Each case runs in a
 * fresh JVM that creates an SSLContext before any testkit class loads (what makes the versions
 * unavailable).
 */
class LegacyScenarioUnderCiTest {
  private static final long WAIT_SECONDS = 60;

  /** Runs in the child JVM: JSSE first, then the scenario; prints what happened, one line each. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, null, null);
      SSLEngine engine = context.createSSLEngine("localhost", 443);
      engine.setUseClientMode(true);
      engine.beginHandshake();
      engine.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(engine.getSession().getPacketBufferSize()));

      Scenario scenario = BadTls.byName(args[0]);
      try {
        System.out.println("reason: " + scenario.unavailableReason().orElse("(none)"));
      } catch (IllegalStateException e) {
        System.out.println("thrown: " + e.getMessage());
      }
      try (TlsTestServer server = TlsTestServer.start(scenario)) {
        System.out.println("started: " + server.port());
      } catch (IllegalStateException e) {
        System.out.println("start thrown: " + e.getMessage());
      }
    }
  }

  static List<String> runChild(String scenario, Map<String, String> env, String... jvmArgs)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.addAll(List.of(jvmArgs));
    command.add(Child.class.getName());
    command.add(scenario);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("CI");
    pb.environment().putAll(env);
    Process p = pb.start();
    try {
      p.getOutputStream().close();
      assertThat(p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("child JVM finished in time").isTrue();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(out).isZero();
      return out.lines().toList();
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void legacyScenarioUnavailable_locally_reportsReasonToSkipOn() throws Exception {
    List<String> out = runChild("TLS_1_0_ONLY", Map.of());
    assertThat(out).anySatisfy(l -> assertThat(l).startsWith("reason: TLS 1.0/1.1 stay disabled"));
    assertThat(out).anySatisfy(l -> assertThat(l).startsWith("start thrown: TLS_1_0_ONLY: TLS 1.0/1.1 stay disabled"));
  }

  @Test
  void legacyScenarioUnavailable_requireServers_failsLoudlyInsteadOfSkipping() throws Exception {
    List<String> out = runChild("TLS_1_1_ONLY", Map.of(), "-Dmoat.requireServers=true");
    assertThat(out).noneSatisfy(l -> assertThat(l).startsWith("reason:"));
    assertThat(out).anySatisfy(l -> assertThat(l).startsWith("thrown: TLS_1_1_ONLY: TLS 1.0/1.1 stay disabled")
        .contains("-Dmoat.requireServers=true"));
    assertThat(out).anySatisfy(l -> assertThat(l).startsWith("start thrown: TLS_1_1_ONLY"));
  }

  @Test
  void legacyScenarioUnavailable_ciEnvironment_failsLoudlyInsteadOfSkipping() throws Exception {
    List<String> out = runChild("TLS_1_0_ONLY", Map.of("CI", "true"));
    assertThat(out).anySatisfy(l -> assertThat(l).startsWith("thrown: TLS_1_0_ONLY: TLS 1.0/1.1 stay disabled"));
  }

  @Test
  void modernScenario_requireServers_noReasonAndServes() throws Exception {
    List<String> out = runChild("EXPIRED", Map.of("CI", "true"));
    assertThat(out).contains("reason: (none)");
    assertThat(out).anySatisfy(l -> assertThat(l).startsWith("started: "));
  }
}
