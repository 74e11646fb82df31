//! VMACs (`use_vmac`) for the VRRP child: a private-mode macvlan per instance on its
//! interface with the virtual router MAC (00:00:5e:00:01:VRID, or :02: for IPv6), the
//! sysctls keepalived sets so that only the VMAC answers ARP for the VIPs while the base
//! interface keeps answering for its own addresses, and for IPv6 the base interface's
//! link-local (as keepalived 2.2.7 does; one derived from the VMAC MAC when the base has
//! none), so adverts keep their source address. Called by `daemon.rs` while loading a configuration
//! ([`Vmacs::ensure`]) and on stop ([`Vmacs::teardown`]).

use std::collections::HashSet;
use std::net::Ipv6Addr;
use std::path::PathBuf;

use keepalived_config::model::vrrp::Vmac as VmacConfig;
use keepalived_netlink::{Change, IfAddr, Link, MacvlanSpec, Rtnl, MACVLAN_MODE_PRIVATE};
use log::{debug, info, warn};

const IPV4_CONF: &str = "/proc/sys/net/ipv4/conf";
const IPV6_CONF: &str = "/proc/sys/net/ipv6/conf";

/// Sysctls we changed and their values before, to put back on stop. With a state file the
/// originals survive a restart of the VRRP child (which would otherwise find keepalived's
/// values and take them for the originals).
#[derive(Debug, Default)]
pub struct Sysctls {
    saved: Vec<(String, String)>,
    file: Option<PathBuf>,
}

impl Sysctls {
    /// Originals kept in `file` too; those a previous child left there are taken over.
    pub fn persistent(file: PathBuf) -> Self {
        let saved = std::fs::read_to_string(&file)
            .map(|t| {
                t.lines()
                    .filter_map(|l| l.split_once('\t'))
                    .map(|(p, v)| (p.to_string(), v.to_string()))
                    .collect()
            })
            .unwrap_or_default();
        Sysctls {
            saved,
            file: Some(file),
        }
    }

    fn save(&self) {
        let Some(f) = &self.file else {
            return;
        };
        let text: String = self
            .saved
            .iter()
            .map(|(p, v)| format!("{p}\t{v}\n"))
            .collect();
        if let Err(e) = std::fs::write(f, text) {
            warn!("saving the original sysctls to {}: {e}", f.display());
        }
    }

    /// Writes `value` to `path`, remembering the value found there the first time.
    pub fn set(&mut self, path: &str, value: &str) -> std::io::Result<()> {
        let old = std::fs::read_to_string(path)?.trim().to_string();
        if old == value {
            return Ok(());
        }
        std::fs::write(path, value)?;
        if !self.saved.iter().any(|(p, _)| p == path) {
            self.saved.push((path.to_string(), old));
            self.save();
        }
        Ok(())
    }

    /// Puts every changed sysctl back, last changed first.
    pub fn restore(&mut self) {
        for (path, old) in self.saved.drain(..).rev() {
            match std::fs::write(&path, &old) {
                Ok(()) => debug!("restored {path} to {old}"),
                // The interface may be gone: nothing left to restore.
                Err(e) => debug!("restoring {path} to {old}: {e}"),
            }
        }
        if let Some(f) = &self.file {
            let _ = std::fs::remove_file(f);
        }
    }
}

/// One VMAC as created (or found) for an instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VmacLink {
    /// Interface name (`vrrp.VRID` unless configured; `vrrp6.VRID` for an IPv6 instance
    /// beside an IPv4 one of the same VRID).
    pub name: String,
    /// Its ifindex.
    pub ifindex: u32,
    /// Its MAC.
    pub mac: [u8; 6],
    /// The IPv6 link-local we gave it (IPv6 instances): the base's, else from the MAC.
    pub link_local: Option<Ipv6Addr>,
}

/// The virtual router MAC of RFC 5798 §7.3: 00-00-5E-00-01-VRID (IPv4), 00-00-5E-00-02-VRID
/// (IPv6).
pub fn virtual_mac(vrid: u8, v6: bool) -> [u8; 6] {
    [0, 0, 0x5e, 0, if v6 { 2 } else { 1 }, vrid]
}

