package org.callchain.chain.internal.web3j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;

/**
 * Revert data is ABI-encoded like a call to a function named after the error (Solidity docs,
 * "Errors and the Revert Statement"), so the test builds it with the ABI encoder.
 */
class RevertDecoderTest {

  private static String errorData(String name, org.web3j.abi.datatypes.Type<?>... args) {
    return FunctionEncoder.encode(new Function(name, List.of(args), List.of()));
  }

  @Test
  void decodesTheContractsCustomErrors() {
    String device = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    assertThat(RevertDecoder.decode(errorData("DeviceNotActive", new Address(device))))
        .isEqualTo(
            "device 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 is not an active registered device");
    assertThat(RevertDecoder.decode(errorData("SizeNotGreater", new Uint64(7), new Uint64(5))))
        .isEqualTo(
            "tree size 5 is not greater than the anchored size 7 (anchors must grow strictly)");
  }

  @Test
  void namesTheMissingRole() {
    String data =
        errorData(
            "MissingRole",
            new org.web3j.abi.datatypes.generated.Bytes32(
                ContractCalls.roleId(org.callchain.chain.RegistryAdmin.Role.REGISTRAR)),
            new Address("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc"));
    assertThat(RevertDecoder.decode(data))
        .isEqualTo("account 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC lacks the role registrar");
  }

  @Test
  void decodesRequireMessagesAndPanics() {
    assertThat(RevertDecoder.decode(errorData("Error", new Utf8String("nope")))).isEqualTo("nope");
    assertThat(RevertDecoder.decode(errorData("Panic", new Uint256(0x11))))
        .isEqualTo("panic 0x11 (Solidity assertion)");
  }

  @Test
  void showsTheSelectorOfAnUnknownError() {
    assertThat(RevertDecoder.decode("0xdeadbeef"))
        .isEqualTo("reverted with unknown error 0xdeadbeef");
    assertThat(RevertDecoder.decode("0x")).isEqualTo("reverted without a reason");
  }
}
