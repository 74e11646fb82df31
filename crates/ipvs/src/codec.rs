//! Pure encode/decode of IPVS generic-netlink messages (no socket): requests as bytes for
//! `client` to send, kernel datagrams parsed into typed replies. Layouts follow the kernel's
//! `ip_vs_genl_policy`/`ip_vs_svc_policy`/`ip_vs_dest_policy` (net/netfilter/ipvs/ip_vs_ctl.c).
//! Unknown attributes are ignored; malformed or truncated input is a `DecodeError`, never a
//! panic.

use std::io::Cursor;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use neli::consts::nl::NlmF;
use neli::genl::{AttrTypeBuilder, Genlmsghdr, GenlmsghdrBuilder, Nlattr, NlattrBuilder};
use neli::nl::{NlPayload, NlmsghdrBuilder};
use neli::types::{Buffer, GenlBuffer};
use neli::{FromBytesWithInput, Size, ToBytes};

use crate::model::{
    Conns, Dest, DestEntry, DestKey, Family, Forward, Info, Protocol, Service, ServiceKey,
    Timeouts, TunnelType,
};
use crate::uapi::{self, cmd_attr, dest_attr, info_attr, svc_attr, svc_flags};

/// Attributes of one generic-netlink message, as neli parsed them.
pub type Attrs = GenlBuffer<u16, Buffer>;

/// Building a request failed (a value we cannot put on the wire).
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    #[error("{what} name {name:?} is longer than {max} bytes or contains NUL", max = uapi::NAME_MAXLEN - 1)]
    Name { what: &'static str, name: String },
    #[error("building netlink attribute {attr}: {reason}")]
    Attr { attr: u16, reason: String },
    #[error("serializing the netlink message: {0}")]
    Message(String),
}