/// The modified EUI-64 link-local address for `mac` (RFC 4291 appendix A).
pub fn eui64_link_local(mac: [u8; 6]) -> Ipv6Addr {
    let [a, b, c, d, e, f] = mac;
    Ipv6Addr::new(
        0xfe80,
        0,
        0,
        0,
        u16::from_be_bytes([a ^ 0x02, b]),
        u16::from_be_bytes([c, 0xff]),
        u16::from_be_bytes([0xfe, d]),
        u16::from_be_bytes([e, f]),
    )
}

fn parse_mac(s: &str) -> Option<[u8; 6]> {
    let parts: Vec<u8> = s
        .split(':')
        .map(|p| u8::from_str_radix(p, 16))
        .collect::<Result<_, _>>()
        .ok()?;
    parts.try_into().ok()
}

/// What [`Vmacs::ensure`] needs to know about an instance.
#[derive(Debug, Clone, Copy)]
pub struct VmacRequest<'a> {
    /// The instance's name, for logs.
    pub inst: &'a str,
    /// Its `use_vmac` line.
    pub cfg: &'a VmacConfig,
    /// Its interface.
    pub base: &'a Link,
    /// The base's IPv6 link-local, if any.
    pub base_link_local: Option<Ipv6Addr>,
    /// The VRID.
    pub vrid: u8,
    /// An IPv6 instance.
    pub v6: bool,
    /// `vmac_prefix` (default `vrrp`): default names are PREFIX.VRID / PREFIX6.VRID.
    pub prefix: &'a str,
}

/// The global `vmac_prefix`, or keepalived's default `vrrp`.
pub fn vmac_prefix(global: &keepalived_config::model::global::GlobalDefs) -> &str {
    global
        .other
        .get("vmac_prefix")
        .and_then(|v| v.first())
        .map_or("vrrp", String::as_str)
}

/// keepalived's default VMAC name: PREFIX.VRID, or PREFIX6.VRID for an IPv6 instance
/// whose PREFIX.VRID an IPv4 one already took.
pub fn default_name(prefix: &str, vrid: u8, v6: bool, v4_taken: impl Fn(&str) -> bool) -> String {
    let v4_name = format!("{prefix}.{vrid}");
    if v6 && v4_taken(&v4_name) {
        format!("{prefix}6.{vrid}")
    } else {
        v4_name
    }
}

/// The VMACs this child manages and the sysctls it changed for them.
#[derive(Debug, Default)]
pub struct Vmacs {
    links: Vec<VmacLink>,
    seen: HashSet<String>,
    sysctls: Sysctls,
}

impl Vmacs {
    /// For the VRRP child: the original sysctls are kept in a file named after the
    /// supervisor (our parent), which outlives a restarted child.
    pub fn for_child() -> Self {
        let file = std::env::temp_dir().join(format!(
            "keepalived-rs-vmac-sysctls.{}",
            std::os::unix::process::parent_id()
        ));
        Vmacs {
            sysctls: Sysctls::persistent(file),
            ..Vmacs::default()
        }
    }

    /// A (re)load starts: VMACs not ensured again before [`Vmacs::end_load`] are deleted.
    pub fn begin_load(&mut self) {
        self.seen.clear();
    }

    /// Deletes the VMACs the new configuration no longer has.
    pub fn end_load(&mut self, rtnl: &mut Rtnl) {
        let seen = std::mem::take(&mut self.seen);
        let (keep, gone): (Vec<VmacLink>, Vec<VmacLink>) =
            self.links.drain(..).partition(|l| seen.contains(&l.name));
        self.links = keep;
        for l in gone {
            delete(rtnl, &l);
        }
    }

    /// Whether any VMAC exists.
    pub fn is_empty(&self) -> bool {
        self.links.is_empty()
    }

    /// The name of our VMAC with `ifindex`, if it is one.
    pub fn name_of(&self, ifindex: u32) -> Option<&str> {
        self.links
            .iter()
            .find(|l| l.ifindex == ifindex)
            .map(|l| l.name.as_str())
    }

