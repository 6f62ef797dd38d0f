package dev.moat.examples;

import dev.moat.core.Check;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.core.TlsRefusals;
import dev.moat.testkit.BadTls;
import dev.moat.testkit.Scenario;
import dev.moat.testkit.TlsTestServer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLSocket;

/**
 * The one-command demo: starts a local server for every scenario of the bad-TLS catalog (good, and
 * every kind of bad), connects to each with every Moat-wrapped client that needs no external
 * binary, and prints one row per scenario and client: accepted or refused, and the {@link Check}.
 *
 * <pre>{@code ./mvnw -q -pl examples -am verify -DskipTests -Pdemo}</pre>
 *
 * <p>Exit status 0 when every row is what the catalog expects, 1 otherwise.
 */
public final class Demo {
  /**
   * One client in the demo. A protocol module adds its own (OkHttp, Paho, Proton-J...) to {@link
   * #clients()}: it starts whatever local server it needs for the scenario, connects with the
   * Moat-wrapped client built from {@code policy}, moves a little data and says what it did, or
   * throws whatever the client library throws when Moat refuses.
   */
  public interface DemoClient {
    /** A short name for the table, such as {@code SSLSocket} or {@code OkHttp}. */
    String name();

    /** The application protocol named in refusals ({@code https}, {@code redis}...). */
    String protocol();

    /** Runs the exchange; every wait must be bounded. */
    String exchange(Scenario scenario, TlsPolicy policy) throws Exception;
  }

  /** One row of the table. */
  public record Row(String scenario, String client, String result, String reason, boolean asExpected) {}

  private Demo() {}

  /** The clients the demo runs. Protocol modules add theirs here as they land. */
  public static List<DemoClient> clients() {
    List<DemoClient> clients = new ArrayList<>();
    clients.add(new SocketClient());
    clients.add(new DemoClients.OkHttp()); // http: MockWebServer over TLS
    clients.add(new DemoClients.JdkHttp()); // http: java.net.http, same servers
    clients.add(new DemoClients.SqlServer()); // sql: TDS 8 handshake against TlsTestServer
    // Not here: Lettuce (needs redis-server), Paho and Proton-J (need a broker); see their examples.
    return clients;
  }

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.exit(run(out, clients()).stream().allMatch(Row::asExpected) ? 0 : 1);
  }

  /** Runs every scenario with every client, printing the table as it goes; returns the rows. */
  public static List<Row> run(PrintStream out, List<DemoClient> clients) {
    List<Scenario> catalog = BadTls.catalog(); // first: testkit enables TLS 1.0/1.1 for the legacy servers
    long start = System.nanoTime();
    out.println("Moat demo: " + catalog.size() + " scenarios x " + clients.size()
        + " client(s); each policy trusts only the local test root.");
    out.println();
    String format = "%-22s %-13s %-9s %s%n";
    out.printf(format, "SCENARIO", "CLIENT", "RESULT", "REASON");
    List<Row> rows = new ArrayList<>();
    for (Scenario scenario : catalog) {
      for (DemoClient client : clients) {
        Row row = run(scenario, client);
        rows.add(row);
        out.printf(format, row.scenario(), row.client(), row.result(),
            row.reason() + (row.asExpected() ? "" : "   <-- UNEXPECTED"));
      }
    }
    long refused = rows.stream().filter(r -> r.result().equals("refused")).count();
    long unexpected = rows.stream().filter(r -> !r.asExpected()).count();
    out.println();
    out.printf(Locale.ROOT, "%d refused, %d accepted, %d skipped, %d unexpected, in %.1f s%n", refused,
        rows.stream().filter(r -> r.result().equals("accepted")).count(),
        rows.stream().filter(r -> r.result().equals("skipped")).count(), unexpected,
        (System.nanoTime() - start) / 1e9);
    return rows;
  }

  static Row run(Scenario scenario, DemoClient client) {
    Optional<String> unavailable = scenario.unavailableReason();
    if (unavailable.isPresent()) {
      return new Row(scenario.name(), client.name(), "skipped", unavailable.get(), true);
    }
    TlsPolicy policy = scenario.policy();
    try {
      String what = client.exchange(scenario, policy);
      return new Row(scenario.name(), client.name(), "accepted", what, scenario.expectsSuccess());
    } catch (Exception e) {
      Optional<TlsRefusalException> refusal =
          TlsRefusals.explain(e, scenario.host(), -1, client.protocol());
      if (refusal.isEmpty()) {
        return new Row(scenario.name(), client.name(), "error", String.valueOf(e), false);
      }
      Check check = refusal.get().check();
      boolean expected = scenario.expectedCheck().map(check::equals).orElse(false);
      String reason = check + (expected ? "" : " (expected " + scenario.expectedCheck().orElse(null) + ")");
      return new Row(scenario.name(), client.name(), "refused", reason, expected);
    }
  }

  /** core alone: an {@link SSLSocket} from the policy's socket factory, against the echo server. */
  static final class SocketClient implements DemoClient {
    @Override
    public String name() {
      return "SSLSocket";
    }

    @Override
    public String protocol() {
      return "echo";
    }

    @Override
    public String exchange(Scenario scenario, TlsPolicy policy) throws Exception {
      try (TlsTestServer server = TlsTestServer.start(scenario)) {
        String echo = CoreSocketExample.exchange(policy.sslSocketFactory(protocol()), server.port(), "ping");
        return echo;
      }
    }
  }
}
