package dev.moat.http;

import dev.moat.core.Check;
import java.net.ProtocolException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP exchange Moat refused before (or instead of) sending the request: an {@code http://}
 * URL to a host without a plaintext exemption, a redirect from https to http, or a connection that
 * was not made through the policy's TLS (a client whose builder was weakened later).
 *
 * <p>It is an {@link java.io.IOException}, so code that already handles failed calls keeps
 * working. It extends {@link ProtocolException} because OkHttp does not retry those on another
 * route: a refusal must not turn into a second attempt. For {@code http://} refusals the {@link
 * dev.moat.core.PlaintextRefusedException} from {@link dev.moat.core.TlsPolicy#requireTls} is the
 * cause.
 */
public class HttpRefusalException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  private final Check check;
  private final String host;

  /**
   * @param check why: {@link Check#PLAINTEXT} for plaintext and downgrades
   * @param host the host the request was for
   * @param message what was refused and how to allow it, without credentials
   * @param cause the underlying refusal, if any
   */
  public HttpRefusalException(Check check, String host, String message, @Nullable Throwable cause) {
    super(message);
    this.check = Objects.requireNonNull(check, "check");
    this.host = Objects.requireNonNull(host, "host");
    if (cause != null) {
      initCause(cause);
    }
  }

  /** The reason, as the typed {@link Check} core uses. */
  public Check check() {
    return check;
  }

  /** The host the refused request was for. */
  public String host() {
    return host;
  }
}
