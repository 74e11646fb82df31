//! keepalived's sample configs through `load()` + `validate()`: the exit code keepalived-rs
//! gives must be keepalived 2.2.7's for every VRRP-bearing sample.

use keepalived_config::{load, validate::validate, Diagnostics, Env, ReadOptions};
use std::path::PathBuf;

/// `shared/reference/samples` next to the repository: CARGO_MANIFEST_DIR/../../../shared
/// for the main checkout, one level higher for a worktree under `wt/`.
fn samples_dir() -> PathBuf {
    let base = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    base.ancestors()
        .map(|a| a.join("shared/reference/samples"))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| base.join("../../../shared/reference/samples"))
}

fn env() -> Env {
    Env::with_interfaces(&["lo", "eth0", "eth1", "eth2", "eth3"])
}

fn run(name: &str) -> Diagnostics {
    let opts = ReadOptions {
        config_id: "vm".to_string(),
        all_config: false,
    };
    let mut d = Diagnostics::new();
    let cfg = load(&samples_dir().join(name), &opts, &mut d);
    validate(&cfg, &env(), &mut d);
    d
}

/// `keepalived -t -f SAMPLE` exit codes of Debian's keepalived 2.2.7, run in a network
/// namespace with eth0..eth3 and config id `vm`, copied from
/// /work/notes/samples-keepalived-t.txt (the VRRP-bearing samples).
const VRRP_SAMPLES: &[(&str, i32)] = &[
    ("keepalived.conf.SSL_GET", 5),
    ("keepalived.conf.conditional_conf", 5),
    ("keepalived.conf.sample", 0),
    ("keepalived.conf.track_interface", 5),
    ("keepalived.conf.vrrp", 0),
    ("keepalived.conf.vrrp.lvs_syncd", 5),
    ("keepalived.conf.vrrp.routes", 5),
    ("keepalived.conf.vrrp.rules", 5),
    ("keepalived.conf.vrrp.scripts", 0),
    ("keepalived.conf.vrrp.static_ipaddress", 5),
    ("keepalived.conf.vrrp.sync", 0),
    ("extra/docker-keepalived.conf", 0),
    ("extra/etc-keepalived.conf", 5),
];

/// keepalived gives 6 for this one because of script security (validate/scripts.rs, not
/// the VRRP side); the VRRP checks alone must find nothing.
const SCRIPT_SECURITY_ONLY: &str = "keepalived.conf.vrrp.localcheck";

/// Samples without any VRRP block (keepalived: 0 except fwmark, a checker warning).
const NON_VRRP_SAMPLES: &[&str] = &[
    "keepalived.conf.HTTP_GET.port",
    "keepalived.conf.IPv6",
    "keepalived.conf.PING_CHECK",
    "keepalived.conf.SMTP_CHECK",
    "keepalived.conf.UDP_CHECK",
    "keepalived.conf.fwmark",
    "keepalived.conf.inhibit",
    "keepalived.conf.misc_check",
    "keepalived.conf.misc_check_arg",
    "keepalived.conf.quorum",
    "keepalived.conf.status_code",
    "keepalived.conf.virtual_server_group",
    "keepalived.conf.virtualhost",
];

#[test]
fn vrrp_samples_exit_like_keepalived() {
    let mut bad = Vec::new();
    for (name, want) in VRRP_SAMPLES {
        let d = run(name);
        if d.exit_code() != *want {
            bad.push(format!(
                "{name}: keepalived {want}, we {}:\n  {}",
                d.exit_code(),
                d.errors()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("\n  ")
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn localcheck_vrrp_side_is_clean() {
    let opts = ReadOptions {
        config_id: "vm".to_string(),
        all_config: false,
    };
    let mut d = Diagnostics::new();
    let cfg = load(&samples_dir().join(SCRIPT_SECURITY_ONLY), &opts, &mut d);
    keepalived_config::validate::vrrp::validate(&cfg, &env(), &mut d);
    assert_eq!(d.worst(), None, "{:?}", d.items);
    assert!(cfg.has_vrrp());
    // Its scripts are what makes keepalived complain (script security not enabled).
    assert!(cfg.scripts().iter().any(|(what, _)| *what == "vrrp_script"));
}

#[test]
fn non_vrrp_samples_have_no_vrrp_config() {
    for name in NON_VRRP_SAMPLES {
        let opts = ReadOptions {
            config_id: "vm".to_string(),
            all_config: false,
        };
        let mut d = Diagnostics::new();
        let cfg = load(&samples_dir().join(name), &opts, &mut d);
        assert!(!cfg.has_vrrp(), "{name}");
        let mut v = Diagnostics::new();
        keepalived_config::validate::vrrp::validate(&cfg, &env(), &mut v);
        assert!(v.items.is_empty(), "{name}: {:?}", v.items);
    }
}

#[test]
fn sample_messages_carry_keepalived_lines() {
    let d = run("keepalived.conf.track_interface");
    let msgs: Vec<String> = d.items.iter().map(|i| i.to_string()).collect();
    let has = |line: u32, text: &str| {
        d.items
            .iter()
            .any(|i| i.loc.as_ref().map(|l| l.line) == Some(line) && i.msg.contains(text))
    };
    assert!(
        has(
            16,
            "WARNING - interface eth0.1 for vrrp_instance VI_1 doesn't exist"
        ),
        "{msgs:?}"
    );
    assert!(
        has(31, "cannot track route 192.168.112.0/24 with no interface"),
        "{msgs:?}"
    );
    let d = run("keepalived.conf.vrrp.rules");
    let has = |line: u32, text: &str| {
        d.items
            .iter()
            .any(|i| i.loc.as_ref().map(|l| l.line) == Some(line) && i.msg.contains(text))
    };
    assert!(has(10, "setting to 16384"));
    assert!(has(11, "VRRP parsed invalid IP 192.168.100./24"));
    assert!(has(25, "setting to 16383"));
    let d = run("keepalived.conf.vrrp.lvs_syncd");
    assert!(d.items.iter().any(|i| i.msg == "Unknown keyword 'VI_2'"));
    assert!(d
        .items
        .iter()
        .any(|i| i.msg.contains("Sync group VG1 has no virtual router(s)")));
}
