package dev.moat.benchmarks;

import dev.moat.core.Pem;
import dev.moat.core.Revocation;
import dev.moat.core.TlsPolicy;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * One process, one verified handshake: what a device pays from JVM start to its first verified
 * connection. Run as {@code ColdStart moat|jdk PORT ROOT_PEM}; the parent times whole processes.
 */
public final class ColdStart {
  private ColdStart() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[1]);
    Path root = Path.of(args[2]);
    SSLSocketFactory factory;
    if (args[0].equals("moat")) {
      factory = TlsPolicy.builder().trustRoots(Pem.readCertificates(root)).revocation(Revocation.off()).build()
          .sslSocketFactory("bench");
    } else {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      try (InputStream in = Files.newInputStream(root)) {
        store.setCertificateEntry("root", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      factory = context.getSocketFactory();
    }
    try (SSLSocket socket = (SSLSocket) factory.createSocket("localhost", port)) {
      socket.setSoTimeout(10_000);
      if (args[0].equals("jdk")) {
        javax.net.ssl.SSLParameters p = socket.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(p);
      }
      socket.startHandshake();
      OutputStream out = socket.getOutputStream();
      out.write("ping".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      byte[] echo = socket.getInputStream().readNBytes(4);
      if (echo.length != 4) {
        throw new IllegalStateException("no echo");
      }
    }
  }
}
