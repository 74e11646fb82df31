//! Root-level options and `global_defs` (keywords of keepalived/core/global_parser.c).
//! Built by `parse::global`; read by every process (identity, scripts, VRRP defaults).

use super::Script;
use crate::diag::Loc;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::Duration;

/// Root-level keywords outside any block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RootDefs {
    pub net_namespace: Option<String>,
    pub net_namespace_ipvs: Option<String>,
    pub namespace_with_ipsets: bool,
    pub use_pid_dir: bool,
    /// `instance NAME`: suffix for pid files and syslog ident.
    pub instance: Option<String>,
    /// How long the parent waits for children at shutdown (default 5 s).
    pub child_wait_time: Duration,
    /// Deprecated root `linkbeat_use_polling`.
    pub linkbeat_use_polling: bool,
}

impl Default for RootDefs {
    fn default() -> Self {
        RootDefs {
            net_namespace: None,
            net_namespace_ipvs: None,
            namespace_with_ipsets: false,
            use_pid_dir: false,
            instance: None,
            child_wait_time: Duration::from_secs(5),
            linkbeat_use_polling: false,
        }
    }
}

/// A notify FIFO and the script that reads it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fifo {
    pub path: Option<String>,
    /// Optional `username [groupname]` after the path (owner of the FIFO).
    pub owner: Vec<String>,
    pub script: Option<Script>,
}

/// `lvs_sync_daemon INTERFACE VRRP_INSTANCE [id N] [maxlen N] [port N] [ttl N] [group IP]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LvsSyncDaemon {
    pub interface: String,
    pub instance: String,
    pub sync_id: Option<u8>,
    pub maxlen: Option<u16>,
    pub port: Option<u16>,
    pub ttl: Option<u8>,
    pub group: Option<IpAddr>,
    pub loc: Option<Loc>,
}

/// `global_defs { ... }`. Frequently used options are typed fields; the remaining
/// keywords (scheduling, netlink buffers, nftables, SNMP details, ...) are checked against
/// their kind and range when parsed and kept as written in [`GlobalDefs::other`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GlobalDefs {
    pub router_id: Option<String>,
    pub notification_email: Vec<String>,
    pub notification_email_from: Option<String>,
    /// `smtp_server IP|NAME [PORT]`.
    pub smtp_server: Option<(String, u16)>,
    /// Where `smtp_server` was written (a name that does not resolve is reported there).
    pub smtp_server_loc: Option<Loc>,
    pub smtp_helo_name: Option<String>,
    /// Default 30 s.
    pub smtp_connect_timeout: Duration,
    pub smtp_alert: Option<bool>,
    pub smtp_alert_vrrp: Option<bool>,
    pub smtp_alert_checker: Option<bool>,
    pub no_email_faults: bool,
    pub checker_log_all_failures: bool,

    /// `script_user USER [GROUP]`; `None` = `keepalived_script` (or root).
    pub script_user: Option<(String, Option<String>)>,
    /// Where `script_user` was written (for script security messages).
    pub script_user_loc: Option<Loc>,
    pub enable_script_security: bool,
    pub startup_script: Option<Script>,
    pub startup_script_timeout: Option<u32>,
    pub shutdown_script: Option<Script>,
    pub shutdown_script_timeout: Option<u32>,
    pub notify_fifo: Fifo,
    pub vrrp_notify_fifo: Fifo,
    pub lvs_notify_fifo: Fifo,

    pub dynamic_interfaces: bool,
    pub default_interface: Option<String>,
    pub disable_local_igmp: bool,
    pub v3_checksum_as_v2: bool,
    /// Default 224.0.0.18.
    pub vrrp_mcast_group4: IpAddr,
    /// Default ff02::12.
    pub vrrp_mcast_group6: IpAddr,
    /// Default 5 s.
    pub vrrp_garp_master_delay: Duration,
    /// Default 5.
    pub vrrp_garp_master_repeat: u32,
    pub vrrp_garp_master_refresh: Option<Duration>,
    /// Default 1.
    pub vrrp_garp_master_refresh_repeat: u32,
    pub vrrp_garp_lower_prio_delay: Option<Duration>,
    pub vrrp_garp_lower_prio_repeat: Option<u32>,
    /// Default 3.
    pub vrrp_down_timer_adverts: u32,
    pub vrrp_garp_interval: Duration,
    pub vrrp_gna_interval: Duration,
    pub vrrp_min_garp: bool,
    pub vrrp_lower_prio_no_advert: bool,
    pub vrrp_higher_prio_send_advert: bool,
    /// 2 or 3, default 2.
    pub vrrp_version: u8,
    pub vrrp_check_unicast_src: bool,
    pub vrrp_skip_check_adv_addr: bool,
    pub vrrp_strict: bool,
    pub vrrp_notify_priority_changes: bool,
    pub vrrp_startup_delay: Option<Duration>,
    pub vrrp_owner_ignore_adverts: bool,
    pub log_unknown_vrids: bool,

    pub lvs_sync_daemon: Option<LvsSyncDaemon>,
    pub lvs_flush: bool,
    pub lvs_flush_on_stop: Option<String>,

    pub enable_snmp_vrrp: bool,
    pub enable_snmp_checker: bool,
    pub enable_snmp_rfcv2: bool,
    pub enable_snmp_rfcv3: bool,
    pub enable_traps: bool,
    pub snmp_socket: Option<String>,
    pub enable_dbus: bool,

    /// Other validated keywords with their arguments as written (last occurrence wins).
    pub other: BTreeMap<String, Vec<String>>,
    pub loc: Option<Loc>,
}

