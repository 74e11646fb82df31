//! Parser for the VRRP root blocks (static_*, track_group, garp_group, linkbeat_interfaces,
//! interface_up_down_delays, vrrp_script, vrrp_track_process, track_file, vrrp_sync_group,
//! vrrp_instance), following keepalived's `vrrp_parser.c` and `track_file.c`. Called by the
//! `parse` dispatcher for each root keyword that [`is_root`] claims.

use super::ipaddr::{self, RulePrefs};
use super::{script, values};
use crate::diag::{Diagnostics, ErrorClass};
use crate::model::vrrp::*;
use crate::support::{ActedBy as By, Keyword};
use crate::tree::Node;
use std::collections::{HashMap, HashSet};
use std::time::Duration;

const ROOTS: &[&str] = &[
    "static_ipaddress",
    "static_routes",
    "static_rules",
    "track_group",
    "garp_group",
    "linkbeat_interfaces",
    "interface_up_down_delays",
    "vrrp_script",
    "vrrp_track_process",
    "track_file",
    "vrrp_track_file",
    "vrrp_sync_group",
    "vrrp_instance",
];

/// vrrp_instance keywords from later upstream releases that keepalived 2.2.7 (our
/// reference for verdicts) reports as unknown; accepted with a notice.
pub const NEWER_THAN_2_2_7: &[&str] = &[
    "v3_checksum_as_v2",
    "no_virtual_ipaddress",
    "timer_expired_backup",
    "thread_timer_expired",
    "owner_ignore_adverts",
];

/// Is `k` a root keyword owned by this module?
pub fn is_root(k: &str) -> bool {
    ROOTS.contains(&k)
}

/// What later root blocks check against earlier ones (keepalived resolves names while
/// reading), kept as running indexes beside the model so that a config with thousands of
/// instances parses in linear time: one per `parse::parse` run, fed by [`parse_root_seen`].
#[derive(Debug, Default)]
pub struct Seen {
    instances: HashSet<String>,
    /// Rules given a preference so far (keepalived numbers them from one counter).
    prefs_assigned: usize,
    /// VMAC interface name -> the first instance using it.
    vmac_names: HashMap<String, String>,
    /// Names that `track_script`/`track_file`/`track_process` can resolve to.
    scripts: HashSet<String>,
    track_files: HashSet<String>,
    track_processes: HashSet<String>,
    sync_groups: HashSet<String>,
    track_groups: HashSet<String>,
    /// Interfaces already in a garp_group.
    garp_interfaces: HashSet<String>,
}

impl Seen {
    /// The indexes of a model built without them.
    fn of(cfg: &VrrpConfig) -> Seen {
        let mut seen = Seen {
            prefs_assigned: count_assigned(&cfg.static_rules),
            ..Seen::default()
        };
        for i in &cfg.instances {
            seen.add_instance(i);
        }
        cfg.scripts.iter().for_each(|x| seen.add_script(x));
        cfg.track_files.iter().for_each(|x| seen.add_track_file(x));
        cfg.track_processes
            .iter()
            .for_each(|x| seen.add_track_process(x));
        seen.sync_groups = cfg.sync_groups.iter().map(|g| g.name.clone()).collect();
        seen.track_groups = cfg.track_groups.iter().map(|g| g.name.clone()).collect();
        seen.garp_interfaces = cfg
            .garp_groups
            .iter()
            .flat_map(|g| g.interfaces.iter().cloned())
            .collect();
        seen
    }

    fn add_instance(&mut self, i: &VrrpInstance) {
        self.instances.insert(i.name.clone());
        self.prefs_assigned += count_assigned(&i.rules);
        if let Some(vn) = i.vmac.as_ref().and_then(|v| v.name.clone()) {
            self.vmac_names.entry(vn).or_insert_with(|| i.name.clone());
        }
    }

    fn add_script(&mut self, s: &VrrpScript) {
        if s.script.is_some() {
            self.scripts.insert(s.name.clone());
        }
    }

    fn add_track_file(&mut self, f: &TrackFile) {
        if f.file.is_some() {
            self.track_files.insert(f.name.clone());
        }
    }

    fn add_track_process(&mut self, p: &TrackProcess) {
        if !p.process.is_empty() {
            self.track_processes.insert(p.name.clone());
        }
    }
}

fn count_assigned(rules: &[Rule]) -> usize {
    rules.iter().filter(|r| r.preference_assigned).count()
}

/// Parse one root block into `cfg` (for a single block; [`parse_root_seen`] for a config).
pub fn parse_root(node: &Node, cfg: &mut VrrpConfig, d: &mut Diagnostics) {
    let mut seen = Seen::of(cfg);
    parse_root_seen(node, cfg, &mut seen, d);
}

/// Parse one root block into `cfg`; `seen` indexes what the earlier blocks put there.
pub fn parse_root_seen(node: &Node, cfg: &mut VrrpConfig, seen: &mut Seen, d: &mut Diagnostics) {
    // keepalived reads the name before looking for the block.
    let named = matches!(
        node.keyword(),
        "track_group"
            | "vrrp_script"
            | "vrrp_track_process"
            | "track_file"
            | "vrrp_track_file"
            | "vrrp_sync_group"
            | "vrrp_instance"
    );
    if named && node.arg(0).is_none() {
        name(node, d);
        return;
    }
    let Some(body) = block(node, d) else {
        return;
    };
    match node.keyword() {
        "static_ipaddress" => {
            for l in body {
                for a in ipaddr::parse_address(d, l, false, true) {
                    if track_group_known(seen, d, &a.track_group, &a.loc) {
                        cfg.static_addresses.push(a);
                    }
                }
            }
        }
        "static_routes" => {
            for l in body {
                if let Some(r) = ipaddr::parse_route(d, l, true) {
                    if track_group_known(seen, d, &r.track_group, &r.loc) {
                        cfg.static_routes.push(r);
                    }
                }
            }
        }
        "static_rules" => {
            let mut prefs = RulePrefs::after(seen.prefs_assigned);
            for l in body {
                if let Some(r) = ipaddr::parse_rule(d, l, &mut prefs, true) {
                    if track_group_known(seen, d, &r.track_group, &r.loc) {
                        seen.prefs_assigned += usize::from(r.preference_assigned);
                        cfg.static_rules.push(r);
                    }
                }
            }
        }
        "track_group" => {
            if let Some(name) = name(node, d) {
                if seen.track_groups.contains(&name) {
                    d.at(
                        ErrorClass::GeneralError,
                        &node.loc,
                        format!("track_group {name} already defined"),
                    );
                    return;
                }
                let mut g = TrackGroup {
                    name: name.clone(),
                    instances: Vec::new(),
                    loc: node.loc.clone(),
                };
                for n in body {
                    match n.keyword() {
                        "group" => {
                            if let Some(b) = block(n, d) {
                                if b.is_empty() {
                                    d.at(
                                        ErrorClass::GeneralError,
                                        &n.loc,
                                        format!(
                                            "Warning - track group {name} has empty group block"
                                        ),
                                    );
                                }
                                g.instances.extend(b.iter().flat_map(|l| l.words.clone()));
                            }
                        }
                        _ => values::unknown(d, n),
                    }
                }
                seen.track_groups.insert(g.name.clone());
                cfg.track_groups.push(g);
            }
        }
        "garp_group" => {
            let mut g = GarpGroup {
                garp_interval: None,
                gna_interval: None,
                interfaces: Vec::new(),
                loc: node.loc.clone(),
            };
            for n in body {
                match n.keyword() {
                    "garp_interval" => g.garp_interval = values::timer(d, n, 0, 0.0, 2147.483647),
                    "gna_interval" => g.gna_interval = values::timer(d, n, 0, 0.0, 2147.483647),
                    "interface" => {
                        if let Some(i) = values::arg(d, n, 0) {
                            add_garp_if(seen, &mut g, i, &n.loc, d);
                        }
                    }
                    "interfaces" => {
                        if let Some(b) = block(n, d) {
                            for l in b {
                                for w in &l.words {
                                    add_garp_if(seen, &mut g, w, &l.loc, d);
                                }
                            }
                        }
                    }
                    _ => values::unknown(d, n),
                }
            }
            cfg.garp_groups.push(g);
        }
        "linkbeat_interfaces" => {
            for l in body {
                let method = l.arg(0).map(str::to_string);
                if let Some(m) = &method {
                    if !matches!(m.as_str(), "MII" | "ETHTOOL" | "IOCTL") {
                        d.at(
                            ErrorClass::GeneralError,
                            &l.loc,
                            format!("Unknown linkbeat type {m} for {}", l.keyword()),
                        );
                    }
                }
                cfg.linkbeat_interfaces.push(LinkbeatInterface {
                    name: l.keyword().to_string(),
                    method,
                    loc: l.loc.clone(),
                });
            }
        }
        "interface_up_down_delays" => {
            for l in body {
                // keepalived 2.2.7 silently skips lines without timeouts and ignores extra words.
                let Some(ds) = l.arg(0) else {
                    d.notice(
                        Some(&l.loc),
                        format!("No timeouts specified for {} up/down delays", l.keyword()),
                    );
                    continue;
                };
                let Some(down) = values::parse_timer(d, l, ds, 0.0, 254.0) else {
                    continue;
                };
                let up = match l.arg(1) {
                    Some(s) => match values::parse_timer(d, l, s, 0.0, 254.0) {
                        Some(u) => u,
                        None => continue,
                    },
                    None => down,
                };
                cfg.interface_up_down_delays.push(UpDownDelay {
                    name: l.keyword().to_string(),
                    down,
                    up,
                    loc: l.loc.clone(),
                });
            }
        }
        "vrrp_script" => {
            if let Some(name) = name(node, d) {
                let s = parse_script(&name, node, body, d);
                seen.add_script(&s);
                cfg.scripts.push(s);
            }
        }
        "vrrp_track_process" => {
            if let Some(name) = name(node, d) {
                let p = parse_track_process(&name, node, body, d);
                seen.add_track_process(&p);
                cfg.track_processes.push(p);
            }
        }
        "track_file" | "vrrp_track_file" => {
            if node.keyword() == "vrrp_track_file" {
                // keepalived 2.2.7 accepts the old name without complaint.
                d.notice(
                    Some(&node.loc),
                    "vrrp_track_file is deprecated - please use 'track_file'",
                );
            }
            if let Some(name) = name(node, d) {
                let f = parse_track_file(&name, node, body, d);
                seen.add_track_file(&f);
                cfg.track_files.push(f);
            }
        }
        "vrrp_sync_group" => {
            if let Some(name) = name(node, d) {
                if seen.sync_groups.contains(&name) {
                    d.at(
                        ErrorClass::GeneralError,
                        &node.loc,
                        format!("vrrp sync group {name} already defined"),
                    );
                    return;
                }
                let mut g = parse_sync_group(&name, node, body, d);
                resolve_trackers(
                    seen,
                    d,
                    &name,
                    &mut g.track_script,
                    &mut g.track_file,
                    &mut g.track_process,
                );
                unresolved_bfd(d, &name, &mut g.track_bfd);
                seen.sync_groups.insert(g.name.clone());
                cfg.sync_groups.push(g);
            }
        }
        "vrrp_instance" => {
            if let Some(name) = name(node, d) {
                if seen.instances.contains(&name) {
                    d.at(
                        ErrorClass::GeneralError,
                        &node.loc,
                        format!("vrrp instance {name} already defined"),
                    );
                    return;
                }
                let mut prefs = RulePrefs::after(seen.prefs_assigned);
                let mut inst = parse_instance(&name, node, body, &mut prefs, &seen.vmac_names, d);
                resolve_trackers(
                    seen,
                    d,
                    &name,
                    &mut inst.track_script,
                    &mut inst.track_file,
                    &mut inst.track_process,
                );
                unresolved_bfd(d, &name, &mut inst.track_bfd);
                seen.add_instance(&inst);
                cfg.instances.push(inst);
            }
        }
        _ => values::unknown(d, node),
    }
}

