package dev.moat.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Credentials#serverSocketFactory} and {@link Scenario#serverSocketFactory()}, layered over accepted sockets. */
@Timeout(20)
class ServerSocketFactoryTest {
  private static final TestPki PKI = TestPki.shared();

  @Test
  void serverSocketFactory_limitedToTls12_negotiatesTls12AndPresentsTheCredentials() throws Exception {
    SSLSocketFactory factory = PKI.goodChain().serverSocketFactory(List.of("TLSv1.2"), List.of());

    SSLSession client = handshake(factory);

    assertThat(client.getProtocol()).isEqualTo("TLSv1.2");
    assertThat(client.getPeerCertificates()[0]).isEqualTo(PKI.goodChain().certificate());
  }

  @Test
  void serverSocketFactory_scenarioSuites_onlyTheScenariosSuiteIsNegotiated() throws Exception {
    String suite = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    SSLSocketFactory factory =
        PKI.goodChain().serverSocketFactory(List.of("TLSv1.2"), List.of(suite));

    SSLSession client = handshake(factory);

    assertThat(client.getCipherSuite()).isEqualTo(suite);
  }

  @Test
  void serverSocketFactory_plaintextScenario_throws() {
    assertThatThrownBy(() -> BadTls.byName("PLAINTEXT").serverSocketFactory())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PLAINTEXT");
  }

  @Test
  void serverSocketFactory_goodScenario_presentsTheScenariosChain() throws Exception {
    Scenario good = BadTls.byName("GOOD");

    SSLSession client = handshake(good.serverSocketFactory());

    assertThat(client.getPeerCertificates()[0])
        .isEqualTo(good.credentials().orElseThrow().certificate());
    assertThat(good.serverProtocols()).contains(client.getProtocol());
  }

  /**
   * Accepts one loopback connection, layers the factory's TLS over it, handshakes a JDK client,
   * moves one byte and closes both ends; returns the client's session.
   */
  private static SSLSession handshake(SSLSocketFactory factory) throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> server =
          CompletableFuture.runAsync(
              () -> {
                try (Socket accepted = listener.accept();
                    SSLSocket tls =
                        (SSLSocket)
                            factory.createSocket(accepted, "localhost", accepted.getPort(), true)) {
                  tls.setUseClientMode(false);
                  tls.setSoTimeout(10_000);
                  tls.startHandshake();
                  tls.getOutputStream().write(1);
                  tls.getOutputStream().flush();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      SSLSession session;
      try (SSLSocket client =
          (SSLSocket)
              PKI.jdkClientSslContext()
                  .getSocketFactory()
                  .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
        client.setSoTimeout(10_000);
        client.startHandshake();
        assertThat(client.getInputStream().read()).isEqualTo(1);
        session = client.getSession();
      }
      server.get(10, TimeUnit.SECONDS);
      return session;
    }
  }
}
