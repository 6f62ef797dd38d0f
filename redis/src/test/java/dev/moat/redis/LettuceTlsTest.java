package dev.moat.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.core.Check;
import dev.moat.core.PlaintextRefusedException;
import dev.moat.core.TlsPolicy;
import dev.moat.testkit.TestPki;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.cluster.RedisClusterClient;
import java.util.List;
import org.junit.jupiter.api.Test;

/** URI checks, redaction and option hooks; no server needed, nothing is connected. */
class LettuceTlsTest {
  private static final String SECRET = "s3cr3t-Pa55";
  private static final TlsPolicy POLICY =
      TlsPolicy.builder().trustRoot(TestPki.shared().root()).build();

  @Test
  void redisClient_redisUri_refusedNamingUriAndExemption() {
    assertThatThrownBy(
            () -> LettuceTls.redisClient(POLICY, "redis://alice:" + SECRET + "@cache.example.com:6379/2"))
        .isInstanceOf(PlaintextRefusedException.class)
        .hasMessageContaining("redis://***@cache.example.com:6379/2")
        .hasMessageContaining("[check: PLAINTEXT]")
        .hasMessageContaining("insecureAllowPlaintextTo(\"cache.example.com\"")
        .message()
        .doesNotContain(SECRET)
        .doesNotContain("alice");
  }

  @Test
  void redisClient_sentinelWithoutTls_refusedNamingSentinels() {
    String uri = "redis-sentinel://:" + SECRET + "@s1.example.com:26379,s2.example.com:26379/0#mymaster";
    assertThatThrownBy(() -> LettuceTls.redisClient(POLICY, uri))
        .isInstanceOf(PlaintextRefusedException.class)
        .hasMessageContaining("redis-sentinel://***@s1.example.com:26379,s2.example.com:26379#mymaster")
        .message()
        .doesNotContain(SECRET);
  }

  @Test
  void redisClient_verifyPeerCa_refusedWithHostnameCheck() {
    assertThatThrownBy(
            () -> LettuceTls.redisClient(POLICY, "rediss://:" + SECRET + "@cache.example.com?verifyPeer=CA"))
        .isInstanceOfSatisfying(
            RedisUriRefusedException.class,
            e -> {
              assertThat(e.check()).isEqualTo(Check.HOSTNAME);
              assertThat(e.endpoint()).isEqualTo("rediss://***@cache.example.com:6379?verifyPeer=CA");
            })
        .hasMessageContaining("SslVerifyMode.CA accepts a certificate issued for any host name")
        .hasMessageContaining("SslVerifyMode.FULL")
        .message()
        .doesNotContain(SECRET);
  }

  @Test
  void redisClient_verifyPeerNone_refusedWithTrustPathCheck() {
    RedisURI uri = RedisURI.builder().withHost("cache.example.com").withSsl(true)
        .withVerifyPeer(SslVerifyMode.NONE).build();
    assertThatThrownBy(() -> LettuceTls.redisClient(POLICY, uri))
        .isInstanceOfSatisfying(
            RedisUriRefusedException.class, e -> assertThat(e.check()).isEqualTo(Check.TRUST_PATH))
        .hasMessageContaining("accepts any certificate from anyone");
  }

  @Test
  void redisClient_startTls_refusedBeforeSendingHello() {
    RedisURI uri = RedisURI.builder().withHost("cache.example.com").withSsl(true)
        .withStartTls(true).build();
    assertThatThrownBy(() -> LettuceTls.redisClient(POLICY, uri))
        .isInstanceOfSatisfying(
            RedisUriRefusedException.class, e -> assertThat(e.check()).isEqualTo(Check.PLAINTEXT))
        .hasMessageContaining("startTls=true");
  }

  @Test
  void redisClient_exemptedHost_allowsPlaintextUri() {
    TlsPolicy exempt =
        POLICY.toBuilder().insecureAllowPlaintextTo("localhost", "local test server").build();
    RedisClient client = LettuceTls.redisClient(exempt, "redis://localhost:6379");
    try {
      assertThat(client).isNotNull();
    } finally {
      client.shutdown();
    }
  }

