package dev.moat.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.moat.core.ClientIdentity;
import dev.moat.core.TlsPolicy;
import dev.moat.testkit.Credentials;
import dev.moat.testkit.TestPki;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server requires a client certificate: the policy's identity is presented, or the call fails. */
class MutualTlsTest {
  private static final TestPki PKI = TestPki.shared();
  private static final Duration BOUND = Duration.ofSeconds(15);
  private static final Credentials CLIENT = PKI.clientIdentity("moat-http-client");

  private static MockWebServer server;

  @BeforeAll
  static void start() {
    server = TestServers.https(PKI.serverSslContext(PKI.root()).getSocketFactory());
    server.requireClientAuth();
  }

  @AfterAll
  static void stop() throws IOException {
    server.close();
  }

  private static TlsPolicy withIdentity() {
    return TlsPolicy.builder()
        .trustRoot(PKI.root())
        .clientIdentity(ClientIdentity.of(CLIENT.key(), CLIENT.chain()))
        .build();
  }

  private static TlsPolicy withoutIdentity() {
    return TlsPolicy.builder().trustRoot(PKI.root()).build();
  }

  private static String url() {
    return TestServers.url(server, "https", "/mtls");
  }

  @Test
  void okhttp_policyWithClientIdentity_presentsItAndGetsBody() throws Exception {
    OkHttpClient client = OkHttpTls.newBuilder(withIdentity()).callTimeout(BOUND).build();
    server.enqueue(TestServers.ok());
    try (Response response = client.newCall(new Request.Builder().url(url()).build()).execute()) {
      assertThat(response.body().string()).isEqualTo(TestServers.BODY);
    } finally {
      TestServers.shutdown(client);
    }
    RecordedRequest recorded = server.takeRequest();
    X509Certificate presented = (X509Certificate) recorded.getHandshake().peerCertificates().get(0);
    assertThat(presented).isEqualTo(CLIENT.certificate());
  }

  @Test
  void okhttp_policyWithoutClientIdentity_fails() {
    OkHttpClient client = OkHttpTls.newBuilder(withoutIdentity()).callTimeout(BOUND).build();
    int before = server.getRequestCount();
    IOException e =
        catchThrowableOfType(
            IOException.class,
            () -> client.newCall(new Request.Builder().url(url()).build()).execute());
    assertThat(e).isNotNull();
    assertThat(server.getRequestCount()).isEqualTo(before);
    TestServers.shutdown(client);
  }

  @Test
  void httpClient_policyWithClientIdentity_presentsItAndGetsBody() throws Exception {
    HttpClient client = HttpClientTls.newBuilder(withIdentity()).connectTimeout(BOUND).build();
    server.enqueue(TestServers.ok());
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(url())).timeout(BOUND).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.body()).isEqualTo(TestServers.BODY);
    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.getHandshake().peerCertificates().get(0)).isEqualTo(CLIENT.certificate());
  }

  @Test
  void httpClient_policyWithoutClientIdentity_fails() {
    HttpClient client = HttpClientTls.newBuilder(withoutIdentity()).connectTimeout(BOUND).build();
    int before = server.getRequestCount();
    IOException e =
        catchThrowableOfType(
            IOException.class,
            () ->
                client.send(
                    HttpRequest.newBuilder(URI.create(url())).timeout(BOUND).build(),
                    HttpResponse.BodyHandlers.ofString()));
    assertThat(e).isNotNull();
    assertThat(server.getRequestCount()).isEqualTo(before);
  }
}
