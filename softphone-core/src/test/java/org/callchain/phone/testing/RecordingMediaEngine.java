package org.callchain.phone.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callchain.media.MediaDescription;
import org.callchain.media.MediaEngine;
import org.callchain.media.MediaException;
import org.callchain.media.MediaListener;
import org.callchain.media.MediaOutcome;
import org.callchain.media.MediaQuality;
import org.callchain.media.MediaSession;
import org.callchain.media.MediaSessionOptions;
import org.callchain.media.PayloadFormat;

/**
 * A test double of the media seam: each session binds a real UDP port pair (RTP on an even port,
 * RTCP on the next, RFC 3550 §11) so SDP advertises ports that exist, and records every description
 * applied to it and every DTMF digit sent, for tests to assert on. It moves no audio.
 */
public final class RecordingMediaEngine implements MediaEngine {
  private final String bindAddress;
  private final List<PayloadFormat> formats;
  private final List<Session> sessions = new CopyOnWriteArrayList<>();

  public RecordingMediaEngine(String bindAddress, List<PayloadFormat> formats) {
    this.bindAddress = bindAddress;
    this.formats = List.copyOf(formats);
  }

  /** PCMU, PCMA and telephone-event on 127.0.0.1. */
  public static RecordingMediaEngine loopback() {
    return new RecordingMediaEngine(
        "127.0.0.1",
        List.of(PayloadFormat.PCMU, PayloadFormat.PCMA, PayloadFormat.TELEPHONE_EVENT));
  }

  @Override
  public List<PayloadFormat> supportedFormats() {
    return formats;
  }

  @Override
  public MediaSession open(MediaSessionOptions options) throws MediaException {
    Session s = new Session(options.callId(), bind());
    sessions.add(s);
    return s;
  }

  private DatagramSocket[] bind() throws MediaException {
    InetAddress address;
    try {
      address = InetAddress.getByName(bindAddress);
    } catch (IOException e) {
      throw new MediaException("bad bind address " + bindAddress, e);
    }
    for (int attempt = 0; attempt < 50; attempt++) {
      DatagramSocket rtp = null;
      try {
        rtp = new DatagramSocket(new InetSocketAddress(address, 0));
        int port = rtp.getLocalPort();
        if (port % 2 != 0 || port == 65535) {
          rtp.close();
          continue;
        }
        DatagramSocket rtcp = new DatagramSocket(new InetSocketAddress(address, port + 1));
        return new DatagramSocket[] {rtp, rtcp};
      } catch (SocketException e) {
        if (rtp != null) {
          rtp.close();
        }
      }
    }
    throw new MediaException("no free RTP/RTCP port pair on " + bindAddress);
  }

  /** Every session opened so far, in order. */
  public List<Session> sessions() {
    return List.copyOf(sessions);
  }

  /** The session of a call, if one was opened for it. */
  public Optional<Session> session(String callId) {
    return sessions.stream().filter(s -> s.callId.equals(callId)).findFirst();
  }

  @Override
  public void close() {
    for (Session s : sessions) {
      s.finish();
    }
  }

  /** One recorded leg. */
  public static final class Session implements MediaSession {
    private final String callId;
    private final DatagramSocket rtp;
    private final DatagramSocket rtcp;
    private final InetSocketAddress local;
    private final List<MediaDescription> applied = new CopyOnWriteArrayList<>();
    private final List<Character> dtmfSent = new CopyOnWriteArrayList<>();
    private final List<MediaListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean finished;

    Session(String callId, DatagramSocket[] sockets) {
      this.callId = callId;
      this.rtp = sockets[0];
      this.rtcp = sockets[1];
      this.local = (InetSocketAddress) rtp.getLocalSocketAddress();
    }

    public String callId() {
      return callId;
    }

    @Override
    public InetSocketAddress localRtpAddress() {
      return local;
    }

    @Override
    public void apply(MediaDescription negotiated) throws MediaException {
      if (finished) {
        throw new MediaException("session already finished");
      }
      applied.add(negotiated);
    }

    @Override
    public void sendDtmf(char digit) {
      dtmfSent.add(digit);
    }

    @Override
    public void addListener(MediaListener listener) {
      listeners.add(listener);
    }

    /** Plays the peer: reports a DTMF digit to the listeners as if it had arrived over RTP. */
    public void simulateDtmfReceived(char digit) {
      for (MediaListener l : listeners) {
        l.dtmfReceived(digit);
      }
    }

    @Override
    public MediaQuality quality() {
      return MediaQuality.NONE;
    }

    @Override
    public synchronized MediaOutcome finish() {
      finished = true;
      rtp.close();
      rtcp.close();
      String codec = applied.isEmpty() ? "" : applied.get(0).codec().encodingName();
      return new MediaOutcome(codec, MediaQuality.NONE, Optional.empty());
    }

    /** Every description applied, in order. */
    public List<MediaDescription> applied() {
      return List.copyOf(applied);
    }

    /** The last description applied, if any. */
    public Optional<MediaDescription> last() {
      return applied.isEmpty() ? Optional.empty() : Optional.of(applied.get(applied.size() - 1));
    }

    public List<Character> dtmfSent() {
      return List.copyOf(dtmfSent);
    }

    public boolean isFinished() {
      return finished;
    }

    /** True while the RTP socket is still bound (it is released on finish). */
    public boolean isBound() {
      return !rtp.isClosed();
    }
  }
}
