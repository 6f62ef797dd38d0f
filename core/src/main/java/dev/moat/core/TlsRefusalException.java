package dev.moat.core;

import dev.moat.core.internal.Texts;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A peer refused by a {@link TlsPolicy}. Thrown by the strict trust manager during the handshake,
 * so JSSE wraps it in an {@link javax.net.ssl.SSLHandshakeException} and handlers that already
 * catch that keep working; {@link TlsRefusals#find(Throwable)} digs it out of any client library's
 * exception.
 *
 * <p>The message is meant for a person: where, which check, one plain sentence, the peer chain
 * leaf first with each certificate's {@code sha256/} pin, subject and expiry, what was expected,
 * and the exact change that would make the connection pass. It never contains key material or
 * credentials.
 */
public class TlsRefusalException extends CertificateException {
  private static final long serialVersionUID = 1L;

  private final Check check;
  private final String host;
  private final int port;
  private final String protocol;
  private final transient List<X509Certificate> peerChain;
  private final String reason;
  private final List<String> details;
  private final @Nullable String fix;

  /**
   * @param check the check that failed
   * @param host the peer's host name or IP address as the client named it ({@code ?} if unknown)
   * @param port the peer's port, or -1 if unknown
   * @param protocol the application protocol ({@code https}, {@code redis}...) or {@code tls}
   * @param peerChain the certificates the peer presented, leaf first (may be empty)
   * @param reason one plain sentence saying what is wrong
   * @param details further lines: what was expected, what the certificate says
   * @param fix what to change to make the connection pass, or null when nothing on the client can
   * @param cause the underlying failure, if any
   */
  public TlsRefusalException(
      Check check,
      String host,
      int port,
      String protocol,
      List<X509Certificate> peerChain,
      String reason,
      List<String> details,
      @Nullable String fix,
      @Nullable Throwable cause) {
    super(
        Texts.refusalMessage(check, host, port, protocol, peerChain, reason, details, fix), cause);
    this.check = Objects.requireNonNull(check, "check");
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.peerChain = List.copyOf(peerChain);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.details = List.copyOf(details);
    this.fix = fix;
  }

  /** The check that failed. */
  public Check check() {
    return check;
  }

  /** The peer's host name or IP address as the client named it. */
  public String host() {
    return host;
  }

  /** The peer's port, or -1 when the client did not say. */
  public int port() {
    return port;
  }

  /** The application protocol the connection was for ({@code https}, {@code redis}, ...). */
  public String protocol() {
    return protocol;
  }

  /** The certificates the peer presented, leaf first; empty when it presented none. */
  public List<X509Certificate> peerChain() {
    return peerChain == null ? List.of() : peerChain;
  }

  /** The one-sentence reason, without the chain and the fix. */
  public String reason() {
    return reason;
  }

  /** The lines of detail (what was expected, what the certificate says). */
  public List<String> details() {
    return details;
  }

  /** What to change so that the connection passes, or null when the client cannot fix it. */
  public @Nullable String fix() {
    return fix;
  }
}
