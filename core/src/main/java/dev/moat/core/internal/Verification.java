package dev.moat.core.internal;

import dev.moat.core.Check;
import dev.moat.core.ProfileRule;
import dev.moat.core.TlsEvent;
import dev.moat.core.TlsRefusalException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One verification: who is being checked, against what, at which instant. Everything a check needs
 * to decide and to word its refusal.
 */
public final class Verification {
  /** Which side of the connection the chain belongs to. */
  public enum Role {
    SERVER,
    CLIENT
  }

  final String host;
  final @Nullable String normalizedHost;
  final int port;
  final String protocol;
  final List<X509Certificate> presented;
  final Instant now;
  final Role role;
  final Anchors anchors;
  final Set<ProfileRule> relaxed;
  /** EKU OIDs the leaf must allow; empty for no requirement. */
  final Set<String> requiredEkus;
  final int maxIntermediates;
  private final Consumer<TlsEvent> events;

  public Verification(
      String host,
      @Nullable String normalizedHost,
      int port,
      String protocol,
      List<X509Certificate> presented,
      Instant now,
      Role role,
      Anchors anchors,
      Set<ProfileRule> relaxed,
      Set<String> requiredEkus,
      int maxIntermediates,
      Consumer<TlsEvent> events) {
    this.host = host;
    this.normalizedHost = normalizedHost;
    this.port = port;
    this.protocol = protocol;
    this.presented = presented;
    this.now = now;
    this.role = role;
    this.anchors = anchors;
    this.relaxed = relaxed;
    this.requiredEkus = requiredEkus;
    this.maxIntermediates = maxIntermediates;
    this.events = events;
  }

  public boolean relaxed(ProfileRule rule) {
    return relaxed.contains(rule);
  }

  public Instant now() {
    return now;
  }

  public Role role() {
    return role;
  }

  public String host() {
    return host;
  }

  public @Nullable String normalizedHost() {
    return normalizedHost;
  }

  public List<X509Certificate> presented() {
    return presented;
  }

  /** Builds the refusal and tells the listeners. */
  public TlsRefusalException refuse(
      Check check, String reason, List<String> details, @Nullable String fix) {
    return refuse(check, reason, details, fix, null);
  }

  public TlsRefusalException refuse(
      Check check, String reason, List<String> details, @Nullable String fix, @Nullable Throwable cause) {
    TlsRefusalException e =
        new TlsRefusalException(check, host, port, protocol, presented, reason, details, fix, cause);
    publish(new TlsEvent(TlsEvent.Kind.REFUSED, host, port, protocol, check, presented, e.getMessage()));
    return e;
  }

  public void publish(TlsEvent event) {
    events.accept(event);
  }

  public void report(Check check, String message) {
    publish(new TlsEvent(TlsEvent.Kind.REPORTED, host, port, protocol, check, presented, message));
  }

  public void accepted(String message) {
    publish(new TlsEvent(TlsEvent.Kind.ACCEPTED, host, port, protocol, null, presented, message));
  }

  /** A phrase such as {@code the certificate CN=a (sha256/...)} for messages. */
  static String name(X509Certificate c) {
    return "'" + Texts.subject(c.getSubjectX500Principal()) + "'";
  }
}
