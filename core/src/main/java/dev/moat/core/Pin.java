package dev.moat.core;

import dev.moat.core.internal.CertificateFacts;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A public-key pin: the SHA-256 digest of a certificate's DER-encoded SubjectPublicKeyInfo, written
 * {@code sha256/<base64>} as OkHttp and HPKP write it.
 *
 * <pre>{@code
 * Pin pin = Pin.parse("sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
 * Pin actual = Pin.of(certificate);
 * }</pre>
 *
 * <p>A pin names a key, not a certificate: a renewed certificate with the same key keeps its pin.
 */
public final class Pin {
  private static final String PREFIX = "sha256/";
  private static final int DIGEST_LENGTH = 32;

  private final byte[] digest;
  private final String text;

  private Pin(byte[] digest) {
    this.digest = digest;
    this.text = PREFIX + Base64.getEncoder().encodeToString(digest);
  }

  /**
   * Parses {@code sha256/<base64 of 32 bytes>}. Surrounding white space is ignored; standard and
   * URL-safe base64 are accepted.
   *
   * @throws IllegalArgumentException naming the input when it is not such a pin
   */
  public static Pin parse(String pin) {
    Objects.requireNonNull(pin, "pin");
    String trimmed = pin.strip();
    if (!trimmed.startsWith(PREFIX)) {
      int slash = trimmed.indexOf('/');
      String algorithm = slash > 0 ? trimmed.substring(0, slash) : null;
      throw new IllegalArgumentException(
          "pin '"
              + abbreviate(trimmed)
              + "' is not a SHA-256 SPKI pin: "
              + (algorithm != null
                  ? "algorithm '" + abbreviate(algorithm) + "' is not supported, only sha256/"
                  : "it must start with 'sha256/'")
              + "; expected sha256/ followed by the base64 of 32 bytes, for example "
              + "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    }
    String encoded = trimmed.substring(PREFIX.length());
    byte[] bytes;
    try {
      bytes =
          encoded.indexOf('-') >= 0 || encoded.indexOf('_') >= 0
              ? Base64.getUrlDecoder().decode(encoded)
              : Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "pin '" + abbreviate(trimmed) + "' is not valid base64 after 'sha256/': " + e.getMessage(),
          e);
    }
    if (bytes.length != DIGEST_LENGTH) {
      throw new IllegalArgumentException(
          "pin '"
              + abbreviate(trimmed)
              + "' decodes to "
              + bytes.length
              + " bytes; a SHA-256 pin is 32 bytes (44 base64 characters ending in '=')");
    }
    return new Pin(bytes);
  }

  /** The pin of a certificate's public key. */
  public static Pin of(X509Certificate certificate) {
    Objects.requireNonNull(certificate, "certificate");
    return CertificateFacts.of(certificate).pin();
  }

  /** The pin of a public key (its X.509 SubjectPublicKeyInfo encoding). */
  public static Pin of(PublicKey publicKey) {
    Objects.requireNonNull(publicKey, "publicKey");
    byte[] spki = publicKey.getEncoded();
    if (spki == null) {
      throw new IllegalArgumentException(
          "public key of type " + publicKey.getAlgorithm() + " has no X.509 encoding");
    }
    return ofSpki(spki);
  }

  /** The pin of a DER-encoded SubjectPublicKeyInfo. */
  public static Pin ofSpki(byte[] subjectPublicKeyInfo) {
    try {
      return new Pin(MessageDigest.getInstance("SHA-256").digest(subjectPublicKeyInfo));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The 32-byte SHA-256 digest. */
  public byte[] digest() {
    return digest.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pin && Arrays.equals(digest, ((Pin) o).digest);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(digest);
  }

  /** {@code sha256/<base64>}, which {@link #parse(String)} reads back. */
  @Override
  public String toString() {
    return text;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
