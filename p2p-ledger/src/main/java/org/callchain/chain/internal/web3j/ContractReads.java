package org.callchain.chain.internal.web3j;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.callchain.chain.ChainException;
import org.callchain.chain.ChainException.Reason;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.DeviceRecord;
import org.callchain.chain.DeviceStatus;
import org.callchain.contracts.generated.DeviceRegistry;
import org.callchain.contracts.generated.LedgerAnchor;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.tuples.generated.Tuple3;
import org.web3j.tuples.generated.Tuple5;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.exceptions.ContractCallException;
import org.web3j.tx.gas.StaticGasProvider;

/**
 * Read-only calls through the generated wrappers, with failures mapped to {@link ChainException}.
 */
public final class ContractReads {
  private static final DeviceAddress NOBODY = new DeviceAddress(new byte[20]);

  private final DeviceRegistry registry;
  private final LedgerAnchor anchor;

  public ContractReads(JsonRpc rpc, DeviceAddress registryAddress, DeviceAddress anchorAddress) {
    var readOnly = new ReadonlyTransactionManager(rpc.web3j(), NOBODY.hex());
    var noGas = new StaticGasProvider(BigInteger.ZERO, BigInteger.ZERO);
    this.registry = DeviceRegistry.load(registryAddress.hex(), rpc.web3j(), readOnly, noGas);
    this.anchor = LedgerAnchor.load(anchorAddress.hex(), rpc.web3j(), readOnly, noGas);
  }

  /** Reads at this block from now on (consistent paging), or at latest when empty. */
  public void atBlock(Optional<Long> block) {
    DefaultBlockParameter at =
        block
            .map(b -> DefaultBlockParameter.valueOf(BigInteger.valueOf(b)))
            .orElse(org.web3j.protocol.core.DefaultBlockParameterName.LATEST);
    registry.setDefaultBlockParameter(at);
    anchor.setDefaultBlockParameter(at);
  }

  public long deviceCount() throws ChainException {
    return call(registry.deviceCount(), "reading the device count").longValueExact();
  }

  public List<DeviceAddress> devicesPage(long offset, long limit) throws ChainException {
    List<?> page =
        call(
            registry.devicesPage(BigInteger.valueOf(offset), BigInteger.valueOf(limit)),
            "listing devices");
    return page.stream().map(a -> DeviceAddress.parse(a.toString())).toList();
  }

  public Optional<DeviceRecord> device(DeviceAddress address) throws ChainException {
    Tuple5<BigInteger, String, BigInteger, BigInteger, String> d =
        call(registry.getDevice(address.hex()), "reading device " + address);
    DeviceStatus status = DeviceStatus.fromCode(d.component1().intValueExact());
    if (status == DeviceStatus.UNKNOWN) {
      return Optional.empty();
    }
    DeviceAddress successor = DeviceAddress.parse(d.component5());
    return Optional.of(
        new DeviceRecord(
            address,
            status,
            d.component2(),
            d.component3().longValueExact(),
            d.component4().longValueExact(),
            successor.equals(NOBODY) ? Optional.empty() : Optional.of(successor)));
  }

  public boolean hasRole(byte[] role, DeviceAddress account) throws ChainException {
    return call(registry.hasRole(role, account.hex()), "reading a role");
  }

  /** (tree size, block, first 16 bytes of the root) of a device's latest anchor. */
  public Tuple3<BigInteger, BigInteger, byte[]> latestAnchor(DeviceAddress device)
      throws ChainException {
    return call(anchor.latestAnchor(device.hex()), "reading the latest anchor of " + device);
  }

  /** The registry the anchor contract was deployed against (its immutable {@code registry}). */
  public DeviceAddress registryOfAnchor() throws ChainException {
    return DeviceAddress.parse(call(anchor.registry(), "reading the anchor contract's registry"));
  }

  static <T> T call(RemoteFunctionCall<T> call, String what) throws ChainException {
    try {
      return call.send();
    } catch (IOException e) {
      throw new ChainException(
          Reason.UNREACHABLE, "JSON-RPC endpoint unreachable (" + what + "): " + e.getMessage(), e);
    } catch (ContractCallException e) {
      throw new ChainException(
          Reason.REVERTED, "contract refused (" + what + "): " + e.getMessage(), e);
    } catch (Exception e) {
      throw new ChainException(
          Reason.UNREACHABLE, "reading the chain failed (" + what + "): " + e, e);
    }
  }
}
