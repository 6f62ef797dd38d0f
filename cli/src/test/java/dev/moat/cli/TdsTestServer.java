package dev.moat.cli;

import dev.moat.cli.internal.Tds;
import dev.moat.testkit.Scenario;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * A loopback stand-in for SQL Server's TDS 7 encryption negotiation: answers the client's PRELOGIN
 * with ENCRYPT_ON and runs the server side of the TLS handshake inside PRELOGIN packets, presenting
 * a catalog scenario's credentials, protocols and suites; or, for the plaintext scenario, answers
 * ENCRYPT_NOT_SUP. Reads bounded by 10 s; threads are daemons; close() closes everything.
 */
final class TdsTestServer implements AutoCloseable {
  private final ServerSocket serverSocket;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger packetsAfterNotSupported = new AtomicInteger();

  private TdsTestServer(Scenario scenario) throws Exception {
    SSLContext context = null;
    if (!scenario.plaintext()) {
      context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {scenario.credentials().orElseThrow().keyManager()}, null, null);
    }
    SSLContext ctx = context;
    serverSocket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (!serverSocket.isClosed()) {
        try {
          Socket s = serverSocket.accept();
          open.add(s);
          Thread w = new Thread(() -> serve(s, scenario, ctx), "tds-test-conn");
          w.setDaemon(true);
          w.start();
        } catch (IOException e) {
          return;
        }
      }
    }, "tds-test-accept");
    t.setDaemon(true);
    t.start();
  }

  static TdsTestServer start(Scenario scenario) throws Exception {
    return new TdsTestServer(scenario);
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  /** TDS packets a client sent after being told the server cannot encrypt (a LOGIN7 would be one). */
  int packetsAfterNotSupported() {
    return packetsAfterNotSupported.get();
  }

  private void serve(Socket s, Scenario scenario, SSLContext context) {
    try (s) {
      s.setSoTimeout(10_000);
      Tds.Message prelogin = Tds.read(s.getInputStream());
      if (prelogin.type() != Tds.PKT_PRELOGIN) {
        return;
      }
      if (context == null) {
        Tds.write(s.getOutputStream(), Tds.PKT_REPLY, Tds.prelogin(Tds.ENCRYPT_NOT_SUP));
        while (true) {
          Tds.read(s.getInputStream());
          packetsAfterNotSupported.incrementAndGet();
        }
      }
      Tds.write(s.getOutputStream(), Tds.PKT_REPLY, Tds.prelogin(Tds.ENCRYPT_ON));
      SSLEngine engine = context.createSSLEngine();
      engine.setUseClientMode(false);
      if (!scenario.serverProtocols().isEmpty()) {
        engine.setEnabledProtocols(scenario.serverProtocols().toArray(new String[0]));
      }
      if (!scenario.serverCipherSuites().isEmpty()) {
        engine.setEnabledCipherSuites(scenario.serverCipherSuites().toArray(new String[0]));
      }
      Tds.handshake(engine, s.getInputStream(), s.getOutputStream());
    } catch (IOException | RuntimeException e) {
      // the client refused or hung up: expected for most scenarios
    } finally {
      open.remove(s);
    }
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
