//! Synchronous IPVS client over a neli generic-netlink socket: resolves the "IPVS" family
//! through nlctrl, sends one request at a time and reads its replies. Called by the checker
//! child (and the VM test). No `NlRouter`: it starts a thread, and the checker forks.

use neli::consts::nl::NlmF;
use neli::consts::socket::{Msg, NlFamily};
use neli::genl::Nlattr;
use neli::socket::NlSocket;
use neli::types::Buffer;
use neli::utils::Groups;

use crate::codec::{self, Attrs, DecodeError, EncodeError, Reply};
use crate::model::{Dest, DestEntry, DestKey, Info, Service, ServiceKey, Timeouts, VirtualService};
use crate::plan::Op;
use crate::uapi::{self, cmd};

const GENL_ID_CTRL: u16 = 0x10;
const CTRL_CMD_GETFAMILY: u8 = 3;
const CTRL_ATTR_FAMILY_NAME: u16 = 2;
const CTRL_VERSION: u8 = 2;
const ENOENT: i32 = 2;
const ESRCH: i32 = 3;
const RECV_BUF: usize = 64 * 1024;

/// An IPVS operation that failed; each names the operation and keeps the cause.
#[derive(Debug, thiserror::Error)]
pub enum IpvsError {
    #[error("the kernel has no IPVS (module ip_vs not loaded?)")]
    NoIpvs,
    #[error("{op}: netlink socket: {source}")]
    Socket {
        op: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("{op}: the kernel answered: {}", std::io::Error::from_raw_os_error(*errno))]
    Kernel { op: &'static str, errno: i32 },
    #[error("{op}: {source}")]
    Encode {
        op: &'static str,
        #[source]
        source: EncodeError,
    },
    #[error("{op}: {source}")]
    Decode {
        op: &'static str,
        #[source]
        source: DecodeError,
    },
}

impl IpvsError {
    /// The errno the kernel answered with, if that is what failed.
    pub fn errno(&self) -> Option<i32> {
        match self {
            IpvsError::Kernel { errno, .. } => Some(*errno),
            _ => None,
        }
    }
}

/// A connection to the kernel's IPVS family.
pub struct Ipvs {
    sock: NlSocket,
    family: u16,
    seq: u32,
    buf: Vec<u8>,
}

impl std::fmt::Debug for Ipvs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ipvs")
            .field("family", &self.family)
            .field("seq", &self.seq)
            .finish()
    }
}

impl Ipvs {
    /// Open a generic-netlink socket and resolve the IPVS family id.
    pub fn connect() -> Result<Self, IpvsError> {
        let sock = NlSocket::connect(NlFamily::Generic, None, Groups::empty()).map_err(|e| {
            IpvsError::Socket {
                op: "open generic netlink socket",
                source: e,
            }
        })?;
        let mut me = Ipvs {
            sock,
            family: GENL_ID_CTRL,
            seq: 0,
            buf: vec![0; RECV_BUF],
        };
        let name = codec::string_attr(CTRL_ATTR_FAMILY_NAME, uapi::GENL_NAME).map_err(|e| {
            IpvsError::Encode {
                op: "resolve the IPVS family",
                source: e,
            }
        })?;
        let replies = match me.transact(
            "resolve the IPVS family",
            GENL_ID_CTRL,
            CTRL_CMD_GETFAMILY,
            CTRL_VERSION,
            false,
            vec![name],
        ) {
            Err(IpvsError::Kernel { errno, .. }) if errno == ENOENT => {
                return Err(IpvsError::NoIpvs)
            }
            r => r?,
        };
        let attrs = replies.first().ok_or(IpvsError::NoIpvs)?;
        me.family = codec::decode_family_id(attrs).map_err(|e| IpvsError::Decode {
            op: "resolve the IPVS family",
            source: e,
        })?;
        Ok(me)
    }

    /// The generic-netlink id of the IPVS family.
    pub fn family_id(&self) -> u16 {
        self.family
    }

