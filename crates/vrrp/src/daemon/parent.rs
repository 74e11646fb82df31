//! The VRRP child's parent channel (hello, `Start`, `Reload`, `Dump`, `Shutdown`, signals) and
//! the link to the checker child; a child module of [`crate::daemon`], called from its event loop.

use std::collections::HashMap;
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::Instant;

use keepalived_event::Interest;
use keepalived_ipc::{
    Channel, Flow, InstanceState, ParentLink, ParentToVrrp, VrrpToCheck, VrrpToParent, EXIT_OK,
};
use log::{debug, info, warn};

use crate::events::{Input, State};
use crate::notify::glue::SHUTDOWN_GRACE;

use super::dump::test_garbage_hook;
use super::{from_ipc, report, Daemon, Timer, PEER};

impl Daemon {
    pub(super) fn flush_chan(&mut self) -> Flow {
        match self.chan.flush() {
            Ok(_) => Flow::Continue,
            Err(e) => self.parent_gone(&e),
        }
    }

    pub(super) fn on_signals(&mut self) -> Flow {
        for sig in self.signals.pending() {
            if sig == libc::SIGTERM {
                info!("SIGTERM: stopping");
                return self.stop();
            }
            if sig == libc::SIGCHLD {
                self.notifier.reap(Instant::now());

                let now = Instant::now();
                if let Some(t) = self.tracker.as_mut() {
                    t.on_sigchld(now);
                }
                self.apply_tracking(now);
                continue;
            }
            if sig == libc::SIGXCPU {
                warn!("SIGXCPU: the realtime CPU limit (vrrp_rlimit_rttime) is being exceeded");
                continue;
            }
            debug!("signal {sig} ignored: the parent drives this process");
        }
        Flow::Continue
    }

    /// Priority-0 adverts and VIP removal for MASTER instances (VIPs kept with `-V`).
    pub(super) fn release(&mut self) {
        let n = self.running.as_ref().map_or(0, |r| r.insts.len());
        let now = Instant::now();
        self.notifier.hold_groups();
        for i in 0..n {
            self.feed(i, now, Input::Shutdown);
        }
        self.notifier.release_groups(now);
        self.notifier.shutdown(SHUTDOWN_GRACE);
    }

    pub(super) fn stop(&mut self) -> Flow {
        if let Some(t) = self.tracker.as_mut() {
            t.stop();
        }
        self.release();
        // keepalived 2.2.7 removes the static entries on stop, even with -V; the VMACs
        // (which hold the VIPs) only without -V.
        self.installed.remove_statics(&mut self.rtnl);
        self.promote.restore();
        if !self.opts.dont_release_vrrp {
            self.vmacs.teardown(&mut self.rtnl);
        }
        let _ = self.chan.flush();
        info!("VRRP child exiting");
        Flow::Exit(EXIT_OK)
    }

    pub(super) fn new_peer(&mut self, fds: Vec<OwnedFd>) {
        let Some(fd) = fds.into_iter().next() else {
            warn!("PeerLink without a descriptor ignored");
            return;
        };
        if let Some(old) = self.peer.take() {
            let _ = self.poller.deregister(&old.as_raw_fd());
        }
        let peer = match Channel::from_fd(fd) {
            Ok(p) => p,
            Err(e) => {
                warn!("opening the link to the checker: {e}");
                self.peer_stats.connected = false;
                return;
            }
        };
        if let Err(e) = self
            .poller
            .register(&peer, PEER, Interest::READABLE | Interest::WRITABLE)
        {
            warn!("watching the link to the checker: {e}");
        }
        self.peer = Some(peer);
        self.peer_stats.links += 1;
        self.peer_stats.connected = true;
        let states: Vec<InstanceState> = self
            .running
            .as_ref()
            .map(|r| r.insts.iter().map(report).collect())
            .unwrap_or_default();
        for s in states {
            self.send_peer(&s);
        }
    }

    pub(super) fn send_peer(&mut self, s: &InstanceState) {
        let Some(c) = self.peer.as_mut() else {
            return;
        };
        match c.send(&VrrpToCheck::StateReport(s.clone())) {
            Ok(()) => self.peer_stats.sent += 1,
            Err(e) => debug!("link to the checker: {e}"),
        }
    }

    pub(super) fn on_peer(&mut self, writable: bool) {
        let Some(c) = self.peer.as_mut() else {
            return;
        };
        let res = loop {
            if writable {
                if let Err(e) = c.flush() {
                    break Err(e);
                }
            }
            match c.recv() {
                Ok(Some(_)) => self.peer_stats.received += 1,
                Ok(None) => break Ok(()),
                Err(e) => break Err(e),
            }
        };
        if let Err(e) = res {
            info!("link to the checker closed: {e}");
            if let Some(old) = self.peer.take() {
                let _ = self.poller.deregister(&old.as_raw_fd());
            }
            self.peer_stats.connected = false;
        }
    }
}

impl ParentLink for Daemon {
    type Out = VrrpToParent;
    type In = ParentToVrrp;

    fn parent_chan(&mut self) -> &mut Channel<VrrpToParent, ParentToVrrp> {
        &mut self.chan
    }

    fn on_msg(&mut self, m: ParentToVrrp, fds: Vec<OwnedFd>) -> Flow {
        self.received += 1;
        match m {
            ParentToVrrp::Start { config, restore } => {
                if self.running.is_some() {
                    warn!("a second Start from the parent ignored");
                    return Flow::Continue;
                }
                self.timers.cancel(&Timer::StartTimeout);
                info!(
                    "running configuration generation {} ({}, {} restored states)",
                    config.generation,
                    config.config.source,
                    restore.len()
                );
                self.restored = restore.len();
                let restore: HashMap<String, State> = restore
                    .into_iter()
                    .map(|s| (s.name, from_ipc(s.state)))
                    .collect();
                self.load(&config, &restore, Vec::new());
                let generation = config.generation;
                drop(config);
                // Decoding the configuration left its freed pages in the heap.
                keepalived_sys::mem::trim_heap();
                self.send(&VrrpToParent::Ready { generation })
            }
            ParentToVrrp::Reload { config } => {
                if self.running.is_none() {
                    warn!("Reload before Start ignored");
                    return Flow::Continue;
                }
                self.reload(&config);
                let generation = config.generation;
                drop(config);
                keepalived_sys::mem::trim_heap();
                self.send(&VrrpToParent::Ready { generation })
            }
            ParentToVrrp::Dump(kind) => {
                if test_garbage_hook() {
                    warn!("test hook: writing garbage on the channel instead of a dump");
                    let _ = nix::sys::socket::send(
                        self.chan.as_raw_fd(),
                        &[0xff; 16],
                        nix::sys::socket::MsgFlags::MSG_NOSIGNAL,
                    );
                    return Flow::Continue;
                }
                let body = self.dump_body(kind);
                self.send(&VrrpToParent::Dump { kind, body })
            }
            ParentToVrrp::PeerLink => {
                self.new_peer(fds);
                Flow::Continue
            }
            ParentToVrrp::Shutdown => {
                info!("shutdown requested by the parent");
                self.stop()
            }
        }
    }

    /// Releases VIPs (unless `-V`) before the child exits.
    fn on_parent_hangup(&mut self) {
        self.release();
    }
}
