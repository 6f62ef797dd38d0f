package dev.moat.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(20)
class TlsTestServerTest {
  private static final TestPki PKI = TestPki.shared();

  @Test
  void start_goodScenario_jdkClientHandshakesAndMovesBytesBothWays() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(BadTls.byName("GOOD"));
        SSLSocket socket = jdkClient(server, PKI.jdkClientSslContext(), "TLSv1.3", "TLSv1.2")) {
      socket.startHandshake();
      byte[] payload = new byte[100_000];
      new Random(1).nextBytes(payload);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      Thread writer =
          new Thread(
              () -> {
                try {
                  out.write(payload);
                  out.flush();
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      writer.start();
      byte[] echoed = in.readNBytes(payload.length);
      writer.join(10_000);

      assertThat(echoed).isEqualTo(payload);
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
      assertThat(Arrays.asList(socket.getSession().getPeerCertificates()))
          .containsExactlyElementsOf(PKI.serverChain());
      assertThat(server.acceptedConnections()).isEqualTo(1);
      assertThat(server.completedHandshakes()).isEqualTo(1);
      assertThat(server.lastClientCertificate()).isEmpty();
    }
  }

  @Test
  void handshake_goodServer_returnsClientSessionAndCounts() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(PKI)) {
      SSLSession session = server.handshake(PKI.jdkClientSslContext());
      server.handshake(PKI.jdkClientSslContext().getSocketFactory());

      assertThat(session.getPeerHost()).isEqualTo("localhost");
      assertThat(session.getPeerCertificates()[0]).isEqualTo(PKI.leaf());
      assertThat(server.acceptedConnections()).isEqualTo(2);
      assertThat(server.completedHandshakes()).isEqualTo(2);
      assertThat(server.host()).isEqualTo("localhost");
      assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
    }
  }

  @Test
  void handshake_expiredLeaf_jdkClientRefusesAndServerCountsFailure() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(PKI.expiredLeaf())) {
      assertThatThrownBy(() -> server.handshake(PKI.jdkClientSslContext()))
          .isInstanceOf(SSLHandshakeException.class);
      assertThat(server.acceptedConnections()).isEqualTo(1);
      assertThat(server.completedHandshakes()).isZero();
    }
  }

  @Test
  void start_tls10Scenario_negotiatesTlsV1WithClientForcedToTlsV1() throws Exception {
    assertLegacyServed("TLS_1_0_ONLY", "TLSv1");
  }

  @Test
  void start_tls11Scenario_negotiatesTlsV11WithClientForcedToTlsV11() throws Exception {
    assertLegacyServed("TLS_1_1_ONLY", "TLSv1.1");
  }

  private static void assertLegacyServed(String scenario, String protocol) throws Exception {
    assertThat(BadTls.byName(scenario).unavailableReason()).isEmpty();
    try (TlsTestServer server = TlsTestServer.start(BadTls.byName(scenario));
        SSLSocket socket = jdkClient(server, PKI.jdkClientSslContext(), protocol)) {
      socket.startHandshake();
      echo(socket);

      assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
      assertThat(server.lastSession().orElseThrow().getProtocol()).isEqualTo(protocol);
    }
  }

  @Test
  void start_tls10Scenario_modernClientRefused() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(BadTls.byName("TLS_1_0_ONLY"));
        SSLSocket socket =
            jdkClient(server, PKI.jdkClientSslContext(), "TLSv1.3", "TLSv1.2")) {
      assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
      assertThat(server.completedHandshakes()).isZero();
    }
  }

  @Test
  void start_nonAeadScenario_negotiatesCbcSuiteOnTls12() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(BadTls.byName("NON_AEAD_ONLY"))) {
      SSLSession session = server.handshake(PKI.jdkClientSslContext());

      assertThat(session.getProtocol()).isEqualTo("TLSv1.2");
      assertThat(session.getCipherSuite()).startsWith("TLS_ECDHE_ECDSA_").contains("_CBC_");
    }
  }

  @Test
  void start_nonAeadScenario_aeadOnlyClientRefused() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(BadTls.byName("NON_AEAD_ONLY"));
        SSLSocket socket = jdkClient(server, PKI.jdkClientSslContext(), "TLSv1.3", "TLSv1.2")) {
      socket.setEnabledCipherSuites(
          new String[] {
            "TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
          });
      assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void plaintext_speaksNoTls_tlsClientFailsAndRawClientReadsBanner() throws Exception {
    try (TlsTestServer server = TlsTestServer.plaintext()) {
      assertThat(server.isTls()).isFalse();
      assertThatThrownBy(() -> server.handshake(PKI.jdkClientSslContext()))
          .isInstanceOf(SSLException.class);

      try (Socket raw = new Socket(server.address().getAddress(), server.port())) {
        raw.setSoTimeout(10_000);
        byte[] banner =
            raw.getInputStream().readNBytes(TlsTestServer.PLAINTEXT_BANNER.length());
        raw.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
        byte[] echo = raw.getInputStream().readNBytes(5);

        assertThat(new String(banner, StandardCharsets.US_ASCII))
            .isEqualTo(TlsTestServer.PLAINTEXT_BANNER);
        assertThat(new String(echo, StandardCharsets.US_ASCII)).isEqualTo("hello");
      }
      assertThat(server.acceptedConnections()).isEqualTo(2);
      assertThat(server.completedHandshakes()).isZero();
    }
  }

  @Test
  void serverSslContext_withClientRoot_acceptsIssuedClientAndRecordsIt() throws Exception {
    Credentials client = PKI.clientIdentity("service-a");
    SSLContext clientContext = SSLContext.getInstance("TLS");
    clientContext.init(
        new KeyManager[] {client.keyManager()},
        TestPki.trustManagers(PKI.root()),
        null);

    try (TlsTestServer server = TlsTestServer.start(PKI.serverSslContext(PKI.root()))) {
      server.handshake(clientContext);

      assertThat(server.lastClientCertificate()).contains(client.certificate());
    }
  }

  @Test
  void serverSslContext_withClientRoot_refusesClientWithoutCertificate() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(PKI.serverSslContext(PKI.root()))) {
      // TLS 1.3: the client finishes first, then sees the server's alert or a closed connection.
      assertThatThrownBy(() -> server.handshake(PKI.jdkClientSslContext()))
          .isInstanceOf(IOException.class);
      assertThat(server.completedHandshakes()).isZero();
    }
  }

  @Test
  void builder_needClientAuth_refusesClientFromAnotherPki() throws Exception {
    TestPki other = TestPki.create("client.example.test");
    SSLContext clientContext = SSLContext.getInstance("TLS");
    clientContext.init(
        new KeyManager[] {other.clientIdentity("stranger").keyManager()},
        TestPki.trustManagers(PKI.root()),
        null);

    try (TlsTestServer server =
        TlsTestServer.builder().credentials(PKI.goodChain()).needClientAuth(PKI.root()).start()) {
      assertThatThrownBy(() -> server.handshake(clientContext)).isInstanceOf(IOException.class);
      assertThat(server.lastClientCertificate()).isEmpty();
      assertThat(server.completedHandshakes()).isZero();
    }
  }

  @Test
  void close_openConnection_returnsQuicklyAndRefusesNewConnections() throws Exception {
    TlsTestServer server = TlsTestServer.start(PKI);
    int port = server.port();
    try (Socket idle = new Socket(server.address().getAddress(), port)) {
      long start = System.nanoTime();
      server.close();
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
      idle.setSoTimeout(5_000);
      // closed by the server: end of stream or reset, but never a timeout; the server's TLS socket
      // may first send an alert record (content type 21) as it closes
      try {
        java.io.InputStream in = idle.getInputStream();
        byte[] seen = in.readNBytes(1024);
        assertThat(seen.length).isLessThan(1024);
        if (seen.length > 0) {
          assertThat(seen[0]).isEqualTo((byte) 21);
        }
      } catch (java.net.SocketException reset) {
        assertThat(reset).hasMessageContaining("reset");
      }
    }
    assertThatThrownBy(() -> new Socket(server.address().getAddress(), port).close())
        .isInstanceOf(ConnectException.class);
  }

  /**
   * The server presents exactly the scenario's chain: a client that records the chain (and trusts
   * anything) sees it, for every certificate scenario of the catalog.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.moat.testkit.BadTls#catalog")
  void start_everyTlsScenario_presentsExactlyItsChain(Scenario scenario) throws Exception {
    if (scenario.plaintext()) {
      return;
    }
    RecordingTrustManager recorder = new RecordingTrustManager();
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {recorder}, null);
    String[] protocols =
        scenario.serverProtocols().toArray(new String[0]);

    try (TlsTestServer server = TlsTestServer.start(scenario);
        SSLSocket socket = jdkClient(server, context, protocols)) {
      socket.startHandshake();
      echo(socket);
    }
    assertThat(recorder.chains)
        .containsExactly(scenario.credentials().orElseThrow().chain());
  }

  private static SSLSocket jdkClient(TlsTestServer server, SSLContext context, String... protocols)
      throws IOException {
    Socket raw = new Socket(server.address().getAddress(), server.port());
    raw.setSoTimeout(10_000);
    SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket(raw, server.host(), server.port(), true);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (protocols.length > 0) {
      parameters.setProtocols(protocols);
    }
    socket.setSSLParameters(parameters);
    return socket;
  }

  private static void echo(SSLSocket socket) throws IOException {
    socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    assertThat(new String(socket.getInputStream().readNBytes(4), StandardCharsets.US_ASCII))
        .isEqualTo("ping");
  }

  /** Test-only: trusts every server and remembers what it was shown. */
  private static final class RecordingTrustManager extends X509ExtendedTrustManager {
    final List<List<X509Certificate>> chains = new ArrayList<>();

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("client side only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      chains.add(List.of(chain));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
      chains.add(List.of(chain));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
      chains.add(List.of(chain));
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
