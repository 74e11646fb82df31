//! The VRRP side of the model: static addresses/routes/rules, vrrp_script, track_file,
//! vrrp_track_process, track_group, garp_group, sync groups and vrrp_instance. Built by
//! `parse::vrrp`, checked by `validate::vrrp`, run by the VRRP child.

use super::Script;
use crate::diag::Loc;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use std::time::Duration;

/// Everything VRRP-related in a configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VrrpConfig {
    pub static_addresses: Vec<IpAddress>,
    pub static_routes: Vec<Route>,
    pub static_rules: Vec<Rule>,
    pub track_groups: Vec<TrackGroup>,
    pub garp_groups: Vec<GarpGroup>,
    pub linkbeat_interfaces: Vec<LinkbeatInterface>,
    pub interface_up_down_delays: Vec<UpDownDelay>,
    pub scripts: Vec<VrrpScript>,
    pub track_processes: Vec<TrackProcess>,
    pub track_files: Vec<TrackFile>,
    pub sync_groups: Vec<SyncGroup>,
    pub instances: Vec<VrrpInstance>,
}

impl VrrpConfig {
    /// Whether the VRRP child has anything to do (keepalived's `have_vrrp_config`): any
    /// VRRP root block, including static addresses/routes/rules and trackers.
    pub fn has_config(&self) -> bool {
        !(self.static_addresses.is_empty()
            && self.static_routes.is_empty()
            && self.static_rules.is_empty()
            && self.track_groups.is_empty()
            && self.garp_groups.is_empty()
            && self.linkbeat_interfaces.is_empty()
            && self.interface_up_down_delays.is_empty()
            && self.scripts.is_empty()
            && self.track_processes.is_empty()
            && self.track_files.is_empty()
            && self.sync_groups.is_empty()
            && self.instances.is_empty())
    }

    /// Every script with what it is for, e.g. ("vrrp_script", chk script).
    pub fn scripts<'a>(&'a self, out: &mut Vec<(&'static str, &'a Script)>) {
        for s in &self.scripts {
            if let Some(sc) = &s.script {
                out.push(("vrrp_script", sc));
            }
        }
        for g in &self.sync_groups {
            g.notify.scripts(out);
        }
        for i in &self.instances {
            i.notify.scripts(out);
            if let Some(sc) = &i.notify_master_rx_lower_pri {
                out.push(("notify_master_rx_lower_pri", sc));
            }
        }
    }

    /// Every script with its purpose and owner, e.g. ("vrrp_script chk", ..) or
    /// ("notify_master VI_1", ..), for messages that must name what runs the script.
    pub fn named_scripts(&self) -> Vec<(String, &Script)> {
        let mut out = Vec::new();
        for s in &self.scripts {
            if let Some(sc) = &s.script {
                out.push((format!("vrrp_script {}", s.name), sc));
            }
        }
        for g in &self.sync_groups {
            let mut v = Vec::new();
            g.notify.scripts(&mut v);
            out.extend(v.into_iter().map(|(w, sc)| (format!("{w} {}", g.name), sc)));
        }
        for i in &self.instances {
            let mut v = Vec::new();
            i.notify.scripts(&mut v);
            if let Some(sc) = &i.notify_master_rx_lower_pri {
                v.push(("notify_master_rx_lower_pri", sc));
            }
            out.extend(v.into_iter().map(|(w, sc)| (format!("{w} {}", i.name), sc)));
        }
        out
    }

    pub fn instance(&self, name: &str) -> Option<&VrrpInstance> {
        self.instances.iter().find(|i| i.name == name)
    }
}

/// Address family of an instance, a VIP, a route or a rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Family {
    #[default]
    Inet,
    Inet6,
}

impl Family {
    pub fn of(a: &IpAddr) -> Family {
        if a.is_ipv4() {
            Family::Inet
        } else {
            Family::Inet6
        }
    }
}

/// `broadcast`/`brd` value of an address line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Broadcast {
    Addr(IpAddr),
    /// `+`: all host bits set.
    Plus,
    /// `-`: all host bits clear.
    Minus,
}

