package org.callchain.chain;

/** A device's state in the registry, in the contract's own numbering. */
public enum DeviceStatus {
  UNKNOWN,
  ACTIVE,
  REVOKED,
  ROTATED;

  public static DeviceStatus fromCode(int code) {
    DeviceStatus[] all = values();
    if (code < 0 || code >= all.length) {
      throw new IllegalArgumentException("unknown device status code " + code);
    }
    return all[code];
  }
}
