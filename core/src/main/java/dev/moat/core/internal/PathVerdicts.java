package dev.moat.core.internal;

import dev.moat.core.ProfileRule;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The paths that passed every check that depends neither on the instant nor on the host name, so
 * that a handshake with a path seen before skips them: the profile rules, CA constraints, key
 * strength, signature algorithms, extended key usage, name constraints and the JDK's RFC 5280
 * validation (whose only dependence on the instant is validity, which {@link
 * PathChecks#validity} checks again on every call). Validity, the host name, the negotiated
 * protocol and suite, pins and revocation are never cached.
 *
 * <p>One instance per policy (it lives in the policy's {@link Anchors}). Only acceptances are
 * remembered: a refusal is decided again, with its full message, every time. A verdict is keyed by
 * exactly what those checks read: the path's certificates and anchor (the very objects, compared
 * by identity, as the JDK hands back the same object for identical bytes), the role (which decides
 * the required extended key usage and the server-only rules), the relaxed profile rules and the
 * intermediate limit. Bounded: the least recently used verdict goes first.
 */
public final class PathVerdicts {
  /** How many path verdicts a policy keeps. */
  public static final int MAX_ENTRIES = 512;

  private final Map<Key, Boolean> accepted =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  PathVerdicts() {}

  /** The key for this verification's path. */
  static Key key(Verification v, ValidatedPath path) {
    return new Key(path.certificates(), path.anchor(), v.role, v.relaxed, v.requiredEkus, v.maxIntermediates);
  }

  /** Whether this exact path already passed the time- and host-independent checks. */
  boolean accepted(Key key) {
    synchronized (accepted) {
      return accepted.get(key) != null;
    }
  }

  /** Records that the path passed the time- and host-independent checks. */
  void remember(Key key) {
    synchronized (accepted) {
      accepted.put(key, Boolean.TRUE);
    }
  }

  /** How many verdicts are kept (for tests). */
  int size() {
    synchronized (accepted) {
      return accepted.size();
    }
  }

  /** A path verdict's key: certificate objects by identity, the rest by value. */
  static final class Key {
    private final X509Certificate[] certificates;
    private final X509Certificate anchor;
    private final Verification.Role role;
    private final Set<ProfileRule> relaxed;
    private final Set<String> requiredEkus;
    private final int maxIntermediates;
    private final int hash;

    Key(List<X509Certificate> certificates, X509Certificate anchor, Verification.Role role,
        Set<ProfileRule> relaxed, Set<String> requiredEkus, int maxIntermediates) {
      this.certificates = certificates.toArray(new X509Certificate[0]);
      this.anchor = anchor;
      this.role = role;
      this.relaxed = relaxed.isEmpty() ? Set.of() : EnumSet.copyOf(relaxed);
      this.requiredEkus = Set.copyOf(requiredEkus);
      this.maxIntermediates = maxIntermediates;
      int h = System.identityHashCode(anchor);
      for (X509Certificate c : this.certificates) {
        h = 31 * h + System.identityHashCode(c);
      }
      h = 31 * h + role.hashCode();
      h = 31 * h + this.relaxed.hashCode();
      h = 31 * h + this.requiredEkus.hashCode();
      this.hash = 31 * h + maxIntermediates;
    }

    @Override
    public boolean equals(Object o) {
      if (this == o) {
        return true;
      }
      if (!(o instanceof Key)) {
        return false;
      }
      Key k = (Key) o;
      if (hash != k.hash || anchor != k.anchor || role != k.role || maxIntermediates != k.maxIntermediates
          || certificates.length != k.certificates.length) {
        return false;
      }
      for (int i = 0; i < certificates.length; i++) {
        if (certificates[i] != k.certificates[i]) {
          return false;
        }
      }
      return relaxed.equals(k.relaxed) && requiredEkus.equals(k.requiredEkus);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
