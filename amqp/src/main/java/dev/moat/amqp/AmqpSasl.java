package dev.moat.amqp;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a client authenticates to the broker: SASL {@code PLAIN} (user and password), {@code
 * EXTERNAL} (the TLS client certificate of the policy's {@link
 * dev.moat.core.TlsPolicy.Builder#clientIdentity client identity}) or {@code ANONYMOUS}.
 *
 * <pre>{@code
 * AmqpSasl sasl = AmqpSasl.plain("device-17", passwordChars);
 * }</pre>
 *
 * <p>{@link #toString()} never shows the password. {@code PLAIN} is refused on any connection
 * without TLS, even to a host the policy exempts from TLS, since it would send the password in
 * clear.
 */
public final class AmqpSasl {
  /** The SASL mechanisms Moat's client speaks. */
  public enum Mechanism {
    /** RFC 4616: user and password, which only TLS protects. */
    PLAIN,
    /** RFC 4422 appendix A: the identity the TLS client certificate established. */
    EXTERNAL,
    /** RFC 4505: no identity. */
    ANONYMOUS
  }

  private final Mechanism mechanism;
  private final @Nullable String user;
  private final char @Nullable [] password;

  private AmqpSasl(Mechanism mechanism, @Nullable String user, char @Nullable [] password) {
    this.mechanism = mechanism;
    this.user = user;
    this.password = password;
  }

  /**
   * SASL PLAIN. The password is copied; clear your array when you no longer need it.
   *
   * @throws IllegalArgumentException when {@code user} is empty
   */
  public static AmqpSasl plain(String user, char[] password) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (user.isEmpty()) {
      throw new IllegalArgumentException("user is empty; SASL PLAIN needs a user name");
    }
    return new AmqpSasl(Mechanism.PLAIN, user, password.clone());
  }

  /** SASL EXTERNAL: the broker takes the identity from the TLS client certificate. */
  public static AmqpSasl external() {
    return new AmqpSasl(Mechanism.EXTERNAL, null, null);
  }

  /** SASL ANONYMOUS. */
  public static AmqpSasl anonymous() {
    return new AmqpSasl(Mechanism.ANONYMOUS, null, null);
  }

  /** The mechanism. */
  public Mechanism mechanism() {
    return mechanism;
  }

  /** The user for PLAIN, else null. */
  public @Nullable String user() {
    return user;
  }

  /** The SASL initial response: {@code \0user\0password} for PLAIN, empty otherwise. */
  byte[] initialResponse() {
    if (mechanism != Mechanism.PLAIN || user == null || password == null) {
      return new byte[0];
    }
    byte[] u = user.getBytes(StandardCharsets.UTF_8);
    ByteBuffer p = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] out = new byte[u.length + p.remaining() + 2];
    System.arraycopy(u, 0, out, 1, u.length);
    p.get(out, u.length + 2, p.remaining());
    if (p.hasArray()) {
      Arrays.fill(p.array(), (byte) 0);
    }
    return out;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof AmqpSasl)) {
      return false;
    }
    AmqpSasl other = (AmqpSasl) o;
    return mechanism == other.mechanism
        && Objects.equals(user, other.user)
        && Arrays.equals(password, other.password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mechanism, user);
  }

  /** The mechanism and user; never the password. */
  @Override
  public String toString() {
    return user == null ? "AmqpSasl[" + mechanism + "]" : "AmqpSasl[" + mechanism + " " + user + "]";
  }
}
