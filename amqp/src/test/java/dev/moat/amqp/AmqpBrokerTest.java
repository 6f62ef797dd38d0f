package dev.moat.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.moat.core.Check;
import dev.moat.core.ClientIdentity;
import dev.moat.core.PlaintextRefusedException;
import dev.moat.core.TlsPolicy;
import dev.moat.testkit.Credentials;
import dev.moat.testkit.TestPki;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.message.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blocking client against a real Artemis broker with security on: SASL PLAIN over TLS with a
 * user the broker knows, SASL EXTERNAL with a client certificate the broker requires, broker
 * errors surfacing with their AMQP condition, and {@code amqp://} refused before any connection
 * reaches a plaintext acceptor.
 */
@Timeout(120)
class AmqpBrokerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String PASSWORD = "pw-" + UUID.randomUUID();

  @TempDir static Path dir;
  private static ArtemisBroker broker;
  private static TestPki pki;

  @BeforeAll
  static void startBroker() throws Exception {
    pki = TestPki.shared();
    broker = ArtemisBroker.start(dir, PASSWORD, List.of(
        ArtemisBroker.Acceptor.tls("tls", pki.goodChain(), List.of("TLSv1.3", "TLSv1.2"),
            List.of()),
        ArtemisBroker.Acceptor.tls("mtls", pki.goodChain(), List.of("TLSv1.3", "TLSv1.2"),
                List.of())
            .needClientAuth(pki.root())
            .saslMechanisms("EXTERNAL,PLAIN"),
        ArtemisBroker.Acceptor.plaintext("plain")));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  private static TlsPolicy policy() {
    return TlsPolicy.builder().trustRoot(pki.root()).build();
  }

  private static String uri(String acceptor) {
    return "amqps://localhost:" + broker.port(acceptor);
  }

  private static String roundTrip(AmqpClient client, String address) throws AmqpException {
    String body = "body-" + UUID.randomUUID();
    client.send(address, body);
    Optional<Message> received = client.receive(address, TIMEOUT);
    assertThat(received).as("message back from %s", address).isPresent();
    return (String) ((AmqpValue) received.get().getBody()).getValue() + "|" + body;
  }

  private static void assertSameBody(String pair) {
    String[] parts = pair.split("\\|");
    assertThat(parts[0]).isEqualTo(parts[1]);
  }

  @Test
  void connect_saslPlainOverTlsWithKnownUser_sendsAndReceives() throws Exception {
    try (AmqpClient client = ProtonTls.connect(policy(), uri("tls"),
        AmqpSasl.plain(ArtemisBroker.USER, PASSWORD.toCharArray()), TIMEOUT)) {
      assertSameBody(roundTrip(client, ArtemisBroker.QUEUE));
    }
  }

  @Test
  void connect_userAndPasswordInUri_usesSaslPlain() throws Exception {
    String uri = "amqps://" + ArtemisBroker.USER + ":" + PASSWORD + "@localhost:"
        + broker.port("tls");
    try (AmqpClient client = ProtonTls.connect(policy(), uri)) {
      assertThat(client.uri()).doesNotContain(PASSWORD).contains(ArtemisBroker.USER + ":***@");
      assertSameBody(roundTrip(client, ArtemisBroker.QUEUE));
    }
  }

  @Test
  void connect_saslPlainWrongPassword_refusedWithUnauthorizedCondition() {
    AmqpException e = catchThrowableOfType(AmqpException.class, () -> ProtonTls.connect(policy(),
        uri("tls"), AmqpSasl.plain(ArtemisBroker.USER, "wrong".toCharArray()), TIMEOUT));
    assertThat(e).isNotNull().isNotInstanceOf(AmqpTimeoutException.class);
    assertThat(e.condition()).contains("amqp:unauthorized-access");
    assertThat(e.getMessage()).contains("PLAIN " + ArtemisBroker.USER).doesNotContain("wrong");
  }

  @Test
  void connect_saslExternalWithRequiredClientCertificate_sendsAndReceives() throws Exception {
    Credentials device = pki.clientIdentity(ArtemisBroker.CERT_CN);
    TlsPolicy policy = policy().toBuilder()
        .clientIdentity(ClientIdentity.of(device.key(), device.chain())).build();
    try (AmqpClient client = ProtonTls.connect(policy, uri("mtls"), AmqpSasl.external(), TIMEOUT)) {
      assertSameBody(roundTrip(client, ArtemisBroker.QUEUE));
    }
  }

  @Test
  void connect_saslExternalWithUnknownCertificate_refusedWithUnauthorizedCondition() {
    Credentials stranger = pki.clientIdentity("someone-else");
    TlsPolicy policy = policy().toBuilder()
        .clientIdentity(ClientIdentity.of(stranger.key(), stranger.chain())).build();
    AmqpException e = catchThrowableOfType(AmqpException.class,
        () -> ProtonTls.connect(policy, uri("mtls"), AmqpSasl.external(), TIMEOUT));
    assertThat(e).isNotNull().isNotInstanceOf(AmqpTimeoutException.class);
    assertThat(e.condition()).contains("amqp:unauthorized-access");
  }

  @Test
  void connect_clientCertificateRequiredButNone_failsWithoutTimeout() {
    AmqpException e = catchThrowableOfType(AmqpException.class,
        () -> ProtonTls.connect(policy(), uri("mtls"),
            AmqpSasl.plain(ArtemisBroker.USER, PASSWORD.toCharArray()), TIMEOUT));
    assertThat(e).isNotNull().isNotInstanceOf(AmqpTimeoutException.class);
    assertThat(e.getMessage()).contains(uri("mtls"));
  }

  @Test
  void connect_saslExternalWithoutClientIdentity_refusedBeforeConnecting() {
    long before = broker.totalConnections();
    assertThatThrownBy(() -> ProtonTls.connect(policy(), uri("mtls"), AmqpSasl.external()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SASL EXTERNAL")
        .hasMessageContaining("clientIdentity(");
    assertThat(broker.totalConnections()).isEqualTo(before);
  }

  @Test
  void connect_amqpUri_refusedWithNoConnectionReachingPlaintextAcceptor() throws Exception {
    int port = broker.port("plain");
    long before = broker.totalConnections();

    PlaintextRefusedException e = catchThrowableOfType(PlaintextRefusedException.class,
        () -> ProtonTls.connect(policy(), "amqp://" + ArtemisBroker.USER + ":" + PASSWORD
            + "@localhost:" + port));

    assertThat(e).isNotNull();
    assertThat(e.check()).isEqualTo(Check.PLAINTEXT);
    assertThat(e.getMessage())
        .contains("amqp://" + ArtemisBroker.USER + ":***@localhost:" + port)
        .contains("amqps://")
        .contains("insecureAllowPlaintextTo(\"localhost\"")
        .doesNotContain(PASSWORD);
    Thread.sleep(200); // let a stray connection, if there were one, reach the broker's count
    assertThat(broker.totalConnections()).isEqualTo(before);

    // Control: the count does see a client that speaks to the plaintext acceptor.
    try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = raw.getOutputStream();
      out.write("AMQP".getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[] {3, 1, 0, 0});
      out.flush();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (broker.totalConnections() == before && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    assertThat(broker.totalConnections()).isEqualTo(before + 1);
  }

  @Test
  void connect_saslPlainToExemptPlaintextHost_refusedBeforeConnecting() {
    long before = broker.totalConnections();
    TlsPolicy exempt = policy().toBuilder()
        .insecureAllowPlaintextTo("localhost", "test: dev broker without TLS").build();
    assertThatThrownBy(() -> ProtonTls.connect(exempt, "amqp://localhost:" + broker.port("plain"),
            AmqpSasl.plain(ArtemisBroker.USER, PASSWORD.toCharArray())))
        .isInstanceOf(PlaintextRefusedException.class)
        .hasMessageContaining("SASL PLAIN without TLS")
        .hasMessageContaining("amqp://localhost:" + broker.port("plain"))
        .hasMessageNotContaining(PASSWORD);
    assertThat(broker.totalConnections()).isEqualTo(before);
  }

  @Test
  void connect_anonymousToExemptPlaintextHost_sendsAndReceives() throws Exception {
    TlsPolicy exempt = policy().toBuilder()
        .insecureAllowPlaintextTo("localhost", "test: dev broker without TLS").build();
    try (AmqpClient client = ProtonTls.connect(exempt, "amqp://localhost:" + broker.port("plain"),
        AmqpSasl.anonymous(), TIMEOUT)) {
      assertSameBody(roundTrip(client, ArtemisBroker.QUEUE));
    }
  }

  @Test
  void sendSettled_thenReceiveWithCreditWindow_deliversAllInOrder() throws Exception {
    String address = "moat.window." + UUID.randomUUID();
    try (AmqpClient client = ProtonTls.connect(policy(), uri("tls"),
        AmqpSasl.plain(ArtemisBroker.USER, PASSWORD.toCharArray()), TIMEOUT)) {
      try (AmqpReceiver receiver = client.receiver(address, 3)) {
        for (int i = 0; i < 5; i++) {
          Message m = Message.Factory.create();
          m.setBody(new AmqpValue("m" + i));
          client.sendSettled(address, m);
        }
        for (int i = 0; i < 5; i++) {
          Optional<Message> m = receiver.receive(TIMEOUT);
          assertThat(m).as("message %d", i).isPresent();
          assertThat(((AmqpValue) m.get().getBody()).getValue()).isEqualTo("m" + i);
        }
        long start = System.nanoTime();
        assertThat(receiver.receive(Duration.ofMillis(300))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      }
    }
  }

  @Test
  void send_toAddressBrokerForbids_throwsWithAmqpCondition() throws Exception {
    // The guest (ANONYMOUS) may use every address but those under FORBIDDEN.
    try (AmqpClient client = ProtonTls.connect(policy(), uri("tls"), AmqpSasl.anonymous(),
        TIMEOUT)) {
      AmqpException e = catchThrowableOfType(AmqpException.class,
          () -> client.send(ArtemisBroker.FORBIDDEN_QUEUE, "nope"));
      assertThat(e).isNotNull().isNotInstanceOf(AmqpTimeoutException.class);
      assertThat(e.condition()).as(e.getMessage()).contains("amqp:unauthorized-access");
      assertThat(e.getMessage()).contains(e.condition().get());
    }
  }
}
