package dev.moat.sql;

import dev.moat.testkit.Credentials;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * A small fake SQL Server for tests, written from the TDS framing the driver uses (8-byte packet
 * header: type, status, big-endian length, SPID, packet id, window; PRELOGIN option table of
 * token/offset/length entries ended by 0xFF). It speaks just enough TDS to drive mssql-jdbc through
 * its TLS negotiation and the login:
 *
 * <ul>
 *   <li>{@link Mode#TDS7_ENCRYPT_ON}: answers the clear PRELOGIN with ENCRYPT_ON, then runs the
 *       TLS handshake inside TDS PRELOGIN packets (type 0x12) as SQL Server does for TDS 7.x, then
 *       reads raw TLS records;
 *   <li>{@link Mode#TDS7_ENCRYPT_NOT_SUPPORTED}: answers ENCRYPT_NOT_SUP and records every packet
 *       the client sends afterwards (a LOGIN7 here would carry the password in clear);
 *   <li>{@link Mode#TDS8}: TLS first (encrypt=strict), then PRELOGIN and LOGIN7 inside TLS.
 * </ul>
 *
 * <p>After a LOGIN7 it answers what a real server says to a wrong password: ERROR 18456 "Login
 * failed for user" and DONE. Every socket read is bounded by {@link #TIMEOUT_MILLIS}; threads are
 * daemons; {@link #close()} closes everything.
 */
final class FakeTdsServer implements AutoCloseable {
  static final int TIMEOUT_MILLIS = 10_000;
  static final int PKT_REPLY = 0x04;
  static final int PKT_LOGIN7 = 0x10;
  static final int PKT_PRELOGIN = 0x12;
  static final int LOGIN_FAILED = 18456;
  static final String LOGIN_FAILED_MESSAGE = "Login failed for user 'moat-test'. (fake TDS server)";

  private static final int ENCRYPT_ON = 1;
  private static final int ENCRYPT_NOT_SUP = 2;
  private static final int MAX_PAYLOAD = 4096 - 8;

  enum Mode {
    TDS7_ENCRYPT_ON,
    TDS7_ENCRYPT_NOT_SUPPORTED,
    TDS8
  }

  private final Mode mode;
  private final SSLContext context;
  private final List<String> protocols;
  private final List<String> cipherSuites;
  private final ServerSocket serverSocket;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final List<Integer> packetTypes = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger handshakes = new AtomicInteger();
  private final AtomicInteger logins = new AtomicInteger();
  private final AtomicReference<Exception> lastFailure = new AtomicReference<>();
  private volatile boolean closed;

  private FakeTdsServer(Mode mode, SSLContext context, List<String> protocols, List<String> cipherSuites)
      throws IOException {
    this.mode = mode;
    this.context = context;
    this.protocols = protocols;
    this.cipherSuites = cipherSuites;
    this.serverSocket = new ServerSocket();
    serverSocket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    Thread t = new Thread(this::acceptLoop, "fake-tds-" + serverSocket.getLocalPort());
    t.setDaemon(true);
    t.start();
  }

  /** Presents {@code credentials} with these protocols and suites (empty: JDK defaults). */
  static FakeTdsServer start(Mode mode, Credentials credentials, List<String> protocols, List<String> cipherSuites)
      throws IOException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {credentials.keyManager()}, null, null);
      return new FakeTdsServer(mode, context, protocols, cipherSuites);
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  int acceptedConnections() {
    return accepted.get();
  }

  /** TLS handshakes the server completed. */
  int completedHandshakes() {
    return handshakes.get();
  }

  /** LOGIN7 packets read (in clear or inside TLS). */
  int logins() {
    return logins.get();
  }

  /** Every TDS packet type the client sent, in order, across connections. */
  List<Integer> packetTypes() {
    return List.copyOf(packetTypes);
  }

  boolean receivedLogin7() {
    return packetTypes.contains(PKT_LOGIN7);
  }

  Optional<Exception> lastFailure() {
    return Optional.ofNullable(lastFailure.get());
  }

  @Override
  public void close() {
    closed = true;
    try {
      serverSocket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        return;
      }
      accepted.incrementAndGet();
      open.add(socket);
      Thread worker = new Thread(() -> serve(socket), "fake-tds-conn-" + port());
      worker.setDaemon(true);
      worker.start();
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setSoTimeout(TIMEOUT_MILLIS);
      socket.setTcpNoDelay(true);
      InputStream rawIn = socket.getInputStream();
      OutputStream rawOut = socket.getOutputStream();
      switch (mode) {
        case TDS8: {
          Tls tls = new Tls(newEngine(), new RawTransport(rawIn, rawOut));
          tls.handshake();
          handshakes.incrementAndGet();
          converse(tls.in(), tls.out(), ENCRYPT_NOT_SUP);
          break;
        }
        case TDS7_ENCRYPT_ON: {
          expect(readPacket(rawIn), PKT_PRELOGIN);
          writePacket(rawOut, PKT_REPLY, preloginResponse(ENCRYPT_ON));
          FramedTransport framed = new FramedTransport(rawIn, rawOut);
          Tls tls = new Tls(newEngine(), framed);
          tls.handshake();
          handshakes.incrementAndGet();
          tls.transport = new RawTransport(rawIn, rawOut);
          converse(tls.in(), tls.out(), -1);
          break;
        }
        case TDS7_ENCRYPT_NOT_SUPPORTED: {
          expect(readPacket(rawIn), PKT_PRELOGIN);
          writePacket(rawOut, PKT_REPLY, preloginResponse(ENCRYPT_NOT_SUP));
          converse(rawIn, rawOut, -1);
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        lastFailure.set(e);
      }
    } finally {
      open.remove(socket);
    }
  }

  /**
   * The TDS conversation after encryption is settled: answers a PRELOGIN (TDS 8 sends it inside
   * TLS) when {@code preloginEncryption >= 0}, then answers LOGIN7 with "login failed".
   */
  private void converse(InputStream in, OutputStream out, int preloginEncryption) throws IOException {
    while (true) {
      Packet p;
      try {
        p = readPacket(in);
      } catch (EOFException e) {
        return; // the client hung up
      }
      if (p.type == PKT_PRELOGIN && preloginEncryption >= 0) {
        writePacket(out, PKT_REPLY, preloginResponse(preloginEncryption));
      } else if (p.type == PKT_LOGIN7) {
        logins.incrementAndGet();
        writePacket(out, PKT_REPLY, loginFailed());
      }
    }
  }

  private SSLEngine newEngine() {
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    if (!protocols.isEmpty()) {
      engine.setEnabledProtocols(protocols.toArray(String[]::new));
    }
    if (!cipherSuites.isEmpty()) {
      engine.setEnabledCipherSuites(cipherSuites.toArray(String[]::new));
    }
    if (mode == Mode.TDS8) {
      javax.net.ssl.SSLParameters params = engine.getSSLParameters();
      params.setApplicationProtocols(new String[] {"tds/8.0"});
      engine.setSSLParameters(params);
    }
    return engine;
  }

  // ------------------------------------------------------------------ TDS framing

  record Packet(int type, int status, byte[] payload) {}

  private static void expect(Packet p, int type) throws IOException {
    if (p.type != type) {
      throw new IOException("expected TDS packet type " + type + ", got " + p.type);
    }
  }

  private Packet readPacket(InputStream in) throws IOException {
    byte[] header = readFully(in, 8);
    int type = header[0] & 0xFF;
    int status = header[1] & 0xFF;
    int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
    if (length < 8) {
      throw new IOException("TDS packet length " + length + " is shorter than its header");
    }
    packetTypes.add(type);
    return new Packet(type, status, readFully(in, length - 8));
  }

  /** One TDS message, split into packets of at most 4096 bytes, EOM on the last. */
  private static void writePacket(OutputStream out, int type, byte[] payload) throws IOException {
    int offset = 0;
    int packetId = 1;
    do {
      int n = Math.min(MAX_PAYLOAD, payload.length - offset);
      boolean last = offset + n == payload.length;
      int length = n + 8;
      out.write(new byte[] {
          (byte) type, (byte) (last ? 0x01 : 0x00), (byte) (length >> 8), (byte) length,
          0, 0, (byte) packetId++, 0});
      out.write(payload, offset, n);
      offset += n;
    } while (offset < payload.length);
    out.flush();
  }

  private static byte[] readFully(InputStream in, int n) throws IOException {
    byte[] b = new byte[n];
    int read = 0;
    while (read < n) {
      int r = in.read(b, read, n - read);
      if (r < 0) {
        throw new EOFException("connection closed after " + read + " of " + n + " bytes");
      }
      read += r;
    }
    return b;
  }

  /** PRELOGIN response: VERSION 16.0.1000 and ENCRYPTION, then the 0xFF terminator. */
  private static byte[] preloginResponse(int encryption) {
    int tableLength = 2 * 5 + 1;
    return new byte[] {
        0x00, 0, (byte) tableLength, 0, 6,
        0x01, 0, (byte) (tableLength + 6), 0, 1,
        (byte) 0xFF,
        16, 0, 0x03, (byte) 0xE8, 0, 0,
        (byte) encryption};
  }

  /** ERROR token 18456 and a DONE token with DONE_ERROR, as a server answers a bad login. */
  private static byte[] loginFailed() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] msg = LOGIN_FAILED_MESSAGE.getBytes(StandardCharsets.UTF_16LE);
    byte[] server = "fake".getBytes(StandardCharsets.UTF_16LE);
    int length = 4 + 1 + 1 + 2 + msg.length + 1 + server.length + 1 + 4;
    b.write(0xAA);
    le(b, length, 2);
    le(b, LOGIN_FAILED, 4);
    b.write(1); // state
    b.write(14); // class
    le(b, msg.length / 2, 2);
    b.writeBytes(msg);
    b.write(server.length / 2);
    b.writeBytes(server);
    b.write(0); // procedure name
    le(b, 1, 4); // line number
    b.write(0xFD); // DONE
    le(b, 0x0002, 2); // DONE_ERROR
    le(b, 0, 2);
    le(b, 0, 8);
    return b.toByteArray();
  }

  private static void le(ByteArrayOutputStream b, long value, int bytes) {
    for (int i = 0; i < bytes; i++) {
      b.write((int) (value >> (8 * i)) & 0xFF);
    }
  }

  // ------------------------------------------------------------------ TLS over a transport

  /** Where TLS records go: straight on the socket, or framed in TDS PRELOGIN packets. */
  private interface Transport {
    void send(byte[] tls) throws IOException;

    byte[] receive() throws IOException;
  }

  private static final class RawTransport implements Transport {
    private final InputStream in;
    private final OutputStream out;

    RawTransport(InputStream in, OutputStream out) {
      this.in = in;
      this.out = out;
    }

    @Override
    public void send(byte[] tls) throws IOException {
      out.write(tls);
      out.flush();
    }

    @Override
    public byte[] receive() throws IOException {
      byte[] b = new byte[16_384];
      int n = in.read(b);
      if (n < 0) {
        throw new EOFException("connection closed");
      }
      return java.util.Arrays.copyOf(b, n);
    }
  }

  /** TDS 7.x: the handshake travels as the payload of PRELOGIN (0x12) packets, both ways. */
  private final class FramedTransport implements Transport {
    private final InputStream in;
    private final OutputStream out;

    FramedTransport(InputStream in, OutputStream out) {
      this.in = in;
      this.out = out;
    }

    @Override
    public void send(byte[] tls) throws IOException {
      writePacket(out, PKT_PRELOGIN, tls);
    }

    @Override
    public byte[] receive() throws IOException {
      Packet p = readPacket(in);
      if (p.type != PKT_PRELOGIN) {
        throw new IOException("expected TLS in a PRELOGIN packet, got TDS packet type " + p.type);
      }
      return p.payload;
    }
  }

  /** A server-side SSLEngine driven over a {@link Transport}. */
  private static final class Tls {
    private final SSLEngine engine;
    Transport transport;
    private ByteBuffer netIn = ByteBuffer.allocate(0);
    private final ByteBuffer appIn;

    Tls(SSLEngine engine, Transport transport) {
      this.engine = engine;
      this.transport = transport;
      this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize() + 1024);
    }

    void handshake() throws IOException {
      engine.beginHandshake();
      ByteArrayOutputStream pending = new ByteArrayOutputStream();
      ByteBuffer netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
      for (int steps = 0; steps < 1_000; steps++) {
        SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
        switch (hs) {
          case NEED_WRAP: {
            netOut.clear();
            SSLEngineResult r = engine.wrap(ByteBuffer.allocate(0), netOut);
            pending.write(netOut.array(), 0, netOut.position());
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
              flush(pending);
              throw new SSLException("handshake closed by the server engine");
            }
            if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) {
              flush(pending);
              return;
            }
            break;
          }
          case NEED_UNWRAP:
          case NEED_UNWRAP_AGAIN: {
            flush(pending);
            SSLEngineResult r = unwrap();
            if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) {
              return;
            }
            break;
          }
          case NEED_TASK: {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
              task.run();
            }
            break;
          }
          default:
            flush(pending);
            return;
        }
      }
      throw new SSLException("handshake did not finish in 1000 steps");
    }

    private void flush(ByteArrayOutputStream pending) throws IOException {
      if (pending.size() > 0) {
        transport.send(pending.toByteArray());
        pending.reset();
      }
    }

    private SSLEngineResult unwrap() throws IOException {
      while (true) {
        SSLEngineResult r = engine.unwrap(netIn, appIn);
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
            || (r.getStatus() == SSLEngineResult.Status.OK && r.bytesConsumed() == 0
                && r.bytesProduced() == 0 && !netIn.hasRemaining())) {
          byte[] more = transport.receive();
          ByteBuffer grown = ByteBuffer.allocate(netIn.remaining() + more.length);
          grown.put(netIn).put(more).flip();
          netIn = grown;
          continue;
        }
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
          throw new EOFException("TLS closed by the client");
        }
        return r;
      }
    }

    InputStream in() {
      return new InputStream() {
        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          appIn.flip();
          try {
            while (!appIn.hasRemaining()) {
              appIn.clear();
              unwrap();
              appIn.flip();
            }
            int n = Math.min(len, appIn.remaining());
            appIn.get(b, off, n);
            return n;
          } finally {
            appIn.compact();
          }
        }
      };
    }

    OutputStream out() {
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          ByteBuffer src = ByteBuffer.wrap(b, off, len);
          ByteBuffer netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
          while (src.hasRemaining()) {
            netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            if (r.getStatus() != SSLEngineResult.Status.OK) {
              throw new SSLException("wrap: " + r.getStatus());
            }
            transport.send(java.util.Arrays.copyOf(netOut.array(), netOut.position()));
          }
        }
      };
    }
  }
}
