package org.callchain.chain.internal.web3j;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.callchain.chain.DeviceAddress;
import org.web3j.crypto.Hash;

/**
 * Turns revert data into one line a person can act on. Knows the Solidity built-ins {@code
 * Error(string)} and {@code Panic(uint256)} (Solidity docs, "Error handling: Assert, Require,
 * Revert and Exceptions") and every custom error of our two contracts, matched by their 4-byte
 * selectors, the first bytes of keccak256 of the error's signature.
 */
public final class RevertDecoder {

  private static final Map<String, Function<List<byte[]>, String>> CUSTOM =
      Map.ofEntries(
          Map.entry(
              selector("MissingRole(bytes32,address)"),
              w -> "account " + address(w, 1) + " lacks the role " + roleName(w.get(0))),
          Map.entry(selector("ZeroAddress()"), w -> "the zero address is not allowed"),
          Map.entry(selector("EmptySipIdentity()"), w -> "the SIP identity is empty"),
          Map.entry(
              selector("DeviceAlreadyKnown(address)"),
              w ->
                  "device "
                      + address(w, 0)
                      + " is already in the registry (addresses are never reused)"),
          Map.entry(
              selector("DeviceNotActive(address)"),
              w -> "device " + address(w, 0) + " is not an active registered device"),
          Map.entry(
              selector("LastAdmin(address)"),
              w -> "cannot remove " + address(w, 0) + ": it is the last admin"),
          Map.entry(
              selector("SizeNotGreater(uint64,uint64)"),
              w ->
                  "tree size "
                      + uint(w, 1)
                      + " is not greater than the anchored size "
                      + uint(w, 0)
                      + " (anchors must grow strictly)"),
          Map.entry(
              selector("BatchShape(uint256,uint256,uint256,uint256)"),
              w ->
                  "batch arrays differ in length: "
                      + uint(w, 0)
                      + " sizes, "
                      + uint(w, 1)
                      + " roots, "
                      + uint(w, 2)
                      + " r, "
                      + uint(w, 3)
                      + " s"),
          Map.entry(
              selector("BadStatementSignature(uint256)"),
              w -> "batch entry " + uint(w, 0) + " has no valid device signature"),
          Map.entry(
              selector("EntryDeviceNotActive(uint256,address)"),
              w ->
                  "batch entry "
                      + uint(w, 0)
                      + ": device "
                      + address(w, 1)
                      + " is not an active registered device"),
          Map.entry(
              selector("EntrySizeNotGreater(uint256,address,uint64,uint64)"),
              w ->
                  "batch entry "
                      + uint(w, 0)
                      + ": tree size "
                      + uint(w, 3)
                      + " of device "
                      + address(w, 1)
                      + " is not greater than its anchored size "
                      + uint(w, 2)
                      + " (anchors must grow strictly; a replayed statement fails here)"));

  private static final String ERROR_STRING = selector("Error(string)");
  private static final String PANIC = selector("Panic(uint256)");

  private RevertDecoder() {}

  /** Decodes {@code 0x}-hex revert data; unknown data is shown as its selector. */
  public static String decode(String revertData) {
    if (revertData == null) {
      return "reverted without a reason";
    }
    String hex = revertData.strip();
    if (hex.startsWith("\"") && hex.endsWith("\"") && hex.length() >= 2) {
      hex = hex.substring(1, hex.length() - 1);
    }
    if (hex.startsWith("0x")) {
      hex = hex.substring(2);
    }
    if (hex.length() < 8 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      return hex.isEmpty() ? "reverted without a reason" : hex;
    }
    String sel = hex.substring(0, 8).toLowerCase(java.util.Locale.ROOT);
    byte[] body = HexFormat.of().parseHex(hex.substring(8, 8 + ((hex.length() - 8) / 64) * 64));
    List<byte[]> words = words(body);
    if (sel.equals(ERROR_STRING) && words.size() >= 2) {
      int length = new BigInteger(1, words.get(1)).intValueExact();
      byte[] text = new byte[Math.min(length, body.length - 64)];
      System.arraycopy(body, 64, text, 0, text.length);
      return new String(text, java.nio.charset.StandardCharsets.UTF_8);
    }
    if (sel.equals(PANIC) && !words.isEmpty()) {
      return "panic 0x" + new BigInteger(1, words.get(0)).toString(16) + " (Solidity assertion)";
    }
    Function<List<byte[]>, String> custom = CUSTOM.get(sel);
    if (custom != null) {
      try {
        return custom.apply(words);
      } catch (IndexOutOfBoundsException malformed) {
        return "reverted with malformed error data 0x" + hex;
      }
    }
    return "reverted with unknown error 0x" + sel;
  }

  static String selector(String signature) {
    byte[] hash = Hash.sha3(signature.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return HexFormat.of().formatHex(hash, 0, 4);
  }

  private static List<byte[]> words(byte[] body) {
    List<byte[]> words = new java.util.ArrayList<>();
    for (int i = 0; i + 32 <= body.length; i += 32) {
      byte[] w = new byte[32];
      System.arraycopy(body, i, w, 0, 32);
      words.add(w);
    }
    return words;
  }

  private static String address(List<byte[]> words, int index) {
    byte[] w = words.get(index);
    byte[] a = new byte[20];
    System.arraycopy(w, 12, a, 0, 20);
    return new DeviceAddress(a).toString();
  }

  private static String uint(List<byte[]> words, int index) {
    return new BigInteger(1, words.get(index)).toString();
  }

  private static String roleName(byte[] role) {
    for (org.callchain.chain.RegistryAdmin.Role r :
        org.callchain.chain.RegistryAdmin.Role.values()) {
      byte[] id = Hash.sha3(r.label().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      if (java.util.Arrays.equals(id, role)) {
        return r.name().toLowerCase(java.util.Locale.ROOT);
      }
    }
    return "0x" + HexFormat.of().formatHex(role);
  }
}
