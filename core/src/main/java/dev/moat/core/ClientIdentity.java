package dev.moat.core;

import dev.moat.core.internal.KeyMaterial;
import dev.moat.core.internal.Texts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A client's key and certificate chain for mutual TLS: how IoT devices, Redis with {@code
 * tls-auth-clients yes} and brokers that require client certificates know who connects.
 *
 * <pre>{@code
 * ClientIdentity device = ClientIdentity.fromPkcs12(Path.of("device.p12"), password);
 * TlsPolicy policy = TlsPolicy.builder().clientIdentity(device).build();
 * }</pre>
 *
 * <p>Every factory checks that the private key belongs to the leaf certificate and fails with a
 * clear message otherwise, so a wrong file is found at start-up, not at the first handshake.
 * {@link #toString()} shows the certificate, never the key.
 */
public final class ClientIdentity {
  private final PrivateKey key;
  private final List<X509Certificate> chain;

  private ClientIdentity(PrivateKey key, List<X509Certificate> chain) {
    this.key = key;
    this.chain = chain;
  }

  /**
   * An identity from a key and its chain (leaf first).
   *
   * @throws IllegalArgumentException if the chain is empty or the key does not match the leaf
   */
  public static ClientIdentity of(PrivateKey key, List<X509Certificate> chain) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(chain, "chain");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("client identity needs at least the leaf certificate");
    }
    List<X509Certificate> copy = List.copyOf(chain);
    KeyMaterial.requireMatch(key, copy.get(0), "client identity");
    return new ClientIdentity(key, copy);
  }

  /**
   * Loads the single key entry of a PKCS#12 file.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException for a wrong password, no key entry, several key entries, or a
   *     key that does not match its certificate
   */
  public static ClientIdentity fromPkcs12(Path file, char[] password) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(password, "password");
    KeyStore store;
    try (InputStream in = Files.newInputStream(file)) {
      store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
    } catch (IOException e) {
      if (e.getCause() instanceof java.security.UnrecoverableKeyException
          || String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("password")) {
        throw new IllegalArgumentException(
            file + ": wrong password for the PKCS#12 file (or the file is damaged)", e);
      }
      throw new IllegalArgumentException(file + ": not a readable PKCS#12 file: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(file + ": not a readable PKCS#12 file: " + e.getMessage(), e);
    }
    return fromKeyStore(store, password, null, file.toString());
  }

  /**
   * Takes a key entry from a {@link KeyStore}. With a null alias the store must hold exactly one
   * key entry.
   *
   * @throws IllegalArgumentException for a wrong password, a missing alias, or a mismatched key
   */
  public static ClientIdentity fromKeyStore(KeyStore store, char[] password, @Nullable String alias) {
    return fromKeyStore(store, password, alias, "key store");
  }

  private static ClientIdentity fromKeyStore(
      KeyStore store, char[] password, @Nullable String alias, String source) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(password, "password");
    try {
      String chosen = alias;
      if (chosen == null) {
        List<String> keyAliases = new ArrayList<>();
        for (String a : Collections.list(store.aliases())) {
          if (store.isKeyEntry(a)) {
            keyAliases.add(a);
          }
        }
        if (keyAliases.size() != 1) {
          throw new IllegalArgumentException(
              source + " holds " + keyAliases.size() + " key entries " + keyAliases
                  + "; name the alias to use");
        }
        chosen = keyAliases.get(0);
      } else if (!store.isKeyEntry(chosen)) {
        throw new IllegalArgumentException(source + " has no key entry named '" + Texts.sanitize(chosen, 80) + "'");
      }
      Key key = store.getKey(chosen, password);
      if (!(key instanceof PrivateKey)) {
        throw new IllegalArgumentException(source + ": entry '" + chosen + "' is not a private key");
      }
      Certificate[] certs = store.getCertificateChain(chosen);
      if (certs == null || certs.length == 0) {
        throw new IllegalArgumentException(source + ": entry '" + chosen + "' has no certificate chain");
      }
      List<X509Certificate> chain = new ArrayList<>(certs.length);
      for (Certificate c : certs) {
        chain.add((X509Certificate) c);
      }
      return of((PrivateKey) key, chain);
    } catch (java.security.UnrecoverableKeyException e) {
      throw new IllegalArgumentException(source + ": wrong password for the private key", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(source + ": cannot read the key entry: " + e.getMessage(), e);
    }
  }

  /**
   * Loads a PEM certificate chain (leaf first) and a PEM private key: PKCS#8 ({@code PRIVATE KEY}),
   * encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY}), PKCS#1 RSA ({@code RSA PRIVATE KEY}) or SEC1 EC
   * ({@code EC PRIVATE KEY}).
   *
   * @param password the password of an encrypted key, or null for an unencrypted one
   * @throws IOException if a file cannot be read
   * @throws IllegalArgumentException for garbage, a wrong or missing password, or a key that does
   *     not match the leaf certificate
   */
  public static ClientIdentity fromPem(Path certificateChain, Path privateKey, char @Nullable [] password)
      throws IOException {
    Objects.requireNonNull(certificateChain, "certificateChain");
    Objects.requireNonNull(privateKey, "privateKey");
    List<X509Certificate> chain = Pem.readCertificates(certificateChain);
    PrivateKey key =
        KeyMaterial.privateKeyFromPem(
            dev.moat.core.internal.PemReader.read(privateKey), privateKey.toString(), password);
    return of(key, chain);
  }

  /** The private key. */
  public PrivateKey privateKey() {
    return key;
  }

  /** The certificate chain, leaf first. */
  public List<X509Certificate> chain() {
    return chain;
  }

  @Override
  public String toString() {
    return "ClientIdentity[" + Texts.subject(chain.get(0).getSubjectX500Principal()) + ", "
        + Pin.of(chain.get(0)) + ", " + key.getAlgorithm() + " key]";
  }
}
