package dev.moat.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.moat.core.Check;
import dev.moat.core.ClientIdentity;
import dev.moat.core.PlaintextRefusedException;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.mqtt.Clients.Version;
import dev.moat.testkit.Credentials;
import dev.moat.testkit.TestPki;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * PahoTls clients against the real HiveMQ broker of {@link SharedBroker}: mutual TLS, secure
 * WebSockets, a plaintext exemption, reconnects with weakened options, and where in-flight messages
 * are kept.
 */
@ExtendWith(SharedBroker.class)
class MqttBrokerTest {
  private static final TestPki PKI = TestPki.shared();
  private static final long WAIT_MS = TimeUnit.SECONDS.toMillis(Clients.TIMEOUT_SECONDS);

  private static TlsPolicy policy() {
    return TlsPolicy.builder().trustRoot(PKI.root()).build();
  }

  private static HiveMqBroker broker() {
    return SharedBroker.broker();
  }

  // ------------------------------------------------------------------ mutual TLS

  @ParameterizedTest
  @EnumSource(Version.class)
  void connect_mutualTlsWithPolicyIdentity_movesData(Version version) throws Exception {
    Credentials device = PKI.clientIdentity("device-17");
    TlsPolicy policy =
        TlsPolicy.builder()
            .trustRoot(PKI.root())
            .clientIdentity(ClientIdentity.of(device.key(), device.chain()))
            .build();
    String clientId = "mtls-" + version;

    String received =
        Clients.roundTrip(version, policy, broker().sslUri(SharedBroker.MUTUAL_TLS), clientId);

    assertThat(received).isEqualTo(Clients.expected(clientId));
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void connect_mutualTlsWithPolicyIdentityOverTls12_movesData(Version version) throws Exception {
    Credentials device = PKI.clientIdentity("device-17");
    TlsPolicy policy =
        TlsPolicy.builder()
            .trustRoot(PKI.root())
            .clientIdentity(ClientIdentity.of(device.key(), device.chain()))
            .build();
    String clientId = "mtls12-" + version;

    String received =
        Clients.roundTrip(version, policy, broker().sslUri(SharedBroker.MUTUAL_TLS_12), clientId);

    assertThat(received).isEqualTo(Clients.expected(clientId));
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void connect_mutualTlsWithoutIdentity_refusedByBrokerInHandshake(Version version)
      throws InterruptedException {
    String clientId = "mtls-anonymous-" + version;

    Throwable failure =
        catchThrowable(
            () ->
                Clients.connect(
                    version, policy(), broker().sslUri(SharedBroker.MUTUAL_TLS_12), clientId));

    // The broker aborts the handshake on the empty client certificate: the client sees its
    // alert or, while it is still writing its flight, the closed connection.
    assertThat(failure).isNotNull();
    assertThat(causes(failure))
        .as("the broker ends the handshake: %s", failure)
        .anyMatch(c -> c instanceof SSLException || c instanceof SocketException);
    assertThat(PahoTls.explain(failure, broker().sslUri(SharedBroker.MUTUAL_TLS_12)))
        .as("the client refused nothing: the broker did")
        .isEmpty();
    assertNoThreadLeft("MQTT Con: " + clientId);
  }

  /** Paho's connect threads for a client id must end once connect has failed. */
  private static void assertNoThreadLeft(String name) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (threadAlive(name) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(threadAlive(name)).as("thread %s still running", name).isFalse();
  }

  private static boolean threadAlive(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.isAlive() && t.getName().equals(name));
  }

  // ------------------------------------------------------------------ WebSockets

  @ParameterizedTest
  @EnumSource(Version.class)
  void connect_wssUri_movesData(Version version) throws Exception {
    String clientId = "wss-" + version;
    String uri = "wss://localhost:" + broker().port(SharedBroker.WSS) + "/mqtt";

    assertThat(Clients.roundTrip(version, policy(), uri, clientId))
        .isEqualTo(Clients.expected(clientId));
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void connect_wssWrongHostCertificate_refusedWithHostname(Version version) {
    String uri = "wss://localhost:" + broker().port(SharedBroker.WSS_WRONG_HOST) + "/mqtt";

    Throwable failure =
        catchThrowable(() -> Clients.connect(version, policy(), uri, "wss-wrong-" + version));

    Optional<TlsRefusalException> refusal = PahoTls.explain(failure, uri);
    assertThat(refusal).as("typed refusal from %s", failure).isPresent();
    assertThat(refusal.get().check()).isEqualTo(Check.HOSTNAME);
  }

  // ------------------------------------------------------------------ plaintext exemption

  @Test
  void connect_tcpToExemptedHostWithPlainOptions_movesData() throws Exception {
    TlsPolicy exempt =
        policy().toBuilder()
            .insecureAllowPlaintextTo("localhost", "test broker on loopback")
            .build();
    String uri = "tcp://localhost:" + broker().port(SharedBroker.PLAIN_MQTT);

    MqttConnectOptions v3 = new MqttConnectOptions();
    v3.setConnectionTimeout(Clients.TIMEOUT_SECONDS);
    assertThat(Clients.roundTrip(PahoTls.client(exempt, uri, "plain-V3"), v3))
        .isEqualTo(Clients.expected("plain-V3"));
    MqttConnectionOptions v5 = new MqttConnectionOptions();
    v5.setConnectionTimeout(Clients.TIMEOUT_SECONDS);
    assertThat(Clients.roundTrip(PahoTls.clientV5(exempt, uri, "plain-V5"), v5))
        .isEqualTo(Clients.expected("plain-V5"));
  }

  @Test
  void everyFactory_tcpUriToRealBroker_refusedAndBrokerReadsNothing() throws Exception {
    String uri = "tcp://localhost:" + broker().port(SharedBroker.PLAIN_MQTT);
    TlsPolicy policy = policy();
    long before = broker().bytesRead();

    assertThatThrownBy(() -> PahoTls.client(policy, uri, "tcp-V3"))
        .isInstanceOf(PlaintextRefusedException.class);
    assertThatThrownBy(() -> PahoTls.asyncClient(policy, uri, "tcp-A3"))
        .isInstanceOf(PlaintextRefusedException.class);
    assertThatThrownBy(() -> PahoTls.clientV5(policy, uri, "tcp-V5"))
        .isInstanceOf(PlaintextRefusedException.class);
    assertThatThrownBy(() -> PahoTls.asyncClientV5(policy, uri, "tcp-A5"))
        .isInstanceOf(PlaintextRefusedException.class);
    MqttClient viaOptions = PahoTls.client(policy, broker().sslUri("GOOD"), "tcp-options");
    try {
      MqttConnectOptions options = Clients.v3Options(policy);
      options.setServerURIs(new String[] {uri});
      assertThatThrownBy(() -> viaOptions.connect(options))
          .isInstanceOf(PlaintextRefusedException.class);
    } finally {
      viaOptions.close();
    }

    assertThat(broker().bytesRead()).as("bytes HiveMQ read").isEqualTo(before);
    // Control: the same counter sees a client that is let through.
    TlsPolicy exempt = policy.toBuilder().insecureAllowPlaintextTo("localhost", "control").build();
    MqttConnectOptions plain = new MqttConnectOptions();
    plain.setConnectionTimeout(Clients.TIMEOUT_SECONDS);
    assertThat(Clients.roundTrip(PahoTls.client(exempt, uri, "tcp-control"), plain))
        .isEqualTo(Clients.expected("tcp-control"));
    assertThat(broker().bytesRead()).isGreaterThan(before);
  }

  @Test
  void connect_passwordOnExemptedPlaintext_refusedWithoutShowingPassword() throws Exception {
    TlsPolicy exempt =
        policy().toBuilder()
            .insecureAllowPlaintextTo("localhost", "test broker on loopback")
            .build();
    String uri = "tcp://localhost:" + broker().port(SharedBroker.PLAIN_MQTT);
    MqttClient v3 = PahoTls.client(exempt, uri, "plain-pw-V3");
    org.eclipse.paho.mqttv5.client.MqttClient v5 = PahoTls.clientV5(exempt, uri, "plain-pw-V5");
    try {
      MqttConnectOptions o3 = new MqttConnectOptions();
      o3.setUserName("alice");
      o3.setPassword("s3cret-pw".toCharArray());
      MqttConnectionOptions o5 = new MqttConnectionOptions();
      o5.setUserName("alice");
      o5.setPassword("s3cret-pw".getBytes(StandardCharsets.UTF_8));

      assertThatThrownBy(() -> v3.connect(o3))
          .isInstanceOf(PlaintextRefusedException.class)
          .hasMessageContaining(uri)
          .hasMessageContaining("\"plain-pw-V3\"")
          .hasMessageContaining("[check: PLAINTEXT]")
          .hasMessageNotContaining("s3cret-pw");
      assertThatThrownBy(() -> v5.connect(o5))
          .isInstanceOf(PlaintextRefusedException.class)
          .hasMessageContaining("\"plain-pw-V5\"")
          .hasMessageNotContaining("s3cret-pw");
      assertThat(v3.isConnected()).isFalse();
      assertThat(v5.isConnected()).isFalse();
    } finally {
      v3.close();
      v5.close();
    }
  }

  // ------------------------------------------------------------------ what wins

  @Test
  void connect_withoutOptions_usesPolicyOptionsAndMovesData() throws Exception {
    String uri = broker().sslUri("GOOD");
    MqttClient v3 = PahoTls.client(policy(), uri, "no-options-V3");
    org.eclipse.paho.mqttv5.client.MqttClient v5 = PahoTls.clientV5(policy(), uri, "no-options-V5");
    try {
      v3.setTimeToWait(WAIT_MS);
      v5.setTimeToWait(WAIT_MS);

      v3.connect();
      v5.connect();
      v3.publish("moat/no-options", "v3".getBytes(StandardCharsets.UTF_8), 1, false);
      v5.publish("moat/no-options", "v5".getBytes(StandardCharsets.UTF_8), 1, false);

      assertThat(v3.isConnected()).isTrue();
      assertThat(v5.isConnected()).isTrue();
      v3.disconnect();
      v5.disconnect();
    } finally {
      v3.close();
      v5.close();
    }
  }

  @Test
  void connect_optionsBuiltByHandWithPahoTlsFactory_movesData() throws Exception {
    TlsPolicy policy = policy();
    MqttConnectOptions options = new MqttConnectOptions();
    options.setSocketFactory(PahoTls.socketFactory(policy));
    options.setHttpsHostnameVerificationEnabled(true);
    options.setConnectionTimeout(Clients.TIMEOUT_SECONDS);

    String received =
        Clients.roundTrip(PahoTls.client(policy, broker().sslUri("GOOD"), "by-hand"), options);

    assertThat(received).isEqualTo(Clients.expected("by-hand"));
  }

  @Test
  void reconnect_socketFactoryReplacedAfterConnect_refused() throws Exception {
    TlsPolicy policy = policy();
    MqttConnectOptions o3 = Clients.v3Options(policy);
    MqttConnectionOptions o5 = Clients.v5Options(policy);
    MqttClient v3 = PahoTls.client(policy, broker().sslUri("GOOD"), "reconnect-V3");
    org.eclipse.paho.mqttv5.client.MqttClient v5 =
        PahoTls.clientV5(policy, broker().sslUri("GOOD"), "reconnect-V5");
    try {
      v3.connect(o3);
      v5.connect(o5);
      v3.disconnect();
      v5.disconnect();
      o3.setSocketFactory(SSLSocketFactory.getDefault());
      o5.setSocketFactory(SSLSocketFactory.getDefault());

      assertThatThrownBy(v3::reconnect)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("reconnect-V3")
          .hasMessageContaining("socket factory that PahoTls did not make");
      assertThatThrownBy(v5::reconnect)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("reconnect-V5")
          .hasMessageContaining("socket factory that PahoTls did not make");
      assertThat(v3.isConnected()).isFalse();
      assertThat(v5.isConnected()).isFalse();
    } finally {
      v3.close();
      v5.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void asyncClient_goodBroker_publishesQos1(Version version) throws Exception {
    String uri = broker().sslUri("GOOD");
    byte[] payload = "async".getBytes(StandardCharsets.UTF_8);
    TlsPolicy policy = policy();
    if (version == Version.V3) {
      MqttAsyncClient client = PahoTls.asyncClient(policy, uri, "async-V3");
      try {
        client.connect(Clients.v3Options(policy)).waitForCompletion(WAIT_MS);
        IMqttToken published = client.publish("moat/async", payload, 1, false);
        published.waitForCompletion(WAIT_MS);
        assertThat(published.isComplete()).isTrue();
        assertThat(published.getException()).isNull();
        client.disconnect().waitForCompletion(WAIT_MS);
      } finally {
        client.close();
      }
    } else {
      org.eclipse.paho.mqttv5.client.MqttAsyncClient client =
          PahoTls.asyncClientV5(policy, uri, "async-V5");
      try {
        client.connect(Clients.v5Options(policy)).waitForCompletion(WAIT_MS);
        org.eclipse.paho.mqttv5.client.IMqttToken published =
            client.publish("moat/async", payload, 1, false);
        published.waitForCompletion(WAIT_MS);
        assertThat(published.isComplete()).isTrue();
        assertThat(published.getException()).isNull();
        client.disconnect().waitForCompletion(WAIT_MS);
      } finally {
        client.close();
      }
    }
  }

  // ------------------------------------------------------------------ persistence

  @Test
  void client_defaultPersistence_writesNothingToWorkingDirectory() throws Exception {
    Path workingDirectory = Path.of(System.getProperty("user.dir"));
    Set<String> before = names(workingDirectory);

    String v3 = Clients.roundTrip(Version.V3, policy(), broker().sslUri("GOOD"), "memory-V3");
    String v5 = Clients.roundTrip(Version.V5, policy(), broker().sslUri("GOOD"), "memory-V5");

    assertThat(v3).isEqualTo(Clients.expected("memory-V3"));
    assertThat(v5).isEqualTo(Clients.expected("memory-V5"));
    assertThat(names(workingDirectory)).isEqualTo(before);
  }

  @Test
  void client_persistenceDirectory_keepsSessionStateThere(@TempDir Path dir) throws Exception {
    Path d3 = Files.createDirectories(dir.resolve("v3"));
    Path d5 = Files.createDirectories(dir.resolve("v5"));
    TlsPolicy policy = policy();
    MqttClient v3 = PahoTls.client(policy, broker().sslUri("GOOD"), "file-V3", d3);
    org.eclipse.paho.mqttv5.client.MqttClient v5 =
        PahoTls.clientV5(policy, broker().sslUri("GOOD"), "file-V5", d5);
    try {
      v3.setTimeToWait(WAIT_MS);
      v5.setTimeToWait(WAIT_MS);
      v3.connect(Clients.v3Options(policy));
      v5.connect(Clients.v5Options(policy));

      assertThat(names(d3)).singleElement().asString().contains("file-V3");
      assertThat(names(d5)).singleElement().asString().contains("file-V5");
      v3.disconnect();
      v5.disconnect();
    } finally {
      v3.close();
      v5.close();
    }
  }

  private static Set<String> names(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  private static List<Throwable> causes(Throwable t) {
    List<Throwable> all = new java.util.ArrayList<>();
    for (Throwable c = t; c != null && all.size() < 20; c = c.getCause()) {
      all.add(c);
    }
    return all;
  }
}
