package org.callchain.chain.internal.web3j;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.callchain.chain.ChainException;
import org.callchain.chain.ChainException.Reason;
import org.callchain.chain.ContractAddresses;
import org.callchain.chain.Deployment;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.RegistryAdmin.Role;
import org.callchain.contracts.generated.DeviceRegistry;
import org.callchain.contracts.generated.LedgerAnchor;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Deploys {@code DeviceRegistry}, then {@code LedgerAnchor} pointing at it, from an admin account
 * (which becomes admin and registrar), and grants the registrar role to any further accounts.
 * Bytecode comes from the wrappers generated at build time, so what is deployed is what the pinned
 * solc compiled from {@code contracts/src/main/solidity}.
 */
public final class ContractDeployer {
  private static final Duration RECEIPT_TIMEOUT = Duration.ofMinutes(2);

  private ContractDeployer() {}

  public static Deployment deploy(
      SigningAccount admin, long chainId, List<DeviceAddress> registrars) throws ChainException {
    long chainIdSeen = Web3jChainConnection.readChainId(admin.rpc());
    if (chainIdSeen != chainId) {
      throw new ChainException(
          Reason.WRONG_CHAIN_ID,
          "the endpoint "
              + admin.rpc().url()
              + " serves chain id "
              + chainIdSeen
              + ", but chain id "
              + chainId
              + " is configured");
    }
    requireFunds(admin);
    TransactionReceipt registryReceipt =
        admin.sendAndWait(
            Optional.empty(),
            "0x" + DeviceRegistry.BINARY,
            "deploying DeviceRegistry",
            RECEIPT_TIMEOUT);
    DeviceAddress registry = DeviceAddress.parse(registryReceipt.getContractAddress());
    String anchorCode =
        "0x"
            + LedgerAnchor.BINARY
            + FunctionEncoder.encodeConstructor(List.of(new Address(registry.hex())));
    TransactionReceipt anchorReceipt =
        admin.sendAndWait(Optional.empty(), anchorCode, "deploying LedgerAnchor", RECEIPT_TIMEOUT);
    DeviceAddress anchor = DeviceAddress.parse(anchorReceipt.getContractAddress());
    for (DeviceAddress registrar : registrars) {
      admin.sendAndWait(
          Optional.of(registry),
          ContractCalls.grantRole(Role.REGISTRAR, registrar),
          "granting the registrar role to " + registrar,
          RECEIPT_TIMEOUT);
    }
    return new Deployment(
        chainId,
        new ContractAddresses(registry, anchor),
        admin.address(),
        registryReceipt.getBlockNumber().longValueExact());
  }

  private static void requireFunds(SigningAccount admin) throws ChainException {
    JsonRpc rpc = admin.rpc();
    var balance =
        rpc.send(
                rpc.web3j()
                    .ethGetBalance(
                        admin.address().hex(),
                        org.web3j.protocol.core.DefaultBlockParameterName.LATEST),
                "reading the deployer balance")
            .getBalance();
    if (balance.signum() == 0) {
      throw new ChainException(
          Reason.UNFUNDED_ACCOUNT,
          "deployer account " + admin.address() + " has no ether: fund it to pay for deployment");
    }
  }
}
