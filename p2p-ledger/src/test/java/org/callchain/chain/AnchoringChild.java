package org.callchain.chain;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.web3j.crypto.Credentials;

/**
 * The process {@link AnchorServiceKillInteropIT} kills: it runs the anchor service of the device
 * whose key is in {@code $CALLCHAIN_TEST_DEVICE_KEY}, queues the checkpoints of sizes {@code from}
 * to {@code to} (printing {@code QUEUED <size>} once {@code anchorNow} returned, i.e. the entry is
 * on disk), then prints {@code STATUS <queued> <inFlight> <confirmed>} every 100 ms, and {@code
 * DRAINED} once nothing is left, until it is killed.
 *
 * <p>Arguments: rpc URL, registry, anchor, data dir, from, to.
 */
public final class AnchoringChild {
  private AnchoringChild() {}

  public static void main(String[] args) throws Exception {
    ChainConfig config =
        ChainConfig.defaults(Path.of(args[3]))
            .withRemote(
                URI.create(args[0]),
                ChainConfig.ANVIL_CHAIN_ID,
                new ContractAddresses(DeviceAddress.parse(args[1]), DeviceAddress.parse(args[2])))
            .withConfirmations(2)
            .withPollInterval(Duration.ofMillis(100));
    Credentials key = Credentials.create(System.getenv("CALLCHAIN_TEST_DEVICE_KEY"));
    long from = Long.parseLong(args[4]);
    long to = Long.parseLong(args[5]);
    try (ChainConnection connection = Chains.connect(config);
        AnchorService service = Chains.anchorService(connection, config, key)) {
      for (long size = from; size <= to; size++) {
        service.anchorNow(AnchorServiceInteropIT.checkpoint(size));
        System.out.println("QUEUED " + size);
        System.out.flush();
      }
      while (true) {
        AnchorStatus s = service.status();
        System.out.println(
            "STATUS " + s.queued() + " " + s.inFlight() + " " + service.confirmed().size());
        if (s.queued() == 0 && s.inFlight() == 0) {
          System.out.println("DRAINED");
        }
        System.out.flush();
        Thread.sleep(100);
      }
    }
  }
}
