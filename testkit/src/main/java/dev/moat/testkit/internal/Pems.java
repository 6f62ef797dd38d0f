package dev.moat.testkit.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.util.io.pem.PemGenerationException;
import org.bouncycastle.util.io.pem.PemWriter;

/** PEM text for certificates and keys. */
public final class Pems {
  private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(64, new byte[] {'\n'});

  private Pems() {}

  public static String block(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + BASE64.encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  public static String certificates(List<X509Certificate> certificates) {
    StringBuilder pem = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      try {
        pem.append(block("CERTIFICATE", certificate.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException("cannot encode " + certificate.getSubjectX500Principal(), e);
      }
    }
    return pem.toString();
  }

  /** Unencrypted PKCS#8, {@code -----BEGIN PRIVATE KEY-----}. */
  public static String pkcs8(PrivateKey key) {
    byte[] der = key.getEncoded();
    if (der == null || !"PKCS#8".equals(key.getFormat())) {
      throw new IllegalArgumentException("key " + key.getAlgorithm() + " has no PKCS#8 encoding");
    }
    return block("PRIVATE KEY", der);
  }

  /**
   * Encrypted PKCS#8 ({@code -----BEGIN ENCRYPTED PRIVATE KEY-----}): PBES2 with PBKDF2-HMAC-SHA256
   * and AES-256-CBC, as {@code openssl pkcs8 -topk8 -v2 aes-256-cbc} writes it.
   */
  public static String encryptedPkcs8(PrivateKey key, char[] password) {
    try {
      OutputEncryptor encryptor =
          new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
              .setProvider(Bc.provider())
              .setRandom(Keys.random())
              .setPRF(PKCS8Generator.PRF_HMACSHA256)
              .setIterationCount(10_000)
              .setPassword(password)
              .build();
      StringWriter text = new StringWriter();
      try (PemWriter writer = new PemWriter(text)) {
        writer.writeObject(new JcaPKCS8Generator(key, encryptor).generate());
      }
      return text.toString();
    } catch (OperatorCreationException | PemGenerationException e) {
      throw new IllegalStateException("cannot encrypt a " + key.getAlgorithm() + " key", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
