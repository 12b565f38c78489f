package org.callchain.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.callchain.phone.testing.RecordingMediaEngine;
import org.junit.jupiter.api.Test;

class PhoneConfigTest {
  private static PhoneConfig.Builder valid() {
    return PhoneConfig.builder().mediaEngine(RecordingMediaEngine.loopback());
  }

  @Test
  void defaultsListenOnLoopbackWithBothTransports() {
    PhoneConfig c = valid().build();
    assertThat(c.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(c.transports()).containsExactlyInAnyOrder(Transport.UDP, Transport.TCP);
    assertThat(c.userAgent()).isEqualTo(PhoneConfig.DEFAULT_USER_AGENT);
  }

  @Test
  void refusesAWildcardBindAddressBecauseItIsAdvertised() {
    assertThatThrownBy(() -> valid().bindAddress("0.0.0.0").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("advertised");
  }

  @Test
  void refusesBadUserPortAndTransports() {
    assertThatThrownBy(() -> valid().user("a b").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> valid().sipPort(70000).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> valid().transports(Set.of()).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PhoneConfig.builder().build())
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void credentialsNeverPrintTheirPassword() {
    assertThat(new DigestCredentials("alice", "s3cret").toString()).doesNotContain("s3cret");
  }
}
