package dev.moat.amqp;

import dev.moat.amqp.internal.AmqpUri;
import dev.moat.amqp.internal.BoundedChannel;
import dev.moat.core.Check;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.core.TlsRefusals;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLException;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.amqp.transport.ReceiverSettleMode;
import org.apache.qpid.proton.amqp.transport.SenderSettleMode;
import org.apache.qpid.proton.engine.Connection;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Endpoint;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Link;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.Sender;
import org.apache.qpid.proton.engine.Session;
import org.apache.qpid.proton.engine.Transport;
import org.apache.qpid.proton.engine.TransportException;
import org.apache.qpid.proton.message.Message;
import org.jspecify.annotations.Nullable;

/**
 * A small blocking AMQP 1.0 client over a {@link ProtonTls} transport: one connection, one session,
 * a sender link per address, and receivers with a credit window. Get one from {@link
 * ProtonTls#connect(TlsPolicy, String, AmqpSasl)}.
 *
 * <pre>{@code
 * try (AmqpClient client = ProtonTls.connect(policy, "amqps://broker.example.com:5671",
 *     AmqpSasl.plain("device-17", password))) {
 *   client.send("telemetry", "temperature=21.5");          // waits until the broker accepts it
 *   try (AmqpReceiver commands = client.receiver("commands", 10)) {
 *     Optional<Message> command = commands.receive(Duration.ofSeconds(5));
 *   }
 * }
 * }</pre>
 *
 * <p>Every wait is bounded by the client's timeout (TCP connect, each read, each write; host name
 * resolution is the system resolver's); the I/O happens on the calling thread, inside the call, so
 * nothing reads from the socket between calls (a broker that requires heartbeats more
 * often than the application calls in may close an idle client). Methods are synchronized: one
 * thread at a time uses the connection. Errors from the broker surface as {@link AmqpException}
 * with the AMQP error condition. Not a JMS implementation.
 */
