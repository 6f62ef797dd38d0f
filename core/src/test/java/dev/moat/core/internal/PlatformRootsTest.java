package dev.moat.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.core.ProfileRule;
import dev.moat.core.TlsRefusalException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Platform roots get no exemption from the anchor rules, so every root of this JDK's cacerts must
 * pass them: anchor profile (basicConstraints, keyCertSign, critical extensions), key strength,
 * key identifiers and name-constraint syntax. A root failing here would make Moat refuse a large
 * part of the web.
 */
class PlatformRootsTest {

  @Test
  void platformRoots_allPassTheAnchorRules() {
    List<X509Certificate> roots = Anchors.of(true, List.of()).all();
    assertThat(roots).hasSizeGreaterThan(50);
    // Any other root with a subjectKeyIdentifier stands in as the certificate below the anchor.
    X509Certificate below = roots.stream()
        .filter(r -> r.getExtensionValue(ProfileChecks.SKI_OID) != null && r.getBasicConstraints() >= 0)
        .findFirst().orElseThrow();
    List<String> failures = new ArrayList<>();
    for (X509Certificate root : roots) {
      X509Certificate child = root == below ? roots.stream()
          .filter(r -> r != below && r.getExtensionValue(ProfileChecks.SKI_OID) != null).findFirst().orElseThrow()
          : below;
      ValidatedPath path = new ValidatedPath(List.of(child), root);
      Verification v = verification(root);
      try {
        PathChecks.keyStrength(v, root, "trust anchor");
        PathChecks.issuers(v, path);
        ProfileChecks.anchorBasicConstraints(v, root);
        ProfileChecks.criticalExtensions(v, path);
        ProfileChecks.keyIdentifiers(v, path);
        NameConstraintChecks.parse(v, root);
      } catch (TlsRefusalException e) {
        failures.add(e.getMessage());
      }
    }
    assertThat(failures).as("platform roots refused by the anchor rules").isEmpty();
  }

  @Test
  void platformRoots_legacyRootsAreOnlyPassedByTheBaselineRequirementsDate() {
    // The roots that predate the Baseline Requirements are exactly those the date rule lets through.
    List<String> legacy = new ArrayList<>();
    for (X509Certificate root : Anchors.of(true, List.of()).all()) {
      Set<String> critical = root.getCriticalExtensionOIDs();
      boolean bcNonCritical = root.getExtensionValue(ProfileChecks.BASIC_CONSTRAINTS_OID) != null
          && (critical == null || !critical.contains(ProfileChecks.BASIC_CONSTRAINTS_OID));
      boolean noSki = root.getExtensionValue(ProfileChecks.SKI_OID) == null;
      if (bcNonCritical || noSki) {
        assertThat(root.getNotBefore().toInstant())
            .as("%s", root.getSubjectX500Principal())
            .isBefore(ProfileChecks.BASELINE_REQUIREMENTS_EFFECTIVE);
        legacy.add(root.getSubjectX500Principal().getName());
      }
    }
    System.out.println("legacy platform roots passed by date: " + legacy);
  }

  private static Verification verification(X509Certificate root) {
    return new Verification("example.com", "example.com", 443, "https", List.of(root), Instant.now(),
        Verification.Role.SERVER, Anchors.of(true, List.of()), EnumSet.noneOf(ProfileRule.class),
        Set.of(PathChecks.SERVER_AUTH), 8, e -> {});
  }
}
