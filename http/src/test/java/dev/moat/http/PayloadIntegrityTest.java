package dev.moat.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.moat.core.TlsPolicy;
import dev.moat.testkit.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Payload digests on a host the policy exempts from TLS, against a real plaintext server: a
 * mismatch fails the body read, a missing digest fails when integrity is required for the host.
 */
class PayloadIntegrityTest {
  private static final Duration BOUND = Duration.ofSeconds(15);
  private static final byte[] BODY = "ledger: 42 EUR to account 7".getBytes(StandardCharsets.UTF_8);
  private static final byte[] TAMPERED = "ledger: 42 EUR to account 9".getBytes(StandardCharsets.UTF_8);

  private static MockWebServer server;
  private static TlsPolicy policy;
  private static OkHttpClient okhttp;
  private static OkHttpClient okhttpRequired;
  private static HttpClient jdk;
  private static HttpClient jdkRequired;

  @BeforeAll
  static void start() {
    server = TestServers.plaintext();
    policy = TestServers.exemptingLocalhost(TestPki.shared());
    HttpOptions required = HttpOptions.builder().requireIntegrityFor(TestServers.HOST).build();
    okhttp = OkHttpTls.newBuilder(policy).callTimeout(BOUND).build();
    okhttpRequired = OkHttpTls.newBuilder(policy, required).callTimeout(BOUND).build();
    jdk = HttpClientTls.newBuilder(policy).connectTimeout(BOUND).build();
    jdkRequired = HttpClientTls.newBuilder(policy, required).connectTimeout(BOUND).build();
  }

  @AfterAll
  static void stop() throws IOException {
    TestServers.shutdown(okhttp);
    TestServers.shutdown(okhttpRequired);
    server.close();
  }

  private static String b64(String algorithm, byte[] data) throws Exception {
    return Base64.getEncoder().encodeToString(MessageDigest.getInstance(algorithm).digest(data));
  }

  private static MockResponse response(byte[] body, String header, String value) {
    return new MockResponse.Builder().code(200).addHeader(header, value).body(new Buffer().write(body)).build();
  }

  private static String okhttpGet(OkHttpClient client) throws IOException {
    Request request = new Request.Builder().url(TestServers.url(server, "http", "/blob")).build();
    try (Response response = client.newCall(request).execute()) {
      return response.body().string();
    }
  }

