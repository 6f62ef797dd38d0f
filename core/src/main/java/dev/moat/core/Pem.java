package dev.moat.core;

import dev.moat.core.internal.PemReader;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Small conversions from PEM text to the types {@link TlsPolicy} takes.
 *
 * <pre>{@code
 * TlsPolicy policy = TlsPolicy.builder().trustRoots(Pem.readCertificates(Path.of("ca.pem"))).build();
 * }</pre>
 */
public final class Pem {
  private Pem() {}

  /**
   * Reads every {@code CERTIFICATE} block of a PEM file.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if it holds no certificate or a block does not parse, naming
   *     the file and the block
   */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    return PemReader.certificates(PemReader.read(file), file.toString());
  }

  /**
   * Parses every {@code CERTIFICATE} block of PEM text.
   *
   * @throws IllegalArgumentException if it holds no certificate or a block does not parse
   */
  public static List<X509Certificate> parseCertificates(String pem) {
    return PemReader.certificates(pem, "PEM text");
  }
}
