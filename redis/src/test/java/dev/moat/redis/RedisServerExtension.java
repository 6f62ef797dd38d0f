package dev.moat.redis;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts real {@code redis-server} processes for a test class and stops them by PID after it.
 * Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
 * RedisServer server = REDIS.start(REDIS.config("good").tls(files));
 * }</pre>
 *
 * <p>Without the binary the class is skipped with a message naming the Debian package {@code
 * redis-server}; under {@code CI=true} or {@code -Dmoat.requireServers=true} it fails instead.
 */
final class RedisServerExtension implements ExecutionCondition, BeforeAllCallback, AfterAllCallback {
  private final List<RedisServer> servers = new ArrayList<>();
  private Path root = Path.of(".");

  static Optional<Path> binary() {
    String path = System.getenv("PATH");
    List<String> dirs = new ArrayList<>();
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(List.of("/usr/bin", "/usr/sbin", "/usr/local/bin"));
    for (String dir : dirs) {
      Path candidate = Path.of(dir, RedisServer.BINARY);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  static boolean serversRequired() {
    return Boolean.parseBoolean(System.getProperty("moat.requireServers"))
        || "true".equalsIgnoreCase(System.getenv("CI"));
  }

  static String missingMessage() {
    return RedisServer.BINARY + " not found on PATH: install the Debian package "
        + RedisServer.PACKAGE + " (apt-get update && apt-get install -y " + RedisServer.PACKAGE
        + ")";
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (binary().isPresent() || serversRequired()) {
      return ConditionEvaluationResult.enabled("redis-server available or required");
    }
    return ConditionEvaluationResult.disabled(missingMessage());
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    if (binary().isEmpty()) {
      throw new IllegalStateException(
          missingMessage() + " (required: CI=true or -Dmoat.requireServers=true)");
    }
    root = Files.createTempDirectory("moat-redis-");
  }

  /** A configuration whose files live in this class's temporary directory. */
  RedisServer.Config config(String name) {
    return new RedisServer.Config(name, root.resolve(name));
  }

  /** The temporary directory for files the test writes (certificates). */
  Path dir(String name) throws IOException {
    return Files.createDirectories(root.resolve(name));
  }

  /** Starts one server and waits (bounded) until it answers. */
  RedisServer start(RedisServer.Config config) throws IOException, InterruptedException {
    return startAll(List.of(config)).get(0);
  }

  /** Launches all servers at once, then waits (bounded) for each: startup runs in parallel. */
  List<RedisServer> startAll(List<RedisServer.Config> configs)
      throws IOException, InterruptedException {
    List<RedisServer> started = new ArrayList<>();
    for (RedisServer.Config config : configs) {
      started.add(launch(config));
    }
    for (RedisServer server : started) {
      server.awaitReady();
    }
    return started;
  }

  /** Launches one server without waiting; the caller calls {@link RedisServer#awaitReady()}. */
  RedisServer launch(RedisServer.Config config) throws IOException {
    RedisServer server = RedisServer.launch(config);
    synchronized (servers) {
      servers.add(server);
    }
    return server;
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    List<RedisServer> toStop;
    synchronized (servers) {
      toStop = new ArrayList<>(servers);
      servers.clear();
    }
    for (RedisServer server : toStop) {
      server.close();
    }
    if (Files.exists(root) && root.getFileName().toString().startsWith("moat-redis-")) {
      try (Stream<Path> walk = Files.walk(root)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
