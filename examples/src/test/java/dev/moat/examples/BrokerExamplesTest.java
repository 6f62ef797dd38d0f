package dev.moat.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.moat.testkit.ServerFiles;
import dev.moat.testkit.TestPki;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker examples against real servers started here from Debian packages ({@code redis-server},
 * {@code mosquitto}), TLS only on loopback, with testkit's certificates for {@code localhost}: the
 * good exchange, the plaintext URI refused, the wrong pin refused with the chain's pins. Skipped
 * without the binary, naming the package (failed under {@code CI=true} or {@code
 * -Dmoat.requireServers=true}). AmqpExample has no broker binary here; its usage is tested in
 * {@link DemoTest}.
 */
class BrokerExamplesTest {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void redisExample_realRedisServer_setsAndGetsThenRefusesPlaintextAndWrongPin() throws Exception {
    requireBinary("redis-server", "redis-server");
    ServerFiles files = TestPki.shared().writeServerFiles(dir);
    int port = freePort();
    Process redis = start(dir.resolve("redis.log"), "redis-server", "--port", "0",
        "--tls-port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--tls-auth-clients", "no", "--tls-cert-file", files.certificateChain().toString(),
        "--tls-key-file", files.privateKey().toString(), "--tls-ca-cert-file", files.caCertificate().toString());
    try {
      awaitPort(redis, port);
      String out = DemoTest.runMain(() -> RedisExample.main(
          new String[] {"rediss://localhost:" + port, files.caCertificate().toString()}));

      assertThat(out).contains("good:       GET moat:example = 'hello over TLS'")
          .containsPattern("redis://: +refused, .*\\[check: PLAINTEXT\\]")
          .contains("wrong pin:  refused, Refused TLS connection to localhost:" + port)
          .contains("[check: PIN]")
          .contains(TestPki.pinOf(TestPki.shared().leaf()).toString());
    } finally {
      stop(redis);
    }
  }

  @Test
  void mqttExample_realMosquitto_receivesThenRefusesPlaintextAndWrongPin() throws Exception {
    requireBinary("mosquitto", "mosquitto");
    ServerFiles files = TestPki.shared().writeServerFiles(dir);
    int port = freePort();
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(conf, String.join("\n",
        "listener " + port + " 127.0.0.1", "certfile " + files.certificateChain(),
        "keyfile " + files.privateKey(), "allow_anonymous true", "persistence false",
        "user root", "log_dest stdout", ""), StandardCharsets.UTF_8);
    Process mosquitto = start(dir.resolve("mosquitto.log"), "mosquitto", "-c", conf.toString());
    try {
      awaitPort(mosquitto, port);
      String out = DemoTest.runMain(() -> MqttExample.main(
          new String[] {"ssl://localhost:" + port, files.caCertificate().toString()}));

      assertThat(out).contains("good:      received 'hello over TLS'")
          .containsPattern("tcp://: +refused, .*\\[check: PLAINTEXT\\]")
          .contains("wrong pin: refused, Refused TLS connection to localhost:" + port)
          .contains("[check: PIN]")
          .contains(TestPki.pinOf(TestPki.shared().leaf()).toString());
    } finally {
      stop(mosquitto);
    }
  }

  private static void requireBinary(String binary, String debianPackage) {
    boolean found = List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
        .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, binary)));
    boolean required = "true".equals(System.getenv("CI")) || Boolean.getBoolean("moat.requireServers");
    if (required) {
      assertThat(found).as(binary + " not found: install the Debian package " + debianPackage).isTrue();
    }
    assumeTrue(found, binary + " not found: install the Debian package " + debianPackage);
  }

  private static Process start(Path log, String... command) throws IOException {
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Waits, bounded, until the server's port accepts connections. */
  private static void awaitPort(Process process, int port) throws Exception {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(process.isAlive()).as("server exited with %s", process.isAlive() ? 0 : process.exitValue()).isTrue();
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(25);
      }
    }
    throw new AssertionError("server not listening on " + port + " within " + START_TIMEOUT);
  }

  /** Stops the process we started, by its handle (its PID), bounded. */
  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
