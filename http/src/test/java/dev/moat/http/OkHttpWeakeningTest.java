package dev.moat.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.moat.core.Check;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.testkit.BadTls;
import dev.moat.testkit.TestPki;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import mockwebserver3.MockWebServer;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A caller who later weakens the builder {@code OkHttpTls} returned is not silently weakened. Each
 * test first shows that the same weakening makes a plain OkHttp client accept the bad server, then
 * that the Moat client still refuses it.
 */
class OkHttpWeakeningTest {
  private static final TestPki PKI = TestPki.shared();
  private static final Duration BOUND = Duration.ofSeconds(15);

  private static MockWebServer wrongHost;
  private static MockWebServer legacy;
  private static MockWebServer plain;
  private static SSLContext jdkContext;
  private static X509TrustManager jdkTrustManager;

  @BeforeAll
  static void start() throws Exception {
    wrongHost = TestServers.https(PKI.wrongHostLeaf());
    legacy =
        TestServers.https(
            TestServers.serverFactory(
                PKI.goodChain(), BadTls.byName("TLS_1_0_ONLY").serverProtocols(), List.of()));
    plain = TestServers.plaintext();
    // What a weakening caller would plug in: the JDK's trust in the test root, no host check.
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(PKI.trustStore());
    jdkTrustManager = (X509TrustManager) factory.getTrustManagers()[0];
    jdkContext = SSLContext.getInstance("TLS");
    jdkContext.init(null, new javax.net.ssl.TrustManager[] {jdkTrustManager}, null);
  }

  @AfterAll
  static void stop() throws IOException {
    wrongHost.close();
    legacy.close();
    plain.close();
  }

  private static TlsPolicy policy() {
    return TlsPolicy.builder().trustRoot(PKI.root()).build();
  }

  private static OkHttpClient.Builder weakened(OkHttpClient.Builder builder) {
    return builder
        .sslSocketFactory(jdkContext.getSocketFactory(), jdkTrustManager)
        .hostnameVerifier((host, session) -> true)
        .callTimeout(BOUND);
  }

  private static Request get(MockWebServer server, String scheme) {
    return new Request.Builder().url(TestServers.url(server, scheme, "/")).build();
  }

  @Test
  void weakenedSocketFactoryAndVerifier_wrongHostServer_stillRefusedByMoat() throws Exception {
    OkHttpClient control = weakened(new OkHttpClient.Builder()).build();
    wrongHost.enqueue(TestServers.ok());
    try (Response response = control.newCall(get(wrongHost, "https")).execute()) {
      assertThat(response.body().string()).isEqualTo(TestServers.BODY); // the weakening is real
    } finally {
      TestServers.shutdown(control);
    }

    OkHttpClient client = weakened(OkHttpTls.newBuilder(policy())).build();
    int before = wrongHost.getRequestCount();
    SSLHandshakeException e =
        catchThrowableOfType(
            SSLHandshakeException.class, () -> client.newCall(get(wrongHost, "https")).execute());
    assertThat(((TlsRefusalException) e.getCause()).check()).isEqualTo(Check.HOSTNAME);
    assertThat(wrongHost.getRequestCount()).isEqualTo(before);
    TestServers.shutdown(client);
  }

  @Test
  void weakenedConnectionSpecs_cleartextAndOldTls_stillRefused() throws Exception {
    List<ConnectionSpec> weak = List.of(ConnectionSpec.COMPATIBLE_TLS, ConnectionSpec.CLEARTEXT);
    OkHttpClient client = OkHttpTls.newBuilder(policy()).connectionSpecs(weak).callTimeout(BOUND).build();
    try {
      int before = plain.getRequestCount();
      HttpRefusalException plaintext =
          catchThrowableOfType(
              HttpRefusalException.class, () -> client.newCall(get(plain, "http")).execute());
      assertThat(plaintext.check()).isEqualTo(Check.PLAINTEXT);
      assertThat(plain.getRequestCount()).isEqualTo(before);

      SSLHandshakeException old =
          catchThrowableOfType(
              SSLHandshakeException.class, () -> client.newCall(get(legacy, "https")).execute());
      assertThat(((TlsRefusalException) old.getCause()).check()).isEqualTo(Check.PROTOCOL);
    } finally {
      TestServers.shutdown(client);
    }
  }

  @Test
  void interceptorSwappingSocketFactoryPerCall_connectionRefusedBeforeRequest() throws Exception {
    OkHttpClient client =
        OkHttpTls.newBuilder(policy())
            .addInterceptor(
                chain ->
                    chain
                        .withSslSocketFactory(jdkContext.getSocketFactory(), jdkTrustManager)
                        .withHostnameVerifier((host, session) -> true)
                        .proceed(chain.request()))
            .callTimeout(BOUND)
            .build();
    wrongHost.enqueue(TestServers.ok());
    int before = wrongHost.getRequestCount();
    HttpRefusalException e =
        catchThrowableOfType(
            HttpRefusalException.class, () -> client.newCall(get(wrongHost, "https")).execute());
    assertThat(e.check()).isEqualTo(Check.TRUST_PATH);
    assertThat(e.getMessage()).contains("not negotiated through the policy's SSLContext");
    assertThat(wrongHost.getRequestCount()).isEqualTo(before);
    TestServers.shutdown(client);
  }

  @Test
  void newBuilderOfBuiltClient_keepsMoatGuards() throws Exception {
    OkHttpClient base = OkHttpTls.newClient(policy());
    OkHttpClient derived = weakened(base.newBuilder()).build();
    SSLHandshakeException e =
        catchThrowableOfType(
            SSLHandshakeException.class, () -> derived.newCall(get(wrongHost, "https")).execute());
    assertThat(((TlsRefusalException) e.getCause()).check()).isEqualTo(Check.HOSTNAME);
    TestServers.shutdown(derived);
  }
}
