/**
 * The call ledger: call detail records, each device's append-only Merkle log, signed checkpoints,
 * inclusion and consistency proofs (RFC 9162), and their storage. Knows nothing about SIP.
 */
package org.callchain.ledger;
