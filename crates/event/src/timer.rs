//! A queue of deadlines on the monotonic clock, cancellable by key; every event loop keeps
//! one and passes [`TimerQueue::next_deadline`] to [`crate::Poller::wait`].
//!
//! Deadlines are `Instant`s (nanoseconds); nothing here rounds. Timers with the same
//! deadline fire in the order they were set.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::time::Instant;

/// Deadlines keyed by `K`; one deadline per key.
pub struct TimerQueue<K> {
    by_deadline: BTreeMap<(Instant, u64), K>,
    by_key: HashMap<K, (Instant, u64), BuildHasherDefault<FxHasher>>,
    seq: u64,
}

/// rustc's FxHash for the key index: keys are small enums and indices that the loop sets
/// and cancels on every VRRP advert, and SipHash's resistance to chosen keys buys nothing
/// for keys the program makes itself.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(w));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    fn write_u16(&mut self, n: u16) {
        self.add(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl<K: fmt::Debug> fmt::Debug for TimerQueue<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.by_deadline.iter().map(|((at, _), k)| (k, at)))
            .finish()
    }
}

impl<K: Clone + Eq + Hash> Default for TimerQueue<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Clone + Eq + Hash> TimerQueue<K> {
    pub fn new() -> Self {
        TimerQueue {
            by_deadline: BTreeMap::new(),
            by_key: HashMap::default(),
            seq: 0,
        }
    }

    /// Sets `key` to fire at `at`, replacing any deadline it had. Returns the old one.
    pub fn set(&mut self, key: K, at: Instant) -> Option<Instant> {
        let old = self.cancel(&key);
        self.seq += 1;
        self.by_deadline.insert((at, self.seq), key.clone());
        self.by_key.insert(key, (at, self.seq));
        old
    }

    /// Removes `key`'s deadline; returns it if there was one.
    pub fn cancel(&mut self, key: &K) -> Option<Instant> {
        let slot = self.by_key.remove(key)?;
        self.by_deadline.remove(&slot);
        Some(slot.0)
    }

    /// When `key` fires, if it is set.
    pub fn deadline(&self, key: &K) -> Option<Instant> {
        self.by_key.get(key).map(|s| s.0)
    }

    /// The earliest deadline: the poll timeout of the loop.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.by_deadline.keys().next().map(|s| s.0)
    }

    /// The earliest timer and its deadline, left in the queue.
    pub fn peek(&self) -> Option<(&K, Instant)> {
        self.by_deadline
            .first_key_value()
            .map(|((at, _), k)| (k, *at))
    }

    /// Removes and returns the earliest timer due at `now`, with its deadline; call until
    /// `None`. A timer set while handling another can be due in the same pass.
    pub fn pop_due(&mut self, now: Instant) -> Option<(K, Instant)> {
        let entry = self.by_deadline.first_entry()?;
        if entry.key().0 > now {
            return None;
        }
        let ((at, _), key) = entry.remove_entry();
        self.by_key.remove(&key);
        Some((key, at))
    }

    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn fires_in_deadline_order_then_insertion_order() {
        let t0 = Instant::now();
        let mut q = TimerQueue::new();
        q.set("c", t0 + ms(30));
        q.set("a", t0 + ms(10));
        q.set("b1", t0 + ms(20));
        q.set("b2", t0 + ms(20));
        assert_eq!(q.next_deadline(), Some(t0 + ms(10)));
        assert_eq!(q.pop_due(t0 + ms(5)), None);
        let fired: Vec<_> = std::iter::from_fn(|| q.pop_due(t0 + ms(25)).map(|(k, _)| k)).collect();
        assert_eq!(fired, ["a", "b1", "b2"]);
        assert_eq!(q.len(), 1);
        assert_eq!(q.pop_due(t0 + ms(30)), Some(("c", t0 + ms(30))));
        assert!(q.is_empty());
        assert_eq!(q.next_deadline(), None);
    }

    #[test]
    fn cancel_and_reset_by_key() {
        let t0 = Instant::now();
        let mut q = TimerQueue::new();
        q.set(1u32, t0 + ms(10));
        q.set(2u32, t0 + ms(20));
        assert_eq!(q.cancel(&1), Some(t0 + ms(10)));
        assert_eq!(q.cancel(&1), None);
        assert_eq!(q.next_deadline(), Some(t0 + ms(20)));
        // Re-setting moves the key; it never fires twice.
        assert_eq!(q.set(2, t0 + ms(5)), Some(t0 + ms(20)));
        assert_eq!(q.deadline(&2), Some(t0 + ms(5)));
        assert_eq!(q.pop_due(t0 + ms(100)), Some((2, t0 + ms(5))));
        assert_eq!(q.pop_due(t0 + ms(100)), None);
    }

    #[test]
    fn peek_shows_the_earliest_and_leaves_it() {
        let t0 = Instant::now();
        let mut q = TimerQueue::new();
        assert_eq!(q.peek(), None);
        q.set("b", t0 + ms(20));
        q.set("a", t0 + ms(10));
        assert_eq!(q.peek(), Some((&"a", t0 + ms(10))));
        assert_eq!(q.len(), 2);
        q.cancel(&"a");
        assert_eq!(q.peek(), Some((&"b", t0 + ms(20))));
    }

    #[test]
    fn keeps_sub_microsecond_deadlines_apart() {
        let t0 = Instant::now();
        let mut q = TimerQueue::new();
        q.set("late", t0 + Duration::from_nanos(1_500));
        q.set("early", t0 + Duration::from_nanos(1_000));
        assert_eq!(q.next_deadline(), Some(t0 + Duration::from_nanos(1_000)));
        assert_eq!(
            q.pop_due(t0 + Duration::from_nanos(1_499)).map(|x| x.0),
            Some("early")
        );
        assert_eq!(q.pop_due(t0 + Duration::from_nanos(1_499)), None);
    }
}