  private static String jdkGet(HttpClient client) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(TestServers.url(server, "http", "/blob"))).timeout(BOUND).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void okhttp_contentMd5Matching_bodyReturned() throws Exception {
    server.enqueue(response(BODY, "Content-MD5", b64("MD5", BODY)));
    assertThat(okhttpGet(okhttp)).isEqualTo(new String(BODY, StandardCharsets.UTF_8));
  }

  @Test
  void okhttp_contentMd5Mismatch_bodyReadFails() throws Exception {
    server.enqueue(response(TAMPERED, "Content-MD5", b64("MD5", BODY)));
    PayloadIntegrityException e =
        catchThrowableOfType(PayloadIntegrityException.class, () -> okhttpGet(okhttp));
    assertThat(e.getMessage())
        .contains("Payload integrity check failed for http://localhost:" + server.getPort() + "/blob [Content-MD5]")
        .contains("expected Content-MD5: " + b64("MD5", BODY))
        .contains("received body hashes to: " + b64("MD5", TAMPERED));
  }

  @Test
  void okhttp_azureBlobMd5Mismatch_bodyReadFails() throws Exception {
    server.enqueue(response(TAMPERED, "x-ms-blob-content-md5", b64("MD5", BODY)));
    PayloadIntegrityException e =
        catchThrowableOfType(PayloadIntegrityException.class, () -> okhttpGet(okhttp));
    assertThat(e.getMessage()).contains("[x-ms-blob-content-md5]");
  }

  @Test
  void okhttp_contentDigestSha256Mismatch_bodyReadFails() throws Exception {
    server.enqueue(response(TAMPERED, "Content-Digest", "sha-256=:" + b64("SHA-256", BODY) + ":"));
    PayloadIntegrityException e =
        catchThrowableOfType(PayloadIntegrityException.class, () -> okhttpGet(okhttp));
    assertThat(e.getMessage()).contains("[Content-Digest sha-256]");
  }

  @Test
  void okhttp_reprDigestSha512Matching_bodyReturned() throws Exception {
    server.enqueue(
        response(BODY, "Repr-Digest", "sha-512=:" + b64("SHA-512", BODY) + ":, md5=:AAAA:"));
    assertThat(okhttpGet(okhttpRequired)).isEqualTo(new String(BODY, StandardCharsets.UTF_8));
  }

  @Test
  void okhttp_gzipBodyWithContentDigest_checkedOnWireBytesThenDecoded() throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(BODY);
    }
    byte[] wire = gz.toByteArray();
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Encoding", "gzip")
            .addHeader("Content-Digest", "sha-256=:" + b64("SHA-256", wire) + ":")
            .body(new Buffer().write(wire))
            .build());
    assertThat(okhttpGet(okhttpRequired)).isEqualTo(new String(BODY, StandardCharsets.UTF_8));
  }

  @Test
  void okhttp_missingDigestWhenRequired_fails() {
    server.enqueue(new MockResponse.Builder().code(200).body("no digest").build());
    PayloadIntegrityException e =
        catchThrowableOfType(PayloadIntegrityException.class, () -> okhttpGet(okhttpRequired));
    assertThat(e.getMessage())
        .contains("Payload integrity required for http://localhost:" + server.getPort() + "/blob")
        .contains("HttpOptions.requireIntegrityFor(\"localhost\")");
  }

  @Test
  void okhttp_onlyUnsupportedDigestWhenRequired_fails() {
    server.enqueue(response(BODY, "Content-Digest", "md5=:AAAAAAAAAAAAAAAAAAAAAA==:"));
    assertThat(catchThrowableOfType(PayloadIntegrityException.class, () -> okhttpGet(okhttpRequired)))
        .hasMessageContaining("carries no digest");
  }

  @Test
  void okhttp_missingDigestNotRequired_bodyReturned() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("no digest").build());
    assertThat(okhttpGet(okhttp)).isEqualTo("no digest");
  }

  @Test
  void okhttp_malformedDigest_fails() {
    server.enqueue(response(BODY, "Content-MD5", "not*base64"));
    assertThat(catchThrowableOfType(PayloadIntegrityException.class, () -> okhttpGet(okhttp)))
        .hasMessageContaining("Content-MD5 header is malformed");
  }

  @Test
  void okhttp_rangeResponse_wholeBlobDigestsNotApplied() throws Exception {
    byte[] part = "ledger".getBytes(StandardCharsets.UTF_8);
    server.enqueue(
        new MockResponse.Builder()
            .code(206)
            .addHeader("Content-Range", "bytes 0-5/" + BODY.length)
            .addHeader("x-ms-blob-content-md5", b64("MD5", BODY))
            .addHeader("Content-MD5", b64("MD5", part))
            .body(new Buffer().write(part))
            .build());
    assertThat(okhttpGet(okhttpRequired)).isEqualTo("ledger");
  }

  @Test
  void httpClient_contentDigestMismatch_sendFails() throws Exception {
    server.enqueue(response(TAMPERED, "Content-Digest", "sha-512=:" + b64("SHA-512", BODY) + ":"));
    PayloadIntegrityException e =
        catchThrowableOfType(PayloadIntegrityException.class, () -> jdkGet(jdk));
    assertThat(e.getMessage()).contains("[Content-Digest sha-512]");
  }

  @Test
  void httpClient_contentMd5Matching_bodyReturned() throws Exception {
    server.enqueue(response(BODY, "Content-MD5", b64("MD5", BODY)));
    assertThat(jdkGet(jdkRequired)).isEqualTo(new String(BODY, StandardCharsets.UTF_8));
  }

  @Test
  void httpClient_missingDigestWhenRequired_sendFails() {
    server.enqueue(new MockResponse.Builder().code(200).body("no digest").build());
    assertThat(catchThrowableOfType(PayloadIntegrityException.class, () -> jdkGet(jdkRequired)))
        .hasMessageContaining("carries no digest");
  }

  @Test
  void httpClient_missingDigestNotRequired_bodyReturned() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("no digest").build());
    assertThat(jdkGet(jdk)).isEqualTo("no digest");
  }
}
