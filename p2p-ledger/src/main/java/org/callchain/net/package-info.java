/**
 * A general-purpose libp2p stack, written from the libp2p specifications: keys and peer ids,
 * multiaddrs, a {@link org.callchain.net.Host} that dials and listens over TCP, secures connections
 * with Noise, multiplexes them with yamux and negotiates every protocol with multistream-select
 * 1.0. It knows nothing of call records: applications ride on it as bytes.
 *
 * <p>Threading: every callback ({@link org.callchain.net.StreamHandler}, {@link
 * org.callchain.net.StreamReader}, {@link org.callchain.net.ConnectionListener}) runs on the
 * connection's event-loop thread and must not block; futures returned by this API complete on that
 * thread too.
 *
 * @see <a href="https://github.com/libp2p/specs">libp2p specifications</a>
 */
package org.callchain.net;
