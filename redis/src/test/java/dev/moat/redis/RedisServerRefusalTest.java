package dev.moat.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.moat.core.Check;
import dev.moat.core.ClientIdentity;
import dev.moat.core.PlaintextRefusedException;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.core.TlsRefusals;
import dev.moat.testkit.Credentials;
import dev.moat.testkit.TestPki;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Refusals against real {@code redis-server} processes: plaintext refused with zero connections
 * reaching a plaintext server, CA mode refused where plain Lettuce would accept a wrong-host
 * certificate, mutual TLS with the policy's client identity, and URIs weakened after the factory
 * saw them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisServerRefusalTest {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final String SECRET = "s3cr3t-Pa55";
  private static final TestPki PKI = TestPki.shared();
  private static final TlsPolicy POLICY = TlsPolicy.builder().trustRoot(PKI.root()).build();

  private static RedisServer plaintext;
  private static RedisServer good;
  private static RedisServer wrongHost;
  private static RedisServer mutual;

  @BeforeAll
  static void startServers() throws IOException, InterruptedException {
    List<RedisServer> servers =
        REDIS.startAll(
            List.of(
                REDIS.config("plaintext"),
                REDIS.config("good").tls(PKI.writeServerFiles(PKI.goodChain(), REDIS.dir("good-certs"))),
                REDIS.config("wrong-host")
                    .tls(PKI.writeServerFiles(PKI.wrongHostLeaf(), REDIS.dir("wrong-host-certs"))),
                REDIS.config("mutual")
                    .tls(PKI.writeServerFiles(PKI.goodChain(), REDIS.dir("mutual-certs")))
                    .authClients("yes")));
    plaintext = servers.get(0);
    good = servers.get(1);
    wrongHost = servers.get(2);
    mutual = servers.get(3);
  }

  @Test
  void redisClient_redisUriToPlaintextServer_refusedWithZeroConnections() throws Exception {
    long before = plaintext.plaintextStat("total_connections_received");
    String uri = "redis://:" + SECRET + "@localhost:" + plaintext.port();

    assertThatThrownBy(() -> LettuceTls.redisClient(POLICY, uri))
        .isInstanceOf(PlaintextRefusedException.class)
        .hasMessageContaining("redis://***@localhost:" + plaintext.port())
        .hasMessageContaining("insecureAllowPlaintextTo(\"localhost\"")
        .message()
        .doesNotContain(SECRET);

    // The same URI through a client built for TLS, whose URI is then switched to plaintext.
    RedisURI weakened = RedisURI.create("rediss://localhost:" + plaintext.port());
    RedisClient client = LettuceTls.redisClient(POLICY, weakened);
    try {
      weakened.setSsl(false);
      Throwable later = catchThrowable(client::connect);
      assertThat(plaintextRefusal(later)).isPresent();
      Throwable other = catchThrowable(() -> client.connect(RedisURI.create(uri)));
      assertThat(plaintextRefusal(other)).isPresent();
      assertThat(other).hasStackTraceContaining("redis://***@localhost");
      assertThat(stackTrace(other)).doesNotContain(SECRET);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    // Only this test's own INFO connection arrived: one more than before.
    assertThat(plaintext.plaintextStat("total_connections_received")).isEqualTo(before + 1);
  }

  @Test
  void redisClient_plaintextExemption_connectsAndIsCounted() throws Exception {
    long before = plaintext.plaintextStat("total_connections_received");
    TlsPolicy exempt =
        POLICY.toBuilder().insecureAllowPlaintextTo("localhost", "local plaintext test server").build();
    RedisClient client = LettuceTls.redisClient(exempt, "redis://localhost:" + plaintext.port());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      assertThat(connection.sync().set("exempt", "yes")).isEqualTo("OK");
      assertThat(connection.sync().get("exempt")).isEqualTo("yes");
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    // The control for the test above: a connection that does happen is counted.
    assertThat(plaintext.plaintextStat("total_connections_received")).isGreaterThan(before + 1);
  }

  @Test
  void plainLettuce_verifyPeerCaToWrongHost_acceptsButLettuceTlsRefuses() throws Exception {
    RedisURI ca =
        RedisURI.builder().withHost("localhost").withPort(wrongHost.port()).withSsl(true)
            .withVerifyPeer(SslVerifyMode.CA).withTimeout(Duration.ofSeconds(10)).build();

    // The threat: Lettuce's CA mode accepts a certificate issued for another host name.
    RedisClient plain = RedisClient.create(ca);
    plain.setOptions(
        ClientOptions.builder()
            .sslOptions(SslOptions.builder().jdkSslProvider().trustManager(jdkTrust()).build())
            .build());
    try (StatefulRedisConnection<String, String> connection = plain.connect()) {
      assertThat(connection.sync().ping()).isEqualTo("PONG");
    } finally {
      plain.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    int accepted = accepted(wrongHost);
    assertThatThrownBy(() -> LettuceTls.redisClient(POLICY, ca))
        .isInstanceOfSatisfying(
            RedisUriRefusedException.class, e -> assertThat(e.check()).isEqualTo(Check.HOSTNAME))
        .hasMessageContaining("rediss://localhost:" + wrongHost.port() + "?verifyPeer=CA");

    // With FULL, Moat's trust manager refuses the certificate itself.
    ca.setVerifyPeer(SslVerifyMode.FULL);
    RedisClient client = LettuceTls.redisClient(POLICY, ca);
    try {
      Throwable thrown = catchThrowable(client::connect);
      assertThat(TlsRefusals.find(thrown)).map(TlsRefusalException::check).contains(Check.HOSTNAME);
      // And CA set on the same URI after the factory: refused before connecting.
      ca.setVerifyPeer(SslVerifyMode.CA);
      int acceptedBefore = accepted(wrongHost);
      Throwable later = catchThrowable(client::connect);
      assertThat(causeOfType(later, RedisUriRefusedException.class)).isPresent();
      assertThat(accepted(wrongHost)).isEqualTo(acceptedBefore);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    assertThat(accepted(wrongHost)).isEqualTo(accepted + 1);
  }

  @Test
  void handBuiltClient_verifyPeerNoneOnMoatResources_refusedByGuardBeforeConnect()
      throws Exception {
    ClientResources resources = LettuceTls.clientResources(POLICY);
    RedisURI none =
        RedisURI.builder().withHost("localhost").withPort(good.port()).withSsl(true)
            .withVerifyPeer(SslVerifyMode.NONE).withTimeout(Duration.ofSeconds(10)).build();
    // Plain Lettuce API, only the hooks: RedisClient.create does not run LettuceTls's URI check.
    RedisClient client = RedisClient.create(resources, none);
    client.setOptions(LettuceTls.clientOptions(POLICY));
    int before = accepted(good);
    try {
      Throwable thrown = catchThrowable(client::connect);
      assertThat(causeOfType(thrown, RedisUriRefusedException.class))
          .map(RedisUriRefusedException::check)
          .contains(Check.TRUST_PATH);
      RedisURI plain = RedisURI.create("redis://localhost:" + plaintext.port());
      Throwable plaintextThrown = catchThrowable(() -> client.connect(plain));
      assertThat(plaintextRefusal(plaintextThrown)).isPresent();
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      resources.shutdown(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
    assertThat(accepted(good)).isEqualTo(before);
  }

  @Test
  void redisClient_setOptionsWithoutSsl_keepsPolicyTrustManager() {
    RedisClient client =
        LettuceTls.redisClient(POLICY, RedisURI.create("rediss://localhost:" + wrongHost.port()));
    client.setOptions(ClientOptions.create());
    try {
      Throwable thrown = catchThrowable(client::connect);
      // Moat's own refusal type proves the policy's trust manager ran, not the JDK default.
      assertThat(TlsRefusals.find(thrown)).map(TlsRefusalException::check).contains(Check.HOSTNAME);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void redisClient_mutualTlsWithPolicyIdentity_connects() {
    Credentials identity = PKI.clientIdentity("moat-redis-client");
    TlsPolicy withIdentity =
        POLICY.toBuilder()
            .clientIdentity(ClientIdentity.of(identity.key(), identity.chain()))
            .build();
    RedisClient client =
        LettuceTls.redisClient(withIdentity, RedisURI.create("rediss://localhost:" + mutual.port()));
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      assertThat(connection.sync().set("mtls", "on")).isEqualTo("OK");
      assertThat(connection.sync().get("mtls")).isEqualTo("on");
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void redisClient_mutualTlsWithoutIdentity_fails() {
    RedisClient client =
        LettuceTls.redisClient(POLICY, RedisURI.create("rediss://localhost:" + mutual.port()));
    try {
      Throwable thrown =
          catchThrowable(
              () -> {
                try (StatefulRedisConnection<String, String> connection = client.connect()) {
                  connection.sync().ping();
                }
              });
      assertThat(thrown).isNotNull();
      assertThat(mutual.log()).contains("peer did not return a certificate");
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  // ---------------------------------------------------------------- helpers

  private static Optional<PlaintextRefusedException> plaintextRefusal(Throwable t) {
    return causeOfType(t, PlaintextRefusedException.class);
  }

  private static <T extends Throwable> Optional<T> causeOfType(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return Optional.of(type.cast(c));
      }
      for (Throwable s : c.getSuppressed()) {
        if (type.isInstance(s)) {
          return Optional.of(type.cast(s));
        }
      }
    }
    return Optional.empty();
  }

  /** The JDK's own PKIX trust manager over the test root: what a plain Lettuce user configures. */
  private static javax.net.ssl.TrustManagerFactory jdkTrust() throws Exception {
    javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
    factory.init(PKI.trustStore());
    return factory;
  }

  private static String stackTrace(Throwable t) {
    java.io.StringWriter out = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }

  /** Connections the TLS server logged as accepted (loglevel verbose). */
  private static int accepted(RedisServer server) {
    Matcher m = Pattern.compile("Accepted 127\\.0\\.0\\.1:\\d+").matcher(server.log());
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
