package dev.moat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.testkit.BadTls;
import dev.moat.testkit.Scenario;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoTest {
  @Test
  void demo_wholeCatalog_printsARefusedRowWithTheExpectedCheckForEveryBadScenario() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long start = System.nanoTime();
    List<Demo.Row> rows;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      rows = Demo.run(out, Demo.clients());
    }
    String table = bytes.toString(StandardCharsets.UTF_8);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMinutes(1));
    assertThat(rows).hasSize(BadTls.catalog().size() * Demo.clients().size());
    assertThat(rows).as(table).allMatch(Demo.Row::asExpected);
    for (Scenario scenario : BadTls.catalog()) {
      if (scenario.unavailableReason().isPresent()) {
        assertThat(table).containsPattern("(?m)^" + scenario.name() + " +SSLSocket +skipped ");
      } else if (scenario.expectsSuccess()) {
        assertThat(table).containsPattern("(?m)^" + scenario.name() + " +SSLSocket +accepted +sent 'ping', echoed 'ping'$");
      } else {
        assertThat(table).as(table).containsPattern(
            "(?m)^" + scenario.name() + " +SSLSocket +refused +" + scenario.expectedCheck().orElseThrow() + "$");
      }
    }
    assertThat(table).contains("0 unexpected");
  }

  @Test
  void coreSocketExample_main_echoesOnGoodAndRefusesExpired() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      CoreSocketExample.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out).contains("good server:    sent 'hello', echoed 'hello'")
        .contains("expired server: refused, Refused TLS connection to localhost:")
        .contains("[check: EXPIRED]");
  }
}
