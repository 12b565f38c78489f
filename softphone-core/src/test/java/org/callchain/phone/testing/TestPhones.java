package org.callchain.phone.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.callchain.phone.Phone;
import org.callchain.phone.PhoneConfig;
import org.callchain.phone.PhoneException;

/**
 * Starts Callchain phones on 127.0.0.1 with free ports and a {@link RecordingMediaEngine}, and
 * closes all of them (and their engines) in {@link #close()}; use one per test class.
 */
public final class TestPhones implements AutoCloseable {
  private final List<TestPhone> phones = new ArrayList<>();

  /** A started phone with its media double and event recorder. */
  public record TestPhone(Phone phone, RecordingMediaEngine media, CallEventRecorder events) {
    public String uri() {
      return phone.localUri();
    }

    public String tcpUri() {
      return phone.localUri() + ";transport=tcp";
    }
  }

  public TestPhone start(String user) throws PhoneException {
    return start(user, b -> {});
  }

  /** Starts a phone for {@code user}; {@code customize} may change anything but the media. */
  public TestPhone start(String user, Consumer<PhoneConfig.Builder> customize)
      throws PhoneException {
    return start(user, RecordingMediaEngine.loopback(), customize);
  }

  /** Starts a phone with a given media double, e.g. one with other codecs. */
  public TestPhone start(
      String user, RecordingMediaEngine media, Consumer<PhoneConfig.Builder> customize)
      throws PhoneException {
    PhoneConfig.Builder b =
        PhoneConfig.builder().bindAddress("127.0.0.1").sipPort(0).user(user).mediaEngine(media);
    customize.accept(b);
    Phone phone = Phone.start(b.build());
    CallEventRecorder recorder = new CallEventRecorder();
    phone.addCallListener(recorder);
    phone.addRegistrationListener(recorder);
    TestPhone p = new TestPhone(phone, media, recorder);
    phones.add(p);
    return p;
  }

  @Override
  public void close() {
    for (TestPhone p : phones) {
      try {
        p.phone().close();
      } finally {
        p.media().close();
      }
    }
    phones.clear();
  }
}
