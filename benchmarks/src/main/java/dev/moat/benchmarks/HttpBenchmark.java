package dev.moat.benchmarks;

import dev.moat.http.OkHttpTls;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Steady-state HTTPS requests over a kept-alive connection to MockWebServer: an {@code OkHttpTls}
 * client against a plain OkHttp client trusting the same root. Measures Moat's per-request
 * interceptors; the handshake happens once, in the warm-up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HttpBenchmark {
  private MockWebServer server;
  private OkHttpClient moat;
  private OkHttpClient plain;
  private Request request;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Fixtures f = new Fixtures();
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(new KeyManager[] {f.ec.keyManager()}, null, null);
    server = new MockWebServer();
    server.useHttps(serverContext.getSocketFactory());
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest recorded) {
        return new MockResponse.Builder().code(200).body("ok").build();
      }
    });
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    request = new Request.Builder().url("https://localhost:" + server.getPort() + "/").build();
    moat = OkHttpTls.newClient(f.policy());
    X509TrustManager jdkTrust = f.jdkTrustManager();
    SSLContext jdkContext = SSLContext.getInstance("TLS");
    jdkContext.init(null, new javax.net.ssl.TrustManager[] {jdkTrust}, null);
    plain = new OkHttpClient.Builder().sslSocketFactory(jdkContext.getSocketFactory(), jdkTrust).build();
    moat();
    plain();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    server.close();
    moat.connectionPool().evictAll();
    plain.connectionPool().evictAll();
  }

  @Benchmark
  public String moat() throws Exception {
    return call(moat);
  }

  @Benchmark
  public String plain() throws Exception {
    return call(plain);
  }

  private String call(OkHttpClient client) throws Exception {
    try (Response response = client.newCall(request).execute()) {
      if (response.code() != 200) {
        throw new IllegalStateException("HTTP " + response.code());
      }
      return response.body().string();
    }
  }
}
