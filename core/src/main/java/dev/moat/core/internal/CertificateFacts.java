package dev.moat.core.internal;

import dev.moat.core.Pin;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Facts about one certificate that every handshake would otherwise recompute. The JDK hands back
 * the same {@link X509Certificate} object for identical bytes, so caching by certificate keeps the
 * hot path to a map look-up. Weak keys: a certificate nobody holds any more is forgotten.
 */
public final class CertificateFacts {
  private static final Map<X509Certificate, CertificateFacts> CACHE =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final Pin pin;
  private final List<String> dnsNames;
  private final List<byte[]> ipAddresses;
  private final int sanCount;
  private final @Nullable String sanError;

  private CertificateFacts(X509Certificate certificate) {
    this.pin = Pin.ofSpki(certificate.getPublicKey().getEncoded());
    List<String> dns = new ArrayList<>();
    List<byte[]> ips = new ArrayList<>();
    String error = null;
    int count = 0;
    try {
      Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          count++;
          Object type = san.get(0);
          Object value = san.get(1);
          if (Integer.valueOf(2).equals(type) && value instanceof String) {
            dns.add((String) value);
          } else if (Integer.valueOf(7).equals(type) && value instanceof String) {
            byte[] ip = HostNames.ipLiteral((String) value);
            if (ip != null) {
              ips.add(ip);
            }
          }
        }
      }
    } catch (CertificateParsingException | RuntimeException e) {
      error = Texts.sanitize(String.valueOf(e.getMessage()), 200);
    }
    this.dnsNames = List.copyOf(dns);
    this.ipAddresses = Collections.unmodifiableList(ips);
    this.sanCount = count;
    this.sanError = error;
  }

  public static CertificateFacts of(X509Certificate certificate) {
    CertificateFacts facts = CACHE.get(certificate);
    if (facts == null) {
      facts = new CertificateFacts(certificate);
      CACHE.put(certificate, facts);
    }
    return facts;
  }

  /** Extension values by OID, {@link #ABSENT} for none (the JDK throws and catches to say so). */
  private final Map<String, byte[]> extensions = new java.util.concurrent.ConcurrentHashMap<>();

  private static final byte[] ABSENT = new byte[0];

  private volatile @Nullable List<String> commonNames;

  /**
   * The DER value of {@code certificate}'s extension with this OID, as {@link
   * X509Certificate#getExtensionValue} returns it, or null; looked up once per certificate. Shared:
   * callers must not modify it. (The facts hold no reference to their certificate, or the weak
   * cache could never forget it.)
   */
  static byte @Nullable [] extension(X509Certificate certificate, String oid) {
    Map<String, byte[]> known = of(certificate).extensions;
    byte[] value = known.get(oid);
    if (value == null) {
      value = certificate.getExtensionValue(oid);
      if (value == null) {
        value = ABSENT;
      }
      known.put(oid, value);
    }
    return value == ABSENT ? null : value;
  }

  /** {@code certificate}'s subject common names ({@link SanSyntax#commonNames}), read once. */
  static List<String> commonNames(X509Certificate certificate) {
    CertificateFacts facts = of(certificate);
    List<String> cns = facts.commonNames;
    if (cns == null) {
      cns = List.copyOf(SanSyntax.commonNames(certificate));
      facts.commonNames = cns;
    }
    return cns;
  }

  public Pin pin() {
    return pin;
  }

  /** subjectAltName dNSName entries, as written in the certificate. */
  public List<String> dnsNames() {
    return dnsNames;
  }

  /** subjectAltName iPAddress entries. */
  public List<byte[]> ipAddresses() {
    return ipAddresses;
  }

  /** How many subjectAltName entries of any type the certificate has. */
  public int sanCount() {
    return sanCount;
  }

  /** Why the subjectAltName extension could not be read, or null. */
  public @Nullable String sanError() {
    return sanError;
  }

  /** The names a person should see: DNS names then IP addresses, bounded. */
  public String namesForHumans(int max) {
    List<String> all = new ArrayList<>();
    for (String d : dnsNames) {
      all.add(Texts.sanitize(d, 100));
    }
    for (byte[] ip : ipAddresses) {
      try {
        all.add(java.net.InetAddress.getByAddress(ip).getHostAddress());
      } catch (java.net.UnknownHostException e) {
        all.add("(bad IP entry)");
      }
    }
    if (all.isEmpty()) {
      return "(no DNS or IP subjectAltName)";
    }
    if (all.size() > max) {
      return String.join(", ", all.subList(0, max)) + ", ... (" + all.size() + " names)";
    }
    return String.join(", ", all);
  }
}
