package org.callchain.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.callchain.chain.RegistryAdmin.Role;
import org.callchain.chain.internal.web3j.ContractCalls;
import org.callchain.chain.internal.web3j.ContractReads;
import org.callchain.chain.internal.web3j.JsonRpc;
import org.callchain.chain.internal.web3j.SigningAccount;
import org.callchain.contracts.generated.DeviceRegistry;
import org.callchain.contracts.generated.LedgerAnchor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * DeviceRegistry and LedgerAnchor as deployed by the build, exercised from Java against a real
 * Anvil. Each test uses its own fresh dev accounts where state matters.
 */
class ContractsInteropIT {
  private static AnvilChain chain;
  private static ChainConnection connection;
  private static JsonRpc rpc;
  private static RegistryAdmin admin;

  @BeforeAll
  static void startChain() throws Exception {
    chain = AnvilChain.start(Duration.ZERO);
    connection = chain.connect();
    rpc = new JsonRpc(chain.anvil.rpcUrl(), Duration.ofSeconds(10));
    admin = Chains.registryAdmin(connection, chain.key(0));
  }

  @AfterAll
  static void stopChain() {
    if (rpc != null) {
      rpc.close();
    }
    if (connection != null) {
      connection.close();
    }
    if (chain != null) {
      chain.close();
    }
  }

  private static SigningAccount account(int index) {
    return new SigningAccount(rpc, chain.anvil.chainId(), chain.key(index));
  }

  private static TransactionReceipt anchor(int deviceIndex, long size) throws ChainException {
    byte[] root = new byte[32];
    root[0] = (byte) size;
    root[31] = 0x5a;
    return account(deviceIndex)
        .sendAndWait(
            Optional.of(chain.deployment.contracts().anchor()),
            ContractCalls.anchor(new AnchorCheckpoint(size, new RootHash(root))),
            "anchor",
            Duration.ofSeconds(10));
  }

  @Test
  void deployerIsAdminAndRegistrarAndTheLastAdminCannotLeave() throws Exception {
    DeviceAddress deployer = chain.address(0);
    assertThat(admin.hasRole(Role.ADMIN, deployer)).isTrue();
    assertThat(admin.hasRole(Role.REGISTRAR, deployer)).isTrue();
    assertThatThrownBy(() -> admin.revokeRole(Role.ADMIN, deployer))
        .isInstanceOf(ChainException.class)
        .hasMessageContaining("it is the last admin");
  }

  @Test
  void adminGrantsAndRevokesTheRegistrarRole() throws Exception {
    DeviceAddress helper = chain.address(1);
    admin.grantRole(Role.REGISTRAR, helper);
    RegistryAdmin asHelper = Chains.registryAdmin(connection, chain.key(1));
    asHelper.register(chain.address(9), "sip:helper-registered@example.com");
    assertThat(admin.hasRole(Role.REGISTRAR, helper)).isTrue();

    admin.revokeRole(Role.REGISTRAR, helper);
    assertThat(admin.hasRole(Role.REGISTRAR, helper)).isFalse();
    assertThatThrownBy(() -> asHelper.revoke(chain.address(9)))
        .isInstanceOf(ChainException.class)
        .hasMessageContaining("lacks the role registrar");
  }

  @Test
  void refusesRegistrationByANonRegistrarWithTheDecodedReason() {
    RegistryAdmin stranger = Chains.registryAdmin(connection, chain.key(2));
    assertThatThrownBy(() -> stranger.register(chain.address(2), "sip:mallory@example.com"))
        .isInstanceOf(ChainException.class)
        .satisfies(
            e ->
                assertThat(((ChainException) e).reason()).isEqualTo(ChainException.Reason.REVERTED))
        .hasMessageContaining("lacks the role registrar");
  }