/// An interface belongs to at most one garp_group.
fn add_garp_if(
    seen: &mut Seen,
    g: &mut GarpGroup,
    ifname: &str,
    loc: &crate::diag::Loc,
    d: &mut Diagnostics,
) {
    // Earlier groups' interfaces and this group's are all in the index.
    let taken = !seen.garp_interfaces.insert(ifname.to_string());
    if taken {
        d.at(
            ErrorClass::GeneralError,
            loc,
            format!("garp_group already specified for {ifname} - ignoring"),
        );
    } else {
        g.interfaces.push(ifname.to_string());
    }
}

/// A static entry's `track_group` must name a group defined earlier (keepalived resolves
/// it while parsing); entries naming an unknown group are dropped.
fn track_group_known(
    seen: &Seen,
    d: &mut Diagnostics,
    g: &Option<String>,
    loc: &crate::diag::Loc,
) -> bool {
    match g {
        Some(g) if !seen.track_groups.contains(g) => {
            d.at(
                ErrorClass::GeneralError,
                loc,
                format!("track_group {g} not found"),
            );
            false
        }
        _ => true,
    }
}

/// keepalived resolves tracked scripts, files and processes while parsing, so only those
/// defined (and not removed) above the instance or sync group count; others are reported
/// and dropped.
fn resolve_trackers(
    seen: &Seen,
    d: &mut Diagnostics,
    owner: &str,
    scripts: &mut Vec<Tracked>,
    files: &mut Vec<Tracked>,
    procs: &mut Vec<Tracked>,
) {
    let mut keep = |list: &mut Vec<Tracked>, what: &str, known: &dyn Fn(&str) -> bool| {
        list.retain(|t| {
            let ok = known(&t.name);
            if !ok {
                d.at(
                    ErrorClass::GeneralError,
                    &t.loc,
                    format!("({owner}) {what} {} not found, ignoring...", t.name),
                );
            }
            ok
        });
    };
    keep(scripts, "track script", &|n| seen.scripts.contains(n));
    keep(files, "track file", &|n| seen.track_files.contains(n));
    keep(procs, "track process", &|n| {
        seen.track_processes.contains(n)
    });
}

/// `bfd_instance` blocks are not part of this model yet, so no `track_bfd` entry can be
/// resolved; keepalived reports each one it cannot find. Revisit when BFD is parsed.
fn unresolved_bfd(d: &mut Diagnostics, owner: &str, list: &mut Vec<Tracked>) {
    for t in list.drain(..) {
        d.at(
            ErrorClass::GeneralError,
            &t.loc,
            format!("({owner}) track bfd {} not found, ignoring...", t.name),
        );
    }
}

/// The block of a block keyword, or a MissingBob report.
fn block<'n>(node: &'n Node, d: &mut Diagnostics) -> Option<&'n [Node]> {
    match &node.block {
        Some(b) => Some(b.as_slice()),
        None => {
            d.at(
                ErrorClass::MissingBob,
                &node.loc,
                format!(
                    "Missing '{{' at beginning of configuration block {}",
                    node.keyword()
                ),
            );
            None
        }
    }
}

fn name(node: &Node, d: &mut Diagnostics) -> Option<String> {
    match node.arg(0) {
        Some(n) => Some(n.to_string()),
        None if matches!(
            node.keyword(),
            "vrrp_instance" | "vrrp_sync_group" | "track_group"
        ) =>
        {
            let msg = match node.keyword() {
                "vrrp_instance" => "vrrp_instance must have a name".to_string(),
                k => format!("{k} must have a name - skipping"),
            };
            d.at(ErrorClass::GeneralError, &node.loc, msg);
            None
        }
        None => {
            d.at(
                ErrorClass::Abort,
                &node.loc,
                format!("{} requires a name", node.keyword()),
            );
            None
        }
    }
}

/// `weight N [reverse]` in `words` (starting at `weight`); `(weight, reverse)`.
fn weight_words(
    d: &mut Diagnostics,
    node: &Node,
    words: &[String],
    min: i64,
    max: i64,
) -> Option<(i32, bool)> {
    let in_list = node.keyword() != "weight";
    let w = words.get(1).map(String::as_str);
    let Some(ws) = w else {
        // A `weight` line in a block aborts keepalived (missing parameter); inside a
        // track_* list it is only an error for that entry.
        let class = if in_list {
            ErrorClass::GeneralError
        } else {
            ErrorClass::Abort
        };
        d.at(
            class,
            &node.loc,
            "weight without value specified - ignoring",
        );
        return None;
    };
    let v = values::parse_int_in(d, node, ws, min, max)?;
    let mut reverse = false;
    match words.get(2).map(String::as_str) {
        None => {}
        Some("reverse") => reverse = true,
        // `noreverse` is newer than keepalived 2.2.7, which rejects it.
        Some(o) => d.at(
            ErrorClass::GeneralError,
            &node.loc,
            format!("unknown weight option {o} - ignoring"),
        ),
    }
    Some((v as i32, reverse))
}

/// Lines of a `track_*` value block: `NAME [weight N [reverse]]`.
fn tracked_list(
    d: &mut Diagnostics,
    body: &[Node],
    min: i64,
    max: i64,
    what: &str,
) -> Vec<Tracked> {
    let mut out = Vec::new();
    for l in body {
        let mut t = Tracked {
            name: l.keyword().to_string(),
            weight: None,
            reverse: false,
            loc: l.loc.clone(),
        };
        match l.arg(0) {
            None => {}
            Some("weight") => match weight_words(d, l, l.args(), min, max) {
                Some((w, r)) => {
                    t.weight = Some(w);
                    t.reverse = r;
                }
                None => continue,
            },
            Some(o) => {
                d.at(
                    ErrorClass::GeneralError,
                    &l.loc,
                    format!("unknown {what} option {o} - ignoring"),
                );
                continue;
            }
        }
        out.push(t);
    }
    out
}

/// A `track_*` block of an instance or sync group: entries are added to `list`, and a
/// name already tracked (in this or an earlier block) is reported and skipped.
fn track_block(d: &mut Diagnostics, n: &Node, owner: &str, list: &mut Vec<Tracked>) {
    let Some(b) = block(n, d) else {
        return;
    };
    let k = n.keyword();
    let (min, max, what) = match k {
        "track_interface" => (-254, 254, "track_interface"),
        "track_script" => (-253, 253, "track script"),
        "track_file" => (-254, 254, "track file"),
        "track_process" => (-254, 254, "track process"),
        _ => (-253, 253, "track bfd"),
    };
    // Names already in the list (from earlier blocks) and from this one.
    let mut names: HashSet<String> = list.iter().map(|o| o.name.clone()).collect();
    for t in tracked_list(d, b, min, max, what) {
        if !names.insert(t.name.clone()) {
            d.at(
                ErrorClass::GeneralError,
                &t.loc,
                format!("({owner}) duplicate {k} {} - ignoring", t.name),
            );
        } else {
            list.push(t);
        }
    }
}

