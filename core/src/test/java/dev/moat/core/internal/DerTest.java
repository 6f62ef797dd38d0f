package dev.moat.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERT61String;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.DERUniversalString;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;

/** The internal DER reader: what it reads, and the clear, quick refusal of everything it does not. */
class DerTest {
  private static final Duration QUICK = Duration.ofSeconds(2);

  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  private static void refused(byte[] input, String messagePart) {
    assertTimeoutPreemptively(QUICK, () -> assertThatThrownBy(() -> walk(Der.of(input)))
        .isInstanceOf(Der.Malformed.class)
        .hasMessageContaining(messagePart));
  }

  /** Reads every value, descending into constructed ones. */
  private static int walk(Der d) {
    int n = 0;
    while (d.hasNext()) {
      Der.Tlv t = d.next();
      n++;
      if (t.constructed()) {
        n += walk(t.contents());
      }
    }
    return n;
  }

  @Test
  void wellFormedSequence_read_givesTagsLengthsAndContents() {
    // SEQUENCE { INTEGER 5, OCTET STRING 'ab', SEQUENCE {} }
    Der.Tlv seq = Der.single(bytes(0x30, 0x09, 0x02, 0x01, 0x05, 0x04, 0x02, 'a', 'b', 0x30, 0x00));
    assertThat(seq.tag()).isEqualTo(Der.SEQUENCE);
    Der fields = seq.contents();
    assertThat(fields.next().expect(Der.INTEGER).bytes()).containsExactly(5);
    Der.Tlv octets = fields.next().expect(Der.OCTET_STRING);
    assertThat(octets.contentsEqual("ab".getBytes(StandardCharsets.US_ASCII))).isTrue();
    assertThat(fields.next().expect(Der.SEQUENCE).length()).isZero();
    assertThat(fields.hasNext()).isFalse();
    fields.finish();
  }

