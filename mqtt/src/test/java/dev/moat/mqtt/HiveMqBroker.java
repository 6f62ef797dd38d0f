package dev.moat.mqtt;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Metric;
import com.hivemq.embedded.EmbeddedHiveMQ;
import dev.moat.testkit.Credentials;
import dev.moat.testkit.TestPki;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A real HiveMQ Community Edition broker, embedded in the test JVM, with one listener per test
 * scenario (each with its own certificate, TLS versions, cipher suites and client-certificate mode)
 * on 127.0.0.1, started once for a whole test class. Its TLS is JSSE inside this JVM, so the
 * legacy-protocol scenarios that testkit re-enables are served as well.
 */
final class HiveMqBroker implements AutoCloseable {
  static final String HOST = "localhost";
  private static final String PASSWORD = "changeit";
  private static final long START_SECONDS = 90;
  private static final String BYTES_READ = "com.hivemq.networking.bytes.read.total";

  private final EmbeddedHiveMQ hivemq;
  private final Map<String, Integer> ports;
  private final Path dir;

  private HiveMqBroker(EmbeddedHiveMQ hivemq, Map<String, Integer> ports, Path dir) {
    this.hivemq = hivemq;
    this.ports = ports;
    this.dir = dir;
  }

  static Builder builder() {
    return new Builder();
  }

  /** The port of the listener named {@code name}. */
  int port(String name) {
    Integer port = ports.get(name);
    if (port == null) {
      throw new IllegalArgumentException("no listener named " + name + "; have " + ports.keySet());
    }
    return port;
  }

  /** HiveMQ's count of MQTT bytes read from clients on every listener since it started. */
  long bytesRead() {
    Metric metric = hivemq.getMetricRegistry().getMetrics().get(BYTES_READ);
    if (!(metric instanceof Gauge<?> gauge) || !(gauge.getValue() instanceof Number n)) {
      throw new IllegalStateException("HiveMQ has no gauge " + BYTES_READ);
    }
    return n.longValue();
  }

  /** {@code ssl://localhost:<port>} for a TLS listener. */
  String sslUri(String name) {
    return "ssl://" + HOST + ":" + port(name);
  }