fn parse_script(name: &str, node: &Node, body: &[Node], d: &mut Diagnostics) -> VrrpScript {
    let mut s = VrrpScript::new(name, node.loc.clone());
    let mut run_as: Option<(String, Option<String>)> = None;
    for n in body {
        match n.keyword() {
            // keepalived 2.2.7 ignores a bare `script` line.
            "script" if n.arg(0).is_none() => {
                d.notice(Some(&n.loc), "script without a command - ignoring")
            }
            "script" => s.script = script::parse(d, n, 0),
            // Whole seconds in keepalived 2.2.7.
            "interval" => match values::int_in(d, n, 0, 0, 4294) {
                Some(v) if v >= 1 => s.interval = Duration::from_secs(v as u64),
                _ => {
                    if let Some(a) = n.arg(0) {
                        d.at(
                            ErrorClass::GeneralError,
                            &n.loc,
                            format!("({name}): vrrp script interval '{a}' must be between 1 and 4294 - ignoring"),
                        );
                    }
                }
            },
            "timeout" => {
                match values::int_in(d, n, 0, 0, 4294) {
                    Some(0) => {
                        d.at(
                        ErrorClass::GeneralError,
                        &n.loc,
                        format!("({name}): vrrp script timeout must be greater than 0, setting to 1"),
                    );
                        s.timeout = Some(Duration::from_secs(1));
                    }
                    Some(v) => s.timeout = Some(Duration::from_secs(v as u64)),
                    None => {
                        if let Some(a) = n.arg(0) {
                            d.at(
                                ErrorClass::GeneralError,
                                &n.loc,
                                format!("({name}): vrrp script timeout '{a}' invalid - ignoring"),
                            );
                        }
                    }
                }
            }
            "weight" => {
                if let Some((w, r)) = weight_words(d, n, &n.words, -253, 253) {
                    s.weight = w;
                    s.weight_reverse = r;
                }
            }
            "rise" => {
                if let Some(v) = values::int_in(d, n, 0, 1, i64::from(i32::MAX)) {
                    s.rise = v as u32;
                }
            }
            "fall" => {
                if let Some(v) = values::int_in(d, n, 0, 1, i64::from(i32::MAX)) {
                    s.fall = v as u32;
                }
            }
            "user" => {
                // `user U [G]` says who runs the script, wherever it sits in the block.
                if let Some(u) = values::arg(d, n, 0) {
                    run_as = Some((u.to_string(), n.arg(1).map(str::to_string)));
                }
            }
            "init_fail" => s.init_fail = true,
            _ => values::unknown(d, n),
        }
    }
    if let (Some((user, group)), Some(sc)) = (run_as, s.script.as_mut()) {
        sc.user = Some(user);
        sc.group = group;
    }
    s
}

fn parse_track_process(
    name: &str,
    node: &Node,
    body: &[Node],
    d: &mut Diagnostics,
) -> TrackProcess {
    let mut p = TrackProcess::new(name, node.loc.clone());
    let mut weight_set = false;
    for n in body {
        match n.keyword() {
            "process" if n.arg(0).is_some() && !p.process.is_empty() => d.at(
                ErrorClass::GeneralError,
                &n.loc,
                format!(
                    "Process already set for track process {name} - ignoring {}",
                    n.args().join(" ")
                ),
            ),
            "process" => {
                if values::arg(d, n, 0).is_some() {
                    p.process = n.args().to_vec();
                }
            }
            "param_match" => {
                if let Some(v) = values::arg(d, n, 0) {
                    if matches!(v, "initial" | "partial") {
                        p.param_match = Some(v.to_string());
                    } else {
                        d.at(
                            ErrorClass::GeneralError,
                            &n.loc,
                            format!("Invalid param_match value {v} - ignoring"),
                        );
                    }
                }
            }
            "weight" if weight_set => d.at(
                ErrorClass::GeneralError,
                &n.loc,
                format!(
                    "Weight already set for track process {name} - ignoring {}",
                    n.arg(0).unwrap_or("")
                ),
            ),
            "weight" => {
                weight_set = true;
                if let Some((w, r)) = weight_words(d, n, &n.words, -254, 254) {
                    p.weight = w;
                    p.weight_reverse = r;
                }
            }
            "quorum" => {
                if let Some(v) = values::int_in(d, n, 0, 1, 65535) {
                    p.quorum = v as u32;
                }
            }
            "quorum_max" => {
                p.quorum_max = values::int_in(d, n, 0, 0, 65535).map(|v| v as u32);
            }
            "delay" => p.delay = values::timer(d, n, 0, 0.000001, 3600.0),
            "terminate_delay" => p.terminate_delay = values::timer(d, n, 0, 0.000001, 3600.0),
            "fork_delay" => p.fork_delay = values::timer(d, n, 0, 0.000001, 3600.0),
            "full_command" => p.full_command = true,
            _ => values::unknown(d, n),
        }
    }
    if let Some(q) = p.quorum_max {
        if q < p.quorum {
            d.at(
                ErrorClass::GeneralError,
                &node.loc,
                format!(
                    "Track process {name}: quorum_max {q} < quorum {} - ignoring",
                    p.quorum
                ),
            );
            p.quorum_max = None;
        }
    }
    p
}

fn parse_track_file(name: &str, node: &Node, body: &[Node], d: &mut Diagnostics) -> TrackFile {
    let mut f = TrackFile {
        name: name.to_string(),
        file: None,
        weight: 1,
        weight_reverse: false,
        init_file: None,
        init_overwrite: false,
        deprecated_keyword: node.keyword() == "vrrp_track_file",
        loc: node.loc.clone(),
    };
    for n in body {
        match n.keyword() {
            // keepalived reports the missing file when the block ends (below).
            "file" if f.file.is_some() => d.at(
                ErrorClass::GeneralError,
                &n.loc,
                format!(
                    "File already set for track file {name} - ignoring {}",
                    n.arg(0).unwrap_or("")
                ),
            ),
            "file" => f.file = n.arg(0).map(str::to_string),
            "weight" => {
                if let Some((w, r)) = weight_words(d, n, &n.words, -254, 254) {
                    f.weight = w;
                    f.weight_reverse = r;
                }
            }
            "init_file" => {
                let mut value = 0;
                let mut overwrite = false;
                for a in n.args() {
                    if a == "overwrite" {
                        overwrite = true;
                    } else if let Some(v) = values::parse_int_in(d, n, a, -254, 254) {
                        value = v;
                    }
                }
                f.init_file = Some(value);
                f.init_overwrite = overwrite;
            }
            _ => values::unknown(d, n),
        }
    }
    if f.file.is_none() {
        d.at(
            ErrorClass::GeneralError,
            &node.loc,
            format!("No file set for track_file {name} - ignoring"),
        );
    }
    f
}

/// Notify keywords shared by instances and sync groups. `dup_prefix` starts keepalived's
/// message for a script given twice ("(VI_1)" or "vrrp group G:").
fn notify_kw(
    k: &str,
    n: &Node,
    notify: &mut Notify,
    dup_prefix: &str,
    d: &mut Diagnostics,
) -> bool {
    let slot = match k {
        "notify_master" => &mut notify.master,
        "notify_backup" => &mut notify.backup,
        "notify_fault" => &mut notify.fault,
        "notify_stop" => &mut notify.stop,
        "notify" => &mut notify.generic,
        "notify_deleted" => {
            notify.deleted_flag = true;
            if n.arg(0).is_none() {
                return true;
            }
            &mut notify.deleted
        }
        _ => return false,
    };
    if slot.is_some() {
        d.at(
            ErrorClass::GeneralError,
            &n.loc,
            format!(
                "{dup_prefix} {k} script already specified - ignoring {}",
                n.arg(0).unwrap_or("")
            ),
        );
    } else {
        *slot = script::parse(d, n, 0);
    }
    true
}

fn parse_sync_group(name: &str, node: &Node, body: &[Node], d: &mut Diagnostics) -> SyncGroup {
    let mut have_group = false;
    let mut g = SyncGroup {
        name: name.to_string(),
        group: Vec::new(),
        track_interface: Vec::new(),
        track_script: Vec::new(),
        track_file: Vec::new(),
        track_process: Vec::new(),
        track_bfd: Vec::new(),
        notify: Notify::default(),
        smtp_alert: None,
        sync_group_tracking_weight: false,
        notify_priority_changes: None,
        loc: node.loc.clone(),
    };
    for n in body {
        let k = n.keyword();
        // notify_deleted exists for instances only.
        if k != "notify_deleted"
            && notify_kw(k, n, &mut g.notify, &format!("vrrp group {name}:"), d)
        {
            continue;
        }
        match k {
            "group" if have_group => d.at(
                ErrorClass::GeneralError,
                &n.loc,
                format!("Group list already specified for sync group {name}"),
            ),
            "group" => {
                have_group = true;
                if let Some(b) = block(n, d) {
                    for l in b {
                        for w in &l.words {
                            g.group.push((w.clone(), l.loc.clone()));
                        }
                    }
                }
            }
            "track_interface" | "track_script" | "track_file" | "track_process" | "track_bfd" => {
                let list = match k {
                    "track_interface" => &mut g.track_interface,
                    "track_script" => &mut g.track_script,
                    "track_file" => &mut g.track_file,
                    "track_process" => &mut g.track_process,
                    _ => &mut g.track_bfd,
                };
                track_block(d, n, name, list);
            }
            "smtp_alert" => g.smtp_alert = Some(values::flag(d, n)),
            // keepalived 2.2.7 still honours it as sync_group_tracking_weight (its -t then
            // stops reporting the members' ignored weights).
            "global_tracking" => {
                d.at(
                    ErrorClass::Deprecated,
                    &n.loc,
                    format!(
                        "({name}) global_tracking is deprecated. Use track_interface/script/file on the sync group"
                    ),
                );
                g.sync_group_tracking_weight = true;
            }
            "sync_group_tracking_weight" => g.sync_group_tracking_weight = true,
            "notify_priority_changes" => g.notify_priority_changes = Some(values::flag(d, n)),
            _ => values::unknown(d, n),
        }
    }
    g
}

fn opt_u32(d: &mut Diagnostics, n: &Node, min: i64, max: i64) -> Option<u32> {
    values::int_in(d, n, 0, min, max).map(|v| v as u32)
}

/// Add an address to `list` if its family matches the instance's (set by the first
/// address-bearing keyword, as keepalived does).
fn add_family_checked(
    d: &mut Diagnostics,
    iname: &str,
    fam: &mut Option<Family>,
    a: IpAddress,
    list: &mut Vec<IpAddress>,
) {
    let f = Family::of(&a.addr);
    match fam {
        None => *fam = Some(f),
        Some(x) if *x != f => {
            d.at(
                ErrorClass::GeneralError,
                &a.loc,
                format!(
                    "({iname}): address family must match VRRP instance [{}] - ignoring",
                    a.addr
                ),
            );
            return;
        }
        _ => {}
    }
    list.push(a);
}

