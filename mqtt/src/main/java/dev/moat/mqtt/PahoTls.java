package dev.moat.mqtt;

import dev.moat.core.PlaintextRefusedException;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.mqtt.internal.MqttChecks;
import dev.moat.mqtt.internal.MqttSocketFactory;
import dev.moat.mqtt.internal.V3;
import dev.moat.mqtt.internal.V5;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.client.mqttv3.persist.MqttDefaultFilePersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

/**
 * Builds Eclipse Paho MQTT clients, for MQTT 3.1.1 ({@code org.eclipse.paho.client.mqttv3}) and
 * MQTT 5 ({@code org.eclipse.paho.mqttv5.client}), that speak only TLS, and only to brokers that
 * satisfy a {@link TlsPolicy}. The methods return Paho's own types, so the rest of the code keeps
 * the API it knows.
 *
 * <pre>{@code
 * TlsPolicy policy = TlsPolicy.builder()
 *     .trustRoots(Pem.readCertificates(Path.of("broker-ca.pem")))
 *     .clientIdentity(ClientIdentity.fromPem(Path.of("device.crt"), Path.of("device.key"), null))
 *     .build();
 * MqttClient client = PahoTls.client(policy, "ssl://broker.example.com:8883", "sensor-17");
 * client.connect(PahoTls.connectOptions(policy));
 * client.publish("sensors/17/temperature", "21.5".getBytes(StandardCharsets.UTF_8), 1, false);
 * }</pre>
 *
 * <p>What the options carry: the policy's socket factory for protocol {@code mqtt} (its trust
 * manager checks the chain, the host name and pins itself, its key manager presents the policy's
 * {@link dev.moat.core.ClientIdentity} for mutual TLS, and it enables only the policy's TLS
 * versions and cipher suites), and Paho's HTTPS host-name verification turned on. Everything else
 * (keep-alive, clean session, will, credentials, automatic reconnect) is Paho's default and the
 * caller's to change.
 *
 * <p>What is refused, before a byte is sent:
 *
 * <ul>
 *   <li>{@code tcp://} and {@code ws://} URIs, when the client is built and at every connect, with
 *       a {@link PlaintextRefusedException}, unless the policy names the host in {@link
 *       TlsPolicy.Builder#insecureAllowPlaintextTo(String, String)}; any scheme other than {@code
 *       ssl}, {@code wss}, {@code tcp} and {@code ws}, with an {@link IllegalArgumentException}.
 *   <li>Options whose socket factory is missing, was replaced, or was made for another policy;
 *       options with HTTPS host-name verification turned off; options with Paho SSL properties
 *       (which Paho ignores once a socket factory is set): {@link IllegalArgumentException}.
 *   <li>A user name, password or (MQTT 5) authentication data on a connection that is not TLS, even
 *       to an exempted host: {@link PlaintextRefusedException}.
 * </ul>
 *
 * <p>What wins: the clients returned here check the options on every connect, including {@code
 * reconnect()} and Paho's automatic reconnects, so options changed after they were built are judged
 * when they are used. {@code connect()} without options uses {@link #connectOptions(TlsPolicy)} (or
 * {@link #connectionOptions(TlsPolicy)}) rather than Paho's unconfigured defaults. A {@code
 * HostnameVerifier} set on the options can only add a check: Paho 5 calls it after the handshake,
 * and Paho 3 ignores it while HTTPS verification is on. A refusal during an automatic reconnect is
 * thrown on Paho's reconnect thread and ends the reconnect cycle. Messages name the server URI
 * (without user info) and the client id, never a password.
 *
 * <p>Persistence: the clients keep in-flight QoS 1 and 2 messages in memory ({@code
 * MemoryPersistence}), unlike Paho's own constructors, which write them to a folder in the
 * process's working directory. Pass a directory to get Paho's file persistence there.
 *
 * <p>Options for a TLS connection built by hand ({@code new MqttConnectOptions()} and {@code
 * setSocketFactory(PahoTls.socketFactory(policy))}) pass the checks as well. Paho clients not built
 * here do not check anything: with options from this class they still verify every TLS handshake,
 * but a {@code tcp://} URI then fails only because Paho refuses a TLS factory for it.
 *
 * <p><b>Security</b>: a plaintext exemption in the policy lets {@code tcp://} and {@code ws://} to
 * that one host through, with options that carry no socket factory ({@code new
 * MqttConnectOptions()}) and no credentials; everything on that connection travels in clear. File
 * persistence ({@link #client(TlsPolicy, String, String, Path)} and the like) writes message
 * payloads unencrypted to the directory given.
 */
