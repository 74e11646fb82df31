//! The VRRP child's adapter from instance outputs to the world (`feed`, `execute`) and its
//! keepalived-like event log lines; a child module of [`crate::daemon`], called wherever an
//! input arrives.

use std::net::IpAddr;
use std::time::Instant;

use keepalived_ipc::{ParentLink, VrrpToParent};
use log::{debug, error, info, warn};

use crate::events::{Input, LogEvent, Output, State};
use crate::network::pace::Frame;
use crate::notify::Event as NotifyEvent;

use super::tx::{announce, gap_of, send_advert};
use super::{report, state_word, Daemon, Running, Timer};

impl Daemon {
    /// Feeds one input to instance `i` and executes what it asks.
    pub(super) fn feed(&mut self, i: usize, now: Instant, input: Input) {
        let Some(run) = self.running.as_mut() else {
            return;
        };
        let Some(inst) = run.insts.get_mut(i) else {
            return;
        };
        // One buffer for every input (taken, so `execute` may feed again).
        let mut outs = std::mem::take(&mut self.outs);
        inst.core.handle_into(now, input, &mut outs);
        for o in outs.drain(..) {
            self.execute(i, o);
        }
        self.outs = outs;
    }

    pub(super) fn execute(&mut self, i: usize, o: Output) {
        let dont_release = self.opts.dont_release_vrrp;
        let Some(run) = self.running.as_mut() else {
            return;
        };
        let Running { insts, socks, .. } = run;
        let Some(inst) = insts.get_mut(i) else {
            return;
        };
        let name = inst.cfg.name.clone();
        if !matches!(o, Output::SendAdvert { .. }) && !self.txq.is_empty() {
            // Whatever else an instance does goes after the adverts decided before it.
            self.flush_adverts();
            return self.execute(i, o);
        }
        match o {
            Output::SendAdvert { priority } => {
                let keep = self.standin.wants(i, priority);
                let sent = send_advert(
                    inst,
                    socks,
                    priority,
                    keep,
                    self.queuing.then_some(&mut self.txq),
                    i,
                );
                let interval = inst.core.params().advert_int;
                let sock = socks.get(inst.sock).map(|s| (inst.sock, s));
                let msgs = self
                    .standin
                    .on_advert((i, &name), priority, interval, sock, sent);
                for (m, fds) in msgs {
                    if let Err(e) = self.chan.send_with_fds(&m, fds) {
                        debug!("({name}) stand-in adverts for the parent: {e}");
                    }
                }
            }
            Output::AddVips => {
                for v in &inst.vips {
                    match self.rtnl.add_address(v) {
                        Ok(_) => debug!("({name}) added VIP {}/{}", v.addr, v.prefix_len),
                        Err(e) => error!("({name}) adding VIP {}: {e}", v.addr),
                    }
                }
                self.installed
                    .master(&mut self.rtnl, inst.match_key(), &name, &inst.routes);
            }
            Output::RemoveVips => {
                let stopping = inst.core.state() == State::Stop;
                if stopping && dont_release {
                    info!("({name}) -V: leaving the VIPs in place");
                    return;
                }
                self.installed
                    .leave(&mut self.rtnl, &inst.match_key(), &name, &inst.routes);
                for v in &inst.vips {
                    match self.rtnl.del_address(v) {
                        Ok(_) => debug!("({name}) removed VIP {}/{}", v.addr, v.prefix_len),
                        Err(e) => error!("({name}) removing VIP {}: {e}", v.addr),
                    }
                }
            }
            Output::SendGarp { burst, repeat } => {
                let Some(a) = self.announcer.as_ref() else {
                    return;
                };
                debug!("({name}) GARP/NA burst {burst:?} x{repeat}");
                let now = Instant::now();
                for _ in 0..repeat {
                    for (k, v) in inst.vips.iter().enumerate() {
                        let (f, gap) = match v.addr {
                            IpAddr::V4(ip) => (
                                Frame::Arp {
                                    ifindex: v.ifindex,
                                    mac: inst.mac,
                                    ip,
                                },
                                gap_of(&self.garp_gaps, self.garp_default, v.ifindex).0,
                            ),
                            IpAddr::V6(ip) => (
                                Frame::Na {
                                    ifindex: v.ifindex,
                                    mac: inst.mac,
                                    ip,
                                    router: inst.ipv6_router,
                                },
                                gap_of(&self.garp_gaps, self.garp_default, v.ifindex).1,
                            ),
                        };
                        let rank = ((i as u64) << 32) | k as u64;
                        if let Some(f) = self.pacer.push(now, f, rank, gap) {
                            if let Err(e) = announce(a, &f) {
                                debug!("({name}) {e}");
                            }
                        }
                    }
                }
            }
            Output::SetTimer { kind, at } => {
                self.timers.set(Timer::Inst(i, kind), at);
            }
            Output::CancelTimer { kind } => {
                self.timers.cancel(&Timer::Inst(i, kind));
            }
            Output::StateChanged { from, to } => {
                if from == to {
                    return;
                }
                info!("({name}) Entering {} STATE", state_word(to));
                if to != State::Master {
                    if let Some(m) = self.standin.withdraw(i) {
                        let _ = self.chan.send(&m);
                    }
                    // keepalived drops the delayed GARPs of an instance leaving MASTER.
                    let mac = inst.mac;
                    let ours: Vec<IpAddr> = inst.vips.iter().map(|v| v.addr).collect();
                    self.pacer.forget(|f| match *f {
                        Frame::Arp { mac: m, ip, .. } => {
                            m != mac || !ours.contains(&IpAddr::V4(ip))
                        }
                        Frame::Na { mac: m, ip, .. } => m != mac || !ours.contains(&IpAddr::V6(ip)),
                    });
                }
                let r = report(inst);
                let priority = inst.core.effective_priority();
                self.send_peer(&r);
                let _ = self.send(&VrrpToParent::StateReport(r));
                let ev = NotifyEvent::Instance {
                    name,
                    state: to,
                    priority,
                };
                self.state_changed(i, ev);
            }
            Output::WantMaster => {
                debug!("({name}) down timer expired; asking its sync group");
                for a in self.sync_evaluate(i) {
                    self.sync_action(i, a);
                }
            }
            Output::MasterRxLowerPriority { src } => {
                debug!("({name}) MASTER received lower priority advert from {src}");
                let priority = inst.core.effective_priority();
                let ev = NotifyEvent::MasterRxLowerPri { name, priority };
                self.notifier.event(&ev, Instant::now());
            }
            Output::Log(ev) => {
                log_event(&name, &ev);
                if let LogEvent::PriorityChanged { to, .. } = ev {
                    let state = inst.core.state();
                    let ev = NotifyEvent::PriorityChanged {
                        name,
                        state,
                        priority: to,
                    };
                    self.notifier.event(&ev, Instant::now());
                }
            }
        }
    }
}