/// One line of `virtual_ipaddress`, `virtual_ipaddress_excluded` or `static_ipaddress`:
/// `IP[/MASK] [dev IF] [scope S] [brd IP|+|-] [label L] [peer IP[/M]] [home] [-nodad] ...`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpAddress {
    pub addr: IpAddr,
    pub prefix: u8,
    pub dev: Option<String>,
    /// Scope name or number as written (`host`, `link`, `site`, `global`, `nowhere`, N).
    pub scope: Option<String>,
    pub broadcast: Option<Broadcast>,
    pub label: Option<String>,
    pub peer: Option<(IpAddr, u8)>,
    pub home: bool,
    pub nodad: bool,
    pub mngtmpaddr: bool,
    pub noprefixroute: bool,
    pub autojoin: bool,
    pub no_track: bool,
    /// `preferred_lft`: seconds, `None` = forever (the default).
    pub preferred_lft: Option<u32>,
    /// `use_vmac` (VIPs only): add the address to the instance's VMAC.
    pub use_vmac: bool,
    pub track_group: Option<String>,
    pub loc: Loc,
}

/// A `via`/`gw` gateway or one `nexthop` of a multipath route.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextHop {
    pub via: Option<IpAddr>,
    pub dev: Option<String>,
    pub weight: Option<u32>,
    pub onlink: bool,
}

/// One line of `virtual_routes` / `static_routes`, in `ip route` syntax (no abbreviations).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    /// `unicast` (default), `blackhole`, `unreachable`, `prohibit`, `throw`, `local`, ...
    pub kind: String,
    pub dst: IpAddr,
    pub dst_len: u8,
    pub src: Option<IpAddr>,
    pub via: Option<IpAddr>,
    pub dev: Option<String>,
    pub table: Option<String>,
    pub metric: Option<u32>,
    pub scope: Option<String>,
    pub protocol: Option<String>,
    pub nexthops: Vec<NextHop>,
    pub no_track: bool,
    /// Other `ip route` options as written (`mtu 1400`, `onlink`, ...), for the netlink layer.
    pub options: Vec<String>,
    pub track_group: Option<String>,
    pub loc: Loc,
}

impl Route {
    /// A `unicast` route to `dst/dst_len` with nothing else set: what the parser starts
    /// from before reading the line's options.
    pub fn unicast(dst: IpAddr, dst_len: u8, loc: Loc) -> Route {
        Route {
            kind: "unicast".to_string(),
            dst,
            dst_len,
            src: None,
            via: None,
            dev: None,
            table: None,
            metric: None,
            scope: None,
            protocol: None,
            nexthops: Vec::new(),
            no_track: false,
            options: Vec::new(),
            track_group: None,
            loc,
        }
    }
}

/// One line of `virtual_rules` / `static_rules`, in `ip rule` syntax.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub family: Option<Family>,
    pub invert: bool,
    pub from: Option<(IpAddr, u8)>,
    pub to: Option<(IpAddr, u8)>,
    /// Assigned by keepalived (counting down from 16384) when missing, with a warning.
    pub preference: u32,
    /// The preference was not written and keepalived's counter gave it.
    pub preference_assigned: bool,
    pub table: Option<String>,
    /// `blackhole`, `unreachable`, `prohibit` or `goto N`.
    pub action: Option<String>,
    pub fwmark: Option<String>,
    pub iif: Option<String>,
    pub oif: Option<String>,
    pub no_track: bool,
    pub options: Vec<String>,
    pub track_group: Option<String>,
    pub loc: Loc,
}

impl Rule {
    /// A rule with nothing set (preference 0, to be assigned): what the parser starts from
    /// before reading the line.
    pub fn new(loc: Loc) -> Rule {
        Rule {
            family: None,
            invert: false,
            from: None,
            to: None,
            preference: 0,
            preference_assigned: false,
            table: None,
            action: None,
            fwmark: None,
            iif: None,
            oif: None,
            no_track: false,
            options: Vec::new(),
            track_group: None,
            loc,
        }
    }
}

/// `track_group NAME { group { VI_1 ... } }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackGroup {
    pub name: String,
    pub instances: Vec<String>,
    pub loc: Loc,
}

/// `garp_group { garp_interval; gna_interval; interface; interfaces { ... } }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GarpGroup {
    pub garp_interval: Option<Duration>,
    pub gna_interval: Option<Duration>,
    pub interfaces: Vec<String>,
    pub loc: Loc,
}