impl Default for GlobalDefs {
    fn default() -> Self {
        GlobalDefs {
            router_id: None,
            notification_email: Vec::new(),
            notification_email_from: None,
            smtp_server: None,
            smtp_server_loc: None,
            smtp_helo_name: None,
            smtp_connect_timeout: Duration::from_secs(30),
            smtp_alert: None,
            smtp_alert_vrrp: None,
            smtp_alert_checker: None,
            no_email_faults: false,
            checker_log_all_failures: false,
            script_user: None,
            script_user_loc: None,
            enable_script_security: false,
            startup_script: None,
            startup_script_timeout: None,
            shutdown_script: None,
            shutdown_script_timeout: None,
            notify_fifo: Fifo::default(),
            vrrp_notify_fifo: Fifo::default(),
            lvs_notify_fifo: Fifo::default(),
            dynamic_interfaces: false,
            default_interface: None,
            disable_local_igmp: false,
            v3_checksum_as_v2: false,
            vrrp_mcast_group4: IpAddr::from([224, 0, 0, 18]),
            vrrp_mcast_group6: IpAddr::from([0xff02, 0, 0, 0, 0, 0, 0, 0x12]),
            vrrp_garp_master_delay: Duration::from_secs(5),
            vrrp_garp_master_repeat: 5,
            vrrp_garp_master_refresh: None,
            vrrp_garp_master_refresh_repeat: 1,
            vrrp_garp_lower_prio_delay: None,
            vrrp_garp_lower_prio_repeat: None,
            vrrp_down_timer_adverts: 3,
            vrrp_garp_interval: Duration::ZERO,
            vrrp_gna_interval: Duration::ZERO,
            vrrp_min_garp: false,
            vrrp_lower_prio_no_advert: false,
            vrrp_higher_prio_send_advert: false,
            vrrp_version: 2,
            vrrp_check_unicast_src: false,
            vrrp_skip_check_adv_addr: false,
            vrrp_strict: false,
            vrrp_notify_priority_changes: false,
            vrrp_startup_delay: None,
            vrrp_owner_ignore_adverts: false,
            log_unknown_vrids: false,
            lvs_sync_daemon: None,
            lvs_flush: false,
            lvs_flush_on_stop: None,
            enable_snmp_vrrp: false,
            enable_snmp_checker: false,
            enable_snmp_rfcv2: false,
            enable_snmp_rfcv3: false,
            enable_traps: false,
            snmp_socket: None,
            enable_dbus: false,
            other: BTreeMap::new(),
            loc: None,
        }
    }
}

impl GlobalDefs {
    /// Every script with its purpose (`startup_script`, `notify_fifo_script`, ...).
    pub fn scripts<'a>(&'a self, out: &mut Vec<(&'static str, &'a Script)>) {
        let all = [
            ("startup_script", &self.startup_script),
            ("shutdown_script", &self.shutdown_script),
            ("notify_fifo_script", &self.notify_fifo.script),
            ("vrrp_notify_fifo_script", &self.vrrp_notify_fifo.script),
            ("lvs_notify_fifo_script", &self.lvs_notify_fifo.script),
        ];
        for (what, s) in all {
            if let Some(s) = s {
                out.push((what, s));
            }
        }
    }
}
