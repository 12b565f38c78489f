package org.callchain.ledger;

import org.callchain.identity.DeviceAddress;

/** Where a call record sits: which device's log, at which leaf index. */
public record LeafLocation(DeviceAddress device, long leafIndex) {}
