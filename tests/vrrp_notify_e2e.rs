//! End-to-end tests of notifies, notify FIFOs and sync groups (issue 5): the real
//! keepalived-rs binary, and Debian's keepalived 2.2.7 run on the same config as the
//! reference, in network namespaces this file creates (`kno<pid>x<n>-*`, veth pairs and
//! bridges, documentation addresses only). Needs root; fails (never skips) without it.
//!
//! Tests run one at a time (a lock): they measure orders and compare two daemons' outputs.
//! Every namespace is deleted in Drop after SIGKILL to whatever runs in it; every daemon is
//! SIGKILLed with its process group in Drop.

mod vrrp_lab;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use keepalived_rs_tests::require_root;
use nix::sys::signal::Signal;
use nix::unistd::Pid;
use vrrp_lab::{delete_netns, fifo_reader, launch, serial, wait_for, Impl, Netns, Proc};

/// Namespaces created by one test, deleted (after killing what runs in them) on drop.
struct Topo {
    prefix: String,
    made: Vec<String>,
    dir: tempfile::TempDir,
}

impl Topo {
    fn new() -> Topo {
        require_root();
        static N: AtomicU32 = AtomicU32::new(0);
        Topo {
            prefix: format!(
                "kno{}x{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ),
            made: Vec::new(),
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn ns(&self, name: &str) -> String {
        format!("{}-{name}", self.prefix)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn add_ns(&mut self, name: &str) {
        let ns = self.ns(name);
        run(&["ip", "netns", "add", &ns]);
        self.made.push(ns.clone());
        run(&["ip", "-n", &ns, "link", "set", "lo", "up"]);
    }

    /// One namespace `n1` with a veth pair `e0`/`e0p`, both up, `e0` at 192.0.2.1/24.
    fn one_node() -> Topo {
        let mut t = Topo::new();
        t.add_ns("n1");
        t.ip(
            "n1",
            &["link", "add", "e0", "type", "veth", "peer", "name", "e0p"],
        );
        t.ip("n1", &["link", "set", "e0", "up"]);
        t.ip("n1", &["link", "set", "e0p", "up"]);
        t.ip("n1", &["addr", "add", "192.0.2.1/24", "dev", "e0"]);
        t
    }

    /// `ip -n NS ARGS...`, which must succeed.
    fn ip(&self, name: &str, args: &[&str]) {
        let ns = self.ns(name);
        let mut v = vec!["ip", "-n", ns.as_str()];
        v.extend_from_slice(args);
        run(&v);
    }

    /// A veth pair `a_if` in `a` and `b_if` in `b`, both up.
    fn veth(&self, a: &str, a_if: &str, b: &str, b_if: &str) {
        let (na, nb) = (self.ns(a), self.ns(b));
        run(&[
            "ip", "-n", &na, "link", "add", a_if, "type", "veth", "peer", "name", b_if, "netns",
            &nb,
        ]);
        self.ip(a, &["link", "set", a_if, "up"]);
        self.ip(b, &["link", "set", b_if, "up"]);
    }

    /// A bridge `br` in namespace `ns` (multicast snooping off, STP off).
    fn bridge(&self, ns: &str, br: &str) {
        self.ip(ns, &["link", "add", br, "type", "bridge"]);
        self.ip(
            ns,
            &[
                "link",
                "set",
                br,
                "type",
                "bridge",
                "mcast_snooping",
                "0",
                "stp_state",
                "0",
                "forward_delay",
                "0",
            ],
        );
        self.ip(ns, &["link", "set", br, "up"]);
    }
}

impl Drop for Topo {
    fn drop(&mut self) {
        delete_netns(&self.made);
    }
}

impl Netns for Topo {
    fn ns(&self, node: &str) -> String {
        Topo::ns(self, node)
    }

    fn dir(&self) -> &Path {
        self.dir.path()
    }
}

fn run(args: &[&str]) {
    let st = Command::new(args[0])
        .args(&args[1..])
        .status()
        .expect("run command");
    assert!(st.success(), "{args:?} failed");
}

/// Starts `which` with `conf` in NODE (`-n -l -D -P`), files tagged `tag`.
fn start(t: &Topo, node: &str, which: Impl, conf: &str, tag: &str) -> Proc {
    launch(t, node, which, conf, tag, &["-D", "-P"], &[])
}

/// A script that appends one line per call to its first argument: the other arguments,
/// each in brackets.
fn recorder(t: &Topo) -> String {
    let p = t.path("rec.sh");
    fs::write(
        &p,
        "#!/bin/sh\nout=$1; shift\nline=\nfor a in \"$@\"; do line=\"$line [$a]\"; done\necho \"call$line\" >> \"$out\"\n",
    )
    .expect("write recorder");
    fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).expect("chmod");
    p.display().to_string()
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_default()
}

/// What one implementation produced in the notify scenario.
#[derive(Debug, Default)]
struct Recorded {
    /// Each script's record file name -> its lines.
    scripts: Vec<(String, Vec<String>)>,
    /// The lines read from `vrrp_notify_fifo` by an outside reader.
    vfifo: Vec<String>,
    /// The lines the `notify_fifo_script` reader got, and its arguments.
    gfifo: Vec<String>,
    reader_args: Vec<String>,
}

/// Node n1 (the implementation under test) has VI_1 on d0 and VI_2 on d1 in sync group
/// G1, and VI_3 on d0 with `notify_master_rx_lower_pri`; node n2 runs keepalived-rs with a
/// priority-50 VI_3 that answers a higher priority advert once
/// (`higher_prio_send_advert`), which n1 receives as MASTER. Then d1 goes down (G1 to
/// FAULT) and up (G1 back to MASTER), then SIGTERM.
fn notify_scenario(which: Impl) -> Recorded {
    let mut t = Topo::new();
    t.add_ns("n1");
    t.add_ns("n2");
    t.veth("n1", "d0", "n2", "d0p");
    t.ip(
        "n1",
        &["link", "add", "d1", "type", "veth", "peer", "name", "d1p"],
    );
    t.ip("n1", &["link", "set", "d1", "up"]);
    t.ip("n1", &["link", "set", "d1p", "up"]);
    t.ip("n1", &["addr", "add", "192.0.2.1/24", "dev", "d0"]);
    t.ip("n1", &["addr", "add", "198.51.100.1/24", "dev", "d1"]);
    t.ip("n2", &["addr", "add", "192.0.2.2/24", "dev", "d0p"]);
    let rec = recorder(&t);
    let d = t.dir.path().display().to_string();
    let reader = t.path("reader.sh");
    fs::write(
        &reader,
        format!(
            "#!/bin/sh\necho \"$*\" > {d}/reader-args\nfor last; do :; done\nwhile read -r l; do echo \"$l\" >> {d}/gfifo.txt; done < \"$last\"\n"
        ),
    )
    .expect("reader");
    fs::set_permissions(&reader, fs::Permissions::from_mode(0o755)).expect("chmod");
    // The outside reader of vrrp_notify_fifo: the FIFO exists before the daemon starts.
    let vfifo = t.path("vfifo");
    let vout = t.path("vfifo.txt");
    let _cat = fifo_reader(&vfifo, &vout, t.path("none"));
    let s = |f: &str| format!("\"{rec} {d}/{f}\"");
    let inst = |name: &str, ifname: &str, vrid: u8, vip: &str, extra: &str| {
        format!(
            "vrrp_instance {name} {{\n interface {ifname}\n virtual_router_id {vrid}\n priority 100\n version 3\n advert_int 0.1\n virtual_ipaddress {{\n  {vip}\n }}\n{extra}}}\n"
        )
    };
    let conf = format!(
        "global_defs {{\n router_id n1\n script_user root\n enable_script_security\n notify_fifo {d}/gfifo\n notify_fifo_script \"{} extra\"\n vrrp_notify_fifo {d}/vfifo\n}}\n\
         vrrp_sync_group G1 {{\n group {{\n  VI_1\n  VI_2\n }}\n notify_master {}\n notify_backup {}\n notify_fault {}\n notify_stop {}\n notify {}\n}}\n{}{}{}",
        reader.display(),
        s("g-master"),
        s("g-backup"),
        s("g-fault"),
        s("g-stop"),
        s("g-generic"),
        inst(
            "VI_1",
            "d0",
            51,
            "192.0.2.100/24",
            &format!(
                " notify_master {}\n notify_backup {}\n notify_fault {}\n notify_stop {}\n notify {}\n",
                s("i1-master"),
                s("i1-backup"),
                s("i1-fault"),
                s("i1-stop"),
                s("i1-generic")
            )
        ),
        inst("VI_2", "d1", 52, "198.51.100.100/24", &format!(" notify {}\n", s("i2-generic"))),
        inst(
            "VI_3",
            "d0",
            53,
            "203.0.113.100/24",
            &format!(
                " notify {}\n notify_master_rx_lower_pri {}\n",
                s("i3-generic"),
                s("i3-rxlower")
            )
        ),
    );
    let peer_conf = "vrrp_instance VI_3 {\n interface d0p\n virtual_router_id 53\n priority 50\n version 3\n advert_int 0.1\n higher_prio_send_advert\n virtual_ipaddress {\n  203.0.113.100/24\n }\n}\n";
    let peer = start(&t, "n2", Impl::Rs, peer_conf, "peer");
    wait_for(
        "the peer to be MASTER",
        Duration::from_secs(5),
        || t.holds_on("n2", "d0p", "203.0.113.100"),
        &[&peer],
    );
    let mut n1 = start(&t, "n1", which, &conf, "a");
    let vlines = || read(&vout);
    wait_for(
        "G1 MASTER and a lower-priority advert",
        Duration::from_secs(10),
        || {
            let v = vlines();
            v.contains("GROUP \"G1\" MASTER 0") && v.contains("MASTER_RX_LOWER_PRI")
        },
        &[&n1, &peer],
    );
    t.ip("n1", &["link", "set", "d1", "down"]);
    wait_for(
        "G1 FAULT",
        Duration::from_secs(5),
        || vlines().contains("GROUP \"G1\" FAULT 0"),
        &[&n1],
    );
    t.ip("n1", &["link", "set", "d1", "up"]);
    wait_for(
        "G1 MASTER again",
        Duration::from_secs(10),
        || vlines().matches("GROUP \"G1\" MASTER 0").count() == 2,
        &[&n1],
    );
    // Let the last notifies run before stopping.
    std::thread::sleep(Duration::from_millis(500));
    assert!(n1.term_and_wait(Duration::from_secs(10)), "{}", n1.log());
    std::thread::sleep(Duration::from_millis(300));
    let lines = |p: &Path| read(p).lines().map(str::to_string).collect::<Vec<_>>();
    let mut r = Recorded {
        vfifo: lines(&vout),
        gfifo: lines(&t.path("gfifo.txt")),
        reader_args: read(&t.path("reader-args"))
            .split_whitespace()
            .map(str::to_string)
            .collect(),
        ..Recorded::default()
    };
    for f in [
        "g-master",
        "g-backup",
        "g-fault",
        "g-stop",
        "g-generic",
        "i1-master",
        "i1-backup",
        "i1-fault",
        "i1-stop",
        "i1-generic",
        "i2-generic",
        "i3-generic",
        "i3-rxlower",
    ] {
        r.scripts.push((f.to_string(), lines(&t.path(f))));
    }
    eprintln!("{which:?} log:\n{}", n1.log());
    r
}

/// The lines of `lines` that name `who` (`"VI_1"`, `"G1"`), in order.
/// `MASTER_RX_LOWER_PRI` lines are left out (their number depends on the peer's timing).
fn of<'a>(lines: &'a [String], who: &str) -> Vec<&'a String> {
    let q = format!("\"{who}\"");
    lines
        .iter()
        .filter(|l| l.contains(&q) && !l.contains("MASTER_RX_LOWER_PRI"))
        .collect()
}

#[test]
fn notify_arguments_and_fifo_lines_match_keepalived() {
    require_root();
    let _g = serial();
    let ka = notify_scenario(Impl::Keepalived);
    let rs = notify_scenario(Impl::Rs);
    // Each script got exactly the arguments keepalived gives, the same number of times.
    // (How many lower-priority adverts the master sees depends on the peer's timing:
    // one or two; each call has only the script's own arguments.)
    for ((f, k), (_, r)) in ka.scripts.iter().zip(&rs.scripts) {
        if f == "i3-rxlower" {
            assert!(!r.is_empty() && !k.is_empty(), "{r:?} {k:?}");
            assert!(r.iter().chain(k).all(|l| l == "call"), "{r:?} {k:?}");
            continue;
        }
        assert_eq!(r, k, "script record {f}: ours {r:?}, keepalived {k:?}");
    }
    let expect_generic = [
        "call [INSTANCE] [VI_1] [BACKUP] [100]",
        "call [INSTANCE] [VI_1] [MASTER] [100]",
        "call [INSTANCE] [VI_1] [FAULT] [100]",
        "call [INSTANCE] [VI_1] [BACKUP] [100]",
        "call [INSTANCE] [VI_1] [MASTER] [100]",
        "call [INSTANCE] [VI_1] [STOP] [100]",
    ];
    let i1 = &rs
        .scripts
        .iter()
        .find(|(f, _)| f == "i1-generic")
        .expect("i1")
        .1;
    assert_eq!(
        i1, &expect_generic,
        "keepalived's own record: {:?}",
        ka.scripts
    );
    let g = &rs
        .scripts
        .iter()
        .find(|(f, _)| f == "g-generic")
        .expect("g")
        .1;
    assert_eq!(
        g.first().map(String::as_str),
        Some("call [GROUP] [G1] [BACKUP] [0]")
    );
    // FIFO lines: per instance and group, the same sequence as keepalived's.
    for who in ["VI_1", "VI_2", "VI_3", "G1"] {
        assert_eq!(
            of(&rs.vfifo, who),
            of(&ka.vfifo, who),
            "vrrp_notify_fifo lines of {who}\nours {:#?}\nkeepalived {:#?}",
            rs.vfifo,
            ka.vfifo
        );
    }
    for r in [&rs.vfifo, &ka.vfifo] {
        assert!(r
            .iter()
            .any(|l| l == "INSTANCE \"VI_3\" MASTER_RX_LOWER_PRI 100"));
    }
    assert!(rs.vfifo.iter().any(|l| l == "GROUP \"G1\" STOP 0"));
    // Within the group: the first state before the members', later ones after them.
    let grp = of(&rs.vfifo, "G1");
    let pos = |l: &str| rs.vfifo.iter().position(|x| x == l).expect("line");
    assert_eq!(grp[0], "GROUP \"G1\" BACKUP 0");
    assert!(pos("GROUP \"G1\" BACKUP 0") < pos("INSTANCE \"VI_1\" BACKUP 100"));
    assert!(pos("GROUP \"G1\" FAULT 0") > pos("INSTANCE \"VI_1\" FAULT 100"));
    assert!(pos("GROUP \"G1\" FAULT 0") > pos("INSTANCE \"VI_2\" FAULT 100"));
    // At stop: every instance's STOP, then the group's (both implementations).
    for (who, lines) in [("ours", &rs.vfifo), ("keepalived", &ka.vfifo)] {
        let last_inst = lines
            .iter()
            .rposition(|l| l.starts_with("INSTANCE") && l.contains(" STOP "));
        let grp = lines.iter().position(|l| l == "GROUP \"G1\" STOP 0");
        assert!(
            last_inst.is_some() && grp > last_inst,
            "{who}: group STOP before an instance's: {lines:#?}"
        );
    }
    // The notify_fifo_script reader: its arguments plus the FIFO's path, as keepalived.
    assert_eq!(rs.reader_args.len(), 2, "{:?}", rs.reader_args);
    assert_eq!(rs.reader_args[0], "extra");
    assert!(rs.reader_args[1].ends_with("/gfifo"));
    assert_eq!(ka.reader_args[0], "extra");
    // keepalived kills its FIFO reader at exit, which loses the STOP lines; ours gets
    // every line, the STOP ones included.
    let rs_g: Vec<&String> = rs.gfifo.iter().filter(|l| !l.contains(" STOP ")).collect();
    let ka_g: Vec<&String> = ka.gfifo.iter().filter(|l| !l.contains(" STOP ")).collect();
    for who in ["VI_1", "VI_2", "G1"] {
        let q = format!("\"{who}\"");
        let a: Vec<_> = rs_g.iter().filter(|l| l.contains(&q)).collect();
        let b: Vec<_> = ka_g.iter().filter(|l| l.contains(&q)).collect();
        assert_eq!(a, b, "notify_fifo reader lines of {who}");
    }
    assert!(
        rs.gfifo.iter().any(|l| l == "GROUP \"G1\" STOP 0"),
        "{:?}",
        rs.gfifo
    );
}

/// 100 state changes in a burst (link down/up 50 times through `ip -batch`): the FIFO gets
/// every transition in order; the scripts of the instance never run two at once, run in
/// the order of the transitions (a newer transition supersedes runs not started yet,
/// docs/notify.md), and the last one run names the final state.
#[test]
fn a_hundred_rapid_state_changes_notify_in_order_one_at_a_time() {
    require_root();
    let _g = serial();
    let t = Topo::one_node();
    let d = t.dir.path().display().to_string();
    let slow = t.path("slow.sh");
    // Records its start and end; a second script of the instance starting before the
    // first ended would show as two starts in a row.
    fs::write(
        &slow,
        "#!/bin/sh\nout=$1; shift\necho \"start $* $$\" >> \"$out\"\nsleep 0.02\necho \"end $$\" >> \"$out\"\n",
    )
    .expect("slow.sh");
    fs::set_permissions(&slow, fs::Permissions::from_mode(0o755)).expect("chmod");
    let vfifo = t.path("vfifo");
    let vout = t.path("vfifo.txt");
    let _cat = fifo_reader(&vfifo, &vout, t.path("none"));
    let rec = format!("{d}/rec.txt");
    let sl = slow.display();
    let conf = format!(
        "global_defs {{\n script_user root\n vrrp_notify_fifo {d}/vfifo\n}}\n\
         vrrp_instance VI_1 {{\n interface e0\n virtual_router_id 51\n priority 100\n version 3\n advert_int 1\n virtual_ipaddress {{\n  192.0.2.100/24\n }}\n \
         notify_backup \"{sl} {rec} specific BACKUP\"\n notify_fault \"{sl} {rec} specific FAULT\"\n notify_master \"{sl} {rec} specific MASTER\"\n notify \"{sl} {rec}\"\n}}\n"
    );
    let mut n1 = start(&t, "n1", Impl::Rs, &conf, "a");
    wait_for(
        "BACKUP",
        Duration::from_secs(5),
        || read(&vout).contains("BACKUP"),
        &[&n1],
    );
    let batch = t.path("flap");
    let mut b = String::new();
    for _ in 0..50 {
        b.push_str("link set e0 down\nlink set e0 up\n");
    }
    fs::write(&batch, b).expect("batch");
    let t0 = Instant::now();
    t.ip("n1", &["-batch", &batch.display().to_string()]);
    let flap = t0.elapsed();
    // BACKUP after the last link up, then MASTER when its down timer runs out (~3.6 s).
    wait_for(
        "MASTER after the flapping",
        Duration::from_secs(15),
        || read(&vout).contains("MASTER"),
        &[&n1],
    );
    wait_for(
        "the MASTER notifies",
        Duration::from_secs(15),
        || read(&t.path("rec.txt")).contains("start INSTANCE VI_1 MASTER"),
        &[&n1],
    );
    std::thread::sleep(Duration::from_millis(300));
    let fifo: Vec<String> = read(&vout).lines().map(str::to_string).collect();
    let states: Vec<&str> = fifo
        .iter()
        .filter_map(|l| l.split_whitespace().nth(2))
        .collect();
    let transitions = states.len();
    assert!(
        transitions >= 100,
        "{transitions} transitions seen: {states:?}\n{}",
        n1.log()
    );
    assert!(
        states.windows(2).all(|w| w[0] != w[1]),
        "every FIFO line is a change: {states:?}"
    );
    assert_eq!(states.first(), Some(&"BACKUP"));
    assert_eq!(states.last(), Some(&"MASTER"));
    // The scripts: strictly start, end, start, end...; their states in FIFO order.
    let rec_text = read(&t.path("rec.txt"));
    let rec_lines: Vec<&str> = rec_text.lines().collect();
    let mut delivered = Vec::new();
    for pair in rec_lines.chunks(2) {
        let [s, e] = pair else {
            panic!("a script did not end: {pair:?}");
        };
        let pid_s = s.split_whitespace().last();
        let pid_e = e.split_whitespace().last();
        assert!(
            s.starts_with("start ") && e.starts_with("end ") && pid_s == pid_e,
            "two notifies of VI_1 overlapped: {s:?} {e:?}\n{rec_text}"
        );
        // "start specific FAULT PID" or "start INSTANCE VI_1 FAULT 100 PID"
        let w: Vec<&str> = s.split_whitespace().collect();
        let st = if w.get(1) == Some(&"specific") {
            w[2]
        } else {
            w[3]
        };
        delivered.push(st);
    }
    // A transition runs its specific script then the generic one: the same state twice.
    let mut collapsed = delivered.clone();
    collapsed.dedup();
    let mut it = states.iter();
    for st in &collapsed {
        assert!(
            it.any(|x| x == st),
            "notify for {st} out of order: delivered {delivered:?}, transitions {states:?}"
        );
    }
    assert_eq!(delivered.last(), Some(&"MASTER"));
    // The generic notify for MASTER ran after the specific one.
    assert!(rec_text.contains("start INSTANCE VI_1 MASTER 100"));
    eprintln!(
        "{transitions} transitions in {flap:?} (ip -batch); {} notify runs delivered in order, one at a time (2 per transition without coalescing: {})",
        delivered.len(),
        transitions * 2
    );
    assert!(n1.term_and_wait(Duration::from_secs(10)));
}

/// Two nodes joined by two bridged links (net0: 192.0.2.0/24, net1: 198.51.100.0/24);
/// each node runs VI_1 on its first link and VI_2 on its second in one sync group; n1
/// (priority 200, `a`) is MASTER of both. n1's second link goes down: VI_2 faults and
/// takes VI_1 with it, so n2 (`b`) holds both VIPs (without the group, n1 would keep
/// VI_1). Link back up: n1 preempts both again.
fn sync_group_pair(a: Impl, b: Impl) {
    let mut t = Topo::new();
    for n in ["br", "n1", "n2"] {
        t.add_ns(n);
    }
    t.bridge("br", "br0");
    t.bridge("br", "br1");
    for (node, host) in [("n1", 1), ("n2", 2)] {
        for (link, br, net) in [(0, "br0", "192.0.2"), (1, "br1", "198.51.100")] {
            let port = format!("{node}l{link}");
            let ifname = format!("eth{link}");
            t.veth("br", &port, node, &ifname);
            t.ip("br", &["link", "set", &port, "master", br]);
            t.ip(
                node,
                &["addr", "add", &format!("{net}.{host}/24"), "dev", &ifname],
            );
        }
    }
    let conf = |prio: u8| {
        format!(
            "vrrp_sync_group G1 {{\n group {{\n  VI_1\n  VI_2\n }}\n}}\n\
             vrrp_instance VI_1 {{\n interface eth0\n virtual_router_id 51\n priority {prio}\n version 3\n advert_int 0.1\n virtual_ipaddress {{\n  192.0.2.100/24\n }}\n}}\n\
             vrrp_instance VI_2 {{\n interface eth1\n virtual_router_id 52\n priority {prio}\n version 3\n advert_int 0.1\n virtual_ipaddress {{\n  198.51.100.100/24\n }}\n}}\n"
        )
    };
    let n1 = start(&t, "n1", a, &conf(200), "a");
    let n2 = start(&t, "n2", b, &conf(100), "a");
    let both = |node: &str| {
        t.holds_on(node, "eth0", "192.0.2.100") && t.holds_on(node, "eth1", "198.51.100.100")
    };
    let none = |node: &str| {
        !t.holds_on(node, "eth0", "192.0.2.100") && !t.holds_on(node, "eth1", "198.51.100.100")
    };
    wait_for(
        "n1 MASTER of both",
        Duration::from_secs(10),
        || both("n1") && none("n2"),
        &[&n1, &n2],
    );
    std::thread::sleep(Duration::from_millis(300));
    let t0 = Instant::now();
    t.ip("n1", &["link", "set", "eth1", "down"]);
    wait_for(
        "n2 MASTER of both after n1's eth1 went down",
        Duration::from_secs(5),
        || both("n2") && !t.holds_on("n1", "eth0", "192.0.2.100"),
        &[&n1, &n2],
    );
    let took = t0.elapsed();
    // And it stays that way (n1's VI_1 is held in FAULT by its group).
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        both("n2") && !t.holds_on("n1", "eth0", "192.0.2.100"),
        "{}\n{}",
        n1.log(),
        n2.log()
    );
    t.ip("n1", &["link", "set", "eth1", "up"]);
    wait_for(
        "n1 MASTER of both again",
        Duration::from_secs(10),
        || both("n1") && none("n2"),
        &[&n1, &n2],
    );
    eprintln!("sync group {a:?}/{b:?}: both instances moved to the peer in {took:?}");
}

