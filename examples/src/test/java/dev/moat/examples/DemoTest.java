package dev.moat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.testkit.BadTls;
import dev.moat.testkit.Scenario;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DemoTest {
  static {
    // testkit re-enables TLS 1.0/1.1 for the legacy scenarios; it must happen before anything in
    // this JVM (MockWebServer, OkHttp, the SQL Server driver) creates an SSLContext.
    BadTls.names();
  }

  /** What each client's accepted GOOD row says. */
  private static final List<String> CLIENTS_AND_GOOD_ROWS = List.of(
      "SSLSocket", "sent 'ping', echoed 'ping'",
      "OkHttp", "GET 200 '" + LocalHttps.BODY + "'",
      "java.net.http", "GET 200 '" + LocalHttps.BODY + "'",
      "SQL Server", "TLSv1.3 handshake passed, then login failed: no SQL Server here");

  @Test
  void demo_wholeCatalog_printsARefusedRowWithTheExpectedCheckForEveryBadScenarioAndClient() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long start = System.nanoTime();
    List<Demo.Row> rows;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      rows = Demo.run(out, Demo.clients());
    }
    String table = bytes.toString(StandardCharsets.UTF_8);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).as(table).isLessThan(Duration.ofMinutes(1));
    assertThat(Demo.clients()).extracting(Demo.DemoClient::name)
        .containsExactly("SSLSocket", "OkHttp", "java.net.http", "SQL Server");
    assertThat(rows).hasSize(BadTls.catalog().size() * Demo.clients().size());
    assertThat(rows).as(table).allMatch(Demo.Row::asExpected);
    for (int i = 0; i < CLIENTS_AND_GOOD_ROWS.size(); i += 2) {
      String client = Pattern.quote(CLIENTS_AND_GOOD_ROWS.get(i));
      String good = Pattern.quote(CLIENTS_AND_GOOD_ROWS.get(i + 1));
      for (Scenario scenario : BadTls.catalog()) {
        String row = "(?m)^" + scenario.name() + " +" + client + " +";
        if (scenario.unavailableReason().isPresent()) {
          assertThat(table).as(table).containsPattern(row + "skipped ");
        } else if (scenario.expectsSuccess()) {
          assertThat(table).as(table).containsPattern(row + "accepted +" + good + "$");
        } else {
          assertThat(table).as(table)
              .containsPattern(row + "refused +" + scenario.expectedCheck().orElseThrow() + "$");
        }
      }
    }
    assertThat(table).contains("0 unexpected");
  }

  @Test
  void coreSocketExample_main_echoesOnGoodAndRefusesExpired() throws Exception {
    String out = runMain(() -> CoreSocketExample.main(new String[0]));

    assertThat(out).contains("good server:    sent 'hello', echoed 'hello'")
        .contains("expired server: refused, Refused TLS connection to localhost:")
        .contains("[check: EXPIRED]");
  }

  @Test
  void okHttpExample_main_getsFromGoodAndRefusesExpiredAndPlaintext() throws Exception {
    String out = runMain(() -> OkHttpExample.main(new String[0]));

    assertThat(out).contains("OkHttp, good server:        200 '" + LocalHttps.BODY + "'")
        .contains("OkHttp, expired server:     refused, Refused TLS connection to localhost:")
        .contains("[check: EXPIRED]")
        .containsPattern("OkHttp, http:// URL: +refused, .*\\[check: PLAINTEXT\\]")
        .contains("java.net.http, good server: 200 '" + LocalHttps.BODY + "'");
  }

  @Test
  void sqlServerExample_main_handshakesWithGoodAndRefusesWrongHost() throws Exception {
    String out = runMain(() -> SqlServerExample.main(new String[0]));

    assertThat(out).containsPattern("good server: +TLS handshake passed \\(TLSv1\\.3, TLS_")
        .contains("then the login failed: no SQL Server behind this test server")
        .contains("wrong-host server: refused, Refused TLS connection to localhost:")
        .contains("[check: HOSTNAME]");
  }

  @Test
  void brokerExamples_withoutArguments_printUsage() throws Exception {
    assertThat(runMain(() -> MqttExample.main(new String[0])))
        .startsWith("usage: MqttExample ssl://HOST:PORT CA.pem").contains("mosquitto");
    assertThat(runMain(() -> AmqpExample.main(new String[0])))
        .startsWith("usage: AmqpExample amqps://").contains("Artemis");
    assertThat(runMain(() -> RedisExample.main(new String[0])))
        .startsWith("usage: RedisExample rediss://").contains("redis-server --port 0 --tls-port 6380");
  }

  interface Main {
    void run() throws Exception;
  }

  /** Runs a main with System.out captured (tests in this class run one at a time). */
  static String runMain(Main main) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      main.run();
    } finally {
      System.setOut(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
