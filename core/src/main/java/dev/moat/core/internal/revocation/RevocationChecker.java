package dev.moat.core.internal.revocation;

import dev.moat.core.Check;
import dev.moat.core.Revocation;
import dev.moat.core.RevocationMode;
import dev.moat.core.TlsEvent;
import dev.moat.core.TlsRefusalException;
import dev.moat.core.internal.CertificateFacts;
import dev.moat.core.internal.RevocationCheck;
import dev.moat.core.internal.Texts;
import dev.moat.core.internal.ValidatedPath;
import dev.moat.core.internal.Verification;
import java.io.IOException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * The revocation step: stapled OCSP, then the cache, then OCSP, then CRL. One instance per policy,
 * so its cache is shared by every connection of the policy. No lock is held during network I/O;
 * handshakes that need the same answer at the same time wait for one fetch.
 */
public final class RevocationChecker implements RevocationCheck {
  private final Function<String, Revocation> settingsForHost;
  private final Map<String, Status> cache;
  /** CRLs by URL and issuer (name and key): a CRL answers only for the CA that signed it. */
  private final Map<String, CachedCrl> crls;
  private final Map<String, CompletableFuture<Status>> inFlight = new ConcurrentHashMap<>();
  private final AtomicLong networkRequests = new AtomicLong();

  /**
   * @param settingsForHost the effective settings for a normalized host (per-host rule or global)
   * @param maxEntries how many answers (and CRLs) the cache holds
   */
  public RevocationChecker(Function<String, Revocation> settingsForHost, int maxEntries) {
    this.settingsForHost = settingsForHost;
    this.cache = lru(maxEntries);
    this.crls = lru(Math.max(16, maxEntries / 16));
  }