/// `linkbeat_interfaces { IF [MII|ETHTOOL|IOCTL] }` line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkbeatInterface {
    pub name: String,
    pub method: Option<String>,
    pub loc: Loc,
}

/// `interface_up_down_delays { IF DOWN [UP] }` line (seconds, µs resolution).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpDownDelay {
    pub name: String,
    pub down: Duration,
    pub up: Duration,
    pub loc: Loc,
}

/// `vrrp_script NAME { ... }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VrrpScript {
    pub name: String,
    pub script: Option<Script>,
    /// Default 1 s.
    pub interval: Duration,
    /// Default: the interval.
    pub timeout: Option<Duration>,
    /// -253..253, default 0 (not weighted: failure means FAULT).
    pub weight: i32,
    pub weight_reverse: bool,
    /// Default 1.
    pub rise: u32,
    /// Default 1.
    pub fall: u32,
    pub init_fail: bool,
    pub loc: Loc,
}

impl VrrpScript {
    pub fn new(name: &str, loc: Loc) -> Self {
        VrrpScript {
            name: name.to_string(),
            script: None,
            interval: Duration::from_secs(1),
            timeout: None,
            weight: 0,
            weight_reverse: false,
            rise: 1,
            fall: 1,
            init_fail: false,
            loc,
        }
    }
}

/// `vrrp_track_process NAME { ... }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackProcess {
    pub name: String,
    /// The process name, then parameters to match.
    pub process: Vec<String>,
    pub param_match: Option<String>,
    pub weight: i32,
    pub weight_reverse: bool,
    /// Default 1.
    pub quorum: u32,
    pub quorum_max: Option<u32>,
    pub delay: Option<Duration>,
    pub terminate_delay: Option<Duration>,
    pub fork_delay: Option<Duration>,
    pub full_command: bool,
    pub loc: Loc,
}

impl TrackProcess {
    /// `vrrp_track_process NAME` with keepalived's defaults (quorum 1, weight 0): what
    /// the parser starts from before reading the block.
    pub fn new(name: &str, loc: Loc) -> TrackProcess {
        TrackProcess {
            name: name.to_string(),
            process: Vec::new(),
            param_match: None,
            weight: 0,
            weight_reverse: false,
            quorum: 1,
            quorum_max: None,
            delay: None,
            terminate_delay: None,
            fork_delay: None,
            full_command: false,
            loc,
        }
    }
}

/// `track_file NAME { file PATH; weight N [reverse]; init_file [VALUE] [overwrite] }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackFile {
    pub name: String,
    pub file: Option<String>,
    pub weight: i32,
    pub weight_reverse: bool,
    /// `init_file`: create the file with this value (default 0) if missing.
    pub init_file: Option<i64>,
    pub init_overwrite: bool,
    /// Declared with the deprecated `vrrp_track_file`.
    pub deprecated_keyword: bool,
    pub loc: Loc,
}

/// An entry of `track_interface`, `track_script`, `track_file`, `track_process`, `track_bfd`:
/// `NAME [weight N [reverse]]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracked {
    pub name: String,
    /// `None` = use the tracked object's own weight.
    pub weight: Option<i32>,
    pub reverse: bool,
    pub loc: Loc,
}

/// notify scripts shared by instances and sync groups.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notify {
    pub master: Option<Script>,
    pub backup: Option<Script>,
    pub fault: Option<Script>,
    pub stop: Option<Script>,
    pub deleted: Option<Script>,
    /// `notify_deleted` without a script: send DELETED rather than FAULT.
    pub deleted_flag: bool,
    pub generic: Option<Script>,
}

impl Notify {
    fn scripts<'a>(&'a self, out: &mut Vec<(&'static str, &'a Script)>) {
        let all = [
            ("notify_master", &self.master),
            ("notify_backup", &self.backup),
            ("notify_fault", &self.fault),
            ("notify_stop", &self.stop),
            ("notify_deleted", &self.deleted),
            ("notify", &self.generic),
        ];
        for (what, s) in all {
            if let Some(s) = s {
                out.push((what, s));
            }
        }
    }
}

