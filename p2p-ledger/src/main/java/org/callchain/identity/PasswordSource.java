package org.callchain.identity;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a keystore password comes from: a file (first line, trailing newline dropped), an
 * environment variable, or an interactive console prompt without echo. Passwords are returned as
 * {@code char[]} so callers can wipe them; they are never logged or put in exception messages.
 */
public interface PasswordSource {
  /**
   * Reads the password.
   *
   * @throws KeystoreException if it cannot be read (missing file, unset variable, no console)
   */
  char[] read() throws KeystoreException;

  /** The first line of {@code file}. */
  static PasswordSource file(Path file) {
    return () -> {
      try {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int eol = text.indexOf('\n');
        String line = eol < 0 ? text : text.substring(0, eol);
        if (line.endsWith("\r")) {
          line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
          throw new KeystoreException("password file " + file + " is empty");
        }
        return line.toCharArray();
      } catch (IOException e) {
        throw new KeystoreException("cannot read password file " + file + ": " + e.getMessage());
      }
    };
  }

  /** The value of environment variable {@code name}. */
  static PasswordSource environment(String name) {
    return () -> {
      String value = System.getenv(name);
      if (value == null || value.isEmpty()) {
        throw new KeystoreException("environment variable " + name + " is not set");
      }
      return value.toCharArray();
    };
  }

  /** Prompts on the console; {@code confirm} asks twice and requires both to match. */
  static PasswordSource console(String prompt, boolean confirm) {
    return () -> {
      Console console = System.console();
      if (console == null) {
        throw new KeystoreException(
            "no console to ask for the keystore password; use --password-file or --password-env");
      }
      char[] first = console.readPassword("%s: ", prompt);
      if (first == null || first.length == 0) {
        throw new KeystoreException("no password entered");
      }
      if (confirm) {
        char[] second = console.readPassword("Repeat %s: ", prompt.toLowerCase());
        if (second == null || !java.util.Arrays.equals(first, second)) {
          throw new KeystoreException("the two passwords differ");
        }
        java.util.Arrays.fill(second, '\0');
      }
      return first;
    };
  }
}
