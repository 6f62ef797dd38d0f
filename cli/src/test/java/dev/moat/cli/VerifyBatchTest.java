package dev.moat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.moat.cli.internal.Json;
import dev.moat.testkit.BadTls;
import dev.moat.testkit.TestPki;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code moat verify --batch}: the verdict format, SKIP rules, malformed input, and the per-case bound. */
class VerifyBatchTest {
  @TempDir Path dir;
  final TestPki pki = TestPki.shared();
  final List<String> lines = new ArrayList<>();
  int files;

  @Test
  void batch_generatedCases_eachGetsTheExpectedVerdict() throws Exception {
    Path roots = pem(List.of(pki.root()));
    Path inter = pem(List.of(pki.intermediate()));
    Path leaf = pem(List.of(pki.leaf()));
    Path empty = Files.write(dir.resolve("empty.pem"), new byte[0]);
    Path rootsWithGarbage = Files.writeString(dir.resolve("roots-garbage.pem"),
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" + pki.rootPem(), StandardCharsets.US_ASCII);
    Path garbageLeaf = Files.writeString(dir.resolve("garbage-leaf.pem"),
        "-----BEGIN CERTIFICATE-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END CERTIFICATE-----\n");
    Path truncatedDerLeaf = Files.write(dir.resolve("truncated.der"),
        java.util.Arrays.copyOf(pki.leaf().getEncoded(), 100));
    Path caAsLeaf = inter;
    Path client = pem(List.of(pki.clientIdentity("alice").certificate()));
    Path expiredLeaf = pem(List.of(BadTls.byName("EXPIRED").credentials().orElseThrow().certificate()));
    long now = Instant.now().getEpochSecond();

    addCase("good-dns", "SERVER", roots, inter, leaf, dns("localhost"), now, "[\"serverAuth\"]", "null");
    addCase("good-ip", "SERVER", roots, inter, leaf, "{\"kind\":\"IP\",\"value\":\"127.0.0.1\"}", now, "[]", "null");
    addCase("good-garbage-root-ignored", "SERVER", rootsWithGarbage, inter, leaf, dns("localhost"), now, "[]", "null");
    addCase("wrong-host", "SERVER", roots, inter, leaf, dns("example.com"), now, "[]", "null");
    addCase("missing-intermediate", "SERVER", roots, empty, leaf, dns("localhost"), now, "[]", "null");
    lines.add("{\"id\":\"empty-intermediates-path\",\"validation_kind\":\"SERVER\",\"roots\":" + q(roots)
        + ",\"intermediates\":\"\",\"leaf\":" + q(leaf) + ",\"peer_name\":" + dns("localhost") + ",\"time\":" + now + "}");
    addCase("far-future", "SERVER", roots, inter, leaf, dns("localhost"), now + 3650L * 86400, "[]", "null");
    addCase("expired", "SERVER", roots, inter, expiredLeaf, dns("localhost"), now, "[]", "null");
    addCase("ca-as-leaf", "SERVER", roots, empty, caAsLeaf, dns("localhost"), now, "[]", "null");
    addCase("garbage-leaf", "SERVER", roots, inter, garbageLeaf, dns("localhost"), now, "[]", "null");
    addCase("truncated-der-leaf", "SERVER", roots, inter, truncatedDerLeaf, dns("localhost"), now, "[]", "null");
    addCase("rfc822", "SERVER", roots, inter, leaf, "{\"kind\":\"RFC822\",\"value\":\"a@b.example\"}", now, "[]", "null");
    addCase("code-signing", "SERVER", roots, inter, leaf, dns("localhost"), now, "[\"codeSigning\"]", "null");
    addCase("depth-zero", "SERVER", roots, inter, leaf, dns("localhost"), now, "[]", "0");
    addCase("depth-one", "SERVER", roots, inter, leaf, dns("localhost"), now, "[]", "1");
    addCase("client-ok", "CLIENT", roots, inter, client, null, now, "[\"clientAuth\"]", "null");
    addCase("client-server-cert", "CLIENT", roots, inter, expiredLeaf, null, now, "[]", "null");
    lines.add("{\"id\":\"client-named\",\"validation_kind\":\"CLIENT\",\"roots\":" + q(roots) + ",\"intermediates\":"
        + q(inter) + ",\"leaf\":" + q(leaf) + ",\"crls\":null,\"peer_name\":null,\"peer_names\":["
        + dns("localhost") + "," + dns("other.example") + "],\"time\":" + now
        + ",\"time_given\":true,\"eku\":[],\"key_usage\":[],\"signature_algorithms\":[],\"max_chain_depth\":null,\"features\":[]}");
    lines.add("{\"id\":\"bad-time\",\"validation_kind\":\"SERVER\",\"roots\":" + q(roots) + ",\"leaf\":" + q(leaf)
        + ",\"intermediates\":" + q(inter) + ",\"peer_name\":" + dns("localhost") + ",\"time\":\"yesterday\"}");
    lines.add("{\"id\":\"missing-file\",\"validation_kind\":\"SERVER\",\"roots\":\"" + dir.resolve("nope.pem")
        + "\",\"leaf\":" + q(leaf) + ",\"intermediates\":" + q(inter) + ",\"peer_name\":" + dns("localhost")
        + ",\"time\":" + now + "}");
    lines.add("this line is not JSON");
    lines.add("");
    lines.add("{\"id\":\"with-crls\",\"validation_kind\":\"SERVER\",\"crls\":\"/tmp/x.crl\",\"roots\":" + q(roots)
        + ",\"leaf\":" + q(leaf) + ",\"intermediates\":" + q(inter) + ",\"peer_name\":" + dns("localhost") + "}");

    Path cases = Files.write(dir.resolve("cases.jsonl"), lines, StandardCharsets.UTF_8);
    Path out = dir.resolve("verdicts.jsonl");

    CliRun run = CliRun.of("verify", "--batch", cases.toString(), "--out", out.toString());

    Map<String, Map<?, ?>> verdicts = read(out);
    assertThat(run.exit()).as(run.toString()).isEqualTo(1); // one line had no id
    assertThat(run.err()).contains("line 21: no verdict possible").contains("22 cases: 5 ACCEPT, 11 REJECT, 5 SKIP, 0 HANG, 1 lines without a verdict");
    assertThat(verdicts).hasSize(21);
    assertVerdict(verdicts, "good-dns", "ACCEPT", "path: CN=localhost -> ");
    assertVerdict(verdicts, "good-ip", "ACCEPT", "path: ");
    assertVerdict(verdicts, "good-garbage-root-ignored", "ACCEPT", "path: ");
    assertVerdict(verdicts, "wrong-host", "REJECT", "HOSTNAME: ");
    assertVerdict(verdicts, "missing-intermediate", "REJECT", "MISSING_INTERMEDIATE: ");
    assertVerdict(verdicts, "empty-intermediates-path", "REJECT", "MISSING_INTERMEDIATE: ");
    assertVerdict(verdicts, "far-future", "REJECT", "EXPIRED: ");
    assertVerdict(verdicts, "expired", "REJECT", "EXPIRED: ");
    assertVerdict(verdicts, "ca-as-leaf", "REJECT", "LEAF_IS_CA: ");
    assertVerdict(verdicts, "garbage-leaf", "REJECT", "MALFORMED: the leaf does not parse");
    assertVerdict(verdicts, "truncated-der-leaf", "REJECT", "MALFORMED: the leaf does not parse");
    assertVerdict(verdicts, "rfc822", "SKIP", "peer_name kind RFC822");
    assertVerdict(verdicts, "code-signing", "SKIP", "eku [codeSigning]");
    assertVerdict(verdicts, "depth-zero", "REJECT", "BASIC_CONSTRAINTS: The chain needs more than 0 intermediate");
    assertVerdict(verdicts, "depth-one", "ACCEPT", "path: ");
    assertVerdict(verdicts, "client-ok", "ACCEPT", "client: ");
    assertVerdict(verdicts, "client-server-cert", "REJECT", "");
    assertVerdict(verdicts, "client-named", "REJECT", "HOSTNAME: the client certificate is not valid for other.example");
    assertVerdict(verdicts, "bad-time", "SKIP", "malformed case: time is not a number");
    assertVerdict(verdicts, "missing-file", "SKIP", "unusable case: ");
    assertVerdict(verdicts, "with-crls", "SKIP", "CRLs given");
    for (Map<?, ?> v : verdicts.values()) {
      assertThat((String) v.get("reason")).doesNotContain("\n");
    }
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void batch_caseThatBlocks_isHangWithinTheBoundAndTheBatchGoesOn() throws Exception {
    Path fifo = dir.resolve("leaf.fifo");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
    assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo (coreutils) is needed for this test");
    Path roots = pem(List.of(pki.root()));
    Path inter = pem(List.of(pki.intermediate()));
    Path leaf = pem(List.of(pki.leaf()));
    long now = Instant.now().getEpochSecond();
    // Opening a FIFO that no one writes blocks forever: a case that never returns.
    addCase("blocks", "SERVER", roots, inter, fifo, dns("localhost"), now, "[]", "null");
    addCase("after", "SERVER", roots, inter, leaf, dns("localhost"), now, "[]", "null");
    Path cases = Files.write(dir.resolve("cases.jsonl"), lines, StandardCharsets.UTF_8);
    Path out = dir.resolve("verdicts.jsonl");
    try {
      long start = System.nanoTime();
      CliRun run = CliRun.of("verify", "--batch", cases.toString(), "--out", out.toString(), "--case-timeout", "300ms");
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(run.exit()).as(run.toString()).isZero();
      Map<String, Map<?, ?>> verdicts = read(out);
      assertVerdict(verdicts, "blocks", "HANG", "no verdict within 300 ms");
      assertVerdict(verdicts, "after", "ACCEPT", "path: ");
      assertThat(took).isLessThan(Duration.ofSeconds(10));
    } finally {
      // Release the abandoned worker, if it reached open(): a writer unblocks it, then EOF. Opened
      // read-write, which never blocks on Linux even when no reader is waiting.
      try (RandomAccessFile release = new RandomAccessFile(fifo.toFile(), "rw")) {
        assertThat(release.getFD().valid()).isTrue();
      } catch (IOException e) {
        // nothing was waiting
      }
    }
  }

  @Test
  void batch_unusableArguments_exitTwo() throws Exception {
    CliRun noOut = CliRun.of("verify", "--batch", "cases.jsonl");
    CliRun missing = CliRun.of("verify", "--batch", dir.resolve("nope.jsonl").toString(), "--out",
        dir.resolve("o.jsonl").toString());
    CliRun badBound = CliRun.of("verify", "--batch", "x", "--out", "y", "--case-timeout", "soon");
    CliRun nothing = CliRun.of("verify");

    for (CliRun run : List.of(noOut, missing, badBound, nothing)) {
      assertThat(run.exit()).as(run.toString()).isEqualTo(2);
      assertThat(run.err()).startsWith("moat verify: ").doesNotContain("\tat ");
    }
    assertThat(missing.err()).contains("no such file");
    assertThat(badBound.err()).contains("is not a duration");
  }

  // ------------------------------------------------------------------ helpers

  private void addCase(String id, String kind, Path roots, Path inter, Path leaf, String peerName, long time,
      String eku, String depth) {
    lines.add("{\"id\":\"" + id + "\",\"validation_kind\":\"" + kind + "\",\"roots\":" + q(roots)
        + ",\"intermediates\":" + q(inter) + ",\"leaf\":" + q(leaf) + ",\"crls\":null,\"peer_name\":"
        + peerName + ",\"peer_names\":[],\"time\":" + time + ",\"time_given\":true,\"eku\":" + eku
        + ",\"key_usage\":[],\"signature_algorithms\":[],\"max_chain_depth\":" + depth + ",\"features\":[]}");
  }

  private static String dns(String name) {
    return "{\"kind\":\"DNS\",\"value\":\"" + name + "\"}";
  }

  private static String q(Path p) {
    return Json.write(p.toString());
  }

  private Path pem(List<X509Certificate> certs) throws Exception {
    return Files.writeString(dir.resolve("c" + (files++) + ".pem"), TestPki.toPem(certs), StandardCharsets.US_ASCII);
  }

  private static Map<String, Map<?, ?>> read(Path out) throws Exception {
    Map<String, Map<?, ?>> byId = new LinkedHashMap<>();
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      Map<?, ?> v = (Map<?, ?>) Json.parse(line);
      assertThat(List.copyOf(v.keySet())).isEqualTo(List.of("id", "verdict", "reason"));
      byId.put((String) v.get("id"), v);
    }
    return byId;
  }

  private static void assertVerdict(Map<String, Map<?, ?>> verdicts, String id, String verdict, String reasonStart) {
    assertThat(verdicts).containsKey(id);
    Map<?, ?> v = verdicts.get(id);
    assertThat(v.get("verdict")).as(id + ": " + v).isEqualTo(verdict);
    assertThat((String) v.get("reason")).as(id).startsWith(reasonStart);
  }
}
