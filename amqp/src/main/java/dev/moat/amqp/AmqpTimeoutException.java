package dev.moat.amqp;

import java.time.Duration;

/** A bounded wait of the {@link AmqpClient} ran out: the step named in the message did not finish. */
public final class AmqpTimeoutException extends AmqpException {
  private static final long serialVersionUID = 1L;

  private final Duration timeout;

  /** @param timeout how long the client waited */
  public AmqpTimeoutException(String message, Duration timeout) {
    super(message, null);
    this.timeout = timeout;
  }

  /** How long the client waited. */
  public Duration timeout() {
    return timeout;
  }
}
