package dev.moat.core;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Child-JVM entry point of {@link ColdPathClassLoadingTest}: one verification with core and the
 * JDK only (no testkit, no Bouncy Castle of its own). Arguments: root PEM, chain PEM.
 */
public final class ColdPathMain {
  private ColdPathMain() {}

  public static void main(String[] args) throws Exception {
    X509Certificate root = Pem.readCertificates(Path.of(args[0])).get(0);
    List<X509Certificate> chain = Pem.readCertificates(Path.of(args[1]));
    TlsPolicy.builder().trustRoot(root).revocation(Revocation.off()).build()
        .verifyServer(chain, "localhost", 443, "t");
    System.out.println("VERIFIED");
  }
}
