package dev.moat.testkit.internal;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Key pairs for test certificates, from the JDK's own providers. */
public final class Keys {
  private static final SecureRandom RANDOM = new SecureRandom();
  // RSA key generation costs 50 ms to several seconds (2048+ bits); one key per size per JVM.
  private static final Map<Integer, KeyPair> RSA_BY_SIZE = new ConcurrentHashMap<>();

  private Keys() {}

  /** A fresh EC key pair on the named curve (P-256 is {@code secp256r1}). */
  public static KeyPair ec(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate an EC key on curve " + curve, e);
    }
  }

  /** A fresh EC P-256 key pair. */
  public static KeyPair ecP256() {
    return ec("secp256r1");
  }

  /**
   * An RSA key pair of {@code bits}, generated once per size and JVM: every caller asking for the
   * same size gets the same key (and so the same pin).
   */
  public static KeyPair cachedRsa(int bits) {
    return RSA_BY_SIZE.computeIfAbsent(bits, Keys::freshRsa);
  }

  /** A freshly generated RSA key pair; slow for 2048 bits and more. */
  public static KeyPair freshRsa(int bits) {
    if (bits < 512) {
      throw new IllegalArgumentException("RSA key size " + bits + " is below 512 bits");
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits, RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a " + bits + "-bit RSA key", e);
    }
  }

  /** The shared random source. */
  public static SecureRandom random() {
    return RANDOM;
  }
}
