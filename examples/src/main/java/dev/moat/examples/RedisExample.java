package dev.moat.examples;

import dev.moat.core.Pem;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusals;
import dev.moat.redis.LettuceTls;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;

/**
 * redis: a Lettuce client built by {@link LettuceTls}, against your Redis (none is embedded here):
 * SET and GET over verified TLS; then {@code redis://} refused before any connection, and the same
 * server refused for a pin that matches none of its keys ({@code PIN}).
 *
 * <pre>{@code ./mvnw -q -pl examples -am verify -DskipTests -Pdemo -Dmoat.example=RedisExample \
 *     -Dmoat.args='rediss://localhost:6380 ca.pem'}</pre>
 */
public final class RedisExample {
  static final String USAGE = """
      usage: RedisExample rediss://[:PASSWORD@]HOST:PORT CA.pem
        Connects to Redis over TLS, trusting only the CA certificates in CA.pem; the server's
        certificate must name HOST. Sets and gets the key "moat:example". No server is embedded in
        the examples: start one with TLS (Debian package redis-server), e.g.
          redis-server --port 0 --tls-port 6380 --bind 127.0.0.1 --tls-auth-clients no \\
            --tls-cert-file server.crt --tls-key-file server.key --tls-ca-cert-file CA.pem
        where server.crt is a chain for "localhost" issued by CA.pem, then run with
          -Dmoat.args='rediss://localhost:6380 CA.pem'""";

  private RedisExample() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.out.println(USAGE);
      return;
    }
    String uri = args[0];
    TlsPolicy policy = TlsPolicy.builder().trustRoots(Pem.readCertificates(Path.of(args[1]))).build();

    RedisClient client = LettuceTls.redisClient(policy, uri); // the one-line construction
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      connection.sync().set("moat:example", "hello over TLS");
      System.out.println("good:       GET moat:example = '" + connection.sync().get("moat:example") + "'");
    } finally {
      client.shutdown();
    }

    RedisURI parsed = RedisURI.create(uri);
    try {
      LettuceTls.redisClient(policy, "redis://" + parsed.getHost() + ":6379").shutdown();
    } catch (IllegalArgumentException e) { // PlaintextRefusedException: nothing was sent
      System.out.println("redis://:   refused, " + e.getMessage().lines().findFirst().orElse(""));
    }

    TlsPolicy pinned = policy.toBuilder().pin(parsed.getHost(), // two pins that match none of its keys
        "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "sha256/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=").build();
    RedisClient wrongPin = LettuceTls.redisClient(pinned, uri);
    try (StatefulRedisConnection<String, String> connection = wrongPin.connect()) {
      System.out.println("wrong pin:  connected (unexpected) " + connection);
    } catch (RedisConnectionException e) { // the refusal lists the chain with the sha256/ pin of each key
      System.out.println("wrong pin:  refused, " + TlsRefusals.find(e).orElseThrow().getMessage());
    } finally {
      wrongPin.shutdown();
    }
  }
}