public final class AmqpClient implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(AmqpClient.class.getName());
  private static final int DEFAULT_CREDIT = 10;
  private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  private final AmqpUri uri;
  private final AmqpSasl sasl;
  private final Duration timeout;
  private final Transport transport;
  private final Connection connection;
  private final BoundedChannel channel;
  private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);
  private final Map<String, Sender> senders = new HashMap<>();
  private final Map<String, AmqpReceiver> receivers = new HashMap<>();
  private final List<Link> links = new ArrayList<>();
  private @Nullable Session session;
  private @Nullable TransportException processingFailure;
  private @Nullable IOException ioFailure;
  private boolean endOfStream;
  private long bytesRead;
  private boolean closed;
  private long tag;

  private AmqpClient(AmqpUri uri, AmqpSasl sasl, Duration timeout, Transport transport,
      BoundedChannel channel) {
    this.uri = uri;
    this.sasl = sasl;
    this.timeout = timeout;
    this.transport = transport;
    this.channel = channel;
    this.connection = Connection.Factory.create();
  }

  static AmqpClient open(TlsPolicy policy, AmqpUri uri, AmqpSasl sasl, Duration timeout)
      throws AmqpException {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout " + timeout + " must be positive");
    }
    // All refusals (amqp://, PLAIN without TLS, EXTERNAL without identity) happen here, before
    // any socket exists.
    Transport transport = ProtonTls.transport(policy, uri, sasl, ProtonTls.sslDomain(policy));
    BoundedChannel channel;
    try {
      channel = BoundedChannel.connect(uri.host(), uri.port(), timeout);
    } catch (SocketTimeoutException e) {
      throw new AmqpTimeoutException(
          "timed out after " + timeout.toMillis() + " ms connecting to " + uri.redacted(), timeout);
    } catch (IOException e) {
      throw new AmqpException("cannot connect to " + uri.redacted() + ": " + e, e);
    }
    AmqpClient client = new AmqpClient(uri, sasl, timeout, transport, channel);
    try {
      client.start();
      return client;
    } catch (AmqpException | RuntimeException e) {
      client.abort();
      throw e;
    }
  }

  private void start() throws AmqpException {
    connection.setHostname(uri.host());
    connection.setContainer("moat-" + UUID.randomUUID());
    transport.bind(connection);
    connection.open();
    Session s = connection.session();
    s.open();
    session = s;
    pumpUntil(
        () -> connection.getRemoteState() == EndpointState.ACTIVE
            && s.getRemoteState() == EndpointState.ACTIVE,
        "opening the connection and session",
        timeout);
  }

  /** The broker this client is connected to, with the password (if any) shown as {@code ***}. */
  public String uri() {
    return uri.redacted();
  }

  /** The timeout that bounds each wait. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Sends a message whose body is {@code text} (an AMQP value) and waits until the broker accepts
   * it.
   *
   * @throws AmqpException when the broker rejects or releases it, an error occurs, or the wait
   *     times out
   */
  public void send(String address, String text) throws AmqpException {
    Message message = Message.Factory.create();
    message.setBody(new AmqpValue(text));
    send(address, message);
  }

  /**
   * Sends {@code message} to {@code address} unsettled and waits until the broker settles it with
   * an {@code accepted} outcome: when this returns, the broker has taken responsibility for it.
   *
   * @throws AmqpException when the broker rejects it (the rejection's error condition is in {@link
   *     AmqpException#condition()}), releases or modifies it, another error occurs, or the wait
   *     times out
   */
  public synchronized void send(String address, Message message) throws AmqpException {
    Delivery delivery = transfer(address, message, false);
    pumpUntil(
        () -> delivery.remotelySettled() || delivery.getRemoteState() != null,
        "waiting for the broker's disposition of a message to '" + address + "'",
        timeout);
    DeliveryState state = delivery.getRemoteState();
    delivery.settle();
    if (state instanceof Accepted) {
      return;
    }
    if (state instanceof Rejected) {
      ErrorCondition error = ((Rejected) state).getError();
      throw error(
          "the broker at " + uri.redacted() + " rejected a message to '" + address + "'",
          error);
    }
    throw new AmqpException(
        "the broker at " + uri.redacted() + " did not accept a message to '" + address
            + "': outcome " + (state == null ? "none (settled without a state)" : state),
        null);
  }

  /**
   * Sends {@code message} pre-settled ("fire and forget", at most once): returns when the message
   * is written to the connection, without waiting for the broker.
   *
   * @throws AmqpException when the link cannot be opened, the broker grants no credit in time, or
   *     the connection fails
   */
  public synchronized void sendSettled(String address, Message message) throws AmqpException {
    Delivery delivery = transfer(address, message, true);
    delivery.settle();
    pumpUntil(() -> transport.pending() <= 0, "writing a message to '" + address + "'", timeout);
  }

  /**
   * Receives one message from {@code address}, accepting it, or returns empty when none arrives
   * within {@code wait}. Uses a receiver with a credit window of 10 that stays open until {@link
   * #close()}; messages the broker sent ahead are handed out by later calls.
   *
   * @throws AmqpException when the receiver cannot be attached or the connection fails
   */
  public synchronized Optional<Message> receive(String address, Duration wait)
      throws AmqpException {
    AmqpReceiver receiver = receivers.get(address);
    if (receiver == null || receiver.isClosed()) {
      receiver = receiver(address, DEFAULT_CREDIT);
      receivers.put(address, receiver);
    }
    return receiver.receive(wait);
  }

  /**
   * Attaches a receiver to {@code address} that keeps {@code credit} messages in flight: the broker
   * may send up to that many before the application asks for them.
   *
   * @throws IllegalArgumentException when {@code credit} is not positive
   * @throws AmqpException when the broker refuses the link (for example {@code amqp:not-found} or
   *     {@code amqp:unauthorized-access}) or the wait times out
   */
  public synchronized AmqpReceiver receiver(String address, int credit) throws AmqpException {
    Objects.requireNonNull(address, "address");
    if (credit < 1) {
      throw new IllegalArgumentException("credit " + credit + " must be at least 1");
    }
    ensureOpen();
    Receiver receiver = session().receiver("moat-receiver-" + address + "-" + UUID.randomUUID());
    Source source = new Source();
    source.setAddress(address);
    receiver.setSource(source);
    receiver.setTarget(new Target());
    receiver.setSenderSettleMode(SenderSettleMode.UNSETTLED);
    receiver.setReceiverSettleMode(ReceiverSettleMode.FIRST);
    receiver.open();
    links.add(receiver);
    pumpUntil(
        () -> receiver.getRemoteState() == EndpointState.ACTIVE
            && receiver.getRemoteSource() != null,
        "attaching a receiver to '" + address + "'",
        timeout);
    receiver.flow(credit);
    pump();
    return new AmqpReceiver(this, receiver, address);
  }

  /**
   * Closes the links, the session and the connection, waiting at most the timeout for the broker
   * to confirm, then the socket. Never throws; errors on the way are logged at DEBUG.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    try {
      if (ioFailure == null && processingFailure == null && !endOfStream) {
        for (Link link : links) {
          if (link.getLocalState() == EndpointState.ACTIVE) {
            link.close();
          }
        }
        if (session != null) {
          session.close();
        }
        connection.close();
        pumpUntil(
            () -> connection.getRemoteState() == EndpointState.CLOSED,
            "closing the connection",
            timeout);
      }
    } catch (AmqpException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing " + uri.redacted() + ": " + e.getMessage());
    } finally {
      abort();
    }
  }

  // ---------------------------------------------------------------- package-private for receivers

  synchronized Optional<Message> receive(AmqpReceiver owner, Receiver receiver, Duration wait)
      throws AmqpException {
    Objects.requireNonNull(wait, "wait");
    ensureOpen();
    boolean ready = waitFor(() -> readable(receiver) != null,
        "receiving from '" + owner.address() + "'", wait);
    if (!ready) {
      checkLink(receiver, "receiving from '" + owner.address() + "'");
      return Optional.empty();
    }
    Delivery delivery = Objects.requireNonNull(readable(receiver));
    int size = delivery.pending();
    byte[] bytes = new byte[Math.max(size, 0)];
    int read = receiver.recv(bytes, 0, bytes.length);
    receiver.advance();
    Message message = Message.Factory.create();
    try {
      message.decode(bytes, 0, Math.max(read, 0));
    } catch (RuntimeException e) {
      ErrorCondition error = new ErrorCondition(
          Symbol.valueOf("amqp:decode-error"), "not an AMQP message: " + e.getMessage());
      Rejected rejected = new Rejected();
      rejected.setError(error);
      delivery.disposition(rejected);
      delivery.settle();
      receiver.flow(1);
      pump();
      throw new AmqpException("a message from '" + owner.address() + "' on " + uri.redacted()
          + " could not be decoded, and was rejected: " + e.getMessage(),
          "amqp:decode-error", error.getDescription(), e);
    }
    if (!delivery.remotelySettled()) {
      delivery.disposition(Accepted.getInstance());
    }
    delivery.settle();
    receiver.flow(1);
    pump();
    return Optional.of(message);
  }

  synchronized void closeReceiver(Receiver receiver) {
    if (closed || receiver.getLocalState() != EndpointState.ACTIVE) {
      return;
    }
    receiver.close();
    try {
      pumpUntil(
          () -> receiver.getRemoteState() == EndpointState.CLOSED,
          "detaching a receiver",
          timeout);
    } catch (AmqpException e) {
      LOG.log(System.Logger.Level.DEBUG, "detaching a receiver: " + e.getMessage());
    } finally {
      links.remove(receiver);
      receivers.values().removeIf(AmqpReceiver::isClosed);
    }
  }

  // ---------------------------------------------------------------- sending

  private Delivery transfer(String address, Message message, boolean settled)
      throws AmqpException {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(message, "message");
    ensureOpen();
    Sender sender = sender(address, settled);
    pumpUntil(
        () -> sender.getCredit() > 0,
        "waiting for credit to send to '" + address + "'",
        timeout);
    byte[] encoded = encode(message);
    Delivery delivery = sender.delivery(Long.toString(tag++).getBytes(StandardCharsets.US_ASCII));
    sender.send(encoded, 0, encoded.length);
    sender.advance();
    return delivery;
  }

  private Sender sender(String address, boolean settled) throws AmqpException {
    String key = (settled ? "settled:" : "unsettled:") + address;
    Sender existing = senders.get(key);
    if (existing != null && existing.getLocalState() == EndpointState.ACTIVE) {
      return existing;
    }
    Sender sender = session().sender("moat-sender-" + address + "-" + UUID.randomUUID());
    Target target = new Target();
    target.setAddress(address);
    sender.setTarget(target);
    sender.setSource(new Source());
    sender.setSenderSettleMode(settled ? SenderSettleMode.SETTLED : SenderSettleMode.UNSETTLED);
    sender.setReceiverSettleMode(ReceiverSettleMode.FIRST);
    sender.open();
    links.add(sender);
    senders.put(key, sender);
    pumpUntil(
        () -> sender.getRemoteState() == EndpointState.ACTIVE && sender.getRemoteTarget() != null,
        "attaching a sender to '" + address + "'",
        timeout);
    return sender;
  }

  private static byte[] encode(Message message) {
    int size = 1024;
    while (true) {
      byte[] buffer = new byte[size];
      try {
        int length = message.encode(buffer, 0, buffer.length);
        byte[] out = new byte[length];
        System.arraycopy(buffer, 0, out, 0, length);
        return out;
      } catch (BufferOverflowException e) {
        if (size >= MAX_MESSAGE_BYTES) {
          throw new IllegalArgumentException(
              "message is larger than " + MAX_MESSAGE_BYTES + " bytes encoded", e);
        }
        size *= 4;
      }
    }
  }

  // ---------------------------------------------------------------- I/O

  private Session session() {
    return Objects.requireNonNull(session, "session");
  }

  private void ensureOpen() throws AmqpException {
    if (closed) {
      throw new AmqpException("the client for " + uri.redacted() + " is closed", null);
    }
    checkFailures("using the connection");
  }

  private static @Nullable Delivery readable(Receiver receiver) {
    Delivery current = receiver.current();
    return current != null && current.isReadable() && !current.isPartial() ? current : null;
  }

  /** Writes what the transport has, processes what arrives, once, without waiting. */
  private void pump() throws AmqpException {
    flush();
    checkFailures("writing to the connection");
  }

  private void pumpUntil(BooleanSupplier done, String what, Duration wait) throws AmqpException {
    if (!waitFor(done, what, wait)) {
      checkFailures(what);
      if (silentTlsPeer()) {
        throw noTlsAnswer(
            "sent nothing in reply to the TLS handshake within " + wait.toMillis() + " ms");
      }
      throw new AmqpTimeoutException(
          "timed out after " + wait.toMillis() + " ms " + what + " on " + uri.redacted(), wait);
    }
  }

  /** Pumps until {@code done} or {@code wait} has passed; throws on failures, false on timeout. */
  private boolean waitFor(BooleanSupplier done, String what, Duration wait) throws AmqpException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      flush();
      checkFailures(what);
      if (done.getAsBoolean()) {
        return true;
      }
      if (endOfStream) {
        throw new AmqpException(
            "the broker at " + uri.redacted() + " closed the connection"
                + (transport.sasl().getOutcome() == Sasl.SaslOutcome.PN_SASL_NONE
                    ? " before authentication (" + sasl + ")"
                    : "")
                + " while " + what,
            null);
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return false;
      }
      long next = transport.tick(System.nanoTime() / 1_000_000L);
      long waitMillis = Math.max(1, Math.min(remaining / 1_000_000L, 1000));
      if (next > 0) {
        waitMillis = Math.max(1, Math.min(waitMillis, next - System.nanoTime() / 1_000_000L));
      }
      readOnce(waitMillis);
    }
  }

  private void flush() {
    if (ioFailure != null) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        int pending = transport.pending();
        if (pending <= 0) {
          break;
        }
        ByteBuffer head = transport.head().duplicate();
        int n = head.remaining();
        channel.write(head, deadline);
        transport.pop(n);
      }
    } catch (IOException e) {
      ioFailure = e;
    } catch (TransportException e) {
      processingFailure = e;
    }
  }

  private void readOnce(long waitMillis) {
    if (ioFailure != null || endOfStream || processingFailure != null) {
      return;
    }
    int capacity = transport.capacity();
    if (capacity < 0) {
      endOfStream = true;
      return;
    }
    try {
      readBuffer.clear();
      readBuffer.limit(Math.min(readBuffer.capacity(), Math.max(capacity, 1)));
      int n = channel.read(readBuffer, waitMillis);
      if (n < 0) {
        endOfStream = true;
        transport.close_tail();
        return;
      }
      if (n == 0) {
        return; // nothing arrived in time; the caller checks its deadline
      }
      bytesRead += n;
      readBuffer.flip();
      while (readBuffer.hasRemaining()) {
        ByteBuffer tail = transport.tail();
        int chunk = Math.min(tail.remaining(), readBuffer.remaining());
        if (chunk <= 0) {
          throw new TransportException("the transport accepts no more input");
        }
        ByteBuffer slice = readBuffer.duplicate();
        slice.limit(slice.position() + chunk);
        tail.put(slice);
        readBuffer.position(readBuffer.position() + chunk);
        transport.process();
      }
    } catch (IOException e) {
      ioFailure = e;
    } catch (TransportException e) {
      processingFailure = e;
    }
  }

  private void checkFailures(String what) throws AmqpException {
    if ((endOfStream || ioFailure != null) && uri.tls() && bytesRead == 0
        && !ProtonTls.handshakeFinished(transport).orElse(Boolean.TRUE)) {
      // The JDK then complains about a missing close_notify; the real news is the silence.
      throw noTlsAnswer("closed the connection without answering the TLS handshake");
    }
    Optional<SSLException> tls = ProtonTls.tlsFailure(transport);
    if (tls.isPresent()) {
      flush(); // the alert, if the engine produced one
      throw tlsFailure(tls.get());
    }
    Sasl saslLayer = transport.sasl();
    Sasl.SaslOutcome outcome = saslLayer.getOutcome();
    if (outcome != Sasl.SaslOutcome.PN_SASL_NONE && outcome != Sasl.SaslOutcome.PN_SASL_OK) {
      String[] offered = saslLayer.getRemoteMechanisms();
      throw new AmqpException(
          "SASL authentication (" + sasl + ") refused by the broker at " + uri.redacted()
              + ": outcome " + outcome
              + (offered.length == 0 ? "" : "; the broker offers " + String.join(", ", offered)),
          "amqp:unauthorized-access",
          "SASL outcome " + outcome,
          null);
    }
    checkEndpoint(connection, "the connection", what);
    if (session != null) {
      checkEndpoint(session, "the session", what);
    }
    for (Link link : links) {
      checkLink(link, what);
    }
    ErrorCondition transportError = transport.getCondition();
    if (transportError != null && transportError.getCondition() != null) {
      throw error("the connection to " + uri.redacted() + " failed " + what, transportError);
    }
    if (processingFailure != null) {
      throw new AmqpException(
          "the connection to " + uri.redacted() + " failed " + what + ": "
              + processingFailure.getMessage(),
          processingFailure);
    }
    if (ioFailure != null) {
      throw new AmqpException(
          "the connection to " + uri.redacted() + " failed " + what + ": "
              + ioFailure.getMessage(),
          ioFailure);
    }
  }

  private void checkLink(Link link, String what) throws AmqpException {
    String name = (link instanceof Sender ? "the sender to '" : "the receiver from '")
        + address(link) + "'";
    checkEndpoint(link, name, what);
  }

  private static String address(Link link) {
    if (link instanceof Sender && link.getTarget() instanceof Target) {
      return String.valueOf(((Target) link.getTarget()).getAddress());
    }
    if (link.getSource() instanceof Source) {
      return String.valueOf(((Source) link.getSource()).getAddress());
    }
    return "?";
  }

  private void checkEndpoint(Endpoint endpoint, String name, String what) throws AmqpException {
    if (endpoint.getRemoteState() != EndpointState.CLOSED) {
      return;
    }
    if (endpoint.getLocalState() == EndpointState.CLOSED
        && (endpoint.getRemoteCondition() == null
            || endpoint.getRemoteCondition().getCondition() == null)) {
      return; // we closed it and the broker agreed
    }
    ErrorCondition remote = endpoint.getRemoteCondition();
    if (remote != null && remote.getCondition() != null) {
      throw error("the broker at " + uri.redacted() + " closed " + name + " while " + what, remote);
    }
    throw new AmqpException(
        "the broker at " + uri.redacted() + " closed " + name + " while " + what
            + " without an error condition",
        null);
  }

  private static AmqpException error(String message, @Nullable ErrorCondition error) {
    if (error == null || error.getCondition() == null) {
      return new AmqpException(message, null);
    }
    Symbol condition = error.getCondition();
    String description = error.getDescription();
    return new AmqpException(
        message + ": " + condition + (description == null ? "" : " (" + description + ")"),
        condition.toString(),
        description,
        null);
  }

  private AmqpException tlsFailure(SSLException e) {
    Optional<TlsRefusalException> refusal =
        TlsRefusals.explain(e, uri.host(), uri.port(), ProtonTls.PROTOCOL);
    String reason = refusal.map(Throwable::getMessage).orElse(e.getMessage());
    AmqpException failure =
        new AmqpException("TLS with " + uri.redacted() + " failed: " + reason, e);
    if (refusal.isPresent() && TlsRefusals.find(e).isEmpty()) {
      failure.addSuppressed(refusal.get());
    }
    return failure;
  }

  /** A TLS connection whose server has not sent a single byte and has not finished a handshake. */
  private boolean silentTlsPeer() {
    return uri.tls() && bytesRead == 0 && ProtonTls.tlsFailure(transport).isEmpty()
        && ProtonTls.handshakeFinished(transport).orElse(Boolean.FALSE).equals(Boolean.FALSE);
  }

  /**
   * A TLS server answers a ClientHello within milliseconds, with a ServerHello or an alert. One
   * that says nothing, or hangs up without a byte, is almost always a plaintext port (an AMQP
   * broker waiting for its protocol header) or not a TLS service at all.
   */
  private AmqpException noTlsAnswer(String whatHappened) {
    TlsRefusalException refusal = new TlsRefusalException(
        Check.PLAINTEXT, uri.host(), uri.port(), ProtonTls.PROTOCOL, List.of(),
        "The server " + whatHappened + ": it likely does not speak TLS on this port (a plaintext"
            + " AMQP port waits for the client's protocol header and never answers a TLS"
            + " ClientHello).",
        List.of("bytes received from the server: 0"),
        "Connect to the broker's TLS port (5671 by convention), or enable TLS on this listener.",
        null);
    return new AmqpException(
        "TLS with " + uri.redacted() + " failed: " + refusal.getMessage(), refusal);
  }

  private void abort() {
    closed = true;
    try {
      transport.close_head();
      transport.close_tail();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing the transport: " + e);
    }
    try {
      channel.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing the socket: " + e);
    }
  }

  @Override
  public String toString() {
    return "AmqpClient[" + uri.redacted() + ", " + sasl + (closed ? ", closed" : "") + "]";
  }
}
