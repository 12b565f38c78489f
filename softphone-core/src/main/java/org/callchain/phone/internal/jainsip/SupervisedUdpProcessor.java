package org.callchain.phone.internal.jainsip;

import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.UDPMessageChannel;
import gov.nist.javax.sip.stack.UDPMessageProcessor;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JAIN-SIP UDP listening point that cannot be made deaf by overload. The RI's reader allocates a
 * {@code MAX_MESSAGE_SIZE} buffer per datagram, queues it without bound, and dies on the first
 * {@link Error}; under a flood the queue fills the heap, the {@link OutOfMemoryError} kills the
 * reader, and the phone never receives again. Here:
 *
 * <ul>
 *   <li>the reader receives into one reused buffer and queues an exact-size copy;
 *   <li>the queue holds at most {@link #QUEUE_LIMIT} datagrams; beyond that datagrams are dropped
 *       and counted, as the network would drop them (RFC 3261 §17: UDP senders retransmit);
 *   <li>above half of that, INVITEs are dropped first: the ACKs, BYEs and responses that finish
 *       calls already taken get the room, and new work waits (RFC 6357 §4: reject new sessions
 *       before the ones in progress suffer);
 *   <li>an {@link Error} in the reader or a worker is logged, the backlog is shed, and the thread
 *       carries on; if the reader thread ends anyway while the point is running, a new one starts.
 * </ul>
 *
 * Workers are the RI's own {@link UDPMessageChannel}s (parse, transactions, listener), kept alive
 * across errors by {@link Worker}.
 */
final class SupervisedUdpProcessor extends UDPMessageProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(SupervisedUdpProcessor.class);

  /**
   * Datagrams waiting for a worker. At 1,000 calls/s (about 5 datagrams a call) this is 0.2 s of
   * traffic, and at most a few MB of heap.
   */
  static final int QUEUE_LIMIT = 4096;

  /** Above this many queued datagrams, INVITEs are shed before anything else. */
  static final int INVITE_SHEDDING_THRESHOLD = QUEUE_LIMIT / 2;

  private static final long DROP_REPORT_EVERY = 10_000;
  private static final byte[] INVITE = {'I', 'N', 'V', 'I', 'T', 'E', ' '};

  private final int bufferSize;
  private final int workers;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong shedInvites = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();

  SupervisedUdpProcessor(InetAddress address, SIPTransactionStack stack, int port)
      throws IOException {
    super(address, stack, port);
    this.messageQueue = new LinkedBlockingQueue<>(QUEUE_LIMIT);
    int max = stack.getMaxMessageSize();
    this.bufferSize = max > 0 && max < 65535 ? max : 65535;
    this.workers = StackProperties.UDP_WORKER_THREADS;
  }

  @Override
  public void start() throws IOException {
    isRunning = true;
    LinkedList<UDPMessageChannel> channels = new LinkedList<>();
    for (int i = 0; i < workers; i++) {
      channels.add(new Worker(getSIPStack(), this, threadName("worker-" + i)));
    }
    messageChannels = channels; // closed by the RI's stop()
    startReader();
  }

  private String threadName(String role) {
    return "sip-udp-" + getIpAddress().getHostAddress() + "/" + getPort() + "-" + role;
  }

  private void startReader() {
    Thread t = new Thread(this, threadName("reader"));
    t.setDaemon(true);
    t.setUncaughtExceptionHandler(
        (thread, e) -> {
          if (isRunning) {
            LOG.error("SIP UDP reader on port {} died; starting a new one", getPort(), e);
            startReader();
          }
        });
    t.start();
  }

  @Override
  public void run() {
    byte[] buffer = new byte[bufferSize];
    while (isRunning) {
      try {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        sock.receive(packet);
        if (messageQueue.size() > INVITE_SHEDDING_THRESHOLD
            && startsWith(buffer, packet.getLength(), INVITE)) {
          long n = shedInvites.incrementAndGet();
          if (n == 1 || n % DROP_REPORT_EVERY == 0) {
            LOG.warn(
                "SIP UDP port {} overloaded: {} INVITEs shed so far to finish calls in progress",
                getPort(),
                n);
          }
          continue;
        }
        byte[] exact = Arrays.copyOf(buffer, packet.getLength());
        DatagramPacket copy =
            new DatagramPacket(exact, exact.length, packet.getAddress(), packet.getPort());
        if (!messageQueue.offer(
            new DatagramQueuedMessageDispatch(copy, System.currentTimeMillis()))) {
          long n = dropped.incrementAndGet();
          if (n == 1 || n % DROP_REPORT_EVERY == 0) {
            LOG.warn(
                "SIP UDP port {} overloaded: {} datagrams dropped so far (queue of {} full)",
                getPort(),
                n,
                QUEUE_LIMIT);
          }
        }
      } catch (SocketException e) {
        if (!isRunning) {
          return;
        }
        if (sock.isClosed()) {
          LOG.error("SIP UDP socket on port {} closed under a running stack", getPort(), e);
          return;
        }
        LOG.warn("SIP UDP receive on port {} failed: {}", getPort(), e.toString());
      } catch (IOException | RuntimeException e) {
        LOG.warn("SIP UDP receive on port {} failed: {}", getPort(), e.toString());
      } catch (OutOfMemoryError e) {
        onError(e);
      }
    }
  }

  private static boolean startsWith(byte[] data, int length, byte[] prefix) {
    if (length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (data[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** An Error in the reader or a worker: shed the backlog so the heap can recover, and report. */
  void onError(Error e) {
    messageQueue.clear();
    long n = errors.incrementAndGet();
    if (n == 1 || n % 100 == 0) {
      LOG.error(
          "SIP UDP port {}: {} (error {}); queued datagrams dropped, receiving goes on",
          getPort(),
          e.toString(),
          n);
    }
  }

  boolean running() {
    return isRunning;
  }

  /**
   * The RI's worker (parse, transaction layer, listener) kept alive across errors: the RI version
   * catches only {@link Exception}, so one OutOfMemoryError while parsing would end the thread.
   */
  private static final class Worker extends UDPMessageChannel {
    Worker(SIPTransactionStack stack, SupervisedUdpProcessor processor, String name) {
      super(stack, processor, name);
    }

    @Override
    public void run() {
      // Called from the RI's constructor, so only state set by the RI is used here.
      SupervisedUdpProcessor processor = (SupervisedUdpProcessor) getMessageProcessor();
      while (processor.running()) {
        try {
          super.run();
          return;
        } catch (Error e) {
          processor.onError(e);
        }
      }
    }
  }
}
