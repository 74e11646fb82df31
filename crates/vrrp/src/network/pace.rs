//! Pacing of gratuitous ARPs and unsolicited NAs per interface (keepalived's
//! `vrrp_garp_interval` / `vrrp_gna_interval` and `garp_group`): at most one frame per
//! interval on an interface, the rest queued in order. Sans-IO: the VRRP child pushes
//! frames, puts [`Pacer::next_deadline`] in its poll timeout and sends what [`Pacer::due`]
//! hands back.

use std::collections::{HashMap, VecDeque};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::{Duration, Instant};

/// One announcement to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame {
    Arp {
        ifindex: u32,
        mac: [u8; 6],
        ip: Ipv4Addr,
    },
    Na {
        ifindex: u32,
        mac: [u8; 6],
        ip: Ipv6Addr,
        router: bool,
    },
}

impl Frame {
    fn lane(&self) -> (u32, bool) {
        match self {
            Frame::Arp { ifindex, .. } => (*ifindex, false),
            Frame::Na { ifindex, .. } => (*ifindex, true),
        }
    }
}

#[derive(Debug, Default)]
struct Lane {
    /// When the next frame may go.
    next: Option<Instant>,
    /// Waiting frames with their rank, lowest rank first.
    queue: VecDeque<(u64, Frame)>,
}

/// Per interface and family (ARP and NA are paced separately, as keepalived does).
#[derive(Debug, Default)]
pub struct Pacer {
    lanes: HashMap<(u32, bool), Lane>,
}

impl Pacer {
    /// Offers `f` with its lane's `interval`: returned at once when the lane is free
    /// (interval zero, or the last frame went `interval` ago and nothing waits), else
    /// queued. Waiting frames go out by `rank` (the daemon passes the address's place in
    /// its configuration), as keepalived walks its address lists for pending ones.
    pub fn push(&mut self, now: Instant, f: Frame, rank: u64, interval: Duration) -> Option<Frame> {
        if interval.is_zero() {
            return Some(f);
        }
        let lane = self.lanes.entry(f.lane()).or_default();
        if lane.queue.is_empty() && lane.next.is_none_or(|n| n <= now) {
            lane.next = Some(now + interval);
            return Some(f);
        }
        // keepalived keeps one pending flag per address: a repeat of a frame that still
        // waits is not queued again, so a paced burst announces each address once.
        if !lane.queue.iter().any(|(_, q)| *q == f) {
            let at = lane.queue.partition_point(|(r, _)| *r <= rank);
            lane.queue.insert(at, (rank, f));
        }
        None
    }

    /// The frames whose turn has come, at most one per lane per `interval`.
    pub fn due(&mut self, now: Instant, interval: impl Fn(u32, bool) -> Duration) -> Vec<Frame> {
        let mut out = Vec::new();
        for (&(ifindex, v6), lane) in &mut self.lanes {
            let gap = interval(ifindex, v6);
            while lane.next.is_none_or(|n| n <= now) {
                let Some((_, f)) = lane.queue.pop_front() else {
                    break;
                };
                out.push(f);
                if gap.is_zero() {
                    continue;
                }
                lane.next = Some(now + gap);
                break;
            }
        }
        self.lanes
            .retain(|_, l| !l.queue.is_empty() || l.next.is_some_and(|n| n > now));
        out
    }

    /// The earliest time a queued frame may go.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.lanes
            .values()
            .filter(|l| !l.queue.is_empty())
            .filter_map(|l| l.next)
            .min()
    }

    /// Frames waiting.
    pub fn queued(&self) -> usize {
        self.lanes.values().map(|l| l.queue.len()).sum()
    }

    /// Drops what waits on `ifindex` (its instance left MASTER or went away).
    pub fn forget(&mut self, keep: impl Fn(&Frame) -> bool) {
        for l in self.lanes.values_mut() {
            l.queue.retain(|(_, f)| keep(f));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arp(ifindex: u32, last: u8) -> Frame {
        Frame::Arp {
            ifindex,
            mac: [0; 6],
            ip: Ipv4Addr::new(192, 0, 2, last),
        }
    }

    #[test]
    fn zero_interval_sends_at_once() {
        let mut p = Pacer::default();
        let t = Instant::now();
        for i in 0..5 {
            assert_eq!(p.push(t, arp(1, i), 0, Duration::ZERO), Some(arp(1, i)));
        }
        assert_eq!(p.next_deadline(), None);
    }

    #[test]
    fn one_frame_per_interval_per_interface_in_order() {
        let mut p = Pacer::default();
        let t = Instant::now();
        let gap = Duration::from_millis(10);
        assert_eq!(p.push(t, arp(1, 1), 1, gap), Some(arp(1, 1)));
        assert_eq!(p.push(t, arp(1, 2), 2, gap), None);
        assert_eq!(p.push(t, arp(1, 3), 3, gap), None);
        // Another interface and the NA lane of the same interface are independent.
        assert_eq!(p.push(t, arp(2, 9), 9, gap), Some(arp(2, 9)));
        let na = Frame::Na {
            ifindex: 1,
            mac: [0; 6],
            ip: Ipv6Addr::LOCALHOST,
            router: false,
        };
        assert_eq!(p.push(t, na, 0, gap), Some(na));
        assert_eq!(p.queued(), 2);
        assert_eq!(p.next_deadline(), Some(t + gap));
        assert!(p.due(t + Duration::from_millis(9), |_, _| gap).is_empty());
        assert_eq!(p.due(t + gap, |_, _| gap), vec![arp(1, 2)]);
        assert_eq!(p.next_deadline(), Some(t + 2 * gap));
        // (queued frame 3 waits for t + 20 ms)
        // Late by 15 ms: still only one, and the next keeps a full interval from it.
        assert_eq!(
            p.due(t + Duration::from_millis(35), |_, _| gap),
            vec![arp(1, 3)]
        );
        assert_eq!(p.queued(), 0);
        assert_eq!(p.next_deadline(), None);
        // The lane stays paced after it drained.
        assert_eq!(
            p.push(t + Duration::from_millis(36), arp(1, 4), 4, gap),
            None
        );
    }

    #[test]
    fn waiting_frames_go_by_rank_and_repeats_are_not_queued_twice() {
        let mut p = Pacer::default();
        let t = Instant::now();
        let gap = Duration::from_millis(10);
        // A burst of 3 addresses, repeated: the first goes, then each address once, in
        // configuration order (keepalived: .100 .100 .101 .102).
        let mut sent = Vec::new();
        for _ in 0..3 {
            for i in 0..3u8 {
                sent.extend(p.push(t, arp(1, i), u64::from(i), gap));
            }
        }
        for k in 1..=3 {
            sent.extend(p.due(t + gap * k, |_, _| gap));
        }
        assert_eq!(sent, vec![arp(1, 0), arp(1, 0), arp(1, 1), arp(1, 2)]);
    }

    #[test]
    fn forget_drops_queued_frames() {
        let mut p = Pacer::default();
        let t = Instant::now();
        let gap = Duration::from_secs(1);
        let _ = p.push(t, arp(1, 1), 1, gap);
        let _ = p.push(t, arp(1, 2), 2, gap);
        let _ = p.push(t, arp(1, 3), 3, gap);
        p.forget(|f| *f != arp(1, 2));
        assert_eq!(p.due(t + gap, |_, _| gap), vec![arp(1, 3)]);
    }
}