/// A kernel reply we could not understand.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("netlink message truncated at byte {offset}: {what}")]
    Truncated { offset: usize, what: &'static str },
    #[error("parsing the attributes of {what}: {reason}")]
    Attrs { what: &'static str, reason: String },
    #[error("{what}: attribute {attr} has {len} bytes, expected {expected}")]
    AttrLen {
        what: &'static str,
        attr: u16,
        len: usize,
        expected: &'static str,
    },
    #[error("{what}: attribute {attr} is missing")]
    Missing { what: &'static str, attr: u16 },
    #[error("{what}: unexpected value {value} of attribute {attr}")]
    Value {
        what: &'static str,
        attr: u16,
        value: u64,
    },
}

// ---------------------------------------------------------------------------------------
// Encoding

fn attr(t: u16, payload: Vec<u8>) -> Result<Nlattr<u16, Buffer>, EncodeError> {
    let nla_type = AttrTypeBuilder::default()
        .nla_type(t)
        .build()
        .map_err(|e| EncodeError::Attr {
            attr: t,
            reason: e.to_string(),
        })?;
    NlattrBuilder::default()
        .nla_type(nla_type)
        .nla_payload(Buffer::from(payload))
        .build()
        .map_err(|e| EncodeError::Attr {
            attr: t,
            reason: e.to_string(),
        })
}

fn nested(t: u16, children: &[Nlattr<u16, Buffer>]) -> Result<Nlattr<u16, Buffer>, EncodeError> {
    let mut parent = attr(t, Vec::new())?;
    for c in children {
        parent = parent.nest(c).map_err(|e| EncodeError::Attr {
            attr: t,
            reason: e.to_string(),
        })?;
    }
    Ok(parent)
}

/// `union nf_inet_addr`: 16 bytes, an IPv4 address in the first 4.
fn inet_addr(addr: &IpAddr) -> Vec<u8> {
    let mut out = vec![0u8; 16];
    match addr {
        IpAddr::V4(a) => out[..4].copy_from_slice(&a.octets()),
        IpAddr::V6(a) => out.copy_from_slice(&a.octets()),
    }
    out
}

fn name(what: &'static str, s: &str) -> Result<Vec<u8>, EncodeError> {
    if s.len() >= uapi::NAME_MAXLEN || s.as_bytes().contains(&0) {
        return Err(EncodeError::Name {
            what,
            name: s.to_owned(),
        });
    }
    let mut v = s.as_bytes().to_vec();
    v.push(0);
    Ok(v)
}

fn key_attrs(key: &ServiceKey) -> Result<Vec<Nlattr<u16, Buffer>>, EncodeError> {
    let af = key.family().to_af();
    Ok(match key {
        ServiceKey::Addr {
            protocol,
            addr,
            port,
        } => vec![
            attr(svc_attr::AF, af.to_ne_bytes().to_vec())?,
            attr(
                svc_attr::PROTOCOL,
                protocol.to_ipproto().to_ne_bytes().to_vec(),
            )?,
            attr(svc_attr::ADDR, inet_addr(addr))?,
            attr(svc_attr::PORT, port.to_be_bytes().to_vec())?,
        ],
        ServiceKey::Fwmark { mark, .. } => vec![
            attr(svc_attr::AF, af.to_ne_bytes().to_vec())?,
            attr(svc_attr::FWMARK, mark.to_ne_bytes().to_vec())?,
        ],
    })
}

/// `IPVS_CMD_ATTR_SERVICE` naming a service only (for DEL_SERVICE and the dest commands).
pub fn service_key_attr(key: &ServiceKey) -> Result<Nlattr<u16, Buffer>, EncodeError> {
    nested(cmd_attr::SERVICE, &key_attrs(key)?)
}

/// `IPVS_CMD_ATTR_SERVICE` with every setting (NEW_SERVICE and SET_SERVICE need them all).
pub fn service_attr(svc: &Service) -> Result<Nlattr<u16, Buffer>, EncodeError> {
    let mut a = key_attrs(&svc.key)?;
    a.push(attr(
        svc_attr::SCHED_NAME,
        name("scheduler", &svc.scheduler)?,
    )?);
    if let Some(pe) = &svc.pe_name {
        a.push(attr(svc_attr::PE_NAME, name("persistence engine", pe)?)?);
    }
    // struct ip_vs_flags { flags, mask }: we own every flag but HASHED.
    let mut flags = Vec::with_capacity(8);
    flags.extend_from_slice(&(svc.flags & !svc_flags::HASHED).to_ne_bytes());
    flags.extend_from_slice(&(!svc_flags::HASHED).to_ne_bytes());
    a.push(attr(svc_attr::FLAGS, flags)?);
    a.push(attr(svc_attr::TIMEOUT, svc.timeout.to_ne_bytes().to_vec())?);
    a.push(attr(svc_attr::NETMASK, netmask_bytes(svc))?);
    nested(cmd_attr::SERVICE, &a)
}

/// The kernel reads the netmask as a `__be32`: an IPv4 mask in network order, an IPv6
/// prefix length as the plain integer.
fn netmask_bytes(svc: &Service) -> Vec<u8> {
    match svc.key.family() {
        Family::V4 => svc.netmask.to_be_bytes().to_vec(),
        Family::V6 => svc.netmask.to_ne_bytes().to_vec(),
    }
}

/// `IPVS_CMD_ATTR_DEST` naming a destination only (DEL_DEST).
pub fn dest_key_attr(key: &DestKey) -> Result<Nlattr<u16, Buffer>, EncodeError> {
    nested(
        cmd_attr::DEST,
        &[
            attr(dest_attr::ADDR, inet_addr(&key.addr))?,
            attr(dest_attr::PORT, key.port.to_be_bytes().to_vec())?,
            attr(
                dest_attr::ADDR_FAMILY,
                Family::of(&key.addr).to_af().to_ne_bytes().to_vec(),
            )?,
        ],
    )
}

/// `IPVS_CMD_ATTR_DEST` with every setting (NEW_DEST and SET_DEST).
pub fn dest_attr(d: &Dest) -> Result<Nlattr<u16, Buffer>, EncodeError> {
    let (method, tunnel) = match d.forward {
        Forward::Masq => (uapi::fwd::MASQ, None),
        Forward::DirectRoute => (uapi::fwd::DROUTE, None),
        Forward::LocalNode => (uapi::fwd::LOCALNODE, None),
        Forward::Bypass => (uapi::fwd::BYPASS, None),
        Forward::Tunnel { kind, port, flags } => (uapi::fwd::TUNNEL, Some((kind, port, flags))),
    };
    let mut a = vec![
        attr(dest_attr::ADDR, inet_addr(&d.addr))?,
        attr(dest_attr::PORT, d.port.to_be_bytes().to_vec())?,
        attr(
            dest_attr::ADDR_FAMILY,
            Family::of(&d.addr).to_af().to_ne_bytes().to_vec(),
        )?,
        attr(dest_attr::FWD_METHOD, method.to_ne_bytes().to_vec())?,
        attr(dest_attr::WEIGHT, d.weight.to_ne_bytes().to_vec())?,
        attr(dest_attr::U_THRESH, d.u_threshold.to_ne_bytes().to_vec())?,
        attr(dest_attr::L_THRESH, d.l_threshold.to_ne_bytes().to_vec())?,
    ];
    if let Some((kind, port, flags)) = tunnel {
        let t = match kind {
            TunnelType::Ipip => uapi::tun_type::IPIP,
            TunnelType::Gue => uapi::tun_type::GUE,
            TunnelType::Gre => uapi::tun_type::GRE,
        };
        a.push(attr(dest_attr::TUN_TYPE, vec![t])?);
        a.push(attr(dest_attr::TUN_PORT, port.to_be_bytes().to_vec())?);
        a.push(attr(dest_attr::TUN_FLAGS, flags.to_ne_bytes().to_vec())?);
    }
    nested(cmd_attr::DEST, &a)
}

/// The three `IPVS_CMD_ATTR_TIMEOUT_*` attributes of SET_CONFIG.
pub fn timeout_attrs(t: &Timeouts) -> Result<Vec<Nlattr<u16, Buffer>>, EncodeError> {
    Ok(vec![
        attr(cmd_attr::TIMEOUT_TCP, t.tcp.to_ne_bytes().to_vec())?,
        attr(cmd_attr::TIMEOUT_TCP_FIN, t.tcp_fin.to_ne_bytes().to_vec())?,
        attr(cmd_attr::TIMEOUT_UDP, t.udp.to_ne_bytes().to_vec())?,
    ])
}

/// A string attribute (for nlctrl's `CTRL_ATTR_FAMILY_NAME`).
pub fn string_attr(t: u16, s: &str) -> Result<Nlattr<u16, Buffer>, EncodeError> {
    let mut v = s.as_bytes().to_vec();
    v.push(0);
    attr(t, v)
}

/// One complete netlink request: nlmsghdr + genlmsghdr + attributes.
pub fn encode_request(
    family: u16,
    cmd: u8,
    version: u8,
    flags: NlmF,
    seq: u32,
    attrs: Vec<Nlattr<u16, Buffer>>,
) -> Result<Vec<u8>, EncodeError> {
    let genl: Genlmsghdr<u8, u16> = GenlmsghdrBuilder::default()
        .cmd(cmd)
        .version(version)
        .attrs(attrs.into_iter().collect::<Attrs>())
        .build()
        .map_err(|e| EncodeError::Message(e.to_string()))?;
    let msg = NlmsghdrBuilder::default()
        .nl_type(family)
        .nl_flags(flags)
        .nl_seq(seq)
        .nl_pid(0)
        .nl_payload(NlPayload::Payload(genl))
        .build()
        .map_err(|e| EncodeError::Message(e.to_string()))?;
    let mut buf = Cursor::new(vec![0u8; msg.padded_size()]);
    msg.to_bytes(&mut buf)
        .map_err(|e| EncodeError::Message(e.to_string()))?;
    Ok(buf.into_inner())
}

// ---------------------------------------------------------------------------------------
// Decoding

const NLMSG_HDRLEN: usize = 16;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
const NLMSG_OVERRUN: u16 = 4;

/// One netlink message of a kernel datagram.
#[derive(Debug)]
pub enum Reply {
    /// A generic-netlink message of the family we asked.
    Msg { seq: u32, cmd: u8, attrs: Attrs },
    /// `NLMSG_ERROR` with 0: the request succeeded.
    Ack { seq: u32 },
    /// `NLMSG_ERROR` with a negative errno: the request failed.
    Error { seq: u32, errno: i32 },
    /// `NLMSG_DONE`: the end of a dump.
    Done { seq: u32 },
    /// Any other message type (ignored by the caller).
    Other { seq: u32, nl_type: u16 },
}

fn u16_at(b: &[u8], off: usize) -> u16 {
    u16::from_ne_bytes([b[off], b[off + 1]])
}

fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_ne_bytes([b[off], b[off + 1], b[off + 2], b[off + 3]])
}

/// Split a datagram into netlink messages and decode each. `family` is the generic
/// netlink id whose messages carry a genlmsghdr.
pub fn parse_datagram(buf: &[u8], family: u16) -> Result<Vec<Reply>, DecodeError> {
    let mut out = Vec::new();
    let mut off = 0usize;
    while off < buf.len() {
        let rest = &buf[off..];
        if rest.len() < NLMSG_HDRLEN {
            return Err(DecodeError::Truncated {
                offset: off,
                what: "netlink header",
            });
        }
        let len = u32_at(rest, 0) as usize;
        let nl_type = u16_at(rest, 4);
        let seq = u32_at(rest, 8);
        if len < NLMSG_HDRLEN || len > rest.len() {
            return Err(DecodeError::Truncated {
                offset: off,
                what: "netlink message length",
            });
        }
        let body = &rest[NLMSG_HDRLEN..len];
        out.push(match nl_type {
            NLMSG_ERROR => {
                if body.len() < 4 {
                    return Err(DecodeError::Truncated {
                        offset: off + NLMSG_HDRLEN,
                        what: "netlink error code",
                    });
                }
                let code = i32::from_ne_bytes([body[0], body[1], body[2], body[3]]);
                if code == 0 {
                    Reply::Ack { seq }
                } else {
                    Reply::Error {
                        seq,
                        errno: code.saturating_neg(),
                    }
                }
            }
            NLMSG_DONE => Reply::Done { seq },
            NLMSG_OVERRUN => {
                return Err(DecodeError::Truncated {
                    offset: off,
                    what: "the kernel reported a netlink overrun",
                })
            }
            t if t == family => {
                let genl = Genlmsghdr::<u8, u16>::from_bytes_with_input(
                    &mut Cursor::new(body),
                    body.len(),
                )
                .map_err(|e| DecodeError::Attrs {
                    what: "a generic netlink message",
                    reason: e.to_string(),
                })?;
                Reply::Msg {
                    seq,
                    cmd: *genl.cmd(),
                    attrs: genl.attrs().clone(),
                }
            }
            t => Reply::Other { seq, nl_type: t },
        });
        // Messages are aligned to 4 bytes; the last one may omit its padding.
        off += (len + 3) & !3;
    }
    Ok(out)
}

fn nested_attrs(what: &'static str, a: &Nlattr<u16, Buffer>) -> Result<Attrs, DecodeError> {
    let p = a.nla_payload().as_ref();
    Attrs::from_bytes_with_input(&mut Cursor::new(p), p.len()).map_err(|e| DecodeError::Attrs {
        what,
        reason: e.to_string(),
    })
}

/// Typed access to the attributes of one level, by number; the last one of a type wins.
struct View<'a> {
    what: &'static str,
    attrs: &'a Attrs,
}

