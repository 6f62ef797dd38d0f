package dev.moat.testkit;

import dev.moat.core.TlsPolicy;
import dev.moat.testkit.internal.LegacyTls;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * A loopback TLS server for tests: binds 127.0.0.1 on a free port, completes handshakes with
 * whatever it is told to present (including every defect of the {@link BadTls} catalog), then
 * echoes bytes. {@link #plaintext()} is its counterpart that speaks no TLS.
 *
 * <pre>{@code
 * try (TlsTestServer server = TlsTestServer.start(BadTls.byName("EXPIRED"))) {
 *   assertThatThrownBy(() -> server.handshake(policy.sslSocketFactory()))
 *       .isInstanceOf(SSLHandshakeException.class);
 *   assertThat(server.acceptedConnections()).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>Every wait is bounded: sockets time out after {@link #TIMEOUT}, and {@link #close()} stops the
 * accept loop and closes every connection at once. Threads are daemons.
 *
 * <p><b>Security (test JVMs only):</b> the JDK disables TLS 1.0 and 1.1 through the security
 * property {@code jdk.tls.disabledAlgorithms}, which JSSE reads once, when the JVM's first {@code
 * SSLContext} is created. When the JUnit Platform launcher opens its session (a listener testkit
 * registers in {@code META-INF/services}), and again when this class, {@link TestPki} or {@link
 * BadTls} is loaded, testkit removes {@code
 * TLSv1} and {@code TLSv1.1} from that property, nothing else, so that this server can play a legacy
 * server. That relaxes the JDK's floor for every client of the JVM too, which is what Moat's tests
 * want: Moat must refuse old protocols by itself. If JSSE read the property before testkit was
 * loaded, the legacy scenarios report it through {@link Scenario#unavailableReason()} and {@link
 * #start(Scenario)} refuses them with an explanation. Never put testkit on a production classpath.
 */
public final class TlsTestServer implements AutoCloseable {
  static {
    LegacyTls.enable();
  }

  /** The host name clients use to reach the server (it listens on 127.0.0.1). */
  public static final String HOST = "localhost";
  /** The bound on every socket wait, on both sides. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** What the plaintext server writes on accept, before echoing. */
  public static final String PLAINTEXT_BANNER = "MOAT-TESTKIT PLAINTEXT SERVER READY\r\n";

  private static final int TIMEOUT_MILLIS = (int) TIMEOUT.toMillis();
  private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket serverSocket;
  private final boolean tls;
  private final Thread acceptor;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger handshakes = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicReference<@Nullable SSLSession> lastSession = new AtomicReference<>();
  private final AtomicReference<@Nullable X509Certificate> lastClientCertificate =
      new AtomicReference<>();
  private final AtomicReference<@Nullable Exception> lastFailure = new AtomicReference<>();
  private volatile boolean closed;

  private TlsTestServer(ServerSocket serverSocket, boolean tls) {
    this.serverSocket = serverSocket;
    this.tls = tls;
    this.acceptor = new Thread(this::acceptLoop, "moat-test-server-" + port() + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  // ---------------------------------------------------------------- starting

  /**
   * Serves a catalog scenario: its credentials, protocols and cipher suites, or the plaintext
   * server for {@code PLAINTEXT}.
   *
   * @throws IllegalStateException when the scenario cannot run in this JVM (see {@link
   *     Scenario#unavailableReason()}), always, CI or not: a legacy scenario never silently gets a
   *     server that speaks modern TLS
   */
  public static TlsTestServer start(Scenario scenario) {
    Objects.requireNonNull(scenario, "scenario");
    if (scenario.plaintext()) {
      return plaintext();
    }
    if (scenario.legacyProtocol()) {
      String reason = LegacyTls.unavailableReason();
      if (reason != null) {
        throw new IllegalStateException(scenario.name() + ": " + reason);
      }
    }
    return builder()
        .credentials(scenario.credentials().orElseThrow())
        .protocols(scenario.serverProtocols())
        .cipherSuites(scenario.serverCipherSuites())
        .ocspStapling(scenario.staplesOcsp())
        .start();
  }

  /** Serves the PKI's good chain with the JDK's default protocols and suites. */
  public static TlsTestServer start(TestPki pki) {
    return start(pki.goodChain());
  }

  /** Presents these credentials with the JDK's default protocols and suites. */
  public static TlsTestServer start(Credentials credentials) {
    return builder().credentials(credentials).start();
  }

  /** Serves with this server context (for example {@link TestPki#serverSslContext(X509Certificate)}). */
  public static TlsTestServer start(SSLContext serverContext) {
    return builder().sslContext(serverContext).start();
  }

  /** A server that speaks no TLS: it writes {@link #PLAINTEXT_BANNER} on accept, then echoes. */
  public static TlsTestServer plaintext() {
    try {
      ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      return new TlsTestServer(socket, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind a loopback port", e);
    }
  }

  /** A builder for servers with particular protocols, suites or client authentication. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Configures a {@link TlsTestServer}: what it presents ({@link #credentials} or a whole {@link
   * #sslContext}), and optionally protocols, cipher suites and client authentication.
   *
   * <pre>{@code
   * TlsTestServer server = TlsTestServer.builder()
   *     .credentials(pki.goodChain())
   *     .needClientAuth(pki.root())
   *     .start();
   * }</pre>
   */
  public static final class Builder {
    private @Nullable Credentials credentials;
    private @Nullable SSLContext context;
    private List<String> protocols = List.of();
    private List<String> cipherSuites = List.of();
    private @Nullable X509Certificate clientTrustRoot;
    private boolean needClientAuth;
    private boolean ocspStapling;

    private Builder() {}

    /** Present this key and chain (unless {@link #sslContext} is given). */
    public Builder credentials(Credentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /** Use this initialised server context instead of {@link #credentials}. */
    public Builder sslContext(SSLContext context) {
      this.context = Objects.requireNonNull(context, "context");
      return this;
    }

    /** Enable only these protocols (JSSE names); empty (default) keeps the context's defaults. */
    public Builder protocols(List<String> protocols) {
      this.protocols = List.copyOf(protocols);
      return this;
    }

    /** Enable only these protocols (JSSE names). */
    public Builder protocols(String... protocols) {
      return protocols(List.of(protocols));
    }

    /** Enable only these suites (JSSE names); empty (default) keeps the context's defaults. */
    public Builder cipherSuites(List<String> cipherSuites) {
      this.cipherSuites = List.copyOf(cipherSuites);
      return this;
    }

    /** Enable only these suites (JSSE names). */
    public Builder cipherSuites(String... cipherSuites) {
      return cipherSuites(List.of(cipherSuites));
    }

    /**
     * Need a client certificate whose chain validates (JDK PKIX, clientAuth usage) up to {@code
     * clientTrustRoot}. With {@link #sslContext}, the context's own trust managers decide instead
     * and the root is ignored.
     */
    public Builder needClientAuth(X509Certificate clientTrustRoot) {
      this.clientTrustRoot = Objects.requireNonNull(clientTrustRoot, "clientTrustRoot");
      this.needClientAuth = true;
      return this;
    }

    /**
     * Staple an OCSP response to the handshake when the client asks for one (status_request), as
     * the JDK's server-side stapling does it: at the first handshake the server fetches the
     * response for its leaf from the OCSP URL in the leaf's authorityInfoAccess (an {@link
     * OcspResponder#url()}), caches it for the server's lifetime, and staples whatever the
     * responder said (good, revoked or unknown), in TLS 1.2 and 1.3. If the fetch fails or the
     * answer is not a parsable OCSP response, the JDK staples nothing. Only with {@link
     * #credentials}.
     *
     * <p>JSSE offers no public way to staple explicit bytes, so the server context is created with
     * {@code jdk.tls.server.enableStatusRequestExtension=true} (JSSE reads it per context; testkit
     * sets it only for the moment it creates this server's context, then restores it).
     */
    public Builder ocspStapling(boolean staple) {
      this.ocspStapling = staple;
      return this;
    }

    /** Binds and starts accepting. */
    public TlsTestServer start() {
      SSLContext serverContext = context;
      if (serverContext == null) {
        if (credentials == null) {
          throw new IllegalStateException("give credentials(...) or sslContext(...)");
        }
        serverContext =
            ocspStapling
                ? staplingContext(credentials, clientTrustRoot)
                : plainContext(credentials, clientTrustRoot);
      } else if (ocspStapling) {
        throw new IllegalStateException(
            "ocspStapling() needs credentials(...): a given sslContext decides stapling itself");
      }
      try {
        SSLServerSocket socket =
            (SSLServerSocket)
                serverContext
                    .getServerSocketFactory()
                    .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        try {
          if (!protocols.isEmpty()) {
            socket.setEnabledProtocols(protocols.toArray(new String[0]));
          }
          if (!cipherSuites.isEmpty()) {
            socket.setEnabledCipherSuites(cipherSuites.toArray(new String[0]));
          }
          if (needClientAuth) {
            socket.setNeedClientAuth(true);
          }
        } catch (IllegalArgumentException e) {
          socket.close();
          throw e;
        }
        return new TlsTestServer(socket, true);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot bind a loopback port", e);
      }
    }
  }

  private static final String SERVER_STAPLING = "jdk.tls.server.enableStatusRequestExtension";
  private static final Object STAPLING_PROPERTY_LOCK = new Object();

  /** A server context created while JSSE's server-side stapling switch is on. */
  private static SSLContext staplingContext(
      Credentials credentials, @Nullable X509Certificate clientTrustRoot) {
    synchronized (STAPLING_PROPERTY_LOCK) {
      String previous = System.getProperty(SERVER_STAPLING);
      System.setProperty(SERVER_STAPLING, "true");
      try {
        return TestPki.sslContext(credentials, clientTrustRoot);
      } finally {
        if (previous == null) {
          System.clearProperty(SERVER_STAPLING);
        } else {
          System.setProperty(SERVER_STAPLING, previous);
        }
      }
    }
  }

  /**
   * A server context created outside {@link #staplingContext}'s window, so that a concurrent
   * stapling server never turns stapling on for it.
   */
  private static SSLContext plainContext(
      Credentials credentials, @Nullable X509Certificate clientTrustRoot) {
    synchronized (STAPLING_PROPERTY_LOCK) {
      return TestPki.sslContext(credentials, clientTrustRoot);
    }
  }

  // ---------------------------------------------------------------- state

  /** The bound port on 127.0.0.1. */
  public int port() {
    return serverSocket.getLocalPort();
  }

  /** {@value #HOST}: the name clients should connect to and verify. */
  public String host() {
    return HOST;
  }

  /** 127.0.0.1 and {@link #port()}. */
  public InetSocketAddress address() {
    return new InetSocketAddress(serverSocket.getInetAddress(), port());
  }

  /** True unless this is the {@link #plaintext()} server. */
  public boolean isTls() {
    return tls;
  }

  /** TCP connections accepted so far. */
  public int acceptedConnections() {
    return accepted.get();
  }

  /** TLS handshakes the server completed so far (counted before it echoes anything). */
  public int completedHandshakes() {
    return handshakes.get();
  }

  /** TLS handshakes that failed on the server's side so far (refused by the client, timed out...). */
  public int failedHandshakes() {
    return failures.get();
  }

  /** The server side of the last completed handshake. */
  public Optional<SSLSession> lastSession() {
    return Optional.ofNullable(lastSession.get());
  }

  /** The client's leaf certificate from the last completed handshake that had one (mutual TLS). */
  public Optional<X509Certificate> lastClientCertificate() {
    return Optional.ofNullable(lastClientCertificate.get());
  }

  /** Why the last failed handshake failed, as the server saw it. */
  public Optional<Exception> lastHandshakeFailure() {
    return Optional.ofNullable(lastFailure.get());
  }

  // ---------------------------------------------------------------- client side

  /**
   * Connects to this server with {@code clientFactory}, with {@value #HOST} as the peer host (for
   * SNI and host-name checks), completes the handshake, writes {@code ping} and reads the echo. All
   * waits are bounded by {@link #TIMEOUT}.
   *
   * @return the client's session (protocol, suite, peer chain)
   * @throws javax.net.ssl.SSLHandshakeException when the client (or server) refuses the handshake
   * @throws IOException when the connection fails, times out, or the echo is wrong
   */
  public SSLSession handshake(SSLSocketFactory clientFactory) throws IOException {
    Objects.requireNonNull(clientFactory, "clientFactory");
    try (Socket raw = new Socket()) {
      raw.connect(address(), TIMEOUT_MILLIS);
      raw.setSoTimeout(TIMEOUT_MILLIS);
      noDelay(raw);
      try (SSLSocket socket = (SSLSocket) clientFactory.createSocket(raw, HOST, port(), true)) {
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.startHandshake();
        OutputStream out = socket.getOutputStream();
        out.write(PING);
        out.flush();
        byte[] echo = readFully(socket.getInputStream(), PING.length);
        if (!Arrays.equals(echo, PING)) {
          throw new IOException(
              "expected the echo 'ping', got '"
                  + new String(echo, StandardCharsets.ISO_8859_1)
                  + "'");
        }
        return socket.getSession();
      }
    }
  }

  /** {@link #handshake(SSLSocketFactory)} with the context's socket factory. */
  public SSLSession handshake(SSLContext clientContext) throws IOException {
    return handshake(clientContext.getSocketFactory());
  }

  /** {@link #handshake(SSLSocketFactory)} with the policy's socket factory. */
  public SSLSession handshake(TlsPolicy policy) throws IOException {
    return handshake(policy.sslSocketFactory());
  }

  /**
   * Small writes right after a handshake otherwise wait for a delayed ACK (Nagle): about 40 ms per
   * round trip on loopback, which would dominate every handshake test and benchmark.
   */
  private static void noDelay(Socket socket) {
    try {
      socket.setTcpNoDelay(true);
    } catch (SocketException e) {
      // A socket that cannot take the option still works, only slower.
    }
  }

  private static byte[] readFully(InputStream in, int length) throws IOException {
    byte[] buffer = new byte[length];
    int read = 0;
    while (read < length) {
      int n = in.read(buffer, read, length - read);
      if (n < 0) {
        throw new EOFException("the server closed after " + read + " of " + length + " bytes");
      }
      read += n;
    }
    return buffer;
  }

  // ---------------------------------------------------------------- server side

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        if (closed || serverSocket.isClosed()) {
          return;
        }
        continue;
      }
      accepted.incrementAndGet();
      open.add(socket);
      noDelay(socket);
      if (closed) {
        closeQuietly(socket);
        return;
      }
      Thread worker = new Thread(() -> serve(socket), "moat-test-server-" + port() + "-conn");
      worker.setDaemon(true);
      worker.start();
    }
  }

  private void serve(Socket socket) {
    boolean handshaken = false;
    try {
      socket.setSoTimeout(TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      if (socket instanceof SSLSocket) {
        SSLSocket ssl = (SSLSocket) socket;
        ssl.startHandshake();
        handshaken = true;
        SSLSession session = ssl.getSession();
        lastSession.set(session);
        try {
          Certificate[] peer = session.getPeerCertificates();
          if (peer.length > 0 && peer[0] instanceof X509Certificate) {
            lastClientCertificate.set((X509Certificate) peer[0]);
          }
        } catch (SSLPeerUnverifiedException noClientCertificate) {
          // one-way TLS: nothing to record
        }
        handshakes.incrementAndGet();
      } else {
        out.write(PLAINTEXT_BANNER.getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      if (tls && !handshaken && !(closed && e instanceof SocketException)) {
        failures.incrementAndGet();
        lastFailure.set(e);
      }
    } finally {
      closeQuietly(socket);
      open.remove(socket);
    }
  }

  /** Stops accepting and closes every connection; returns within about a second. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(serverSocket);
    for (Socket socket : open) {
      closeQuietly(socket);
    }
    try {
      acceptor.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // closing on the way out; nothing useful to do
    }
  }

  @Override
  public String toString() {
    return (tls ? "TlsTestServer[" : "TlsTestServer[plaintext, ")
        + HOST
        + ":"
        + port()
        + ", accepted="
        + accepted.get()
        + ", handshakes="
        + handshakes.get()
        + "]";
  }
}