    /// Creates (or finds, after a restart or reload) the VMAC of instance `inst` on `base`
    /// and sets it up.
    pub fn ensure(&mut self, rtnl: &mut Rtnl, req: &VmacRequest<'_>) -> Result<VmacLink, String> {
        let VmacRequest {
            inst,
            cfg,
            base,
            base_link_local,
            vrid,
            v6,
            prefix,
        } = *req;
        // keepalived's default name is vrrp.VRID, also for IPv6; an IPv6 instance whose
        // name an IPv4 one of the same VRID already took gets vrrp6.VRID.
        let name = cfg
            .name
            .clone()
            .unwrap_or_else(|| default_name(prefix, vrid, v6, |n| self.seen.contains(n)));
        let mac = match cfg.mac.as_deref() {
            Some(m) => parse_mac(m).ok_or_else(|| format!("invalid VMAC address {m}"))?,
            None => virtual_mac(vrid, v6),
        };
        let spec = MacvlanSpec {
            name: name.clone(),
            base_ifindex: base.ifindex,
            mac,
            mode: MACVLAN_MODE_PRIVATE,
        };
        let created = rtnl.add_macvlan(&spec).map_err(|e| e.to_string())?;
        let link = rtnl
            .link_by_name(&name)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("VMAC {name} vanished after creation"))?;
        if created == Change::AlreadySo && link.mac != mac {
            warn!("({inst}) existing interface {name} does not have the VMAC address; using it");
        }
        // Only the VMAC answers ARP for the VIPs; the base keeps answering for its own
        // addresses (arp_ignore=1 answers only for addresses on the receiving interface).
        let b = &base.name;
        for (k, v) in [("arp_ignore", "1"), ("arp_filter", "1")] {
            if let Err(e) = self.sysctls.set(&format!("{IPV4_CONF}/{b}/{k}"), v) {
                warn!("({inst}) setting {k} on {b}: {e}");
            }
        }
        self.relax_all_rp_filter(inst, &name);
        for (k, v) in [
            ("arp_ignore", "1"),
            ("accept_local", "1"),
            ("rp_filter", "0"),
        ] {
            if let Err(e) = std::fs::write(format!("{IPV4_CONF}/{name}/{k}"), v) {
                warn!("({inst}) setting {k} on {name}: {e}");
            }
        }
        // No kernel-made link-local (it would come from the MAC with DAD delays); ours has
        // no DAD. Fails harmlessly where IPv6 is off.
        if let Err(e) = std::fs::write(format!("{IPV6_CONF}/{name}/addr_gen_mode"), "1") {
            debug!("({inst}) addr_gen_mode on {name}: {e}");
        }
        let link_local = if v6 {
            let ll = base_link_local
                .unwrap_or_else(|| eui64_link_local(link.mac.as_slice().try_into().unwrap_or(mac)));
            let mut a = IfAddr::new(link.ifindex, ll.into(), 64);
            a.scope = libc::RT_SCOPE_LINK;
            rtnl.add_address(&a).map_err(|e| e.to_string())?;
            Some(ll)
        } else {
            None
        };
        rtnl.set_link_up(link.ifindex, true)
            .map_err(|e| e.to_string())?;
        if created == Change::Done {
            info!("({inst}) Success creating VMAC interface {name}");
        }
        let v = VmacLink {
            name: name.clone(),
            ifindex: link.ifindex,
            mac: link.mac.as_slice().try_into().unwrap_or(mac),
            link_local,
        };
        self.seen.insert(name.clone());
        self.links.retain(|l| l.name != name);
        self.links.push(v.clone());
        Ok(v)
    }

    /// `rp_filter` takes the maximum of `all` and the interface's own value: with `all`
    /// non-zero the VMAC's 0 would not count. keepalived lowers `all` to 0 and raises each
    /// other interface to the old `all`, so nothing else changes; both are restored on stop.
    fn relax_all_rp_filter(&mut self, inst: &str, vmac: &str) {
        let all_path = format!("{IPV4_CONF}/all/rp_filter");
        let Ok(all) = std::fs::read_to_string(&all_path) else {
            return;
        };
        let all: u8 = all.trim().parse().unwrap_or(0);
        if all == 0 {
            return;
        }
        if let Ok(dir) = std::fs::read_dir(IPV4_CONF) {
            for e in dir.flatten() {
                let n = e.file_name().to_string_lossy().into_owned();
                if n == "all" || n == vmac {
                    continue;
                }
                let p = format!("{IPV4_CONF}/{n}/rp_filter");
                let own: Option<u8> = std::fs::read_to_string(&p)
                    .ok()
                    .and_then(|v| v.trim().parse().ok());
                if own.is_some_and(|o| o < all) {
                    if let Err(e) = self.sysctls.set(&p, &all.to_string()) {
                        warn!("({inst}) setting rp_filter on {n}: {e}");
                    }
                }
            }
        }
        if let Err(e) = self.sysctls.set(&all_path, "0") {
            warn!("({inst}) setting all.rp_filter: {e}");
        }
    }

    /// Deletes every VMAC and restores the sysctls (stop).
    pub fn teardown(&mut self, rtnl: &mut Rtnl) {
        for l in self.links.drain(..) {
            delete(rtnl, &l);
        }
        self.sysctls.restore();
    }
}

