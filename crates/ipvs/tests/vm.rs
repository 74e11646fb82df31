//! The IPVS VM test (run by `cargo test -p keepalived-ipvs`): boots Debian's kernel under
//! qemu TCG through scripts/vm/run with examples/ipvs_vm_check and tests/vm/ipvs.sh, and
//! asserts the markers the VM prints. Needs root (to read /boot/vmlinuz-*) and qemu; fails
//! with a clear message without them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Build the example this test runs in the VM (a no-op when it is up to date).
fn driver() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "build",
            "-q",
            "-p",
            "keepalived-ipvs",
            "--example",
            "ipvs_vm_check",
        ])
        .current_dir(root())
        .status()
        .expect("run cargo build --example ipvs_vm_check");
    assert!(
        status.success(),
        "cargo build --example ipvs_vm_check failed"
    );
    // target/<profile>/deps/vm-HASH -> target/<profile>/examples/ipvs_vm_check
    let exe = std::env::current_exe().expect("current_exe");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("test binary under target/<profile>/deps");
    let example = profile_dir.join("examples").join("ipvs_vm_check");
    assert!(
        example.exists(),
        "no example binary at {}",
        example.display()
    );
    example
}

#[test]
fn ipvs_in_a_vm_matches_ipvsadm_and_carries_traffic() {
    assert!(
        is_root(),
        "this test needs root: it reads /boot/vmlinuz-* to boot Debian's kernel (which has IPVS) under qemu"
    );
    let qemu = Command::new("qemu-system-x86_64").arg("--version").output();
    assert!(
        qemu.map(|o| o.status.success()).unwrap_or(false),
        "this test needs qemu-system-x86_64 (scripts/setup-debian installs qemu-system-x86)"
    );
    let driver = driver();
    let started = Instant::now();
    let out = Command::new(root().join("scripts/vm/run"))
        .arg(&driver)
        .arg(root().join("crates/ipvs/tests/vm/ipvs.sh"))
        .env("VM_TIMEOUT", "90")
        .env(
            "VM_FILES",
            format!(
                "/usr/sbin/keepalived:/usr/sbin/keepalived {}:/test/differential.conf",
                root()
                    .join("crates/ipvs/tests/vm/differential.conf")
                    .display()
            ),
        )
        .output()
        .expect("run scripts/vm/run");
    let took = started.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let log = format!("--- VM console\n{stdout}\n--- stderr\n{stderr}");
    eprintln!("VM run took {took:?}");

    assert_eq!(out.status.code(), Some(0), "the VM test failed\n{log}");
    assert!(
        stdout.contains("KRS-VM-END status=0"),
        "no end marker\n{log}"
    );
    assert!(!stdout.contains(": FAIL"), "a check failed\n{log}");
    for check in [
        "info",
        "table-matches-desired",
        "reconcile-is-a-no-op",
        "get-one-service",
        "get-missing-service-is-none",
        "duplicate-add-is-eexist",
        "timeouts",
        "tcp-wlc-service",
        "nat-dest-1",
        "nat-dest-2",
        "setup-same-as-ipvsadm",
        "edit-plan-is-one-op",
        "weight-edited",
        "edit-same-as-ipvsadm",
        "dest-deleted",
        "dest-gone-by-ipvsadm",
        "delete-same-as-ipvsadm",
        "foreign-same-as-ipvsadm",
        "flush-empties",
        "fromconfig-table",
        "keepalived-stop-removes-its-services",
        "same-table-as-keepalived",
        "many-listed",
        "many-reconcile-is-a-no-op",
        "netns-setup",
        "local-dest-reads-back-as-set",
        "local-node-plan-is-no-op",
        "traffic-reaches-both",
        "nat-rs1-removed",
        "traffic-only-rs2",
        "nat-rs2-inhibited",
        "traffic-only-rs1",
        "nat-unchanged-is-no-op",
        "no-ipvs-error",
    ] {
        assert!(
            stdout.contains(&format!("KRS-CHECK {check}: ok")),
            "check {check} did not pass\n{log}"
        );
    }
    assert!(stdout.contains("KRS-INFO version 1.2.1"), "{log}");
    assert!(took.as_secs() < 120, "the VM test took {took:?}");
}

/// A VM that does not finish is killed at VM_TIMEOUT and reported as status 124, and no
/// qemu is left behind.
#[test]
fn vm_timeout_kills_qemu() {
    if !is_root() {
        panic!("this test needs root: it reads /boot/vmlinuz-* to boot the VM");
    }
    let dir = std::env::temp_dir().join(format!("krs-vm-timeout-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let script = dir.join("hang.sh");
    std::fs::write(&script, "echo hanging; sleep 600\n").expect("write script");
    let started = Instant::now();
    let out = Command::new(root().join("scripts/vm/run"))
        .arg("/bin/true")
        .arg(&script)
        .env("VM_TIMEOUT", "8")
        .output()
        .expect("run scripts/vm/run");
    let took = started.elapsed();
    let _ = std::fs::remove_dir_all(&dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(124), "{stderr}");
    assert!(stderr.contains("TIMEOUT"), "{stderr}");
    assert!(took.as_secs() < 30, "took {took:?}");
    let pid = stderr
        .lines()
        .find_map(|l| l.strip_prefix("vm/run: qemu pid "))
        .expect("vm/run names the qemu pid");
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    assert!(
        !String::from_utf8_lossy(&cmdline).contains("qemu-system"),
        "qemu {pid} is still running"
    );
}

/// On a host without IPVS (like this project's machines), connecting says so clearly.
#[test]
fn without_ipvs_the_error_says_so() {
    if Path::new("/proc/net/ip_vs").exists() {
        // The host kernel has IPVS: the VM test covers the error case instead.
        return;
    }
    let err = keepalived_ipvs::Ipvs::connect().expect_err("no IPVS on this host");
    assert!(matches!(err, keepalived_ipvs::IpvsError::NoIpvs), "{err:?}");
    assert_eq!(
        err.to_string(),
        "the kernel has no IPVS (module ip_vs not loaded?)"
    );
}

fn is_root() -> bool {
    // Without libc/nix as a dependency: /proc/self/status has "Uid: real effective ...".
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|e| e == "0"))
        })
        .unwrap_or(false)
}
