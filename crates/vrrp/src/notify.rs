//! Notifies of VRRP instances and sync groups: which scripts run with which argv, and
//! which line goes to the notify FIFOs, exactly as keepalived 2.2.7 does
//! (`vrrp_notify.c`); called by the VRRP child ([`crate::daemon`]) on every state change,
//! lower-priority advert and priority change. This file is sans-IO: it turns an
//! [`Event`] into a [`Plan`]; [`queue`] orders the runs, [`glue`] starts the processes
//! (through `keepalived_event::ScriptRunner`), [`fifo`] writes the lines.
//!
//! keepalived's behaviour, observed with Debian's keepalived 2.2.7:
//! - `notify_master|backup|fault|stop` run with their own arguments only;
//! - `notify` runs with `INSTANCE NAME STATE PRIORITY` (effective priority) appended, or
//!   `GROUP NAME STATE 0` for a sync group;
//! - `notify_master_rx_lower_pri` runs with its own arguments only;
//! - the FIFO line is `INSTANCE "NAME" STATE PRIORITY` / `GROUP "NAME" STATE 0`, with
//!   `MASTER_RX_LOWER_PRI`, and with `MASTER_PRIORITY`/`BACKUP_PRIORITY` on a priority
//!   change when `vrrp_notify_priority_changes` (or the instance's
//!   `notify_priority_changes`) is set; priority changes run no script.
//!
//! Beyond keepalived (see docs/notify.md): the scripts of one instance or group run one at
//! a time and in order ([`queue`]); a transition whose scripts have not started when a
//! newer transition of the same instance arrives is superseded (coalesced), so the last
//! script run always names the current state.

pub mod fifo;
pub mod glue;
pub mod queue;

use keepalived_config::model::vrrp::Notify;
use keepalived_config::model::Script;

use crate::events::State;

/// What happened, as the notifies describe it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// An instance entered `state` (with its effective priority).
    Instance {
        name: String,
        state: State,
        priority: u8,
    },
    /// A sync group entered `state`.
    Group { name: String, state: State },
    /// A MASTER received a lower-priority advert.
    MasterRxLowerPri { name: String, priority: u8 },
    /// The effective priority changed (`notify_priority_changes`).
    PriorityChanged {
        name: String,
        state: State,
        priority: u8,
    },
    /// A reload removed the instance (`notify_deleted`).
    Deleted { name: String, priority: u8 },
}

/// The scripts an instance or group has.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scripts {
    pub notify: Notify,
    pub master_rx_lower_pri: Option<Script>,
}

/// One script run: the argv (no shell) and the `user [group]` written after the script,
/// if any (else the global `script_user`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub argv: Vec<String>,
    pub user: Option<(String, Option<String>)>,
}

impl Run {
    fn of(s: &Script, argv: Vec<String>) -> Run {
        Run {
            argv,
            user: s.user.clone().map(|u| (u, s.group.clone())),
        }
    }
}

/// What to do for one event: the scripts to run, in order, and the line for the FIFOs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub runs: Vec<Run>,
    pub fifo_line: Option<String>,
}

/// keepalived's state word (`{UNKNOWN}` for INIT, as its switch has no INIT case).
pub fn state_word(s: State) -> &'static str {
    match s {
        State::Master => "MASTER",
        State::Backup => "BACKUP",
        State::Fault => "FAULT",
        State::Stop => "STOP",
        State::Init => "{UNKNOWN}",
    }
}

