/**
 * The canonical protobuf encoding of records, checkpoints and evidence. The message classes in this
 * package are generated from {@code src/main/proto/ledger.proto}; {@link
 * org.callchain.ledger.internal.proto.CanonicalProto} maps them to and from the API types.
 */
package org.callchain.ledger.internal.proto;
