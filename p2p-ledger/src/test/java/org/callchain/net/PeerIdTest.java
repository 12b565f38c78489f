package org.callchain.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.callchain.net.internal.libp2p.pb.CryptoProtos;
import org.junit.jupiter.api.Test;

/**
 * Keys and peer ids against the test vectors of the peer-ids spec ("Test vectors" and "Peer Ids")
 * and RFC 8032 §7.1.
 */
class PeerIdTest {
  private static final HexFormat HEX = HexFormat.of();

  // peer-ids spec, "Test vectors"
  private static final String SECP_PRIVATE =
      "0802122053DADF1D5A164D6B4ACDB15E24AA4C5B1D3461BDBD42ABEDB0A4404D56CED8FB";
  private static final String SECP_PUBLIC =
      "08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99";
  private static final String ED_PRIVATE =
      "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
  private static final String ED_PUBLIC =
      "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
  private static final String ECDSA_PUBLIC =
      "0803125b3059301306072a8648ce3d020106082a8648ce3d03010703420004de3d300fa36ae0e8f5d530899d83abab44abf3161f162a4bc901d8e6ecda020e8b6d5f8da30525e71d6851510c098e5c47c646a597fb4dcec034e9f77c409e62";

  @Test
  void secp256k1PrivateKeyVectorYieldsTheSpecPublicKey() throws Exception {
    NodeKey key = NodeKey.fromProtobuf(HEX.parseHex(SECP_PRIVATE));
    assertThat(HEX.formatHex(key.publicKey().toProtobuf())).isEqualTo(SECP_PUBLIC);
    assertThat(key.toProtobuf()).isEqualTo(HEX.parseHex(SECP_PRIVATE));
    assertThat(key.peerId().toBase58()).startsWith("16Uiu2HA");
  }

  @Test
  void ed25519PrivateKeyVectorYieldsTheSpecPublicKey() throws Exception {
    NodeKey key = NodeKey.fromProtobuf(HEX.parseHex(ED_PRIVATE));
    assertThat(HEX.formatHex(key.publicKey().toProtobuf())).isEqualTo(ED_PUBLIC);
    assertThat(key.toProtobuf()).isEqualTo(HEX.parseHex(ED_PRIVATE));
    assertThat(key.peerId().toBase58()).startsWith("12D3KooW");
  }

  @Test
  void shortKeysUseTheIdentityMultihashAndLongKeysSha256() throws Exception {
    PeerId ed = PeerPublicKey.fromProtobuf(HEX.parseHex(ED_PUBLIC)).toPeerId();
    assertThat(ed.toBytes()).startsWith(0x00, 36).endsWith(HEX.parseHex(ED_PUBLIC));
    assertThat(ed.embeddedPublicKey())
        .contains(PeerPublicKey.fromProtobuf(HEX.parseHex(ED_PUBLIC)));

    PeerPublicKey ecdsa = PeerPublicKey.fromProtobuf(HEX.parseHex(ECDSA_PUBLIC));
    PeerId hashed = ecdsa.toPeerId();
    assertThat(ecdsa.toProtobuf().length).isGreaterThan(42);
    assertThat(hashed.toBytes()).hasSize(34).startsWith(0x12, 0x20);
    assertThat(hashed.toBase58()).startsWith("Qm");
    assertThat(hashed.embeddedPublicKey()).isEmpty();
  }

  @Test
  void ourCanonicalKeyEncodingMatchesProtobufCodegen() throws Exception {
    PeerPublicKey key = NodeKey.generateSecp256k1().publicKey();
    byte[] generated =
        CryptoProtos.PublicKey.newBuilder()
            .setType(CryptoProtos.KeyType.Secp256k1)
            .setData(com.google.protobuf.ByteString.copyFrom(key.raw()))
            .build()
            .toByteArray();
    assertThat(key.toProtobuf()).isEqualTo(generated);
  }

  @Test
  void textFormsRoundTrip() throws Exception {
    PeerId id = NodeKey.generateEd25519().peerId();
    assertThat(PeerId.parse(id.toBase58())).isEqualTo(id);
    assertThat(id.toCid()).startsWith("bafz");
    assertThat(PeerId.parse(id.toCid())).isEqualTo(id);
    PeerId secp = NodeKey.generateSecp256k1().peerId();
    assertThat(PeerId.parse(secp.toCid())).isEqualTo(secp);
  }

  @Test
  void knownBase58AndCidFormsDecodeToTheSamePeer() throws Exception {
    // peer-ids spec, "String representation": the same id as base58btc and as CIDv1 base32
    PeerId legacy = PeerId.parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
    PeerId cid = PeerId.parse("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
    assertThat(cid).isEqualTo(legacy);
    assertThat(legacy.toCid())
        .isEqualTo("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
  }

  @Test
  void rejectsMalformedIds() {
    assertThatThrownBy(() -> PeerId.parse("12D3KooW0OIl")).isInstanceOf(InvalidKeyException.class);
    assertThatThrownBy(() -> PeerId.fromBytes(new byte[] {0x12, 0x20, 1}))
        .isInstanceOf(InvalidKeyException.class);
    assertThatThrownBy(() -> PeerId.fromBytes(new byte[] {0x00, 0x01, 0x08}))
        .isInstanceOf(InvalidKeyException.class);
    assertThatThrownBy(() -> PeerId.parse("bafkqaaa")).isInstanceOf(InvalidKeyException.class);
  }

  @Test
  void secp256k1SignaturesAreDerLowSAndVerify() throws Exception {
    NodeKey key = NodeKey.fromProtobuf(HEX.parseHex(SECP_PRIVATE));
    byte[] message = "noise-libp2p-static-key:abc".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < 20; i++) {
      byte[] sig =
          key.sign(
              (i + ":" + new String(message, StandardCharsets.US_ASCII))
                  .getBytes(StandardCharsets.US_ASCII));
      assertThat(sig[0]).isEqualTo((byte) 0x30);
      // low S: the S integer's first byte is below 0x80 after its length (no sign padding needed)
      int rLength = sig[3];
      int sLength = sig[5 + rLength];
      assertThat(sLength).isLessThanOrEqualTo(32);
    }
    byte[] sig = key.sign(message);
    assertThat(key.publicKey().verify(message, sig)).isTrue();
    message[0] ^= 1;
    assertThat(key.publicKey().verify(message, sig)).isFalse();
    assertThat(key.publicKey().verify(message, new byte[] {0x30, 0x00})).isFalse();
  }

  @Test
  void ed25519MatchesRfc8032TestVector1() throws Exception {
    NodeKey key =
        NodeKey.fromEd25519Seed(
            HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    assertThat(HEX.formatHex(key.publicKey().raw()))
        .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    byte[] sig = key.sign(new byte[0]);
    assertThat(HEX.formatHex(sig))
        .isEqualTo(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    assertThat(key.publicKey().verify(new byte[0], sig)).isTrue();
  }

  @Test
  void deviceKeyFromRawSecp256k1Bytes() throws Exception {
    byte[] raw = HEX.parseHex("53DADF1D5A164D6B4ACDB15E24AA4C5B1D3461BDBD42ABEDB0A4404D56CED8FB");
    assertThat(NodeKey.fromSecp256k1(raw).peerId())
        .isEqualTo(NodeKey.fromProtobuf(HEX.parseHex(SECP_PRIVATE)).peerId());
    assertThatThrownBy(() -> NodeKey.fromSecp256k1(new byte[32]))
        .isInstanceOf(InvalidKeyException.class);
    assertThat(NodeKey.fromSecp256k1(raw).toString()).doesNotContain("53dadf", "53DADF");
  }
}
