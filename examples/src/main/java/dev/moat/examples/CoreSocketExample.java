package dev.moat.examples;

import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusals;
import dev.moat.testkit.BadTls;
import dev.moat.testkit.TestPki;
import dev.moat.testkit.TlsTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocketFactory;

/**
 * core alone: a raw {@code SSLSocket} from {@link TlsPolicy#sslSocketFactory(String)}, against a
 * good local server (it echoes) and an expired one (refused before a byte is sent).
 *
 * <pre>{@code ./mvnw -q -pl examples -am verify -DskipTests -Pdemo -Dmoat.example=CoreSocketExample}</pre>
 */
public final class CoreSocketExample {
  private CoreSocketExample() {}

  public static void main(String[] args) throws Exception {
    TestPki pki = TestPki.shared(); // a throw-away root -> intermediate -> leaf for localhost
    TlsPolicy policy = TlsPolicy.builder().trustRoot(pki.root()).build(); // trust our root only

    SSLSocketFactory sockets = policy.sslSocketFactory("echo"); // the one-line client construction

    try (TlsTestServer good = TlsTestServer.start(pki)) {
      System.out.println("good server:    " + exchange(sockets, good.port(), "hello"));
    }
    try (TlsTestServer expired = TlsTestServer.start(BadTls.byName("EXPIRED"))) {
      System.out.println("expired server: " + exchange(sockets, expired.port(), "secret"));
    } catch (IOException e) {
      // Moat's refusal is in the cause chain, with a typed check and a message a person can act on.
      System.out.println("expired server: refused, " + TlsRefusals.find(e).orElseThrow().getMessage());
    }
  }

  /** Sends {@code text} and returns the echo; every wait is bounded. */
  static String exchange(SSLSocketFactory sockets, int port, String text) throws IOException {
    try (Socket socket = sockets.createSocket(TlsTestServer.HOST, port)) {
      socket.setSoTimeout(10_000);
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      byte[] echo = in.readNBytes(bytes.length);
      return "sent '" + text + "', echoed '" + new String(echo, StandardCharsets.UTF_8) + "'";
    }
  }
}
