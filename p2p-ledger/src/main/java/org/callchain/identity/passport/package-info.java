/**
 * PASSporTs (RFC 8225) signed by the device key with ES256K (RFC 8812): the token a SIP Identity
 * header carries (RFC 8224). This package knows JSON, JWS and keys, not SIP: which URIs go into the
 * claims and what binds a token to a request is decided by the caller (docs/identity.md).
 */
package org.callchain.identity.passport;
