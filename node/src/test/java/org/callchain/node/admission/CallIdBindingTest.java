package org.callchain.node.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class CallIdBindingTest {
  @Test
  void origidIsTheVersion5UuidOfTheCallId() {
    // Expected values from Python's uuid.uuid5(NAMESPACE, call_id), an independent RFC 4122 §4.3
    // implementation.
    assertThat(CallIdBinding.origidFor("abc@127.0.0.1"))
        .isEqualTo("7480bcc2-65c0-5524-bdac-ccd8e1c1199f");
    assertThat(CallIdBinding.origidFor("a84b4c76e66710@pc33.atlanta.com"))
        .isEqualTo("1604c76b-1065-57c4-a870-97401355afdb");
    UUID u = UUID.fromString(CallIdBinding.origidFor("x"));
    assertThat(u.version()).isEqualTo(5);
    assertThat(u.variant()).isEqualTo(2);
  }

  @Test
  void differentCallIdsGiveDifferentOrigids() {
    assertThat(CallIdBinding.origidFor("a@h")).isNotEqualTo(CallIdBinding.origidFor("b@h"));
  }
}
