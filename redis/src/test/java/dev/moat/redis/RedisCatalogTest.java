package dev.moat.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.moat.core.TlsRefusalException;
import dev.moat.core.TlsRefusals;
import dev.moat.testkit.BadTls;
import dev.moat.testkit.Scenario;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole bad-TLS catalog against real {@code redis-server} processes (one per scenario, started
 * in parallel once for the class), through a {@link RedisClient} from {@link LettuceTls}: every bad
 * scenario is refused with its typed check within a bounded time, GOOD does SET/GET round trips.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisCatalogTest {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final Duration BOUND = Duration.ofSeconds(15);
  private static final Map<String, RedisServer> SERVERS = new ConcurrentHashMap<>();
  private static final Map<String, String> START_FAILURES = new ConcurrentHashMap<>();

  @BeforeAll
  static void startOneServerPerScenario() throws IOException, InterruptedException {
    List<RedisServer> launched = new ArrayList<>();
    for (Scenario scenario : BadTls.catalog()) {
      if (scenario.pendingRevocationSupport()) {
        continue;
      }
      RedisServer.Config config = REDIS.config(scenario.name());
      if (!scenario.plaintext()) {
        config
            .tls(scenario.writeServerFiles(REDIS.dir(scenario.name() + "-certs")))
            .protocols(scenario.opensslProtocols())
            .ciphers(scenario.opensslCiphers());
      }
      launched.add(REDIS.launch(config));
    }
    for (RedisServer server : launched) {
      try {
        SERVERS.put(server.name(), server.awaitReady());
      } catch (IllegalStateException e) {
        START_FAILURES.put(server.name(), e.getMessage());
      }
    }
  }

  @ParameterizedTest(name = "{0} via LettuceTls.redisClient")
  @MethodSource("dev.moat.testkit.BadTls#catalog")
  void connect_catalogScenario_refusedWithCheckOrRoundTrips(Scenario scenario) throws Exception {
    assumeFalse(
        scenario.pendingRevocationSupport(), () -> scenario.unavailableReason().orElse("pending"));
    assertThat(START_FAILURES.get(scenario.name()))
        .as("redis-server for %s failed to start", scenario.name())
        .isNull();
    RedisServer server = SERVERS.get(scenario.name());
    RedisURI uri =
        RedisURI.builder()
            .withHost(scenario.host())
            .withPort(server.port())
            .withSsl(true)
            // Generous: the first connection in a cold JVM on two busy cores takes seconds.
            .withTimeout(Duration.ofSeconds(30))
            .build();
    RedisClient client = LettuceTls.redisClient(scenario.policy(), uri);
    // A plaintext redis-server never answers the ClientHello: a short handshake timeout keeps that
    // case quick. Moat keeps its own SslOptions and takes only this timeout from them.
    Duration handshake = scenario.plaintext() ? Duration.ofSeconds(3) : Duration.ofSeconds(10);
    client.setOptions(
        ClientOptions.builder()
            .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(5)).build())
            .sslOptions(SslOptions.builder().handshakeTimeout(handshake).build())
            .build());
    try {
      long started = System.nanoTime();
      if (scenario.expectsSuccess()) {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
          for (int i = 0; i < 3; i++) {
            assertThat(connection.sync().set("moat:key:" + i, "value " + i)).isEqualTo("OK");
            assertThat(connection.sync().get("moat:key:" + i)).isEqualTo("value " + i);
          }
        }
      } else {
        Throwable thrown = catchThrowable(client::connect);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(thrown).as("%s must be refused", scenario.name()).isNotNull();
        Optional<TlsRefusalException> refusal =
            TlsRefusals.explain(thrown, scenario.host(), server.port(), LettuceTls.PROTOCOL);
        assertThat(refusal).as("a typed refusal in %s", chain(thrown)).isPresent();
        assertThat(refusal.get().check()).isEqualTo(scenario.expectedCheck().orElseThrow());
        assertThat(took).isLessThan(BOUND);
        if (scenario.legacyProtocol()) {
          assumeTrue(
              serverSpeaks(server, scenario.opensslProtocols().get(0)),
              () -> "refused as " + refusal.get().check() + ", but Debian's OpenSSL in redis-server"
                  + " did not complete a " + scenario.opensslProtocols() + " handshake with a JSSE"
                  + " probe, so the scenario is not proven real on this machine");
        }
      }
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** Whether the server completes a handshake in this legacy protocol with a plain JSSE client. */
  private static boolean serverSpeaks(RedisServer server, String protocol) {
    try (SSLSocket socket =
        (SSLSocket)
            BadTls.catalog().get(0).pki().jdkClientSslContext().getSocketFactory()
                .createSocket("localhost", server.port())) {
      socket.setSoTimeout(5000);
      socket.setEnabledProtocols(new String[] {protocol});
      socket.startHandshake();
      return protocol.equals(socket.getSession().getProtocol());
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static String chain(Throwable t) {
    StringBuilder out = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      out.append("\n  ").append(c.getClass().getName()).append(": ").append(c.getMessage());
      for (Throwable suppressed : c.getSuppressed()) {
        out.append("\n    suppressed ").append(suppressed);
      }
    }
    return out.toString();
  }
}
