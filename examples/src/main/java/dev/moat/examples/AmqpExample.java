package dev.moat.examples;

import dev.moat.amqp.AmqpClient;
import dev.moat.amqp.AmqpException;
import dev.moat.amqp.ProtonTls;
import dev.moat.core.Pem;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusals;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;

/**
 * amqp: the blocking AMQP 1.0 client of {@link ProtonTls} (Qpid Proton-J), against your broker
 * (none is embedded here): send a message and receive it back over verified TLS; then {@code
 * amqp://} refused before any connection, and the same broker refused for a pin that matches none
 * of its keys ({@code PIN}).
 *
 * <pre>{@code ./mvnw -q -pl examples -am verify -DskipTests -Pdemo -Dmoat.example=AmqpExample \
 *     -Dmoat.args='amqps://localhost:5671 ca.pem'}</pre>
 */
public final class AmqpExample {
  static final String USAGE = """
      usage: AmqpExample amqps://[USER:PASSWORD@]HOST:PORT CA.pem
        Connects to an AMQP 1.0 broker over TLS (SASL PLAIN with the URI's user, else ANONYMOUS),
        trusting only the CA certificates in CA.pem; the broker's certificate must name HOST. Sends
        to and receives from the address "moat.example". No broker is embedded in the examples:
        start one with a TLS acceptor, e.g. Apache ActiveMQ Artemis with
          <acceptor name="amqps">tcp://127.0.0.1:5671?protocols=AMQP;sslEnabled=true;
            keyStorePath=server.p12;keyStorePassword=changeit</acceptor>
        where server.p12 holds a chain for "localhost" issued by CA.pem, then run with
          -Dmoat.args='amqps://localhost:5671 CA.pem'""";

  private AmqpExample() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.out.println(USAGE);
      return;
    }
    String uri = args[0];
    TlsPolicy policy = TlsPolicy.builder().trustRoots(Pem.readCertificates(Path.of(args[1]))).build();

    try (AmqpClient client = ProtonTls.connect(policy, uri)) { // the one-line construction
      client.send("moat.example", "hello over TLS"); // returns once the broker accepted it
      Object body = client.receive("moat.example", Duration.ofSeconds(10))
          .map(m -> ((AmqpValue) m.getBody()).getValue()).orElse("nothing");
      System.out.println("good:      received '" + body + "'");
    }

    String host = URI.create(uri).getHost();
    try {
      ProtonTls.connect(policy, "amqp://" + host + ":5672").close();
    } catch (IllegalArgumentException e) { // PlaintextRefusedException: nothing was sent
      System.out.println("amqp://:   refused, " + e.getMessage().lines().findFirst().orElse(""));
    }

    TlsPolicy pinned = policy.toBuilder().pin(host, // two pins that match none of the broker's keys
        "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "sha256/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=").build();
    try (AmqpClient client = ProtonTls.connect(pinned, uri)) {
      System.out.println("wrong pin: connected (unexpected) " + client);
    } catch (AmqpException e) { // the refusal lists the broker's chain with the sha256/ pin of each key
      System.out.println("wrong pin: refused, " + TlsRefusals.find(e).orElseThrow().getMessage());
    }
  }
}