public final class PahoTls {
  /** The protocol name carried by Moat's refusals for these clients. */
  public static final String PROTOCOL = MqttChecks.PROTOCOL;

  private PahoTls() {}

  /**
   * The policy's socket factory for MQTT, for options assembled by hand. Prefer {@link
   * #connectOptions(TlsPolicy)}, which also turns host-name verification on.
   */
  public static SSLSocketFactory socketFactory(TlsPolicy policy) {
    return new MqttSocketFactory(Objects.requireNonNull(policy, "policy"));
  }

  // ------------------------------------------------------------------ MQTT 3.1.1

  /**
   * MQTT 3.1.1 connect options wired to the policy: its socket factory and HTTPS host-name
   * verification on (Paho 3 has it off by default). A new object each call.
   */
  public static MqttConnectOptions connectOptions(TlsPolicy policy) {
    return V3.options(Objects.requireNonNull(policy, "policy"));
  }

  /**
   * A blocking MQTT 3.1.1 client for {@code serverUri} that keeps in-flight messages in memory and
   * checks its options at every connect.
   *
   * @param serverUri {@code ssl://host:port} or {@code wss://host:port/path}
   * @throws PlaintextRefusedException for {@code tcp://} or {@code ws://} without exemption
   * @throws IllegalArgumentException for any other unsupported URI
   * @throws MqttException when Paho cannot create the client
   */
  public static MqttClient client(TlsPolicy policy, String serverUri, String clientId)
      throws MqttException {
    check(policy, serverUri, clientId);
    return new V3.CheckedClient(policy, serverUri, clientId, new MemoryPersistence());
  }

  /**
   * {@link #client(TlsPolicy, String, String)} with Paho's file persistence in {@code
   * persistenceDirectory}.
   *
   * @throws PlaintextRefusedException for {@code tcp://} or {@code ws://} without exemption
   * @throws MqttException when Paho cannot create the client
   */
  public static MqttClient client(
      TlsPolicy policy, String serverUri, String clientId, Path persistenceDirectory)
      throws MqttException {
    check(policy, serverUri, clientId);
    return new V3.CheckedClient(
        policy, serverUri, clientId, filePersistenceV3(persistenceDirectory));
  }

  /**
   * An asynchronous MQTT 3.1.1 client for {@code serverUri} that keeps in-flight messages in memory
   * and checks its options at every connect.
   *
   * @throws PlaintextRefusedException for {@code tcp://} or {@code ws://} without exemption
   * @throws MqttException when Paho cannot create the client
   */
  public static MqttAsyncClient asyncClient(TlsPolicy policy, String serverUri, String clientId)
      throws MqttException {
    check(policy, serverUri, clientId);
    return new V3.CheckedAsyncClient(policy, serverUri, clientId, new MemoryPersistence());
  }

  /**
   * {@link #asyncClient(TlsPolicy, String, String)} with Paho's file persistence in {@code
   * persistenceDirectory}.
   *
   * @throws PlaintextRefusedException for {@code tcp://} or {@code ws://} without exemption
   * @throws MqttException when Paho cannot create the client
   */
  public static MqttAsyncClient asyncClient(
      TlsPolicy policy, String serverUri, String clientId, Path persistenceDirectory)
      throws MqttException {
    check(policy, serverUri, clientId);
    return new V3.CheckedAsyncClient(
        policy, serverUri, clientId, filePersistenceV3(persistenceDirectory));
  }

  // ------------------------------------------------------------------ MQTT 5

  /**
   * MQTT 5 connection options wired to the policy: its socket factory and HTTPS host-name
   * verification on. A new object each call.
   */
  public static MqttConnectionOptions connectionOptions(TlsPolicy policy) {
    return V5.options(Objects.requireNonNull(policy, "policy"));
  }

