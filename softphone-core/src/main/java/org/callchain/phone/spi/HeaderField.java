package org.callchain.phone.spi;

import java.util.Objects;

/**
 * One SIP header line to add to a request, e.g. {@code Identity: eyJhbGciOi...}.
 *
 * @param name the header name
 * @param value the header value, exactly as it goes on the wire
 */
public record HeaderField(String name, String value) {
  public HeaderField {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (!name.matches("[A-Za-z0-9!%*_+`'~.-]+")) {
      throw new IllegalArgumentException("not a SIP header name: " + name);
    }
    if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("a header value must be one line");
    }
  }
}