impl<'a> View<'a> {
    fn get(&self, t: u16) -> Option<&'a [u8]> {
        self.attrs
            .iter()
            .rev()
            .find(|a| *a.nla_type().nla_type() == t)
            .map(|a| a.nla_payload().as_ref())
    }

    fn need(&self, t: u16) -> Result<&'a [u8], DecodeError> {
        self.get(t).ok_or(DecodeError::Missing {
            what: self.what,
            attr: t,
        })
    }

    fn len_err(&self, t: u16, len: usize, expected: &'static str) -> DecodeError {
        DecodeError::AttrLen {
            what: self.what,
            attr: t,
            len,
            expected,
        }
    }

    fn u8(&self, t: u16) -> Result<Option<u8>, DecodeError> {
        match self.get(t) {
            None => Ok(None),
            Some([b]) => Ok(Some(*b)),
            Some(b) => Err(self.len_err(t, b.len(), "1")),
        }
    }

    fn u16(&self, t: u16) -> Result<Option<u16>, DecodeError> {
        match self.get(t) {
            None => Ok(None),
            Some(&[a, b]) => Ok(Some(u16::from_ne_bytes([a, b]))),
            Some(b) => Err(self.len_err(t, b.len(), "2")),
        }
    }

    fn be16(&self, t: u16) -> Result<Option<u16>, DecodeError> {
        Ok(self.u16(t)?.map(u16::from_be))
    }

    fn u32(&self, t: u16) -> Result<Option<u32>, DecodeError> {
        match self.get(t) {
            None => Ok(None),
            Some(&[a, b, c, d]) => Ok(Some(u32::from_ne_bytes([a, b, c, d]))),
            Some(b) => Err(self.len_err(t, b.len(), "4")),
        }
    }

    fn need_u16(&self, t: u16) -> Result<u16, DecodeError> {
        self.u16(t)?.ok_or(DecodeError::Missing {
            what: self.what,
            attr: t,
        })
    }

    fn need_u32(&self, t: u16) -> Result<u32, DecodeError> {
        self.u32(t)?.ok_or(DecodeError::Missing {
            what: self.what,
            attr: t,
        })
    }

    fn addr(&self, t: u16, family: Family) -> Result<IpAddr, DecodeError> {
        let b = self.need(t)?;
        match family {
            Family::V4 if b.len() >= 4 => Ok(IpAddr::V4(Ipv4Addr::new(b[0], b[1], b[2], b[3]))),
            Family::V6 if b.len() >= 16 => {
                let mut o = [0u8; 16];
                o.copy_from_slice(&b[..16]);
                Ok(IpAddr::V6(Ipv6Addr::from(o)))
            }
            _ => Err(self.len_err(t, b.len(), "4 (IPv4) or 16 (IPv6)")),
        }
    }

    fn string(&self, t: u16) -> Result<Option<String>, DecodeError> {
        match self.get(t) {
            None => Ok(None),
            Some(b) => {
                let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
                match std::str::from_utf8(&b[..end]) {
                    Ok(s) => Ok(Some(s.to_owned())),
                    Err(_) => Err(self.len_err(t, b.len(), "a UTF-8 string")),
                }
            }
        }
    }

    fn nested(&self, t: u16, what: &'static str) -> Result<Option<Attrs>, DecodeError> {
        match self
            .attrs
            .iter()
            .rev()
            .find(|a| *a.nla_type().nla_type() == t)
        {
            None => Ok(None),
            Some(a) => nested_attrs(what, a).map(Some),
        }
    }
}

