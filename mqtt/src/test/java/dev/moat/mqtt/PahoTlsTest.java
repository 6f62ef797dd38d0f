package dev.moat.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.moat.core.Check;
import dev.moat.core.PlaintextRefusedException;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.testkit.TestPki;
import dev.moat.testkit.TlsTestServer;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocketFactory;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What PahoTls refuses before a byte is sent, proven against loopback listeners that count the
 * connections they accept: plaintext URIs, weakened options, unknown schemes.
 */
class PahoTlsTest {
  private static final TestPki PKI = TestPki.shared();
  private static final TlsPolicy POLICY = TlsPolicy.builder().trustRoot(PKI.root()).build();

  // ------------------------------------------------------------------ plaintext URIs

  @Test
  void client_tcpUri_refusedWithFullMessage() {
    assertThatThrownBy(() -> PahoTls.client(POLICY, "tcp://localhost:1883", "sensor-17"))
        .isInstanceOf(PlaintextRefusedException.class)
        .hasMessage(
            "Refused plaintext MQTT connection to tcp://localhost:1883 (client id \"sensor-17\")"
                + " [check: PLAINTEXT]\n"
                + "  Nothing was sent: the policy allows only TLS, and tcp:// would carry every"
                + " message, and any password, in clear.\n"
                + "  Use the TLS form of the URI: ssl://localhost:8883 (or wss:// for"
                + " WebSockets).\n"
                + "  If this broker really cannot speak TLS (a local development broker), exempt"
                + " its host by name:\n"
                + "    TlsPolicy.builder().insecureAllowPlaintextTo(\"localhost\", \"why this is"
                + " acceptable\")");
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "ws"})
  void everyFactory_plaintextUri_refusedWithZeroConnections(String scheme) throws Exception {
    try (TlsTestServer plain = TlsTestServer.plaintext()) {
      String uri = scheme + "://localhost:" + plain.port() + (scheme.equals("ws") ? "/mqtt" : "");

      assertRefusedPlaintext(() -> PahoTls.client(POLICY, uri, "c1"), uri);
      assertRefusedPlaintext(() -> PahoTls.asyncClient(POLICY, uri, "c2"), uri);
      assertRefusedPlaintext(() -> PahoTls.clientV5(POLICY, uri, "c3"), uri);
      assertRefusedPlaintext(() -> PahoTls.asyncClientV5(POLICY, uri, "c4"), uri);

      assertThat(plain.acceptedConnections()).isZero();
      // Control: the listener does count a connection that reaches it.
      try (Socket socket = new Socket("localhost", plain.port())) {
        assertThat(socket.isConnected()).isTrue();
        awaitAccepted(plain, 1);
      }
      assertThat(plain.acceptedConnections()).isEqualTo(1);
    }
  }

  @Test
  void connect_tcpUriInOptionsServerUris_refusedWithZeroConnections() throws Exception {
    try (TlsTestServer tls = TlsTestServer.start(PKI);
        TlsTestServer plain = TlsTestServer.plaintext()) {
      String tcp = "tcp://localhost:" + plain.port();
      MqttClient v3 = PahoTls.client(POLICY, "ssl://localhost:" + tls.port(), "uris-V3");
      org.eclipse.paho.mqttv5.client.MqttClient v5 =
          PahoTls.clientV5(POLICY, "ssl://localhost:" + tls.port(), "uris-V5");
      try {
        MqttConnectOptions o3 = PahoTls.connectOptions(POLICY);
        o3.setServerURIs(new String[] {tcp});
        MqttConnectionOptions o5 = PahoTls.connectionOptions(POLICY);
        o5.setServerURIs(new String[] {tcp});

        assertThatThrownBy(() -> v3.connect(o3))
            .isInstanceOf(PlaintextRefusedException.class)
            .hasMessageContaining(tcp + " (client id \"uris-V3\")");
        assertThatThrownBy(() -> v5.connect(o5))
            .isInstanceOf(PlaintextRefusedException.class)
            .hasMessageContaining(tcp + " (client id \"uris-V5\")");
      } finally {
        v3.close();
        v5.close();
      }
      assertThat(plain.acceptedConnections()).isZero();
      assertThat(tls.acceptedConnections()).isZero();
    }
  }

  @Test
  void client_uriWithUserInfo_messageOmitsIt() {
    assertThatThrownBy(() -> PahoTls.client(POLICY, "tcp://alice:s3cret@localhost:1883", "c"))
        .isInstanceOf(PlaintextRefusedException.class)
        .hasMessageContaining("tcp://localhost:1883")
        .hasMessageNotContaining("s3cret")
        .hasMessageNotContaining("alice");
  }

  @ParameterizedTest
  @ValueSource(strings = {"local://broker", "mqtt://localhost:1883", "http://localhost:80"})
  void client_unsupportedScheme_refused(String uri) {
    assertThatThrownBy(() -> PahoTls.client(POLICY, uri, "c"))
        .isInstanceOf(IllegalArgumentException.class)
        .isNotInstanceOf(PlaintextRefusedException.class)
        .hasMessageContaining("is not one Moat can secure")
        .hasMessageContaining("ssl://");
  }

  @Test
  void client_sslUri_builtWithoutConnecting() throws Exception {
    MqttClient client = PahoTls.client(POLICY, "ssl://localhost:8883", "idle");
    try {
      assertThat(client.isConnected()).isFalse();
      assertThat(client.getServerURI()).isEqualTo("ssl://localhost:8883");
    } finally {
      client.close();
    }
  }

  // ------------------------------------------------------------------ options weakened later

  @Test
  void connectOptions_fresh_carryPolicyFactoryAndHostnameVerification() {
    MqttConnectOptions v3 = PahoTls.connectOptions(POLICY);
    MqttConnectionOptions v5 = PahoTls.connectionOptions(POLICY);

    assertThat(v3.getSocketFactory()).isInstanceOf(SSLSocketFactory.class);
    assertThat(v3.isHttpsHostnameVerificationEnabled()).isTrue();
    assertThat(v5.getSocketFactory()).isInstanceOf(SSLSocketFactory.class);
    assertThat(v5.isHttpsHostnameVerificationEnabled()).isTrue();
  }

  @Test
  void connect_socketFactoryReplaced_refusedBeforeConnecting() throws Exception {
    assertWeakenedOptionsRefused(
        o -> o.setSocketFactory(SSLSocketFactory.getDefault()),
        o -> o.setSocketFactory(SSLSocketFactory.getDefault()),
        "socket factory that PahoTls did not make");
  }

  @Test
  void connect_socketFactoryRemoved_refusedBeforeConnecting() throws Exception {
    assertWeakenedOptionsRefused(
        o -> o.setSocketFactory(null), o -> o.setSocketFactory(null), "carry no socket factory");
  }

  @Test
  void connect_socketFactoryOfAnotherPolicy_refusedBeforeConnecting() throws Exception {
    TlsPolicy other = TlsPolicy.builder().trustRoot(PKI.root()).build();
    assertWeakenedOptionsRefused(
        o -> o.setSocketFactory(PahoTls.socketFactory(other)),
        o -> o.setSocketFactory(PahoTls.socketFactory(other)),
        "made for a different TlsPolicy");
  }

  @Test
  void connect_hostnameVerificationTurnedOff_refusedBeforeConnecting() throws Exception {
    assertWeakenedOptionsRefused(
        o -> o.setHttpsHostnameVerificationEnabled(false),
        o -> o.setHttpsHostnameVerificationEnabled(false),
        "host-name verification turned off");
  }

  @Test
  void connect_sslPropertiesSet_refusedBeforeConnecting() throws Exception {
    Properties trustAll = new Properties();
    trustAll.setProperty("com.ibm.ssl.trustStore", "/tmp/anything.jks");
    assertWeakenedOptionsRefused(
        o -> o.setSSLProperties(trustAll),
        o -> o.setSSLProperties(trustAll),
        "carry SSL properties");
  }

  /**
   * Weakens fresh PahoTls options as a user might after building them, and checks that the v3 and
   * v5 clients (blocking and asynchronous) refuse to connect with them, naming URI, client id and
   * fix, while the TLS listener sees no connection at all.
   */
  private static void assertWeakenedOptionsRefused(
      Consumer<MqttConnectOptions> weaken3, Consumer<MqttConnectionOptions> weaken5, String reason)
      throws Exception {
    try (TlsTestServer tls = TlsTestServer.start(PKI)) {
      String uri = "ssl://localhost:" + tls.port();
      MqttConnectOptions o3 = PahoTls.connectOptions(POLICY);
      weaken3.accept(o3);
      MqttConnectionOptions o5 = PahoTls.connectionOptions(POLICY);
      weaken5.accept(o5);

      MqttClient v3 = PahoTls.client(POLICY, uri, "weak-V3");
      org.eclipse.paho.client.mqttv3.MqttAsyncClient a3 =
          PahoTls.asyncClient(POLICY, uri, "weak-A3");
      org.eclipse.paho.mqttv5.client.MqttClient v5 = PahoTls.clientV5(POLICY, uri, "weak-V5");
      org.eclipse.paho.mqttv5.client.MqttAsyncClient a5 =
          PahoTls.asyncClientV5(POLICY, uri, "weak-A5");
      try {
        assertRefused(() -> v3.connect(o3), uri, "weak-V3", reason);
        assertRefused(() -> a3.connect(o3), uri, "weak-A3", reason);
        assertRefused(() -> v5.connect(o5), uri, "weak-V5", reason);
        assertRefused(() -> a5.connect(o5), uri, "weak-A5", reason);
      } finally {
        v3.close();
        a3.close();
        v5.close();
        a5.close();
      }
      assertThat(tls.acceptedConnections()).isZero();
    }
  }

  private static void assertRefused(
      ThrowingCallable connect, String uri, String clientId, String reason) {
    assertThatThrownBy(connect)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Refused MQTT connection to " + uri + " (client id \"" + clientId + "\"): ")
        .hasMessageContaining(reason)
        .hasMessageContaining("Nothing was sent.")
        .hasMessageContaining("Fix: ");
  }

  private static void assertRefusedPlaintext(ThrowingCallable build, String uri) {
    assertThatThrownBy(build)
        .isInstanceOf(PlaintextRefusedException.class)
        .hasMessageContaining(uri)
        .hasMessageContaining("[check: PLAINTEXT]")
        .hasMessageContaining("insecureAllowPlaintextTo(\"localhost\"");
  }

  // ------------------------------------------------------------------ explain

  @Test
  void explain_sslUriToPlaintextBannerServer_plaintext() throws Exception {
    try (TlsTestServer plain = TlsTestServer.plaintext()) {
      String uri = "ssl://localhost:" + plain.port();

      Throwable failure =
          catchThrowable(() -> Clients.connect(Clients.Version.V3, POLICY, uri, "banner"));

      Optional<TlsRefusalException> refusal = PahoTls.explain(failure, uri);
      assertThat(refusal).as("from %s", failure).isPresent();
      assertThat(refusal.get().check()).isEqualTo(Check.PLAINTEXT);
      assertThat(refusal.get().port()).isEqualTo(plain.port());
    }
  }

  @Test
  void explain_failureThatIsNoTlsRefusal_empty() {
    assertThat(PahoTls.explain(new java.net.ConnectException("Connection refused"), "ssl://h:1"))
        .isEmpty();
  }

  private static void awaitAccepted(TlsTestServer server, int count) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
    while (server.acceptedConnections() < count && Instant.now().isBefore(deadline)) {
      Thread.sleep(10);
    }
  }
}
