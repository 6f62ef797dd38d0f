package dev.moat.core;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a policy decided about one peer, or a warning about the policy itself. Delivered to every
 * {@link TlsListener} of the policy.
 *
 * @param kind what happened
 * @param host the peer host, or the host pattern for policy warnings
 * @param port the peer port, or -1
 * @param protocol the application protocol ({@code https}, {@code redis}, ...)
 * @param check the check concerned, or null for an acceptance
 * @param peerChain the presented chain, leaf first (empty for policy warnings)
 * @param message a person-readable description
 */
public record TlsEvent(
    Kind kind,
    String host,
    int port,
    String protocol,
    @Nullable Check check,
    List<X509Certificate> peerChain,
    String message) {

  /** The kinds of event. */
  public enum Kind {
    /** Every check passed. */
    ACCEPTED,
    /** A check refused the peer; the handshake fails with a {@link TlsRefusalException}. */
    REFUSED,
    /** A report-only check (or a pin set past its expiry with STOP_ENFORCING) would have refused. */
    REPORTED,
    /** A pin set expires within 30 days. */
    PIN_SET_EXPIRING,
    /**
     * The revocation status of one certificate: good (check null), revoked ({@link Check#REVOKED})
     * or unknown ({@link Check#REVOCATION_UNKNOWN}); the message names the source (stapled, OCSP,
     * CRL, cached) and the responder.
     */
    REVOCATION_STATUS
  }

  public TlsEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(protocol, "protocol");
    peerChain = List.copyOf(peerChain);
    Objects.requireNonNull(message, "message");
  }
}