  @Test
  void longFormLength_read_givesWholeValue() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(0x04);
    b.write(0x82);
    b.write(0x01);
    b.write(0x2c); // 300
    for (int i = 0; i < 300; i++) {
      b.write(i);
    }
    assertThat(Der.single(b.toByteArray()).length()).isEqualTo(300);
  }

  @Test
  void extensionValue_unwrapped_givesInnerValue() {
    // OCTET STRING { SEQUENCE {} }: an empty subjectAltName as getExtensionValue returns it
    Der.Tlv inner = Der.extension(bytes(0x04, 0x02, 0x30, 0x00));
    assertThat(inner.tag()).isEqualTo(Der.SEQUENCE);
    assertThat(inner.length()).isZero();
    assertThatThrownBy(() -> Der.extension(bytes(0x30, 0x02, 0x30, 0x00)))
        .isInstanceOf(Der.Malformed.class).hasMessageContaining("expected tag 0x4");
  }

  @Test
  void truncatedValue_read_isRefused() {
    refused(bytes(0x30, 0x05, 0x02, 0x01), "truncated");
    refused(bytes(0x30), "truncated");
    refused(bytes(0x04, 0x82, 0x01), "truncated");
    refused(bytes(0x30, 0x03, 0x02, 0x05, 0x00), "truncated"); // inner length past the outer end
  }

  @Test
  void lengthOfMoreThanFourOctets_read_isRefused() {
    refused(bytes(0x04, 0x85, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00), "at most 4");
    refused(bytes(0x04, 0xff), "at most 4");
  }

  @Test
  void indefiniteLength_read_isRefused() {
    refused(bytes(0x30, 0x80, 0x02, 0x01, 0x00, 0x00, 0x00), "indefinite length");
  }

  @Test
  void hugeDeclaredLength_read_isRefusedWithoutAllocating() {
    refused(bytes(0x04, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x00), "declares 2147483647 octets but 1 remain");
    refused(bytes(0x04, 0x84, 0xff, 0xff, 0xff, 0xff), "declares 4294967295 octets");
  }

  @Test
  void oversizedInput_read_isRefused() {
    byte[] big = new byte[Der.MAX_INPUT + 1];
    assertThatThrownBy(() -> Der.of(big)).isInstanceOf(Der.Malformed.class).hasMessageContaining("exceeds the limit");
  }

  @Test
  void deepNesting_read_isRefused() {
    // 40 empty-ended SEQUENCEs, each inside the next
    byte[] value = new byte[0];
    for (int i = 0; i < 40; i++) {
      byte[] next = new byte[value.length + 2];
      next[0] = 0x30;
      next[1] = (byte) value.length;
      System.arraycopy(value, 0, next, 2, value.length);
      value = next;
    }
    refused(value, "nested deeper than " + Der.MAX_DEPTH);
  }

  @Test
  void multiOctetTagAndTrailingOctets_read_areRefused() {
    refused(bytes(0x1f, 0x81, 0x00, 0x00), "multi-octet tag");
    assertThatThrownBy(() -> Der.single(bytes(0x05, 0x00, 0x00)))
        .isInstanceOf(Der.Malformed.class).hasMessageContaining("1 trailing octet(s)");
  }

  @Test
  void primitiveValue_readAsConstructed_isRefused() {
    assertThatThrownBy(() -> Der.single(bytes(0x04, 0x00)).contents())
        .isInstanceOf(Der.Malformed.class).hasMessageContaining("primitive");
  }

  private static byte[] name(ASN1Encodable... commonNameValues) throws IOException {
    RDN[] rdns = new RDN[commonNameValues.length + 1];
    rdns[0] = new RDN(BCStyle.O, new DERUTF8String("Org"));
    for (int i = 0; i < commonNameValues.length; i++) {
      rdns[i + 1] = new RDN(new AttributeTypeAndValue(BCStyle.CN, commonNameValues[i]));
    }
    return new X500Name(rdns).getEncoded();
  }

  @Test
  void commonNames_ofEveryStringType_decodeAsText() throws IOException {
    byte[] utf32 = "h\u00e9\uD83D\uDE00.example".getBytes(java.nio.charset.Charset.forName("UTF-32BE"));
    byte[] encoded = name(new DERUTF8String("utf8.example"), new DERPrintableString("printable.example"),
        new DERIA5String("ia5.example"), new DERBMPString("bmp\u00e9.example"),
        new DERT61String("t61.example"), new DERUniversalString(utf32));
    assertThat(SanSyntax.commonNames(encoded)).containsExactly("utf8.example", "printable.example",
        "ia5.example", "bmp\u00e9.example", "t61.example", "h\u00e9\uD83D\uDE00.example");
  }

  @Test
  void commonNames_multiValuedRdn_readAsBouncyCastleDoes_andANonStringCnIsRefused() throws IOException {
    RDN multi = new RDN(new AttributeTypeAndValue[] {
        new AttributeTypeAndValue(BCStyle.OU, new DERUTF8String("unit")),
        new AttributeTypeAndValue(BCStyle.CN, new DERUTF8String("multi.example"))});
    RDN other = new RDN(new AttributeTypeAndValue(new ASN1ObjectIdentifier("2.5.4.33"), new DERSequence()));
    byte[] encoded = new X500Name(new RDN[] {multi, other}).getEncoded();
    assertThat(SanSyntax.commonNames(encoded)).containsExactly("multi.example");
    assertThat(SanSyntax.commonNames(bytes(0x30, 0x00))).isEmpty();
    // A CN that is no character string must not be skipped: it would hide nothing, but refusing it
    // keeps the rule simple and keeps any CN from escaping the CN checks.
    RDN notAString = new RDN(new AttributeTypeAndValue(BCStyle.CN, new DERSequence()));
    byte[] withBadCn = new X500Name(new RDN[] {multi, notAString}).getEncoded();
    assertThatThrownBy(() -> SanSyntax.commonNames(withBadCn)).isInstanceOf(Der.Malformed.class);
  }

  @Test
  void commonNames_malformedName_isRefused() {
    // SET holding an AttributeTypeAndValue with a third element
    byte[] extra = bytes(0x30, 0x0e, 0x31, 0x0c, 0x30, 0x0a, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, 'a', 0x05, 0x00);
    assertThatThrownBy(() -> SanSyntax.commonNames(extra)).isInstanceOf(Der.Malformed.class);
    // BMPString of odd length
    byte[] oddBmp = bytes(0x30, 0x0c, 0x31, 0x0a, 0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x1e, 0x01, 'a');
    assertThatThrownBy(() -> SanSyntax.commonNames(oddBmp))
        .isInstanceOf(Der.Malformed.class).hasMessageContaining("BMPString of odd length");
    List<String> none = SanSyntax.commonNames(bytes(0x30, 0x02, 0x31, 0x00));
    assertThat(none).isEmpty();
  }
}
