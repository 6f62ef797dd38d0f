package dev.moat.core.internal;

import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;

/** Trust anchors indexed by subject, for path building. */
public final class Anchors {
  private final List<X509Certificate> all;
  private final Map<X500Principal, List<X509Certificate>> bySubject;

  private Anchors(List<X509Certificate> all) {
    this.all = List.copyOf(all);
    Map<X500Principal, List<X509Certificate>> index = new HashMap<>();
    for (X509Certificate c : this.all) {
      index.computeIfAbsent(c.getSubjectX500Principal(), k -> new ArrayList<>(1)).add(c);
    }
    this.bySubject = index;
  }

  public static Anchors of(boolean platform, List<X509Certificate> explicit) {
    Set<X509Certificate> set = new LinkedHashSet<>(explicit);
    if (platform) {
      set.addAll(Platform.ROOTS);
    }
    return new Anchors(new ArrayList<>(set));
  }

  /** These anchors plus extra per-host ones. */
  public Anchors plus(List<X509Certificate> extra) {
    if (extra.isEmpty()) {
      return this;
    }
    Set<X509Certificate> set = new LinkedHashSet<>(all);
    set.addAll(extra);
    return new Anchors(new ArrayList<>(set));
  }

  public List<X509Certificate> withSubject(X500Principal subject) {
    return bySubject.getOrDefault(subject, Collections.emptyList());
  }

  public List<X509Certificate> all() {
    return all;
  }

  public boolean contains(X509Certificate c) {
    return withSubject(c.getSubjectX500Principal()).contains(c);
  }

  /** The JVM's default trust anchors, loaded on first use only. */
  private static final class Platform {
    static final List<X509Certificate> ROOTS = load();

    private static List<X509Certificate> load() {
      try {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init((KeyStore) null);
        for (TrustManager tm : f.getTrustManagers()) {
          if (tm instanceof X509TrustManager) {
            return List.of(((X509TrustManager) tm).getAcceptedIssuers());
          }
        }
        return List.of();
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException("cannot load the platform's trust anchors: " + e.getMessage(), e);
      }
    }
  }
}
