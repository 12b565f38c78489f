/**
 * yamux ({@code /yamux/1.0.0}) stream multiplexing over one secured connection: framing,
 * SYN/ACK/FIN/RST, per-stream flow-control windows, stream limits, ping keep-alive and go-away.
 *
 * @see <a href="https://github.com/hashicorp/yamux/blob/master/spec.md">yamux spec</a>
 * @see <a href="https://github.com/libp2p/specs/blob/master/yamux/README.md">libp2p yamux</a>
 */
package org.callchain.net.internal.yamux;