  @Test
  void registersRevokesAndRotatesWithAnEventForEachChange() throws Exception {
    DeviceAddress desk = DeviceAddress.parse("0x00000000000000000000000000000000000d0001");
    DeviceAddress newKey = DeviceAddress.parse("0x00000000000000000000000000000000000d0002");
    DeviceAddress registry = chain.deployment.contracts().registry();
    SigningAccount registrar = account(0);
    ContractReads reads = new ContractReads(rpc, registry, chain.deployment.contracts().anchor());

    TransactionReceipt registered =
        registrar.sendAndWait(
            Optional.of(registry),
            ContractCalls.register(desk, "sip:alice@example.com"),
            "register",
            Duration.ofSeconds(10));
    assertThat(DeviceRegistry.getDeviceRegisteredEvents(registered))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.device).isEqualToIgnoringCase(desk.hex());
              assertThat(e.sipIdentity).isEqualTo("sip:alice@example.com");
            });
    assertThat(reads.device(desk))
        .hasValueSatisfying(d -> assertThat(d.activeFor("sip:alice@example.com")).isTrue());

    assertThatThrownBy(() -> admin.register(desk, "sip:again@example.com"))
        .hasMessageContaining("already in the registry");

    TransactionReceipt rotated =
        registrar.sendAndWait(
            Optional.of(registry),
            ContractCalls.rotate(desk, newKey),
            "rotate",
            Duration.ofSeconds(10));
    assertThat(DeviceRegistry.getDeviceRotatedEvents(rotated))
        .singleElement()
        .satisfies(e -> assertThat(e.newDevice).isEqualToIgnoringCase(newKey.hex()));
    assertThat(reads.device(desk))
        .hasValueSatisfying(
            d -> {
              assertThat(d.status()).isEqualTo(DeviceStatus.ROTATED);
              assertThat(d.successor()).contains(newKey);
            });
    assertThat(reads.device(newKey))
        .hasValueSatisfying(d -> assertThat(d.activeFor("sip:alice@example.com")).isTrue());

    TransactionReceipt revoked =
        registrar.sendAndWait(
            Optional.of(registry), ContractCalls.revoke(newKey), "revoke", Duration.ofSeconds(10));
    assertThat(DeviceRegistry.getDeviceRevokedEvents(revoked)).hasSize(1);
    assertThat(reads.device(newKey))
        .hasValueSatisfying(d -> assertThat(d.status()).isEqualTo(DeviceStatus.REVOKED));
    assertThatThrownBy(() -> admin.revoke(newKey))
        .hasMessageContaining("is not an active registered device");
  }

  @Test
  void anchorsGrowStrictlyAndTheLatestIsReadable() throws Exception {
    admin.register(chain.address(3), "sip:bob@example.com");

    TransactionReceipt first = anchor(3, 5);
    assertThat(LedgerAnchor.getAnchoredEvents(first))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.treeSize.longValue()).isEqualTo(5);
              assertThat(e.previousSize.longValue()).isZero();
              assertThat(e.rootHash[0]).isEqualTo((byte) 5);
              assertThat(e.timestamp.longValue()).isPositive();
            });
    assertThatThrownBy(() -> anchor(3, 5))
        .hasMessageContaining("tree size 5 is not greater than the anchored size 5");
    assertThatThrownBy(() -> anchor(3, 4)).hasMessageContaining("not greater");
    TransactionReceipt second = anchor(3, 6);
    assertThat(LedgerAnchor.getAnchoredEvents(second).get(0).previousSize.longValue()).isEqualTo(5);

    assertThat(Chains.anchorHistory(connection, chain.address(3), 0))
        .extracting(
            a -> a.checkpoint().treeSize(),
            OnChainAnchor::previousSize,
            OnChainAnchor::transactionHash)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(5L, 0L, first.getTransactionHash()),
            org.assertj.core.groups.Tuple.tuple(6L, 5L, second.getTransactionHash()));
    ContractReads reads =
        new ContractReads(
            rpc, chain.deployment.contracts().registry(), chain.deployment.contracts().anchor());
    var latest = reads.latestAnchor(chain.address(3));
    assertThat(latest.component1().longValue()).isEqualTo(6);
    assertThat(latest.component2()).isEqualTo(second.getBlockNumber());
    assertThat(latest.component3()[0]).isEqualTo((byte) 6);
  }

  @Test
  void refusesAnchorsFromUnregisteredAndRevokedDevices() throws Exception {
    assertThatThrownBy(() -> anchor(4, 1))
        .hasMessageContaining("is not an active registered device");
    admin.register(chain.address(5), "sip:carol@example.com");
    anchor(5, 1);
    admin.revoke(chain.address(5));
    assertThatThrownBy(() -> anchor(5, 2))
        .hasMessageContaining("is not an active registered device");
  }
}
