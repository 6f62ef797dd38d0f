package dev.moat.core.internal;

import dev.moat.core.Check;
import dev.moat.core.TlsRefusalException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraintValidatorException;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PKIXNameConstraintValidator;
import org.jspecify.annotations.Nullable;

/**
 * Name constraints (RFC 5280 4.2.1.10), enforced by Moat itself: DNS names and IP addresses on
 * every certificate below a constrained CA, and every other name form on every certificate below
 * a constrained trust anchor.
 *
 * <p>Why not leave it to the JDK: JSSE builds its trust anchors without name constraints, and the
 * JDK's validator refuses an anchor that carries them, so it is given the anchor without them (see
 * {@link PathChecks}): the anchor's constraints are enforced here or by nobody. Its directoryName,
 * rfc822Name and URI constraints (what mutual TLS authorises by: subject DN, e-mail, SPIFFE ID) are
 * checked with Bouncy Castle's {@link PKIXNameConstraintValidator} against the subject DN (when not
 * empty), the e-mail addresses in it and the subjectAltNames of each certificate below the anchor.
 * A constraint on a form neither Moat nor Bouncy Castle can check (otherName, x400Address,
 * ediPartyName, registeredID) refuses any certificate below it that carries a name of that form,
 * as RFC 5280 requires. Below an intermediate the JDK enforces those forms itself. The JDK's validator reads a wildcard
 * SAN ({@code *.example.com}) as a literal name, so a wildcard whose matches reach into an excluded
 * subtree ({@code secret.example.com}) passes. Here a wildcard is checked against every name it
 * can match. The leaf's subject CN counts as a DNS name or IP address when it looks like one, as
 * browsers do, so a CN cannot smuggle a forbidden name past the constraints.
 *
 * <p>Malformed constraints refuse the chain rather than being ignored: constraints in an
 * end-entity certificate, an empty NameConstraints or empty subtree list, {@code minimum}/{@code
 * maximum} fields, DNS constraints with wildcards, underscores or bad labels, and IP constraints
 * whose length is not 8 or 32 octets or whose mask is not a prefix. None of these rules can be
 * relaxed: name constraints are what makes a private CA safe to trust.
 */
public final class NameConstraintChecks {
  static final String OID = "2.5.29.30";
  private static final int MAX_SUBTREES = 1024;

  private NameConstraintChecks() {}

  /** Parsed DNS and IP subtrees of one CA. */
  record Constraints(
      List<String> permittedDns, List<String> excludedDns,
      List<byte[]> permittedIp, List<byte[]> excludedIp, boolean anyPermitted) {

    String describe() {
      StringBuilder b = new StringBuilder();
      b.append("permitted: ").append(list(permittedDns, permittedIp, anyPermitted));
      b.append("; excluded: ").append(list(excludedDns, excludedIp, false));
      return b.toString();
    }

    private static String list(List<String> dns, List<byte[]> ip, boolean others) {
      List<String> all = new ArrayList<>();
      for (String d : dns) {
        all.add(d.isEmpty() ? "(every DNS name)" : "DNS:" + Texts.sanitize(d, 80));
      }
      for (byte[] r : ip) {
        all.add("IP:" + cidr(r));
      }
      if (all.isEmpty()) {
        return others ? "(no DNS or IP constraints)" : "(none)";
      }
      if (all.size() > 8) {
        return String.join(", ", all.subList(0, 8)) + ", ... (" + all.size() + ")";
      }
      return String.join(", ", all);
    }
  }

