package org.callchain.identity;

/**
 * The scrypt cost of a new keystore file (Ethereum V3 keystores store their own parameters, so any
 * of these can be unlocked later). See ADR 0040 for why the default is not geth's "standard".
 */
public enum KeystoreStrength {
  /** scrypt N=2^16, r=8, p=1: about 64 MiB and a fraction of a second; fits a small-heap node. */
  DEVICE(1 << 16, 1),
  /** geth's "light" parameters (N=2^12, r=8, p=6); for tests and throwaway keys only. */
  LIGHT(1 << 12, 6);

  private final int n;
  private final int p;

  KeystoreStrength(int n, int p) {
    this.n = n;
    this.p = p;
  }

  public int scryptN() {
    return n;
  }

  public int scryptP() {
    return p;
  }
}
