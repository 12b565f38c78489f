package org.callchain.phone.testing;

import java.io.IOException;
import java.io.InputStream;
import org.callchain.phone.Call;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallState;
import org.callchain.phone.Phone;
import org.callchain.phone.PhoneConfig;
import org.callchain.phone.spi.AdmissionVerdict;

/**
 * A phone in its own JVM for overload tests (run with a small {@code -Xmx}): it refuses calls from
 * the user {@code flood} with 403 through the admission hook, answers every other call at once, and
 * prints {@code port N} once it listens. It stops when its standard input closes.
 */
public final class OverloadTargetPhone {
  private OverloadTargetPhone() {}

  public static void main(String[] args) throws Exception {
    RecordingMediaEngine media = RecordingMediaEngine.loopback();
    Phone phone =
        Phone.start(
            PhoneConfig.builder()
                .bindAddress("127.0.0.1")
                .sipPort(0)
                .user("target")
                .mediaEngine(media)
                .admissionHook(
                    invite ->
                        invite.fromUri().startsWith("sip:flood@")
                            ? AdmissionVerdict.reject(403, "Unregistered device")
                            : AdmissionVerdict.accept("test caller"))
                .build());
    phone.addCallListener(
        event -> {
          if (event instanceof CallEvent.Incoming incoming) {
            Call call = incoming.call();
            if (call.state() == CallState.INCOMING) {
              call.answer();
            }
          }
        });
    System.out.println("port " + phone.sipPort());
    System.out.flush();
    awaitEndOfInput(System.in);
    phone.close();
    media.close();
  }

  private static void awaitEndOfInput(InputStream in) throws IOException {
    while (in.read() >= 0) {
      // The test keeps the pipe open while it needs the phone.
    }
  }
}
