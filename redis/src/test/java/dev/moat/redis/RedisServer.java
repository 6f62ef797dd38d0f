package dev.moat.redis;

import dev.moat.testkit.ServerFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One real {@code redis-server} child process on a free loopback port: TLS only (plain port 0) or,
 * for the plaintext scenarios, plaintext only. Started by {@link RedisServerExtension}, stopped by
 * its PID.
 */
final class RedisServer implements AutoCloseable {
  static final String BINARY = "redis-server";
  static final String PACKAGE = "redis-server";
  static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final String name;
  private final Process process;
  private final int port;
  private final Path logFile;
  private final Path dir;
  private final boolean tls;

  private RedisServer(String name, Process process, int port, Path logFile, Path dir, boolean tls) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.logFile = logFile;
    this.dir = dir;
    this.tls = tls;
  }

  /** How one server is configured. */
  static final class Config {
    final String name;
    final Path dir;
    @Nullable ServerFiles files;
    final List<String> protocols = new ArrayList<>();
    String ciphers = "";
    String authClients = "optional";
    final List<String> extra = new ArrayList<>();
    int port;
    @Nullable String configFile;

    Config(String name, Path dir) {
      this.name = name;
      this.dir = dir;
    }

    /** TLS with these files; without it the server is plaintext only. */
    Config tls(ServerFiles serverFiles) {
      this.files = serverFiles;
      return this;
    }

    Config protocols(List<String> opensslProtocols) {
      protocols.addAll(opensslProtocols);
      return this;
    }

    Config ciphers(String opensslCiphers) {
      this.ciphers = opensslCiphers;
      return this;
    }

    Config authClients(String value) {
      this.authClients = value;
      return this;
    }

    Config extra(String... args) {
      extra.addAll(List.of(args));
      return this;
    }

    /** A configuration file given as the first argument (Sentinel needs a writable one). */
    Config configFile(String contents) throws IOException {
      Files.createDirectories(dir);
      Path file = dir.resolve("redis.conf");
      Files.writeString(file, contents, StandardCharsets.UTF_8);
      this.configFile = file.toString();
      return this;
    }

    /** A fixed port (cluster tests reserve theirs); 0 picks a free one. */
    Config port(int fixed) {
      this.port = fixed;
      return this;
    }
  }

  /** Launches the process; {@link #awaitReady()} waits for it. */
  static RedisServer launch(Config config) throws IOException {
    Files.createDirectories(config.dir);
    int port = config.port != 0 ? config.port : freePort();
    Path log = config.dir.resolve("redis.log");
    List<String> command = new ArrayList<>();
    command.add(BINARY);
    if (config.configFile != null) {
      command.add(config.configFile);
    }
    command.addAll(List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
    command.addAll(List.of("--dir", config.dir.toString(), "--logfile", log.toString()));
    command.addAll(List.of("--loglevel", "verbose", "--daemonize", "no", "--protected-mode", "no"));
    ServerFiles files = config.files;
    if (files != null) {
      command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port)));
      command.addAll(List.of("--tls-cert-file", files.certificateChain().toString()));
      command.addAll(List.of("--tls-key-file", files.privateKey().toString()));
      command.addAll(List.of("--tls-ca-cert-file", files.caCertificate().toString()));
      command.addAll(List.of("--tls-auth-clients", config.authClients));
      if (!config.protocols.isEmpty()) {
        command.addAll(List.of("--tls-protocols", String.join(" ", config.protocols)));
      }
      if (!config.ciphers.isEmpty()) {
        command.addAll(List.of("--tls-ciphers", config.ciphers));
      }
    } else {
      command.addAll(List.of("--port", Integer.toString(port)));
    }
    command.addAll(config.extra);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(config.dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(config.dir.resolve("stdout.log").toFile());
    if (config.ciphers.contains("@SECLEVEL=0")) {
      // redis-server loads its certificate before it applies tls-ciphers, so OpenSSL 3 would refuse
      // a SHA-1-signed or RSA-1024 leaf at the default security level: lower it from the start.
      Path conf = config.dir.resolve("openssl.cnf");
      Files.writeString(
          conf,
          "openssl_conf = openssl_init\n[openssl_init]\nssl_conf = ssl_sect\n"
              + "[ssl_sect]\nsystem_default = system_default_sect\n"
              + "[system_default_sect]\nCipherString = DEFAULT:@SECLEVEL=0\nMinProtocol = TLSv1\n",
          StandardCharsets.UTF_8);
      builder.environment().put("OPENSSL_CONF", conf.toString());
    }
    Process process = builder.start();
    return new RedisServer(config.name, process, port, log, config.dir, files != null);
  }

  /** Waits, bounded, until the log says the server accepts connections and the port answers. */
  RedisServer awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + ": redis-server exited with " + process.exitValue() + "\n" + output());
      }
      String log = log();
      boolean ready = log.contains("Ready to accept connections") || log.contains("Sentinel ID is");
      if (ready && portAnswers()) {
        return this;
      }
      Thread.sleep(25);
    }
    throw new IllegalStateException(
        name + ": redis-server not ready within " + START_TIMEOUT + "\n" + output());
  }

  private boolean portAnswers() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  boolean tls() {
    return tls;
  }

  Path dir() {
    return dir;
  }

  /** The server's log file so far. */
  String log() {
    try {
      return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private String output() {
    String out = "";
    try {
      Path stdout = dir.resolve("stdout.log");
      out = Files.exists(stdout) ? Files.readString(stdout, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      // the log below is what matters
    }
    return out + log();
  }

  /**
   * One {@code INFO stats} field from a plaintext server, over a raw socket (this connection counts
   * itself in {@code total_connections_received}).
   */
  long plaintextStat(String field) throws IOException {
    if (tls) {
      throw new IllegalStateException(name + " speaks TLS; read its log instead");
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write("*2\r\n$4\r\nINFO\r\n$5\r\nstats\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String reply = readBulk(socket.getInputStream());
      for (String line : reply.split("\r\n")) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).trim());
        }
      }
      throw new IllegalStateException("no " + field + " in INFO stats: " + reply);
    }
  }

  private static String readBulk(InputStream in) throws IOException {
    StringBuilder header = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      header.append((char) c);
    }
    String h = header.toString().trim();
    if (!h.startsWith("$")) {
      throw new IOException("unexpected reply: " + h);
    }
    int length = Integer.parseInt(h.substring(1));
    byte[] body = in.readNBytes(length);
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Stops the process by its PID: TERM, then KILL after a bounded wait. */
  @Override
  public void close() {
    ProcessHandle handle = ProcessHandle.of(process.pid()).orElse(null);
    if (handle == null || !handle.isAlive()) {
      return;
    }
    handle.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        handle.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      handle.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  @Override
  public String toString() {
    return name + "[pid " + pid() + ", 127.0.0.1:" + port + (tls ? ", TLS" : ", plaintext") + "]";
  }
}
