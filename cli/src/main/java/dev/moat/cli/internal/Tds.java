package dev.moat.cli.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * Just enough TDS (the SQL Server protocol) to reach its TLS handshake: the PRELOGIN exchange, and
 * the TDS 7.x framing in which the handshake travels inside PRELOGIN packets (8-byte header: type,
 * status, big-endian length, SPID, packet id, window; option table of token/offset/length entries
 * ended by 0xFF). TDS 8 ({@code encrypt=strict}) needs none of this: TLS comes first, with ALPN
 * {@code tds/8.0}.
 */
public final class Tds {
  public static final int PKT_REPLY = 0x04;
  public static final int PKT_PRELOGIN = 0x12;
  public static final int ENCRYPT_OFF = 0;
  public static final int ENCRYPT_ON = 1;
  public static final int ENCRYPT_NOT_SUP = 2;
  public static final int ENCRYPT_REQ = 3;
  private static final int MAX_PAYLOAD = 4096 - 8;
  private static final int MAX_MESSAGE = 64 * 1024;

  private Tds() {}

  /** One TDS message, reassembled from its packets. */
  public record Message(int type, byte[] payload) {}

  /** The client's PRELOGIN: VERSION and ENCRYPTION = ENCRYPT_ON. */
  public static byte[] clientPrelogin() {
    return prelogin(ENCRYPT_ON);
  }

  /** A PRELOGIN payload with VERSION 16.0 and the given ENCRYPTION byte. */
  public static byte[] prelogin(int encryption) {
    int table = 2 * 5 + 1;
    return new byte[] {
      0x00, 0, (byte) table, 0, 6,
      0x01, 0, (byte) (table + 6), 0, 1,
      (byte) 0xFF,
      16, 0, 0, 0, 0, 0,
      (byte) encryption
    };
  }

  /**
   * The ENCRYPTION byte of a PRELOGIN payload.
   *
   * @throws IOException when the option table is malformed or has no ENCRYPTION option
   */
  public static int encryption(byte[] payload) throws IOException {
    for (int i = 0; i + 5 <= payload.length && i < 5 * 64; i += 5) {
      int token = payload[i] & 0xFF;
      if (token == 0xFF) {
        break;
      }
      int offset = ((payload[i + 1] & 0xFF) << 8) | (payload[i + 2] & 0xFF);
      int length = ((payload[i + 3] & 0xFF) << 8) | (payload[i + 4] & 0xFF);
      if (token == 0x01) {
        if (length < 1 || offset >= payload.length) {
          throw new IOException("the server's PRELOGIN ENCRYPTION option is malformed");
        }
        return payload[offset] & 0xFF;
      }
    }
    throw new IOException("the server's PRELOGIN response has no ENCRYPTION option: not a SQL Server?");
  }

  /** Writes one message as packets of at most 4096 bytes, EOM on the last. */
  public static void write(OutputStream out, int type, byte[] payload) throws IOException {
    int offset = 0;
    int packetId = 1;
    do {
      int n = Math.min(MAX_PAYLOAD, payload.length - offset);
      boolean last = offset + n == payload.length;
      int length = n + 8;
      out.write(new byte[] {
        (byte) type, (byte) (last ? 0x01 : 0x00), (byte) (length >> 8), (byte) length,
        0, 0, (byte) packetId++, 0
      });
      out.write(payload, offset, n);
      offset += n;
    } while (offset < payload.length);
    out.flush();
  }

  /** Reads packets up to the end-of-message bit; bounded in size. */
  public static Message read(InputStream in) throws IOException {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    int type = -1;
    while (true) {
      byte[] header = readFully(in, 8);
      int t = header[0] & 0xFF;
      int status = header[1] & 0xFF;
      int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
      if (length < 8) {
        throw new IOException("not TDS: packet length " + length + " is shorter than its header");
      }
      if (type >= 0 && t != type) {
        throw new IOException("not TDS: packet type changed inside a message");
      }
      type = t;
      payload.write(readFully(in, length - 8));
      if (payload.size() > MAX_MESSAGE) {
        throw new IOException("TDS message larger than " + MAX_MESSAGE + " bytes");
      }
      if ((status & 0x01) != 0) {
        return new Message(type, payload.toByteArray());
      }
    }
  }

  private static byte[] readFully(InputStream in, int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new EOFException("the server closed the connection");
    }
    return b;
  }

  /**
   * Runs an {@link SSLEngine} handshake (client or server) whose records travel as PRELOGIN
   * packets, as TDS 7.x does. Bounded in steps; the socket's read timeout bounds each wait.
   */
  public static void handshake(SSLEngine engine, InputStream in, OutputStream out) throws IOException {
    try {
      run(engine, in, out);
    } catch (SSLException e) {
      sendAlert(engine, out);
      throw e;
    }
  }

  private static void run(SSLEngine engine, InputStream in, OutputStream out) throws IOException {
    engine.beginHandshake();
    ByteBuffer netIn = ByteBuffer.allocate(0);
    ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize() + 1024);
    ByteBuffer netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    for (int steps = 0; steps < 1_000; steps++) {
      switch (engine.getHandshakeStatus()) {
        case NEED_WRAP: {
          netOut.clear();
          SSLEngineResult r = engine.wrap(ByteBuffer.allocate(0), netOut);
          pending.write(netOut.array(), 0, netOut.position());
          if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
            flush(pending, out);
            throw new SSLException("the TLS engine closed during the handshake");
          }
          if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) {
            flush(pending, out);
            return;
          }
          break;
        }
        case NEED_UNWRAP:
        case NEED_UNWRAP_AGAIN: {
          flush(pending, out);
          app.clear();
          SSLEngineResult r = engine.unwrap(netIn, app);
          if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
            Message m = read(in);
            if (m.type() != PKT_PRELOGIN && m.type() != PKT_REPLY) {
              throw new IOException("expected TLS inside a PRELOGIN packet, got TDS packet type " + m.type());
            }
            ByteBuffer more = ByteBuffer.allocate(netIn.remaining() + m.payload().length);
            more.put(netIn).put(m.payload()).flip();
            netIn = more;
          } else if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new SSLException("the peer closed TLS during the handshake");
          } else if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) {
            flush(pending, out);
            return;
          }
          break;
        }
        case NEED_TASK: {
          Runnable task;
          while ((task = engine.getDelegatedTask()) != null) {
            task.run();
          }
          break;
        }
        case FINISHED:
        case NOT_HANDSHAKING:
          flush(pending, out);
          return;
        default:
          throw new IllegalStateException("unknown handshake status");
      }
    }
    throw new SSLException("the TLS handshake did not finish in 1000 steps");
  }

  /** After a failed unwrap the engine holds an alert; send it so the peer learns why. */
  private static void sendAlert(SSLEngine engine, OutputStream out) {
    try {
      ByteBuffer netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
      engine.wrap(ByteBuffer.allocate(0), netOut);
      if (netOut.position() > 0) {
        write(out, PKT_PRELOGIN, java.util.Arrays.copyOf(netOut.array(), netOut.position()));
      }
    } catch (IOException | RuntimeException ignored) {
      // best effort: the handshake has failed either way
    }
  }

  private static void flush(ByteArrayOutputStream pending, OutputStream out) throws IOException {
    if (pending.size() > 0) {
      write(out, PKT_PRELOGIN, pending.toByteArray());
      pending.reset();
    }
  }
}
