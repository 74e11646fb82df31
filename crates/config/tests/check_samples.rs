//! keepalived's sample configs with virtual servers: our `-t` verdict must equal keepalived
//! 2.2.7's. The expected exit codes come from /work/notes/samples-keepalived-t.txt (Debian's
//! keepalived 2.2.7 `-t` run in a netns with eth0..eth3, config id `vm`).

use keepalived_config::model::check::{CheckerKind, VsTarget};
use keepalived_config::parse::check as pcheck;
use keepalived_config::validate::{self, Env};
use keepalived_config::{load, read_tree, Diagnostics, ReadOptions};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn samples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference/samples")
}

fn env() -> Env {
    let interfaces: BTreeSet<String> = ["lo", "eth0", "eth1", "eth2", "eth3"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    Env {
        interfaces: Some(interfaces),
        ..Env::default()
    }
}

fn opts() -> ReadOptions {
    ReadOptions {
        config_id: "vm".into(),
        all_config: false,
    }
}

/// The samples without `vrrp_instance`, with keepalived 2.2.7's `-t` exit code.
const CHECK_ONLY: &[(&str, i32)] = &[
    ("keepalived.conf.HTTP_GET.port", 0),
    ("keepalived.conf.IPv6", 0),
    ("keepalived.conf.PING_CHECK", 0),
    ("keepalived.conf.SMTP_CHECK", 0),
    ("keepalived.conf.UDP_CHECK", 0),
    // "Warning: Virtual server FWM 1: protocol specified for fwmark - protocol will be ignored"
    ("keepalived.conf.fwmark", 5),
    ("keepalived.conf.inhibit", 0),
    ("keepalived.conf.misc_check", 0),
    ("keepalived.conf.misc_check_arg", 0),
    ("keepalived.conf.quorum", 0),
    ("keepalived.conf.status_code", 0),
    ("keepalived.conf.virtual_server_group", 0),
    ("keepalived.conf.virtualhost", 0),
];

/// Samples that also have VRRP; keepalived's non-zero verdicts for these come from the
/// VRRP/global side, so the checker side must report nothing.
const MIXED: &[&str] = &[
    "keepalived.conf.SSL_GET",
    "keepalived.conf.sample",
    "keepalived.conf.vrrp.lvs_syncd",
    "extra/etc-keepalived.conf",
];

#[test]
fn check_only_samples_match_keepalived() {
    let dir = samples();
    if !dir.is_dir() {
        eprintln!("samples not found at {}; skipping", dir.display());
        return;
    }
    let mut failures = Vec::new();
    for (name, want) in CHECK_ONLY {
        let mut d = Diagnostics::new();
        let cfg = load(&dir.join(name), &opts(), &mut d);
        validate::validate(&cfg, &env(), &mut d);
        assert!(cfg.has_check(), "{name}: no virtual servers parsed");
        if d.exit_code() != *want {
            let msgs: Vec<String> = d.errors().map(|x| x.to_string()).collect();
            failures.push(format!(
                "{name}: got {} want {want}: {msgs:?}",
                d.exit_code()
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn fwmark_sample_fails_for_keepalived_reason() {
    let dir = samples();
    if !dir.is_dir() {
        return;
    }
    let mut d = Diagnostics::new();
    let cfg = load(&dir.join("keepalived.conf.fwmark"), &opts(), &mut d);
    validate::validate(&cfg, &env(), &mut d);
    let errs: Vec<String> = d.errors().map(|x| x.msg.clone()).collect();
    assert_eq!(
        errs,
        ["Warning: Virtual server FWM 1: protocol specified for fwmark - protocol will be ignored"]
    );
}

#[test]
fn mixed_samples_have_clean_checker_side() {
    let dir = samples();
    if !dir.is_dir() {
        return;
    }
    for name in MIXED {
        let mut d = Diagnostics::new();
        let tree = read_tree(&dir.join(name), &opts(), &mut d);
        let mut cfg = keepalived_config::Config::default();
        let mut cd = Diagnostics::new();
        for node in tree.iter().filter(|n| pcheck::is_root(n.keyword())) {
            pcheck::parse_root(node, &mut cfg.check, &mut cd);
        }
        validate::check::validate(&cfg, &env(), &mut cd);
        assert!(cfg.has_check(), "{name}");
        let errs: Vec<String> = cd.errors().map(|x| x.to_string()).collect();
        assert!(errs.is_empty(), "{name}: {errs:?}");
    }
}

#[test]
fn sample_contents_are_modelled() {
    let dir = samples();
    if !dir.is_dir() {
        return;
    }
    let mut d = Diagnostics::new();
    let cfg = load(
        &dir.join("keepalived.conf.virtual_server_group"),
        &opts(),
        &mut d,
    );
    let vs = &cfg.check.virtual_servers[0];
    assert_eq!(vs.target, VsTarget::Group("VSG_1".into()));
    assert_eq!(cfg.check.group("VSG_1").map(|g| g.entries.len()), Some(6));
    assert_eq!(vs.real_servers.len(), 2);

    let mut d = Diagnostics::new();
    let cfg = load(&dir.join("keepalived.conf.SMTP_CHECK"), &opts(), &mut d);
    let hosts: usize = cfg.check.virtual_servers[0]
        .real_servers
        .iter()
        .flat_map(|r| &r.checkers)
        .map(|c| match &c.kind {
            CheckerKind::Smtp(s) => s.hosts.len(),
            _ => 0,
        })
        .sum();
    assert_eq!(hosts, 6);

    let mut d = Diagnostics::new();
    let cfg = load(&dir.join("keepalived.conf.misc_check_arg"), &opts(), &mut d);
    let scripts = cfg.scripts();
    assert_eq!(scripts.len(), 1);
    assert_eq!(scripts[0].0, "MISC_CHECK");
    assert_eq!(
        scripts[0].1.args,
        ["/usr/local/bin/script.sh", "arg1", "arg2"]
    );
}
