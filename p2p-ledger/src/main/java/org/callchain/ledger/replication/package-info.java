/**
 * Replication of device logs over libp2p: commits and witness co-signatures on the network's
 * gossipsub topic, validated before they are forwarded; connections only from registered devices
 * and auditors; a sync protocol that brings a node that was offline up to date. Start it with
 * {@link org.callchain.ledger.replication.LedgerNetwork#start}. See docs/replication.md.
 */
package org.callchain.ledger.replication;
