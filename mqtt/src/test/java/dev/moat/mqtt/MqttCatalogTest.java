package dev.moat.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.moat.core.Check;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.mqtt.Clients.Version;
import dev.moat.testkit.BadTls;
import dev.moat.testkit.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole bad-TLS catalog against a real HiveMQ broker, with Paho's MQTT 3.1.1 and MQTT 5 clients
 * built by {@link PahoTls}: every bad scenario is refused with its typed check within a bounded
 * time, and GOOD publishes and receives a QoS 1 message. One broker start serves every scenario,
 * one listener each ({@link SharedBroker}).
 */
@ExtendWith(SharedBroker.class)
class MqttCatalogTest {
  private static final Duration BOUND = Duration.ofSeconds(30);

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (Scenario s : BadTls.catalog()) {
      for (Version v : Version.values()) {
        cases.add(Arguments.of(s, v));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} with Paho {1}")
  @MethodSource("cases")
  void connect_catalogScenario_refusedWithCheckOrMovesData(Scenario scenario, Version version) {
    assumeFalse(scenario.unavailableReason().isPresent(), () -> scenario.unavailableReason().get());
    String uri = SharedBroker.broker().sslUri(scenario.name());
    String clientId = "catalog-" + scenario.name() + "-" + version;
    TlsPolicy policy = scenario.policy();
    if (scenario.expectsSuccess()) {
      String received =
          assertTimeoutPreemptively(BOUND, () -> Clients.roundTrip(version, policy, uri, clientId));
      assertThat(received).isEqualTo(Clients.expected(clientId));
      return;
    }
    Throwable failure =
        assertTimeoutPreemptively(
            BOUND, () -> catchThrowable(() -> Clients.connect(version, policy, uri, clientId)));
    assertThat(failure).as("connecting to %s must fail", scenario).isNotNull();
    Optional<TlsRefusalException> refusal = PahoTls.explain(failure, uri);
    assertThat(refusal).as("typed refusal for %s, from %s", scenario, failure).isPresent();
    Check expected = scenario.expectedCheck().orElseThrow();
    assertThat(refusal.get().check()).as(refusal.get().getMessage()).isEqualTo(expected);
    assertThat(refusal.get().port()).isEqualTo(SharedBroker.broker().port(scenario.name()));
  }
}
