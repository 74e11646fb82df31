//! Reconcile planner (pure): from the desired services/destinations and the kernel's
//! current table, the minimal list of IPVS operations. Used by the checker on start and
//! reload so that unchanged entries are not touched (a restarted checker changes nothing).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::model::{Dest, DestKey, Service, ServiceKey, VirtualService};
use crate::uapi::svc_flags;

/// One IPVS change, in the order it must be applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    AddService(Service),
    EditService(Service),
    DelService(ServiceKey),
    AddDest(ServiceKey, Dest),
    EditDest(ServiceKey, Dest),
    DelDest(ServiceKey, DestKey),
}

/// What to do with services in the table that are not desired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Others {
    /// Leave them (another tool, or an admin, owns them).
    Keep,
    /// Delete them (we own the whole table, e.g. after `lvs_flush`).
    Delete,
}

fn same_settings(a: &Service, b: &Service) -> bool {
    a.scheduler == b.scheduler
        && (a.flags & !svc_flags::HASHED) == (b.flags & !svc_flags::HASHED)
        && a.timeout == b.timeout
        && a.netmask == b.netmask
        && a.pe_name == b.pe_name
}

/// The operations that turn `current` into `desired`. Destinations of a desired service
/// that are not desired are deleted; services follow `others`. Duplicate keys in
/// `desired`: the last one wins.
pub fn plan(desired: &[VirtualService], current: &[VirtualService], others: Others) -> Vec<Op> {
    let cur: BTreeMap<ServiceKey, &VirtualService> =
        current.iter().map(|v| (v.service.key, v)).collect();
    let want: BTreeMap<ServiceKey, &VirtualService> =
        desired.iter().map(|v| (v.service.key, v)).collect();
    let mut ops = Vec::new();

    if others == Others::Delete {
        for k in cur.keys().filter(|k| !want.contains_key(k)) {
            ops.push(Op::DelService(*k));
        }
    }

    for (key, w) in &want {
        let wanted_dests: BTreeMap<DestKey, &Dest> = w.dests.iter().map(|d| (d.key(), d)).collect();
        match cur.get(key) {
            None => {
                ops.push(Op::AddService(w.service.clone()));
                for d in wanted_dests.values() {
                    ops.push(Op::AddDest(*key, (*d).clone()));
                }
            }
            Some(c) => {
                if !same_settings(&w.service, &c.service) {
                    ops.push(Op::EditService(w.service.clone()));
                }
                let have: BTreeMap<DestKey, &Dest> = c.dests.iter().map(|d| (d.key(), d)).collect();
                // Deletions first, so thresholds and weights never see both sets at once.
                let gone: BTreeSet<&DestKey> = have
                    .keys()
                    .filter(|k| !wanted_dests.contains_key(k))
                    .collect();
                for k in gone {
                    ops.push(Op::DelDest(*key, *k));
                }
                for (dk, d) in &wanted_dests {
                    match have.get(dk) {
                        None => ops.push(Op::AddDest(*key, (*d).clone())),
                        Some(h) if h != d => ops.push(Op::EditDest(*key, (*d).clone())),
                        Some(_) => {}
                    }
                }
            }
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Forward, Protocol};

    fn key(port: u16) -> ServiceKey {
        ServiceKey::Addr {
            protocol: Protocol::Tcp,
            addr: "192.0.2.10".parse().unwrap(),
            port,
        }
    }

    fn dest(last: u8, weight: u32) -> Dest {
        Dest::new(
            format!("198.51.100.{last}").parse().unwrap(),
            80,
            Forward::Masq,
            weight,
        )
    }

    fn vs(port: u16, dests: Vec<Dest>) -> VirtualService {
        VirtualService {
            service: Service::new(key(port), "wlc"),
            dests,
        }
    }

    #[test]
    fn identical_tables_need_nothing() {
        let t = vec![vs(80, vec![dest(1, 1), dest(2, 3)]), vs(443, vec![])];
        assert!(plan(&t, &t, Others::Delete).is_empty());
        // Order of services and dests does not matter.
        let shuffled = vec![vs(443, vec![]), vs(80, vec![dest(2, 3), dest(1, 1)])];
        assert!(plan(&t, &shuffled, Others::Delete).is_empty());
    }

    #[test]
    fn empty_table_adds_services_then_their_dests() {
        let ops = plan(&[vs(80, vec![dest(1, 1), dest(2, 2)])], &[], Others::Keep);
        assert_eq!(
            ops,
            vec![
                Op::AddService(Service::new(key(80), "wlc")),
                Op::AddDest(key(80), dest(1, 1)),
                Op::AddDest(key(80), dest(2, 2)),
            ]
        );
    }

    #[test]
    fn changed_weight_is_one_edit() {
        let cur = vec![vs(80, vec![dest(1, 1), dest(2, 2)])];
        let want = vec![vs(80, vec![dest(1, 1), dest(2, 5)])];
        assert_eq!(
            plan(&want, &cur, Others::Keep),
            vec![Op::EditDest(key(80), dest(2, 5))]
        );
    }

    #[test]
    fn changed_forwarding_is_an_edit() {
        let cur = vec![vs(80, vec![dest(1, 1)])];
        let mut d = dest(1, 1);
        d.forward = Forward::DirectRoute;
        assert_eq!(
            plan(&[vs(80, vec![d.clone()])], &cur, Others::Keep),
            vec![Op::EditDest(key(80), d)]
        );
    }

    #[test]
    fn removed_dest_is_deleted_before_additions() {
        let cur = vec![vs(80, vec![dest(1, 1), dest(2, 1)])];
        let want = vec![vs(80, vec![dest(1, 1), dest(3, 1)])];
        assert_eq!(
            plan(&want, &cur, Others::Keep),
            vec![
                Op::DelDest(key(80), dest(2, 1).key()),
                Op::AddDest(key(80), dest(3, 1)),
            ]
        );
    }

    #[test]
    fn scheduler_change_edits_the_service_only() {
        let cur = vec![vs(80, vec![dest(1, 1)])];
        let mut want = vs(80, vec![dest(1, 1)]);
        want.service.scheduler = "rr".into();
        assert_eq!(
            plan(&[want.clone()], &cur, Others::Keep),
            vec![Op::EditService(want.service)]
        );
    }

    #[test]
    fn kernel_hashed_flag_is_not_a_difference() {
        let mut cur = vs(80, vec![]);
        cur.service.flags |= svc_flags::HASHED;
        assert!(plan(&[vs(80, vec![])], &[cur], Others::Keep).is_empty());
    }

    #[test]
    fn other_services_kept_or_deleted() {
        let cur = vec![vs(80, vec![]), vs(8080, vec![dest(9, 1)])];
        let want = vec![vs(80, vec![])];
        assert!(plan(&want, &cur, Others::Keep).is_empty());
        assert_eq!(
            plan(&want, &cur, Others::Delete),
            vec![Op::DelService(key(8080))]
        );
    }

    #[test]
    fn fwmark_and_address_services_are_distinct() {
        let fw = VirtualService {
            service: Service::new(
                ServiceKey::Fwmark {
                    family: crate::model::Family::V4,
                    mark: 7,
                },
                "rr",
            ),
            dests: vec![],
        };
        let ops = plan(std::slice::from_ref(&fw), &[vs(80, vec![])], Others::Delete);
        assert_eq!(
            ops,
            vec![Op::DelService(key(80)), Op::AddService(fw.service)]
        );
    }
}
