//! The VRRP child's parent channel (hello, `Start`, `Reload`, `Dump`, `Shutdown`, signals) and
//! the link to the checker child; a child module of [`crate::daemon`], called from its event loop.

use std::collections::HashMap;
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::Instant;

use keepalived_event::Interest;
use keepalived_ipc::{
    Channel, ChannelError, InstanceState, ParentToVrrp, VrrpToCheck, VrrpToParent,
};
use log::{debug, error, info, warn};

use crate::events::{Input, State};
use crate::notify::glue::SHUTDOWN_GRACE;

use super::dump::test_garbage_hook;
use super::{from_ipc, report, Daemon, Flow, Timer, EXIT_OK, EXIT_PROGRAM_ERROR, PEER};

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

    pub(super) fn on_channel(&mut self, writable: bool) -> Flow {
        if writable {
            if let Err(e) = self.chan.flush() {
                return self.parent_gone(&e);
            }
        }
        loop {
            match self.chan.recv_with_fds() {
                Ok(Some((m, fds))) => {
                    self.received += 1;
                    if let Flow::Exit(c) = self.on_msg(m, fds) {
                        return Flow::Exit(c);
                    }
                }
                Ok(None) => return Flow::Continue,
                Err(e) => return self.parent_gone(&e),
            }
        }
    }

    pub(super) fn parent_gone(&mut self, e: &ChannelError) -> Flow {
        match e {
            ChannelError::PeerHungUp | ChannelError::Closed => {
                info!("the parent hung up; stopping");
                self.release();
                Flow::Exit(EXIT_OK)
            }
            e => {
                error!("channel to the parent failed: {e}; treating the parent as dead");
                Flow::Exit(EXIT_PROGRAM_ERROR)
            }
        }
    }

    pub(super) fn send(&mut self, m: &VrrpToParent) -> Flow {
        match self.chan.send(m) {
            Ok(()) => Flow::Continue,
            Err(e) if e.is_fatal() => self.parent_gone(&e),
            Err(e) => {
                warn!("a message to the parent was dropped: {e}");
                Flow::Continue
            }
        }
    }

    pub(super) fn on_msg(&mut self, m: ParentToVrrp, fds: Vec<OwnedFd>) -> Flow {
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
