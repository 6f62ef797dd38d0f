package dev.moat.redis.internal;

import dev.moat.core.Check;
import dev.moat.core.TlsPolicy;
import dev.moat.redis.RedisUriRefusedException;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * The last line of defence, installed in every channel Lettuce builds through Moat's client
 * resources: before the TCP connect is issued, the pipeline must hold an {@link SslHandler} whose
 * engine verifies the host name ({@code SslVerifyMode.FULL} is the only mode in which Lettuce sets
 * the endpoint identification algorithm to {@code HTTPS}; Moat's own SSL parameters leave it unset
 * so that {@code CA} and {@code NONE} show). This covers connections the URI checks cannot see:
 * cluster nodes from the topology, Sentinel-discovered masters, reconnects, and URIs changed after
 * the client was built.
 */
public final class TlsGuard implements NettyCustomizer {
  /** The pipeline name of the guard handler. */
  public static final String HANDLER_NAME = "moat-tls-guard";

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
    if (channel.pipeline().get(HANDLER_NAME) == null) {
      channel.pipeline().addFirst(HANDLER_NAME, handler);
    }
  }

  @ChannelHandler.Sharable
  static final class Handler extends ChannelOutboundHandlerAdapter {
    private final TlsPolicy policy;

    Handler(TlsPolicy policy) {
      this.policy = policy;
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
