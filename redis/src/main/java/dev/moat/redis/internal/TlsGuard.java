package dev.moat.redis.internal;

import dev.moat.core.Check;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.redis.RedisUriRefusedException;
import io.lettuce.core.protocol.CommandHandler;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;

/**
 * The last line of defence, installed in every channel Lettuce builds through Moat's client
 * resources: before the TCP connect is issued, the pipeline must hold an {@link SslHandler} whose
 * engine verifies the host name ({@code SslVerifyMode.FULL} is the only mode in which Lettuce sets
 * the endpoint identification algorithm to {@code HTTPS}; Moat's own SSL parameters leave it unset
 * so that {@code CA} and {@code NONE} show). This covers connections the URI checks cannot see:
 * cluster nodes from the topology, Sentinel-discovered masters, reconnects, and URIs changed after
 * the client was built. Plaintext goes through only to a host the policy exempts.
 *
 * <p>It also words a server that never answers the ClientHello (a plaintext redis-server) as a
 * {@link Check#PLAINTEXT} refusal instead of a bare handshake timeout; see {@link SilentServer}.
 */
public final class TlsGuard implements NettyCustomizer {
  /** The pipeline name of the guard handler. */
  public static final String HANDLER_NAME = "moat-tls-guard";

  /** The pipeline name of the handler that words a silent server as a plaintext refusal. */
  public static final String SILENCE_NAME = "moat-silent-server";

  /** Set on a channel once the server has sent any byte. */
  static final AttributeKey<Boolean> BYTES_SEEN = AttributeKey.valueOf("moat.redis.bytesSeen");

  private final SilentServer silence = new SilentServer();
  private final TlsPolicy policy;
  private final NettyCustomizer delegate;
  private final Handler handler;

  public TlsGuard(TlsPolicy policy, NettyCustomizer delegate) {
    this.policy = policy;
    this.delegate = delegate;
    this.handler = new Handler(policy);
  }

  /** Whether the customizer is already a guard for this very policy (so it is not wrapped twice). */
  public static boolean isGuard(@Nullable NettyCustomizer customizer, TlsPolicy policy) {
    return customizer instanceof TlsGuard && ((TlsGuard) customizer).policy == policy;
  }

  @Override
  public void afterBootstrapInitialized(Bootstrap bootstrap) {
    delegate.afterBootstrapInitialized(bootstrap);
  }

  @Override
  public void afterChannelInitialized(Channel channel) {
    delegate.afterChannelInitialized(channel);
    ChannelPipeline pipeline = channel.pipeline();
    if (pipeline.get(HANDLER_NAME) == null) {
      pipeline.addFirst(HANDLER_NAME, handler);
    }
    ChannelHandlerContext ssl = pipeline.context(SslHandler.class);
    if (ssl != null && pipeline.get(SILENCE_NAME) == null) {
      ChannelHandlerContext commands = pipeline.context(CommandHandler.class);
      if (commands != null) {
        pipeline.addBefore(commands.name(), SILENCE_NAME, silence);
      } else {
        pipeline.addAfter(ssl.name(), SILENCE_NAME, silence);
      }
    }
  }

  /**
   * A plaintext Redis server reads a TLS ClientHello as an inline command and waits, silent, for a
   * newline that may never come; the handshake then times out with nothing received. That is
   * worded as a {@link Check#PLAINTEXT} refusal (found by {@code TlsRefusals.find}) instead of a
   * bare timeout. Any byte from the server (a TLS alert, a RESP error) leaves the JDK's own
   * diagnosis in place.
   */
  /** A pass-through marker: the refusal below is fired from here, just before Lettuce's CommandHandler. */
  @ChannelHandler.Sharable
  static final class SilentServer extends ChannelInboundHandlerAdapter {
    /**
     * After the TCP connect: shortly before netty's own handshake timeout (which Lettuce would
     * report as a bare timeout, or as "SSLEngine closed already"), a handshake that has received
     * no byte at all is failed as a plaintext refusal. It is fired in front of Lettuce's command
     * handler, which fails the pending HELLO with it, so the connect fails with this cause.
     */
    static void watch(Channel channel) {
      SslHandler ssl = channel.pipeline().get(SslHandler.class);
      long timeout = ssl == null ? 0 : ssl.getHandshakeTimeoutMillis();
      if (timeout <= 0) {
        return;
      }
      long at = Math.max(timeout - Math.max(100, timeout / 10), timeout / 2);
      channel
          .eventLoop()
          .schedule(
              () -> {
                if (ssl.handshakeFuture().isDone()
                    || !channel.isActive()
                    || channel.attr(BYTES_SEEN).get() != null) {
                  return;
                }
                ChannelHandlerContext here = channel.pipeline().context(SILENCE_NAME);
                SSLHandshakeException refusal = silentServer(channel.remoteAddress(), at);
                if (here != null) {
                  here.fireExceptionCaught(refusal);
                } else {
                  channel.pipeline().fireExceptionCaught(refusal);
                }
                channel.close();
              },
              at,
              TimeUnit.MILLISECONDS);
    }

