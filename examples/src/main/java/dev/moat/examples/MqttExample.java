package dev.moat.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.moat.core.Pem;
import dev.moat.core.TlsPolicy;
import dev.moat.mqtt.PahoTls;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * mqtt: Eclipse Paho (MQTT 3.1.1) built by {@link PahoTls}, against your broker (none is embedded
 * here): subscribe, publish and receive over verified TLS; then {@code tcp://} refused before any
 * connection, and the same broker refused for a pin that matches none of its keys ({@code PIN}).
 *
 * <pre>{@code ./mvnw -q -pl examples -am verify -DskipTests -Pdemo -Dmoat.example=MqttExample \
 *     -Dmoat.args='ssl://localhost:8883 ca.pem'}</pre>
 */
public final class MqttExample {
  static final String USAGE = """
      usage: MqttExample ssl://HOST:PORT CA.pem
        Connects to an MQTT broker over TLS, trusting only the CA certificates in CA.pem; the broker's
        certificate must name HOST. No broker is embedded in the examples: start one with a TLS
        listener, e.g. mosquitto (Debian package mosquitto) with
          listener 8883 127.0.0.1
          certfile server.crt
          keyfile server.key
        where server.crt is a chain for "localhost" issued by CA.pem, then run with
          -Dmoat.args='ssl://localhost:8883 CA.pem'""";

  private MqttExample() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.out.println(USAGE);
      return;
    }
    String uri = args[0];
    TlsPolicy policy = TlsPolicy.builder().trustRoots(Pem.readCertificates(Path.of(args[1]))).build();

    MqttClient client = PahoTls.client(policy, uri, "moat-example"); // the one-line construction
    try {
      client.connect(PahoTls.connectOptions(policy));
      BlockingQueue<String> received = new ArrayBlockingQueue<>(1);
      client.subscribe("moat/example", 1, (topic, m) -> received.offer(new String(m.getPayload(), UTF_8)));
      client.publish("moat/example", "hello over TLS".getBytes(UTF_8), 1, false);
      System.out.println("good:      received '" + received.poll(10, TimeUnit.SECONDS) + "'");
      client.disconnect();
    } finally {
      client.close();
    }

    String host = URI.create(uri).getHost();
    try {
      PahoTls.client(policy, "tcp://" + host + ":1883", "moat-example");
    } catch (IllegalArgumentException e) { // PlaintextRefusedException: nothing was sent
      System.out.println("tcp://:    refused, " + e.getMessage().lines().findFirst().orElse(""));
    }

    TlsPolicy pinned = policy.toBuilder().pin(host, // two pins that match none of the broker's keys
        "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "sha256/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=").build();
    MqttClient wrongPin = PahoTls.client(pinned, uri, "moat-example-pinned");
    try {
      wrongPin.connect(PahoTls.connectOptions(pinned));
      System.out.println("wrong pin: connected (unexpected)");
    } catch (MqttException e) { // the refusal lists the broker's chain with the sha256/ pin of each key
      System.out.println("wrong pin: refused, " + PahoTls.explain(e, uri).orElseThrow().getMessage());
    } finally {
      wrongPin.close();
    }
  }
}