fn family_of(v: &View<'_>, t: u16) -> Result<Family, DecodeError> {
    let af = v.need_u16(t)?;
    Family::from_af(af).ok_or(DecodeError::Value {
        what: v.what,
        attr: t,
        value: af.into(),
    })
}

/// A service from the attributes of a GET_SERVICE reply message.
pub fn decode_service(msg: &Attrs) -> Result<Service, DecodeError> {
    let top = View {
        what: "service reply",
        attrs: msg,
    };
    let attrs = top
        .nested(cmd_attr::SERVICE, "IPVS_CMD_ATTR_SERVICE")?
        .ok_or(DecodeError::Missing {
            what: "service reply",
            attr: cmd_attr::SERVICE,
        })?;
    let v = View {
        what: "service",
        attrs: &attrs,
    };
    let family = family_of(&v, svc_attr::AF)?;
    let key = match v.u32(svc_attr::FWMARK)? {
        Some(mark) if mark != 0 => ServiceKey::Fwmark { family, mark },
        _ => {
            let p = v.need_u16(svc_attr::PROTOCOL)?;
            let protocol = Protocol::from_ipproto(p).ok_or(DecodeError::Value {
                what: "service",
                attr: svc_attr::PROTOCOL,
                value: p.into(),
            })?;
            ServiceKey::Addr {
                protocol,
                addr: v.addr(svc_attr::ADDR, family)?,
                port: v.be16(svc_attr::PORT)?.ok_or(DecodeError::Missing {
                    what: "service",
                    attr: svc_attr::PORT,
                })?,
            }
        }
    };
    let flags = match v.get(svc_attr::FLAGS) {
        None => 0,
        Some(b) if b.len() >= 4 => u32::from_ne_bytes([b[0], b[1], b[2], b[3]]),
        Some(b) => return Err(v.len_err(svc_attr::FLAGS, b.len(), "8")),
    };
    let netmask = match v.u32(svc_attr::NETMASK)? {
        None => match family {
            Family::V4 => u32::MAX,
            Family::V6 => 128,
        },
        Some(raw) => match family {
            Family::V4 => u32::from_be(raw),
            Family::V6 => raw,
        },
    };
    Ok(Service {
        key,
        scheduler: v.string(svc_attr::SCHED_NAME)?.unwrap_or_default(),
        flags: flags & !svc_flags::HASHED,
        timeout: v.u32(svc_attr::TIMEOUT)?.unwrap_or(0),
        netmask,
        pe_name: v.string(svc_attr::PE_NAME)?.filter(|s| !s.is_empty()),
    })
}

