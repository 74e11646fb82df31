//! The VRRP child's tracking hooks: building the [`Tracker`] for loaded instances and feeding
//! its results to them; a child module of [`crate::daemon`], called from `load` and the event loop.

use std::collections::HashMap;
use std::time::Instant;

use keepalived_config::model::vrrp::VrrpInstance;
use keepalived_event::Interest;
use keepalived_ipc::VersionedConfig;
use log::warn;

use crate::events::{Input, State};
use crate::tracker::Tracker;

use super::{Daemon, INOTIFY, PROC_CN};

impl Daemon {
    /// Builds the tracker for the instances just loaded (carrying script states over a
    /// reload) and returns each instance's initial (total priority, tracker FAULT).
    pub(super) fn start_tracking(
        &mut self,
        config: &VersionedConfig,
        links: &[keepalived_netlink::Link],
        reload: bool,
        restore: &HashMap<String, State>,
    ) -> HashMap<usize, (i32, bool)> {
        let old = self.tracker.take();
        if let Some(fd) = old.as_ref().and_then(Tracker::inotify_fd) {
            let _ = self.poller.deregister(&fd);
        }
        if let Some(fd) = old.as_ref().and_then(Tracker::proc_fd) {
            let _ = self.poller.deregister(&fd);
        }
        let all = &config.config.vrrp.instances;
        let cfgs: Vec<(&VrrpInstance, bool)> = self
            .running
            .as_ref()
            .map(|r| {
                r.insts
                    .iter()
                    .filter_map(|i| {
                        let c = all.get(i.conf_idx)?;
                        Some((c, restore.contains_key(&i.cfg.name)))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let link_state = links
            .iter()
            .map(|l| (l.name.clone(), l.is_usable()))
            .collect();
        let mut t = Tracker::new(
            &config.config,
            &cfgs,
            link_state,
            old,
            reload,
            Instant::now(),
        );
        if let Some(fd) = t.inotify_fd() {
            if let Err(e) = self.poller.register(&fd, INOTIFY, Interest::READABLE) {
                warn!("watching track files: {e}; their changes are not seen");
            }
        }
        if let Some(fd) = t.proc_fd() {
            if let Err(e) = self.poller.register(&fd, PROC_CN, Interest::READABLE) {
                warn!("watching the proc connector: {e}; process changes are not seen");
            }
        }
        let init = t
            .changes()
            .into_iter()
            .map(|(i, a, b)| (i, (a, b)))
            .collect();
        self.tracker = Some(t);
        init
    }

    /// Feeds the instances whose tracking result changed.
    pub(super) fn apply_tracking(&mut self, now: Instant) {
        let changes = self
            .tracker
            .as_mut()
            .map(Tracker::changes)
            .unwrap_or_default();
        for (i, total, fault) in changes {
            self.feed(i, now, Input::PriorityChanged(total));
            self.feed_own_fault(i, now, Input::TrackFault(fault));
        }
        let ready = self
            .tracker
            .as_mut()
            .map(Tracker::ready_starts)
            .unwrap_or_default();
        for i in ready {
            self.feed(i, now, Input::Start);
        }
    }
}
