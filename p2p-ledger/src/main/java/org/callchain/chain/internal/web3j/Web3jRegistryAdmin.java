package org.callchain.chain.internal.web3j;

import java.time.Duration;
import java.util.Optional;
import org.callchain.chain.ChainException;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.RegistryAdmin;

/** Registry changes signed by a registrar or admin key; each waits for its receipt. */
public final class Web3jRegistryAdmin implements RegistryAdmin {
  private static final Duration RECEIPT_TIMEOUT = Duration.ofMinutes(2);

  private final SigningAccount account;
  private final DeviceAddress registry;
  private final ContractReads reads;

  public Web3jRegistryAdmin(SigningAccount account, Web3jChainConnection connection) {
    this.account = account;
    this.registry = connection.contracts().registry();
    this.reads = new ContractReads(connection.rpc(), registry, connection.contracts().anchor());
  }

  @Override
  public String register(DeviceAddress device, String sipIdentity) throws ChainException {
    return send(ContractCalls.register(device, sipIdentity), "registering " + device);
  }

  @Override
  public String revoke(DeviceAddress device) throws ChainException {
    return send(ContractCalls.revoke(device), "revoking " + device);
  }

  @Override
  public String rotate(DeviceAddress oldDevice, DeviceAddress newDevice) throws ChainException {
    return send(
        ContractCalls.rotate(oldDevice, newDevice), "rotating " + oldDevice + " to " + newDevice);
  }

  @Override
  public String grantRole(Role role, DeviceAddress account) throws ChainException {
    return send(ContractCalls.grantRole(role, account), "granting " + role + " to " + account);
  }

  @Override
  public String revokeRole(Role role, DeviceAddress account) throws ChainException {
    return send(ContractCalls.revokeRole(role, account), "revoking " + role + " of " + account);
  }

  @Override
  public boolean hasRole(Role role, DeviceAddress account) throws ChainException {
    return reads.hasRole(ContractCalls.roleId(role), account);
  }

  private String send(String data, String what) throws ChainException {
    return account
        .sendAndWait(Optional.of(registry), data, what, RECEIPT_TIMEOUT)
        .getTransactionHash();
  }
}
