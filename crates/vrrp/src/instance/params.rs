//! The settled parameters of one VRRP instance: built from keepalived_config's
//! `VrrpInstance` + `GlobalDefs` with keepalived's defaults and corrections
//! (`vrrp_complete_instance`), read by [`super::Instance`].

use keepalived_config::model::global::GlobalDefs;
use keepalived_config::model::vrrp::{Family, InitialState, VrrpInstance};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use std::time::Duration;

/// Priority of the address owner (RFC 3768 §5.3.4, RFC 5798 §5.2.4).
pub const PRIO_OWNER: u8 = 255;

/// GARP / unsolicited NA settings (keepalived defaults: 5 at once, 5 more after 5 s,
/// refresh off, refresh repeat 1, lower-priority repeat/delay as for master).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GarpParams {
    pub master_delay: Duration,
    pub master_repeat: u32,
    pub master_refresh: Option<Duration>,
    pub master_refresh_repeat: u32,
    pub lower_prio_delay: Duration,
    pub lower_prio_repeat: u32,
}

impl Default for GarpParams {
    fn default() -> Self {
        GarpParams {
            master_delay: Duration::from_secs(5),
            master_repeat: 5,
            master_refresh: None,
            master_refresh_repeat: 1,
            lower_prio_delay: Duration::from_secs(5),
            lower_prio_repeat: 5,
        }
    }
}

/// Everything the state machine needs to know about its configuration. Missing fields
/// deserialize to [`Params::default`]'s (replay fixtures list only what differs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Params {
    pub name: String,
    /// 2 or 3.
    pub version: u8,
    pub vrid: u8,
    /// Configured (base) priority, 1..=255.
    pub priority: u8,
    /// Our advertisement interval: whole seconds for v2, centiseconds for v3.
    pub advert_int: Duration,
    pub nopreempt: bool,
    pub preempt_delay: Duration,
    /// `state MASTER` (a preference unless `priority` is 255).
    pub want_master: bool,
    pub down_timer_adverts: u32,
    pub lower_prio_no_advert: bool,
    pub higher_prio_send_advert: bool,
    pub strict: bool,
    pub dont_track_primary: bool,
    /// Our source address, compared with an equal-priority sender's (higher wins).
    /// `None` until the adapter knows the interface's primary address.
    pub primary_addr: Option<IpAddr>,
    /// Number of VIPs we advertise (for the address-count check).
    pub vip_count: u8,
    /// `skip_check_adv_addr`: a BACKUP skips the address-list check for adverts from the
    /// master it already follows.
    pub skip_check_adv_addr: bool,
    pub garp: GarpParams,
    /// `unicast_fault_no_peer` with no `unicast_peer`: held in FAULT (keepalived 2.2.4+),
    /// rather than falling back to multicast.
    pub unicast_no_peer_fault: bool,
    /// `owner_ignore_adverts` / `vrrp_owner_ignore_adverts`: as the address owner
    /// (priority 255), drop every advert received.
    pub owner_ignore_adverts: bool,
    /// `vrrp_startup_delay`: at [`super::Input::Start`] the down timer runs this much
    /// longer (keepalived enters BACKUP at once but times out only after the delay). The
    /// VRRP child sets it for its first configuration only, not for reloads.
    pub startup_delay: Duration,
}

impl Default for Params {
    /// `VI_1`, v2, VRID 1, priority 100.
    fn default() -> Self {
        Params::new("VI_1", 2, 1, 100)
    }
}

impl Params {
    /// A plain instance: v2 unless `version` says otherwise, priority 100, 1 s adverts,
    /// keepalived's defaults elsewhere. Used by tests and as a base.
    pub fn new(name: &str, version: u8, vrid: u8, priority: u8) -> Params {
        Params {
            name: name.to_string(),
            version,
            vrid,
            priority,
            advert_int: Duration::from_secs(1),
            nopreempt: false,
            preempt_delay: Duration::ZERO,
            want_master: priority == PRIO_OWNER,
            down_timer_adverts: 3,
            lower_prio_no_advert: false,
            higher_prio_send_advert: false,
            strict: false,
            dont_track_primary: false,
            primary_addr: None,
            vip_count: 1,
            skip_check_adv_addr: false,
            garp: GarpParams::default(),
            unicast_no_peer_fault: false,
            owner_ignore_adverts: false,
            startup_delay: Duration::ZERO,
        }
    }

    /// Whether we own the addresses (priority 255).
    pub fn is_owner(&self) -> bool {
        self.priority == PRIO_OWNER
    }