  @Test
  void clusterClient_oneSeedWithoutTls_refused() {
    List<RedisURI> seeds =
        List.of(RedisURI.create("rediss://a.example.com:7000"), RedisURI.create("redis://b.example.com:7001"));
    assertThatThrownBy(() -> LettuceTls.clusterClient(POLICY, seeds))
        .isInstanceOf(PlaintextRefusedException.class)
        .hasMessageContaining("redis://b.example.com:7001");
  }

  @Test
  void clusterClient_ipNodeHostName_refusedAsConfigurationMistake() {
    assertThatThrownBy(
            () -> LettuceTls.clusterClient(POLICY, "10.0.0.1", List.of(RedisURI.create("rediss://10.0.0.1"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be a DNS name");
  }

  @Test
  void toString_clientWithPassword_showsNoCredentials() {
    RedisClient client = LettuceTls.redisClient(POLICY, "rediss://alice:" + SECRET + "@cache.example.com");
    RedisClusterClient cluster =
        LettuceTls.clusterClient(POLICY, List.of(RedisURI.create("rediss://alice:" + SECRET + "@10.1.2.3:7000")));
    try {
      assertThat(client.toString()).contains("rediss://***@cache.example.com:6379").doesNotContain(SECRET)
          .doesNotContain("alice");
      assertThat(cluster.toString()).contains("rediss://***@10.1.2.3:7000").doesNotContain(SECRET);
    } finally {
      client.shutdown();
      cluster.shutdown();
    }
  }

  @Test
  void redisClient_plainLettuceResources_refusedAsConfigurationMistake() {
    io.lettuce.core.resource.ClientResources plain = io.lettuce.core.resource.DefaultClientResources.create();
    try {
      assertThatThrownBy(
              () -> LettuceTls.redisClient(POLICY, plain, RedisURI.create("rediss://cache.example.com")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("LettuceTls.clientResources(policy, nodeHostName)");
    } finally {
      plain.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly(5000);
    }
  }

  @Test
  void redact_malformedUriString_hidesUserInfo() {
    assertThatThrownBy(() -> LettuceTls.redisClient(POLICY, "rediss://alice:" + SECRET + "@bad host:6379"))
        .isInstanceOf(IllegalArgumentException.class)
        .message()
        .contains("rediss://***@bad host:6379")
        .doesNotContain(SECRET);
  }

  @Test
  void sslOptions_policy_carriesPolicyProtocolsAndSuites() {
    var options = LettuceTls.sslOptions(POLICY);
    assertThat(options.getProtocols()).containsExactlyElementsOf(POLICY.protocols());
    assertThat(options.getCipherSuites()).containsExactlyElementsOf(POLICY.cipherSuites());
    assertThat(options.createSSLParameters().getEndpointIdentificationAlgorithm()).isNull();
    assertThat(LettuceTls.clientOptions(POLICY).getSslOptions().getProtocols())
        .containsExactlyElementsOf(POLICY.protocols());
  }

  @Test
  void redisClient_passwordWithSlashPlusAndEquals_neverInTheMessage() {
    String secret = "Zm9v/YmFy+cXV4PQ==";
    assertThatThrownBy(() -> LettuceTls.redisClient(POLICY, "rediss://:" + secret + "@cache.example.com:6380/x/y"))
        .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain("Zm9v").doesNotContain("YmFy"));
    assertThat(LettuceTls.redact(RedisURI.create("rediss://:pass@cache.example.com:6380"))).doesNotContain("pass");
  }

  @Test
  void redisClient_passwordWithHashOrQuestionMark_refusedWithoutEchoingIt() {
    for (String uri : List.of("rediss://default:p#ss@cache.example.com:6380",
        "rediss://default:p?ss@cache.example.com:6380")) {
      assertThatThrownBy(() -> LettuceTls.redisClient(POLICY, uri))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("percent-encode")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("default:p").doesNotContain("ss@"));
    }
  }

  @Test
  void redisClient_uriWithoutDoubleSlashOrWithDigitPassword_neverEchoesThePassword() {
    for (String uri : List.of("rediss:/default:S3CRET@redis.example.com:6380",
        "rediss:default:S3CRET@redis.example.com:6380",
        "rediss://default:6379?S3CRET@redis.example.com:6380")) {
      assertThatThrownBy(() -> LettuceTls.redisClient(POLICY, uri))
          .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain("S3CRET"));
    }
  }
}