/// keepalived-like log lines for the state machine's events (state entries are logged
/// from `StateChanged`).
pub(super) fn log_event(name: &str, ev: &LogEvent) {
    match ev {
        LogEvent::EnteringBackup | LogEvent::EnteringMaster | LogEvent::EnteringFault => {}
        LogEvent::Stopped => info!("({name}) Stopped"),
        LogEvent::Restored(s) => info!(
            "({name}) resumed in {} STATE (restart or reload)",
            state_word(*s)
        ),
        LogEvent::BackupReceivedPriorityZero => {
            info!("({name}) Backup received priority 0 advertisement")
        }
        LogEvent::MasterReceivedPriorityZero => {
            info!("({name}) Master received priority 0 advertisement")
        }
        LogEvent::SentPriorityZero => info!("({name}) sent 0 priority"),
        LogEvent::MasterReceivedHigher { src, priority, ours } => info!(
            "({name}) Master received advert from {src} with higher priority {priority}, ours {ours}"
        ),
        LogEvent::MasterReceivedLower {
            src,
            priority,
            ours,
            ..
        } => info!(
            "({name}) Master received advert from {src} with lower priority {priority}, ours {ours}"
        ),
        LogEvent::RxError(e) => warn!("({name}) {e}"),
        other => debug!("({name}) {other:?}"),
    }
}
