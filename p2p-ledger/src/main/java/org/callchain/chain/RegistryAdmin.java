package org.callchain.chain;

/**
 * Changes to the registry, sent by an account holding the registrar (devices) or admin (roles)
 * role. Each call is simulated first, so a refusal comes back as a {@link ChainException} with the
 * contract's decoded reason and no gas spent; each returns once the transaction is mined.
 */
public interface RegistryAdmin {

  /** Role names of {@code DeviceRegistry}. */
  enum Role {
    ADMIN("callchain.role.admin"),
    REGISTRAR("callchain.role.registrar");

    private final String label;

    Role(String label) {
      this.label = label;
    }

    /** The preimage of the role id: the contract uses keccak256 of this label. */
    public String label() {
      return label;
    }
  }

  String register(DeviceAddress device, String sipIdentity) throws ChainException;

  String revoke(DeviceAddress device) throws ChainException;

  String rotate(DeviceAddress oldDevice, DeviceAddress newDevice) throws ChainException;

  String grantRole(Role role, DeviceAddress account) throws ChainException;

  String revokeRole(Role role, DeviceAddress account) throws ChainException;

  boolean hasRole(Role role, DeviceAddress account) throws ChainException;
}
