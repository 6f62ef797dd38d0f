package dev.moat.core;

import java.io.EOFException;
import java.net.SocketException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;

/**
 * Finds out why a TLS connection failed, from whatever exception a client library threw.
 *
 * <pre>{@code
 * try {
 *   client.newCall(request).execute();
 * } catch (IOException e) {
 *   TlsRefusals.find(e).ifPresent(r -> log.warn(r.getMessage()));
 * }
 * }</pre>
 *
 * <p>Certificate refusals come from Moat's trust manager and are found as they are. Refusals that
 * happen before any certificate is seen (the server offers only TLS 1.0, only non-AEAD suites, or
 * does not speak TLS) are raised by the JDK; {@link #explain} recognises them and words them as a
 * {@link TlsRefusalException} with {@link Check#PROTOCOL}, {@link Check#CIPHER_SUITE} or {@link
 * Check#PLAINTEXT}.
 */
public final class TlsRefusals {
  private TlsRefusals() {}

  /** The {@link TlsRefusalException} in the cause chain (or suppressed exceptions) of {@code t}. */
  public static Optional<TlsRefusalException> find(@Nullable Throwable t) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    return Optional.ofNullable(search(t, seen, 0));
  }

  private static @Nullable TlsRefusalException search(@Nullable Throwable t, Map<Throwable, Boolean> seen, int depth) {
    if (t == null || depth > 64 || seen.put(t, Boolean.TRUE) != null) {
      return null;
    }
    if (t instanceof TlsRefusalException) {
      return (TlsRefusalException) t;
    }
    TlsRefusalException found = search(t.getCause(), seen, depth + 1);
    if (found != null) {
      return found;
    }
    for (Throwable s : t.getSuppressed()) {
      found = search(s, seen, depth + 1);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /**
   * The refusal behind a failed connection: Moat's own when there is one, else one recognised from
   * the JDK's handshake failure; empty when the failure is not a TLS refusal (a refused TCP
   * connection, a timeout, an application error).
   */
  public static Optional<TlsRefusalException> explain(
      @Nullable Throwable t, String host, int port, String protocol) {
    Optional<TlsRefusalException> own = find(t);
    if (own.isPresent()) {
      return own;
    }
    Check check = classify(t);
    if (check == null) {
      return Optional.empty();
    }
    String reason;
    String fix;
    switch (check) {
      case PROTOCOL:
        reason = "The server offers no TLS version the policy allows (TLS 1.3 or 1.2); it likely speaks only TLS 1.0 or 1.1.";
        fix = "Enable TLS 1.2 or 1.3 on the server. TLS 1.0 and 1.1 are broken and cannot be allowed.";
        break;
      case CIPHER_SUITE:
        reason = "The server and the policy share no cipher suite: the server likely offers only non-AEAD "
            + "(CBC) or non-forward-secret suites.";
        fix = "Enable ECDHE with AES-GCM or ChaCha20-Poly1305 suites on the server.";
        break;
      default:
        reason = "The server did not answer with TLS: it speaks plaintext on this port (or another protocol).";
        fix = "Connect to the server's TLS port, or enable TLS on the server.";
        break;
    }
    return Optional.of(new TlsRefusalException(check, host, port, protocol, List.of(), reason,
        List.of("JDK says: " + String.valueOf(deepestSslMessage(t))), fix, t));
  }

  /** The check a JDK handshake failure corresponds to, or null when it is not recognised. */
  static @Nullable Check classify(@Nullable Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
      if (c instanceof SSLException) {
        if (m.contains("protocol_version") || m.contains("no appropriate protocol")
            || m.contains("protocol is disabled") || m.contains("unsupported protocol")
            || m.contains("the server selected protocol version")) {
          return Check.PROTOCOL;
        }
        if (m.contains("no cipher suites in common") || m.contains("insufficient_security")
            || (c instanceof SSLHandshakeException && m.contains("handshake_failure"))) {
          return Check.CIPHER_SUITE;
        }
        if (m.contains("unsupported or unrecognized ssl message") || m.contains("plaintext connection")
            || m.contains("not an ssl/tls record")) {
          return Check.PLAINTEXT;
        }
      }
      if ((c instanceof EOFException || c instanceof SocketException) && m.contains("plaintext")) {
        return Check.PLAINTEXT;
      }
    }
    return null;
  }

  private static @Nullable String deepestSslMessage(@Nullable Throwable t) {
    String message = null;
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SSLException) {
        message = c.getMessage();
      }
    }
    return message != null ? message : t == null ? null : t.toString();
  }
}
