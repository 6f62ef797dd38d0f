package dev.moat.http.internal;

import dev.moat.core.Check;
import dev.moat.core.PlaintextRefusedException;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.core.TlsRefusals;
import dev.moat.http.HttpRefusalException;
import dev.moat.http.PayloadIntegrityException;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;

/** Words refusals the same way for both HTTP clients. */
public final class Refusals {
  private Refusals() {}

  /**
   * A URL fit for a message: scheme, host, port and path; no user info, no query (which often
   * carries tokens), no fragment.
   */
  public static String redact(URI uri) {
    StringBuilder b = new StringBuilder();
    b.append(uri.getScheme() == null ? "?" : uri.getScheme()).append("://");
    String host = uri.getHost();
    b.append(host == null ? "?" : host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host);
    if (uri.getPort() >= 0) {
      b.append(':').append(uri.getPort());
    }
    String path = uri.getRawPath();
    b.append(path == null || path.isEmpty() ? "/" : path);
    if (uri.getRawQuery() != null) {
      b.append("?(query not shown)");
    }
    return b.toString();
  }

  /**
   * Refuses a plaintext request unless the policy exempts {@code host}.
   *
   * @throws HttpRefusalException with the policy's {@link PlaintextRefusedException} as cause
   */
  public static void requireTls(TlsPolicy policy, String endpoint, String host)
      throws HttpRefusalException {
    try {
      policy.requireTls("http", endpoint, host);
    } catch (PlaintextRefusedException e) {
      throw new HttpRefusalException(Check.PLAINTEXT, host, e.getMessage(), e);
    }
  }

  /** The refusal for a redirect from https to http. */
  public static HttpRefusalException downgrade(String from, String to, String host) {
    return new HttpRefusalException(
        Check.PLAINTEXT,
        host,
        "Refused redirect from " + from + " to " + to + " [check: PLAINTEXT]\n"
            + "  The server asked to continue in plaintext; the request was not repeated over http.\n"
            + "  Ask the server's owner to redirect to https, or request the https URL directly.",
        null);
  }

  /**
   * Gives a failed https exchange the core refusal message: when Moat's trust manager refused the
   * peer, or the JDK's failure is a recognised TLS refusal (old protocol, no common suite,
   * plaintext server), the caller gets an {@link SSLHandshakeException} whose message is the
   * refusal's and whose cause is the {@link TlsRefusalException}. Anything else is returned as it
   * was.
   */
  public static IOException surface(IOException e, String host, int port) {
    if (e instanceof HttpRefusalException || e instanceof PayloadIntegrityException) {
      return e;
    }
    Optional<TlsRefusalException> refusal = TlsRefusals.explain(e, host, port, "https");
    if (refusal.isEmpty()) {
      return e;
    }
    TlsRefusalException r = refusal.get();
    if (e instanceof SSLHandshakeException && e.getCause() == r) {
      return e; // already in the right shape
    }
    SSLHandshakeException surfaced = new SSLHandshakeException(r.getMessage());
    surfaced.initCause(r);
    if (!causes(r, e)) {
      surfaced.addSuppressed(e); // keep the client library's own trace
    }
    return surfaced;
  }

  private static boolean causes(Throwable t, Throwable wanted) {
    int depth = 0;
    for (Throwable c = t; c != null && depth < 64; c = c.getCause(), depth++) {
      if (c == wanted) {
        return true;
      }
    }
    return false;
  }
}