    private static SSLHandshakeException silentServer(@Nullable SocketAddress remote, long millis) {
      String host = "unknown";
      int port = -1;
      if (remote instanceof InetSocketAddress) {
        host = ((InetSocketAddress) remote).getHostString();
        port = ((InetSocketAddress) remote).getPort();
      }
      TlsRefusalException refusal =
          new TlsRefusalException(
              Check.PLAINTEXT,
              host,
              port,
              RedisUris.PROTOCOL,
              List.of(),
              "The server sent nothing in answer to the TLS ClientHello before the handshake timed"
                  + " out: it likely speaks plaintext on this port (a plaintext redis-server reads"
                  + " the ClientHello as an inline command and waits). No command was sent.",
              List.of("no byte received within " + millis + " ms of the TCP connection"),
              "Connect to the server's TLS port (redis-server --tls-port), or enable TLS on the"
                  + " server. If the server is merely slow, raise SslOptions.handshakeTimeout.",
              null);
      SSLHandshakeException wrapped =
          new SSLHandshakeException("no TLS answer from " + host + ":" + port + " [check: PLAINTEXT]");
      wrapped.initCause(refusal);
      return wrapped;
    }
  }

  @ChannelHandler.Sharable
  static final class Handler extends ChannelDuplexHandler {
    private final TlsPolicy policy;

    Handler(TlsPolicy policy) {
      this.policy = policy;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (msg instanceof ByteBuf && ((ByteBuf) msg).isReadable()) {
        ctx.channel().attr(BYTES_SEEN).set(Boolean.TRUE);
      }
      super.channelRead(ctx, msg);
    }

    @Override
    public void connect(
        ChannelHandlerContext ctx,
        SocketAddress remoteAddress,
        @Nullable SocketAddress localAddress,
        ChannelPromise promise) {
      try {
        check(ctx, remoteAddress);
      } catch (RuntimeException refused) {
        promise.setFailure(refused);
        ctx.channel().close();
        return;
      }
      ctx.connect(remoteAddress, localAddress, promise);
      promise.addListener(
          connected -> {
            if (connected.isSuccess()) {
              SilentServer.watch(ctx.channel());
            }
          });
    }

    private void check(ChannelHandlerContext ctx, SocketAddress remoteAddress) {
      String host;
      int port;
      if (remoteAddress instanceof InetSocketAddress) {
        InetSocketAddress isa = (InetSocketAddress) remoteAddress;
        host = isa.getHostString();
        port = isa.getPort();
      } else {
        host = "localhost";
        port = -1;
      }
      SslHandler ssl = ctx.pipeline().get(SslHandler.class);
      if (ssl == null) {
        policy.requireTls(
            RedisUris.PROTOCOL, "redis://" + host + (port < 0 ? "" : ":" + port), host);
        return;
      }
      String algorithm = ssl.engine().getSSLParameters().getEndpointIdentificationAlgorithm();
      if (!"HTTPS".equalsIgnoreCase(algorithm)) {
        String shown = "rediss://" + host + (port < 0 ? "" : ":" + port);
        String mode = algorithm == null ? "NONE" : "CA";
        throw new RedisUriRefusedException(
            algorithm == null ? Check.TRUST_PATH : Check.HOSTNAME,
            shown,
            RedisUris.verifyModeMessage(shown, mode, host));
      }
    }
  }
}
