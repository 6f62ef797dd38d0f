package dev.moat.amqp;

import java.io.IOException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A failure of the blocking {@link AmqpClient}: TLS refused (find Moat's reason with {@link
 * dev.moat.core.TlsRefusals#find}), SASL refused, an error the broker sent (its AMQP error
 * condition, such as {@code amqp:unauthorized-access} or {@code amqp:not-found}, in {@link
 * #condition()}), a lost connection, or a wait that timed out ({@link AmqpTimeoutException}).
 *
 * <pre>{@code
 * try {
 *   client.send("orders", message);
 * } catch (AmqpException e) {
 *   if (e.condition().filter("amqp:unauthorized-access"::equals).isPresent()) { ... }
 * }
 * }</pre>
 */
public class AmqpException extends IOException {
  private static final long serialVersionUID = 1L;

  private final @Nullable String condition;
  private final @Nullable String description;

  /** A failure without an AMQP error condition. */
  public AmqpException(String message, @Nullable Throwable cause) {
    this(message, null, null, cause);
  }

  /**
   * A failure with the AMQP error condition the peer sent.
   *
   * @param condition the condition's symbol, such as {@code amqp:not-found}
   * @param description the peer's description, if it sent one
   */
  public AmqpException(
      String message,
      @Nullable String condition,
      @Nullable String description,
      @Nullable Throwable cause) {
    super(message, cause);
    this.condition = condition;
    this.description = description;
  }

  /** The AMQP error condition the peer sent ({@code amqp:unauthorized-access}, ...), if any. */
  public Optional<String> condition() {
    return Optional.ofNullable(condition);
  }

  /** The peer's description of the error condition, if it sent one. */
  public Optional<String> description() {
    return Optional.ofNullable(description);
  }
}
