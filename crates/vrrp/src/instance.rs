//! The sans-IO VRRP instance state machine: INIT/BACKUP/MASTER/FAULT with RFC 3768 §6,
//! RFC 5798/9568 §6 timers as keepalived implements them (`vrrp.c` `vrrp_state_*`,
//! `vrrp_scheduler.c` `vrrp_init_state`). The VRRP child's loop feeds it [`Input`]s with
//! the current time and executes the [`Output`]s; it never touches a socket or a clock.
//!
//! Timing is exact to the microsecond, with keepalived's integer arithmetic:
//! - v2 Skew_Time = (256 − priority) × 1 000 000 / 256 µs (RFC 3768 §6.1);
//! - v3 Skew_Time = (256 − priority) × Master_Adver_Interval[cs] × 625 / 16 µs
//!   (RFC 5798 §6.1, keepalived `VRRP_TIMER_SKEW_CALC`);
//! - Master_Down_Interval = `down_timer_adverts` × Master_Adver_Interval + Skew_Time.
//!
//! Where we knowingly differ from keepalived 2.2: a MASTER entering FAULT sends one
//! priority-0 advert (keepalived's `down_instance` path sends two back to back); a v3
//! advert with Max Adver Int 0 is dropped (RFC 9568 erratum 8301) rather than learned;
//! [`Input::RestoreState`] (hitless restart) has no keepalived counterpart; a timer
//! delivered before its deadline is re-armed rather than acted on.

mod params;
mod timers;

pub use params::{multicast_group, round_advert_int, GarpParams, Params, PRIO_OWNER};

use crate::events::{GarpBurst, Input, LogEvent, Output, RxAdvert, RxError, State, TimerKind};
use crate::packet::DecodeErrorKind;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// Counters with keepalived's names (`vrrp_stats`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Stats {
    pub advert_rcvd: u64,
    pub advert_sent: u64,
    pub become_master: u64,
    pub release_master: u64,
    pub pri_zero_rcvd: u64,
    pub pri_zero_sent: u64,
    pub advert_interval_err: u64,
    pub addr_list_err: u64,
    /// Adverts for this VRID the decoder rejected, by keepalived's kinds; the daemon
    /// counts them with [`Instance::count_rejected`].
    pub packet_len_err: u64,
    pub ip_ttl_err: u64,
    pub invalid_type_rcvd: u64,
    pub invalid_authtype: u64,
    pub authtype_mismatch: u64,
    pub auth_failure: u64,
    /// keepalived counts these only for SNMP (`_WITH_SNMP_RFC_`); the JSON dump shows them.
    pub chk_err: u64,
    pub vers_err: u64,
}

/// One VRRP instance.
#[derive(Debug)]
pub struct Instance {
    p: Params,
    /// The real state (an owner starting up is briefly BACKUP without saying so).
    real_state: State,
    /// The last state reported with [`Output::StateChanged`].
    announced: State,
    effective_priority: u8,
    master_adver_int: Duration,
    link_up: bool,
    /// A weight-0 tracker fails ([`Input::TrackFault`]).
    track_fault: bool,
    /// The VIPs are installed (keepalived's `vipset`).
    vipset: bool,
    /// When a running `preempt_delay` ends.
    preempt_time: Option<Instant>,
    master_src: Option<IpAddr>,
    master_priority: u8,
    garp_refresh_at: Option<Instant>,
    timers: timers::TimerSlots,
    /// Receive errors already logged in this state (bit per [`RxError::kind`]).
    logged_errors: u32,
    stats: Stats,
    /// Sync group membership ([`crate::sync`]): the down timer asks, it does not decide.
    sync_member: bool,
    /// A member whose down timer expired, waiting for its group.
    wants_master: bool,
    /// Held in FAULT by its sync group.
    sync_fault: bool,
}