/// The runs and the FIFO line for `ev`, given the scripts of the instance or group it
/// concerns.
pub fn plan(ev: &Event, scripts: &Scripts) -> Plan {
    let mut p = Plan::default();
    match ev {
        Event::Instance {
            name,
            state,
            priority,
        } => {
            if let Some(s) = specific(&scripts.notify, *state) {
                p.runs.push(Run::of(s, s.args.clone()));
            }
            if let Some(g) = &scripts.notify.generic {
                let argv = generic_argv(g, "INSTANCE", name, *state, *priority);
                p.runs.push(Run::of(g, argv));
            }
            p.fifo_line = Some(fifo_line("INSTANCE", name, state_word(*state), *priority));
        }
        Event::Group { name, state } => {
            if let Some(s) = specific(&scripts.notify, *state) {
                p.runs.push(Run::of(s, s.args.clone()));
            }
            if let Some(g) = &scripts.notify.generic {
                p.runs
                    .push(Run::of(g, generic_argv(g, "GROUP", name, *state, 0)));
            }
            p.fifo_line = Some(fifo_line("GROUP", name, state_word(*state), 0));
        }
        Event::MasterRxLowerPri { name, priority } => {
            if let Some(s) = &scripts.master_rx_lower_pri {
                p.runs.push(Run::of(s, s.args.clone()));
            }
            p.fifo_line = Some(fifo_line(
                "INSTANCE",
                name,
                "MASTER_RX_LOWER_PRI",
                *priority,
            ));
        }
        Event::PriorityChanged {
            name,
            state,
            priority,
        } => {
            let word = if *state == State::Master {
                "MASTER_PRIORITY"
            } else {
                "BACKUP_PRIORITY"
            };
            p.fifo_line = Some(fifo_line("INSTANCE", name, word, *priority));
        }
        Event::Deleted { name, priority } => {
            // keepalived 2.2.7: with `notify_deleted` its script (if any) and the generic
            // one with DELETED, no FIFO line; without it the generic script and the FIFO
            // see FAULT. Neither runs notify_fault nor notify_stop.
            let n = &scripts.notify;
            let deleted = n.deleted_flag || n.deleted.is_some();
            if let Some(s) = n.deleted.as_ref().filter(|_| deleted) {
                p.runs.push(Run::of(s, s.args.clone()));
            }
            let word = if deleted { "DELETED" } else { "FAULT" };
            if let Some(g) = &n.generic {
                let mut argv = g.args.clone();
                argv.extend(["INSTANCE".into(), name.clone(), word.into()]);
                argv.push(priority.to_string());
                p.runs.push(Run::of(g, argv));
            }
            if !deleted {
                p.fifo_line = Some(fifo_line("INSTANCE", name, word, *priority));
            }
        }
    }
    // A script whose command line split into nothing cannot run.
    p.runs
        .retain(|r| r.argv.first().is_some_and(|a| !a.is_empty()));
    p
}

fn specific(n: &Notify, state: State) -> Option<&Script> {
    match state {
        State::Master => n.master.as_ref(),
        State::Backup => n.backup.as_ref(),
        State::Fault => n.fault.as_ref(),
        State::Stop => n.stop.as_ref(),
        State::Init => None,
    }
}

/// `script... TYPE NAME STATE PRIORITY`.
fn generic_argv(s: &Script, kind: &str, name: &str, state: State, priority: u8) -> Vec<String> {
    let mut v = s.args.clone();
    v.push(kind.to_string());
    v.push(name.to_string());
    v.push(state_word(state).to_string());
    v.push(priority.to_string());
    v
}