  public static void check(Verification v, ValidatedPath path) throws TlsRefusalException {
    List<X509Certificate> all = path.withAnchor();
    X509Certificate leaf = path.leaf();
    if (!path.directlyTrusted() && leaf.getBasicConstraints() < 0 && CertificateFacts.extension(leaf, OID) != null) {
      throw v.refuse(Check.NAME_CONSTRAINTS,
          "The end-entity certificate " + Verification.name(leaf) + " carries a nameConstraints "
              + "extension, which RFC 5280 allows only in CA certificates.",
          List.of(), "Have the certificate reissued without nameConstraints.");
    }
    if (path.directlyTrusted()) {
      return;
    }
    for (int i = all.size() - 1; i >= 1; i--) {
      X509Certificate ca = all.get(i);
      Constraints nc = parse(v, ca);
      if (nc == null) {
        continue;
      }
      // The JDK validator never sees the anchor's constraints: every name form is checked here.
      OtherForms other = i == all.size() - 1 && hasOtherForms(ca) ? OtherForms.parse(v, ca) : null;
      for (int j = i - 1; j >= 0; j--) {
        X509Certificate below = all.get(j);
        boolean selfIssued = below.getSubjectX500Principal().equals(below.getIssuerX500Principal());
        if (j > 0 && selfIssued) {
          continue; // RFC 5280 6.1.3 (b): not applied to self-issued intermediates
        }
        enforce(v, ca, nc, below, j == 0);
        if (other != null) {
          other.enforce(v, ca, below);
        }
      }
    }
  }

  /**
   * The anchor's constraints on name forms other than DNS and IP: directoryName, rfc822Name and URI
   * checked by Bouncy Castle, and the forms nobody checks, which refuse any name of their form.
   */
  static final class OtherForms {
    private static final ASN1ObjectIdentifier EMAIL_ATTRIBUTE = new ASN1ObjectIdentifier("1.2.840.113549.1.9.1");
    private static final String SAN_OID = "2.5.29.17";

    private final PKIXNameConstraintValidator validator = new PKIXNameConstraintValidator();
    /** Tags of GeneralName forms that are constrained but that Moat cannot check. */
    private final List<Integer> unenforceable = new ArrayList<>();
    private final List<String> described = new ArrayList<>();

    private OtherForms() {}

    /** The anchor's constraints on other name forms, null when it has none. */
    static @Nullable OtherForms parse(Verification v, X509Certificate ca) throws TlsRefusalException {
      byte[] ext = CertificateFacts.extension(ca, OID);
      if (ext == null) {
        return null;
      }
      NameConstraints nc;
      try {
        nc = NameConstraints.getInstance(ASN1OctetString.getInstance(ext).getOctets());
      } catch (RuntimeException e) {
        throw malformed(v, ca, "does not parse (" + Texts.sanitize(String.valueOf(e.getMessage()), 80) + ")", e);
      }
      OtherForms f = new OtherForms();
      List<GeneralSubtree> permitted = f.others(nc.getPermittedSubtrees(), "permitted ");
      List<GeneralSubtree> excluded = f.others(nc.getExcludedSubtrees(), "excluded ");
      if (f.described.isEmpty()) {
        return null;
      }
      try {
        if (!permitted.isEmpty()) {
          f.validator.intersectPermittedSubtree(permitted.toArray(new GeneralSubtree[0]));
        }
        for (GeneralSubtree s : excluded) {
          f.validator.addExcludedSubtree(s);
        }
      } catch (RuntimeException e) {
        throw malformed(v, ca, "has a constraint that does not parse ("
            + Texts.sanitize(String.valueOf(e.getMessage()), 80) + ")", e);
      }
      return f;
    }

    private List<GeneralSubtree> others(GeneralSubtree @Nullable [] subtrees, String kind) {
      List<GeneralSubtree> out = new ArrayList<>();
      if (subtrees == null) {
        return out;
      }
      for (GeneralSubtree s : subtrees) {
        GeneralName base = s.getBase();
        int tag = base.getTagNo();
        if (tag == GeneralName.dNSName || tag == GeneralName.iPAddress) {
          continue;
        }
        described.add(kind + label(base));
        if (bouncyCastleChecks(tag)) {
          out.add(s);
        } else if (!unenforceable.contains(tag)) {
          unenforceable.add(tag);
        }
      }
      return out;
    }

    private static boolean bouncyCastleChecks(int tag) {
      return tag == GeneralName.rfc822Name || tag == GeneralName.directoryName
          || tag == GeneralName.uniformResourceIdentifier;
    }

