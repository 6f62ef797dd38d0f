package dev.moat.core;

/**
 * Receives the verdicts of a policy, to log, count or forward them. Called on the handshake thread:
 * return quickly, and do not throw (an exception from a listener is logged and ignored, never
 * turned into an acceptance or a refusal).
 *
 * <pre>{@code
 * TlsPolicy policy = TlsPolicy.builder()
 *     .listener(event -> metrics.count(event.kind(), event.check()))
 *     .build();
 * }</pre>
 */
@FunctionalInterface
public interface TlsListener {
  void onEvent(TlsEvent event);
}
