package org.callchain.phone.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * baresip as a second, independent SIP user agent on 127.0.0.1. It gets its own config directory
 * ({@code -f DIR}) with one local account that needs no registrar and answers automatically ({@code
 * ;answermode=auto}), audio from the {@code ausine} tone generator and no audio player (no sound
 * card needed), and the {@code ctrl_tcp} module: commands ({@code dial}, {@code hangup}, {@code
 * quit}) and call events ({@code CALL_ESTABLISHED}, {@code CALL_CLOSED}, ...) go over a loopback
 * TCP socket as JSON netstrings, which is sturdier than scraping the console. Its stdout is kept in
 * a log file for failure messages.
 *
 * <p>Quirks of baresip 1.0 (Debian 12): {@code ausine} only produces 48 kHz stereo, so the config
 * sets {@code ausrc_srate}/{@code ausrc_channels}; at most {@code call_max_calls} calls at once
 * (default 4), raised for load runs.
 */
public final class Baresip implements AutoCloseable {
  private final Path dir;
  private final int sipPort;
  private final int ctrlPort;
  private final ManagedProcess process;
  private final BaresipControl control;

  private Baresip(Path dir, int sipPort, int ctrlPort, ManagedProcess process, BaresipControl c) {
    this.dir = dir;
    this.sipPort = sipPort;
    this.ctrlPort = ctrlPort;
    this.process = process;
    this.control = c;
  }

  /** Starts baresip with an auto-answering account; returns once its control socket is up. */
  public static Baresip start() throws InterruptedException {
    return start(8);
  }

  /** As {@link #start()}, allowing {@code maxCalls} simultaneous calls. */
  public static Baresip start(int maxCalls) throws InterruptedException {
    return start(maxCalls, true);
  }

  /** A baresip that rings on incoming calls and never answers them (for CANCEL tests). */
  public static Baresip startWithoutAnswering() throws InterruptedException {
    return start(8, false);
  }

  /**
   * An auto-answering baresip whose audio comes from {@code wav} (the {@code aufile} module; the
   * file's rate and channel count must be the source's, so the config follows the file) and whose
   * decoded incoming audio is written by the {@code sndfile} module as {@code *-dec.wav} into
   * {@code dumpDir}.
   */
  public static Baresip startPlaying(Path wav, int sampleRate, int channels, Path dumpDir)
      throws InterruptedException {
    List<String> audio =
        List.of(
            "audio_source aufile," + wav,
            "ausrc_srate " + sampleRate,
            "ausrc_channels " + channels,
            "module aufile.so",
            "module sndfile.so",
            "snd_path " + dumpDir);
    return start(8, true, audio);
  }

  private static Baresip start(int maxCalls, boolean autoAnswer) throws InterruptedException {
    return start(
        maxCalls,
        autoAnswer,
        List.of(
            "audio_source ausine,440",
            "ausrc_srate 48000",
            "ausrc_channels 2",
            "module ausine.so"));
  }

  private static Baresip start(int maxCalls, boolean autoAnswer, List<String> audio)
      throws InterruptedException {
    Path exe = ExternalTool.BARESIP.require();
    Path dir;
    try {
      dir = Files.createTempDirectory("callchain-baresip-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int sipPort = FreePorts.udpAndTcpWithTcpSuccessor(); // SIP/TLS on sipPort + 1
    int ctrlPort = FreePorts.udpAndTcp();
    int rtpLow = FreePorts.rtpPair();
    try {
      Files.writeString(dir.resolve("config"), config(sipPort, ctrlPort, rtpLow, maxCalls, audio));
      Files.writeString(dir.resolve("accounts"), account(sipPort, autoAnswer) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ManagedProcess process =
        ManagedProcess.start(
            "baresip", List.of(exe.toString(), "-f", dir.toString()), dir, dir.resolve("out.log"));
    try {
      BaresipControl control = BaresipControl.connect(ctrlPort, process, Duration.ofSeconds(15));
      if (!PortProbe.awaitUdpBound(sipPort, Duration.ofSeconds(5))) {
        throw new AssertionError(
            "baresip did not bind SIP port " + sipPort + ":\n" + process.tail(30));
      }
      return new Baresip(dir, sipPort, ctrlPort, process, control);
    } catch (RuntimeException | InterruptedException | Error e) {
      process.stop();
      TempDirs.deleteRecursively(dir);
      throw e;
    }
  }

  static String config(int sipPort, int ctrlPort, int rtpLow, int maxCalls, List<String> audio) {
    List<String> lines = new java.util.ArrayList<>();
    lines.add("poll_method epoll");
    lines.add("sip_listen 127.0.0.1:" + sipPort);
    lines.add("sip_trans_def udp");
    lines.add("call_max_calls " + maxCalls);
    lines.add("audio_player");
    lines.add("audio_alert");
    // A few ports per call: RTP and RTCP, a spare pair for re-use after close.
    lines.add("rtp_ports " + rtpLow + "-" + Math.min(65534, rtpLow + 4 * maxCalls + 8));
    lines.add("module_path /usr/lib/baresip/modules");
    lines.add("module g711.so");
    lines.add("module menu.so");
    lines.add("module account.so");
    lines.add("module ctrl_tcp.so");
    lines.add("ctrl_tcp_listen 127.0.0.1:" + ctrlPort);
    lines.addAll(audio);
    lines.add("");
    return String.join("\n", lines);
  }

  static String account(int sipPort, boolean autoAnswer) {
    return "<sip:baresip@127.0.0.1:"
        + sipPort
        + ">;regint=0;answermode="
        + (autoAnswer ? "auto" : "manual")
        + ";audio_codecs=PCMU,PCMA";
  }

  /** The URI to call baresip at, over UDP. */
  public String uri() {
    return "sip:baresip@127.0.0.1:" + sipPort;
  }

  public int sipPort() {
    return sipPort;
  }

  public int controlPort() {
    return ctrlPort;
  }

  public Path configDir() {
    return dir;
  }

  /** Places a call ({@code dial}); follow it with {@link #awaitEvent}. */
  public void dial(String uri) {
    control.command("dial", uri);
  }

  /** Hangs up the current call. */
  public void hangup() {
    control.command("hangup", "");
  }

  /** Waits for the next event of this type (events before the call are kept). */
  public BaresipControl.Event awaitEvent(String type, Duration timeout)
      throws InterruptedException {
    return control
        .awaitEvent(type, timeout)
        .orElseThrow(
            () ->
                new AssertionError(
                    "baresip reported no "
                        + type
                        + " within "
                        + timeout
                        + "; events: "
                        + control.eventsSoFar()
                        + "\n--- baresip output ---\n"
                        + process.tail(40)));
  }

  public List<BaresipControl.Event> events() {
    return control.eventsSoFar();
  }

  public String outputTail() {
    return process.tail(40);
  }

  @Override
  public void close() {
    try {
      control.command("quit", "");
      process.awaitExit(Duration.ofSeconds(2));
    } catch (RuntimeException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    } finally {
      control.close();
      process.stop();
      TempDirs.deleteRecursively(dir);
    }
  }
}