  @Override
  public void close() throws IOException {
    try {
      hivemq.stop().get(30, TimeUnit.SECONDS);
      hivemq.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping HiveMQ", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("HiveMQ did not stop cleanly", e);
    } finally {
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static final class Builder {
    private final List<Listener> listeners = new ArrayList<>();

    /** A TLS listener presenting {@code credentials}; empty lists mean the JDK's defaults. */
    Builder tls(String name, Credentials credentials, List<String> protocols, List<String> suites) {
      listeners.add(new Listener(name, Kind.TLS, credentials, protocols, suites, null));
      return this;
    }

    /** A TLS listener that requires a client certificate issued under {@code clientRoot}. */
    Builder mutualTls(
        String name, Credentials credentials, X509Certificate clientRoot, List<String> protocols) {
      listeners.add(new Listener(name, Kind.TLS, credentials, protocols, List.of(), clientRoot));
      return this;
    }

    /** A secure WebSocket listener at path {@code /mqtt}. */
    Builder tlsWebSocket(String name, Credentials credentials) {
      listeners.add(new Listener(name, Kind.WSS, credentials, List.of(), List.of(), null));
      return this;
    }

    /** A plaintext MQTT listener. */
    Builder plaintext(String name) {
      listeners.add(new Listener(name, Kind.TCP, null, List.of(), List.of(), null));
      return this;
    }

    HiveMqBroker start() throws Exception {
      Path dir = Files.createTempDirectory("moat-hivemq-");
      Path conf = Files.createDirectories(dir.resolve("conf"));
      Map<String, Integer> ports = new LinkedHashMap<>();
      List<Integer> free = freePorts(listeners.size());
      StringBuilder xml = new StringBuilder();
      xml.append("<?xml version=\"1.0\"?>\n<hivemq>\n  <listeners>\n");
      for (int i = 0; i < listeners.size(); i++) {
        Listener l = listeners.get(i);
        int port = free.get(i);
        ports.put(l.name, port);
        xml.append(l.xml(port, dir));
      }
      xml.append("  </listeners>\n")
          .append("  <persistence><mode>in-memory</mode></persistence>\n")
          .append("  <anonymous-usage-statistics><enabled>false</enabled>")
          .append("</anonymous-usage-statistics>\n")
          .append("</hivemq>\n");
      Files.writeString(conf.resolve("config.xml"), xml, StandardCharsets.UTF_8);
      EmbeddedHiveMQ hivemq =
          EmbeddedHiveMQ.builder()
              .withConfigurationFolder(conf)
              .withDataFolder(Files.createDirectories(dir.resolve("data")))
              .withExtensionsFolder(Files.createDirectories(dir.resolve("extensions")))
              .withoutLoggingBootstrap()
              .build();
      long started = System.nanoTime();
      try {
        hivemq.start().get(START_SECONDS, TimeUnit.SECONDS);
        System.err.printf(
            "HiveMQ with %d listeners started in %d ms%n",
            listeners.size(), (System.nanoTime() - started) / 1_000_000);
      } catch (Exception e) {
        hivemq.close();
        deleteTree(dir);
        throw e;
      }
      return new HiveMqBroker(hivemq, ports, dir);
    }
  }

  private enum Kind {
    TCP,
    TLS,
    WSS
  }

  private record Listener(
      String name,
      Kind kind,
      @Nullable Credentials credentials,
      List<String> protocols,
      List<String> suites,
      @Nullable X509Certificate clientRoot) {

    String xml(int port, Path dir) {
      String common =
          "      <port>"
              + port
              + "</port>\n"
              + "      <bind-address>127.0.0.1</bind-address>\n"
              + "      <name>"
              + name
              + "</name>\n";
      switch (kind) {
        case TCP:
          return "    <tcp-listener>\n" + common + "    </tcp-listener>\n";
        case WSS:
          return "    <tls-websocket-listener>\n"
              + common
              + "      <path>/mqtt</path>\n"
              + tlsXml(dir)
              + "    </tls-websocket-listener>\n";
        default:
          return "    <tls-tcp-listener>\n" + common + tlsXml(dir) + "    </tls-tcp-listener>\n";
      }
    }

    private String tlsXml(Path dir) {
      Credentials presented = credentials;
      if (presented == null) {
        throw new IllegalStateException(name + " needs credentials");
      }
      Path keystore = dir.resolve(name + "-key.p12");
      write(keystore, TestPki.toPkcs12(presented, PASSWORD.toCharArray()));
      StringBuilder b = new StringBuilder("      <tls>\n");
      b.append("        <keystore><path>")
          .append(keystore)
          .append("</path><password>" + PASSWORD + "</password>")
          .append("<private-key-password>" + PASSWORD + "</private-key-password></keystore>\n");
      if (clientRoot != null) {
        Path truststore = dir.resolve(name + "-trust.p12");
        write(truststore, trustStore(clientRoot));
        b.append("        <truststore><path>")
            .append(truststore)
            .append("</path><password>" + PASSWORD + "</password></truststore>\n")
            .append("        <client-authentication-mode>REQUIRED</client-authentication-mode>\n");
      }
      if (!protocols.isEmpty()) {
        b.append("        <protocols>");
        protocols.forEach(p -> b.append("<protocol>").append(p).append("</protocol>"));
        b.append("</protocols>\n");
      }
      if (!suites.isEmpty()) {
        b.append("        <cipher-suites>");
        suites.forEach(s -> b.append("<cipher-suite>").append(s).append("</cipher-suite>"));
        b.append("</cipher-suites>\n");
      }
      b.append("        <handshake-timeout>5000</handshake-timeout>\n");
      return b.append("      </tls>\n").toString();
    }
  }

  private static byte[] trustStore(X509Certificate root) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("root", root);
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      store.store(out, PASSWORD.toCharArray());
      return out.toByteArray();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot write a trust store", e);
    }
  }

  private static void write(Path file, byte[] bytes) {
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Distinct free ports on 127.0.0.1, all held open until every one is chosen. */
  private static List<Integer> freePorts(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(s);
        ports.add(s.getLocalPort());
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }
}
