package org.callchain.ledger;

import java.util.Random;
import org.callchain.identity.DeviceAddress;

/**
 * Synthetic call records for load tests and benchmarks ({@code callchain ledger append-test}):
 * plausible outgoing test calls of {@link CallType#LOAD_TEST} from one device, reproducible from a
 * seed. They are real records in every respect (canonical, signed into the log); only their content
 * is invented, and the call type says so.
 */
public final class SyntheticCalls {
  private final DeviceAddress device;
  private final Random random;
  private final long runId;
  private long sequence;

  public SyntheticCalls(DeviceAddress device, long seed) {
    this.device = device;
    this.random = new Random(seed);
    this.runId = seed;
  }

  public CallRecord next() {
    long n = sequence++;
    long start = System.currentTimeMillis();
    long answer = start + 200 + random.nextInt(800);
    long end = answer + 1000 + random.nextInt(120_000);
    return CallRecord.builder()
        .callId(CallId.of("load-" + runId + "-" + n + "@callchain.test", "f" + n, "t" + n))
        .caller(new CallParty("sip:load@callchain.test", "", device))
        .callee(
            new CallParty("sip:" + (1000 + n % 9000) + "@pbx.test", "" + (1000 + n % 9000), null))
        .direction(CallDirection.OUTGOING)
        .callType(CallType.LOAD_TEST)
        .startMillis(start)
        .answerMillis(answer)
        .endMillis(end)
        .disposition(CallDisposition.ANSWERED)
        .sip(200, "OK")
        .codec("PCMU/8000")
        .network(
            new NetworkDetails(
                "127.0.0.1",
                5060,
                10000 + 2 * random.nextInt(5000),
                "127.0.0.1",
                5062,
                20000 + 2 * random.nextInt(5000),
                CallTransport.UDP))
        .quality(new CallQuality(5000, 5000, random.nextInt(10), random.nextInt(20_000), 430))
        .site("load-test")
        .build();
  }
}