fn parse_instance(
    name: &str,
    node: &Node,
    body: &[Node],
    prefs: &mut RulePrefs,
    taken_vmac_names: &HashMap<String, String>,
    d: &mut Diagnostics,
) -> VrrpInstance {
    let mut v = VrrpInstance::new(name, node.loc.clone());
    let mut fam: Option<Family> = None;
    for n in body {
        let k = n.keyword();
        if NEWER_THAN_2_2_7.contains(&k) {
            d.notice(
                Some(&n.loc),
                format!("{k} is not known to keepalived 2.2.7 (newer keyword)"),
            );
        }
        if notify_kw(k, n, &mut v.notify, &format!("({name})"), d) {
            continue;
        }
        match k {
            "state" => {
                v.state_loc = Some(n.loc.clone());
                match values::arg(d, n, 0) {
                    Some("MASTER") => v.state = InitialState::Master,
                    Some("BACKUP") if v.state == InitialState::Master => d.at(
                        ErrorClass::GeneralError,
                        &n.loc,
                        format!("({name}) state previously set as MASTER - ignoring BACKUP"),
                    ),
                    Some("BACKUP") => v.state = InitialState::Backup,
                    Some(o) => d.at(
                        ErrorClass::GeneralError,
                        &n.loc,
                        format!("({name}) unknown state '{o}', defaulting to BACKUP"),
                    ),
                    None => {}
                }
            }
            "interface" => {
                if let Some(i) = values::arg(d, n, 0) {
                    if i.len() >= 16 {
                        d.at(
                            ErrorClass::GeneralError,
                            &n.loc,
                            format!("Interface name '{i}' too long - ignoring"),
                        );
                    } else {
                        v.interface = Some(i.to_string());
                        v.interface_loc = Some(n.loc.clone());
                    }
                }
            }
            "vrf" => {
                if let Some(i) = values::arg(d, n, 0) {
                    if i.len() >= 16 {
                        d.at(
                            ErrorClass::GeneralError,
                            &n.loc,
                            format!("({name}) VRF interface name '{i}' too long - ignoring"),
                        );
                    } else {
                        v.vrf = Some(i.to_string());
                    }
                }
            }
            "dont_track_primary" => v.dont_track_primary = true,
            "native_ipv6" => {
                // Deprecated, but keepalived 2.2.7 says nothing about it.
                match fam {
                    None => fam = Some(Family::Inet6),
                    Some(Family::Inet) => d.at(
                        ErrorClass::GeneralError,
                        &n.loc,
                        format!("({name}) Cannot specify native_ipv6 with IPv4 addresses"),
                    ),
                    Some(Family::Inet6) => {}
                }
            }
            "virtual_router_id" => match values::int_in(d, n, 0, 1, 255) {
                Some(id) => v.vrid = Some(id as u8),
                None => {
                    if let Some(a) = n.arg(0) {
                        d.at(
                            ErrorClass::GeneralError,
                            &n.loc,
                            format!("({name}): VRID '{a}' not valid - must be between 1 & 255"),
                        );
                    }
                }
            },
            "priority" => match values::int_in(d, n, 0, 1, 255) {
                Some(p) => v.priority = Some(p as u8),
                None => d.at(
                    ErrorClass::GeneralError,
                    &n.loc,
                    format!(
                        "({name}) Priority not valid! must be between 1 & 255. Using default 100"
                    ),
                ),
            },
            "advert_int" => {
                v.advert_int_loc = Some(n.loc.clone());
                match values::timer(d, n, 0, 0.01, 255.0) {
                    Some(t) => v.advert_int = t,
                    None => {
                        if let Some(a) = n.arg(0) {
                            d.at(
                                ErrorClass::GeneralError,
                                &n.loc,
                                format!("({name}) Advert interval ({a}) not valid! Must be > 0 - ignoring"),
                            );
                        }
                    }
                }
            }
            "version" => match values::int_in(d, n, 0, 2, 3) {
                // IPv6 addresses already seen have made this a VRRPv3 instance.
                Some(2) if fam == Some(Family::Inet6) => d.at(
                    ErrorClass::GeneralError,
                    &n.loc,
                    format!("({name}) vrrp_version 2 conflicts with configured or deduced version 0; ignoring."),
                ),
                Some(x) => v.version = Some(x as u8),
                None => {
                    if n.arg(0).is_some() {
                        d.at(
                            ErrorClass::GeneralError,
                            &n.loc,
                            format!("({name}): Version must be either 2 or 3"),
                        );
                    }
                }
            },
            "use_vmac" => {
                let mut vm = v.vmac.take().unwrap_or_default();
                let a = n.args();
                let mut i = 0;
                while i < a.len() {
                    let w = a[i].as_str();
                    if w.contains(':') {
                        // Interface names cannot contain ':', so this is the MAC address.
                        if vm.mac.is_some() {
                            d.at(
                                ErrorClass::GeneralError,
                                &n.loc,
                                "VMAC interface address already specified",
                            );
                        } else if let Err(msg) = check_vmac_mac(w) {
                            d.at(ErrorClass::GeneralError, &n.loc, msg);
                        } else {
                            vm.mac = Some(w.to_string());
                        }
                    } else if w == "netlink_notify_msg" {
                        vm.netlink_notify_msg = true;
                    } else if w == "group" {
                        vm.group = a.get(i + 1).cloned();
                        i += 1;
                    } else if vm.name.is_some() {
                        d.at(
                            ErrorClass::GeneralError,
                            &n.loc,
                            "VMAC interface name already specified",
                        );
                    } else if !dev_name_valid(w) {
                        d.at(
                            ErrorClass::GeneralError,
                            &n.loc,
                            format!("VMAC interface name '{w}' too long or invalid characters - ignoring"),
                        );
                    } else if let Some(o) = taken_vmac_names.get(w) {
                        d.at(
                            ErrorClass::GeneralError,
                            &n.loc,
                            format!("({name}) VRRP instance {o} is already using {w} - ignoring name"),
                        );
                    } else {
                        vm.name = Some(w.to_string());
                        vm.name_loc = Some(n.loc.clone());
                    }
                    i += 1;
                }
                v.vmac = Some(vm);
            }
            "use_vmac_addr" => v.use_vmac_addr = true,
            "vmac_xmit_base" => v.vmac_xmit_base = true,
            "use_ipvlan" if v.ipvlan.is_some() => d.at(
                ErrorClass::GeneralError,
                &n.loc,
                format!("({name}) use_ipvlan already specified"),
            ),
            "use_ipvlan" => {
                let a = n.args();
                if let Some(addr) = a.get(1) {
                    let f = ipaddr::parse_prefix(addr).map(|(a, _)| Family::of(&a));
                    if f.is_some() && fam.is_some() && f != fam {
                        d.at(
                            ErrorClass::GeneralError,
                            &n.loc,
                            format!("({name}) ipvlan address[{addr}] MUST match vrrp instance family !!! Skipping..."),
                        );
                    }
                }
                if a.is_empty() {
                    d.at(
                        ErrorClass::GeneralError,
                        &n.loc,
                        format!("({name}) use_ipvlan requires an interface name"),
                    );
                }
                v.ipvlan = Some(Ipvlan {
                    name: a.first().cloned(),
                    addr: a.get(1).cloned(),
                    mode: a.get(2).cloned(),
                });
            }
            "mcast_src_ip" | "unicast_src_ip" => {
                // The source address also fixes the instance's family, as in keepalived.
                let Some(text) = values::arg(d, n, 0) else {
                    continue;
                };
                let a = match text.parse::<std::net::IpAddr>() {
                    Ok(a) => a,
                    Err(_) => {
                        d.at(
                            ErrorClass::GeneralError,
                            &n.loc,
                            format!("Configuration error: VRRP instance[{name}] malformed src address[{text}]. Skipping..."),
                        );
                        if k == "unicast_src_ip" {
                            // keepalived still counts it as a unicast keyword.
                            v.unicast_src_given = true;
                        }
                        continue;
                    }
                };
                if fam.is_some_and(|f| f != Family::of(&a)) {
                    d.at(
                        ErrorClass::GeneralError,
                        &n.loc,
                        format!("Configuration error: VRRP instance[{name}] and src address[{a}] MUST be of the same family !!! Skipping..."),
                    );
                    continue;
                }
                fam.get_or_insert(Family::of(&a));
                if k == "mcast_src_ip" {
                    v.mcast_src_ip = Some(a);
                } else {
                    v.unicast_src_ip = Some(a);
                    v.unicast_src_given = true;
                }
            }
            "mcast_dst_ip" => {
                if let Some(a) = values::ip(d, n, 0) {
                    if fam.is_some_and(|f| f != Family::of(&a)) {
                        d.at(
                            ErrorClass::GeneralError,
                            &n.loc,
                            format!("({name}) mcast dest address {a} MUST match VRRP instance family. Skipping..."),
                        );
                    } else if a.is_multicast() {
                        fam.get_or_insert(Family::of(&a));
                        v.mcast_dst_ip = Some(a);
                    } else {
                        d.at(
                            ErrorClass::GeneralError,
                            &n.loc,
                            format!("({name}) mcast_dst_ip {a} not multicast. Skipping..."),
                        );
                    }
                }
            }
            "track_src_ip" => v.track_src_ip = true,
            "unicast_peer" => {
                v.unicast_peer_block = true;
                if let Some(b) = block(n, d) {
                    for l in b {
                        if let Some(p) = parse_peer(d, l, name, &mut fam) {
                            v.unicast_peers.push(p);
                        }
                    }
                }
            }
            "unicast_fault_no_peer" => v.unicast_fault_no_peer = true,
            "check_unicast_src" => v.check_unicast_src = true,
            "unicast_ttl" => v.unicast_ttl = values::int_in(d, n, 0, 1, 255).map(|x| x as u8),
            "old_unicast_checksum" => match n.arg(0) {
                None => v.old_unicast_checksum = Some(true),
                Some("never") => v.old_unicast_checksum = Some(false),
                Some(o) => d.at(
                    ErrorClass::GeneralError,
                    &n.loc,
                    format!("({name}) Unknown old_unicast_chksum mode {o} - ignoring"),
                ),
            },
            "v3_checksum_as_v2" => v.v3_checksum_as_v2 = Some(values::flag(d, n)),
            "track_interface" | "track_script" | "track_file" | "track_process"
            | "track_bfd" => {
                let list = match k {
                    "track_interface" => &mut v.track_interface,
                    "track_script" => &mut v.track_script,
                    "track_file" => &mut v.track_file,
                    "track_process" => &mut v.track_process,
                    _ => &mut v.track_bfd,
                };
                track_block(d, n, name, list);
            }
            "virtual_ipaddress" => {
                if let Some(b) = block(n, d) {
                    for l in b {
                        for a in ipaddr::parse_address(d, l, true, false) {
                            add_family_checked(d, name, &mut fam, a, &mut v.vips);
                        }
                    }
                }
            }
            "virtual_ipaddress_excluded" => {
                if let Some(b) = block(n, d) {
                    for l in b {
                        v.evips.extend(ipaddr::parse_address(d, l, true, false));
                    }
                }
            }
            "no_virtual_ipaddress" => v.no_virtual_ipaddress = true,
            "promote_secondaries" => v.promote_secondaries = true,
            "virtual_routes" => {
                if let Some(b) = block(n, d) {
                    for l in b {
                        v.routes.extend(ipaddr::parse_route(d, l, false));
                    }
                }
            }
            "virtual_rules" => {
                if let Some(b) = block(n, d) {
                    for l in b {
                        v.rules.extend(ipaddr::parse_rule(d, l, prefs, false));
                    }
                }
            }
            "accept" => v.accept = Some(true),
            "no_accept" => v.accept = Some(false),
            "skip_check_adv_addr" => v.skip_check_adv_addr = Some(values::flag(d, n)),
            "strict_mode" => v.strict_mode = Some(values::flag(d, n)),
            "preempt" => {}
            "nopreempt" => v.nopreempt = true,
            "preempt_delay" => match values::timer(d, n, 0, 0.0, 1000.0) {
                Some(t) => v.preempt_delay = t,
                None => d.at(
                    ErrorClass::GeneralError,
                    &n.loc,
                    format!("({name}) Preempt_delay not valid! must be between 0-1000"),
                ),
            },
            "debug" => v.debug = opt_u32(d, n, 0, 4),
            "notify_master_rx_lower_pri" => v.notify_master_rx_lower_pri = script::parse(d, n, 0),
            "notify_priority_changes" => v.notify_priority_changes = Some(values::flag(d, n)),
            "smtp_alert" => v.smtp_alert = Some(values::flag(d, n)),
            "lvs_sync_daemon_interface" => {
                v.lvs_sync_daemon_interface = values::arg(d, n, 0).map(str::to_string);
                d.at(
                    ErrorClass::Deprecated,
                    &n.loc,
                    format!("({name}) Specifying lvs_sync_daemon_interface against a vrrp is deprecated. Please use global lvs_sync_daemon"),
                );
            }
            "kernel_rx_buf_size" if n.arg(0).is_none() => d.at(
                ErrorClass::GeneralError,
                &n.loc,
                format!("({name}) kernel_rx_buf_size requires a value"),
            ),
            "kernel_rx_buf_size" => {
                v.kernel_rx_buf_size =
                    values::int_in(d, n, 0, 0, i64::from(u32::MAX)).map(|x| x as u64)
            }
            "garp_master_delay" => {
                v.garp_master_delay =
                    values::int_in(d, n, 0, 0, 86400).map(|x| Duration::from_secs(x as u64))
            }
            "garp_master_refresh" => {
                v.garp_master_refresh =
                    values::int_in(d, n, 0, 0, 86400).map(|x| Duration::from_secs(x as u64))
            }
            "garp_master_repeat" | "garp_master_refresh_repeat" => {
                let r = opt_u32(d, n, 0, i64::from(i32::MAX)).map(|r| {
                    if r == 0 {
                        d.at(
                            ErrorClass::GeneralError,
                            &n.loc,
                            format!("({name}): {k} must be greater than 0, setting to 1"),
                        );
                    }
                    r.max(1)
                });
                if k == "garp_master_repeat" {
                    v.garp_master_repeat = r;
                } else {
                    v.garp_master_refresh_repeat = r;
                }
            }
            "garp_lower_prio_delay" => {
                v.garp_lower_prio_delay =
                    values::int_in(d, n, 0, 0, 86400).map(|x| Duration::from_secs(x as u64))
            }
            "garp_lower_prio_repeat" => {
                v.garp_lower_prio_repeat = opt_u32(d, n, 0, i64::from(i32::MAX))
            }
            "garp_extra_if" | "vmac_garp_intvl" => {
                if k == "vmac_garp_intvl" {
                    values::deprecated(d, n, "garp_extra_if");
                }
                match n.arg(0) {
                    None => d.at(
                        ErrorClass::GeneralError,
                        &n.loc,
                        format!("({name}): {k} specified without time - ignoring"),
                    ),
                    Some(a) => {
                        if let Some(t) = values::parse_timer(d, n, a, 0.0, 86400.0) {
                            v.garp_extra_if = Some((t, n.arg(1) == Some("all")));
                        }
                    }
                }
            }
            "down_timer_adverts" => v.down_timer_adverts = opt_u32(d, n, 1, 100),
            "timer_expired_backup" | "thread_timer_expired" => {
                if k == "thread_timer_expired" {
                    values::deprecated(d, n, "timer_expired_backup");
                }
                v.timer_expired_backup = Some(match n.arg(0) {
                    None => None,
                    Some(_) => values::int_in(d, n, 0, 1, 254).map(|x| x as u8),
                });
            }
            "lower_prio_no_advert" => v.lower_prio_no_advert = Some(values::flag(d, n)),
            "higher_prio_send_advert" => v.higher_prio_send_advert = Some(values::flag(d, n)),
            "owner_ignore_adverts" => v.owner_ignore_adverts = true,
            "linkbeat_use_polling" => d.at(
                ErrorClass::Deprecated,
                &n.loc,
                format!("({name}) 'linkbeat_use_polling' in vrrp instance deprecated - use linkbeat_interfaces block"),
            ),
            "authentication" => {
                if let Some(b) = block(n, d) {
                    v.auth_loc = Some(n.loc.clone());
                    parse_auth(&mut v, b, d);
                }
            }
            _ => values::unknown(d, n),
        }
    }
    v
}

