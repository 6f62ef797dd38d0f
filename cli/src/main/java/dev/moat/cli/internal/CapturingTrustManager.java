package dev.moat.cli.internal;

import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Records the server's chain and lets the handshake finish, so {@code moat inspect} can show and
 * judge what a refused server presents. <b>Never</b> used for a connection that carries data: the
 * inspect socket is closed right after the handshake, and the verdict comes from the strict
 * pipeline run on the recorded chain.
 */
final class CapturingTrustManager extends X509ExtendedTrustManager {
  private volatile List<X509Certificate> chain = List.of();

  List<X509Certificate> chain() {
    return chain;
  }

  private void record(X509Certificate @Nullable [] presented) {
    chain = presented == null ? List.of() : List.copyOf(Arrays.asList(presented));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] c, String authType, @Nullable Socket socket) {
    record(c);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] c, String authType, @Nullable SSLEngine engine) {
    record(c);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] c, String authType) {
    record(c);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] c, String authType, @Nullable Socket socket) {
    throw new UnsupportedOperationException("client side only");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] c, String authType, @Nullable SSLEngine engine) {
    throw new UnsupportedOperationException("client side only");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] c, String authType) {
    throw new UnsupportedOperationException("client side only");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
