//! Link requests the VRRP child needs for VMACs: create a macvlan (`RTM_NEWLINK` with
//! `IFLA_LINKINFO` kind "macvlan", mode private, a given MAC), set a link up or down,
//! delete a link. [`crate::Rtnl`] sends them. IPv6 address generation is switched off by
//! the caller through the `addr_gen_mode` sysctl: the kernel refuses `IFLA_AF_SPEC` for
//! AF_INET6 in the creation request (EAFNOSUPPORT).

use crate::msg::MsgBuilder;
use crate::route::{NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST};

/// `RTM_NEWLINK`.
pub const RTM_NEWLINK: u16 = 16;
/// `RTM_DELLINK`.
pub const RTM_DELLINK: u16 = 17;

const IFLA_ADDRESS: u16 = 1;
const IFLA_IFNAME: u16 = 3;
const IFLA_LINK: u16 = 5;
const IFLA_LINKINFO: u16 = 18;
const IFLA_INFO_KIND: u16 = 1;
const IFLA_INFO_DATA: u16 = 2;
const IFLA_MACVLAN_MODE: u16 = 1;
/// `MACVLAN_MODE_PRIVATE`: the VMAC neither talks to nor hears its sibling macvlans.
pub const MACVLAN_MODE_PRIVATE: u32 = 1;

/// A macvlan to create on top of another link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacvlanSpec {
    /// Name of the new link (at most 15 bytes).
    pub name: String,
    /// ifindex of the lower (base) link.
    pub base_ifindex: u32,
    /// Its MAC address.
    pub mac: [u8; 6],
    /// `MACVLAN_MODE_*`.
    pub mode: u32,
}

fn ifinfomsg(index: u32, flags: u32, change: u32) -> Vec<u8> {
    // struct ifinfomsg { family u8, pad u8, type u16, index i32, flags u32, change u32 }
    let mut v = vec![libc::AF_UNSPEC as u8, 0, 0, 0];
    v.extend_from_slice(&index.to_ne_bytes());
    v.extend_from_slice(&flags.to_ne_bytes());
    v.extend_from_slice(&change.to_ne_bytes());
    v
}

/// Encodes the creation of a macvlan, created down (the caller sets sysctls first).
pub fn macvlan_msg(spec: &MacvlanSpec, seq: u32) -> Vec<u8> {
    let mut b = MsgBuilder::new(
        RTM_NEWLINK,
        NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
        seq,
    );
    b.fixed(&ifinfomsg(0, 0, 0));
    b.attr_str(IFLA_IFNAME, &spec.name);
    b.attr_u32(IFLA_LINK, spec.base_ifindex);
    b.attr(IFLA_ADDRESS, &spec.mac);
    b.begin_nest(IFLA_LINKINFO);
    b.attr_str(IFLA_INFO_KIND, "macvlan");
    b.begin_nest(IFLA_INFO_DATA);
    b.attr_u32(IFLA_MACVLAN_MODE, spec.mode);
    b.end_nest();
    b.end_nest();
    b.finish()
}

/// Encodes setting `IFF_UP` on (`up`) or off for `ifindex`.
pub fn set_up_msg(ifindex: u32, up: bool, seq: u32) -> Vec<u8> {
    let iff_up = libc::IFF_UP as u32;
    let mut b = MsgBuilder::new(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, seq);
    b.fixed(&ifinfomsg(ifindex, if up { iff_up } else { 0 }, iff_up));
    b.finish()
}

/// Encodes the deletion of `ifindex`.
pub fn del_link_msg(ifindex: u32, seq: u32) -> Vec<u8> {
    let mut b = MsgBuilder::new(RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK, seq);
    b.fixed(&ifinfomsg(ifindex, 0, 0));
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macvlan_bytes() {
        let spec = MacvlanSpec {
            name: "vrrp.51".into(),
            base_ifindex: 3,
            mac: [0, 0, 0x5e, 0, 1, 51],
            mode: MACVLAN_MODE_PRIVATE,
        };
        let got = macvlan_msg(&spec, 5);
        let mut want = Vec::new();
        let body: Vec<u8> = [
            &ifinfomsg(0, 0, 0)[..],
            // IFLA_IFNAME "vrrp.51\0"
            &[12, 0, 3, 0],
            b"vrrp.51\0",
            // IFLA_LINK 3
            &[8, 0, 5, 0, 3, 0, 0, 0],
            // IFLA_ADDRESS (6 bytes + 2 pad)
            &[10, 0, 1, 0, 0, 0, 0x5e, 0, 1, 51, 0, 0],
            // IFLA_LINKINFO { KIND "macvlan\0", DATA { MODE 1 } }
            &[28, 0, 18, 0],
            &[12, 0, 1, 0],
            b"macvlan\0",
            &[12, 0, 2, 0, 8, 0, 1, 0, 1, 0, 0, 0],
        ]
        .concat();
        want.extend_from_slice(&(16 + body.len() as u32).to_ne_bytes());
        want.extend_from_slice(&RTM_NEWLINK.to_ne_bytes());
        want.extend_from_slice(&0x605u16.to_ne_bytes());
        want.extend_from_slice(&5u32.to_ne_bytes());
        want.extend_from_slice(&0u32.to_ne_bytes());
        want.extend(body);
        assert_eq!(got, want);
    }

    #[test]
    fn set_up_and_delete_bytes() {
        let up = set_up_msg(7, true, 1);
        assert_eq!(up.len(), 32);
        assert_eq!(&up[20..24], &7u32.to_ne_bytes());
        assert_eq!(&up[24..28], &(libc::IFF_UP as u32).to_ne_bytes());
        assert_eq!(&up[28..32], &(libc::IFF_UP as u32).to_ne_bytes());
        let down = set_up_msg(7, false, 1);
        assert_eq!(&down[24..28], &0u32.to_ne_bytes());
        let del = del_link_msg(7, 2);
        assert_eq!(u16::from_ne_bytes([del[4], del[5]]), RTM_DELLINK);
        assert_eq!(&del[20..24], &7u32.to_ne_bytes());
    }
}