    String describe() {
      List<String> shown = described.size() > 8 ? described.subList(0, 8) : described;
      return String.join(", ", shown) + (described.size() > 8 ? ", ... (" + described.size() + ")" : "");
    }

    void enforce(Verification v, X509Certificate ca, X509Certificate c) throws TlsRefusalException {
      X500Name subject = X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
      if (subject.getRDNs().length > 0) { // an empty subject names nobody (as OpenSSL)
        try {
          validator.checkPermittedDN(subject);
          validator.checkExcludedDN(subject);
        } catch (NameConstraintValidatorException | RuntimeException e) {
          throw broken(v, ca, "subject name of " + Verification.name(c), e);
        }
        for (RDN rdn : subject.getRDNs()) {
          for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
            if (EMAIL_ATTRIBUTE.equals(atv.getType())) {
              check(v, ca, c, new GeneralName(GeneralName.rfc822Name, text(atv.getValue())));
            }
          }
        }
      }
      byte[] san = CertificateFacts.extension(c, SAN_OID);
      if (san == null) {
        return;
      }
      GeneralName[] names;
      try {
        names = GeneralNames.getInstance(ASN1OctetString.getInstance(san).getOctets()).getNames();
      } catch (RuntimeException e) {
        throw v.refuse(Check.NAME_CONSTRAINTS, "The subjectAltName extension of " + Verification.name(c)
            + " does not parse, so the name constraints of " + Verification.name(ca) + " cannot be checked.",
            List.of(), "Reissue the certificate with a well-formed subjectAltName.", e);
      }
      for (GeneralName n : names) {
        int tag = n.getTagNo();
        if (unenforceable.contains(tag)) {
          throw v.refuse(Check.NAME_CONSTRAINTS,
              "The trust anchor " + Verification.name(ca) + " constrains " + form(tag) + " names, which Moat "
                  + "cannot check, and " + Verification.name(c) + " carries one; RFC 5280 requires refusing it.",
              List.of("Constraints of " + Verification.name(ca) + " on other name forms: " + describe()),
              "Issue the certificate without " + form(tag) + " names, or trust a CA whose name constraints "
                  + "use only DNS, IP, directoryName, rfc822Name and URI forms.");
        }
        if (bouncyCastleChecks(tag)) {
          check(v, ca, c, n);
        }
      }
    }

    private void check(Verification v, X509Certificate ca, X509Certificate c, GeneralName n)
        throws TlsRefusalException {
      try {
        validator.checkPermitted(n);
        validator.checkExcluded(n);
      } catch (NameConstraintValidatorException | RuntimeException e) {
        throw broken(v, ca, describe(n) + " in " + Verification.name(c), e);
      }
    }

    private TlsRefusalException broken(Verification v, X509Certificate ca, String what, Exception e) {
      String why = e instanceof NameConstraintValidatorException
          ? "it is outside the permitted subtrees or inside an excluded one"
          : "it cannot be compared with them (" + Texts.sanitize(String.valueOf(e.getMessage()), 80) + ")";
      return v.refuse(Check.NAME_CONSTRAINTS,
          "The " + what + " breaks the name constraints of the trust anchor " + Verification.name(ca) + ": " + why + ".",
          List.of("Constraints of " + Verification.name(ca) + " on other name forms: " + describe()),
          "That CA is not allowed to issue for this name. Use a certificate from a CA whose constraints "
              + "cover it, or reissue the certificate without the name.", e);
    }

    private static String describe(GeneralName n) {
      switch (n.getTagNo()) {
        case GeneralName.rfc822Name:
          return "e-mail address '" + Texts.sanitize(text(n.getName()), 100) + "'";
        case GeneralName.uniformResourceIdentifier:
          return "URI '" + Texts.sanitize(text(n.getName()), 100) + "'";
        case GeneralName.directoryName:
          return "directoryName '" + Texts.sanitize(X500Name.getInstance(n.getName()).toString(), 100) + "'";
        default:
          return form(n.getTagNo());
      }
    }

