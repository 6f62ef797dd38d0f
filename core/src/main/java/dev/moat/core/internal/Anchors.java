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

/**
 * Trust anchors indexed by subject, for path building. One policy's anchors, and those it derives
 * for hosts with extra roots, share the policy's {@link PathVerdicts}.
 */
public final class Anchors {
  /** How many derived anchor sets ({@link #plus}) are remembered; more are built on each call. */
  private static final int MAX_DERIVED = 64;

  private final List<X509Certificate> all;
  private final Map<X500Principal, List<X509Certificate>> bySubject;
  private final PathVerdicts verdicts;
  /** Derived sets by the list of extra roots given (a host rule's list, fixed per policy). */
  private final Map<List<X509Certificate>, Anchors> derived = new java.util.concurrent.ConcurrentHashMap<>();

  private Anchors(List<X509Certificate> all, PathVerdicts verdicts) {
    this.verdicts = verdicts;
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
    return new Anchors(new ArrayList<>(set), new PathVerdicts());
  }

  /** These anchors plus extra per-host ones, built once per list of extra roots. */
  public Anchors plus(List<X509Certificate> extra) {
    if (extra.isEmpty()) {
      return this;
    }
    Anchors d = derived.get(extra);
    if (d != null) {
      return d;
    }
    Set<X509Certificate> set = new LinkedHashSet<>(all);
    set.addAll(extra);
    d = new Anchors(new ArrayList<>(set), verdicts);
    if (derived.size() < MAX_DERIVED) {
      derived.put(extra, d);
    }
    return d;
  }

  /** The accepted path verdicts of the policy these anchors belong to. */
  public PathVerdicts verdicts() {
    return verdicts;
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
