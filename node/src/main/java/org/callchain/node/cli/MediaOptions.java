package org.callchain.node.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import org.callchain.media.AudioSinkSpec;
import org.callchain.media.AudioSourceSpec;
import org.callchain.media.MediaConfig;
import org.callchain.media.MediaEngine;
import org.callchain.media.MediaEngines;
import picocli.CommandLine.Option;

/** The media options shared by {@code phone} and {@code call}; builds the real RTP engine. */
final class MediaOptions {
  @Option(
      names = "--codec",
      paramLabel = "LIST",
      defaultValue = "PCMU,PCMA,opus",
      description = "Audio codecs in preference order (default: ${DEFAULT-VALUE}).")
  String codecs;

  @Option(
      names = "--rtp-ports",
      paramLabel = "MIN-MAX",
      defaultValue = "20000-29999",
      description = "RTP port range (default: ${DEFAULT-VALUE}).")
  String rtpPorts;

  @Option(
      names = "--play",
      paramLabel = "SOURCE",
      defaultValue = "silence",
      description = "Audio to send: a WAV file, tone:HZ, device[:NAME] or silence (default).")
  String play;

  @Option(
      names = "--record-dir",
      paramLabel = "DIR",
      description = "Record every call as WAV into this directory.")
  Path recordDir;

  /** Opens the RTP engine on {@code bind}; bad values give one clear line. */
  MediaEngine open(String bind) {
    try {
      MediaConfig.Builder b =
          MediaConfig.builder()
              .bindAddress(InetAddress.getByName(bind))
              .codecs(codecs)
              .source(AudioSourceSpec.parse(play))
              .sink(new AudioSinkSpec.Discard());
      String[] range = rtpPorts.split("-", 2);
      if (range.length != 2) {
        throw new IllegalArgumentException("--rtp-ports must be MIN-MAX, not '" + rtpPorts + "'");
      }
      b.portRange(Integer.parseInt(range[0].strip()), Integer.parseInt(range[1].strip()));
      if (recordDir != null) {
        b.recordDirectory(recordDir).recordByDefault(true);
      }
      return MediaEngines.rtp(b.build());
    } catch (UnknownHostException e) {
      throw new CliException("--bind: unknown address '" + bind + "'", 2);
    } catch (NumberFormatException e) {
      throw new CliException("--rtp-ports must be MIN-MAX with numbers, not '" + rtpPorts + "'", 2);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage(), 2);
    }
  }
}