  /**
   * A blocking MQTT 5 client for {@code serverUri} that keeps in-flight messages in memory and
   * checks its options at every connect.
   *
   * @throws PlaintextRefusedException for {@code tcp://} or {@code ws://} without exemption
   * @throws org.eclipse.paho.mqttv5.common.MqttException when Paho cannot create the client
   */
  public static org.eclipse.paho.mqttv5.client.MqttClient clientV5(
      TlsPolicy policy, String serverUri, String clientId)
      throws org.eclipse.paho.mqttv5.common.MqttException {
    check(policy, serverUri, clientId);
    return new V5.CheckedClient(
        policy,
        serverUri,
        clientId,
        new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
  }

  /**
   * {@link #clientV5(TlsPolicy, String, String)} with Paho's file persistence in {@code
   * persistenceDirectory}.
   *
   * @throws PlaintextRefusedException for {@code tcp://} or {@code ws://} without exemption
   * @throws org.eclipse.paho.mqttv5.common.MqttException when Paho cannot create the client
   */
  public static org.eclipse.paho.mqttv5.client.MqttClient clientV5(
      TlsPolicy policy, String serverUri, String clientId, Path persistenceDirectory)
      throws org.eclipse.paho.mqttv5.common.MqttException {
    check(policy, serverUri, clientId);
    return new V5.CheckedClient(
        policy, serverUri, clientId, filePersistenceV5(persistenceDirectory));
  }

  /**
   * An asynchronous MQTT 5 client for {@code serverUri} that keeps in-flight messages in memory and
   * checks its options at every connect.
   *
   * @throws PlaintextRefusedException for {@code tcp://} or {@code ws://} without exemption
   * @throws org.eclipse.paho.mqttv5.common.MqttException when Paho cannot create the client
   */
  public static org.eclipse.paho.mqttv5.client.MqttAsyncClient asyncClientV5(
      TlsPolicy policy, String serverUri, String clientId)
      throws org.eclipse.paho.mqttv5.common.MqttException {
    check(policy, serverUri, clientId);
    return new V5.CheckedAsyncClient(
        policy,
        serverUri,
        clientId,
        new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
  }

  /**
   * {@link #asyncClientV5(TlsPolicy, String, String)} with Paho's file persistence in {@code
   * persistenceDirectory}.
   *
   * @throws PlaintextRefusedException for {@code tcp://} or {@code ws://} without exemption
   * @throws org.eclipse.paho.mqttv5.common.MqttException when Paho cannot create the client
   */
  public static org.eclipse.paho.mqttv5.client.MqttAsyncClient asyncClientV5(
      TlsPolicy policy, String serverUri, String clientId, Path persistenceDirectory)
      throws org.eclipse.paho.mqttv5.common.MqttException {
    check(policy, serverUri, clientId);
    return new V5.CheckedAsyncClient(
        policy, serverUri, clientId, filePersistenceV5(persistenceDirectory));
  }

  // ------------------------------------------------------------------ diagnosis

  /**
   * Why a connect to {@code serverUri} failed, as Moat's typed refusal: the trust manager's own
   * refusal when there is one, a JDK handshake failure worded by {@link
   * dev.moat.core.TlsRefusals#explain}, or {@link dev.moat.core.Check#PLAINTEXT} when the broker
   * ended the connection in answer to the TLS ClientHello without a TLS reply, which is what a
   * plain MQTT listener does. Empty when the failure is no TLS refusal (a refused TCP connection, a
   * broker that rejects the CONNECT, a timeout).
   *
   * <pre>{@code
   * try {
   *   client.connect(options);
   * } catch (MqttException e) {
   *   PahoTls.explain(e, uri).ifPresent(refusal -> log.warn(refusal.getMessage()));
   * }
   * }</pre>
   */
  public static Optional<TlsRefusalException> explain(Throwable failure, String serverUri) {
    Objects.requireNonNull(failure, "failure");
    MqttChecks.Endpoint endpoint = MqttChecks.parse(serverUri, "");
    return MqttChecks.explain(failure, endpoint);
  }

  // ------------------------------------------------------------------ helpers

  private static void check(TlsPolicy policy, String serverUri, String clientId) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(serverUri, "serverUri");
    Objects.requireNonNull(clientId, "clientId");
    MqttChecks.checkUri(policy, serverUri, clientId);
  }

  private static MqttDefaultFilePersistence filePersistenceV3(Path directory) {
    return new MqttDefaultFilePersistence(
        Objects.requireNonNull(directory, "persistenceDirectory").toString());
  }

  private static org.eclipse.paho.mqttv5.client.persist.MqttDefaultFilePersistence
      filePersistenceV5(Path directory) {
    return new org.eclipse.paho.mqttv5.client.persist.MqttDefaultFilePersistence(
        Objects.requireNonNull(directory, "persistenceDirectory").toString());
  }
}