    /** A constraint's base as {@code form:value}. */
    private static String label(GeneralName base) {
      int tag = base.getTagNo();
      String value;
      if (tag == GeneralName.rfc822Name || tag == GeneralName.uniformResourceIdentifier) {
        value = text(base.getName());
      } else if (tag == GeneralName.directoryName) {
        value = X500Name.getInstance(base.getName()).toString();
      } else {
        return form(tag);
      }
      return form(tag) + ":" + (value.isEmpty() ? "(empty)" : Texts.sanitize(value, 80));
    }

    private static String text(ASN1Encodable value) {
      return value instanceof ASN1String ? ((ASN1String) value).getString() : String.valueOf(value);
    }

    private static String form(int tag) {
      switch (tag) {
        case GeneralName.otherName: return "otherName";
        case GeneralName.rfc822Name: return "rfc822Name";
        case GeneralName.x400Address: return "x400Address";
        case GeneralName.directoryName: return "directoryName";
        case GeneralName.ediPartyName: return "ediPartyName";
        case GeneralName.uniformResourceIdentifier: return "URI";
        case GeneralName.registeredID: return "registeredID";
        default: return "GeneralName [" + tag + "]";
      }
    }
  }

  /** One GeneralSubtree as {@link Der} reads it: the base's identifier octet and contents. */
  private record Subtree(int baseTag, byte[] base, boolean nonZeroMinimum, boolean maximum) {}

  /** The subtree lists of a nameConstraints extension; null for an absent list. */
  private record Subtrees(@Nullable List<Subtree> permitted, @Nullable List<Subtree> excluded) {
    /** Whether some subtree constrains a form other than DNS and IP. */
    boolean otherForms() {
      for (List<Subtree> list : java.util.Arrays.asList(permitted, excluded)) {
        if (list != null) {
          for (Subtree s : list) {
            if (s.baseTag() != DNS_TAG && s.baseTag() != IP_TAG) {
              return true;
            }
          }
        }
      }
      return false;
    }
  }

  /** Identifier octets of GeneralName's dNSName [2] and iPAddress [7] (IMPLICIT, primitive). */
  private static final int DNS_TAG = 0x82;
  private static final int IP_TAG = 0x87;

  /**
   * Reads NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees OPTIONAL,
   * excludedSubtrees [1] GeneralSubtrees OPTIONAL } with {@link Der} (no Bouncy Castle, so a CA
   * with only DNS and IP constraints costs a handshake no Bouncy Castle class load).
   */
  private static Subtrees read(byte[] ext) {
    Der fields = Der.extension(ext).expect(Der.SEQUENCE).contents();
    List<Subtree> permitted = null;
    List<Subtree> excluded = null;
    while (fields.hasNext()) {
      Der.Tlv field = fields.next();
      if (field.tag() == 0xa0) {
        permitted = subtrees(field.contents());
      } else if (field.tag() == 0xa1) {
        excluded = subtrees(field.contents());
      } else {
        throw new Der.Malformed("unknown field tag 0x" + Integer.toHexString(field.tag()));
      }
    }
    return new Subtrees(permitted, excluded);
  }

  /** GeneralSubtree ::= SEQUENCE { base GeneralName, minimum [0] INTEGER DEFAULT 0, maximum [1] INTEGER OPTIONAL } */
  private static List<Subtree> subtrees(Der list) {
    List<Subtree> out = new ArrayList<>();
    while (list.hasNext()) {
      Der fields = list.next().expect(Der.SEQUENCE).contents();
      Der.Tlv base = fields.next();
      int form = base.tag() & 0x1f;
      if ((base.tag() & 0xc0) != 0x80 || form > 8) {
        throw new Der.Malformed("a subtree base with tag 0x" + Integer.toHexString(base.tag()) + " is no GeneralName");
      }
      if ((form == 2 || form == 7) && base.constructed()) {
        throw new Der.Malformed("a constructed " + (form == 2 ? "dNSName" : "iPAddress"));
      }
      boolean nonZeroMinimum = false;
      boolean maximum = false;
      Der.Tlv next = fields.hasNext() ? fields.next() : null;
      if (next != null && next.tag() == 0x80) {
        nonZeroMinimum = nonZero(next);
        next = fields.hasNext() ? fields.next() : null;
      }
      if (next != null && next.tag() == 0x81) {
        nonZero(next); // validates the INTEGER
        maximum = true;
        next = null;
      }
      if (next != null) {
        throw new Der.Malformed("a subtree field with tag 0x" + Integer.toHexString(next.tag()));
      }
      fields.finish();
      out.add(new Subtree(base.tag(), base.bytes(), nonZeroMinimum, maximum));
    }
    return out;
  }

  private static boolean nonZero(Der.Tlv integer) {
    byte[] b = integer.bytes();
    if (b.length == 0) {
      throw new Der.Malformed("an empty INTEGER");
    }
    for (byte x : b) {
      if (x != 0) {
        return true;
      }
    }
    return false;
  }

  /** Whether the CA's constraints name forms other than DNS and IP (so {@link OtherForms} is needed). */
  private static boolean hasOtherForms(X509Certificate ca) {
    byte[] ext = CertificateFacts.extension(ca, OID);
    if (ext == null) {
      return false;
    }
    try {
      return read(ext).otherForms();
    } catch (RuntimeException e) {
      return true; // let OtherForms read and report it
    }
  }

  /** The DNS and IP constraints of a CA, null when it has none. */
  static @Nullable Constraints parse(Verification v, X509Certificate ca) throws TlsRefusalException {
    byte[] ext = CertificateFacts.extension(ca, OID);
    if (ext == null) {
      return null;
    }
    Subtrees nc;
    try {
      nc = read(ext);
    } catch (RuntimeException e) {
      throw malformed(v, ca, "does not parse (" + Texts.sanitize(String.valueOf(e.getMessage()), 80) + ")", e);
    }
    List<Subtree> permitted = nc.permitted();
    List<Subtree> excluded = nc.excluded();
    if (permitted == null && excluded == null) {
      throw malformed(v, ca, "is an empty sequence (RFC 5280 requires permittedSubtrees or excludedSubtrees)", null);
    }
    if ((permitted != null && permitted.isEmpty()) || (excluded != null && excluded.isEmpty())) {
      throw malformed(v, ca, "has an empty list of subtrees (RFC 5280: SIZE (1..MAX))", null);
    }
    if ((permitted != null ? permitted.size() : 0) + (excluded != null ? excluded.size() : 0) > MAX_SUBTREES) {
      throw malformed(v, ca, "has more than " + MAX_SUBTREES + " subtrees", null);
    }
    List<String> pDns = new ArrayList<>();
    List<byte[]> pIp = new ArrayList<>();
    List<String> xDns = new ArrayList<>();
    List<byte[]> xIp = new ArrayList<>();
    boolean anyPermitted = false;
    if (permitted != null) {
      for (Subtree s : permitted) {
        anyPermitted |= !add(v, ca, s, pDns, pIp);
      }
    }
    if (excluded != null) {
      for (Subtree s : excluded) {
        add(v, ca, s, xDns, xIp);
      }
    }
    return new Constraints(List.copyOf(pDns), List.copyOf(xDns), List.copyOf(pIp), List.copyOf(xIp), anyPermitted);
  }

  /**
   * Adds a DNS or IP subtree; returns false for other name forms (an intermediate's are enforced by
   * the JDK validator, an anchor's by {@link OtherForms}).
   */
  private static boolean add(Verification v, X509Certificate ca, Subtree s, List<String> dns, List<byte[]> ip)
      throws TlsRefusalException {
    if (s.nonZeroMinimum() || s.maximum()) {
      throw malformed(v, ca, "uses the minimum or maximum field, which RFC 5280 forbids", null);
    }
    if (s.baseTag() == DNS_TAG) {
      String name = new String(s.base(), java.nio.charset.StandardCharsets.ISO_8859_1);
      String problem = dnsConstraintProblem(name);
      if (problem != null) {
        throw malformed(v, ca, "has the DNS constraint '" + Texts.sanitize(name, 80) + "', which " + problem, null);
      }
      dns.add(stripDot(name.toLowerCase(Locale.ROOT)));
      return true;
    }
    if (s.baseTag() == IP_TAG) {
      byte[] range = s.base();
      String problem = ipConstraintProblem(range);
      if (problem != null) {
        throw malformed(v, ca, "has an IP address constraint that " + problem, null);
      }
      ip.add(range);
      return true;
    }
    return false;
  }

  /** Why a dNSName constraint is malformed, or null. Empty and leading-dot forms are allowed. */
  static @Nullable String dnsConstraintProblem(String name) {
    if (name.isEmpty()) {
      return null; // every DNS name
    }
    String n = name.startsWith(".") ? name.substring(1) : name;
    if (n.indexOf('*') >= 0) {
      return "contains a wildcard (constraints name subtrees; wildcards are not allowed)";
    }
    return SanSyntax.dnsProblem(stripDot(n), false);
  }

  /** Why an iPAddress constraint is malformed, or null. */
  static @Nullable String ipConstraintProblem(byte[] range) {
    if (range.length != 8 && range.length != 32) {
      return "is " + range.length + " octets long (must be 8 for IPv4 or 32 for IPv6: address then mask)";
    }
    int half = range.length / 2;
    boolean zeros = false;
    for (int i = half; i < range.length; i++) {
      for (int bit = 7; bit >= 0; bit--) {
        boolean one = (range[i] >> bit & 1) == 1;
        if (one && zeros) {
          return "has the mask " + addr(slice(range, half, range.length)) + ", which is not a prefix (CIDR) mask";
        }
        zeros |= !one;
      }
    }
    return null;
  }

  private static void enforce(Verification v, X509Certificate ca, Constraints nc, X509Certificate c, boolean leaf)
      throws TlsRefusalException {
    CertificateFacts facts = CertificateFacts.of(c);
    List<String> dnsNames = new ArrayList<>(facts.dnsNames());
    List<byte[]> ips = new ArrayList<>(facts.ipAddresses());
    if (leaf) {
      for (String cn : CertificateFacts.commonNames(c)) {
        byte[] ip = HostNames.ipLiteral(cn);
        if (ip != null) {
          ips.add(ip);
        } else if (SanSyntax.looksLikeHostName(cn)) {
          dnsNames.add(cn);
        }
      }
    }
    for (String name : dnsNames) {
      String n = stripDot(name.toLowerCase(Locale.ROOT));
      String why = dnsViolation(nc, n);
      if (why != null) {
        throw violation(v, ca, nc, c, "DNS name '" + Texts.sanitize(name, 100) + "'", why);
      }
    }
    for (byte[] ip : ips) {
      String why = ipViolation(nc, ip);
      if (why != null) {
        throw violation(v, ca, nc, c, "IP address " + addr(ip), why);
      }
    }
  }

  /** Why a DNS name breaks the constraints, or null. A {@code *.} name stands for all it matches. */
  static @Nullable String dnsViolation(Constraints nc, String name) {
    boolean wildcard = name.startsWith("*.");
    String parent = wildcard ? name.substring(2) : name;
    for (String x : nc.excludedDns()) {
      if (wildcard ? wildcardTouches(parent, x) : within(name, x)) {
        return wildcard && !wildcardWithin(parent, x)
            ? "the wildcard matches names in the excluded subtree '" + label(x) + "'"
            : "it lies in the excluded subtree '" + label(x) + "'";
      }
    }
    if (nc.permittedDns().isEmpty()) {
      return null;
    }
    for (String p : nc.permittedDns()) {
      if (wildcard ? wildcardWithin(parent, p) : within(name, p)) {
        return null;
      }
    }
    return wildcard ? "the wildcard matches names outside every permitted DNS subtree"
        : "it lies outside every permitted DNS subtree";
  }

  static @Nullable String ipViolation(Constraints nc, byte[] ip) {
    for (byte[] x : nc.excludedIp()) {
      if (inRange(ip, x)) {
        return "it lies in the excluded range " + cidr(x);
      }
    }
    if (nc.permittedIp().isEmpty()) {
      return null;
    }
    for (byte[] p : nc.permittedIp()) {
      if (inRange(ip, p)) {
        return null;
      }
    }
    return "it lies outside every permitted IP range";
  }

  /** RFC 5280: a name is within a DNS subtree when it is the subtree or ends with "." + it. */
  static boolean within(String name, String subtree) {
    if (subtree.isEmpty()) {
      return true;
    }
    if (subtree.startsWith(".")) {
      return name.endsWith(subtree); // leading dot: subdomains only (a common, non-RFC form)
    }
    return name.equals(subtree) || name.endsWith("." + subtree);
  }

  /** Whether every name {@code *.parent} can match lies within the subtree. */
  static boolean wildcardWithin(String parent, String subtree) {
    if (subtree.isEmpty()) {
      return true;
    }
    if (subtree.startsWith(".")) {
      return parent.equals(subtree.substring(1)) || parent.endsWith(subtree);
    }
    return parent.equals(subtree) || parent.endsWith("." + subtree);
  }

  /** Whether some name {@code *.parent} can match (one label in place of the star) lies within the subtree. */
  static boolean wildcardTouches(String parent, String subtree) {
    if (wildcardWithin(parent, subtree)) {
      return true;
    }
    String s = subtree.startsWith(".") ? subtree.substring(1) : subtree;
    if (subtree.startsWith(".")) {
      return false; // a single label cannot reach the subdomains of a deeper name
    }
    int dot = s.indexOf('.');
    return dot > 0 && s.substring(dot + 1).equals(parent);
  }

  static boolean inRange(byte[] ip, byte[] range) {
    int half = range.length / 2;
    if (ip.length != half) {
      return false;
    }
    for (int i = 0; i < half; i++) {
      if ((ip[i] & range[half + i]) != (range[i] & range[half + i])) {
        return false;
      }
    }
    return true;
  }

  private static TlsRefusalException violation(
      Verification v, X509Certificate ca, Constraints nc, X509Certificate c, String what, String why) {
    boolean anchor = v.anchors.contains(ca);
    return v.refuse(Check.NAME_CONSTRAINTS,
        "The " + what + " in " + Verification.name(c) + " breaks the name constraints of the "
            + (anchor ? "trust anchor " : "CA ") + Verification.name(ca) + ": " + why + ".",
        List.of("Constraints of " + Verification.name(ca) + ": " + nc.describe()),
        "That CA is not allowed to issue for this name. Use a certificate from a CA whose constraints "
            + "cover it, or reissue the certificate without the name.");
  }

  private static TlsRefusalException malformed(
      Verification v, X509Certificate ca, String problem, @Nullable Throwable cause) {
    return v.refuse(Check.NAME_CONSTRAINTS,
        "The nameConstraints extension of " + Verification.name(ca) + " " + problem
            + "; malformed constraints are refused rather than ignored.",
        List.of(), "Reissue that CA certificate with well-formed name constraints.", cause);
  }

  private static String stripDot(String s) {
    return s.endsWith(".") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
  }

  private static String label(String subtree) {
    return subtree.isEmpty() ? "(every DNS name)" : Texts.sanitize(subtree, 100);
  }

  private static byte[] slice(byte[] b, int from, int to) {
    byte[] out = new byte[to - from];
    System.arraycopy(b, from, out, 0, out.length);
    return out;
  }

  static String addr(byte[] ip) {
    try {
      return InetAddress.getByAddress(ip).getHostAddress();
    } catch (UnknownHostException e) {
      return "(" + ip.length + "-octet address)";
    }
  }

  static String cidr(byte[] range) {
    int half = range.length / 2;
    int bits = 0;
    for (int i = half; i < range.length; i++) {
      bits += Integer.bitCount(range[i] & 0xff);
    }
    return addr(slice(range, 0, half)) + "/" + bits;
  }
}
