package org.callchain.chain.internal.web3j;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.callchain.chain.AnchorCheckpoint;
import org.callchain.chain.AnchorStatement;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.RegistryAdmin.Role;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Hash;

/**
 * ABI-encoded calldata (Solidity ABI spec, "Function Selector and Argument Encoding") for the
 * state-changing functions we sign ourselves. The generated wrappers send through web3j's
 * transaction managers, which would take nonces out of our hands; reads go through them.
 */
public final class ContractCalls {
  private ContractCalls() {}

  public static String anchor(AnchorCheckpoint checkpoint) {
    return encode(
        "anchor",
        new Uint64(BigInteger.valueOf(checkpoint.treeSize())),
        new Bytes32(checkpoint.root().bytes()));
  }

  /**
   * {@code anchorBatch(uint64[],bytes32[],bytes32[],bytes32[])}: parallel arrays, one per field.
   */
  public static String anchorBatch(List<AnchorStatement> statements) {
    List<Uint64> sizes = new ArrayList<>();
    List<Bytes32> roots = new ArrayList<>();
    List<Bytes32> rs = new ArrayList<>();
    List<Bytes32> vss = new ArrayList<>();
    for (AnchorStatement s : statements) {
      sizes.add(new Uint64(BigInteger.valueOf(s.checkpoint().treeSize())));
      roots.add(new Bytes32(s.checkpoint().root().bytes()));
      rs.add(new Bytes32(s.r()));
      vss.add(new Bytes32(s.yParityAndS()));
    }
    return encode(
        "anchorBatch",
        new DynamicArray<>(Uint64.class, sizes),
        new DynamicArray<>(Bytes32.class, roots),
        new DynamicArray<>(Bytes32.class, rs),
        new DynamicArray<>(Bytes32.class, vss));
  }

  public static String register(DeviceAddress device, String sipIdentity) {
    return encode("register", address(device), new Utf8String(sipIdentity));
  }

  public static String revoke(DeviceAddress device) {
    return encode("revoke", address(device));
  }

  public static String rotate(DeviceAddress oldDevice, DeviceAddress newDevice) {
    return encode("rotate", address(oldDevice), address(newDevice));
  }

  public static String grantRole(Role role, DeviceAddress account) {
    return encode("grantRole", new Bytes32(roleId(role)), address(account));
  }

  public static String revokeRole(Role role, DeviceAddress account) {
    return encode("revokeRole", new Bytes32(roleId(role)), address(account));
  }

  public static byte[] roleId(Role role) {
    return Hash.sha3(role.label().getBytes(StandardCharsets.US_ASCII));
  }

  private static Address address(DeviceAddress device) {
    return new Address(device.hex());
  }

  @SuppressWarnings("rawtypes")
  private static String encode(String name, Type... args) {
    return FunctionEncoder.encode(new Function(name, List.of(args), Collections.emptyList()));
  }
}
