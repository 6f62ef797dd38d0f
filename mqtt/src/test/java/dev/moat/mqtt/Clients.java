package dev.moat.mqtt;

import dev.moat.core.TlsPolicy;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/** Paho clients built by {@link PahoTls}, driven the same way for MQTT 3.1.1 and 5 in tests. */
final class Clients {
  /** Paho's connect (and TLS handshake) timeout, and every wait for the broker, in seconds. */
  static final int TIMEOUT_SECONDS = 10;

  enum Version {
    V3,
    V5
  }

  private Clients() {}

  static MqttConnectOptions v3Options(TlsPolicy policy) {
    MqttConnectOptions options = PahoTls.connectOptions(policy);
    options.setConnectionTimeout(TIMEOUT_SECONDS);
    return options;
  }

  static MqttConnectionOptions v5Options(TlsPolicy policy) {
    MqttConnectionOptions options = PahoTls.connectionOptions(policy);
    options.setConnectionTimeout(TIMEOUT_SECONDS);
    return options;
  }

  /** Connects with PahoTls options, disconnects, closes; throws what connect throws. */
  static void connect(Version version, TlsPolicy policy, String uri, String clientId)
      throws Exception {
    if (version == Version.V3) {
      MqttClient client = PahoTls.client(policy, uri, clientId);
      try {
        client.setTimeToWait(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        client.connect(v3Options(policy));
        client.disconnect();
      } finally {
        client.close();
      }
    } else {
      org.eclipse.paho.mqttv5.client.MqttClient client = PahoTls.clientV5(policy, uri, clientId);
      try {
        client.setTimeToWait(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        client.connect(v5Options(policy));
        client.disconnect();
      } finally {
        client.close();
      }
    }
  }

  /** {@link #roundTrip(MqttClient, MqttConnectOptions)} with a PahoTls client and options. */
  static String roundTrip(Version version, TlsPolicy policy, String uri, String clientId)
      throws Exception {
    if (version == Version.V3) {
      return roundTrip(PahoTls.client(policy, uri, clientId), v3Options(policy));
    }
    return roundTrip(PahoTls.clientV5(policy, uri, clientId), v5Options(policy));
  }

  /**
   * Connects, subscribes to its own topic at QoS 1, publishes one QoS 1 message, and returns the
   * payload that arrived at QoS 1 (null if none within the timeout); always closes the client.
   */
  static String roundTrip(MqttClient client, MqttConnectOptions options) throws Exception {
    BlockingQueue<String> arrived = new ArrayBlockingQueue<>(4);
    try {
      client.setTimeToWait(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
      client.connect(options);
      String topic = "moat/" + client.getClientId();
      client.subscribe(
          topic,
          1,
          (t, m) -> {
            if (m.getQos() == 1) {
              arrived.add(new String(m.getPayload(), StandardCharsets.UTF_8));
            }
          });
      client.publish(topic, payload(client.getClientId()), 1, false);
      String got = arrived.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      client.disconnect();
      return got;
    } finally {
      client.close();
    }
  }

  /** The MQTT 5 form of {@link #roundTrip(MqttClient, MqttConnectOptions)}. */
  static String roundTrip(
      org.eclipse.paho.mqttv5.client.MqttClient client, MqttConnectionOptions options)
      throws Exception {
    BlockingQueue<String> arrived = new ArrayBlockingQueue<>(4);
    try {
      client.setTimeToWait(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
      client.connect(options);
      String topic = "moat/" + client.getClientId();
      IMqttMessageListener listener =
          (t, m) -> {
            if (m.getQos() == 1) {
              arrived.add(new String(m.getPayload(), StandardCharsets.UTF_8));
            }
          };
      client.subscribe(
          new MqttSubscription[] {new MqttSubscription(topic, 1)},
          new IMqttMessageListener[] {listener});
      client.publish(topic, payload(client.getClientId()), 1, false);
      String got = arrived.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      client.disconnect();
      return got;
    } finally {
      client.close();
    }
  }

  /** What {@code roundTrip} publishes for a client id. */
  static String expected(String clientId) {
    return "hello from " + clientId;
  }

  private static byte[] payload(String clientId) {
    return expected(clientId).getBytes(StandardCharsets.UTF_8);
  }
}