fn delete(rtnl: &mut Rtnl, l: &VmacLink) {
    match rtnl.del_link(l.ifindex) {
        Ok(_) => info!("Success removing VMAC interface {}", l.name),
        Err(e) => warn!("removing VMAC interface {}: {e}", l.name),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn default_names_follow_vmac_prefix_as_keepalived() {
        // keepalived 2.2.7 with `vmac_prefix kv`: kv.51, and kv6.51 for the IPv6 instance
        // of the same VRID.
        assert_eq!(default_name("kv", 51, false, |_| false), "kv.51");
        assert_eq!(default_name("kv", 51, true, |n| n == "kv.51"), "kv6.51");
        assert_eq!(default_name("kv", 51, true, |_| false), "kv.51");
        assert_eq!(default_name("vrrp", 7, true, |n| n == "vrrp.7"), "vrrp6.7");
        let mut g = keepalived_config::model::global::GlobalDefs::default();
        assert_eq!(vmac_prefix(&g), "vrrp");
        g.other.insert("vmac_prefix".into(), vec!["kv".into()]);
        assert_eq!(vmac_prefix(&g), "kv");
    }

    use super::*;

    #[test]
    fn virtual_macs_and_link_local() {
        assert_eq!(virtual_mac(51, false), [0, 0, 0x5e, 0, 1, 51]);
        assert_eq!(virtual_mac(7, true), [0, 0, 0x5e, 0, 2, 7]);
        assert_eq!(
            eui64_link_local([0, 0, 0x5e, 0, 2, 7]),
            "fe80::200:5eff:fe00:207".parse::<Ipv6Addr>().unwrap()
        );
        assert_eq!(parse_mac("00:00:5e:00:01:0a"), Some([0, 0, 0x5e, 0, 1, 10]));
        assert_eq!(parse_mac("00:00:5e:00:01"), None);
        assert_eq!(parse_mac("zz:00:5e:00:01:0a"), None);
    }

    #[test]
    fn sysctls_remember_the_first_value_and_restore_in_reverse() {
        let dir = std::env::temp_dir().join(format!("krt-sysctl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("arp_ignore");
        let p = p.to_str().unwrap();
        std::fs::write(p, "0\n").unwrap();
        let mut s = Sysctls::default();
        s.set(p, "1").unwrap();
        s.set(p, "2").unwrap();
        assert_eq!(std::fs::read_to_string(p).unwrap(), "2");
        s.restore();
        assert_eq!(std::fs::read_to_string(p).unwrap(), "0");
        assert!(s.set(&format!("{}/missing", dir.display()), "1").is_err());
        // A restarted child takes the originals over from the state file.
        let state = dir.join("state");
        let mut first = Sysctls::persistent(state.clone());
        first.set(p, "1").unwrap();
        let mut second = Sysctls::persistent(state.clone());
        second.set(p, "1").unwrap();
        second.restore();
        assert_eq!(std::fs::read_to_string(p).unwrap(), "0");
        assert!(!state.exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
