//! Per-instance (and per-group) ordering of notify scripts, sans-IO: at most one script of
//! an instance runs at a time, in the order the events happened; the VRRP child's notify
//! glue ([`crate::daemon`]) pushes the runs of each event, starts what [`Queue::startable`]
//! returns and reports each end with [`Queue::finished`].
//!
//! Coalescing (our choice, documented in docs/notify.md): a state transition supersedes
//! every run of the same instance that has not started yet (earlier transitions, or the
//! generic `notify` of a transition whose specific script is still running), so no
//! script is ever started with a state the instance has already left. The running
//! script is never interrupted. Identical non-transition runs (lower-priority adverts,
//! which may arrive every advert interval) are not queued twice.

use std::collections::{BTreeMap, VecDeque};

/// Whose notifies these are.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    Instance(String),
    Group(String),
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Key::Instance(n) => write!(f, "{n}"),
            Key::Group(n) => write!(f, "VRRP_Group({n})"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Pending<T> {
    run: T,
    transition: bool,
}

#[derive(Debug)]
struct PerKey<T> {
    running: bool,
    pending: VecDeque<Pending<T>>,
}

impl<T> Default for PerKey<T> {
    fn default() -> Self {
        PerKey {
            running: false,
            pending: VecDeque::new(),
        }
    }
}

/// The queues of every instance and group; `T` is what to run (an argv and its user).
#[derive(Debug)]
pub struct Queue<T> {
    keys: BTreeMap<Key, PerKey<T>>,
    /// Runs dropped because a newer transition superseded them.
    pub superseded: u64,
}

impl<T> Default for Queue<T> {
    fn default() -> Self {
        Queue {
            keys: BTreeMap::new(),
            superseded: 0,
        }
    }
}

impl<T: Clone + PartialEq> Queue<T> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Queues the runs of one event. `transition`: the event is a state change, which
    /// supersedes whatever of this key has not started. Returns how many queued runs it
    /// superseded.
    pub fn push(&mut self, key: &Key, runs: Vec<T>, transition: bool) -> usize {
        let q = self.keys.entry(key.clone()).or_default();
        let mut dropped = 0;
        if transition {
            dropped = q.pending.len();
            q.pending.clear();
        }
        for run in runs {
            let p = Pending { run, transition };
            if !transition && q.pending.contains(&p) {
                continue;
            }
            q.pending.push_back(p);
        }
        self.superseded += dropped as u64;
        dropped
    }

    /// The runs to start now (one per key that has nothing running), marking them running.
    pub fn startable(&mut self) -> Vec<(Key, T)> {
        let mut out = Vec::new();
        for (k, q) in self.keys.iter_mut() {
            if q.running {
                continue;
            }
            if let Some(p) = q.pending.pop_front() {
                q.running = true;
                out.push((k.clone(), p.run));
            }
        }
        out
    }

    /// The run of `key` ended (or could not start).
    pub fn finished(&mut self, key: &Key) {
        if let Some(q) = self.keys.get_mut(key) {
            q.running = false;
            if q.pending.is_empty() {
                self.keys.remove(key);
            }
        }
    }

    /// Nothing running and nothing pending.
    pub fn is_idle(&self) -> bool {
        self.keys.is_empty()
    }

    /// Runs waiting to start, over all keys.
    pub fn pending(&self) -> usize {
        self.keys.values().map(|q| q.pending.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    fn inst(n: &str) -> Key {
        Key::Instance(n.into())
    }

    #[test]
    fn one_at_a_time_per_key_in_order() {
        let mut q: Queue<Vec<String>> = Queue::new();
        q.push(&inst("VI_1"), vec![a("m"), a("g MASTER")], true);
        q.push(&inst("VI_2"), vec![a("g2 MASTER")], true);
        let first = q.startable();
        assert_eq!(
            first,
            [(inst("VI_1"), a("m")), (inst("VI_2"), a("g2 MASTER"))],
            "different instances run side by side"
        );
        assert!(
            q.startable().is_empty(),
            "VI_1's generic waits for its specific"
        );
        q.finished(&inst("VI_1"));
        assert_eq!(q.startable(), [(inst("VI_1"), a("g MASTER"))]);
        q.finished(&inst("VI_1"));
        q.finished(&inst("VI_2"));
        assert!(q.startable().is_empty());
        assert!(q.is_idle());
    }

    #[test]
    fn a_transition_supersedes_what_has_not_started() {
        let mut q: Queue<Vec<String>> = Queue::new();
        q.push(&inst("VI_1"), vec![a("m"), a("g MASTER")], true);
        assert_eq!(q.startable(), [(inst("VI_1"), a("m"))]);
        // BACKUP then FAULT arrive while notify_master runs.
        assert_eq!(q.push(&inst("VI_1"), vec![a("b"), a("g BACKUP")], true), 1);
        assert_eq!(q.push(&inst("VI_1"), vec![a("f"), a("g FAULT")], true), 2);
        assert_eq!(q.superseded, 3);
        assert!(
            q.startable().is_empty(),
            "the running script is not interrupted"
        );
        q.finished(&inst("VI_1"));
        assert_eq!(q.startable(), [(inst("VI_1"), a("f"))]);
        q.finished(&inst("VI_1"));
        assert_eq!(q.startable(), [(inst("VI_1"), a("g FAULT"))]);
    }

    #[test]
    fn repeated_lower_priority_runs_are_not_queued_twice() {
        let mut q: Queue<Vec<String>> = Queue::new();
        q.push(&inst("VI_1"), vec![a("low")], false);
        assert_eq!(q.startable().len(), 1);
        for _ in 0..100 {
            q.push(&inst("VI_1"), vec![a("low")], false);
        }
        assert_eq!(q.pending(), 1);
        assert_eq!(q.superseded, 0);
    }

    #[test]
    fn groups_and_instances_are_separate_keys() {
        let mut q: Queue<Vec<String>> = Queue::new();
        q.push(&Key::Group("VI_1".into()), vec![a("gg")], true);
        q.push(&inst("VI_1"), vec![a("ii")], true);
        assert_eq!(q.startable().len(), 2);
        assert_eq!(Key::Group("G".into()).to_string(), "VRRP_Group(G)");
    }
}
