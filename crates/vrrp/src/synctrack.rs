//! Tracking of `vrrp_sync_group` members, sans IO: the trackers (and weights) each
//! instance ends up with once keepalived 2.2.7's sync-group rules are applied to its own
//! `track_*` lists and its group's. Called by the tracker adapter (`tracker.rs`) when it
//! binds instances to trackers; unit tests pin the rules.
//!
//! The rules, as Debian's keepalived 2.2.7 applies them (observed with its data dump):
//! - a member of a group without `sync_group_tracking_weight` loses its own weighted
//!   `track_script` and `track_file` entries ("ignoring tracked script X with weights due
//!   to SYNC group") and its own `track_interface` weights become 0 (the interface still
//!   faults it); its `track_process` weights stay (2.2.7 does not check them);
//! - every tracker of the group is added to every member, with the group's weight (a
//!   weight on a group tracker is honoured: all members move by the same amount), except
//!   that a group with an address owner among its members has its weights cleared;
//! - a tracker a member already tracks itself stays the member's own (its weight wins)
//!   and the group's is not added ("configured on VRRP instance and sync group. Remove
//!   vrrp instance config").

use keepalived_config::model::vrrp::{SyncGroup, Tracked, VrrpConfig, VrrpInstance};

/// What one instance tracks, with group trackers merged in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemberTracking {
    pub scripts: Vec<Tracked>,
    pub ifaces: Vec<Tracked>,
    pub files: Vec<Tracked>,
    pub procs: Vec<Tracked>,
    /// What keepalived logs about the merge, for the caller to log.
    pub notes: Vec<String>,
}

/// The sync group instance `name` belongs to (the first listing it: keepalived ignores
/// an instance in a second group).
pub fn group_of<'a>(v: &'a VrrpConfig, name: &str) -> Option<&'a SyncGroup> {
    v.sync_groups
        .iter()
        .find(|g| g.group.iter().any(|(m, _)| m == name))
}