#[test]
fn sync_group_moves_both_instances_when_one_link_fails() {
    require_root();
    let _g = serial();
    sync_group_pair(Impl::Rs, Impl::Rs);
}

#[test]
fn sync_group_interop_with_keepalived_as_the_peer() {
    require_root();
    let _g = serial();
    sync_group_pair(Impl::Rs, Impl::Keepalived);
}

/// `kill -9` of the VRRP child: the supervisor restarts it and hands the MASTER state back
/// (hitless restart), so no notify runs again; the old child's FIFO reader dies with it
/// (parent-death signal, as keepalived) and the new child starts one, so exactly one reader
/// gets the lines, the STOP lines at the end included.
#[test]
fn hitless_restart_sends_no_notify_and_leaves_one_fifo_reader() {
    require_root();
    let _g = serial();
    let t = Topo::one_node();
    let rec = recorder(&t);
    let d = t.dir.path().display().to_string();
    let reader = t.path("kno-reader.sh");
    fs::write(
        &reader,
        // Opened read-write, as many readers do so they never see end of file: only the
        // parent-death signal can end the old child's reader.
        format!(
            "#!/bin/sh\nexec 3<> \"$1\"\nwhile read -r l <&3; do echo \"$l\" >> {d}/lines.txt; done\n"
        ),
    )
    .expect("reader");
    fs::set_permissions(&reader, fs::Permissions::from_mode(0o755)).expect("chmod");
    let conf = format!(
        "global_defs {{\n script_user root\n notify_fifo {d}/gfifo\n notify_fifo_script {}\n}}\n\
         vrrp_instance VI_1 {{\n interface e0\n virtual_router_id 51\n priority 100\n version 3\n advert_int 0.1\n virtual_ipaddress {{\n  192.0.2.100/24\n }}\n notify \"{rec} {d}/gen\"\n}}\n",
        reader.display()
    );
    let mut n1 = start(&t, "n1", Impl::Rs, &conf, "a");
    let gen = t.path("gen");
    wait_for(
        "MASTER notify",
        Duration::from_secs(10),
        || read(&gen).contains("[MASTER]"),
        &[&n1],
    );
    let readers = || {
        let out = Command::new("pgrep")
            .args(["-f", &reader.display().to_string()])
            .output()
            .expect("pgrep");
        String::from_utf8_lossy(&out.stdout).lines().count()
    };
    assert_eq!(readers(), 1, "{}", n1.log());
    let vpid_file = t.path("n1-a-vpid");
    let old: i32 = read(&vpid_file).trim().parse().expect("vrrp pid");
    nix::sys::signal::kill(Pid::from_raw(old), Signal::SIGKILL).expect("kill -9 the VRRP child");
    wait_for(
        "the VRRP child back in MASTER",
        Duration::from_secs(10),
        || {
            read(&vpid_file)
                .trim()
                .parse::<i32>()
                .is_ok_and(|p| p != old)
                && n1.log().contains("resumed in MASTER STATE")
        },
        &[&n1],
    );
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        readers(),
        1,
        "one FIFO reader after the restart\n{}",
        n1.log()
    );
    assert_eq!(
        read(&gen).lines().collect::<Vec<_>>(),
        [
            "call [INSTANCE] [VI_1] [BACKUP] [100]",
            "call [INSTANCE] [VI_1] [MASTER] [100]"
        ],
        "no notify for a restored state\n{}",
        n1.log()
    );
    assert!(n1.term_and_wait(Duration::from_secs(10)), "{}", n1.log());
    std::thread::sleep(Duration::from_millis(300));
    let lines = read(&t.path("lines.txt"));
    assert_eq!(
        lines.lines().collect::<Vec<_>>(),
        [
            "INSTANCE \"VI_1\" BACKUP 100",
            "INSTANCE \"VI_1\" MASTER 100",
            "INSTANCE \"VI_1\" STOP 100"
        ],
        "{}",
        n1.log()
    );
    assert_eq!(readers(), 0, "the reader ended with the daemon");
    assert!(read(&gen).contains("[STOP]"));
}
