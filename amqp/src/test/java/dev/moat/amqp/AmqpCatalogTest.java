package dev.moat.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.moat.core.TlsRefusalException;
import dev.moat.core.TlsRefusals;
import dev.moat.testkit.BadTls;
import dev.moat.testkit.Scenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.message.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole bad-TLS catalog against a real Artemis broker: one AMQP acceptor per scenario (the
 * scenario's certificate, TLS versions and cipher suites; a plaintext acceptor for PLAINTEXT), one
 * broker start. Every bad case is refused with its typed check within the client's timeout; GOOD
 * sends a message and receives it back.
 */
@Timeout(120)
class AmqpCatalogTest {
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);
  /**
   * Artemis's AMQP-only plaintext acceptor never answers a TLS ClientHello (it waits for an AMQP
   * header), so the client can only notice the silence; a short timeout keeps the run quick.
   */
  private static final Duration SILENT_PEER_TIMEOUT = Duration.ofSeconds(3);

  @TempDir static Path dir;
  private static ArtemisBroker broker;

  static Stream<Scenario> catalog() {
    return BadTls.catalog().stream();
  }

  @BeforeAll
  static void startBroker() throws Exception {
    List<ArtemisBroker.Acceptor> acceptors = new ArrayList<>();
    for (Scenario scenario : BadTls.catalog()) {
      if (scenario.plaintext()) {
        acceptors.add(ArtemisBroker.Acceptor.plaintext(scenario.name()));
      } else {
        acceptors.add(ArtemisBroker.Acceptor.tls(scenario.name(), scenario.credentials().get(),
            scenario.serverProtocols(), scenario.serverCipherSuites()));
      }
    }
    broker = ArtemisBroker.start(dir, UUID.randomUUID().toString(), acceptors);
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("catalog")
  void connect_catalogScenario_refusedWithExpectedCheckOrMovesData(Scenario scenario)
      throws Exception {
    assumeTrue(scenario.unavailableReason().isEmpty(),
        () -> scenario.unavailableReason().orElse(""));
    int port = broker.port(scenario.name());
    String uri = "amqps://" + scenario.host() + ":" + port;

    if (scenario.expectsSuccess()) {
      String body = "hello over verified TLS " + UUID.randomUUID();
      try (AmqpClient client =
          ProtonTls.connect(scenario.policy(), uri, AmqpSasl.anonymous(), CLIENT_TIMEOUT)) {
        client.send(ArtemisBroker.QUEUE, body);
        Optional<Message> received = client.receive(ArtemisBroker.QUEUE, CLIENT_TIMEOUT);
        assertThat(received).isPresent();
        assertThat(((AmqpValue) received.get().getBody()).getValue()).isEqualTo(body);
      }
      return;
    }

    Duration timeout = scenario.plaintext() ? SILENT_PEER_TIMEOUT : CLIENT_TIMEOUT;
    long start = System.nanoTime();
    Throwable thrown = catchThrowable(
        () -> ProtonTls.connect(scenario.policy(), uri, AmqpSasl.anonymous(), timeout).close());
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(thrown).as("connecting to %s", scenario).isInstanceOf(AmqpException.class)
        .isNotInstanceOf(AmqpTimeoutException.class);
    Optional<TlsRefusalException> refusal =
        TlsRefusals.explain(thrown, scenario.host(), port, ProtonTls.PROTOCOL);
    assertThat(refusal).as("refusal behind %s", thrown).isPresent();
    assertThat(refusal.get().check()).isEqualTo(scenario.expectedCheck().orElseThrow());
    assertThat(TlsRefusals.find(thrown)).as("found without explain").isPresent();
    assertThat(thrown.getMessage()).contains("amqps://" + scenario.host() + ":" + port);
    assertThat(took).isLessThan(timeout.plusSeconds(2));
  }
}
