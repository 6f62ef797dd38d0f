package dev.moat.http.internal;

import dev.moat.core.Check;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.http.HttpOptions;
import dev.moat.http.HttpRefusalException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.Connection;
import okhttp3.ConnectionSpec;
import okhttp3.Handshake;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Okio;
import okio.Source;
import org.jspecify.annotations.Nullable;

/**
 * The two interceptors behind {@code OkHttpTls}: one application interceptor that refuses or
 * upgrades {@code http://} before anything is opened and re-imposes the policy's TLS settings on
 * every call, and one network interceptor that checks each connection actually used and each
 * response (downgrade redirects, HSTS, payload digests on plaintext).
 */
public final class OkHttpGuard {
  /**
   * OkHttp's own host-name verifier, as a default builder carries it. (Cleartext-only, so that
   * building this throwaway client creates no SSLContext.)
   */
  private static final HostnameVerifier OKHTTP_VERIFIER =
      new OkHttpClient.Builder()
          .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT))
          .build()
          .hostnameVerifier();

  /**
   * The verifier Moat's clients use: OkHttp's own, behind another identity. OkHttp coalesces
   * HTTP/2 connections (carries a second host over a connection made for the first, when both
   * resolve to the same IP and the certificate names both) only when the address's verifier is
   * its own {@code OkHostnameVerifier}; with this one it opens, and Moat's trust manager verifies,
   * a connection per host.
   */
  private static final HostnameVerifier VERIFIER = new NonCoalescingVerifier();

  private final TlsPolicy policy;
  private final HttpOptions options;
  private final SSLSocketFactory socketFactory;
  private final X509TrustManager trustManager;
  private final SSLSessionContext sessions;

  public OkHttpGuard(TlsPolicy policy, HttpOptions options) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.options = Objects.requireNonNull(options, "options");
    this.socketFactory = policy.sslSocketFactory("https");
    this.trustManager = policy.trustManager("https");
    // Sessions negotiated through the policy's context land in this session context: that is how
    // the network interceptor recognises a handshake Moat's trust manager decided.
    this.sessions = policy.sslContext("https").getClientSessionContext();
  }

  public SSLSocketFactory socketFactory() {
    return socketFactory;
  }

  public X509TrustManager trustManager() {
    return trustManager;
  }

  public HostnameVerifier hostnameVerifier() {
    return VERIFIER;
  }

  public Interceptor applicationInterceptor() {
    return new Application();
  }

  public Interceptor networkInterceptor() {
    return new Network();
  }

  private final class Application implements Interceptor {
    @Override
    public Response intercept(Chain chain) throws IOException {
      Request request = chain.request();
      HttpUrl url = request.url();
      String host = url.host();
      if (!url.isHttps()) {
        if (policy.allowsPlaintextTo(host) && options.hstsStore().upgrades(host)) {
          // RFC 6797 8.3: port 80 becomes 443 (HttpUrl drops a default port), others are kept.
          url = url.newBuilder().scheme("https").build();
          request = request.newBuilder().url(url).build();
        } else {
          Refusals.requireTls(policy, Refusals.redact(url.uri()), host);
        }
      }
      Chain c = chain;
      if (c.getSslSocketFactoryOrNull() != socketFactory || c.getX509TrustManagerOrNull() != trustManager) {
        c = c.withSslSocketFactory(socketFactory, trustManager);
      }
      if (c.getHostnameVerifier() != VERIFIER) {
        c = c.withHostnameVerifier(VERIFIER);
      }
      try {
        return c.proceed(request);
      } catch (IOException e) {
        throw url.isHttps() ? Refusals.surface(e, host, url.port()) : e;
      }
    }

    @Override
    public String toString() {
      return "Moat TLS guard (application): " + policy;
    }
  }

  private final class Network implements Interceptor {
    @Override
    public Response intercept(Chain chain) throws IOException {
      Request request = chain.request();
      HttpUrl url = request.url();
      String host = url.host();
      Connection connection = chain.connection();
      Handshake handshake = connection == null ? null : connection.handshake();
      if (handshake == null) {
        // Reached only through a hop the application interceptor did not see (a redirect):
        // the TCP connection exists, but no byte of the request has been written.
        Refusals.requireTls(policy, Refusals.redact(url.uri()), host);
      } else {
        verifyConnection(connection, url);
      }
      Response response = chain.proceed(request);
      if (url.isHttps() && chain.getFollowRedirects() && isRedirect(response.code())) {
        String location = response.header("Location");
        HttpUrl target = location == null ? null : url.resolve(location);
        if (target != null && !target.isHttps()) {
          response.close();
          throw Refusals.downgrade(Refusals.redact(url.uri()), Refusals.redact(target.uri()), host);
        }
      }
      if (handshake != null) {
        List<String> sts = response.headers("Strict-Transport-Security");
        if (!sts.isEmpty()) {
          options.hstsStore().remember(host, sts.get(0)); // RFC 6797 8.1: only the first
        }
        return response;
      }
      return checkIntegrity(request, response, host);
    }

    @Override
    public String toString() {
      return "Moat TLS guard (network): " + policy;
    }
  }

  private void verifyConnection(Connection connection, HttpUrl url) throws HttpRefusalException {
    Socket socket = connection.socket();
    String endpoint = Refusals.redact(url.uri());
    if (!(socket instanceof SSLSocket)) {
      throw notMoat(url.host(), endpoint, Check.TRUST_PATH, "the connection has a TLS handshake but no TLS socket");
    }
    SSLSession session = ((SSLSocket) socket).getSession();
    if (session.getSessionContext() != sessions) {
      throw notMoat(url.host(), endpoint, Check.TRUST_PATH,
          "the TLS session was not negotiated through the policy's SSLContext, so Moat's trust"
              + " manager did not verify the server (was the SSLSocketFactory replaced, for"
              + " example by an interceptor calling chain.withSslSocketFactory?)");
    }
    if (!policy.protocols().contains(session.getProtocol())) {
      throw notMoat(url.host(), endpoint, Check.PROTOCOL,
          "the connection uses " + session.getProtocol() + ", which the policy does not allow");
    }
    if (!policy.cipherSuites().contains(session.getCipherSuite())) {
      throw notMoat(url.host(), endpoint, Check.CIPHER_SUITE,
          "the connection uses " + session.getCipherSuite() + ", which the policy does not allow");
    }
    String verifiedFor = session.getPeerHost();
    if (verifiedFor == null || !verifiedFor.equalsIgnoreCase(url.host())) {
      reverify(session, verifiedFor, url, endpoint);
    }
  }

  /**
   * A connection whose handshake Moat's trust manager checked for another host (OkHttp coalesced
   * it, which happens only if something put OkHttp's own verifier back on the call): run the
   * policy's whole pipeline on its chain for this request's host before a byte is written, so that
   * this host's pins, roots, relaxations and revocation setting apply.
   */
  private void reverify(SSLSession session, @Nullable String verifiedFor, HttpUrl url, String endpoint)
      throws HttpRefusalException {
    String host = url.host();
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Certificate c : session.getPeerCertificates()) {
        if (!(c instanceof X509Certificate)) {
          throw notMoat(host, endpoint, Check.TRUST_PATH, "the connection's peer presented a non-X.509 certificate");
        }
        chain.add((X509Certificate) c);
      }
    } catch (SSLPeerUnverifiedException e) {
      throw notMoat(host, endpoint, Check.TRUST_PATH, "the connection's peer is not verified");
    }
    try {
      policy.verifyServer(chain, host, url.port(), "https");
    } catch (TlsRefusalException refusal) {
      throw new HttpRefusalException(
          refusal.check(),
          host,
          refusal.getMessage()
              + "\n  (OkHttp was reusing an HTTP/2 connection made for "
              + (verifiedFor == null ? "another host" : verifiedFor)
              + "; Moat checked the certificate again for " + host
              + " and nothing was sent to it.)",
          refusal);
    }
  }

  private static HttpRefusalException notMoat(String host, String endpoint, Check check, String why) {
    return new HttpRefusalException(
        check,
        host,
        "Refused " + endpoint + " [check: " + check + "]\n  Nothing was sent: " + why + ".\n"
            + "  Build the client with OkHttpTls.newBuilder(policy) and leave its TLS settings to"
            + " the policy.",
        null);
  }

  /** OkHttp's verifier under an identity that is not {@code OkHostnameVerifier}: no coalescing. */
  private static final class NonCoalescingVerifier implements HostnameVerifier {
    @Override
    public boolean verify(String host, SSLSession session) {
      return OKHTTP_VERIFIER.verify(host, session);
    }

    @Override
    public String toString() {
      return "Moat: OkHttp's host-name verifier, without HTTP/2 connection coalescing";
    }
  }

  private Response checkIntegrity(Request request, Response response, String host) throws IOException {
    if (!hasBody(request, response)) {
      return response;
    }
    String endpoint = Refusals.redact(request.url().uri());
    PayloadDigests digests;
    try {
      digests = PayloadDigests.fromHeaders(response::headers, response.code(), endpoint);
    } catch (IOException e) {
      response.close();
      throw e;
    }
    if (digests.isEmpty()) {
      if (options.requiresIntegrity(host)) {
        response.close();
        throw PayloadDigests.missing(endpoint, host);
      }
      return response;
    }
    ResponseBody body = response.body();
    ResponseBody checked =
        ResponseBody.create(
            Okio.buffer(new DigestingSource(body.source(), digests)),
            body.contentType(),
            body.contentLength());
    return response.newBuilder().body(checked).build();
  }

  private static boolean hasBody(Request request, Response response) {
    int code = response.code();
    return !request.method().equals("HEAD") && code >= 200 && code != 204 && code != 304;
  }

  private static boolean isRedirect(int code) {
    return code == 300 || code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
  }

  /** Feeds every byte read to the digests, and compares them at the end of the body. */
  private static final class DigestingSource extends ForwardingSource {
    private final PayloadDigests digests;
    private final OutputStream sink;

    DigestingSource(Source delegate, PayloadDigests digests) {
      super(delegate);
      this.digests = digests;
      this.sink =
          new OutputStream() {
            @Override
            public void write(int b) {
              digests.update(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
              digests.update(b, off, len);
            }
          };
    }

    @Override
    public long read(Buffer sinkBuffer, long byteCount) throws IOException {
      long n = super.read(sinkBuffer, byteCount);
      if (n > 0) {
        sinkBuffer.copyTo(sink, sinkBuffer.size() - n, n);
      } else if (n == -1) {
        digests.finish();
      }
      return n;
    }
  }
}