    /// Send one request and collect the attributes of every reply message until the ACK
    /// (or the end of the dump).
    fn transact(
        &mut self,
        op: &'static str,
        family: u16,
        command: u8,
        version: u8,
        dump: bool,
        attrs: Vec<Nlattr<u16, Buffer>>,
    ) -> Result<Vec<Attrs>, IpvsError> {
        self.seq = self.seq.wrapping_add(1);
        let seq = self.seq;
        let flags = if dump {
            NlmF::REQUEST | NlmF::DUMP
        } else {
            NlmF::REQUEST | NlmF::ACK
        };
        let bytes = codec::encode_request(family, command, version, flags, seq, attrs)
            .map_err(|e| IpvsError::Encode { op, source: e })?;
        self.sock
            .send(&bytes, Msg::empty())
            .map_err(|e| IpvsError::Socket { op, source: e })?;
        let mut out = Vec::new();
        loop {
            let (n, _) = loop {
                match self.sock.recv(&mut self.buf[..], Msg::empty()) {
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    r => break r.map_err(|e| IpvsError::Socket { op, source: e })?,
                }
            };
            if n > self.buf.len() {
                return Err(IpvsError::Decode {
                    op,
                    source: DecodeError::Truncated {
                        offset: self.buf.len(),
                        what: "datagram larger than the receive buffer",
                    },
                });
            }
            let replies = codec::parse_datagram(&self.buf[..n], family)
                .map_err(|e| IpvsError::Decode { op, source: e })?;
            for r in replies {
                match r {
                    Reply::Msg { seq: s, attrs, .. } if s == seq => out.push(attrs),
                    Reply::Ack { seq: s } | Reply::Done { seq: s } if s == seq => return Ok(out),
                    Reply::Error { seq: s, errno } if s == seq => {
                        return Err(IpvsError::Kernel { op, errno })
                    }
                    // A stale reply to an earlier request, or another type: not ours.
                    _ => {}
                }
            }
        }
    }

    fn ipvs(
        &mut self,
        op: &'static str,
        command: u8,
        dump: bool,
        attrs: Result<Vec<Nlattr<u16, Buffer>>, EncodeError>,
    ) -> Result<Vec<Attrs>, IpvsError> {
        let attrs = attrs.map_err(|e| IpvsError::Encode { op, source: e })?;
        let family = self.family;
        self.transact(op, family, command, uapi::GENL_VERSION, dump, attrs)
    }

    /// The IPVS version and connection table size (GET_INFO).
    pub fn info(&mut self) -> Result<Info, IpvsError> {
        const OP: &str = "read IPVS info";
        let r = self.ipvs(OP, cmd::GET_INFO, false, Ok(vec![]))?;
        let a = r.first().ok_or(IpvsError::Decode {
            op: OP,
            source: DecodeError::Missing {
                what: "info reply",
                attr: 0,
            },
        })?;
        codec::decode_info(a).map_err(|e| IpvsError::Decode { op: OP, source: e })
    }

    /// Every service in the table (GET_SERVICE dump).
    pub fn services(&mut self) -> Result<Vec<Service>, IpvsError> {
        const OP: &str = "list IPVS services";
        self.ipvs(OP, cmd::GET_SERVICE, true, Ok(vec![]))?
            .iter()
            .map(|a| codec::decode_service(a).map_err(|e| IpvsError::Decode { op: OP, source: e }))
            .collect()
    }

    /// One service by its key (GET_SERVICE without dump); `None` when the kernel has none.
    pub fn service(&mut self, key: &ServiceKey) -> Result<Option<Service>, IpvsError> {
        const OP: &str = "read IPVS service";
        let r = match self.ipvs(
            OP,
            cmd::GET_SERVICE,
            false,
            codec::service_key_attr(key).map(|a| vec![a]),
        ) {
            Err(IpvsError::Kernel { errno, .. }) if errno == ESRCH || errno == ENOENT => {
                return Ok(None)
            }
            r => r?,
        };
        r.first()
            .map(|a| codec::decode_service(a).map_err(|e| IpvsError::Decode { op: OP, source: e }))
            .transpose()
    }

    /// The destinations of one service (GET_DEST dump).
    pub fn dests(&mut self, key: &ServiceKey) -> Result<Vec<DestEntry>, IpvsError> {
        const OP: &str = "list IPVS destinations";
        let fam = key.family();
        self.ipvs(
            OP,
            cmd::GET_DEST,
            true,
            codec::service_key_attr(key).map(|a| vec![a]),
        )?
        .iter()
        .map(|a| codec::decode_dest(a, fam).map_err(|e| IpvsError::Decode { op: OP, source: e }))
        .collect()
    }

