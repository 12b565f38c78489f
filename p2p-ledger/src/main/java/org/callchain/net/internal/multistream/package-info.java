/**
 * multistream-select 1.0 ({@code /multistream/1.0.0}), the protocol negotiation libp2p runs for the
 * security protocol, the muxer, and every stream.
 *
 * @see <a
 *     href="https://github.com/multiformats/multistream-select/blob/master/README.md">multistream-select</a>
 * @see <a href="https://github.com/libp2p/specs/blob/master/connections/README.md">libp2p
 *     connections spec, "Protocol Negotiation"</a>
 */
package org.callchain.net.internal.multistream;
