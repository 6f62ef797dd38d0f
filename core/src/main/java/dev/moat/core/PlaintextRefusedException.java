package dev.moat.core;

import java.util.Objects;

/**
 * A plaintext endpoint ({@code http://}, {@code redis://}, {@code tcp://}, {@code encrypt=false}
 * ...) refused before any byte was sent. Thrown by the factories of the protocol modules and by
 * {@link TlsPolicy#requireTls}.
 */
public class PlaintextRefusedException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String host;
  private final String protocol;

  public PlaintextRefusedException(String host, String protocol, String message) {
    super(message);
    this.host = Objects.requireNonNull(host, "host");
    this.protocol = Objects.requireNonNull(protocol, "protocol");
  }

  /** The host the plaintext connection was for. */
  public String host() {
    return host;
  }

  /** The application protocol ({@code http}, {@code redis}, ...). */
  public String protocol() {
    return protocol;
  }

  /** Always {@link Check#PLAINTEXT}, for symmetry with {@link TlsRefusalException#check()}. */
  public Check check() {
    return Check.PLAINTEXT;
  }
}
