package org.callchain.node.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SipIdentityTest {
  private static boolean matches(String presented, String reference) {
    return SipIdentity.parse(presented).matches(SipIdentity.parse(reference));
  }

  @Test
  void aReferenceWithoutPortMatchesAnyPortOfTheSameUserAndHost() {
    assertThat(matches("sip:alice@127.0.0.1:5071", "sip:alice@127.0.0.1")).isTrue();
    assertThat(matches("sip:alice@127.0.0.1", "sip:alice@127.0.0.1")).isTrue();
  }

  @Test
  void aReferenceWithAPortMatchesOnlyThatPort() {
    assertThat(matches("sip:alice@127.0.0.1:5071", "sip:alice@127.0.0.1:5071")).isTrue();
    assertThat(matches("sip:alice@127.0.0.1:5072", "sip:alice@127.0.0.1:5071")).isFalse();
    assertThat(matches("sip:alice@127.0.0.1", "sip:alice@127.0.0.1:5071")).isFalse();
  }

  @Test
  void hostAndSchemeFoldButTheUserIsCaseSensitive() {
    assertThat(matches("SIPS:alice@Example.COM.", "sip:alice@example.com")).isTrue();
    assertThat(matches("sip:Alice@example.com", "sip:alice@example.com")).isFalse();
    assertThat(matches("sip:bob@example.com", "sip:alice@example.com")).isFalse();
    assertThat(matches("sip:alice@example.org", "sip:alice@example.com")).isFalse();
  }

  @Test
  void parametersHeadersPasswordsAndNameAddrsAreIgnored() {
    assertThat(
            matches(
                "\"Alice\" <sip:alice:secret@example.com;transport=tcp?subject=hi>",
                "sip:alice@example.com"))
        .isTrue();
    assertThat(matches("sip:%61lice@example.com", "sip:alice@example.com")).isTrue();
  }

  @Test
  void telephoneNumbersLoseVisualSeparators() {
    assertThat(matches("tel:+1-555-(010).2", "tel:+15550102")).isTrue();
    assertThat(matches("sip:+1-555-0102@gw.example;user=phone", "sip:+15550102@gw.example"))
        .isTrue();
    assertThat(matches("tel:+15550102", "sip:+15550102@gw.example")).isFalse();
  }

  @Test
  void ipv6HostsKeepTheirBrackets() {
    SipIdentity id = SipIdentity.parse("sip:bob@[::1]:5080");
    assertThat(id.host()).isEqualTo("[::1]");
    assertThat(id.port()).isEqualTo(5080);
    assertThat(id.toString()).isEqualTo("sip:bob@[::1]:5080");
  }

  @Test
  void normalFormIsPrintable() {
    assertThat(SipIdentity.parse("sips:alice@EXAMPLE.com:5061;lr").toString())
        .isEqualTo("sip:alice@example.com:5061");
  }

  @Test
  void refusesWhatIsNotASipOrTelUri() {
    assertThatThrownBy(() -> SipIdentity.parse("mailto:alice@example.com"))
        .hasMessageContaining("not a SIP or tel URI");
    assertThatThrownBy(() -> SipIdentity.parse("sip:alice@")).hasMessageContaining("no host");
    assertThatThrownBy(() -> SipIdentity.parse("sip:alice@h:99999"))
        .hasMessageContaining("port out of range");
    assertThat(SipIdentity.isValid("alice")).isFalse();
  }
}
