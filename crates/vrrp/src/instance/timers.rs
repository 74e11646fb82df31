//! The deadlines one [`super::Instance`] owns, one slot per [`TimerKind`]: a fixed array in
//! the instance rather than a map, whose node was a 200-byte allocation per instance (a
//! fifth of a megabyte at 1,000 instances). Used by `instance.rs` only.

use std::time::Instant;

use crate::events::TimerKind;

/// At most one deadline per kind, with the `BTreeMap` calls the instance makes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct TimerSlots([Option<Instant>; 4]);

fn slot(kind: TimerKind) -> usize {
    match kind {
        TimerKind::MasterDown => 0,
        TimerKind::Advert => 1,
        TimerKind::GarpDelayed => 2,
        TimerKind::GarpLowerPrioDelayed => 3,
    }
}

impl TimerSlots {
    pub(super) fn get(&self, kind: &TimerKind) -> Option<&Instant> {
        self.0[slot(*kind)].as_ref()
    }

    /// Sets `kind`'s deadline; returns the one it replaces.
    pub(super) fn insert(&mut self, kind: TimerKind, at: Instant) -> Option<Instant> {
        self.0[slot(kind)].replace(at)
    }

    pub(super) fn remove(&mut self, kind: &TimerKind) -> Option<Instant> {
        self.0[slot(*kind)].take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn one_deadline_per_kind() {
        let t = Instant::now();
        let mut s = TimerSlots::default();
        assert_eq!(s.insert(TimerKind::Advert, t), None);
        assert_eq!(
            s.insert(TimerKind::MasterDown, t + Duration::from_secs(1)),
            None
        );
        assert_eq!(
            s.insert(TimerKind::Advert, t + Duration::from_secs(2)),
            Some(t)
        );
        assert_eq!(
            s.get(&TimerKind::Advert),
            Some(&(t + Duration::from_secs(2)))
        );
        assert_eq!(s.get(&TimerKind::GarpDelayed), None);
        assert_eq!(
            s.remove(&TimerKind::MasterDown),
            Some(t + Duration::from_secs(1))
        );
        assert_eq!(s.remove(&TimerKind::MasterDown), None);
        assert_eq!(
            s.get(&TimerKind::Advert),
            Some(&(t + Duration::from_secs(2)))
        );
    }
}