  private static <V> Map<String, V> lru(int max) {
    return java.util.Collections.synchronizedMap(new LinkedHashMap<String, V>(64, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > max;
      }
    });
  }

  /** A verified CRL and when it must be fetched again. */
  private record CachedCrl(X509CRL crl, Instant expiresAt) {}

  /** Until nextUpdate, but never longer than maxCacheAge from now (a CRL without nextUpdate: maxCacheAge). */
  private static Instant expiry(X509CRL crl, Instant now, Revocation settings) {
    Instant cap = now.plus(settings.maxCacheAge());
    if (crl.getNextUpdate() == null) {
      return cap;
    }
    Instant next = crl.getNextUpdate().toInstant();
    return next.isBefore(cap) ? next : cap;
  }

  /** How many OCSP/CRL HTTP requests this checker has made (for tests and metrics). */
  public long networkRequests() {
    return networkRequests.get();
  }

  @Override
  public void check(Verification v, ValidatedPath path, @Nullable SSLSession session) throws TlsRefusalException {
    String host = v.normalizedHost() != null ? v.normalizedHost() : v.host();
    Revocation settings = settingsForHost.apply(host);
    if (settings.mode() == RevocationMode.OFF || path.directlyTrusted()) {
      return;
    }
    List<X509Certificate> all = path.withAnchor();
    int last = settings.depth() == Revocation.Depth.LEAF_ONLY ? 1 : all.size() - 1;
    for (int i = 0; i < last && i < all.size() - 1; i++) {
      X509Certificate cert = all.get(i);
      X509Certificate issuer = all.get(i + 1);
      byte[] staple = i == 0 ? staple(session) : null;
      // Refuse a must-staple certificate without a staple before any fetch: no answer can save it.
      if (i == 0 && staple == null && Ocsp.mustStaple(cert)) {
        throw v.refuse(Check.REVOCATION_UNKNOWN,
            "The certificate '" + Texts.subject(cert.getSubjectX500Principal()) + "' requires a stapled OCSP "
                + "response (TLS feature must-staple, RFC 7633) and the server sent none.",
            List.of(), "Enable OCSP stapling on the server.");
      }
      Status status = status(cert, issuer, staple, settings, v.now());
      decide(v, settings, cert, status);
    }
  }

  private void decide(Verification v, Revocation settings, X509Certificate cert, Status s) throws TlsRefusalException {
    String subject = "'" + Texts.subject(cert.getSubjectX500Principal()) + "'";
    String line = s.state() + " via " + s.source() + " from " + s.location() + ": " + s.detail();
    v.publish(new TlsEvent(TlsEvent.Kind.REVOCATION_STATUS, v.host(), -1, "revocation",
        s.state() == Status.State.REVOKED ? Check.REVOKED
            : s.state() == Status.State.UNKNOWN ? Check.REVOCATION_UNKNOWN : null,
        v.presented(), subject + ": " + line));
    switch (s.state()) {
      case GOOD:
        return;
      case REVOKED:
        throw v.refuse(Check.REVOKED,
            "The certificate " + subject + " is revoked.",
            List.of("Status: " + line),
            "The server must get a new certificate; a revoked certificate cannot be accepted.");
      default:
        if (settings.mode() == RevocationMode.HARD_FAIL) {
          throw v.refuse(Check.REVOCATION_UNKNOWN,
              "The revocation status of " + subject + " could not be established, and the policy is HARD_FAIL.",
              List.of("Status: " + line),
              "Make the OCSP responder or CRL reachable, or enable OCSP stapling on the server. To accept "
                  + "an unknown status for this host (and lose protection when the responder is blocked): "
                  + ".revocation(" + Texts.quote(v.host()) + ", Revocation.softFail())");
        }
        v.report(Check.REVOCATION_UNKNOWN, "SOFT-FAIL: revocation status unknown for " + subject + ": " + line);
    }
  }

  private static byte @Nullable [] staple(@Nullable SSLSession session) {
    if (session instanceof ExtendedSSLSession) {
      try {
        List<byte[]> responses = ((ExtendedSSLSession) session).getStatusResponses();
        if (!responses.isEmpty() && responses.get(0) != null && responses.get(0).length > 0) {
          return responses.get(0);
        }
      } catch (UnsupportedOperationException e) {
        return null;
      }
    }
    return null;
  }

  private Status status(X509Certificate cert, X509Certificate issuer, byte @Nullable [] staple,
      Revocation settings, Instant now) {
    if (staple != null) {
      Status stapled = Ocsp.verify(staple, cert, issuer, settings, now, null, "stapled OCSP", "stapled");
      if (stapled.definite()) {
        return stapled;
      }
    }
    String key = CertificateFacts.of(issuer).pin() + "/" + cert.getSerialNumber().toString(16);
    Status cached = cache.get(key);
    if (cached != null && cached.validUntil() != null && now.isBefore(cached.validUntil())) {
      return cached.fromCache();
    }
    CompletableFuture<Status> mine = new CompletableFuture<>();
    CompletableFuture<Status> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      long bound = (settings.connectTimeout().toMillis() + settings.readTimeout().toMillis() * 2) * 3 + 1000;
      try {
        return running.get(bound, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Status.unknown("OCSP", "-", "interrupted while waiting for another handshake's fetch");
      } catch (ExecutionException | TimeoutException e) {
        return Status.unknown("OCSP", "-", "another handshake's fetch failed: " + e);
      }
    }
    Status fresh;
    try {
      // Another handshake may have finished its fetch between the cache look-up and putIfAbsent.
      Status justCached = cache.get(key);
      if (justCached != null && justCached.validUntil() != null && now.isBefore(justCached.validUntil())) {
        mine.complete(justCached.fromCache());
        return justCached.fromCache();
      }
      fresh = fetch(cert, issuer, settings, now);
      if (fresh.validUntil() != null && fresh.definite()) {
        cache.put(key, fresh);
      }
      mine.complete(fresh);
    } catch (RuntimeException e) {
      fresh = Status.unknown("OCSP", "-", "unexpected failure: " + e);
      mine.complete(fresh);
    } finally {
      inFlight.remove(key, mine);
    }
    return fresh;
  }

  private Status fetch(X509Certificate cert, X509Certificate issuer, Revocation settings, Instant now) {
    Status best = null;
    for (String url : Ocsp.responderUrls(cert)) {
      networkRequests.incrementAndGet();
      Status s = Ocsp.query(url, cert, issuer, settings, now);
      if (s.definite()) {
        return s;
      }
      best = s;
    }
    for (String url : Crl.distributionPoints(cert)) {
      String key = url + "|" + issuer.getSubjectX500Principal().getName() + "|" + CertificateFacts.of(issuer).pin();
      CachedCrl cached = crls.get(key);
      if (cached == null || !now.isBefore(cached.expiresAt())) {
        try {
          networkRequests.incrementAndGet();
          X509CRL crl = Crl.fetch(url, issuer, settings, now);
          cached = new CachedCrl(crl, expiry(crl, now, settings));
          crls.put(key, cached);
        } catch (IOException e) {
          best = Status.unknown("CRL", url, "CRL unavailable: " + e.getMessage());
          continue;
        }
      }
      return Crl.statusFrom(cached.crl(), cert, url, cached.expiresAt());
    }
    return best != null ? best
        : Status.unknown("none", "-", "the certificate names no OCSP responder or CRL, and no response was stapled");
  }
}