fn parse_auth(v: &mut VrrpInstance, body: &[Node], d: &mut Diagnostics) {
    for n in body {
        match n.keyword() {
            "auth_type" => match values::arg(d, n, 0) {
                Some("PASS") => v.auth_type = AuthType::Pass,
                Some("AH") => v.auth_type = AuthType::Ah,
                Some(o) => d.at(
                    ErrorClass::GeneralError,
                    &n.loc,
                    format!("({}) unknown authentication type '{o}'", v.name),
                ),
                None => {}
            },
            "auth_pass" => {
                if let Some(p) = values::arg(d, n, 0) {
                    let mut p = p.to_string();
                    if p.len() > 8 {
                        d.at(
                            ErrorClass::GeneralError,
                            &n.loc,
                            "Truncating auth_pass to 8 characters",
                        );
                        let mut cut = 8;
                        while !p.is_char_boundary(cut) {
                            cut -= 1;
                        }
                        p.truncate(cut);
                    }
                    v.auth_pass = Some(p);
                }
            }
            _ => values::unknown(d, n),
        }
    }
}

fn parse_peer(
    d: &mut Diagnostics,
    l: &Node,
    iname: &str,
    fam: &mut Option<Family>,
) -> Option<UnicastPeer> {
    let addr = match l.keyword().parse::<std::net::IpAddr>() {
        Ok(a) => a,
        Err(_) => {
            d.at(
                ErrorClass::GeneralError,
                &l.loc,
                format!("({iname}) Invalid unicast peer address {}", l.keyword()),
            );
            return None;
        }
    };
    let f = Family::of(&addr);
    match fam {
        None => *fam = Some(f),
        Some(x) if *x != f => {
            d.at(
                ErrorClass::GeneralError,
                &l.loc,
                format!("Configuration error: VRRP instance[{iname}] and unicast peer address[{addr}] MUST be of the same family !!! Skipping..."),
            );
            return None;
        }
        _ => {}
    }
    let mut p = UnicastPeer {
        addr,
        min_ttl: 0,
        max_ttl: 255,
        ttl_given: false,
        loc: l.loc.clone(),
    };
    let a = l.args();
    let mut i = 0;
    while i < a.len() {
        match a[i].as_str() {
            k @ ("min_ttl" | "max_ttl") => {
                p.ttl_given = true;
                let v = a
                    .get(i + 1)
                    .and_then(|s| values::parse_int_in(d, l, s, 0, 255));
                match v {
                    Some(v) if k == "min_ttl" => p.min_ttl = v as u8,
                    Some(v) => p.max_ttl = v as u8,
                    None => {
                        if a.get(i + 1).is_none() {
                            d.at(
                                ErrorClass::GeneralError,
                                &l.loc,
                                format!("({iname}) {k} is missing a value"),
                            );
                        }
                    }
                }
                i += 1;
            }
            o => d.at(
                ErrorClass::GeneralError,
                &l.loc,
                format!("({iname}) Unknown unicast_peer option {o}"),
            ),
        }
        i += 1;
    }
    if p.min_ttl > p.max_ttl {
        d.at(
            ErrorClass::GeneralError,
            &l.loc,
            format!(
                "({iname}) Unicast peer min_ttl {} > max_ttl {}",
                p.min_ttl, p.max_ttl
            ),
        );
    }
    Some(p)
}

/// A usable VMAC interface name (the kernel's rules: not empty, shorter than IFNAMSIZ,
/// not `.`/`..`, no `/`, `:` or whitespace).
fn dev_name_valid(s: &str) -> bool {
    !s.is_empty()
        && s.len() < 16
        && s != "."
        && s != ".."
        && !s.chars().any(|c| c == '/' || c == ':' || c.is_whitespace())
}

