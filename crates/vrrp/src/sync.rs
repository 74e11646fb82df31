//! `vrrp_sync_group`, sans-IO: keeps the member instances of a group in one state, as
//! keepalived's `vrrp_sync.c` does. The VRRP child ([`crate::daemon`]) calls
//! [`SyncGroup::evaluate`] after each member's state change (and each
//! [`crate::events::Output::WantMaster`]) with a view of all members, feeds the returned
//! inputs to the members and sends the group's notifies on [`Action::GroupState`].
//!
//! Rules (reference §4.4):
//! - the group goes MASTER only when every member wants MASTER (its down timer expired:
//!   members ask rather than decide, see `Output::WantMaster`), and then all go together;
//!   a member that becomes MASTER on its own (an address owner leaving FAULT) takes the
//!   others with it;
//! - a member leaving MASTER for BACKUP takes the others to BACKUP;
//! - a member at fault (its own reasons) holds all the others in FAULT; the group leaves
//!   FAULT (all to BACKUP) when no member is at fault any more;
//! - the group is STOP when all members are.
//!
//! Actions come in keepalived's notify order: the member that moved first (the caller has
//! already notified it), then the members it takes along, then the group itself; except
//! the group's first state (from INIT), which keepalived announces before its members'.

use crate::events::{Input, State};

/// What the coordinator needs to know of a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Member {
    pub state: State,
    pub own_fault: bool,
    pub wants_master: bool,
}

/// What to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Feed this input to the member at this position of the group.
    Feed(usize, Input),
    /// The group changed state (notify).
    GroupState { from: State, to: State },
}

/// One sync group.
#[derive(Clone, Debug)]
pub struct SyncGroup {
    pub name: String,
    state: State,
}

impl SyncGroup {
    pub fn new(name: &str) -> SyncGroup {
        SyncGroup {
            name: name.to_string(),
            state: State::Init,
        }
    }

    pub fn state(&self) -> State {
        self.state
    }

    /// Takes the members' common state without any action (hitless restart or reload:
    /// the members resumed where they were, nothing changed for the outside world).
    pub fn adopt(&mut self, view: &[Member]) {
        if let Some(first) = view.first() {
            if view.iter().all(|m| m.state == first.state) {
                self.state = first.state;
            }
        }
    }

