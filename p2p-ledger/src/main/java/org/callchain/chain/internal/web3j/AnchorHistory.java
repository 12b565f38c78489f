package org.callchain.chain.internal.web3j;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.callchain.chain.AnchorCheckpoint;
import org.callchain.chain.ChainException;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.OnChainAnchor;
import org.callchain.chain.RootHash;
import org.callchain.contracts.generated.LedgerAnchor;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Reads a device's {@code Anchored} events ({@code eth_getLogs} filtered by the indexed device
 * topic), in chain order, in bounded block ranges as public endpoints require.
 */
public final class AnchorHistory {
  private static final long RANGE = 50_000;

  private AnchorHistory() {}

  public static List<OnChainAnchor> of(Web3jChainConnection c, DeviceAddress device, long fromBlock)
      throws ChainException {
    long latest = c.blockNumber();
    String topic = EventEncoder.encode(LedgerAnchor.ANCHORED_EVENT);
    String deviceTopic = "0x" + "0".repeat(24) + device.hex().substring(2);
    List<OnChainAnchor> out = new ArrayList<>();
    for (long from = fromBlock; from <= latest; from += RANGE) {
      long to = Math.min(latest, from + RANGE - 1);
      EthFilter filter =
          new EthFilter(
              DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
              DefaultBlockParameter.valueOf(BigInteger.valueOf(to)),
              c.contracts().anchor().hex());
      filter.addSingleTopic(topic);
      filter.addSingleTopic(deviceTopic);
      EthLog logs =
          c.rpc().send(c.rpc().web3j().ethGetLogs(filter), "reading anchors of " + device);
      for (EthLog.LogResult<?> r : logs.getLogs()) {
        Log log = (Log) r.get();
        LedgerAnchor.AnchoredEventResponse e = LedgerAnchor.getAnchoredEventFromLog(log);
        out.add(
            new OnChainAnchor(
                device,
                new AnchorCheckpoint(e.treeSize.longValueExact(), new RootHash(e.rootHash)),
                e.previousSize.longValueExact(),
                Instant.ofEpochSecond(e.timestamp.longValueExact()),
                log.getTransactionHash(),
                log.getBlockNumber().longValueExact(),
                log.getBlockHash()));
      }
    }
    return out;
  }
}
