package dev.moat.examples;

import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusals;
import dev.moat.http.HttpClientTls;
import dev.moat.http.OkHttpTls;
import dev.moat.testkit.TestPki;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * http: OkHttp built by {@link OkHttpTls} against a local HTTPS server with good certificates (200
 * and the body), one with an expired leaf (refused in the handshake) and an {@code http://} URL
 * (refused before any connection); then the JDK's client built by {@link HttpClientTls}.
 *
 * <pre>{@code ./mvnw -q -pl examples -am verify -DskipTests -Pdemo -Dmoat.example=OkHttpExample}</pre>
 */
public final class OkHttpExample {
  private OkHttpExample() {}

  public static void main(String[] args) throws Exception {
    TestPki pki = TestPki.shared(); // a throw-away root -> intermediate -> leaf for localhost
    TlsPolicy policy = TlsPolicy.builder().trustRoot(pki.root()).build(); // trust our root only

    OkHttpClient http = OkHttpTls.newBuilder(policy).callTimeout(Duration.ofSeconds(10)).build();
    try (MockWebServer good = LocalHttps.serve(pki.goodChain())) {
      System.out.println("OkHttp, good server:        " + get(http, LocalHttps.url(good)));
    }
    try (MockWebServer expired = LocalHttps.serve(pki.expiredLeaf())) {
      System.out.println("OkHttp, expired server:     " + get(http, LocalHttps.url(expired)));
    } catch (IOException e) { // Moat's refusal is the cause: a typed check, the chain, the fix
      System.out.println("OkHttp, expired server:     refused, " + TlsRefusals.find(e).orElseThrow().getMessage());
    }
    try {
      System.out.println("OkHttp, http:// URL:        " + get(http, "http://localhost:8080/"));
    } catch (IOException e) { // refused before DNS or connect: nothing was sent
      System.out.println("OkHttp, http:// URL:        refused, " + e.getMessage().lines().findFirst().orElse(""));
    }
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();

    HttpClient jdk = HttpClientTls.newBuilder(policy).connectTimeout(Duration.ofSeconds(10)).build();
    try (MockWebServer good = LocalHttps.serve(pki.goodChain())) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(LocalHttps.url(good)))
          .timeout(Duration.ofSeconds(10)).build();
      HttpResponse<String> response = jdk.send(request, HttpResponse.BodyHandlers.ofString());
      System.out.println("java.net.http, good server: " + response.statusCode() + " '" + response.body() + "'");
    }
  }

  /** One GET; the status and the body. */
  static String get(OkHttpClient http, String url) throws IOException {
    try (Response response = http.newCall(new Request.Builder().url(url).build()).execute()) {
      return response.code() + " '" + response.body().string() + "'";
    }
  }
}