/// A destination from the attributes of a GET_DEST reply message. `svc_family` is the
/// family of the service, used when the kernel omits `IPVS_DEST_ATTR_ADDR_FAMILY`.
pub fn decode_dest(msg: &Attrs, svc_family: Family) -> Result<DestEntry, DecodeError> {
    let top = View {
        what: "destination reply",
        attrs: msg,
    };
    let attrs = top
        .nested(cmd_attr::DEST, "IPVS_CMD_ATTR_DEST")?
        .ok_or(DecodeError::Missing {
            what: "destination reply",
            attr: cmd_attr::DEST,
        })?;
    let v = View {
        what: "destination",
        attrs: &attrs,
    };
    let family = match v.get(dest_attr::ADDR_FAMILY) {
        None => svc_family,
        Some(_) => family_of(&v, dest_attr::ADDR_FAMILY)?,
    };
    let method = v.need_u32(dest_attr::FWD_METHOD)? & uapi::fwd::MASK;
    let forward = match method {
        uapi::fwd::MASQ => Forward::Masq,
        uapi::fwd::DROUTE => Forward::DirectRoute,
        uapi::fwd::LOCALNODE => Forward::LocalNode,
        uapi::fwd::BYPASS => Forward::Bypass,
        uapi::fwd::TUNNEL => {
            let t = v.u8(dest_attr::TUN_TYPE)?.unwrap_or(uapi::tun_type::IPIP);
            let kind = match t {
                uapi::tun_type::IPIP => TunnelType::Ipip,
                uapi::tun_type::GUE => TunnelType::Gue,
                uapi::tun_type::GRE => TunnelType::Gre,
                other => {
                    return Err(DecodeError::Value {
                        what: "destination",
                        attr: dest_attr::TUN_TYPE,
                        value: other.into(),
                    })
                }
            };
            Forward::Tunnel {
                kind,
                port: v.be16(dest_attr::TUN_PORT)?.unwrap_or(0),
                flags: v.u16(dest_attr::TUN_FLAGS)?.unwrap_or(0),
            }
        }
        other => {
            return Err(DecodeError::Value {
                what: "destination",
                attr: dest_attr::FWD_METHOD,
                value: other.into(),
            })
        }
    };
    Ok(DestEntry {
        dest: Dest {
            addr: v.addr(dest_attr::ADDR, family)?,
            port: v.be16(dest_attr::PORT)?.ok_or(DecodeError::Missing {
                what: "destination",
                attr: dest_attr::PORT,
            })?,
            forward,
            weight: v.u32(dest_attr::WEIGHT)?.unwrap_or(0),
            u_threshold: v.u32(dest_attr::U_THRESH)?.unwrap_or(0),
            l_threshold: v.u32(dest_attr::L_THRESH)?.unwrap_or(0),
        },
        conns: Conns {
            active: v.u32(dest_attr::ACTIVE_CONNS)?.unwrap_or(0),
            inactive: v.u32(dest_attr::INACT_CONNS)?.unwrap_or(0),
            persistent: v.u32(dest_attr::PERSIST_CONNS)?.unwrap_or(0),
        },
    })
}

