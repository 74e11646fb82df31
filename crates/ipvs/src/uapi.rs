//! Numeric constants of the kernel's IPVS generic-netlink family (uapi `linux/ip_vs.h`),
//! used by `codec` to encode requests and decode replies. Values checked against the header
//! of linux-libc-dev 6.1.

/// The generic-netlink family name, resolved to an id through nlctrl.
pub const GENL_NAME: &str = "IPVS";
/// `IPVS_GENL_VERSION`.
pub const GENL_VERSION: u8 = 1;

/// `IPVS_CMD_*`: the `cmd` of the generic-netlink header.
pub mod cmd {
    pub const NEW_SERVICE: u8 = 1;
    pub const SET_SERVICE: u8 = 2;
    pub const DEL_SERVICE: u8 = 3;
    pub const GET_SERVICE: u8 = 4;
    pub const NEW_DEST: u8 = 5;
    pub const SET_DEST: u8 = 6;
    pub const DEL_DEST: u8 = 7;
    pub const GET_DEST: u8 = 8;
    pub const NEW_DAEMON: u8 = 9;
    pub const DEL_DAEMON: u8 = 10;
    pub const GET_DAEMON: u8 = 11;
    pub const SET_CONFIG: u8 = 12;
    pub const GET_CONFIG: u8 = 13;
    pub const SET_INFO: u8 = 14;
    pub const GET_INFO: u8 = 15;
    pub const ZERO: u8 = 16;
    pub const FLUSH: u8 = 17;
}

/// `IPVS_CMD_ATTR_*`: top-level attributes.
pub mod cmd_attr {
    pub const SERVICE: u16 = 1;
    pub const DEST: u16 = 2;
    pub const DAEMON: u16 = 3;
    pub const TIMEOUT_TCP: u16 = 4;
    pub const TIMEOUT_TCP_FIN: u16 = 5;
    pub const TIMEOUT_UDP: u16 = 6;
}

/// `IPVS_SVC_ATTR_*`: nested in `cmd_attr::SERVICE`.
pub mod svc_attr {
    pub const AF: u16 = 1;
    pub const PROTOCOL: u16 = 2;
    pub const ADDR: u16 = 3;
    pub const PORT: u16 = 4;
    pub const FWMARK: u16 = 5;
    pub const SCHED_NAME: u16 = 6;
    pub const FLAGS: u16 = 7;
    pub const TIMEOUT: u16 = 8;
    pub const NETMASK: u16 = 9;
    pub const STATS: u16 = 10;
    pub const PE_NAME: u16 = 11;
    pub const STATS64: u16 = 12;
}

/// `IPVS_DEST_ATTR_*`: nested in `cmd_attr::DEST`.
pub mod dest_attr {
    pub const ADDR: u16 = 1;
    pub const PORT: u16 = 2;
    pub const FWD_METHOD: u16 = 3;
    pub const WEIGHT: u16 = 4;
    pub const U_THRESH: u16 = 5;
    pub const L_THRESH: u16 = 6;
    pub const ACTIVE_CONNS: u16 = 7;
    pub const INACT_CONNS: u16 = 8;
    pub const PERSIST_CONNS: u16 = 9;
    pub const STATS: u16 = 10;
    pub const ADDR_FAMILY: u16 = 11;
    pub const STATS64: u16 = 12;
    pub const TUN_TYPE: u16 = 13;
    pub const TUN_PORT: u16 = 14;
    pub const TUN_FLAGS: u16 = 15;
}

/// `IPVS_INFO_ATTR_*`: in the reply to `cmd::GET_INFO`.
pub mod info_attr {
    pub const VERSION: u16 = 1;
    pub const CONN_TAB_SIZE: u16 = 2;
}

/// `IP_VS_SVC_F_*`: service flags.
pub mod svc_flags {
    pub const PERSISTENT: u32 = 0x0001;
    /// Set by the kernel on every service in its hash table; never ours to set.
    pub const HASHED: u32 = 0x0002;
    pub const ONEPACKET: u32 = 0x0004;
    pub const SCHED1: u32 = 0x0008;
    pub const SCHED2: u32 = 0x0010;
    pub const SCHED3: u32 = 0x0020;
}

/// `IP_VS_CONN_F_*` forwarding methods (`IP_VS_CONN_F_FWD_MASK` = 7).
pub mod fwd {
    pub const MASK: u32 = 0x0007;
    pub const MASQ: u32 = 0x0000;
    pub const LOCALNODE: u32 = 0x0001;
    pub const TUNNEL: u32 = 0x0002;
    pub const DROUTE: u32 = 0x0003;
    pub const BYPASS: u32 = 0x0004;
}

/// `IP_VS_CONN_F_TUNNEL_TYPE_*`.
pub mod tun_type {
    pub const IPIP: u8 = 0;
    pub const GUE: u8 = 1;
    pub const GRE: u8 = 2;
}

/// `IP_VS_SCHEDNAME_MAXLEN` and `IP_VS_PENAME_MAXLEN`, NUL included.
pub const NAME_MAXLEN: usize = 16;

/// Address families and IP protocols as the kernel spells them.
pub const AF_INET: u16 = 2;
pub const AF_INET6: u16 = 10;
pub const IPPROTO_TCP: u16 = 6;
pub const IPPROTO_UDP: u16 = 17;
pub const IPPROTO_SCTP: u16 = 132;