    /// Parameters for one configured instance, with keepalived's defaults from
    /// `global_defs` and the corrections `vrrp_complete_instance` makes (strict mode,
    /// owner, `state MASTER`, interval rounding). `primary_addr` is
    /// `unicast_src_ip`/`mcast_src_ip` when configured; the adapter fills it otherwise.
    pub fn from_config(inst: &VrrpInstance, global: &GlobalDefs) -> Params {
        let strict = inst.strict_mode.unwrap_or(global.vrrp_strict);
        let family = inst.family();
        let version = match (inst.version, family) {
            (Some(v), Family::Inet) => v,
            (_, Family::Inet6) => 3,
            (None, Family::Inet) => global.vrrp_version,
        };
        let priority = inst.effective_priority().max(1);
        let owner = priority == PRIO_OWNER;
        let mut want_master = match inst.state {
            InitialState::Master => true,
            InitialState::Backup => false,
            InitialState::Unset => owner,
        };
        if strict && want_master != owner {
            want_master = owner;
        }
        let mut nopreempt = inst.nopreempt && !owner;
        let mut preempt_delay = inst.preempt_delay;
        if want_master {
            nopreempt = false;
            preempt_delay = Duration::ZERO;
        }
        if strict || nopreempt {
            preempt_delay = Duration::ZERO;
        }
        let down_timer_adverts = if strict {
            3
        } else {
            inst.down_timer_adverts
                .unwrap_or(global.vrrp_down_timer_adverts)
                .clamp(1, 100)
        };
        let lower_prio_no_advert = strict
            || inst
                .lower_prio_no_advert
                .unwrap_or(global.vrrp_lower_prio_no_advert);
        let higher_prio_send_advert = !strict
            && inst
                .higher_prio_send_advert
                .unwrap_or(global.vrrp_higher_prio_send_advert);

        // vrrp_min_garp: 1 packet, no second block (global defaults only).
        let (g_delay, g_repeat) = if global.vrrp_min_garp {
            (Duration::ZERO, 1)
        } else {
            (
                global.vrrp_garp_master_delay,
                global.vrrp_garp_master_repeat,
            )
        };
        let g_lp_repeat = global.vrrp_garp_lower_prio_repeat.unwrap_or(g_repeat);
        let g_lp_delay = global.vrrp_garp_lower_prio_delay.unwrap_or(g_delay);
        let garp = GarpParams {
            master_delay: inst.garp_master_delay.unwrap_or(g_delay),
            master_repeat: inst.garp_master_repeat.unwrap_or(g_repeat),
            master_refresh: inst
                .garp_master_refresh
                .or(global.vrrp_garp_master_refresh)
                .filter(|d| !d.is_zero()),
            master_refresh_repeat: inst
                .garp_master_refresh_repeat
                .unwrap_or(global.vrrp_garp_master_refresh_repeat),
            lower_prio_delay: if strict {
                Duration::ZERO
            } else {
                inst.garp_lower_prio_delay.unwrap_or(g_lp_delay)
            },
            lower_prio_repeat: if strict {
                0
            } else {
                inst.garp_lower_prio_repeat.unwrap_or(g_lp_repeat)
            },
        };

        Params {
            name: inst.name.clone(),
            version,
            vrid: inst.vrid.unwrap_or(0),
            priority,
            advert_int: round_advert_int(inst.advert_int, version),
            nopreempt,
            preempt_delay,
            want_master,
            down_timer_adverts,
            lower_prio_no_advert,
            higher_prio_send_advert,
            strict,
            dont_track_primary: inst.dont_track_primary,
            primary_addr: inst.unicast_src_ip.or(inst.mcast_src_ip),
            vip_count: u8::try_from(inst.vips.len()).unwrap_or(u8::MAX),
            skip_check_adv_addr: inst
                .skip_check_adv_addr
                .unwrap_or(global.vrrp_skip_check_adv_addr),
            garp,
            unicast_no_peer_fault: inst.unicast_fault_no_peer && inst.unicast_peers.is_empty(),
            owner_ignore_adverts: owner
                && (inst.owner_ignore_adverts || global.vrrp_owner_ignore_adverts),
            startup_delay: global.vrrp_startup_delay.unwrap_or_default(),
        }
    }
}

/// Where a multicast instance sends its adverts and whose group its socket joins:
/// `mcast_dst_ip`, else `vrrp_mcast_group4` / `vrrp_mcast_group6` (224.0.0.18 / ff02::12
/// unless set in `global_defs`).
pub fn multicast_group(inst: &VrrpInstance, global: &GlobalDefs) -> IpAddr {
    inst.mcast_dst_ip.unwrap_or(match inst.family() {
        Family::Inet => global.vrrp_mcast_group4,
        Family::Inet6 => global.vrrp_mcast_group6,
    })
}

/// keepalived's rounding of `advert_int`: v2 to whole seconds (1..=255), v3 to
/// centiseconds (1..=4095), to nearest.
pub fn round_advert_int(d: Duration, version: u8) -> Duration {
    let us = u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
    let (unit, max) = if version == 2 {
        (1_000_000u64, 255u64)
    } else {
        (10_000u64, 4095u64)
    };
    let units = (us.saturating_add(unit / 2) / unit).clamp(1, max);
    Duration::from_micros(units * unit)
}
