package dev.moat.mqtt;

import dev.moat.testkit.BadTls;
import dev.moat.testkit.Scenario;
import dev.moat.testkit.TestPki;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one {@link HiveMqBroker} for the whole test run (HiveMQ takes seconds to start): a
 * listener per bad-TLS catalog scenario, named after it, plus the listeners of {@link
 * MqttBrokerTest}. JUnit closes it after the last test class.
 */
final class SharedBroker implements BeforeAllCallback {
  /** TLS listener that requires a client certificate issued under the test root. */
  static final String MUTUAL_TLS = "MUTUAL_TLS";

  /**
   * {@link #MUTUAL_TLS} with TLS 1.2 only, where the broker refuses a missing client certificate
   * inside the handshake. (Under TLS 1.3 the refusal arrives after the client's handshake is done,
   * and Paho 1.2.5 may then leave a connect thread spinning in {@code CommsReceiver.start}.)
   */
  static final String MUTUAL_TLS_12 = "MUTUAL_TLS_12";

  /** Secure WebSocket listener at {@code /mqtt} with the good chain. */
  static final String WSS = "WSS";

  /** Secure WebSocket listener whose certificate names another host. */
  static final String WSS_WRONG_HOST = "WSS_WRONG_HOST";

  /** Plaintext MQTT listener. */
  static final String PLAIN_MQTT = "PLAIN_MQTT";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedBroker.class);
  private static volatile HiveMqBroker broker;

  /** The running broker; only inside a class extended with {@code SharedBroker}. */
  static HiveMqBroker broker() {
    HiveMqBroker b = broker;
    if (b == null) {
      throw new IllegalStateException(
          "annotate the test class with @ExtendWith(SharedBroker.class)");
    }
    return b;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    broker =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent("broker", key -> start(), HiveMqBroker.class);
  }

  private static HiveMqBroker start() {
    // BadTls is loaded first: it re-enables TLS 1.0/1.1 in JSSE before the broker builds a context.
    List<Scenario> catalog = BadTls.catalog();
    TestPki pki = TestPki.shared();
    HiveMqBroker.Builder builder = HiveMqBroker.builder();
    for (Scenario s : catalog) {
      if (s.unavailableReason().isPresent()) {
        continue;
      }
      if (s.plaintext()) {
        builder.plaintext(s.name());
      } else {
        builder.tls(
            s.name(), s.credentials().orElseThrow(), s.serverProtocols(), s.serverCipherSuites());
      }
    }
    builder
        .mutualTls(MUTUAL_TLS, pki.goodChain(), pki.root(), List.of())
        .mutualTls(MUTUAL_TLS_12, pki.goodChain(), pki.root(), List.of("TLSv1.2"))
        .tlsWebSocket(WSS, pki.goodChain())
        .tlsWebSocket(WSS_WRONG_HOST, pki.wrongHostLeaf())
        .plaintext(PLAIN_MQTT);
    try {
      return builder.start();
    } catch (Exception e) {
      throw new IllegalStateException("HiveMQ did not start: " + e, e);
    }
  }
}