/// `vrrp_sync_group NAME { group { ... } ... }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncGroup {
    pub name: String,
    pub group: Vec<(String, Loc)>,
    pub track_interface: Vec<Tracked>,
    pub track_script: Vec<Tracked>,
    pub track_file: Vec<Tracked>,
    pub track_process: Vec<Tracked>,
    pub track_bfd: Vec<Tracked>,
    pub notify: Notify,
    pub smtp_alert: Option<bool>,
    pub sync_group_tracking_weight: bool,
    pub notify_priority_changes: Option<bool>,
    pub loc: Loc,
}

/// Initial state requested with `state`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum InitialState {
    /// Not given: MASTER if priority 255, else BACKUP.
    #[default]
    Unset,
    Master,
    Backup,
}

/// `authentication { auth_type PASS|AH; auth_pass X }` (VRRPv2 only).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuthType {
    #[default]
    None,
    Pass,
    Ah,
}

/// `unicast_peer` line: `IP [min_ttl N] [max_ttl N]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnicastPeer {
    pub addr: IpAddr,
    pub min_ttl: u8,
    pub max_ttl: u8,
    /// `min_ttl` or `max_ttl` was written: keepalived then checks the source of unicast
    /// adverts as if `check_unicast_src` were set.
    #[serde(default)]
    pub ttl_given: bool,
    pub loc: Loc,
}

/// `use_vmac [NAME] [MAC] [netlink_notify_msg] [group G]` and friends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vmac {
    pub name: Option<String>,
    pub name_loc: Option<Loc>,
    pub mac: Option<String>,
    pub netlink_notify_msg: bool,
    pub group: Option<String>,
}

/// `use_ipvlan [NAME] [ADDR/PREFIX] [bridge|private|vepa]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ipvlan {
    pub name: Option<String>,
    pub addr: Option<String>,
    pub mode: Option<String>,
}

/// `vrrp_instance NAME { ... }`. Options left `None` take the `global_defs` default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VrrpInstance {
    pub name: String,
    pub loc: Loc,
    pub state: InitialState,
    pub state_loc: Option<Loc>,
    pub interface: Option<String>,
    pub interface_loc: Option<Loc>,
    pub vrf: Option<String>,
    pub dont_track_primary: bool,
    /// 1..255, required.
    pub vrid: Option<u8>,
    /// 1..255; `None`: 255 (address owner) with `state MASTER`, else 100.
    pub priority: Option<u8>,
    /// Default 1 s.
    pub advert_int: Duration,
    pub advert_int_loc: Option<Loc>,
    /// `version 2|3`; `None` = `vrrp_version` (IPv6 always 3).
    pub version: Option<u8>,
    /// `use_vmac` given.
    pub vmac: Option<Vmac>,
    /// `vmac_xmit_base`: send adverts on the base interface (VMAC only).
    pub vmac_xmit_base: bool,
    /// `use_vmac_addr`.
    pub use_vmac_addr: bool,
    pub ipvlan: Option<Ipvlan>,
    pub mcast_src_ip: Option<IpAddr>,
    pub unicast_src_ip: Option<IpAddr>,
    /// `unicast_src_ip` was written (even if invalid): a unicast keyword.
    pub unicast_src_given: bool,
    pub mcast_dst_ip: Option<IpAddr>,
    pub track_src_ip: bool,
    pub unicast_peers: Vec<UnicastPeer>,
    /// A `unicast_peer` block was written (even an empty one).
    pub unicast_peer_block: bool,
    pub unicast_fault_no_peer: bool,
    pub check_unicast_src: bool,
    pub unicast_ttl: Option<u8>,
    pub old_unicast_checksum: Option<bool>,
    pub v3_checksum_as_v2: Option<bool>,
    pub track_interface: Vec<Tracked>,
    pub track_script: Vec<Tracked>,
    pub track_file: Vec<Tracked>,
    pub track_process: Vec<Tracked>,
    pub track_bfd: Vec<Tracked>,
    pub vips: Vec<IpAddress>,
    pub evips: Vec<IpAddress>,
    pub no_virtual_ipaddress: bool,
    pub promote_secondaries: bool,
    pub routes: Vec<Route>,
    pub rules: Vec<Rule>,
    /// `accept`/`no_accept`; `None` = accept unless strict mode.
    pub accept: Option<bool>,
    pub skip_check_adv_addr: Option<bool>,
    pub strict_mode: Option<bool>,
    pub nopreempt: bool,
    /// 0..1000 s.
    pub preempt_delay: Duration,
    pub debug: Option<u32>,
    pub notify: Notify,
    pub notify_master_rx_lower_pri: Option<Script>,
    pub notify_priority_changes: Option<bool>,
    pub smtp_alert: Option<bool>,
    pub lvs_sync_daemon_interface: Option<String>,
    pub kernel_rx_buf_size: Option<u64>,
    pub garp_master_delay: Option<Duration>,
    pub garp_master_refresh: Option<Duration>,
    pub garp_master_repeat: Option<u32>,
    pub garp_master_refresh_repeat: Option<u32>,
    pub garp_lower_prio_delay: Option<Duration>,
    pub garp_lower_prio_repeat: Option<u32>,
    pub garp_extra_if: Option<(Duration, bool)>,
    /// 1..100; `None` = `vrrp_down_timer_adverts` (3).
    pub down_timer_adverts: Option<u32>,
    pub timer_expired_backup: Option<Option<u8>>,
    pub lower_prio_no_advert: Option<bool>,
    pub higher_prio_send_advert: Option<bool>,
    pub owner_ignore_adverts: bool,
    pub auth_type: AuthType,
    /// At most 8 bytes (longer passwords are truncated like keepalived does).
    pub auth_pass: Option<String>,
    pub auth_loc: Option<Loc>,
}