impl Instance {
    /// A new instance in INIT; nothing happens until [`Input::Start`] or
    /// [`Input::RestoreState`].
    pub fn new(params: Params, _now: Instant) -> Instance {
        let prio = params.priority.max(1);
        let adv = params.advert_int;
        Instance {
            p: params,
            real_state: State::Init,
            announced: State::Init,
            effective_priority: prio,
            master_adver_int: adv,
            link_up: true,
            track_fault: false,
            vipset: false,
            preempt_time: None,
            master_src: None,
            master_priority: 0,
            garp_refresh_at: None,
            timers: timers::TimerSlots::default(),
            logged_errors: 0,
            stats: Stats::default(),
            sync_member: false,
            wants_master: false,
            sync_fault: false,
        }
    }

    pub fn params(&self) -> &Params {
        &self.p
    }

    /// The state as last reported.
    pub fn state(&self) -> State {
        self.announced
    }

    pub fn effective_priority(&self) -> u8 {
        self.effective_priority
    }

    pub fn master_adver_int(&self) -> Duration {
        self.master_adver_int
    }

    pub fn vips_set(&self) -> bool {
        self.vipset
    }

    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Zeroes the counters (keepalived's STATS_CLEAR dump, after writing them).
    pub fn clear_stats(&mut self) {
        self.stats = Stats::default();
    }

    /// An advert for this instance's VRID that the decoder rejected: counted under
    /// keepalived's per-instance name for the kind (`vrrp_check_packet`). Interval errors
    /// come after keepalived's "count as advert" point, so they count as received too.
    pub fn count_rejected(&mut self, kind: DecodeErrorKind) {
        let s = &mut self.stats;
        match kind {
            DecodeErrorKind::Truncated
            | DecodeErrorKind::BadLength
            | DecodeErrorKind::BadIpHeader
            | DecodeErrorKind::BadProtocol => s.packet_len_err += 1,
            DecodeErrorKind::BadTtl => s.ip_ttl_err += 1,
            DecodeErrorKind::BadVersion => s.vers_err += 1,
            DecodeErrorKind::BadType => s.invalid_type_rcvd += 1,
            DecodeErrorKind::BadAuthType => s.invalid_authtype += 1,
            DecodeErrorKind::AuthTypeMismatch => s.authtype_mismatch += 1,
            DecodeErrorKind::AuthMismatch => s.auth_failure += 1,
            DecodeErrorKind::BadChecksum => s.chk_err += 1,
            DecodeErrorKind::IntervalMismatch => {
                s.advert_rcvd += 1;
                s.advert_interval_err += 1;
            }
            DecodeErrorKind::AddrCountMismatch => s.addr_list_err += 1,
        }
    }

    /// Address and priority of the master we last accepted (or saw, when discarding).
    pub fn master(&self) -> (Option<IpAddr>, u8) {
        (self.master_src, self.master_priority)
    }

    /// The deadline of a timer, if armed.
    pub fn timer(&self, kind: TimerKind) -> Option<Instant> {
        self.timers.get(&kind).copied()
    }

    /// Skew_Time for the current effective priority and Master_Adver_Interval.
    pub fn skew_time(&self) -> Duration {
        skew_time(
            self.p.version,
            self.effective_priority,
            self.master_adver_int,
        )
    }

    /// Master_Down_Interval.
    pub fn master_down_interval(&self) -> Duration {
        self.master_adver_int * self.p.down_timer_adverts + self.skew_time()
    }

    /// The interface's primary address changed (the tie-break compares against it);
    /// ignored when `unicast_src_ip`/`mcast_src_ip` fixed it in the configuration.
    pub fn set_primary_addr(&mut self, addr: Option<IpAddr>, configured: bool) {
        if !configured {
            self.p.primary_addr = addr;
        }
    }

    /// Makes this instance a sync group member (see [`Output::WantMaster`]).
    pub fn set_sync_member(&mut self, on: bool) {
        self.sync_member = on;
    }

    /// A sync member whose down timer expired and that waits for its group.
    pub fn wants_master(&self) -> bool {
        self.wants_master
    }

    /// At fault for its own reasons (not because its sync group holds it there).
    pub fn own_fault(&self) -> bool {
        (!self.link_up && !self.p.dont_track_primary)
            || self.track_fault
            || self.p.unicast_no_peer_fault
    }

    fn is_owner(&self) -> bool {
        self.p.is_owner()
    }

    /// Feed one input at time `now`; returns what to do, in order.
    pub fn handle(&mut self, now: Instant, input: Input) -> Vec<Output> {
        let mut out = Vec::new();
        self.handle_into(now, input, &mut out);
        out
    }

    /// As [`Instance::handle`], appending to `out`: the daemon reuses one buffer instead
    /// of allocating per advert.
    pub fn handle_into(&mut self, now: Instant, input: Input, out: &mut Vec<Output>) {
        match input {
            Input::Start => self.start(now, out),
            Input::Advert(adv) => self.advert(now, &adv, out),
            Input::TimerExpired(kind) => self.timer_expired(now, kind, out),
            Input::LinkDown => self.link_down(now, out),
            Input::LinkUp => self.link_up(now, out),
            Input::PriorityChanged(total) => self.priority_changed(now, total, out),
            Input::TrackFault(f) => self.track_fault(now, f, out),
            Input::Shutdown => self.shutdown(out),
            Input::RestoreState(s) => self.restore(now, s, out),
            Input::SyncMaster => self.sync_master(now, out),
            Input::SyncBackup => self.sync_backup(now, out),
            Input::SyncFault => self.sync_fault(now, out),
        }
    }

    fn faulty(&self) -> bool {
        self.own_fault() || self.sync_fault
    }

    fn sync_master(&mut self, now: Instant, out: &mut Vec<Output>) {
        if self.real_state == State::Backup && !self.faulty() {
            self.cancel_timer(TimerKind::MasterDown, out);
            self.become_master(now, out);
        }
    }

    fn sync_backup(&mut self, now: Instant, out: &mut Vec<Output>) {
        self.sync_fault = false;
        match self.real_state {
            State::Master => self.leave_master(now, State::Backup, out),
            State::Fault if !self.faulty() => self.leave_fault(now, out),
            _ => {}
        }
    }

    fn sync_fault(&mut self, now: Instant, out: &mut Vec<Output>) {
        self.sync_fault = true;
        match self.real_state {
            State::Master => self.leave_master(now, State::Fault, out),
            State::Backup | State::Init => {
                self.cancel_timer(TimerKind::MasterDown, out);
                self.set_state(State::Fault, out);
                out.push(Output::Log(LogEvent::EnteringFault));
            }
            State::Fault | State::Stop => {}
        }
    }

    fn start(&mut self, now: Instant, out: &mut Vec<Output>) {
        if self.real_state != State::Init {
            return;
        }
        self.master_adver_int = self.p.advert_int;
        if self.faulty() {
            // keepalived clears leftovers (`vrrp_restore_interface`) before choosing.
            out.push(Output::RemoveVips);
            self.set_state(State::Fault, out);
            out.push(Output::Log(LogEvent::EnteringFault));
        } else if self.p.want_master && self.is_owner() {
            // "The simplest way to become master is to time out from BACKUP very
            // quickly": 1 µs, without announcing BACKUP.
            self.real_state = State::Backup;
            let at = now + self.p.startup_delay + Duration::from_micros(1);
            self.set_timer(TimerKind::MasterDown, at, out);
        } else {
            out.push(Output::RemoveVips);
            self.set_state(State::Backup, out);
            out.push(Output::Log(LogEvent::EnteringBackup));
            let at = now + self.p.startup_delay + self.master_down_interval();
            self.set_timer(TimerKind::MasterDown, at, out);
        }
    }

    fn restore(&mut self, now: Instant, s: State, out: &mut Vec<Output>) {
        if self.real_state != State::Init {
            return;
        }
        self.master_adver_int = self.p.advert_int;
        out.push(Output::Log(LogEvent::Restored(s)));
        match s {
            State::Master => {
                // The VIPs are in place: no AddVips, no GARP; advertise at once so the
                // peers' down timers never run out, then keep the usual rhythm.
                self.real_state = State::Master;
                self.announced = State::Master;
                self.vipset = true;
                self.send_advert(self.effective_priority, out);
                self.garp_refresh_at = self.p.garp.master_refresh.map(|r| now + r);
                self.set_timer(TimerKind::Advert, now + self.p.advert_int, out);
                if self.faulty() {
                    self.leave_master(now, State::Fault, out);
                }
            }
            State::Fault if self.faulty() => {
                self.real_state = State::Fault;
                self.announced = State::Fault;
            }
            State::Fault => {
                self.real_state = State::Fault;
                self.announced = State::Fault;
                self.leave_fault(now, out);
            }
            State::Backup | State::Init | State::Stop => {
                self.real_state = State::Backup;
                self.announced = State::Backup;
                let at = now + self.master_down_interval();
                self.set_timer(TimerKind::MasterDown, at, out);
                if self.faulty() {
                    self.cancel_timer(TimerKind::MasterDown, out);
                    self.set_state(State::Fault, out);
                    out.push(Output::Log(LogEvent::EnteringFault));
                }
            }
        }
    }

    fn timer_expired(&mut self, now: Instant, kind: TimerKind, out: &mut Vec<Output>) {
        let Some(&deadline) = self.timers.get(&kind) else {
            return; // cancelled or replaced: stale
        };
        if now < deadline {
            // Early delivery: keep the deadline.
            out.push(Output::SetTimer { kind, at: deadline });
            return;
        }
        self.timers.remove(&kind);
        match (kind, self.real_state) {
            (TimerKind::MasterDown, State::Backup) if self.sync_member => {
                self.wants_master = true;
                out.push(Output::WantMaster);
            }
            (TimerKind::MasterDown, State::Backup) => self.become_master(now, out),
            (TimerKind::Advert, State::Master) => self.master_tx(now, out),
            (TimerKind::GarpDelayed, State::Master) if self.vipset => {
                self.garp(GarpBurst::MasterDelayed, self.p.garp.master_repeat, out);
            }
            (TimerKind::GarpLowerPrioDelayed, State::Master) if self.vipset => {
                self.garp(
                    GarpBurst::LowerPrioDelayed,
                    self.p.garp.lower_prio_repeat,
                    out,
                );
            }
            _ => {}
        }
    }

    /// keepalived `vrrp_state_master_tx` on the transition: advert first (so the old
    /// master drops the VIPs before our GARPs), then VIPs, GARP burst, notifies.
    fn become_master(&mut self, now: Instant, out: &mut Vec<Output>) {
        if self.master_adver_int != self.p.advert_int {
            out.push(Output::Log(LogEvent::AdvertIntervalUpdated {
                from: self.master_adver_int,
                to: self.p.advert_int,
            }));
            self.master_adver_int = self.p.advert_int;
        }
        self.stats.become_master += 1;
        self.real_state = State::Master;
        self.send_advert(self.effective_priority, out);
        out.push(Output::Log(LogEvent::EnteringMaster));
        out.push(Output::AddVips);
        self.vipset = true;
        self.garp(GarpBurst::Master, self.p.garp.master_repeat, out);
        self.garp_refresh_at = self.p.garp.master_refresh.map(|r| now + r);
        self.set_state(State::Master, out);
        if !self.p.garp.master_delay.is_zero() {
            self.set_timer(TimerKind::GarpDelayed, now + self.p.garp.master_delay, out);
        }
        self.set_timer(TimerKind::Advert, now + self.p.advert_int, out);
    }

    fn master_tx(&mut self, now: Instant, out: &mut Vec<Output>) {
        self.send_advert(self.effective_priority, out);
        if let (Some(at), Some(every)) = (self.garp_refresh_at, self.p.garp.master_refresh) {
            if now > at {
                self.garp(GarpBurst::Refresh, self.p.garp.master_refresh_repeat, out);
                self.garp_refresh_at = Some(now + every);
            }
        }
        self.set_timer(TimerKind::Advert, now + self.p.advert_int, out);
    }

    fn advert(&mut self, now: Instant, adv: &RxAdvert, out: &mut Vec<Output>) {
        if matches!(self.real_state, State::Init | State::Stop | State::Fault) {
            return; // keepalived ignores packets in FAULT and INIT
        }
        self.advert_checked(now, adv, out);
        // keepalived's dispatcher: after any advert a master (that answers lower
        // priorities) restarts its advert timer, whether or not it sent one.
        if self.real_state == State::Master && !self.p.lower_prio_no_advert {
            self.set_timer(TimerKind::Advert, now + self.p.advert_int, out);
        }
    }

    fn advert_checked(&mut self, now: Instant, adv: &RxAdvert, out: &mut Vec<Output>) {
        let check_addrs = self.checks_addresses(adv.src);
        // keepalived drops a wrong address count before it counts the advert as received.
        if !check_addrs || adv.vips_match || adv.addr_count == self.p.vip_count {
            self.stats.advert_rcvd += 1;
        }
        if adv.priority == 0 {
            self.stats.pri_zero_rcvd += 1;
        }
        if self.p.version == 2 && adv.adver_int != self.p.advert_int {
            // RFC 3768 §7.1: MUST discard.
            self.stats.advert_interval_err += 1;
            let e = RxError::IntervalMismatch {
                ours: self.p.advert_int,
                received: adv.adver_int,
            };
            self.rx_error(e, out);
            return;
        }
        if self.p.version != 2 && adv.adver_int.is_zero() {
            self.stats.advert_interval_err += 1;
            self.rx_error(RxError::ZeroInterval, out);
            return;
        }
        if self.p.owner_ignore_adverts {
            self.rx_error(RxError::OwnerIgnoresAdverts { src: adv.src }, out);
            return;
        }
        if !adv.vips_match && check_addrs {
            // RFC 3768 §7.1: a receiver whose check fails MUST drop the packet (unless
            // the owner sent it); keepalived 2.2.7 drops it whatever the priority.
            self.stats.addr_list_err += 1;
            let e = RxError::AddressListMismatch {
                received: adv.addr_count,
                expected: self.p.vip_count,
            };
            self.rx_error(e, out);
            return;
        }
        match self.real_state {
            State::Backup => self.backup_rx(now, adv, out),
            State::Master => self.master_rx(now, adv, out),
            _ => {}
        }
    }

    /// keepalived checks the address list of every advert, except a BACKUP with
    /// `skip_check_adv_addr` for adverts from the master it already follows.
    fn checks_addresses(&self, src: IpAddr) -> bool {
        !(self.p.skip_check_adv_addr
            && self.real_state == State::Backup
            && self.master_src == Some(src))
    }

    /// keepalived `vrrp_state_backup`.
    fn backup_rx(&mut self, now: Instant, adv: &RxAdvert, out: &mut Vec<Output>) {
        let prio = adv.priority;
        let eff = self.effective_priority;
        let delaying = !self.p.preempt_delay.is_zero() && self.preempt_time.is_none_or(|t| t > now);
        if prio == 0 {
            out.push(Output::Log(LogEvent::BackupReceivedPriorityZero));
            let at = now + self.skew_time();
            self.set_timer(TimerKind::MasterDown, at, out);
        } else if self.p.nopreempt || prio >= eff || delaying {
            if self.p.version != 2 {
                self.learn_interval(adv.adver_int, out);
            }
            let at = now + self.master_down_interval();
            self.set_timer(TimerKind::MasterDown, at, out);
            self.master_src = Some(adv.src);
            self.master_priority = prio;
            if !self.p.preempt_delay.is_zero() {
                if prio >= eff {
                    if self.preempt_time.take().is_some() {
                        out.push(Output::Log(LogEvent::PreemptDelayStopped));
                    }
                } else if self.preempt_time.is_none() {
                    let until = now + self.p.preempt_delay;
                    self.preempt_time = Some(until);
                    out.push(Output::Log(LogEvent::PreemptDelayStarted {
                        until_us: crate::events::mono::us_since_epoch(until),
                    }));
                }
            }
        } else {
            // The down timer keeps running: we preempt when it expires.
            out.push(Output::Log(LogEvent::LowerPriorityDiscarded {
                src: adv.src,
                priority: prio,
            }));
            self.master_src = Some(adv.src);
        }
    }

    /// Sender's address against ours: Greater means the sender wins a tie.
    fn addr_cmp(&self, src: IpAddr) -> Ordering {
        match (self.p.primary_addr, src) {
            (Some(IpAddr::V4(ours)), IpAddr::V4(theirs)) => theirs.cmp(&ours),
            (Some(IpAddr::V6(ours)), IpAddr::V6(theirs)) => theirs.cmp(&ours),
            _ => Ordering::Equal,
        }
    }

    /// keepalived `vrrp_state_master_rx`.
    fn master_rx(&mut self, now: Instant, adv: &RxAdvert, out: &mut Vec<Output>) {
        let prio = adv.priority;
        let cmp = self.addr_cmp(adv.src);
        let eff = self.effective_priority;
        let they_win = prio > eff || (prio == eff && cmp == Ordering::Greater);
        if prio == 0 || (self.p.higher_prio_send_advert && they_win) {
            self.send_advert(eff, out);
            if prio == 0 {
                out.push(Output::Log(LogEvent::MasterReceivedPriorityZero));
                return;
            }
        }
        if prio == eff {
            if cmp == Ordering::Equal {
                out.push(Output::Log(LogEvent::EqualPriorityFromOurAddress {
                    src: adv.src,
                }));
            } else if eff == PRIO_OWNER {
                // Two owners: keepalived reduces its own priority to 254.
                out.push(Output::Log(LogEvent::BothAddressOwners { src: adv.src }));
                self.effective_priority = PRIO_OWNER - 1;
                self.p.priority = PRIO_OWNER - 1;
            }
        }
        let eff = self.effective_priority;
        if prio < eff || (prio == eff && cmp == Ordering::Less) {
            out.push(Output::Log(LogEvent::MasterReceivedLower {
                src: adv.src,
                priority: prio,
                ours: eff,
                forcing_election: !self.p.lower_prio_no_advert,
            }));
            if !self.p.lower_prio_no_advert {
                self.send_advert(eff, out);
            }
            if self.p.garp.lower_prio_repeat > 0 {
                self.garp(GarpBurst::LowerPrio, self.p.garp.lower_prio_repeat, out);
                if !self.p.garp.lower_prio_delay.is_zero() {
                    let at = now + self.p.garp.lower_prio_delay;
                    self.set_timer(TimerKind::GarpLowerPrioDelayed, at, out);
                }
            }
            out.push(Output::MasterRxLowerPriority { src: adv.src });
            return;
        }
        if prio > eff || (prio == eff && cmp == Ordering::Greater) {
            if prio > eff {
                out.push(Output::Log(LogEvent::MasterReceivedHigher {
                    src: adv.src,
                    priority: prio,
                    ours: eff,
                }));
            } else {
                out.push(Output::Log(LogEvent::MasterReceivedEqualHigherIp {
                    src: adv.src,
                    priority: prio,
                }));
            }
            if self.p.version != 2 {
                self.learn_interval(adv.adver_int, out);
            }
            self.master_src = Some(adv.src);
            self.master_priority = prio;
            self.leave_master(now, State::Backup, out);
        }
    }

    /// v3: adopt the master's interval (RFC 5798 §6.4.2).
    fn learn_interval(&mut self, rx: Duration, out: &mut Vec<Output>) {
        if self.master_adver_int != rx {
            out.push(Output::Log(LogEvent::AdvertIntervalUpdated {
                from: self.master_adver_int,
                to: rx,
            }));
            self.master_adver_int = rx;
        }
    }

    /// keepalived `vrrp_state_leave_master`: priority 0 only towards FAULT/STOP.
    fn leave_master(&mut self, now: Instant, to: State, out: &mut Vec<Output>) {
        self.release_master(to, out);
        match to {
            State::Backup => {
                out.push(Output::Log(LogEvent::EnteringBackup));
                self.preempt_time = None;
                let at = now + self.master_down_interval();
                self.set_timer(TimerKind::MasterDown, at, out);
            }
            State::Fault => out.push(Output::Log(LogEvent::EnteringFault)),
            _ => out.push(Output::Log(LogEvent::Stopped)),
        }
    }

    fn link_down(&mut self, now: Instant, out: &mut Vec<Output>) {
        self.link_up = false;
        if self.p.dont_track_primary {
            return;
        }
        match self.real_state {
            State::Master => self.leave_master(now, State::Fault, out),
            State::Backup => {
                self.cancel_timer(TimerKind::MasterDown, out);
                self.set_state(State::Fault, out);
                out.push(Output::Log(LogEvent::EnteringFault));
            }
            State::Init | State::Fault | State::Stop => {}
        }
    }

    fn link_up(&mut self, now: Instant, out: &mut Vec<Output>) {
        self.link_up = true;
        if self.real_state == State::Fault && !self.faulty() {
            self.leave_fault(now, out);
        }
    }

    /// keepalived `down_instance` / `try_up_instance` for trackers: FAULT while any
    /// weight-0 tracker fails, back to BACKUP (or MASTER for an owner) when none does and
    /// the link is usable.
    fn track_fault(&mut self, now: Instant, fault: bool, out: &mut Vec<Output>) {
        if self.track_fault == fault {
            return;
        }
        self.track_fault = fault;
        if fault {
            match self.real_state {
                State::Master => self.leave_master(now, State::Fault, out),
                State::Backup => {
                    self.cancel_timer(TimerKind::MasterDown, out);
                    self.set_state(State::Fault, out);
                    out.push(Output::Log(LogEvent::EnteringFault));
                }
                State::Init | State::Fault | State::Stop => {}
            }
        } else if self.real_state == State::Fault && !self.faulty() {
            self.leave_fault(now, out);
        }
    }

    /// keepalived `try_up_instance` + `vrrp_state_leave_fault`: an owner that wants
    /// MASTER becomes MASTER at once; anyone else BACKUP with a fresh down timer.
    fn leave_fault(&mut self, now: Instant, out: &mut Vec<Output>) {
        self.master_adver_int = self.p.advert_int;
        self.preempt_time = None;
        if self.p.want_master && self.is_owner() {
            self.become_master(now, out);
            return;
        }
        self.set_state(State::Backup, out);
        out.push(Output::Log(LogEvent::EnteringBackup));
        let at = now + self.master_down_interval();
        self.set_timer(TimerKind::MasterDown, at, out);
    }

    /// Tracking changed the total priority (keepalived `vrrp_set_effective_priority`):
    /// clamp to 1..=254, an owner never changes; a BACKUP's running down timer moves by
    /// the change of Master_Down_Interval (the skew part), not into the past.
    fn priority_changed(&mut self, now: Instant, total: i32, out: &mut Vec<Output>) {
        if self.is_owner() {
            return;
        }
        let new = u8::try_from(total.clamp(1, i32::from(PRIO_OWNER) - 1)).unwrap_or(1);
        if new == self.effective_priority {
            return;
        }
        out.push(Output::Log(LogEvent::PriorityChanged {
            from: self.effective_priority,
            to: new,
        }));
        let old_down = self.master_down_interval();
        self.effective_priority = new;
        let new_down = self.master_down_interval();
        if self.real_state == State::Backup {
            if let Some(&at) = self.timers.get(&TimerKind::MasterDown) {
                let at = if new_down >= old_down {
                    at + (new_down - old_down)
                } else {
                    at.checked_sub(old_down - new_down).unwrap_or(at)
                };
                let at = at.max(now);
                self.set_timer(TimerKind::MasterDown, at, out);
            }
        }
    }

    fn shutdown(&mut self, out: &mut Vec<Output>) {
        match self.real_state {
            State::Master => {
                // leave_master needs a time only for BACKUP's timer.
                self.leave_master_stop(out);
            }
            State::Backup => {
                self.cancel_timer(TimerKind::MasterDown, out);
                self.set_state(State::Stop, out);
                out.push(Output::Log(LogEvent::Stopped));
            }
            State::Init | State::Fault => {
                self.set_state(State::Stop, out);
                out.push(Output::Log(LogEvent::Stopped));
            }
            State::Stop => {}
        }
    }

    fn leave_master_stop(&mut self, out: &mut Vec<Output>) {
        self.release_master(State::Stop, out);
        out.push(Output::Log(LogEvent::Stopped));
    }

    /// What leaving MASTER for `to` does before `to`'s own entry: priority 0 unless
    /// towards BACKUP, MASTER's timers cancelled, the VIPs removed.
    fn release_master(&mut self, to: State, out: &mut Vec<Output>) {
        if to != State::Backup {
            self.send_advert(0, out);
            out.push(Output::Log(LogEvent::SentPriorityZero));
        }
        self.cancel_timer(TimerKind::Advert, out);
        self.cancel_timer(TimerKind::GarpDelayed, out);
        self.cancel_timer(TimerKind::GarpLowerPrioDelayed, out);
        self.garp_refresh_at = None;
        if self.vipset {
            out.push(Output::RemoveVips);
            self.vipset = false;
        }
        self.stats.release_master += 1;
        self.set_state(to, out);
    }

    fn send_advert(&mut self, priority: u8, out: &mut Vec<Output>) {
        self.stats.advert_sent += 1;
        if priority == 0 {
            self.stats.pri_zero_sent += 1;
        }
        out.push(Output::SendAdvert { priority });
    }

    fn garp(&mut self, burst: GarpBurst, repeat: u32, out: &mut Vec<Output>) {
        if repeat > 0 && self.vipset {
            out.push(Output::SendGarp { burst, repeat });
        }
    }

    fn rx_error(&mut self, e: RxError, out: &mut Vec<Output>) {
        let bit = 1u32 << e.kind();
        if self.logged_errors & bit == 0 {
            self.logged_errors |= bit;
            out.push(Output::Log(LogEvent::RxError(e)));
        }
    }

    fn set_state(&mut self, to: State, out: &mut Vec<Output>) {
        self.real_state = to;
        if to != State::Backup {
            self.wants_master = false;
        }
        if to != self.announced {
            out.push(Output::StateChanged {
                from: self.announced,
                to,
            });
            self.announced = to;
            // keepalived logs each receive error once per state.
            self.logged_errors = 0;
        }
    }

    fn set_timer(&mut self, kind: TimerKind, at: Instant, out: &mut Vec<Output>) {
        if kind == TimerKind::MasterDown {
            self.wants_master = false;
        }
        self.timers.insert(kind, at);
        out.push(Output::SetTimer { kind, at });
    }

    fn cancel_timer(&mut self, kind: TimerKind, out: &mut Vec<Output>) {
        if self.timers.remove(&kind).is_some() {
            out.push(Output::CancelTimer { kind });
        }
    }
}

/// Skew_Time with keepalived's integer microsecond arithmetic.
pub fn skew_time(version: u8, priority: u8, master_adver_int: Duration) -> Duration {
    let n = 256 - u64::from(priority);
    if version == 2 {
        Duration::from_micros(n * 1_000_000 / 256)
    } else {
        let cs = u64::try_from(master_adver_int.as_micros() / 10_000).unwrap_or(u64::MAX);
        Duration::from_micros(n.saturating_mul(cs).saturating_mul(625) / 16)
    }
}

/// Master_Down_Interval = `adverts` × Master_Adver_Interval + Skew_Time.
pub fn master_down_interval(
    version: u8,
    priority: u8,
    master_adver_int: Duration,
    adverts: u32,
) -> Duration {
    master_adver_int * adverts + skew_time(version, priority, master_adver_int)
}
