package dev.moat.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class HstsStoreTest {
  /** A clock the test moves by hand. */
  private static final class TestClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void remember_maxAge_upgradesUntilExpiry() {
    TestClock clock = new TestClock();
    HstsStore store = HstsStore.inMemory(10, clock);
    assertThat(store.remember("Example.COM.", "max-age=60")).isTrue();
    assertThat(store.upgrades("example.com")).isTrue();
    assertThat(store.upgrades("www.example.com")).isFalse();
    clock.advance(Duration.ofSeconds(61));
    assertThat(store.upgrades("example.com")).isFalse();
  }

  @Test
  void remember_includeSubDomains_coversSubdomainsOnly() {
    HstsStore store = HstsStore.inMemory(10, new TestClock());
    store.remember("example.com", "max-age=\"600\"; includeSubDomains");
    assertThat(store.upgrades("a.b.example.com")).isTrue();
    assertThat(store.upgrades("badexample.com")).isFalse();
    assertThat(store.upgrades("com")).isFalse();
  }

  @Test
  void remember_maxAgeZero_forgetsHost() {
    HstsStore store = HstsStore.inMemory(10, new TestClock());
    store.remember("example.com", "max-age=600");
    assertThat(store.remember("example.com", "max-age=0")).isTrue();
    assertThat(store.upgrades("example.com")).isFalse();
    assertThat(store.size()).isZero();
  }

  @Test
  void remember_invalidHeaders_ignored() {
    HstsStore store = HstsStore.inMemory(10, new TestClock());
    assertThat(store.remember("example.com", "includeSubDomains")).isFalse();
    assertThat(store.remember("example.com", "max-age=60; max-age=70")).isFalse();
    assertThat(store.remember("example.com", "max-age=-1")).isFalse();
    assertThat(store.remember("example.com", "max-age=abc")).isFalse();
    assertThat(store.remember("127.0.0.1", "max-age=60")).isFalse();
    assertThat(store.remember("::1", "max-age=60")).isFalse();
    assertThat(store.size()).isZero();
  }

  @Test
  void remember_beyondBound_evictsLeastRecentlyUsed() {
    HstsStore store = HstsStore.inMemory(2, new TestClock());
    store.remember("a.test", "max-age=600");
    store.remember("b.test", "max-age=600");
    assertThat(store.upgrades("a.test")).isTrue(); // a is now the most recently used
    store.remember("c.test", "max-age=600");
    assertThat(store.size()).isEqualTo(2);
    assertThat(store.upgrades("b.test")).isFalse();
    assertThat(store.upgrades("a.test")).isTrue();
    assertThat(store.upgrades("c.test")).isTrue();
  }

  @Test
  void inMemory_nonPositiveBound_refused() {
    assertThatThrownBy(() -> HstsStore.inMemory(0, Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxHosts 0");
  }
}
