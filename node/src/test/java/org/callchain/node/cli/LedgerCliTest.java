package org.callchain.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceKey;
import org.callchain.identity.DeviceKeystore;
import org.callchain.identity.KeystoreStrength;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.Ledgers;
import org.callchain.ledger.WitnessSignature;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger commands end to end through {@link Main#run}, including their one-line errors. */
class LedgerCliTest {
  @TempDir Path dir;
  private Path home;
  private Path password;
  private String out;
  private String err;

  @BeforeEach
  void setUp() throws Exception {
    home = dir.resolve("home");
    password = dir.resolve("pw");
    Files.writeString(password, "correct horse\n");
  }

  private int run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      return Main.run(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
      out = o.toString(StandardCharsets.UTF_8);
      err = e.toString(StandardCharsets.UTF_8);
    }
  }

  private String newDevice() {
    assertThat(
            run(
                "keys",
                "new",
                "--light",
                "--data-dir",
                home.toString(),
                "--password-file",
                password.toString()))
        .isZero();
    return out.lines().findFirst().orElseThrow().substring("device ".length());
  }

  @Test
  void keysAreCreatedOnceAndAWrongPasswordIsOneLine() throws Exception {
    String device = newDevice();
    byte[] keystore = Files.readAllBytes(home.resolve("keystore.json"));
    assertThat(
            run(
                "keys",
                "new",
                "--light",
                "--data-dir",
                home.toString(),
                "--password-file",
                password.toString()))
        .isEqualTo(1);
    assertThat(err.strip()).endsWith("already exists; not overwriting it");
    assertThat(Files.readAllBytes(home.resolve("keystore.json"))).isEqualTo(keystore);

    assertThat(run("keys", "show", "--data-dir", home.toString())).isZero();
    assertThat(out).contains("device " + device);
    Path wrong = dir.resolve("wrong");
    Files.writeString(wrong, "nope\n");
    assertThat(
            run("keys", "show", "--data-dir", home.toString(), "--password-file", wrong.toString()))
        .isEqualTo(1);
    assertThat(err.strip())
        .isEqualTo("callchain: wrong password for keystore " + home.resolve("keystore.json"));
    assertThat(err.lines().count()).isEqualTo(1);
  }

  @Test
  void appendedRecordsCanBeShownExportedVerifiedAndAudited() throws Exception {
    String device = newDevice();
    assertThat(
            run(
                "ledger",
                "append-test",
                "45",
                "--batch",
                "10",
                "--data-dir",
                home.toString(),
                "--password-file",
                password.toString()))
        .isZero();
    assertThat(out).contains("appended 45 records").contains("log size 45");

    assertThat(run("ledger", "show", "--data-dir", home.toString())).isZero();
    assertThat(out).contains("own     " + device + " 45 records");

    assertThat(
            run(
                "ledger",
                "show",
                "--device",
                device,
                "--json",
                "--from",
                "20",
                "--limit",
                "1",
                "--data-dir",
                home.toString()))
        .isZero();
    String callId = new ObjectMapper().readTree(out).get("callId").asText();

    assertThat(run("ledger", "export-proof", callId, "--data-dir", home.toString())).isZero();
    Path bundle = dir.resolve("bundle.json");
    Files.writeString(bundle, out);

    assertThat(run("verify", bundle.toString(), "--device", device)).isZero();
    assertThat(out).startsWith("OK: call " + callId + " is leaf 20 of device " + device);

    String other = "0x00000000000000000000000000000000000000aa";
    assertThat(run("verify", bundle.toString(), "--device", other)).isEqualTo(1);
    assertThat(err.strip()).endsWith("bundle is for device " + device + ", not " + other);

    Path truncated = dir.resolve("truncated.json");
    String json = Files.readString(bundle);
    Files.writeString(truncated, json.substring(0, json.length() / 3));
    assertThat(run("verify", truncated.toString())).isEqualTo(1);
    assertThat(err).contains("bundle is not complete JSON");

    assertThat(run("ledger", "verify", "--data-dir", home.toString())).isZero();
    assertThat(out).contains("audit clean: verified 1 device log(s), 45 leaves");
    assertThat(run("audit", "--data-dir", home.toString())).isZero();
  }

  @Test
  void aCorruptStoreIsAOneLineErrorAndIsLeftAlone() throws Exception {
    newDevice();
    assertThat(
            run(
                "ledger",
                "append-test",
                "3",
                "--data-dir",
                home.toString(),
                "--password-file",
                password.toString()))
        .isZero();
    Path current = home.resolve("ledger").resolve("CURRENT");
    Files.writeString(current, "garbage\n");
    assertThat(run("ledger", "show", "--data-dir", home.toString())).isEqualTo(1);
    assertThat(err.strip()).startsWith("callchain: ledger store ").contains("cannot be opened");
    assertThat(err.lines().count()).isEqualTo(1);
    assertThat(Files.readString(current)).isEqualTo("garbage\n");
    assertThat(run("audit", "--data-dir", home.toString())).isEqualTo(1);
  }

  @Test
  void showPrintsTheWitnessesOfEachCheckpoint() throws Exception {
    String device = newDevice();
    assertThat(
            run(
                "ledger",
                "append-test",
                "4",
                "--batch",
                "2",
                "--data-dir",
                home.toString(),
                "--password-file",
                password.toString()))
        .isZero();
    DeviceKey witness =
        DeviceKeystore.create(
            dir.resolve("witness.json"), "pw".toCharArray(), KeystoreStrength.LIGHT);
    try (Ledger ledger =
        Ledgers.open(Ledgers.rocksDbStore(home.resolve("ledger")), Clock.systemUTC())) {
      Checkpoint cp =
          ledger.log(DeviceAddress.parse(device)).orElseThrow().latestCheckpoint().get();
      ledger.addWitnessSignature(cp, WitnessSignature.sign(witness, cp, 1_700_000_000_000L));
    }
    assertThat(run("ledger", "show", "--data-dir", home.toString())).isZero();
    assertThat(out).contains("witnesses 1: " + witness.address() + " at 2023-11-14T22:13:20Z");
    assertThat(run("ledger", "show", "--device", device, "--data-dir", home.toString())).isZero();
    assertThat(out)
        .contains("checkpoint 2 root ")
        .contains("witnesses: none")
        .containsPattern("checkpoint 4 root .* witnesses 1: " + witness.address());
  }

  @Test
  void readingCommandsNeverCreateAStore() {
    assertThat(run("ledger", "show", "--data-dir", home.toString())).isEqualTo(1);
    assertThat(err).contains("no ledger at");
    assertThat(Files.exists(home.resolve("ledger"))).isFalse();
  }
}