/// `TYPE "NAME" WORD PRIORITY\n`.
pub fn fifo_line(kind: &str, name: &str, word: &str, priority: u8) -> String {
    format!("{kind} \"{name}\" {word} {priority}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(cmd: &str) -> Script {
        Script {
            cmd: cmd.to_string(),
            args: cmd.split_whitespace().map(str::to_string).collect(),
            user: None,
            group: None,
            loc: None,
        }
    }

    fn all_scripts() -> Scripts {
        Scripts {
            notify: Notify {
                master: Some(script("/bin/m a1")),
                backup: Some(script("/bin/b")),
                fault: Some(script("/bin/f")),
                stop: Some(script("/bin/s")),
                deleted: None,
                deleted_flag: false,
                generic: Some(script("/bin/g x y")),
            },
            master_rx_lower_pri: Some(script("/bin/low z")),
        }
    }

    fn argv(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn argvs(p: &Plan) -> Vec<Vec<String>> {
        p.runs.iter().map(|r| r.argv.clone()).collect()
    }

    #[test]
    fn a_deleted_instance_is_notified_as_keepalived_2_2_7_does() {
        let ev = Event::Deleted {
            name: "VI_2".into(),
            priority: 100,
        };
        // Without notify_deleted: the generic script and the FIFO see FAULT; notify_fault
        // and notify_stop do not run.
        let s = all_scripts();
        let p = plan(&ev, &s);
        assert_eq!(
            argvs(&p),
            [argv(&[
                "/bin/g", "x", "y", "INSTANCE", "VI_2", "FAULT", "100"
            ])]
        );
        assert_eq!(
            p.fifo_line.as_deref(),
            Some("INSTANCE \"VI_2\" FAULT 100\n")
        );
        // notify_deleted alone: DELETED, no FIFO line.
        let mut s = all_scripts();
        s.notify.deleted_flag = true;
        let p = plan(&ev, &s);
        assert_eq!(
            argvs(&p),
            [argv(&[
                "/bin/g", "x", "y", "INSTANCE", "VI_2", "DELETED", "100"
            ])]
        );
        assert_eq!(p.fifo_line, None);
        // notify_deleted SCRIPT: that script first.
        s.notify.deleted = Some(script("/bin/d deleted"));
        let p = plan(&ev, &s);
        assert_eq!(
            argvs(&p),
            [
                argv(&["/bin/d", "deleted"]),
                argv(&["/bin/g", "x", "y", "INSTANCE", "VI_2", "DELETED", "100"])
            ]
        );
    }

    #[test]
    fn instance_runs_specific_then_generic_with_keepalived_arguments() {
        let p = plan(
            &Event::Instance {
                name: "VI_1".into(),
                state: State::Master,
                priority: 105,
            },
            &all_scripts(),
        );
        assert_eq!(
            argvs(&p),
            [
                argv(&["/bin/m", "a1"]),
                argv(&["/bin/g", "x", "y", "INSTANCE", "VI_1", "MASTER", "105"])
            ]
        );
        assert_eq!(
            p.fifo_line.as_deref(),
            Some("INSTANCE \"VI_1\" MASTER 105\n")
        );
        for (st, first) in [
            (State::Backup, "/bin/b"),
            (State::Fault, "/bin/f"),
            (State::Stop, "/bin/s"),
        ] {
            let p = plan(
                &Event::Instance {
                    name: "VI_1".into(),
                    state: st,
                    priority: 100,
                },
                &all_scripts(),
            );
            assert_eq!(p.runs[0].argv, argv(&[first]));
            assert_eq!(p.runs[1].argv[5], state_word(st));
        }
    }

    #[test]
    fn group_has_priority_zero() {
        let p = plan(
            &Event::Group {
                name: "G1".into(),
                state: State::Fault,
            },
            &all_scripts(),
        );
        assert_eq!(
            argvs(&p),
            [
                argv(&["/bin/f"]),
                argv(&["/bin/g", "x", "y", "GROUP", "G1", "FAULT", "0"])
            ]
        );
        assert_eq!(p.fifo_line.as_deref(), Some("GROUP \"G1\" FAULT 0\n"));
    }

    #[test]
    fn lower_priority_and_priority_change_lines() {
        let p = plan(
            &Event::MasterRxLowerPri {
                name: "VI_3".into(),
                priority: 100,
            },
            &all_scripts(),
        );
        assert_eq!(argvs(&p), [argv(&["/bin/low", "z"])]);
        assert_eq!(
            p.fifo_line.as_deref(),
            Some("INSTANCE \"VI_3\" MASTER_RX_LOWER_PRI 100\n")
        );
        let p = plan(
            &Event::PriorityChanged {
                name: "VI_3".into(),
                state: State::Backup,
                priority: 95,
            },
            &all_scripts(),
        );
        assert!(p.runs.is_empty(), "priority changes run no script");
        assert_eq!(
            p.fifo_line.as_deref(),
            Some("INSTANCE \"VI_3\" BACKUP_PRIORITY 95\n")
        );
    }

    #[test]
    fn no_scripts_still_gives_the_fifo_line() {
        let p = plan(
            &Event::Instance {
                name: "V".into(),
                state: State::Backup,
                priority: 1,
            },
            &Scripts::default(),
        );
        assert!(p.runs.is_empty());
        assert_eq!(p.fifo_line.as_deref(), Some("INSTANCE \"V\" BACKUP 1\n"));
    }
}