    /// Decides after member `trigger` (a position in `view`) changed state or asked for
    /// MASTER.
    pub fn evaluate(&mut self, trigger: usize, view: &[Member]) -> Vec<Action> {
        let mut feeds = Vec::new();
        let t_state = view.get(trigger).map(|m| m.state);
        let others = |want: State| -> Vec<usize> {
            view.iter()
                .enumerate()
                .filter(|(i, m)| *i != trigger && m.state == want)
                .map(|(i, _)| i)
                .collect()
        };
        let target = if view.iter().any(|m| m.state == State::Stop) {
            // Shutting down: no more syncing; STOP once everyone is.
            if view.iter().all(|m| m.state == State::Stop) {
                State::Stop
            } else {
                self.state
            }
        } else if view.iter().any(|m| m.own_fault) {
            for (i, m) in view.iter().enumerate() {
                if m.state != State::Fault {
                    feeds.push(Action::Feed(i, Input::SyncFault));
                }
            }
            State::Fault
        } else if self.state == State::Fault || view.iter().any(|m| m.state == State::Fault) {
            // Nobody is at fault any more: leave FAULT together.
            for (i, m) in view.iter().enumerate() {
                if m.state == State::Fault {
                    feeds.push(Action::Feed(i, Input::SyncBackup));
                }
            }
            State::Backup
        } else if t_state == Some(State::Master) && self.state != State::Master {
            for i in others(State::Backup) {
                feeds.push(Action::Feed(i, Input::SyncMaster));
            }
            State::Master
        } else if t_state == Some(State::Backup) && self.state == State::Master {
            for i in others(State::Master) {
                feeds.push(Action::Feed(i, Input::SyncBackup));
            }
            State::Backup
        } else if view.iter().all(|m| m.state == State::Master) {
            State::Master
        } else if view
            .iter()
            .all(|m| m.state == State::Master || (m.state == State::Backup && m.wants_master))
        {
            // Everyone wants MASTER: the one that asked last goes first (keepalived's order).
            if t_state == Some(State::Backup) {
                feeds.push(Action::Feed(trigger, Input::SyncMaster));
            }
            for i in others(State::Backup) {
                feeds.push(Action::Feed(i, Input::SyncMaster));
            }
            State::Master
        } else if self.state == State::Init && view.iter().any(|m| m.state == State::Backup) {
            State::Backup
        } else {
            self.state
        };
        let from = self.state;
        // Set before the caller feeds the members, so their own changes find the group
        // already where they are going and do not echo.
        self.state = target;
        if from == target {
            return feeds;
        }
        let change = Action::GroupState { from, to: target };
        if from == State::Init {
            let mut v = vec![change];
            v.extend(feeds);
            v
        } else {
            feeds.push(change);
            feeds
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::Output;
    use crate::instance::{Instance, Params};
    use std::time::{Duration, Instant};

    fn m(state: State) -> Member {
        Member {
            state,
            own_fault: false,
            wants_master: false,
        }
    }

    #[test]
    fn master_only_when_every_member_wants_it() {
        let mut g = SyncGroup::new("G1");
        assert_eq!(
            g.evaluate(0, &[m(State::Backup), m(State::Init)]),
            [Action::GroupState {
                from: State::Init,
                to: State::Backup
            }]
        );
        let mut a = m(State::Backup);
        a.wants_master = true;
        assert!(g.evaluate(0, &[a, m(State::Backup)]).is_empty());
        let b = Member {
            wants_master: true,
            ..m(State::Backup)
        };
        assert_eq!(
            g.evaluate(1, &[a, b]),
            [
                Action::Feed(1, Input::SyncMaster),
                Action::Feed(0, Input::SyncMaster),
                Action::GroupState {
                    from: State::Backup,
                    to: State::Master
                }
            ]
        );
        // The members' own changes then echo nothing.
        assert!(g
            .evaluate(1, &[m(State::Backup), m(State::Master)])
            .is_empty());
        assert!(g
            .evaluate(0, &[m(State::Master), m(State::Master)])
            .is_empty());
    }

    #[test]
    fn one_fault_holds_all_and_recovery_releases_all() {
        let mut g = SyncGroup::new("G1");
        g.adopt(&[m(State::Master), m(State::Master)]);
        let faulty = Member {
            own_fault: true,
            ..m(State::Fault)
        };
        assert_eq!(
            g.evaluate(1, &[m(State::Master), faulty]),
            [
                Action::Feed(0, Input::SyncFault),
                Action::GroupState {
                    from: State::Master,
                    to: State::Fault
                }
            ]
        );
        assert!(g.evaluate(0, &[m(State::Fault), faulty]).is_empty());
        // Member 0's own link recovering changes nothing while 1 is at fault.
        assert!(g.evaluate(0, &[m(State::Fault), faulty]).is_empty());
        assert_eq!(
            g.evaluate(1, &[m(State::Fault), m(State::Backup)]),
            [
                Action::Feed(0, Input::SyncBackup),
                Action::GroupState {
                    from: State::Fault,
                    to: State::Backup
                }
            ]
        );
    }

    #[test]
    fn backup_takes_the_others_and_stop_ends_it() {
        let mut g = SyncGroup::new("G1");
        g.adopt(&[m(State::Master), m(State::Master)]);
        assert_eq!(
            g.evaluate(0, &[m(State::Backup), m(State::Master)]),
            [
                Action::Feed(1, Input::SyncBackup),
                Action::GroupState {
                    from: State::Master,
                    to: State::Backup
                }
            ]
        );
        assert!(g
            .evaluate(0, &[m(State::Stop), m(State::Backup)])
            .is_empty());
        assert_eq!(
            g.evaluate(1, &[m(State::Stop), m(State::Stop)]),
            [Action::GroupState {
                from: State::Backup,
                to: State::Stop
            }]
        );
    }

    /// Two real instance FSMs coordinated the way the daemon does it.
    struct Pair {
        g: SyncGroup,
        i: [Instance; 2],
        log: Vec<String>,
    }

    impl Pair {
        fn new(now: Instant) -> Pair {
            let mk = |vrid: u8| {
                let p = Params::new(&format!("VI_{vrid}"), 2, vrid, 100);
                let mut i = Instance::new(p, now);
                i.set_sync_member(true);
                i
            };
            Pair {
                g: SyncGroup::new("G1"),
                i: [mk(1), mk(2)],
                log: Vec::new(),
            }
        }

        fn view(&self) -> Vec<Member> {
            self.i
                .iter()
                .map(|i| Member {
                    state: i.state(),
                    own_fault: i.own_fault(),
                    wants_master: i.wants_master(),
                })
                .collect()
        }

        fn feed(&mut self, k: usize, now: Instant, input: Input) {
            let outs = self.i[k].handle(now, input);
            for o in outs {
                match o {
                    // As the daemon does: the group's first state before the member's.
                    Output::StateChanged { to, .. } => {
                        let view = self.view();
                        let mut acts = self.g.evaluate(k, &view);
                        if let Some(Action::GroupState {
                            from: State::Init, ..
                        }) = acts.first()
                        {
                            let first = acts.remove(0);
                            self.act(first, now);
                        }
                        self.log.push(format!("VI_{} {to:?}", k + 1));
                        for a in acts {
                            self.act(a, now);
                        }
                    }
                    Output::WantMaster => {
                        let view = self.view();
                        for a in self.g.evaluate(k, &view) {
                            self.act(a, now);
                        }
                    }
                    _ => {}
                }
            }
        }

        /// As the daemon's `feed_own_fault`: a member whose own fault clears while its
        /// group holds it in FAULT asks its group.
        fn feed_own(&mut self, k: usize, now: Instant, input: Input) {
            let before = self.i[k].own_fault();
            self.feed(k, now, input);
            if before && !self.i[k].own_fault() && self.i[k].state() == State::Fault {
                let view = self.view();
                for a in self.g.evaluate(k, &view) {
                    self.act(a, now);
                }
            }
        }

        fn act(&mut self, a: Action, now: Instant) {
            match a {
                Action::Feed(j, input) => self.feed(j, now, input),
                Action::GroupState { to, .. } => self.log.push(format!("G1 {to:?}")),
            }
        }

        fn expire(&mut self, k: usize) -> Instant {
            let at = self.i[k]
                .timer(crate::events::TimerKind::MasterDown)
                .expect("down timer");
            self.feed(
                k,
                at,
                Input::TimerExpired(crate::events::TimerKind::MasterDown),
            );
            at
        }
    }

    #[test]
    fn instances_move_together_in_keepalived_order() {
        let t0 = Instant::now();
        let mut p = Pair::new(t0);
        p.feed(0, t0, Input::Start);
        p.feed(1, t0, Input::Start);
        assert_eq!(p.log, ["G1 Backup", "VI_1 Backup", "VI_2 Backup"]);
        p.log.clear();
        p.expire(0);
        assert_eq!(p.i[0].state(), State::Backup, "VI_1 waits for VI_2");
        assert!(p.i[0].wants_master());
        let t = p.expire(1);
        assert_eq!(p.log, ["VI_2 Master", "VI_1 Master", "G1 Master"]);
        p.log.clear();
        // VI_2's link goes down: both FAULT; back up: both BACKUP.
        p.feed(1, t, Input::LinkDown);
        assert_eq!(p.log, ["VI_2 Fault", "VI_1 Fault", "G1 Fault"]);
        p.log.clear();
        p.feed(0, t, Input::LinkUp);
        assert!(p.log.is_empty(), "VI_1 stays held in FAULT");
        p.feed(1, t, Input::LinkUp);
        assert_eq!(p.log, ["VI_2 Backup", "VI_1 Backup", "G1 Backup"]);
        p.log.clear();
        // A higher-priority master for VI_1 keeps the group BACKUP even when VI_2 times out.
        p.expire(1);
        let adv = crate::events::RxAdvert {
            src: "192.0.2.1".parse().expect("addr"),
            priority: 200,
            adver_int: Duration::from_secs(1),
            addr_count: 0,
            vips_match: true,
        };
        p.feed(0, t, Input::Advert(adv));
        assert!(!p.i[0].wants_master());
        assert!(p.log.is_empty(), "{:?}", p.log);
        p.feed(0, t, Input::Shutdown);
        p.feed(1, t, Input::Shutdown);
        assert_eq!(p.log, ["VI_1 Stop", "VI_2 Stop", "G1 Stop"]);
    }

    /// A group-level tracker fails and recovers on every member, one after the other (the
    /// daemon feeds each member in turn). The first to recover is held by the other; the
    /// last one's recovery changes no state of its own, so it must ask the group, or the
    /// group would stay in FAULT for good (it did before `feed_own_fault`).
    #[test]
    fn group_tracker_recovering_member_by_member_releases_the_group() {
        let t0 = Instant::now();
        let mut p = Pair::new(t0);
        p.feed(0, t0, Input::Start);
        p.feed(1, t0, Input::Start);
        p.expire(0);
        let t = p.expire(1);
        assert_eq!(
            (p.i[0].state(), p.i[1].state()),
            (State::Master, State::Master)
        );
        p.log.clear();
        p.feed_own(0, t, Input::TrackFault(true));
        p.feed_own(1, t, Input::TrackFault(true));
        assert_eq!(p.log, ["VI_1 Fault", "VI_2 Fault", "G1 Fault"]);
        p.log.clear();
        p.feed_own(0, t, Input::TrackFault(false));
        assert_eq!(p.i[0].state(), State::Fault, "held by VI_2: {:?}", p.log);
        p.log.clear();
        p.feed_own(1, t, Input::TrackFault(false));
        assert_eq!(
            (p.i[0].state(), p.i[1].state()),
            (State::Backup, State::Backup)
        );
        assert_eq!(p.g.state(), State::Backup, "{:?}", p.log);
        assert!(p.log.contains(&"G1 Backup".to_string()), "{:?}", p.log);
    }
}
