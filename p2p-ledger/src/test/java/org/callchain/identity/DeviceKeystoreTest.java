package org.callchain.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.callchain.ledger.testing.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceKeystoreTest {
  @TempDir Path dir;
  private static final byte[] MESSAGE = "tree".getBytes(StandardCharsets.UTF_8);

  @Test
  void aNewKeystoreUnlocksToTheSameDeviceAndShowsItsAddressWithoutPassword() throws Exception {
    Path file = dir.resolve("keystore.json");
    DeviceKey created = DeviceKeystore.create(file, "s3cret".toCharArray(), KeystoreStrength.LIGHT);
    DeviceKey unlocked = DeviceKeystore.unlock(file, "s3cret".toCharArray());
    assertThat(unlocked.address()).isEqualTo(created.address());
    assertThat(DeviceKeystore.peekAddress(file)).isEqualTo(created.address());
    assertThat(Files.readString(file)).contains("\"scrypt\"").doesNotContain("s3cret");
  }

  @Test
  void aWrongPasswordIsAClearErrorAndTheFileIsUnchanged() throws Exception {
    Path file = dir.resolve("keystore.json");
    DeviceKeystore.create(file, "right".toCharArray(), KeystoreStrength.LIGHT);
    byte[] before = Files.readAllBytes(file);
    assertThatThrownBy(() -> DeviceKeystore.unlock(file, "wrong".toCharArray()))
        .isInstanceOf(WrongPasswordException.class)
        .hasMessage("wrong password for keystore " + file);
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void anExistingKeystoreIsNeverOverwritten() throws Exception {
    Path file = dir.resolve("keystore.json");
    DeviceKeystore.create(file, "a".toCharArray(), KeystoreStrength.LIGHT);
    byte[] before = Files.readAllBytes(file);
    assertThatThrownBy(() -> DeviceKeystore.create(file, "b".toCharArray(), KeystoreStrength.LIGHT))
        .isInstanceOf(KeystoreException.class)
        .hasMessageContaining("already exists");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void aMissingOrMalformedKeystoreIsAOneLineError() throws Exception {
    assertThatThrownBy(() -> DeviceKeystore.unlock(dir.resolve("none.json"), "x".toCharArray()))
        .hasMessageContaining("no keystore at");
    Path junk = dir.resolve("junk.json");
    Files.writeString(junk, "{not json");
    assertThatThrownBy(() -> DeviceKeystore.unlock(junk, "x".toCharArray()))
        .hasMessageContaining("not a V3 keystore");
  }

  @Test
  void aKeyNeverPrintsItsSecret() {
    DeviceKey key = TestKeys.ALICE;
    assertThat(key.toString()).isEqualTo("DeviceKey[" + key.address().toHex() + "]");
  }

  @Test
  void signaturesRecoverToTheSignerOnlyInTheirDomain() {
    DeviceKey key = TestKeys.ALICE;
    DeviceSignature sig = key.sign(SigningDomain.CHECKPOINT, MESSAGE);
    assertThat(SignatureVerifier.verify(key.address(), SigningDomain.CHECKPOINT, MESSAGE, sig))
        .isTrue();
    assertThat(
            SignatureVerifier.verify(key.address(), SigningDomain.NETWORK_HANDSHAKE, MESSAGE, sig))
        .isFalse();
    assertThat(
            SignatureVerifier.verify(
                TestKeys.BOB.address(), SigningDomain.CHECKPOINT, MESSAGE, sig))
        .isFalse();
    assertThat(
            SignatureVerifier.verify(
                key.address(),
                SigningDomain.CHECKPOINT,
                "other".getBytes(StandardCharsets.UTF_8),
                sig))
        .isFalse();
  }

  @Test
  void aMalleatedHighSSignatureIsRejected() {
    DeviceKey key = TestKeys.ALICE;
    byte[] sig = key.sign(SigningDomain.CHECKPOINT, MESSAGE).toBytes();
    java.math.BigInteger n =
        new java.math.BigInteger(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
    java.math.BigInteger s = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
    byte[] highS = n.subtract(s).toByteArray();
    byte[] malleated = sig.clone();
    java.util.Arrays.fill(malleated, 32, 64, (byte) 0);
    System.arraycopy(
        highS,
        Math.max(0, highS.length - 32),
        malleated,
        64 - Math.min(32, highS.length),
        Math.min(32, highS.length));
    malleated[64] = (byte) (sig[64] == 27 ? 28 : 27);
    assertThat(
            SignatureVerifier.recover(
                SigningDomain.CHECKPOINT, MESSAGE, DeviceSignature.of(malleated)))
        .isEmpty();
  }

  @Test
  void passwordsComeFromTheFirstLineOfAFile() throws Exception {
    Path file = dir.resolve("pw");
    Files.writeString(file, "line one\nline two\n");
    assertThat(PasswordSource.file(file).read()).isEqualTo("line one".toCharArray());
    Files.writeString(file, "");
    assertThatThrownBy(() -> PasswordSource.file(file).read()).hasMessageContaining("is empty");
    assertThatThrownBy(() -> PasswordSource.environment("CALLCHAIN_NO_SUCH_VARIABLE_X").read())
        .hasMessageContaining("is not set");
  }
}