/// The trackers of `inst` with its sync group's rules applied.
pub fn member_tracking(v: &VrrpConfig, inst: &VrrpInstance) -> MemberTracking {
    let mut t = MemberTracking {
        scripts: inst.track_script.clone(),
        ifaces: inst.track_interface.clone(),
        files: inst.track_file.clone(),
        procs: inst.track_process.clone(),
        notes: Vec::new(),
    };
    let Some(g) = group_of(v, &inst.name) else {
        return t;
    };
    let script_w = |e: &Tracked| {
        e.weight.or_else(|| {
            v.scripts
                .iter()
                .find(|s| s.name == e.name)
                .map(|s| s.weight)
        })
    };
    let file_w = |e: &Tracked| {
        e.weight.or_else(|| {
            v.track_files
                .iter()
                .find(|f| f.name == e.name)
                .map(|f| f.weight)
        })
    };
    let proc_w = |e: &Tracked| {
        e.weight.or_else(|| {
            v.track_processes
                .iter()
                .find(|p| p.name == e.name)
                .map(|p| p.weight)
        })
    };
    if !g.sync_group_tracking_weight {
        // The config check has already reported these (validate::vrrp::tracking_weights).
        t.scripts.retain(|e| script_w(e).unwrap_or(0) == 0);
        t.files.retain(|e| file_w(e).unwrap_or(0) == 0);
        for e in &mut t.ifaces {
            if e.weight.is_some_and(|w| w != 0) {
                e.weight = Some(0);
            }
        }
    }
    let has_owner = g.group.iter().any(|(m, _)| {
        v.instance(m)
            .is_some_and(|i| i.effective_priority() == 255 && group_of(v, m) == Some(g))
    });
    let iname = &inst.name;
    let gname = &g.name;
    let mut merge = |own: &mut Vec<Tracked>,
                     theirs: &[Tracked],
                     kw: &str,
                     what: &str,
                     weight: &dyn Fn(&Tracked) -> Option<i32>| {
        for e in theirs {
            if own.iter().any(|o| o.name == e.name) {
                t.notes.push(format!(
                    "({iname}) {kw} {} is configured on VRRP instance and sync group. Remove vrrp instance config",
                    e.name
                ));
                continue;
            }
            let mut e = e.clone();
            if has_owner && weight(&e).unwrap_or(0) != 0 {
                // keepalived's wording differs by kind.
                let how = if matches!(what, "track script" | "track interface") {
                    "clearing weight"
                } else {
                    "setting weight 0"
                };
                t.notes.push(format!(
                    "({gname}) Cannot have weighted {what} '{}' with member having priority 255 - {how}",
                    e.name
                ));
                e.weight = Some(0);
            }
            own.push(e);
        }
    };
    merge(
        &mut t.scripts,
        &g.track_script,
        "track_script",
        "track script",
        &script_w,
    );
    merge(
        &mut t.ifaces,
        &g.track_interface,
        "track_interface",
        "track interface",
        &|e| e.weight,
    );
    merge(
        &mut t.files,
        &g.track_file,
        "track_file",
        "track file",
        &file_w,
    );
    merge(
        &mut t.procs,
        &g.track_process,
        "track_process",
        "track process",
        &proc_w,
    );
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepalived_config::diag::Diagnostics;

    fn load(text: &str) -> keepalived_config::model::Config {
        let mut d = Diagnostics::new();
        keepalived_config::load_str(
            "t.conf",
            text,
            &keepalived_config::ReadOptions::default(),
            &mut d,
        )
    }

    fn names(l: &[Tracked]) -> Vec<(String, Option<i32>)> {
        l.iter().map(|t| (t.name.clone(), t.weight)).collect()
    }

    fn s(n: &str, w: Option<i32>) -> (String, Option<i32>) {
        (n.to_string(), w)
    }

    const DEFS: &str = "vrrp_script s_w {\n script /bin/true\n weight -20\n}\n\
        vrrp_script s_0 {\n script /bin/true\n}\n\
        vrrp_script s_g {\n script /bin/true\n weight 10\n}\n\
        track_file f_w {\n file /tmp/ktr-f\n weight 3\n}\n\
        vrrp_track_process p_w {\n process sleep\n weight -5\n}\n";

    fn inst(name: &str, prio: u8, vrid: u8, body: &str) -> String {
        format!(
            "vrrp_instance {name} {{\n interface eth0\n virtual_router_id {vrid}\n priority {prio}\n{body} virtual_ipaddress {{\n  192.0.2.{vrid}/24\n }}\n}}\n"
        )
    }

    /// The configuration observed with Debian's keepalived 2.2.7 (its data dump and
    /// effective priorities): VI_1 keeps s_0 (weight 0), d9 at weight 0 and its own p_w;
    /// loses s_w and f_w; gets trk, s_g and f_w from the group. VI_2's own `s_g weight 0`
    /// wins over the group's.
    #[test]
    fn members_merge_group_trackers_as_keepalived_2_2_7() {
        let text = format!(
            "{DEFS}vrrp_sync_group G1 {{\n group {{\n  VI_1\n  VI_2\n }}\n\
             track_script {{\n  s_g\n  s_0\n }}\n track_interface {{\n  trk weight 7\n }}\n\
             track_file {{\n  f_w weight 2\n }}\n track_process {{\n  p_w\n }}\n}}\n{}{}",
            inst(
                "VI_1",
                100,
                1,
                " track_script {\n  s_w\n  s_0\n }\n track_interface {\n  d9 weight 5\n }\n\
                 track_file {\n  f_w\n }\n track_process {\n  p_w weight 4\n }\n"
            ),
            inst("VI_2", 100, 2, " track_script {\n  s_g weight 0\n }\n"),
        );
        let cfg = load(&text);
        let v = &cfg.vrrp;
        let t1 = member_tracking(v, v.instance("VI_1").expect("VI_1"));
        assert_eq!(
            names(&t1.scripts),
            [s("s_0", None), s("s_g", None)],
            "{:?}",
            t1.notes
        );
        assert_eq!(names(&t1.ifaces), [s("d9", Some(0)), s("trk", Some(7))]);
        assert_eq!(names(&t1.files), [s("f_w", Some(2))]);
        assert_eq!(names(&t1.procs), [s("p_w", Some(4))]);
        assert!(t1
            .notes
            .iter()
            .any(|n| n.contains("(VI_1) track_script s_0 is configured on VRRP instance")));
        assert!(t1
            .notes
            .iter()
            .any(|n| n.contains("(VI_1) track_process p_w is configured on VRRP instance")));
        let t2 = member_tracking(v, v.instance("VI_2").expect("VI_2"));
        assert_eq!(names(&t2.scripts), [s("s_g", Some(0)), s("s_0", None)]);
        assert_eq!(names(&t2.ifaces), [s("trk", Some(7))]);
        assert_eq!(names(&t2.files), [s("f_w", Some(2))]);
        assert_eq!(names(&t2.procs), [s("p_w", None)]);
    }

    /// keepalived 2.2.7 treats the deprecated `global_tracking` as
    /// `sync_group_tracking_weight` (its -t stops reporting the ignored weights).
    #[test]
    fn sync_group_tracking_weight_keeps_member_weights() {
        for kw in ["sync_group_tracking_weight", "global_tracking"] {
            let text = format!(
                "{DEFS}vrrp_sync_group G1 {{\n group {{\n  VI_1\n  VI_2\n }}\n {kw}\n}}\n{}{}",
                inst(
                    "VI_1",
                    100,
                    1,
                    " track_script {\n  s_w\n }\n track_interface {\n  d9 weight 5\n }\n track_file {\n  f_w\n }\n"
                ),
                inst("VI_2", 100, 2, ""),
            );
            let cfg = load(&text);
            let t = member_tracking(&cfg.vrrp, cfg.vrrp.instance("VI_1").expect("VI_1"));
            assert_eq!(names(&t.scripts), [s("s_w", None)], "{kw}");
            assert_eq!(names(&t.ifaces), [s("d9", Some(5))], "{kw}");
            assert_eq!(names(&t.files), [s("f_w", None)], "{kw}");
        }
    }

    #[test]
    fn an_owner_member_clears_group_weights_and_non_members_are_untouched() {
        let text = format!(
            "{DEFS}vrrp_sync_group G1 {{\n group {{\n  VI_1\n  VI_2\n }}\n\
             track_script {{\n  s_g\n  s_w weight 0\n }}\n track_interface {{\n  trk weight -7\n  up1\n }}\n}}\n{}{}{}",
            inst("VI_1", 255, 1, ""),
            inst("VI_2", 100, 2, ""),
            inst("VI_3", 100, 3, " track_script {\n  s_w\n }\n"),
        );
        let cfg = load(&text);
        let t = member_tracking(&cfg.vrrp, cfg.vrrp.instance("VI_2").expect("VI_2"));
        assert_eq!(names(&t.scripts), [s("s_g", Some(0)), s("s_w", Some(0))]);
        assert_eq!(names(&t.ifaces), [s("trk", Some(0)), s("up1", None)]);
        assert!(t
            .notes
            .iter()
            .any(|n| n.starts_with("(G1) Cannot have weighted track script 's_g'")));
        let t3 = member_tracking(&cfg.vrrp, cfg.vrrp.instance("VI_3").expect("VI_3"));
        assert_eq!(names(&t3.scripts), [s("s_w", None)]);
        assert!(t3.notes.is_empty());
    }
}