/// The GET_INFO reply.
pub fn decode_info(msg: &Attrs) -> Result<Info, DecodeError> {
    let v = View {
        what: "info reply",
        attrs: msg,
    };
    Ok(Info {
        version: v.need_u32(info_attr::VERSION)?,
        conn_tab_size: v.u32(info_attr::CONN_TAB_SIZE)?.unwrap_or(0),
    })
}

/// The GET_CONFIG reply.
pub fn decode_timeouts(msg: &Attrs) -> Result<Timeouts, DecodeError> {
    let v = View {
        what: "config reply",
        attrs: msg,
    };
    Ok(Timeouts {
        tcp: v.u32(cmd_attr::TIMEOUT_TCP)?.unwrap_or(0),
        tcp_fin: v.u32(cmd_attr::TIMEOUT_TCP_FIN)?.unwrap_or(0),
        udp: v.u32(cmd_attr::TIMEOUT_UDP)?.unwrap_or(0),
    })
}

/// nlctrl's reply to GETFAMILY: `CTRL_ATTR_FAMILY_ID`.
pub fn decode_family_id(msg: &Attrs) -> Result<u16, DecodeError> {
    View {
        what: "nlctrl family reply",
        attrs: msg,
    }
    .need_u16(1)
}

#[cfg(test)]
mod tests;
