//! Real-server health from its checkers' states: a real server is up only while every
//! one of its checkers is up (keepalived's `num_failed_checkers == 0`), and its weight is
//! the configured one unless a `misc_dynamic` MISC_CHECK reported another. Used by the
//! checker child to decide what to change in IPVS.

/// The aggregated state of one real server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RealServerHealth {
    /// Per-checker up/down, in config order.
    up: Vec<bool>,
    /// Configured weight.
    weight: u32,
    /// Last weight a misc_dynamic checker reported.
    dynamic_weight: Option<u32>,
}

impl RealServerHealth {
    /// `checker_up` gives each checker's starting state (Down for `alpha`).
    pub fn new(weight: u32, checker_up: impl IntoIterator<Item = bool>) -> RealServerHealth {
        RealServerHealth {
            up: checker_up.into_iter().collect(),
            weight,
            dynamic_weight: None,
        }
    }

    /// Records checker `idx`'s state; returns true if the server's up/down changed.
    pub fn set(&mut self, idx: usize, up: bool) -> bool {
        let before = self.is_up();
        if let Some(s) = self.up.get_mut(idx) {
            *s = up;
        }
        before != self.is_up()
    }

    pub fn set_dynamic_weight(&mut self, w: u32) {
        self.dynamic_weight = Some(w);
    }

    /// Up when every checker is up (a server without checkers is always up).
    pub fn is_up(&self) -> bool {
        self.up.iter().all(|&u| u)
    }

    pub fn failed(&self) -> usize {
        self.up.iter().filter(|&&u| !u).count()
    }

    pub fn weight(&self) -> u32 {
        self.dynamic_weight.unwrap_or(self.weight)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_checkers_must_pass() {
        let mut rs = RealServerHealth::new(3, [true, true]);
        assert!(rs.is_up());
        assert!(rs.set(1, false));
        assert!(!rs.set(0, false));
        assert_eq!(rs.failed(), 2);
        assert!(!rs.set(1, true));
        assert!(rs.set(0, true));
        assert_eq!(rs.weight(), 3);
        rs.set_dynamic_weight(7);
        assert_eq!(rs.weight(), 7);
        assert!(RealServerHealth::new(1, []).is_up());
    }
}
