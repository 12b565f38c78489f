// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/// @title Callchain device registry
/// @notice The company's trust root: which device keys may place calls, be ledger peers and
///         anchor checkpoints, and the SIP identity each one is bound to.
/// @dev Two roles: ADMIN grants and revokes roles, REGISTRAR registers, revokes and rotates
///      devices. A minimal role system of our own (no external library): the deployer starts
///      as admin and registrar, and the last admin can never be removed, so the registry can
///      not lock itself out. A device address is used once: a revoked or rotated key never
///      becomes active again (a compromised key must not come back by mistake).
///      The status word is the first slot of a device so `isActive` costs one SLOAD; the
///      anchor contract calls it on every anchor.
contract DeviceRegistry {
    bytes32 public constant ADMIN_ROLE = keccak256("callchain.role.admin");
    bytes32 public constant REGISTRAR_ROLE = keccak256("callchain.role.registrar");

    enum Status {
        None,
        Active,
        Revoked,
        Rotated
    }

    struct Device {
        // slot 0: read by isActive
        Status status;
        uint64 registeredBlock;
        uint64 changedBlock;
        // slot 1
        bytes32 sipIdentityHash;
        // slot 2: the key this one was rotated to (zero unless Rotated)
        address successor;
        // slot 3+
        string sipIdentity;
    }

    mapping(bytes32 => mapping(address => bool)) private roles;
    uint256 public adminCount;
    mapping(address => Device) private devices;
    address[] private deviceList;

    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
    event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);
    event DeviceRegistered(address indexed device, bytes32 indexed sipIdentityHash, string sipIdentity);
    event DeviceRevoked(address indexed device, bytes32 indexed sipIdentityHash);
    event DeviceRotated(address indexed oldDevice, address indexed newDevice, bytes32 indexed sipIdentityHash);

    error MissingRole(bytes32 role, address account);
    error ZeroAddress();
    error EmptySipIdentity();
    error DeviceAlreadyKnown(address device);
    error DeviceNotActive(address device);
    error LastAdmin(address account);

    modifier onlyRole(bytes32 role) {
        if (!roles[role][msg.sender]) revert MissingRole(role, msg.sender);
        _;
    }

    constructor() {
        _grant(ADMIN_ROLE, msg.sender);
        _grant(REGISTRAR_ROLE, msg.sender);
    }

    // ---- roles ----

    function hasRole(bytes32 role, address account) external view returns (bool) {
        return roles[role][account];
    }

    function grantRole(bytes32 role, address account) external onlyRole(ADMIN_ROLE) {
        if (account == address(0)) revert ZeroAddress();
        _grant(role, account);
    }

    function revokeRole(bytes32 role, address account) external onlyRole(ADMIN_ROLE) {
        if (!roles[role][account]) return;
        if (role == ADMIN_ROLE) {
            if (adminCount == 1) revert LastAdmin(account);
            adminCount -= 1;
        }
        roles[role][account] = false;
        emit RoleRevoked(role, account, msg.sender);
    }

    function _grant(bytes32 role, address account) private {
        if (roles[role][account]) return;
        roles[role][account] = true;
        if (role == ADMIN_ROLE) adminCount += 1;
        emit RoleGranted(role, account, msg.sender);
    }

    // ---- devices ----

    function register(address device, string calldata sipIdentity) external onlyRole(REGISTRAR_ROLE) {
        if (device == address(0)) revert ZeroAddress();
        if (bytes(sipIdentity).length == 0) revert EmptySipIdentity();
        if (devices[device].status != Status.None) revert DeviceAlreadyKnown(device);
        bytes32 sipHash = keccak256(bytes(sipIdentity));
        _activate(device, sipHash, sipIdentity);
        emit DeviceRegistered(device, sipHash, sipIdentity);
    }

    function revoke(address device) external onlyRole(REGISTRAR_ROLE) {
        Device storage d = devices[device];
        if (d.status != Status.Active) revert DeviceNotActive(device);
        d.status = Status.Revoked;
        d.changedBlock = uint64(block.number);
        emit DeviceRevoked(device, d.sipIdentityHash);
    }

    /// @notice Moves a device to a new key; the SIP identity stays bound to the new key.
    function rotate(address oldDevice, address newDevice) external onlyRole(REGISTRAR_ROLE) {
        if (newDevice == address(0)) revert ZeroAddress();
        Device storage old = devices[oldDevice];
        if (old.status != Status.Active) revert DeviceNotActive(oldDevice);
        if (devices[newDevice].status != Status.None) revert DeviceAlreadyKnown(newDevice);
        old.status = Status.Rotated;
        old.changedBlock = uint64(block.number);
        old.successor = newDevice;
        bytes32 sipHash = old.sipIdentityHash;
        _activate(newDevice, sipHash, old.sipIdentity);
        emit DeviceRotated(oldDevice, newDevice, sipHash);
    }

    function _activate(address device, bytes32 sipHash, string memory sipIdentity) private {
        Device storage d = devices[device];
        d.status = Status.Active;
        d.registeredBlock = uint64(block.number);
        d.changedBlock = uint64(block.number);
        d.sipIdentityHash = sipHash;
        d.sipIdentity = sipIdentity;
        deviceList.push(device);
    }

    // ---- views ----

    function isActive(address device) external view returns (bool) {
        return devices[device].status == Status.Active;
    }

    function isActiveFor(address device, bytes32 sipIdentityHash) external view returns (bool) {
        Device storage d = devices[device];
        return d.status == Status.Active && d.sipIdentityHash == sipIdentityHash;
    }

    function isActiveForSip(address device, string calldata sipIdentity) external view returns (bool) {
        Device storage d = devices[device];
        return d.status == Status.Active && d.sipIdentityHash == keccak256(bytes(sipIdentity));
    }

    function getDevice(address device)
        external
        view
        returns (
            uint8 status,
            string memory sipIdentity,
            uint64 registeredBlock,
            uint64 changedBlock,
            address successor
        )
    {
        Device storage d = devices[device];
        return (uint8(d.status), d.sipIdentity, d.registeredBlock, d.changedBlock, d.successor);
    }

    function deviceCount() external view returns (uint256) {
        return deviceList.length;
    }

    /// @notice Devices in registration order, `limit` from `offset` (fewer at the end).
    function devicesPage(uint256 offset, uint256 limit) external view returns (address[] memory page) {
        uint256 total = deviceList.length;
        if (offset >= total) return new address[](0);
        uint256 end = offset + limit > total ? total : offset + limit;
        page = new address[](end - offset);
        for (uint256 i = offset; i < end; i++) {
            page[i - offset] = deviceList[i];
        }
    }
}
