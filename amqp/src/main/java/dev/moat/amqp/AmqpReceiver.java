package dev.moat.amqp;

import java.time.Duration;
import java.util.Optional;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.message.Message;

/**
 * A receiver link of an {@link AmqpClient} with a credit window: the broker may send up to that
 * many messages ahead; each {@link #receive} hands one out, accepts it and grants one more credit.
 *
 * <pre>{@code
 * try (AmqpReceiver orders = client.receiver("orders", 20)) {
 *   Optional<Message> next = orders.receive(Duration.ofSeconds(2));
 * }
 * }</pre>
 *
 * <p>A message is accepted (settled with the broker) when it is handed out, before the application
 * processes it: at-most-once from the application's point of view. Messages sent ahead and not yet
 * handed out when the receiver closes go back to the broker.
 */
public final class AmqpReceiver implements AutoCloseable {
  private final AmqpClient client;
  private final Receiver receiver;
  private final String address;

  AmqpReceiver(AmqpClient client, Receiver receiver, String address) {
    this.client = client;
    this.receiver = receiver;
    this.address = address;
  }

  /** The address this receiver reads from. */
  public String address() {
    return address;
  }

  /**
   * The next message, accepted, or empty when none arrives within {@code wait}.
   *
   * @throws AmqpException when the broker closes the link or the connection fails
   */
  public Optional<Message> receive(Duration wait) throws AmqpException {
    return client.receive(this, receiver, wait);
  }

  boolean isClosed() {
    return receiver.getLocalState() == EndpointState.CLOSED;
  }

  /** Detaches the link, waiting at most the client's timeout; never throws. */
  @Override
  public void close() {
    client.closeReceiver(receiver);
  }

  @Override
  public String toString() {
    return "AmqpReceiver[" + address + " on " + client.uri() + "]";
  }
}
