/**
 * Signature schemes of libp2p identity keys on Bouncy Castle's lightweight API: secp256k1 (ECDSA
 * over SHA-256, DER-encoded, low-S) and Ed25519 (RFC 8032).
 *
 * @see <a href="https://github.com/libp2p/specs/blob/master/peer-ids/peer-ids.md">peer-ids spec</a>
 */
package org.callchain.net.internal.crypto;
