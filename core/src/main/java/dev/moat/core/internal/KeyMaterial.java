package dev.moat.core.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.jspecify.annotations.Nullable;

/**
 * Private keys from PEM, through Bouncy Castle as a library (its provider is used as an instance
 * and never registered with the JVM).
 */
public final class KeyMaterial {
  private KeyMaterial() {}

  private static final class Bc {
    // Created on first use only: decrypting a key is the only thing that needs it.
    static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();
  }

  public static PrivateKey privateKeyFromPem(String pem, String source, char @Nullable [] password) {
    List<PemReader.Block> blocks = PemReader.blocks(pem, source);
    PemReader.Block keyBlock = null;
    for (PemReader.Block b : blocks) {
      if (b.type().endsWith("PRIVATE KEY")) {
        if (keyBlock != null) {
          throw new IllegalArgumentException(source + ": holds more than one private key; keep one key per file");
        }
        keyBlock = b;
      }
    }
    if (keyBlock == null) {
      throw new IllegalArgumentException(
          source + ": no private key block found; expected PRIVATE KEY, ENCRYPTED PRIVATE KEY, "
              + "RSA PRIVATE KEY or EC PRIVATE KEY");
    }
    if (pem.contains("Proc-Type: 4,ENCRYPTED")) {
      throw new IllegalArgumentException(
          source + ": legacy OpenSSL-encrypted keys are not supported; convert with "
              + "'openssl pkcs8 -topk8 -in key.pem -out key-pkcs8.pem'");
    }
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser parser = new PEMParser(new java.io.StringReader(reencode(keyBlock)))) {
      Object parsed = parser.readObject();
      if (parsed instanceof PKCS8EncryptedPrivateKeyInfo) {
        if (password == null) {
          throw new IllegalArgumentException(source + ": the private key is encrypted; give its password");
        }
        InputDecryptorProvider decryptor =
            new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(password);
        try {
          return converter.getPrivateKey(((PKCS8EncryptedPrivateKeyInfo) parsed).decryptPrivateKeyInfo(decryptor));
        } catch (PKCSException e) {
          throw new IllegalArgumentException(source + ": wrong password for the encrypted private key", e);
        }
      }
      if (parsed instanceof PrivateKeyInfo) {
        return converter.getPrivateKey((PrivateKeyInfo) parsed);
      }
      if (parsed instanceof PEMKeyPair) {
        return converter.getKeyPair((PEMKeyPair) parsed).getPrivate();
      }
      throw new IllegalArgumentException(source + ": block " + keyBlock.index() + " is not a private key");
    } catch (PEMException e) {
      throw new IllegalArgumentException(source + ": the private key does not parse: " + e.getMessage(), e);
    } catch (OperatorCreationException e) {
      throw new IllegalArgumentException(source + ": cannot decrypt the private key: " + e.getMessage(), e);
    } catch (java.io.IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith(source)) {
        throw (IllegalArgumentException) e;
      }
      throw new IllegalArgumentException(source + ": the private key does not parse: " + e.getMessage(), e);
    }
  }

  private static String reencode(PemReader.Block block) {
    return "-----BEGIN " + block.type() + "-----\n"
        + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(block.der())
        + "\n-----END " + block.type() + "-----\n";
  }

  /** Proves the key belongs to the certificate by signing and verifying a challenge. */
  public static void requireMatch(PrivateKey key, X509Certificate leaf, String what) {
    String algorithm;
    switch (key.getAlgorithm()) {
      case "RSA":
        algorithm = "SHA256withRSA";
        break;
      case "EC":
        algorithm = "SHA256withECDSA";
        break;
      case "Ed25519":
      case "EdDSA":
        algorithm = "Ed25519";
        break;
      case "RSASSA-PSS":
        algorithm = "RSASSA-PSS";
        break;
      default:
        throw new IllegalArgumentException(what + ": unsupported key algorithm " + key.getAlgorithm());
    }
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    try {
      Signature signer = Signature.getInstance(algorithm);
      if (algorithm.equals("RSASSA-PSS")) {
        signer.setParameter(new java.security.spec.PSSParameterSpec(
            "SHA-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
      }
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      if (algorithm.equals("RSASSA-PSS")) {
        verifier.setParameter(new java.security.spec.PSSParameterSpec(
            "SHA-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
      }
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(challenge);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // Falls through: a key of another type than the certificate's cannot verify either.
    }
    throw new IllegalArgumentException(
        what + ": the private key does not belong to the certificate "
            + Texts.subject(leaf.getSubjectX500Principal()) + " (" + dev.moat.core.Pin.of(leaf)
            + "); check that the key and certificate files are a pair");
  }
}