/// A `use_vmac` MAC address: 6 octets, or 5 (the VRID supplies the last); not multicast
/// and not an RFC 5798 virtual router MAC. `Err` holds keepalived's message.
fn check_vmac_mac(s: &str) -> Result<(), String> {
    if !s.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
        return Err(format!("VMAC invalid MAC address {s}"));
    }
    let octets: Vec<&str> = s.trim_end_matches(':').split(':').collect();
    let parsed: Option<Vec<u8>> = octets
        .iter()
        .map(|o| {
            if o.is_empty() || o.len() > 2 {
                None
            } else {
                u8::from_str_radix(o, 16).ok()
            }
        })
        .collect();
    let bytes = match parsed {
        Some(b) if b.len() == 5 || b.len() == 6 => b,
        _ => return Err(format!("VMAC invalid MAC address {s} - ignored")),
    };
    let first = bytes.first().copied().unwrap_or(0);
    if first & 1 == 1 {
        return Err(format!("VMAC MAC address is multicast {s} - ignoring"));
    }
    if bytes.get(..4) == Some(&[0x00, 0x00, 0x5e, 0x00]) && matches!(bytes.get(4), Some(1 | 2)) {
        return Err(format!(
            "VMAC MAC address not allowed to be RFC5798 address ({s}) - ignoring"
        ));
    }
    Ok(())
}

/// Keywords this module parses, as (block path, keyword). The block path is "" for root
/// keywords, else the chain of block keywords from the root joined with '/', e.g.
/// "vrrp_instance", "virtual_server/real_server/HTTP_GET/url". Value blocks (whose lines
/// are data, like `virtual_ipaddress`) are listed as keywords; their lines are not.
/// The third field says which process acts on the keyword (`By::Nobody`: parsed and
/// validated only); `support` derives from it the "parsed but not acted on" report and the
/// coverage table, so a keyword is marked acted on here, where it is parsed.
pub const KEYWORDS: &[Keyword] = &[
    ("", "static_ipaddress", By::Vrrp),
    ("", "static_routes", By::Vrrp),
    ("", "static_rules", By::Vrrp),
    ("", "track_group", By::Nobody),
    ("track_group", "group", By::Nobody),
    ("", "garp_group", By::Vrrp),
    ("garp_group", "garp_interval", By::Vrrp),
    ("garp_group", "gna_interval", By::Vrrp),
    ("garp_group", "interface", By::Vrrp),
    ("garp_group", "interfaces", By::Vrrp),
    ("", "linkbeat_interfaces", By::Nobody),
    ("", "interface_up_down_delays", By::Nobody),
    ("", "vrrp_script", By::Vrrp),
    ("vrrp_script", "script", By::Vrrp),
    ("vrrp_script", "interval", By::Vrrp),
    ("vrrp_script", "timeout", By::Vrrp),
    ("vrrp_script", "weight", By::Vrrp),
    ("vrrp_script", "rise", By::Vrrp),
    ("vrrp_script", "fall", By::Vrrp),
    ("vrrp_script", "user", By::Vrrp),
    ("vrrp_script", "init_fail", By::Vrrp),
    ("", "vrrp_track_process", By::Vrrp),
    ("vrrp_track_process", "process", By::Vrrp),
    ("vrrp_track_process", "param_match", By::Vrrp),
    ("vrrp_track_process", "weight", By::Vrrp),
    ("vrrp_track_process", "quorum", By::Vrrp),
    ("vrrp_track_process", "quorum_max", By::Vrrp),
    ("vrrp_track_process", "delay", By::Vrrp),
    ("vrrp_track_process", "terminate_delay", By::Vrrp),
    ("vrrp_track_process", "fork_delay", By::Vrrp),
    ("vrrp_track_process", "full_command", By::Vrrp),
    ("", "track_file", By::Vrrp),
    ("track_file", "file", By::Vrrp),
    ("track_file", "weight", By::Vrrp),
    ("track_file", "init_file", By::Vrrp),
    ("", "vrrp_track_file", By::Vrrp),
    ("vrrp_track_file", "file", By::Vrrp),
    ("vrrp_track_file", "weight", By::Vrrp),
    ("vrrp_track_file", "init_file", By::Vrrp),
    ("", "vrrp_sync_group", By::Vrrp),
    ("vrrp_sync_group", "group", By::Vrrp),
    ("vrrp_sync_group", "track_interface", By::Vrrp),
    ("vrrp_sync_group", "track_script", By::Vrrp),
    ("vrrp_sync_group", "track_file", By::Vrrp),
    ("vrrp_sync_group", "track_process", By::Vrrp),
    ("vrrp_sync_group", "track_bfd", By::Nobody),
    ("vrrp_sync_group", "notify_master", By::Vrrp),
    ("vrrp_sync_group", "notify_backup", By::Vrrp),
    ("vrrp_sync_group", "notify_fault", By::Vrrp),
    ("vrrp_sync_group", "notify_stop", By::Vrrp),
    ("vrrp_sync_group", "notify", By::Vrrp),
    ("vrrp_sync_group", "smtp_alert", By::Nobody),
    ("vrrp_sync_group", "global_tracking", By::Vrrp),
    ("vrrp_sync_group", "sync_group_tracking_weight", By::Vrrp),
    ("vrrp_sync_group", "notify_priority_changes", By::Nobody),
    ("", "vrrp_instance", By::Vrrp),
    ("vrrp_instance", "state", By::Vrrp),
    ("vrrp_instance", "interface", By::Vrrp),
    ("vrrp_instance", "vrf", By::Nobody),
    ("vrrp_instance", "dont_track_primary", By::Vrrp),
    ("vrrp_instance", "native_ipv6", By::Nobody),
    ("vrrp_instance", "virtual_router_id", By::Vrrp),
    ("vrrp_instance", "priority", By::Vrrp),
    ("vrrp_instance", "advert_int", By::Vrrp),
    ("vrrp_instance", "version", By::Vrrp),
    ("vrrp_instance", "use_vmac", By::Vrrp),
    ("vrrp_instance", "use_vmac_addr", By::Nobody),
    ("vrrp_instance", "vmac_xmit_base", By::Vrrp),
    ("vrrp_instance", "use_ipvlan", By::Nobody),
    ("vrrp_instance", "mcast_src_ip", By::Vrrp),
    ("vrrp_instance", "unicast_src_ip", By::Vrrp),
    ("vrrp_instance", "mcast_dst_ip", By::Vrrp),
    ("vrrp_instance", "track_src_ip", By::Nobody),
    ("vrrp_instance", "unicast_peer", By::Vrrp),
    ("vrrp_instance", "unicast_fault_no_peer", By::Vrrp),
    ("vrrp_instance", "check_unicast_src", By::Vrrp),
    ("vrrp_instance", "unicast_ttl", By::Vrrp),
    ("vrrp_instance", "old_unicast_checksum", By::Vrrp),
    ("vrrp_instance", "v3_checksum_as_v2", By::Vrrp),
    ("vrrp_instance", "track_interface", By::Vrrp),
    ("vrrp_instance", "track_script", By::Vrrp),
    ("vrrp_instance", "track_file", By::Vrrp),
    ("vrrp_instance", "track_process", By::Vrrp),
    ("vrrp_instance", "track_bfd", By::Nobody),
    ("vrrp_instance", "virtual_ipaddress", By::Vrrp),
    ("vrrp_instance", "virtual_ipaddress_excluded", By::Vrrp),
    ("vrrp_instance", "no_virtual_ipaddress", By::Vrrp),
    ("vrrp_instance", "promote_secondaries", By::Vrrp),
    ("vrrp_instance", "virtual_routes", By::Vrrp),
    ("vrrp_instance", "virtual_rules", By::Vrrp),
    ("vrrp_instance", "accept", By::Nobody),
    ("vrrp_instance", "no_accept", By::Nobody),
    ("vrrp_instance", "skip_check_adv_addr", By::Vrrp),
    ("vrrp_instance", "strict_mode", By::Vrrp),
    ("vrrp_instance", "preempt", By::Vrrp),
    ("vrrp_instance", "nopreempt", By::Vrrp),
    ("vrrp_instance", "preempt_delay", By::Vrrp),
    ("vrrp_instance", "debug", By::Nobody),
    ("vrrp_instance", "notify_master", By::Vrrp),
    ("vrrp_instance", "notify_backup", By::Vrrp),
    ("vrrp_instance", "notify_fault", By::Vrrp),
    ("vrrp_instance", "notify_stop", By::Vrrp),
    ("vrrp_instance", "notify_deleted", By::Vrrp),
    ("vrrp_instance", "notify", By::Vrrp),
    ("vrrp_instance", "notify_master_rx_lower_pri", By::Vrrp),
    ("vrrp_instance", "notify_priority_changes", By::Vrrp),
    ("vrrp_instance", "smtp_alert", By::Nobody),
    ("vrrp_instance", "lvs_sync_daemon_interface", By::Nobody),
    ("vrrp_instance", "kernel_rx_buf_size", By::Vrrp),
    ("vrrp_instance", "garp_master_delay", By::Vrrp),
    ("vrrp_instance", "garp_master_refresh", By::Vrrp),
    ("vrrp_instance", "garp_master_repeat", By::Vrrp),
    ("vrrp_instance", "garp_master_refresh_repeat", By::Vrrp),
    ("vrrp_instance", "garp_lower_prio_delay", By::Vrrp),
    ("vrrp_instance", "garp_lower_prio_repeat", By::Vrrp),
    ("vrrp_instance", "garp_extra_if", By::Nobody),
    ("vrrp_instance", "vmac_garp_intvl", By::Nobody),
    ("vrrp_instance", "down_timer_adverts", By::Vrrp),
    ("vrrp_instance", "timer_expired_backup", By::Nobody),
    ("vrrp_instance", "thread_timer_expired", By::Nobody),
    ("vrrp_instance", "lower_prio_no_advert", By::Vrrp),
    ("vrrp_instance", "higher_prio_send_advert", By::Vrrp),
    ("vrrp_instance", "owner_ignore_adverts", By::Vrrp),
    ("vrrp_instance", "linkbeat_use_polling", By::Nobody),
    ("vrrp_instance", "authentication", By::Vrrp),
    ("vrrp_instance/authentication", "auth_type", By::Vrrp),
    ("vrrp_instance/authentication", "auth_pass", By::Vrrp),
];

#[cfg(test)]
mod tests {
    use crate::diag::{Diagnostics, ErrorClass};
    use crate::model::vrrp::*;
    use crate::model::Config;
    use crate::ReadOptions;
    use std::time::Duration;

