/**
 * The Netty binding of {@link org.callchain.net.Host}: TCP dial/listen, the connection upgrade
 * (multistream-select → Noise → gater → multistream-select → yamux), per-stream protocol
 * negotiation, identify, ping and bootstrap reconnection.
 *
 * @see <a href="https://github.com/libp2p/specs/blob/master/connections/README.md">libp2p
 *     connections spec</a>
 */
package org.callchain.net.internal.libp2p;
