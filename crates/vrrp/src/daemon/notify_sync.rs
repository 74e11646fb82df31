//! The VRRP child's glue for sync groups ([`crate::sync`]) and notifies
//! ([`crate::notify`]): which instance belongs to which group, feeding the group's
//! decisions back to its members, and the order of instance and group notifies. A child
//! module of [`crate::daemon`], called from its `load` and `execute`.

use std::collections::HashMap;
use std::time::Instant;

use keepalived_config::model::vrrp::SyncGroup as SyncGroupCfg;
use log::{info, warn};

use super::Daemon;
use crate::events::{Input, State};
use crate::notify::Event as NotifyEvent;
use crate::sync::{Action as SyncAction, Member as SyncMember, SyncGroup};

impl Daemon {
    /// Builds the running sync groups from the configuration (members by instance name;
    /// an instance in two groups stays in the first) and marks their members.
    pub(super) fn setup_sync(&mut self, cfg: &[SyncGroupCfg]) {
        let Some(run) = self.running.as_mut() else {
            return;
        };
        let mut groups = Vec::new();
        let mut group_of = HashMap::new();
        for g in cfg {
            let mut members = Vec::new();
            for (name, _) in &g.group {
                let Some(i) = run.insts.iter().position(|x| &x.cfg.name == name) else {
                    warn!(
                        "VRRP_Group({}) member {name} is not running; left out",
                        g.name
                    );
                    continue;
                };
                if group_of.contains_key(&i) {
                    warn!(
                        "VRRP_Group({}) member {name} is already in another sync group; left out",
                        g.name
                    );
                    continue;
                }
                group_of.insert(i, (groups.len(), members.len()));
                members.push(i);
            }
            if members.is_empty() {
                continue;
            }
            for &i in &members {
                if let Some(x) = run.insts.get_mut(i) {
                    x.core.set_sync_member(true);
                }
            }
            info!("VRRP_Group({}) with {} member(s)", g.name, members.len());
            groups.push((SyncGroup::new(&g.name), members));
        }
        run.groups = groups;
        run.group_of = group_of;
    }

    /// After a (re)load: groups whose members all resumed in one state take it silently.
    pub(super) fn adopt_sync_states(&mut self) {
        let n = self.running.as_ref().map_or(0, |r| r.groups.len());
        for gi in 0..n {
            let view = self.sync_view(gi);
            if let Some((g, _)) = self.running.as_mut().and_then(|r| r.groups.get_mut(gi)) {
                if g.state() == State::Init {
                    g.adopt(&view);
                }
            }
        }
    }

    fn sync_view(&self, gi: usize) -> Vec<SyncMember> {
        let Some(run) = self.running.as_ref() else {
            return Vec::new();
        };
        let Some((_, members)) = run.groups.get(gi) else {
            return Vec::new();
        };
        members
            .iter()
            .filter_map(|&i| run.insts.get(i))
            .map(|x| SyncMember {
                state: x.core.state(),
                own_fault: x.core.own_fault(),
                wants_master: x.core.wants_master(),
            })
            .collect()
    }

    /// What instance `i`'s group decides after `i` changed or asked (with the instance
    /// indices in the feeds).
    pub(super) fn sync_evaluate(&mut self, i: usize) -> Vec<(usize, SyncAction)> {
        let Some(&(gi, pos)) = self.running.as_ref().and_then(|r| r.group_of.get(&i)) else {
            return Vec::new();
        };
        let view = self.sync_view(gi);
        let Some((g, members)) = self.running.as_mut().and_then(|r| r.groups.get_mut(gi)) else {
            return Vec::new();
        };
        let actions = g.evaluate(pos, &view);
        actions
            .into_iter()
            .map(|a| match a {
                SyncAction::Feed(p, input) => {
                    let target = members.get(p).copied().unwrap_or(usize::MAX);
                    (target, SyncAction::Feed(p, input))
                }
                other => (gi, other),
            })
            .collect()
    }

    /// Executes one decision: feed a member, or notify the group's new state.
    pub(super) fn sync_action(&mut self, _i: usize, (target, a): (usize, SyncAction)) {
        match a {
            SyncAction::Feed(_, input) => {
                if let Some(name) = self
                    .running
                    .as_ref()
                    .and_then(|r| r.insts.get(target))
                    .map(|x| x.cfg.name.clone())
                {
                    info!("({name}) sync group: {input:?}");
                }
                self.feed(target, Instant::now(), input);
            }
            SyncAction::GroupState { to, .. } => {
                let Some(name) = self
                    .running
                    .as_ref()
                    .and_then(|r| r.groups.get(target))
                    .map(|(g, _)| g.name.clone())
                else {
                    return;
                };
                info!(
                    "VRRP_Group({name}) Syncing instances to {} state",
                    state_word(to)
                );
                let ev = NotifyEvent::Group { name, state: to };
                self.notifier.event(&ev, Instant::now());
            }
        }
    }

    /// Feeds `input` to member `i`; when that clears the member's own fault while its
    /// group still holds it in FAULT, the member says nothing (no state change), so its
    /// group is asked now, or the group would stay in FAULT for good once every member
    /// had recovered (group-level trackers clear on all members one after the other).
    pub(super) fn feed_own_fault(&mut self, i: usize, now: Instant, input: Input) {
        let own = |d: &Self| {
            d.running
                .as_ref()
                .and_then(|r| r.insts.get(i))
                .map(|x| (x.core.own_fault(), x.core.state()))
        };
        let before = own(self);
        self.feed(i, now, input);
        if let (Some((true, _)), Some((false, State::Fault))) = (before, own(self)) {
            for a in self.sync_evaluate(i) {
                self.sync_action(i, a);
            }
        }
    }

    /// An instance changed state: its notify and its group's, in keepalived's order (the
    /// group's first state before its members', otherwise the instance, the members it
    /// takes along, then the group).
    pub(super) fn state_changed(&mut self, i: usize, ev: NotifyEvent) {
        let mut actions = self.sync_evaluate(i).into_iter().peekable();
        if let Some((
            _,
            SyncAction::GroupState {
                from: State::Init, ..
            },
        )) = actions.peek()
        {
            if let Some(a) = actions.next() {
                self.sync_action(i, a);
            }
        }
        self.notifier.event(&ev, Instant::now());
        for a in actions {
            self.sync_action(i, a);
        }
    }
}

fn state_word(s: State) -> &'static str {
    crate::notify::state_word(s)
}
