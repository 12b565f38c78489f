/**
 * Text encodings of the multiformats project that peer ids and multiaddrs use: base58btc and RFC
 * 4648 base32 (lower case, no padding), the multibase {@code b} alphabet.
 *
 * @see <a href="https://github.com/multiformats/multibase">multibase</a>
 */
package org.callchain.net.internal.multiformats;
