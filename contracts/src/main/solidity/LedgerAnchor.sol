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

    constructor(IDeviceRegistry registry_) {
        registry = registry_;
    }

    function anchor(uint64 treeSize, bytes32 rootHash) external {
        if (!registry.isActive(msg.sender)) revert DeviceNotActive(msg.sender);
        uint64 previous = uint64(latest[msg.sender] >> 192);
        if (treeSize <= previous) revert SizeNotGreater(previous, treeSize);
        latest[msg.sender] =
            (uint256(treeSize) << 192) | (uint256(uint64(block.number)) << 128) | (uint256(rootHash) >> 128);
        emit Anchored(msg.sender, treeSize, rootHash, previous, uint64(block.timestamp));
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
