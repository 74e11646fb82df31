//! When the daemon is ready and when a reload may run: the parent's loop feeds it children's
//! `Ready`/`ReloadFailed` reports and SIGHUPs, and sends the systemd notifications it returns.
//!
//! keepalived counts children still reading their config (`num_reloading`): "Startup
//! complete" and systemd `READY=1` come when the count reaches zero, and a HUP that arrives
//! while it is not zero is queued, not dropped (§1.3, §1.8). Same here, by generation, so
//! a late report about an older config cannot complete a newer one.

use std::collections::BTreeSet;

use crate::child::Role;

/// A systemd notification (`sd_notify`) to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notify {
    /// `READY=1`: every child runs the current generation.
    Ready,
    /// `RELOADING=1`: a validated config is being applied.
    Reloading,
}

impl Notify {
    pub fn as_str(self) -> &'static str {
        match self {
            Notify::Ready => "READY=1",
            Notify::Reloading => "RELOADING=1",
        }
    }
}

/// Answer to a SIGHUP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reload {
    /// Re-read and validate now; on success call [`Readiness::begin_reload`].
    Now,
    /// A startup or reload is still in progress; it will be handed back when it completes.
    Queued,
}

/// What a child's report led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub notify: Option<Notify>,
    /// A HUP was queued during the phase that just completed: reload now.
    pub reload: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Readiness {
    generation: u64,
    waiting: BTreeSet<Role>,
    queued: bool,
}

impl Readiness {
    /// Startup with config `generation`, waiting for `roles`. With no children to wait for
    /// the daemon is ready at once.
    pub fn start(generation: u64, roles: impl IntoIterator<Item = Role>) -> (Self, Option<Notify>) {
        let waiting: BTreeSet<Role> = roles.into_iter().collect();
        let notify = waiting.is_empty().then_some(Notify::Ready);
        (
            Readiness {
                generation,
                waiting,
                queued: false,
            },
            notify,
        )
    }

    /// The generation children are expected to report.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether a startup or reload still waits for children.
    pub fn in_progress(&self) -> bool {
        !self.waiting.is_empty()
    }

    /// A SIGHUP arrived. Several during one reload collapse into one.
    pub fn request_reload(&mut self) -> Reload {
        if self.in_progress() {
            self.queued = true;
            Reload::Queued
        } else {
            Reload::Now
        }
    }

    /// A validated config of `generation` was sent to `roles`. (An invalid one changes
    /// nothing: the daemon stays ready with the old config.)
    pub fn begin_reload(
        &mut self,
        generation: u64,
        roles: impl IntoIterator<Item = Role>,
    ) -> Vec<Notify> {
        self.generation = generation;
        self.waiting = roles.into_iter().collect();
        let mut out = vec![Notify::Reloading];
        if self.waiting.is_empty() {
            out.push(Notify::Ready);
        }
        out
    }

    /// `role` reported `Ready` or `ReloadFailed` for `generation` (a failed apply also ends
    /// the wait: that child keeps its old config and said so).
    pub fn child_done(&mut self, role: Role, generation: u64) -> Progress {
        if generation != self.generation || !self.waiting.remove(&role) {
            return Progress::default();
        }
        if !self.waiting.is_empty() {
            return Progress::default();
        }
        Progress {
            notify: Some(Notify::Ready),
            reload: std::mem::take(&mut self.queued),
        }
    }

    /// `role` is no longer part of the daemon (the new config has nothing for it).
    pub fn child_removed(&mut self, role: Role) -> Progress {
        if !self.waiting.remove(&role) || !self.waiting.is_empty() {
            return Progress::default();
        }
        Progress {
            notify: Some(Notify::Ready),
            reload: std::mem::take(&mut self.queued),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Role::*;

    const READY: Progress = Progress {
        notify: Some(Notify::Ready),
        reload: false,
    };
    const NOTHING: Progress = Progress {
        notify: None,
        reload: false,
    };

    #[test]
    fn ready_once_every_child_runs_the_generation() {
        let (mut r, n) = Readiness::start(1, [Vrrp, Checker]);
        assert_eq!(n, None);
        assert_eq!(r.child_done(Vrrp, 1), NOTHING);
        assert_eq!(
            r.child_done(Vrrp, 1),
            NOTHING,
            "a restarted child reporting again"
        );
        assert_eq!(r.child_done(Checker, 1), READY);
        assert_eq!(r.child_done(Checker, 1), NOTHING, "READY=1 is sent once");
    }

    #[test]
    fn no_children_is_ready_at_once() {
        let (mut r, n) = Readiness::start(1, []);
        assert_eq!(n, Some(Notify::Ready));
        assert_eq!(r.request_reload(), Reload::Now);
        assert_eq!(r.begin_reload(2, []), [Notify::Reloading, Notify::Ready]);
    }

    #[test]
    fn hup_during_startup_or_reload_is_queued_once() {
        let (mut r, _) = Readiness::start(1, [Vrrp, Checker]);
        assert_eq!(r.request_reload(), Reload::Queued);
        assert_eq!(r.request_reload(), Reload::Queued);
        assert_eq!(r.child_done(Vrrp, 1), NOTHING);
        assert_eq!(
            r.child_done(Checker, 1),
            Progress {
                notify: Some(Notify::Ready),
                reload: true
            }
        );
        assert_eq!(r.request_reload(), Reload::Now);
        assert_eq!(r.begin_reload(2, [Vrrp, Checker]), [Notify::Reloading]);
        assert_eq!(r.request_reload(), Reload::Queued);
        // A late report about the old generation completes nothing.
        assert_eq!(r.child_done(Vrrp, 1), NOTHING);
        assert_eq!(r.child_done(Vrrp, 2), NOTHING);
        assert_eq!(
            r.child_done(Checker, 2),
            Progress {
                notify: Some(Notify::Ready),
                reload: true
            }
        );
        assert!(!r.in_progress());
    }

    #[test]
    fn reload_that_drops_a_child() {
        let (mut r, _) = Readiness::start(1, [Vrrp, Checker]);
        r.child_done(Vrrp, 1);
        r.child_done(Checker, 1);
        assert_eq!(r.begin_reload(2, [Vrrp, Checker]), [Notify::Reloading]);
        assert_eq!(r.child_done(Vrrp, 2), NOTHING);
        assert_eq!(r.child_removed(Checker), READY);
    }
}