    /// The whole table: each service with its destinations.
    pub fn table(&mut self) -> Result<Vec<VirtualService>, IpvsError> {
        let mut out = Vec::new();
        for service in self.services()? {
            let dests = self
                .dests(&service.key)?
                .into_iter()
                .map(|d| d.dest)
                .collect();
            out.push(VirtualService { service, dests });
        }
        Ok(out)
    }

    pub fn add_service(&mut self, s: &Service) -> Result<(), IpvsError> {
        let a = codec::service_attr(s).map(|a| vec![a]);
        self.ipvs("add IPVS service", cmd::NEW_SERVICE, false, a)
            .map(drop)
    }

    pub fn edit_service(&mut self, s: &Service) -> Result<(), IpvsError> {
        let a = codec::service_attr(s).map(|a| vec![a]);
        self.ipvs("edit IPVS service", cmd::SET_SERVICE, false, a)
            .map(drop)
    }

    pub fn del_service(&mut self, k: &ServiceKey) -> Result<(), IpvsError> {
        let a = codec::service_key_attr(k).map(|a| vec![a]);
        self.ipvs("delete IPVS service", cmd::DEL_SERVICE, false, a)
            .map(drop)
    }

    pub fn add_dest(&mut self, k: &ServiceKey, d: &Dest) -> Result<(), IpvsError> {
        let a = codec::service_key_attr(k).and_then(|s| Ok(vec![s, codec::dest_attr(d)?]));
        self.ipvs("add IPVS destination", cmd::NEW_DEST, false, a)
            .map(drop)
    }

    pub fn edit_dest(&mut self, k: &ServiceKey, d: &Dest) -> Result<(), IpvsError> {
        let a = codec::service_key_attr(k).and_then(|s| Ok(vec![s, codec::dest_attr(d)?]));
        self.ipvs("edit IPVS destination", cmd::SET_DEST, false, a)
            .map(drop)
    }

    pub fn del_dest(&mut self, k: &ServiceKey, d: &DestKey) -> Result<(), IpvsError> {
        let a = codec::service_key_attr(k).and_then(|s| Ok(vec![s, codec::dest_key_attr(d)?]));
        self.ipvs("delete IPVS destination", cmd::DEL_DEST, false, a)
            .map(drop)
    }

    /// Remove every service and destination (`lvs_flush`).
    pub fn flush(&mut self) -> Result<(), IpvsError> {
        self.ipvs("flush IPVS", cmd::FLUSH, false, Ok(vec![]))
            .map(drop)
    }

    /// Zero the counters of every service (ZERO).
    pub fn zero(&mut self) -> Result<(), IpvsError> {
        self.ipvs("zero IPVS counters", cmd::ZERO, false, Ok(vec![]))
            .map(drop)
    }

    /// `lvs_timeouts` as the kernel has them (GET_CONFIG).
    pub fn timeouts(&mut self) -> Result<Timeouts, IpvsError> {
        const OP: &str = "read IPVS timeouts";
        let r = self.ipvs(OP, cmd::GET_CONFIG, false, Ok(vec![]))?;
        let a = r.first().ok_or(IpvsError::Decode {
            op: OP,
            source: DecodeError::Missing {
                what: "config reply",
                attr: 0,
            },
        })?;
        codec::decode_timeouts(a).map_err(|e| IpvsError::Decode { op: OP, source: e })
    }

    /// Set `lvs_timeouts`; a 0 leaves that timeout unchanged (SET_CONFIG).
    pub fn set_timeouts(&mut self, t: &Timeouts) -> Result<(), IpvsError> {
        self.ipvs(
            "set IPVS timeouts",
            cmd::SET_CONFIG,
            false,
            codec::timeout_attrs(t),
        )
        .map(drop)
    }

    /// Carry out one planned operation.
    pub fn apply(&mut self, op: &Op) -> Result<(), IpvsError> {
        match op {
            Op::AddService(s) => self.add_service(s),
            Op::EditService(s) => self.edit_service(s),
            Op::DelService(k) => self.del_service(k),
            Op::AddDest(k, d) => self.add_dest(k, d),
            Op::EditDest(k, d) => self.edit_dest(k, d),
            Op::DelDest(k, d) => self.del_dest(k, d),
        }
    }
}