    fn load(text: &str) -> (Config, Diagnostics) {
        let mut d = Diagnostics::new();
        let c = crate::load_str("t.conf", text, &ReadOptions::default(), &mut d);
        (c, d)
    }

    #[test]
    fn instance_defaults() {
        let (c, d) = load(
            "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n virtual_ipaddress {\n  10.0.0.1/24 dev eth1\n }\n}\n",
        );
        assert!(d.items.is_empty(), "{:?}", d.items);
        let i = &c.vrrp.instances[0];
        assert_eq!(i.name, "VI_1");
        assert_eq!(i.vrid, Some(51));
        assert_eq!(i.effective_priority(), 100);
        assert_eq!(i.advert_int, Duration::from_secs(1));
        assert_eq!(i.state, InitialState::Unset);
        assert_eq!(i.vips.len(), 1);
        assert_eq!(i.vips[0].prefix, 24);
        assert!(c.vrrp.has_config());
    }

    #[test]
    fn instance_keywords() {
        let (c, d) = load(concat!(
            "vrrp_script chk {\n script /bin/true\n}\n",
            "vrrp_instance VI_1 {\n state MASTER\n interface eth0\n virtual_router_id 7\n",
            " priority 150\n advert_int 0.5\n version 3\n nopreempt\n preempt_delay 10\n",
            " use_vmac vrrp7 netlink_notify_msg\n unicast_src_ip 10.0.0.5\n",
            " unicast_peer {\n  10.0.0.6 min_ttl 250 max_ttl 255\n }\n",
            " track_interface {\n  eth1 weight -20\n  eth2\n }\n",
            " track_script {\n  chk weight 10 reverse\n }\n",
            " notify_master \"/bin/m arg\"\n garp_master_delay 5\n down_timer_adverts 4\n",
            " authentication {\n  auth_type PASS\n  auth_pass secret\n }\n",
            " virtual_ipaddress {\n  10.0.0.1\n }\n}\n"
        ));
        assert!(d.items.is_empty(), "{:?}", d.items);
        let i = &c.vrrp.instances[0];
        assert_eq!(i.state, InitialState::Master);
        assert_eq!(i.priority, Some(150));
        assert_eq!(i.advert_int, Duration::from_millis(500));
        assert_eq!(i.version, Some(3));
        assert!(i.nopreempt);
        assert_eq!(i.preempt_delay, Duration::from_secs(10));
        assert_eq!(
            i.vmac.as_ref().and_then(|v| v.name.as_deref()),
            Some("vrrp7")
        );
        assert_eq!(i.unicast_peers[0].min_ttl, 250);
        assert_eq!(i.track_interface[0].weight, Some(-20));
        assert_eq!(i.track_interface[1].weight, None);
        assert!(i.track_script[0].reverse);
        assert_eq!(i.notify.master.as_ref().map(|s| s.args.len()), Some(2));
        assert_eq!(i.down_timer_adverts, Some(4));
        assert_eq!(i.auth_type, AuthType::Pass);
        assert_eq!(i.auth_pass.as_deref(), Some("secret"));
        let mut s = Vec::new();
        c.vrrp.scripts(&mut s);
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].0, "notify_master");
    }

    #[test]
    fn instance_ranges_and_errors() {
        let (c, d) = load(
            "vrrp_instance VI_1 {\n virtual_router_id 0\n priority 300\n preempt_delay 2000\n down_timer_adverts 101\n bogus\n}\n",
        );
        let i = &c.vrrp.instances[0];
        assert_eq!(i.vrid, None);
        assert_eq!(i.priority, None);
        assert!(d
            .items
            .iter()
            .any(|x| x.to_string()
                == "t.conf:3: error: priority: number '300' outside range [1, 255]"));
        assert!(d.items.iter().any(|x| x.msg.contains("VRID '0' not valid")));
        assert!(d
            .items
            .iter()
            .any(|x| x.msg.contains("Preempt_delay not valid")));
        assert!(d
            .items
            .iter()
            .any(|x| x.loc.as_ref().map(|l| l.line) == Some(5)));
        assert!(d.has(ErrorClass::UnknownKeyword));
        assert_eq!(d.exit_code(), 5);
    }

    #[test]
    fn deprecated_aliases() {
        let (c, d) = load(
            "vrrp_track_file tf {\n file /tmp/x\n}\nvrrp_instance VI_1 {\n thread_timer_expired\n vmac_garp_intvl 10\n lvs_sync_daemon_interface eth1\n}\n",
        );
        assert_eq!(c.vrrp.track_files.len(), 1);
        assert!(c.vrrp.track_files[0].deprecated_keyword);
        assert_eq!(c.vrrp.instances[0].timer_expired_backup, Some(None));
        assert_eq!(
            d.items
                .iter()
                .filter(|x| x.class == Some(ErrorClass::Deprecated))
                .count(),
            3
        );
        // keepalived 2.2.7 accepts vrrp_track_file silently: a notice only.
        assert!(d
            .items
            .iter()
            .any(|x| x.class.is_none() && x.msg.contains("vrrp_track_file")));
    }

    #[test]
    fn family_follows_first_address() {
        let (c, d) = load(
            "vrrp_instance VI_1 {\n unicast_peer {\n  fe80::2\n }\n virtual_ipaddress {\n  10.0.0.1\n  fe80::1\n }\n}\n",
        );
        let i = &c.vrrp.instances[0];
        assert_eq!(i.vips.len(), 1);
        assert_eq!(i.family(), Family::Inet6);
        assert!(d.items[0]
            .msg
            .contains("address family must match VRRP instance [10.0.0.1]"));
        assert_eq!(d.items[0].loc.as_ref().map(|l| l.line), Some(6));
    }

    #[test]
    fn script_process_file_and_groups() {
        let (c, d) = load(concat!(
            "vrrp_script chk {\n script \"/bin/true x\"\n interval 2\n weight -300\n rise 2\n fall 3\n}\n",
            "vrrp_track_process p {\n process nginx -g\n weight 10\n quorum 2\n}\n",
            "track_file f {\n file /run/f\n weight -5 reverse\n init_file 3 overwrite\n}\n",
            "vrrp_sync_group G {\n group {\n  VI_1 VI_2\n }\n notify_master /bin/x\n}\n",
            "track_group T {\n group {\n  VI_1\n }\n}\n",
            "garp_group {\n garp_interval 0.5\n interfaces {\n  eth0\n  eth1\n }\n}\n",
            "linkbeat_interfaces {\n eth0 MII\n}\n",
            "interface_up_down_delays {\n eth0 1.5 2\n}\n",
            "static_ipaddress {\n 10.9.0.1/24 dev eth0\n}\n",
        ));
        let s = &c.vrrp.scripts[0];
        assert_eq!(s.interval, Duration::from_secs(2));
        assert_eq!(s.weight, 0); // out of range -> ignored
        assert_eq!((s.rise, s.fall), (2, 3));
        assert!(d.items[0]
            .msg
            .contains("number '-300' outside range [-253, 253]"));
        assert_eq!(d.items.len(), 1, "{:?}", d.items);
        assert_eq!(c.vrrp.track_processes[0].quorum, 2);
        assert_eq!(c.vrrp.track_processes[0].process, vec!["nginx", "-g"]);
        let f = &c.vrrp.track_files[0];
        assert_eq!(
            (f.weight, f.weight_reverse, f.init_file, f.init_overwrite),
            (-5, true, Some(3), true)
        );
        assert_eq!(c.vrrp.sync_groups[0].group.len(), 2);
        assert_eq!(c.vrrp.track_groups[0].instances, vec!["VI_1"]);
        assert_eq!(c.vrrp.garp_groups[0].interfaces.len(), 2);
        assert_eq!(c.vrrp.linkbeat_interfaces[0].method.as_deref(), Some("MII"));
        assert_eq!(
            c.vrrp.interface_up_down_delays[0].up,
            Duration::from_secs(2)
        );
        assert_eq!(c.vrrp.static_addresses.len(), 1);
        let mut sc = Vec::new();
        c.vrrp.scripts(&mut sc);
        assert_eq!(
            sc.iter().map(|x| x.0).collect::<Vec<_>>(),
            vec!["vrrp_script", "notify_master"]
        );
        let named: Vec<String> = c.vrrp.named_scripts().into_iter().map(|x| x.0).collect();
        assert_eq!(named, vec!["vrrp_script chk", "notify_master G"]);
    }

    #[test]
    fn trackers_resolve_in_definition_order() {
        // keepalived resolves track_script/track_file while parsing: defining them after
        // the instance is too late.
        let (c, d) = load(concat!(
            "vrrp_instance VI_1 {\n track_script {\n  chk\n }\n track_file {\n  f\n }\n}\n",
            "vrrp_script chk {\n script /bin/true\n}\ntrack_file f {\n file /tmp/f\n}\n",
            "static_routes {\n 10.0.0.0/8 dev eth0 track_group T\n}\n",
        ));
        let m: Vec<String> = d.items.iter().map(|x| x.to_string()).collect();
        assert_eq!(
            m,
            vec![
                "t.conf:3: error: (VI_1) track script chk not found, ignoring...",
                "t.conf:6: error: (VI_1) track file f not found, ignoring...",
                "t.conf:16: error: track_group T not found",
            ]
        );
        assert!(c.vrrp.instances[0].track_script.is_empty());
        assert!(c.vrrp.static_routes.is_empty());
    }

    #[test]
    fn script_user_before_script() {
        let (c, d) = load("vrrp_script s {\n user nobody nogroup\n script /bin/true\n}\n");
        assert!(d.items.is_empty(), "{:?}", d.items);
        let sc = c.vrrp.scripts[0].script.as_ref();
        assert_eq!(sc.and_then(|s| s.user.as_deref()), Some("nobody"));
        assert_eq!(sc.and_then(|s| s.group.as_deref()), Some("nogroup"));
    }

    #[test]
    fn script_timers_are_whole_seconds() {
        let (c, d) = load("vrrp_script s {\n script /bin/true\n interval 1.5\n timeout 0\n}\n");
        let s = &c.vrrp.scripts[0];
        assert_eq!(s.interval, Duration::from_secs(1));
        assert_eq!(s.timeout, Some(Duration::from_secs(1)));
        assert!(d.items.iter().any(|x| x
            .msg
            .contains("(s): vrrp script interval '1.5' must be between 1 and 4294")));
        assert!(d.items.iter().any(|x| x
            .msg
            .contains("(s): vrrp script timeout must be greater than 0, setting to 1")));
    }

    /// The running indexes of `Seen` give what a rescan of the model gives: rule
    /// preferences count down over static_rules and every instance, duplicates are found.
    #[test]
    fn seen_indexes_match_the_model() {
        let text = concat!(
            "static_rules {\n from 10.0.0.0/8 table 1\n}\n",
            "vrrp_instance A {\n virtual_rules {\n  from 10.1.0.0/16 table 2\n  from all preference 5 table 3\n }\n}\n",
            "vrrp_instance B {\n use_vmac vm1\n virtual_rules {\n  to 10.2.0.0/16 table 4\n }\n}\n",
            "vrrp_instance A {\n}\n",
            "vrrp_script S {\n script /bin/true\n}\n",
            "vrrp_script N {\n}\n",
            "vrrp_instance C {\n use_vmac vm1\n track_script {\n  S\n  N\n }\n}\n",
        );
        let (c, d) = load(text);
        let prefs: Vec<u32> = c
            .vrrp
            .static_rules
            .iter()
            .chain(c.vrrp.instances.iter().flat_map(|i| i.rules.iter()))
            .map(|r| r.preference)
            .collect();
        assert_eq!(prefs, [16384, 16383, 5, 16382]);
        let names: Vec<&str> = c.vrrp.instances.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["A", "B", "C"]);
        assert!(d
            .items
            .iter()
            .any(|i| i.msg == "vrrp instance A already defined"));
        assert!(d
            .items
            .iter()
            .any(|i| i.msg == "(C) VRRP instance B is already using vm1 - ignoring name"));
        // S resolves; N has no script, so it cannot be tracked.
        let tracked: Vec<&str> = c.vrrp.instances[2]
            .track_script
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(tracked, ["S"]);
        assert!(d
            .items
            .iter()
            .any(|i| i.msg == "(C) track script N not found, ignoring..."));
        // parse_root alone (indexes rebuilt from the model each time) agrees.
        let mut d2 = Diagnostics::new();
        let lines = crate::preprocess::read_str("t.conf", text, &ReadOptions::default(), &mut d2);
        let tree = crate::tree::build_owned(lines, &mut d2);
        let mut cfg = VrrpConfig::default();
        for n in &tree {
            super::parse_root(n, &mut cfg, &mut d2);
        }
        assert_eq!(cfg, c.vrrp);
        let msgs = |d: &Diagnostics| d.items.iter().map(|i| i.to_string()).collect::<Vec<_>>();
        assert_eq!(msgs(&d2), msgs(&d));
    }

    #[test]
    fn garp_interfaces_and_tracked_names_are_unique() {
        let (c, d) = load(concat!(
            "garp_group {\n interface eth0\n interfaces {\n  eth1 eth0\n }\n}\n",
            "garp_group {\n interface eth1\n interface eth2\n}\n",
            "vrrp_instance A {\n track_interface {\n  eth0\n  eth1\n }\n track_interface {\n  eth1\n }\n}\n",
        ));
        let ifs: Vec<&Vec<String>> = c.vrrp.garp_groups.iter().map(|g| &g.interfaces).collect();
        assert_eq!(ifs, [&vec!["eth0", "eth1"], &vec!["eth2"]]);
        let tracked: Vec<&str> = c.vrrp.instances[0]
            .track_interface
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(tracked, ["eth0", "eth1"]);
        let m: Vec<String> = d.items.iter().map(|x| x.to_string()).collect();
        assert_eq!(
            m,
            [
                "t.conf:4: error: garp_group already specified for eth0 - ignoring",
                "t.conf:8: error: garp_group already specified for eth1 - ignoring",
                "t.conf:17: error: (A) duplicate track_interface eth1 - ignoring",
            ]
        );
    }

    #[test]
    fn vmac_arguments_checked() {
        let (c, d) = load(concat!(
            "vrrp_instance VI_1 {\n use_vmac vm1 02:00:00:00:00:01\n}\n",
            "vrrp_instance VI_2 {\n use_vmac vm1\n}\n",
            "vrrp_instance VI_3 {\n use_vmac 01:00:5e:00:00:01 00:00:5e:00:01:05 a/b\n}\n",
            "vrrp_instance VI_1 {\n}\n",
        ));
        let vm = c.vrrp.instances[0].vmac.as_ref();
        assert_eq!(vm.and_then(|v| v.name.as_deref()), Some("vm1"));
        assert_eq!(vm.and_then(|v| v.mac.as_deref()), Some("02:00:00:00:00:01"));
        assert_eq!(
            c.vrrp.instances[1]
                .vmac
                .as_ref()
                .and_then(|v| v.name.as_deref()),
            None
        );
        let m: Vec<&str> = d.items.iter().map(|x| x.msg.as_str()).collect();
        assert_eq!(
            m,
            vec![
                "(VI_2) VRRP instance VI_1 is already using vm1 - ignoring name",
                "VMAC MAC address is multicast 01:00:5e:00:00:01 - ignoring",
                "VMAC MAC address not allowed to be RFC5798 address (00:00:5e:00:01:05) - ignoring",
                "VMAC interface name 'a/b' too long or invalid characters - ignoring",
                "vrrp instance VI_1 already defined",
            ]
        );
        assert_eq!(c.vrrp.instances.len(), 3);
    }

    #[test]
    fn duplicates_rejected_like_keepalived() {
        let (c, d) = load(concat!(
            "vrrp_sync_group G {\n group {\n  A\n }\n group {\n  B\n }\n notify_master /bin/a\n notify_master /bin/b\n}\n",
            "vrrp_sync_group G {\n group {\n  C\n }\n}\n",
            "track_group T {\n group {\n }\n}\ntrack_group T {\n}\nvrrp_sync_group {\n}\n",
        ));
        assert_eq!(c.vrrp.sync_groups.len(), 1);
        assert_eq!(c.vrrp.sync_groups[0].group.len(), 1);
        assert_eq!(c.vrrp.track_groups.len(), 1);
        let m: Vec<String> = d.items.iter().map(|x| x.to_string()).collect();
        assert_eq!(
            m,
            vec![
                "t.conf:5: error: Group list already specified for sync group G",
                "t.conf:9: error: vrrp group G: notify_master script already specified - ignoring /bin/b",
                "t.conf:11: error: vrrp sync group G already defined",
                "t.conf:17: error: Warning - track group T has empty group block",
                "t.conf:20: error: track_group T already defined",
                "t.conf:22: error: vrrp_sync_group must have a name - skipping",
            ]
        );
    }

    #[test]
    fn model_survives_serde_round_trip() {
        // The model crosses IPC to the VRRP child: it must serialize without loss.
        let (c, _) = load(concat!(
            "global_defs {\n router_id r1\n vrrp_garp_interval 0.5\n}\n",
            "vrrp_script chk {\n script \"/bin/x a\" nobody\n}\n",
            "static_rules {\n from 10.0.0.0/8 table 5\n}\n",
            "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 5\n use_vmac vm5\n",
            " track_script {\n  chk weight 3 reverse\n }\n",
            " virtual_ipaddress {\n  10.0.0.1/24 brd + label eth0:1\n  10.0.0.2 peer 10.0.0.3\n }\n",
            " virtual_routes {\n  10.1.0.0/16 nexthop via 10.0.0.9 dev eth1 weight 2\n }\n}\n",
        ));
        let json = serde_json::to_string(&c).unwrap_or_default();
        let back: Result<Config, _> = serde_json::from_str(&json);
        assert_eq!(back.ok().as_ref(), Some(&c));
    }

    #[test]
    fn auth_pass_truncated() {
        let (c, d) = load(
            "vrrp_instance VI_1 {\n authentication {\n  auth_type AH\n  auth_pass 123456789\n }\n}\n",
        );
        assert_eq!(c.vrrp.instances[0].auth_pass.as_deref(), Some("12345678"));
        assert_eq!(c.vrrp.instances[0].auth_type, AuthType::Ah);
        assert_eq!(d.items[0].loc.as_ref().map(|l| l.line), Some(4));
    }

    #[test]
    fn every_listed_keyword_is_known() {
        for (path, kw, _) in super::KEYWORDS {
            let mut text = String::new();
            let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
            for p in &parts {
                text.push_str(&format!("{p} X {{\n"));
            }
            text.push_str(&format!("{kw} 1\n"));
            for _ in &parts {
                text.push_str("}\n");
            }
            let (_, d) = load(&text);
            assert!(
                !d.has(ErrorClass::UnknownKeyword),
                "{path}/{kw}: {:?}",
                d.items
            );
        }
        assert!(super::KEYWORDS.len() > 120);
    }

    #[test]
    fn odd_arguments_do_not_panic() {
        let argsets = [
            "",
            "x",
            "-1 x y z",
            "weight",
            "weight x reverse",
            "1 2 3 4 5 6 7 8",
            "\"\"",
        ];
        for (path, kw, _) in super::KEYWORDS {
            for args in argsets {
                let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
                let mut text = String::new();
                for p in &parts {
                    text.push_str(&format!("{p} X {{\n"));
                }
                text.push_str(&format!("{kw} {args} {{\n {args}\n weight\n}}\n"));
                for _ in &parts {
                    text.push_str("}\n");
                }
                let mut d = Diagnostics::new();
                let c = crate::load_str("t.conf", &text, &crate::ReadOptions::default(), &mut d);
                crate::validate::validate(&c, &crate::Env::default(), &mut d);
            }
        }
    }

    #[test]
    fn missing_brace_block() {
        let (c, d) = load("vrrp_script chk\nvrrp_instance VI_1 {\n}\n");
        assert!(c.vrrp.scripts.is_empty());
        assert!(d.has(ErrorClass::MissingBob));
    }
}
