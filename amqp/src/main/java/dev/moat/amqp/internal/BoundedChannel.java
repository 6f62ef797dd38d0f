package dev.moat.amqp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * A non-blocking TCP connection where every wait has a limit: connect, read and write each take a
 * deadline, so a broker that stops reading cannot block a writer forever.
 */
public final class BoundedChannel implements AutoCloseable {
  private final SocketChannel channel;
  private final Selector selector;
  private final SelectionKey key;

  private BoundedChannel(SocketChannel channel, Selector selector, SelectionKey key) {
    this.channel = channel;
    this.selector = selector;
    this.key = key;
  }

  /**
   * Connects to {@code host:port} within {@code timeout}.
   *
   * @throws SocketTimeoutException when the connection is not established in time
   * @throws IOException when it is refused or fails
   */
  public static BoundedChannel connect(String host, int port, Duration timeout)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    SocketChannel channel = SocketChannel.open();
    Selector selector = null;
    try {
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      selector = Selector.open();
      SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT);
      boolean connected = channel.connect(new InetSocketAddress(host, port));
      while (!connected) {
        long remaining = millisUntil(deadline);
        if (remaining <= 0) {
          throw new SocketTimeoutException(
              "no TCP connection to " + host + ":" + port + " within " + timeout.toMillis() + " ms");
        }
        selector.select(remaining);
        selector.selectedKeys().clear();
        connected = channel.finishConnect();
      }
      key.interestOps(0);
      return new BoundedChannel(channel, selector, key);
    } catch (IOException | RuntimeException e) {
      if (selector != null) {
        selector.close();
      }
      channel.close();
      throw e;
    }
  }

  /**
   * Reads what is available into {@code dst}, waiting at most {@code waitMillis} for something to
   * arrive.
   *
   * @return the number of bytes read, 0 if nothing arrived in time, -1 at end of stream
   */
  public int read(ByteBuffer dst, long waitMillis) throws IOException {
    int n = channel.read(dst);
    if (n != 0) {
      return n;
    }
    key.interestOps(SelectionKey.OP_READ);
    try {
      selector.select(Math.max(1, waitMillis));
      selector.selectedKeys().clear();
    } finally {
      key.interestOps(0);
    }
    return channel.read(dst);
  }

  /**
   * Writes all of {@code src} before {@code deadlineNanos} ({@link System#nanoTime()} scale).
   *
   * @throws SocketTimeoutException when the peer does not take the bytes in time
   */
  public void write(ByteBuffer src, long deadlineNanos) throws IOException {
    channel.write(src);
    while (src.hasRemaining()) {
      long remaining = millisUntil(deadlineNanos);
      if (remaining <= 0) {
        throw new SocketTimeoutException(
            "the peer took no more data for the time allowed; " + src.remaining()
                + " bytes unsent");
      }
      key.interestOps(SelectionKey.OP_WRITE);
      try {
        selector.select(remaining);
        selector.selectedKeys().clear();
      } finally {
        key.interestOps(0);
      }
      channel.write(src);
    }
  }

  private static long millisUntil(long deadlineNanos) {
    long nanos = deadlineNanos - System.nanoTime();
    return nanos <= 0 ? 0 : Math.max(1, nanos / 1_000_000L);
  }

  @Override
  public void close() throws IOException {
    try {
      selector.close();
    } finally {
      channel.close();
    }
  }
}
