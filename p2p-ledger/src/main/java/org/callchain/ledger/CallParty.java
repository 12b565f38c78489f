package org.callchain.ledger;

import java.util.Objects;
import org.callchain.identity.DeviceAddress;

/**
 * One end of a call: its SIP URI, the dialled or presented number (may be empty), and the device
 * address when the party is a registered device (null otherwise, e.g. a PSTN caller).
 */
public record CallParty(String uri, String number, DeviceAddress device) {
  public CallParty {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(number, "number");
    CallRecord.checkText("party uri", uri);
    CallRecord.checkText("party number", number);
  }
}
