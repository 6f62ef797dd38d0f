package dev.moat.core.internal;

import dev.moat.core.Check;
import dev.moat.core.ProfileRule;
import dev.moat.core.TlsRefusalException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The certificate-profile rules stricter than RFC 5280 path validation (CA/Browser Forum Baseline
 * Requirements and RFC 5280 "MUST"s the JDK does not enforce). Each rule is a {@link ProfileRule}
 * that a policy may relax per host.
 */
public final class ProfileChecks {
  private ProfileChecks() {}

  public static void check(Verification v, ValidatedPath path) throws TlsRefusalException {
    for (X509Certificate c : path.certificates()) {
      serialNumber(v, c);
    }
  }

  static void serialNumber(Verification v, X509Certificate c) throws TlsRefusalException {
    if (v.relaxed(ProfileRule.SERIAL_NUMBER)) {
      return;
    }
    BigInteger serial = c.getSerialNumber();
    if (serial.signum() <= 0 || serial.toByteArray().length > 20) {
      throw v.refuse(Check.CERTIFICATE_PROFILE,
          "The certificate " + Verification.name(c) + " has serial number " + Texts.sanitize(serial.toString(16), 60)
              + " (hex); serial numbers must be positive, non-zero and at most 20 octets (RFC 5280 4.1.2.2).",
          List.of(), "Have the certificate reissued by a conforming CA, or relax the rule for this host: "
              + ".relax(" + Texts.quote(v.host) + ", ProfileRule.SERIAL_NUMBER)");
    }
  }
}
