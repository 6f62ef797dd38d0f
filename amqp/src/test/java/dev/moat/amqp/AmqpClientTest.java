package dev.moat.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.moat.core.Check;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.core.TlsRefusals;
import dev.moat.testkit.TestPki;
import dev.moat.testkit.TlsTestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The blocking client against servers that are not AMQP brokers at all, on loopback: its waits end
 * in time and say why.
 */
@Timeout(60)
class AmqpClientTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final TlsPolicy POLICY =
      TlsPolicy.builder().trustRoot(TestPki.shared().root()).build();

  private final ExecutorService acceptor = Executors.newSingleThreadExecutor();
  private final List<Socket> accepted = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    acceptor.shutdownNow();
    assertThat(acceptor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    for (Socket s : accepted) {
      s.close();
    }
  }

  /** A TCP server that accepts one connection and then either stays silent or hangs up. */
  private ServerSocket server(boolean hangUp) throws IOException {
    ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    acceptor.submit(() -> {
      try (server) {
        Socket s = server.accept();
        if (hangUp) {
          s.close();
        } else {
          synchronized (accepted) {
            accepted.add(s);
          }
        }
      }
      return null;
    });
    return server;
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000L;
  }

  @Test
  void connect_silentTcpServer_refusedAsPlaintextAfterTimeout() throws Exception {
    int port = server(false).getLocalPort();
    long start = System.nanoTime();
    AmqpException e = catchThrowableOfType(AmqpException.class, () -> ProtonTls.connect(POLICY,
        "amqps://localhost:" + port, AmqpSasl.anonymous(), TIMEOUT));
    long took = millisSince(start);

    assertThat(e).isNotNull().isNotInstanceOf(AmqpTimeoutException.class);
    Optional<TlsRefusalException> refusal = TlsRefusals.find(e);
    assertThat(refusal).isPresent();
    assertThat(refusal.get().check()).isEqualTo(Check.PLAINTEXT);
    assertThat(refusal.get().port()).isEqualTo(port);
    assertThat(e.getMessage()).contains("sent nothing in reply to the TLS handshake within 2000 ms")
        .contains("amqps://localhost:" + port);
    assertThat(took).isBetween(TIMEOUT.toMillis() - 100, TIMEOUT.toMillis() + 1500);
  }

  @Test
  void connect_serverHangsUpWithoutAByte_refusedAsPlaintextAtOnce() throws Exception {
    int port = server(true).getLocalPort();
    long start = System.nanoTime();
    AmqpException e = catchThrowableOfType(AmqpException.class, () -> ProtonTls.connect(POLICY,
        "amqps://localhost:" + port, AmqpSasl.anonymous(), TIMEOUT));

    assertThat(e).isNotNull();
    assertThat(TlsRefusals.find(e).map(TlsRefusalException::check)).contains(Check.PLAINTEXT);
    assertThat(e.getMessage()).contains("closed the connection without answering the TLS handshake");
    assertThat(millisSince(start)).isLessThan(TIMEOUT.toMillis());
  }

  @Test
  void connect_plaintextServerWithBanner_refusedAsPlaintextByTheJdk() throws Exception {
    try (TlsTestServer server = TlsTestServer.plaintext()) {
      String uri = "amqps://localhost:" + server.port();
      AmqpException e = catchThrowableOfType(AmqpException.class,
          () -> ProtonTls.connect(POLICY, uri, AmqpSasl.anonymous(), TIMEOUT));

      assertThat(e).isNotNull().isNotInstanceOf(AmqpTimeoutException.class);
      assertThat(TlsRefusals.explain(e, "localhost", server.port(), ProtonTls.PROTOCOL)
          .map(TlsRefusalException::check)).contains(Check.PLAINTEXT);
      assertThat(ProtonTls.PROTOCOL).isEqualTo("amqp");
    }
  }

  @Test
  void connect_closedPort_failsAtOnceNamingUri() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    int closedPort = port;
    long start = System.nanoTime();
    AmqpException e = catchThrowableOfType(AmqpException.class, () -> ProtonTls.connect(POLICY,
        "amqps://127.0.0.1:" + closedPort, AmqpSasl.anonymous(), TIMEOUT));

    assertThat(e).isNotNull().isNotInstanceOf(AmqpTimeoutException.class);
    assertThat(e.getMessage()).startsWith("cannot connect to amqps://127.0.0.1:" + closedPort);
    assertThat(TlsRefusals.find(e)).isEmpty();
    assertThat(millisSince(start)).isLessThan(TIMEOUT.toMillis());
  }
}
