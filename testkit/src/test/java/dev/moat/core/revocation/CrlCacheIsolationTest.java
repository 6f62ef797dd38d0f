package dev.moat.core.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.moat.core.Check;
import dev.moat.core.Revocation;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.testkit.CrlServer;
import dev.moat.testkit.Credentials;
import dev.moat.testkit.OcspResponder;
import dev.moat.testkit.TestPki;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cached CRL answers only for the CA that signed it and only for as long as the policy allows;
 * pins are checked before any revocation request. One URL serves whatever CRL the test puts there,
 * as an on-path attacker (or a second CA) could over plain http.
 */
class CrlCacheIsolationTest {
  private final AtomicReference<byte[]> served = new AtomicReference<>(new byte[0]);
  private final AtomicInteger requests = new AtomicInteger();
  private HttpServer http;
  private String url;

  @BeforeEach
  void start() throws Exception {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/ca.crl", exchange -> {
      requests.incrementAndGet();
      byte[] body = served.get();
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    http.start();
    url = "http://127.0.0.1:" + http.getAddress().getPort() + "/ca.crl";
  }

  @AfterEach
  void stop() {
    http.stop(0);
  }

  @Test
  void crlCache_crlOfAnotherCaAtTheSameUrl_doesNotAnswerForThisCa() throws Exception {
    TestPki prod = TestPki.create("prod.example.com");
    TestPki dev = TestPki.create("dev.example.com");
    Credentials prodLeaf = prod.leafBuilder().issuer(prod.intermediateCredentials()).crlDistributionPoint(url).build();
    Credentials devLeaf = dev.leafBuilder().issuer(dev.intermediateCredentials()).crlDistributionPoint(url).build();
    try (CrlServer prodCrl = CrlServer.start(prod).revoke(prodLeaf.certificate());
        CrlServer devCrl = CrlServer.start(dev)) {
      TlsPolicy policy = TlsPolicy.builder()
          .trustRoot(prod.root())
          .trustRootFor("dev.example.com", dev.root())
          .revocation(Revocation.hardFail())
          .build();

      served.set(devCrl.crl());
      policy.verifyServer(devLeaf.chain(), "dev.example.com", 443, "https");
      served.set(prodCrl.crl());

      assertThatThrownBy(() -> policy.verifyServer(prodLeaf.chain(), "prod.example.com", 443, "https"))
          .isInstanceOfSatisfying(TlsRefusalException.class, e -> assertThat(e.check()).isEqualTo(Check.REVOKED));
      assertThat(requests.get()).isEqualTo(2);
    }
  }

  @Test
  void crlCache_crlValidLongerThanMaxCacheAge_fetchedAgainAfterMaxCacheAge() throws Exception {
    TestPki pki = TestPki.create("prod.example.com");
    Handshakes.MutableClock clock = new Handshakes.MutableClock();
    Credentials leaf = pki.leafBuilder().issuer(pki.intermediateCredentials()).crlDistributionPoint(url).build();
    try (CrlServer crl = CrlServer.start(pki).validity(Duration.ofDays(30)).clock(clock)) {
      TlsPolicy policy = TlsPolicy.builder().trustRoot(pki.root()).clock(clock)
          .revocation(Revocation.hardFail().maxCacheAge(Duration.ofDays(1)))
          .build();
      served.set(crl.crl());
      policy.verifyServer(leaf.chain(), "prod.example.com", 443, "https");
      assertThat(requests.get()).isEqualTo(1);

      crl.revoke(leaf.certificate());
      served.set(crl.crl());
      clock.advance(Duration.ofDays(3));

      assertThatThrownBy(() -> policy.verifyServer(leaf.chain(), "prod.example.com", 443, "https"))
          .isInstanceOfSatisfying(TlsRefusalException.class, e -> assertThat(e.check()).isEqualTo(Check.REVOKED));
      assertThat(requests.get()).isEqualTo(2);
    }
  }

  @Test
  void verifyServer_pinMismatchWithSlowResponder_refusedAsPinWithoutAnyRevocationRequest() throws Exception {
    TestPki pki = TestPki.create("pinned.example.com");
    try (OcspResponder responder = OcspResponder.start(pki).delay(Duration.ofSeconds(5))) {
      Credentials leaf = responder.leafBuilder().sans("DNS:pinned.example.com").build();
      TlsPolicy policy = TlsPolicy.builder()
          .trustRoot(pki.root())
          .pin("pinned.example.com", dev.moat.core.PinSet.of(TestPki.unrelatedPins(2)))
          .revocation(Revocation.hardFail())
          .build();

      long start = System.nanoTime();
      assertThatThrownBy(() -> policy.verifyServer(leaf.chain(), "pinned.example.com", 443, "https"))
          .isInstanceOfSatisfying(TlsRefusalException.class, e -> assertThat(e.check()).isEqualTo(Check.PIN));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      assertThat(responder.requests()).isZero();
    }
  }
}
