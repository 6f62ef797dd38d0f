package dev.moat.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.moat.core.Check;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.core.TlsRefusals;
import dev.moat.testkit.Credentials;
import dev.moat.testkit.ServerFiles;
import dev.moat.testkit.TestPki;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A TLS master and a TLS Sentinel that reports it as {@code 127.0.0.1}; the certificate names only
 * {@code localhost}. The Sentinel-discovered master is verified as the configured node host name.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisSentinelTlsTest {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final TestPki PKI = TestPki.shared();
  private static final TlsPolicy POLICY = TlsPolicy.builder().trustRoot(PKI.root()).build();

  private static RedisServer master;
  private static RedisServer sentinel;

  @BeforeAll
  static void startMasterAndSentinel() throws Exception {
    Credentials leaf = PKI.leafBuilder().sans("DNS:localhost").build();
    ServerFiles files = PKI.writeServerFiles(leaf, REDIS.dir("sentinel-certs"));
    master = REDIS.start(REDIS.config("master").tls(files));
    sentinel =
        REDIS.start(
            REDIS.config("sentinel")
                .configFile(
                    "sentinel monitor mymaster 127.0.0.1 " + master.port() + " 1\n"
                        + "sentinel down-after-milliseconds mymaster 60000\n")
                .tls(files)
                .extra("--tls-replication", "yes", "--sentinel"));
  }

  private static RedisURI sentinelUri() {
    return RedisURI.builder()
        .withSentinel("localhost", sentinel.port())
        .withSentinelMasterId("mymaster")
        .withSsl(true)
        .withTimeout(Duration.ofSeconds(30))
        .build();
  }

  @Test
  void redisClient_sentinelMasterByIp_verifiedAsNodeHostName() {
    ClientResources resources = LettuceTls.clientResources(POLICY, "localhost");
    RedisClient client = LettuceTls.redisClient(POLICY, resources, sentinelUri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      assertThat(connection.sync().set("moat:sentinel", "ok")).isEqualTo("OK");
      assertThat(connection.sync().get("moat:sentinel")).isEqualTo("ok");
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void redisClient_sentinelMasterByIpWithoutNodeHostName_refusedHostname() {
    RedisClient client = LettuceTls.redisClient(POLICY, sentinelUri());
    try {
      Throwable thrown = catchThrowable(client::connect);
      assertThat(TlsRefusals.find(thrown))
          .as("refusal in %s", thrown)
          .map(TlsRefusalException::host)
          .contains("127.0.0.1");
      assertThat(TlsRefusals.find(thrown)).map(TlsRefusalException::check).contains(Check.HOSTNAME);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void redisClient_sentinelRefusalWithCredentials_tracesCarryNoCredentials() {
    RedisURI uri = sentinelUri();
    uri.setCredentialsProvider(
        new io.lettuce.core.StaticCredentialsProvider("alice", "s3cr3t-Pa55".toCharArray()));
    RedisClient client = LettuceTls.redisClient(POLICY, uri);
    try {
      for (Throwable thrown :
          List.of(
              catchThrowable(client::connect),
              catchThrowable(() -> client.connectAsync(
                  io.lettuce.core.codec.StringCodec.UTF8, uri).get(30, TimeUnit.SECONDS)))) {
        assertThat(TlsRefusals.find(thrown)).map(TlsRefusalException::check).contains(Check.HOSTNAME);
        java.io.StringWriter trace = new java.io.StringWriter();
        thrown.printStackTrace(new java.io.PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain("alice").doesNotContain("s3cr3t-Pa55");
      }
      assertThat(client.toString()).contains("rediss-sentinel://***@localhost:").doesNotContain("alice");
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    // A refused Sentinel connection: Lettuce alone names the URI as rediss-sentinel://alice:***...
    TlsPolicy pinned =
        POLICY.toBuilder()
            .pin("localhost", TestPki.unrelatedPins(2).stream().map(Object::toString).toArray(String[]::new))
            .build();
    RedisClient sentinelClient = LettuceTls.redisClient(pinned, uri);
    try {
      Throwable thrown = catchThrowable(sentinelClient::connectSentinel);
      assertThat(TlsRefusals.find(thrown)).map(TlsRefusalException::check).contains(Check.PIN);
      java.io.StringWriter trace = new java.io.StringWriter();
      thrown.printStackTrace(new java.io.PrintWriter(trace));
      assertThat(trace.toString()).doesNotContain("alice").doesNotContain("s3cr3t-Pa55");
    } finally {
      sentinelClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
