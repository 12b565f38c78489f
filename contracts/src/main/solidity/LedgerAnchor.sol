// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

interface IDeviceRegistry {
    function isActive(address device) external view returns (bool);
}

/// @title Callchain ledger anchor
/// @notice An active registered device anchors the latest checkpoint of its append-only log
///         (RFC 9162-style Merkle tree): its size and root hash. Sizes only grow.
/// @dev Gas is the point of this contract (ADR 0050). Per device it keeps ONE storage word:
///      tree size (64 bits) | anchor block (64 bits) | first 128 bits of the root. That is
///      what the contract's own rule (strictly growing size) needs plus a fingerprint for the
///      cheap `isAnchored` view. The full root, the previous size and the time travel in the
///      `Anchored` event, which is part of the receipt and therefore of consensus: verifiers
///      read the authoritative root from there. A second word for the full root would cost
///      another ~5,000 gas on every anchor.
///      `anchorBatch` lets any account submit the checkpoints of many devices in one
///      transaction, each authorised by the device's own signature over an anchor statement
///      (ADR 0052): the 21,000 base cost is paid once per batch instead of once per device.
contract LedgerAnchor {
    IDeviceRegistry public immutable registry;

    /// device => size << 192 | block << 128 | uint128(root >> 128)
    mapping(address => uint256) private latest;

    event Anchored(
        address indexed device,
        uint64 treeSize,
        bytes32 rootHash,
        uint64 previousSize,
        uint64 timestamp
    );

    error DeviceNotActive(address device);
    error SizeNotGreater(uint64 previousSize, uint64 treeSize);
    error BatchShape(uint256 sizes, uint256 roots, uint256 rs, uint256 yParityAndSs);
    error BadStatementSignature(uint256 index);
    error EntryDeviceNotActive(uint256 index, address device);
    error EntrySizeNotGreater(uint256 index, address device, uint64 previousSize, uint64 treeSize);

    /// secp256k1n / 2: signatures with a larger s are the malleable twin (EIP-2).
    uint256 private constant HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    constructor(IDeviceRegistry registry_) {
        registry = registry_;
    }

    function anchor(uint64 treeSize, bytes32 rootHash) external {
        if (!registry.isActive(msg.sender)) revert DeviceNotActive(msg.sender);
        uint64 previous = uint64(latest[msg.sender] >> 192);
        if (treeSize <= previous) revert SizeNotGreater(previous, treeSize);
        _store(msg.sender, treeSize, rootHash, previous);
    }

    /// @notice Anchors the checkpoints of several devices at once. Entry i says "device D's log
    ///         has sizes[i] leaves and root roots[i]"; D is whoever signed the statement digest
    ///         (see `statementDigest`) with the EIP-2098 compact signature (rs[i], yParityAndSs[i]).
    ///         Every entry must come from an active registered device and grow its size strictly,
    ///         or the whole batch reverts naming the entry; a replayed statement fails the growth
    ///         rule. Anyone may submit (the node gossips other devices' signed statements).
    function anchorBatch(
        uint64[] calldata sizes,
        bytes32[] calldata roots,
        bytes32[] calldata rs,
        bytes32[] calldata yParityAndSs
    ) external {
        uint256 n = sizes.length;
        if (roots.length != n || rs.length != n || yParityAndSs.length != n) {
            revert BatchShape(n, roots.length, rs.length, yParityAndSs.length);
        }
        for (uint256 i = 0; i < n; ++i) {
            uint64 treeSize = sizes[i];
            bytes32 rootHash = roots[i];
            uint256 vs = uint256(yParityAndSs[i]);
            uint256 sValue = vs & (type(uint256).max >> 1);
            if (sValue > HALF_ORDER) revert BadStatementSignature(i);
            address device = ecrecover(
                statementDigest(treeSize, rootHash), uint8((vs >> 255) + 27), rs[i], bytes32(sValue)
            );
            if (device == address(0)) revert BadStatementSignature(i);
            if (!registry.isActive(device)) revert EntryDeviceNotActive(i, device);
            uint64 previous = uint64(latest[device] >> 192);
            if (treeSize <= previous) revert EntrySizeNotGreater(i, device, previous, treeSize);
            _store(device, treeSize, rootHash, previous);
        }
    }

    /// @notice What a device signs to let anyone anchor (treeSize, rootHash) for it: an EIP-191
    ///         version 0x00 message ("data with intended validator") bound to this contract and
    ///         this chain, so a statement counts nowhere else.
    function statementDigest(uint64 treeSize, bytes32 rootHash) public view returns (bytes32) {
        return keccak256(abi.encodePacked(bytes1(0x19), bytes1(0x00), address(this), block.chainid, treeSize, rootHash));
    }

    function _store(address device, uint64 treeSize, bytes32 rootHash, uint64 previous) private {
        latest[device] =
            (uint256(treeSize) << 192) | (uint256(uint64(block.number)) << 128) | (uint256(rootHash) >> 128);
        emit Anchored(device, treeSize, rootHash, previous, uint64(block.timestamp));
    }

    /// @notice The device's latest anchor: tree size, block it was anchored in, and the first
    ///         16 bytes of its root (the full root is in that block's Anchored event).
    function latestAnchor(address device)
        external
        view
        returns (uint64 treeSize, uint64 blockNumber, bytes16 rootPrefix)
    {
        uint256 word = latest[device];
        return (uint64(word >> 192), uint64(word >> 128), bytes16(uint128(word)));
    }

    /// @notice True when (treeSize, rootHash) is the device's latest anchor.
    function isAnchored(address device, uint64 treeSize, bytes32 rootHash) external view returns (bool) {
        uint256 word = latest[device];
        return uint64(word >> 192) == treeSize && uint128(word) == uint128(uint256(rootHash) >> 128);
    }
}