impl VrrpInstance {
    pub fn new(name: &str, loc: Loc) -> Self {
        VrrpInstance {
            name: name.to_string(),
            loc,
            state: InitialState::Unset,
            state_loc: None,
            interface: None,
            interface_loc: None,
            vrf: None,
            dont_track_primary: false,
            vrid: None,
            priority: None,
            advert_int: Duration::from_secs(1),
            advert_int_loc: None,
            version: None,
            vmac: None,
            vmac_xmit_base: false,
            use_vmac_addr: false,
            ipvlan: None,
            mcast_src_ip: None,
            unicast_src_ip: None,
            unicast_src_given: false,
            mcast_dst_ip: None,
            track_src_ip: false,
            unicast_peers: Vec::new(),
            unicast_peer_block: false,
            unicast_fault_no_peer: false,
            check_unicast_src: false,
            unicast_ttl: None,
            old_unicast_checksum: None,
            v3_checksum_as_v2: None,
            track_interface: Vec::new(),
            track_script: Vec::new(),
            track_file: Vec::new(),
            track_process: Vec::new(),
            track_bfd: Vec::new(),
            vips: Vec::new(),
            evips: Vec::new(),
            no_virtual_ipaddress: false,
            promote_secondaries: false,
            routes: Vec::new(),
            rules: Vec::new(),
            accept: None,
            skip_check_adv_addr: None,
            strict_mode: None,
            nopreempt: false,
            preempt_delay: Duration::ZERO,
            debug: None,
            notify: Notify::default(),
            notify_master_rx_lower_pri: None,
            notify_priority_changes: None,
            smtp_alert: None,
            lvs_sync_daemon_interface: None,
            kernel_rx_buf_size: None,
            garp_master_delay: None,
            garp_master_refresh: None,
            garp_master_repeat: None,
            garp_master_refresh_repeat: None,
            garp_lower_prio_delay: None,
            garp_lower_prio_repeat: None,
            garp_extra_if: None,
            down_timer_adverts: None,
            timer_expired_backup: None,
            lower_prio_no_advert: None,
            higher_prio_send_advert: None,
            owner_ignore_adverts: false,
            auth_type: AuthType::None,
            auth_pass: None,
            auth_loc: None,
        }
    }

    /// The priority the instance starts with: as configured, else 255 (address owner)
    /// when `state MASTER` is requested, else keepalived's default 100.
    pub fn effective_priority(&self) -> u8 {
        match (self.priority, self.state) {
            (Some(p), _) => p,
            (None, InitialState::Master) => 255,
            (None, _) => 100,
        }
    }

    /// The instance's address family: that of its first VIP, IPv4 when there is none.
    pub fn family(&self) -> Family {
        self.vips
            .first()
            .map(|v| Family::of(&v.addr))
            .unwrap_or_default()
    }
}
