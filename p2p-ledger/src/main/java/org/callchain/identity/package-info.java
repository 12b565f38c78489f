/**
 * Device identity: each device holds one secp256k1 key in an Ethereum V3 keystore file, and the
 * key's Ethereum address is the device id. Signatures are recoverable secp256k1 signatures over a
 * domain-separated SHA-256 hash, so a signature made for one purpose (a checkpoint, a SIP Identity
 * header, a libp2p handshake) can never be replayed as another.
 */
package org.callchain.identity;
