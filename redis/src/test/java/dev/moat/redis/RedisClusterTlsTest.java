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
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real three-master Redis Cluster on loopback, TLS on client and bus ports. Its certificate names
 * only {@code localhost} (DNS, no IP subjectAltName), and the cluster reports its nodes as {@code
 * 127.0.0.1}: the nodes are verified against the configured name, never with host-name checks
 * off, and a wrong name or pin is refused.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RedisClusterTlsTest {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final TestPki PKI = TestPki.shared();
  private static final TlsPolicy POLICY = TlsPolicy.builder().trustRoot(PKI.root()).build();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static final List<RedisServer> NODES = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    // DNS:localhost only: an IP-addressed node passes only if it is verified as "localhost".
    Credentials leaf = PKI.leafBuilder().sans("DNS:localhost").build();
    ServerFiles files = PKI.writeServerFiles(leaf, REDIS.dir("cluster-certs"));
    List<RedisServer.Config> configs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RedisServer.Config config = REDIS.config("node" + i);
      configs.add(
          config
              .tls(files)
              .extra(
                  "--cluster-enabled", "yes",
                  "--cluster-config-file", config.dir.resolve("nodes.conf").toString(),
                  "--cluster-port", Integer.toString(RedisServer.freePort()),
                  "--cluster-node-timeout", "5000",
                  "--tls-cluster", "yes",
                  "--tls-replication", "yes"));
    }
    NODES.addAll(REDIS.startAll(configs));

    List<String> create = cli(files);
    create.add("--cluster");
    create.add("create");
    for (RedisServer node : NODES) {
      create.add("127.0.0.1:" + node.port());
    }
    create.add("--cluster-yes");
    run(create, Duration.ofSeconds(30));
    for (RedisServer node : NODES) {
      awaitClusterOk(files, node);
    }
  }

  @Test
  void clusterClient_seedByName_ipReportedNodesVerifiedAsSeedHost() {
    RedisClusterClient client = LettuceTls.clusterClient(POLICY, List.of(seed("localhost")));
    try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
      Set<String> hosts = new HashSet<>();
      for (RedisClusterNode node : client.getPartitions()) {
        hosts.add(node.getUri().getHost());
      }
      assertThat(hosts).containsExactly("127.0.0.1");

      Set<String> nodesUsed = new HashSet<>();
      for (int i = 0; i < 30; i++) {
        String key = "moat:cluster:" + i;
        assertThat(connection.sync().set(key, "v" + i)).isEqualTo("OK");
        assertThat(connection.sync().get(key)).isEqualTo("v" + i);
        int slot = connection.sync().clusterKeyslot(key).intValue();
        nodesUsed.add(client.getPartitions().getPartitionBySlot(slot).getNodeId());
      }
      assertThat(nodesUsed).as("keys spread over several IP-addressed nodes").hasSizeGreaterThan(1);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void clusterClient_ipSeedsWithExplicitNodeHostName_connects() {
    RedisClusterClient client =
        LettuceTls.clusterClient(POLICY, "localhost", List.of(seed("127.0.0.1")));
    try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
      assertThat(connection.sync().set("moat:explicit", "ok")).isEqualTo("OK");
      assertThat(connection.sync().get("moat:explicit")).isEqualTo("ok");
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void clusterClient_ipSeedsWithoutNodeHostName_refusedHostname() {
    // No name configured: nodes are verified against their IP, which the certificate lacks.
    RedisClusterClient client = LettuceTls.clusterClient(POLICY, List.of(seed("127.0.0.1")));
    assertRefused(client, Check.HOSTNAME);
  }

  @Test
  void clusterClient_wrongNodeHostName_refusedHostname() {
    RedisClusterClient client =
        LettuceTls.clusterClient(POLICY, "redis.other.example", List.of(seed("127.0.0.1")));
    assertRefused(client, Check.HOSTNAME);
  }

  @Test
  void clusterClient_pinMismatchOnClusterName_refusedPin() {
    TlsPolicy pinned =
        POLICY.toBuilder()
            .pin(
                "localhost",
                TestPki.unrelatedPins(2).stream().map(Object::toString).toArray(String[]::new))
            .build();
    RedisClusterClient client = LettuceTls.clusterClient(pinned, List.of(seed("localhost")));
    assertRefused(client, Check.PIN);
  }

  @Test
  void clusterClient_seedTlsTurnedOffAfterFactory_refusedBeforeConnecting() {
    RedisURI seed = seed("localhost");
    RedisClusterClient client = LettuceTls.clusterClient(POLICY, List.of(seed));
    seed.setSsl(false);
    try {
      Throwable thrown = catchThrowable(client::connect);
      assertThat(thrown).hasStackTraceContaining("PlaintextRefusedException");
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void clusterClient_refusalWithCredentials_messagesCarryNoCredentials() {
    RedisURI seed = seed("127.0.0.1");
    seed.setCredentialsProvider(
        new io.lettuce.core.StaticCredentialsProvider("alice", "s3cr3t-Pa55".toCharArray()));
    RedisClusterClient client = LettuceTls.clusterClient(POLICY, List.of(seed));
    try {
      Throwable thrown = catchThrowable(client::connect);
      java.io.StringWriter trace = new java.io.StringWriter();
      thrown.printStackTrace(new java.io.PrintWriter(trace));
      assertThat(TlsRefusals.find(thrown)).isPresent();
      // Lettuce alone would print rediss://alice:***********@127.0.0.1 (user and password length).
      assertThat(trace.toString())
          .contains("rediss://***@127.0.0.1")
          .doesNotContain("s3cr3t-Pa55")
          .doesNotContain("alice")
          .doesNotContain(":*");
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void handBuiltClusterClient_withoutMoatResources_refusesIpNodes() {
    // Lettuce's own resources pass the IP to the engine: Moat's trust manager (via the options hook)
    // then refuses the IP-addressed nodes instead of skipping the host-name check.
    RedisClusterClient client = RedisClusterClient.create(List.of(seed("localhost")));
    client.setOptions(LettuceTls.clusterClientOptions(POLICY));
    try {
      Throwable thrown =
          catchThrowable(
              () -> {
                try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
                  connection.sync().set("moat:hand-built", "x");
                }
              });
      assertThat(TlsRefusals.find(thrown))
          .as("refusal in %s", thrown)
          .map(TlsRefusalException::check)
          .contains(Check.HOSTNAME);
      assertThat(TlsRefusals.find(thrown).orElseThrow().host()).isEqualTo("127.0.0.1");
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  // ---------------------------------------------------------------- helpers

  private static void assertRefused(RedisClusterClient client, Check check) {
    try {
      Throwable thrown =
          catchThrowable(
              () -> {
                try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
                  connection.sync().set("moat:refused", "x");
                }
              });
      assertThat(thrown).isNotNull();
      assertThat(TlsRefusals.find(thrown))
          .as("refusal in %s", thrown)
          .map(TlsRefusalException::check)
          .contains(check);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private static RedisURI seed(String host) {
    return RedisURI.builder()
        .withHost(host)
        .withPort(NODES.get(0).port())
        .withSsl(true)
        .withTimeout(TIMEOUT)
        .build();
  }

  private static List<String> cli(ServerFiles files) {
    Path binary = RedisServerExtension.binary().orElseThrow().resolveSibling("redis-cli");
    List<String> command = new ArrayList<>();
    command.add(Files.isExecutable(binary) ? binary.toString() : "redis-cli");
    command.add("--tls");
    command.add("--cacert");
    command.add(files.caCertificate().toString());
    return command;
  }

  private static void awaitClusterOk(ServerFiles files, RedisServer node) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      List<String> info = cli(files);
      info.addAll(List.of("-h", "127.0.0.1", "-p", Integer.toString(node.port()), "cluster", "info"));
      last = run(info, Duration.ofSeconds(10));
      if (last.contains("cluster_state:ok")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(node + " not cluster_state:ok within 30s: " + last + node.log());
  }

  private static String run(List<String> command, Duration timeout)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeout);
      }
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
      }
      return out;
    } finally {
      ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
