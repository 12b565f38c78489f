/**
 * The libp2p Noise secure channel ({@code /noise}): Noise_XX_25519_ChaChaPoly_SHA256 with the
 * signed libp2p identity payload, then length-prefixed transport encryption.
 *
 * @see <a href="https://github.com/libp2p/specs/blob/master/noise/README.md">noise-libp2p</a>
 * @see <a href="https://noiseprotocol.org/noise.html">The Noise Protocol Framework, rev. 34</a>
 */
package org.callchain.net.internal.noise;
