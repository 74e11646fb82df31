//! Integration tests of the keepalived.conf reader (preprocessor, lexer, block tree) through
//! the public API: includes (globs, braces, relative paths, nesting, missing files per
//! variant), `$NAME` definitions, `@id` lines, `~SEQ`/`~LST`, comments, quotes, brace
//! placement, and `file:line` of errors in included or expanded text. Fixtures live in
//! `tests/fixtures/`; the include matrix builds its files in temporary directories.
//! Behaviour marked "keepalived -t" was checked against Debian's keepalived 2.2.7.

use keepalived_config::lexer::Token;
use keepalived_config::tree::{self, Node, TokLine};
use keepalived_config::{preprocess, read_tree, Diagnostics, ErrorClass, ReadOptions};
use std::path::{Path, PathBuf};

fn opts(id: &str) -> ReadOptions {
    ReadOptions {
        config_id: id.into(),
        ..Default::default()
    }
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// A line as `file-suffix:line: w1 w2 { }` with the file name shortened to its last
/// component, to keep expectations readable.
fn show(lines: &[TokLine]) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            let words: Vec<&str> = l.tokens.iter().map(Token::as_str).collect();
            let file = l.loc.file.rsplit('/').next().unwrap_or("");
            format!("{file}:{}: {}", l.loc.line, words.join(" "))
        })
        .collect()
}

fn read_text(text: &str, id: &str) -> (Vec<String>, Diagnostics) {
    let mut d = Diagnostics::new();
    let lines = preprocess::read_str("t.conf", text, &opts(id), &mut d);
    (show(&lines), d)
}

fn tree_text(text: &str) -> (Vec<Node>, Diagnostics) {
    let mut d = Diagnostics::new();
    let lines = preprocess::read_str("t.conf", text, &opts("vm"), &mut d);
    (tree::build(&lines, &mut d), d)
}

fn errors(d: &Diagnostics) -> Vec<String> {
    d.errors().map(ToString::to_string).collect()
}

// ---------------------------------------------------------------- includes

#[test]
fn includes_glob_braces_relative_and_nested() {
    let mut d = Diagnostics::new();
    let lines = preprocess::read_file(&fixture("include/main.conf"), &opts("vm"), &mut d);
    let shown = show(&lines);
    let leaf_dir = std::fs::canonicalize(fixture("include/parts/deeper")).unwrap();
    assert_eq!(
        shown,
        vec![
            "main.conf:2: top_first".to_string(),
            // The glob is sorted and skips readme.txt.
            "10-a.conf:1: from_a".into(),
            "20-b.conf:2: from_b 2".into(),
            "one.conf:1: one".into(),
            "two.conf:1: two".into(),
            "nested.conf:1: nested_before".into(),
            // Relative to parts/, the including file's directory; ${_PWD} is the
            // directory of the file being read.
            format!("leaf.conf:1: leaf {}", leaf_dir.display()),
            "nested.conf:3: nested_after".into(),
            "main.conf:6: top_last".into(),
        ]
    );
    assert!(d.errors().next().is_none(), "{:?}", errors(&d));
    // Locations carry the path as reached from the main file.
    let leaf = lines
        .iter()
        .find(|l| l.loc.file.ends_with("leaf.conf"))
        .unwrap();
    assert!(
        leaf.loc.file.ends_with("include/parts/deeper/leaf.conf"),
        "{}",
        leaf.loc.file
    );
}

/// One include line per variant and kind of miss, in a fresh directory holding `ba.conf`.
fn include_case(line: &str, all_config: bool) -> (i32, Vec<String>, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ba.conf"), "brace_a\n").unwrap();
    let main = dir.path().join("main.conf");
    std::fs::write(&main, format!("x\n{line}\ny\n")).unwrap();
    let mut d = Diagnostics::new();
    let o = ReadOptions {
        config_id: "vm".into(),
        all_config,
    };
    let lines = preprocess::read_file(&main, &o, &mut d);
    let msgs = d.items.iter().map(|i| i.msg.clone()).collect();
    (d.exit_code(), show(&lines), msgs)
}

#[test]
fn missing_include_files_per_variant() {
    // (line, exit code) as keepalived -t 2.2.7 gives them; 6 is KEEPALIVED_EXIT_NO_CONFIG.
    let table = [
        ("include missing.conf", 0),
        ("includer missing.conf", 0),
        ("includem missing.conf", 6),
        ("includew missing.conf", 6),
        ("includeb missing.conf", 0),
        ("includea missing.conf", 6),
        ("include nomatch*.conf", 0),
        ("includer nomatch*.conf", 0),
        ("includem nomatch*.conf", 0),
        ("includew nomatch*.conf", 6),
        ("includeb nomatch*.conf", 0),
        ("includea nomatch*.conf", 6),
        ("include b{a,c}.conf", 0),
        ("includer b{a,c}.conf", 0),
        ("includem b{a,c}.conf", 0),
        ("includew b{a,c}.conf", 0),
        ("includeb b{a,c}.conf", 6),
        ("includea b{a,c}.conf", 6),
    ];
    for (line, want) in table {
        let (code, lines, msgs) = include_case(line, false);
        assert_eq!(code, want, "{line}: {msgs:?}");
        // Parsing always goes on after the include (keepalived -t reports 'y' too).
        assert_eq!(
            lines.last().map(String::as_str),
            Some("main.conf:3: y"),
            "{line}"
        );
        // A failed brace check skips the whole include; otherwise the existing file is read.
        let read_a = lines.iter().any(|l| l.ends_with("brace_a"));
        assert_eq!(read_a, line.contains("b{a,c}") && want == 0, "{line}");
    }
    // keepalived prints these messages (with the line) whether or not they are errors.
    let (_, _, msgs) = include_case("include missing.conf", false);
    assert_eq!(msgs, vec!["Config files missing 'missing.conf'."]);
    let (_, _, msgs) = include_case("includeb b{a,c}.conf", false);
    assert_eq!(msgs, vec!["Some config files missing: \"b{a,c}.conf\"."]);
    let (_, _, msgs) = include_case("includew nomatch*.conf", false);
    assert_eq!(msgs, vec!["No config files matched 'nomatch*.conf'."]);
}

#[test]
fn all_config_makes_every_include_strict() {
    // keepalived -t -e with `include missing.conf`: exit 6.
    let (code, _, _) = include_case("include missing.conf", true);
    assert_eq!(code, 6);
    let (code, lines, _) = include_case("include ba.conf", true);
    assert_eq!(code, 0);
    assert!(lines.iter().any(|l| l == "ba.conf:1: brace_a"));
}

#[test]
fn include_check_in_global_defs() {
    // keepalived -t 2.2.7: `include_check` alone in global_defs makes a missing plain
    // include exit 6; `include_check readable` is unknown to 2.2.7 ("read" is its name),
    // we accept both spellings.
    let (code, _, _) = include_case(
        "global_defs {\n include_check\n}\ninclude missing.conf",
        false,
    );
    assert_eq!(code, 6);
    // Also in a one-line block and with `{` on the next line.
    let (code, _, _) = include_case("global_defs { include_check }\ninclude missing.conf", false);
    assert_eq!(code, 6);
    let (code, _, _) = include_case(
        "global_defs\n{\ninclude_check\n}\ninclude missing.conf",
        false,
    );
    assert_eq!(code, 6);
    let (code, _, _) = include_case(
        "global_defs {\n include_check read\n}\ninclude missing.conf",
        false,
    );
    assert_eq!(code, 0);
    let (code, _, _) = include_case(
        "global_defs {\n include_check match\n}\ninclude missing.conf",
        false,
    );
    assert_eq!(code, 6);
    let (code, _, _) = include_case(
        "global_defs {\n include_check match\n include_check -match\n}\ninclude missing.conf",
        false,
    );
    assert_eq!(code, 0);
    let (code, _, msgs) = include_case("global_defs {\n include_check bogus\n}\n", false);
    assert_eq!(code, 5);
    assert_eq!(msgs, vec!["Unknown include_check type 'bogus' - ignoring"]);
    // Outside global_defs the line is left to the parser.
    let (code, lines, _) = include_case(
        "vrrp_script s {\n include_check\n}\ninclude missing.conf",
        false,
    );
    assert_eq!(code, 0);
    assert!(lines.iter().any(|l| l.ends_with("include_check")));
}

#[test]
fn include_name_is_the_rest_of_the_line_after_expansion() {
    // keepalived -t 2.2.7: includes are recognised after @id and $NAME processing, and the
    // file name is taken as written (quotes included).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.conf"), "uniq_p\n").unwrap();
    std::fs::write(dir.path().join("q.conf"), "uniq_q\n").unwrap();
    let main = dir.path().join("main.conf");
    std::fs::write(
        &main,
        "$INC=include p.conf\n$INC\n@vm include q.conf\n@^vm include p.conf\ninclude \"q.conf\"\n",
    )
    .unwrap();
    let mut d = Diagnostics::new();
    let lines = preprocess::read_file(&main, &opts("vm"), &mut d);
    assert_eq!(show(&lines), vec!["p.conf:1: uniq_p", "q.conf:1: uniq_q"]);
    assert_eq!(d.exit_code(), 0);
    assert!(d
        .items
        .iter()
        .any(|i| i.msg == "Config files missing '\"q.conf\"'."));
}

#[test]
fn self_include_is_stopped() {
    // keepalived itself loops until it runs out of file descriptors; we stop and report.
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("self.conf");
    std::fs::write(&main, "line\ninclude self.conf\n").unwrap();
    let mut d = Diagnostics::new();
    let lines = preprocess::read_file(&main, &opts("vm"), &mut d);
    assert!(lines.len() > 10 && lines.len() < 100, "{}", lines.len());
    let e = d.errors().next().expect("an error");
    assert!(e.msg.contains("include loop"), "{}", e.msg);
    assert_eq!(e.loc.as_ref().map(|l| l.line), Some(2));
}

#[test]
fn include_fan_out_is_bounded() {
    // Each level includes the file twice: 2^32 reads without a bound.
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("twice.conf");
    std::fs::write(&main, "include twice.conf\ninclude twice.conf\n").unwrap();
    let start = std::time::Instant::now();
    let mut d = Diagnostics::new();
    preprocess::read_file(&main, &opts("vm"), &mut d);
    assert!(start.elapsed() < std::time::Duration::from_secs(30));
    assert!(d
        .items
        .iter()
        .any(|i| i.msg.contains("files included - stopping")));
}

#[test]
fn directories_and_executables_are_skipped() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("d.conf")).unwrap();
    let exe = dir.path().join("x.conf");
    std::fs::write(&exe, "from_exe\n").unwrap();
    std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(dir.path().join("ok.conf"), "from_ok\n").unwrap();
    // Not `*.conf` itself, or it would include itself.
    let main = dir.path().join("main.cfg");
    std::fs::write(&main, "include *.conf\n").unwrap();
    let mut d = Diagnostics::new();
    let lines = preprocess::read_file(&main, &opts("vm"), &mut d);
    assert_eq!(show(&lines), vec!["ok.conf:1: from_ok"]);
    assert!(d
        .items
        .iter()
        .any(|i| i.msg.contains("is not a regular non-executable file")));
    assert_eq!(d.exit_code(), 0);
    // With a check the skipped executable is an error.
    std::fs::write(&main, "includer x.conf\n").unwrap();
    let mut d = Diagnostics::new();
    preprocess::read_file(&main, &opts("vm"), &mut d);
    assert_eq!(d.worst(), Some(ErrorClass::NoConfig));
}

#[test]
fn missing_main_file() {
    // keepalived -t 2.2.7 -f /nonexistent exits 0; with -e it exits 4.
    let mut d = Diagnostics::new();
    let lines = preprocess::read_file(Path::new("/nonexistent/k.conf"), &opts("vm"), &mut d);
    assert!(lines.is_empty());
    assert_eq!(d.exit_code(), 0);
    assert!(d.items[0]
        .msg
        .starts_with("Config files missing '/nonexistent/k.conf'"));
    let mut d = Diagnostics::new();
    let o = ReadOptions {
        config_id: "vm".into(),
        all_config: true,
    };
    preprocess::read_file(Path::new("/nonexistent/k.conf"), &o, &mut d);
    assert_eq!(d.exit_code(), 4);
}

// ---------------------------------------------------------------- definitions

#[test]
fn multiline_definitions_expand_to_blocks() {
    // The man page example (keepalived.conf(5), "Parameter substitution").
    let text = r"
$INSTANCE= \
vrrp_instance VI_${NUM} { \
    interface eth0.${NUM} \
    virtual_router_id 1 \
    @high priority 130 \
    @low priority 120 \
    virtual_ipaddress { \
        10.0.${NUM}.254/24 \
    } \
}

$NUM=0
$INSTANCE

$NUM=1
$INSTANCE
";
    let mut d = Diagnostics::new();
    let lines = preprocess::read_str("t.conf", text, &opts("high"), &mut d);
    let t = tree::build(&lines, &mut d);
    assert!(d.items.is_empty(), "{:?}", errors(&d));
    assert_eq!(t.len(), 2);
    for (i, inst) in t.iter().enumerate() {
        assert_eq!(
            inst.words,
            vec!["vrrp_instance".to_string(), format!("VI_{i}")]
        );
        // Every produced line points at the line where the definition was used.
        assert_eq!(inst.loc.line, if i == 0 { 14 } else { 17 });
        let kids: Vec<&str> = inst.children().iter().map(Node::keyword).collect();
        assert_eq!(
            kids,
            vec![
                "interface",
                "virtual_router_id",
                "priority",
                "virtual_ipaddress"
            ]
        );
        assert_eq!(inst.children()[2].args(), ["130"]);
        assert_eq!(
            inst.children()[3].children()[0].words,
            vec![format!("10.0.{i}.254/24")]
        );
        assert!(inst.children().iter().all(|c| c.loc == inst.loc));
    }
}

#[test]
fn nested_multiline_definitions() {
    // Checked with keepalived -t 2.2.7 (same lines in the same order).
    let text = "$RS= \\\nrs_${N}_${RSN} a { \\\n   @vm only_vm_${RSN} \\\n   @^vm not_vm \\\n} \\\n\n\
                $VS= \\\nvs_${N} { \\\n   $RSN=1 \\\n   $RS \\\n   $RSN=2 \\\n   $RS \\\n}\n\n$N=0\n$VS\n";
    let (l, d) = read_text(text, "vm");
    assert!(d.items.is_empty());
    assert_eq!(
        l,
        vec![
            "t.conf:16: vs_0 {",
            "t.conf:16: rs_0_1 a {",
            "t.conf:16: only_vm_1",
            "t.conf:16: }",
            "t.conf:16: rs_0_2 a {",
            "t.conf:16: only_vm_2",
            "t.conf:16: }",
            "t.conf:16: }",
        ]
    );
}

#[test]
fn multiline_definition_ends_at_blank_line() {
    // keepalived -t 2.2.7: the blank line ends $M; `line3\` then is an ordinary line.
    let (l, _) = read_text(
        "$M= \\\n  line1 \\\n  line2 \\\n\n  line3 \\\n  line4\n$M\n",
        "vm",
    );
    assert_eq!(
        l,
        vec![
            "t.conf:5: line3\\",
            "t.conf:6: line4",
            "t.conf:7: line1",
            "t.conf:7: line2"
        ]
    );
}

#[test]
fn multiline_definition_only_at_end_of_line() {
    let (l, _) = read_text("$M= \\\na \\\nb\nx $M y\nx $M\n", "vm");
    assert_eq!(l, vec!["t.conf:4: x $M y", "t.conf:5: x a", "t.conf:5: b"]);
}

#[test]
fn expansion_is_recursive_and_late() {
    // The man page example: the value is expanded when used, not when defined.
    let text =
        "$ADDRESS_BASE=10.2.${ADDRESS_BASE_SUB}\n$ADDRESS_BASE_SUB=0\n${ADDRESS_BASE}.100/32\n\
                $ADDRESS_BASE_SUB=10\n${ADDRESS_BASE}.100/32\n";
    let (l, _) = read_text(text, "vm");
    assert_eq!(
        l,
        vec!["t.conf:3: 10.2.0.100/32", "t.conf:5: 10.2.10.100/32"]
    );
}

#[test]
fn predefined_definitions() {
    let (l, d) = read_text(
        "a ${_INSTANCE} ${_HASH}x${_BANG} ${_RANDOM 7 7}\nb ${_RANDOM 1 3}\nc ${_ENV HOME} ${_ENV KARS_NO_SUCH_VAR}.\n",
        "node1",
    );
    assert!(d.items.is_empty());
    // `#` and `!` produced by expansion are not comments.
    assert_eq!(l[0], "t.conf:1: a node1 #x! 7");
    let r: u32 = l[1].rsplit(' ').next().unwrap().parse().unwrap();
    assert!((1..=3).contains(&r));
    let home = std::env::var("HOME").unwrap_or_default();
    assert_eq!(l[2], format!("t.conf:3: c {home} ."));
    // ${_PWD} of a string is the current directory.
    let (l, _) = read_text("p ${_PWD}\n", "vm");
    let cwd = std::fs::canonicalize(std::env::current_dir().unwrap()).unwrap();
    assert_eq!(l[0], format!("t.conf:1: p {}", cwd.display()));
    // User definitions override predefined ones.
    let (l, _) = read_text("$_HASH=hash\nh ${_HASH}\n", "vm");
    assert_eq!(l, vec!["t.conf:2: h hash"]);
}

#[test]
fn definition_syntax() {
    // No space before '=', only whitespace before '$', names start with a letter or '_'.
    let (l, _) = read_text("  $A=1\n$B = 2\n$9=3\nx $A $B\nx$A\n", "vm");
    assert_eq!(
        l,
        vec![
            "t.conf:2: $B = 2",
            "t.conf:3: $9=3",
            "t.conf:4: x 1 $B",
            "t.conf:5: x1"
        ]
    );
    // Empty values are allowed.
    let (l, _) = read_text("$E=\nx${E}y\n", "vm");
    assert_eq!(l, vec!["t.conf:2: xy"]);
}

// ---------------------------------------------------------------- @id lines

#[test]
fn conditional_lines() {
    // The man page example, as keepalived -t 2.2.7 treats it.
    let text = "global_defs {\n  @main   router_id main_router\n  @backup router_id backup_router\n}\n\
                unicast_peer {\n  @^main    1.2.3.4\n  @^backup  1.2.3.5\n  @^backup2 1.2.3.6\n}\n\
                @main $PRIORITY=240\n@backup $PRIORITY=200\npriority $PRIORITY\n$IF_MAIN=@main\n$IF_MAIN only_main\n@main\n";
    let (l, _) = read_text(text, "main");
    assert_eq!(
        l,
        vec![
            "t.conf:1: global_defs {",
            "t.conf:2: router_id main_router",
            "t.conf:4: }",
            "t.conf:5: unicast_peer {",
            "t.conf:7: 1.2.3.5",
            "t.conf:8: 1.2.3.6",
            "t.conf:9: }",
            "t.conf:12: priority 240",
            "t.conf:14: only_main",
        ]
    );
    let (l, _) = read_text(text, "backup");
    assert!(l.contains(&"t.conf:3: router_id backup_router".to_string()));
    assert!(l.contains(&"t.conf:12: priority 200".to_string()));
    assert!(!l.iter().any(|x| x.contains("only_main")));
}

// ---------------------------------------------------------------- ~SEQ / ~LST

#[test]
fn sequences() {
    // Examples of keepalived.conf(5), "Sequence blocks".
    let (l, d) = read_text("~SEQ(SUBNET, 0, 3) ip_address 10.0.${SUBNET}.1\n", "vm");
    assert!(d.items.is_empty());
    assert_eq!(
        l,
        vec![
            "t.conf:1: ip_address 10.0.0.1",
            "t.conf:1: ip_address 10.0.1.1",
            "t.conf:1: ip_address 10.0.2.1",
            "t.conf:1: ip_address 10.0.3.1"
        ]
    );
    let (a, _) = read_text(
        "~SEQx(SUBNET, 144, 16, 192) ip_address fe80::20:${SUBNET}:1\n",
        "vm",
    );
    let (b, _) = read_text(
        "~SEQx(SUBNET, 0x90, 0x10, 0xc0) ip_address fe80::20:${SUBNET}:1\n",
        "vm",
    );
    assert_eq!(a, b);
    assert_eq!(a[1], "t.conf:1: ip_address fe80::20:a0:1");
    assert_eq!(a.len(), 4);
    let (l, _) = read_text(
        "virtual_ipaddress {\n    ~SEQx(AD2, 0x90, 0x10, 0xc0) ~SEQx(AD1, 0x12, -1, 0x0c) fe81::10:${AD2}:${AD1}\n}\n",
        "vm",
    );
    assert_eq!(l.len(), 2 + 4 * 7);
    assert_eq!(l[1], "t.conf:2: fe81::10:90:12");
    assert_eq!(l[7], "t.conf:2: fe81::10:90:c");
    assert_eq!(l[8], "t.conf:2: fe81::10:a0:12");
}

#[test]
fn sequence_over_multiline_definition() {
    let text = "$VI= \\\nvrrp_instance v${IF}.${ID} { \\\n    virtual_router_id ${ID} \\\n}\n\n\
                ~SEQ(IF,0,1) ~SEQ(ID,1,3) $VI\n";
    let mut d = Diagnostics::new();
    let lines = preprocess::read_str("t.conf", text, &opts("vm"), &mut d);
    let t = tree::build(&lines, &mut d);
    let names: Vec<&str> = t.iter().filter_map(|n| n.arg(0)).collect();
    assert_eq!(names, vec!["v0.1", "v0.2", "v0.3", "v1.1", "v1.2", "v1.3"]);
    assert!(t.iter().all(|n| n.loc.line == 6));
}

#[test]
fn lists() {
    // Examples of keepalived.conf(5), "List blocks".
    let (l, _) = read_text(
        "~LST({IP, IP1}, {10,1},{20,4},{5,6},{12,8}) 192.168.${IP}.${IP1}\n",
        "vm",
    );
    assert_eq!(
        l,
        vec![
            "t.conf:1: 192.168.10.1",
            "t.conf:1: 192.168.20.4",
            "t.conf:1: 192.168.5.6",
            "t.conf:1: 192.168.12.8"
        ]
    );
    let (l, _) = read_text(
        "~LST(IP, 1, 2, 3, 4) ~LST(IP1, 5,6,7) 192.169.${IP}.${IP1}\n",
        "vm",
    );
    assert_eq!(l.len(), 12);
    assert_eq!(l[3], "t.conf:1: 192.169.2.5");
    let (l, _) = read_text(
        "~LST({IP,   IP1},  {10,1},{20,4},{5,6},{12,8})  ~SEQ(IP2,168,2,172) 192.${IP2}.${IP}.${IP1}\n",
        "vm",
    );
    assert_eq!(l.len(), 12);
    assert_eq!(l[0], "t.conf:1: 192.168.10.1");
    assert_eq!(l[1], "t.conf:1: 192.170.10.1");
    assert_eq!(l[11], "t.conf:1: 192.172.12.8");
}

#[test]
fn sequence_and_list_errors_carry_the_line() {
    // Messages as keepalived -t 2.2.7 prints them (exit 5).
    let (l, d) = read_text(
        "ok\n~LST(v, a , b c,d) l$v\n~LST({p,q},{1,2,3}) n\n~SEQ(i,1,0,3) u$i\n~SEQx(i,-1,2) y$i\n",
        "vm",
    );
    assert_eq!(l, vec!["t.conf:1: ok"]);
    assert_eq!(
        errors(&d),
        vec![
            "t.conf:2: error: Invalid ~LST specification '~LST(v, a , b c,d) l$v'",
            "t.conf:3: error: ~LST specification has too many values '~LST({p,q},{1,2,3}) n'",
            "t.conf:3: error: Invalid ~LST specification '~LST({p,q},{1,2,3}) n'",
            "t.conf:4: error: Invalid ~SEQ values '~SEQ(i,1,0,3) u$i'",
            "t.conf:5: error: ~SEQx is only valid for positive numbers '~SEQx(i,-1,2) y$i'",
        ]
    );
    assert_eq!(d.exit_code(), 5);
}

// ---------------------------------------------------------------- comments, quotes, braces

#[test]
fn comments_and_quotes() {
    let (l, d) = read_text(
        "router_id a # comment\n! whole line\nesc\\#x \\!y \"in # q\" z\nnotify \"/bin/x {a}\" user\nquote\"d x\" y\n",
        "vm",
    );
    assert!(d.items.is_empty());
    assert_eq!(
        l,
        vec![
            "t.conf:1: router_id a",
            "t.conf:3: esc#x !y in # q z",
            "t.conf:4: notify /bin/x {a} user",
            "t.conf:5: quote d x y",
        ]
    );
}

#[test]
fn brace_placement() {
    let (a, da) = tree_text(
        "vrrp_instance VI_1 {\n  state MASTER\n  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n",
    );
    let (b, db) = tree_text(
        "vrrp_instance VI_1\n{\n  state MASTER\n  virtual_ipaddress\n  {\n    10.0.0.1\n  }\n}\n",
    );
    let (c, dc) =
        tree_text("vrrp_instance VI_1 { state MASTER\n virtual_ipaddress { 10.0.0.1 } }\n");
    assert!(da.items.is_empty() && db.items.is_empty() && dc.items.is_empty());
    let strip = |t: &[Node]| {
        format!(
            "{:?}",
            t.iter()
                .map(|n| (
                    &n.words,
                    n.children()
                        .iter()
                        .map(|c| (
                            &c.words,
                            c.children().iter().map(|g| &g.words).collect::<Vec<_>>()
                        ))
                        .collect::<Vec<_>>()
                ))
                .collect::<Vec<_>>()
        )
    };
    assert_eq!(strip(&a), strip(&b));
    assert_eq!(strip(&a), strip(&c));
}

#[test]
fn brace_errors() {
    // keepalived -t 2.2.7 messages and exit codes.
    let (_, d) = tree_text("global_defs {\n router_id a\n");
    assert_eq!(d.exit_code(), 5);
    assert!(d.items[0]
        .msg
        .starts_with("There are 1 missing '}'s or extra '{'s"));
    let (_, d) = tree_text("global_defs {\n}\n}\n");
    assert_eq!(
        errors(&d),
        vec![
            "t.conf:3: error: Extra '}' found",
            "t.conf:3: warning: Unknown keyword '}'"
        ]
    );
    let (t, d) = tree_text("{\nglobal_defs {\n}\n");
    assert_eq!(t[0].keyword(), "global_defs");
    assert_eq!(errors(&d)[0], "t.conf:1: error: Unexpected '{' - ignoring");
    assert_eq!(d.worst(), Some(ErrorClass::MissingBob));
}

// ---------------------------------------------------------------- locations of errors

#[test]
fn errors_in_included_files_carry_their_location() {
    let mut d = Diagnostics::new();
    let t = read_tree(&fixture("errors/main.conf"), &opts("vm"), &mut d);
    let kws: Vec<&str> = t.iter().map(Node::keyword).collect();
    assert_eq!(kws, vec!["global_defs", "ok_line", "broken"]);
    let e: Vec<(String, u32, Option<ErrorClass>)> = d
        .items
        .iter()
        .map(|i| {
            let loc = i.loc.clone().unwrap();
            (
                loc.file.rsplit('/').next().unwrap().to_string(),
                loc.line,
                i.class,
            )
        })
        .collect();
    assert_eq!(
        e,
        vec![
            ("bad.conf".into(), 3, Some(ErrorClass::UnmatchedQuote)),
            ("bad.conf".into(), 4, Some(ErrorClass::GeneralError)),
            ("bad.conf".into(), 4, Some(ErrorClass::UnknownKeyword)),
        ]
    );
    assert!(d.items[0]
        .to_string()
        .contains("errors/bad.conf:3: error: Unmatched quote"));
}

#[test]
fn errors_in_expanded_text_point_at_the_use() {
    let (_, d) = read_text("$Q= \\\nok \\\nbad \"quote\n\n\n$Q\n", "vm");
    assert_eq!(
        errors(&d),
        vec!["t.conf:6: error: Unmatched quote: 'bad \"quote'"]
    );
    let (_, d) = read_text("\n~SEQ(i,1,2) x\"$i\n", "vm");
    assert_eq!(
        errors(&d),
        vec![
            "t.conf:2: error: Unmatched quote: 'x\"1'",
            "t.conf:2: error: Unmatched quote: 'x\"2'"
        ]
    );
}

// ---------------------------------------------------------------- speed

#[test]
fn lexing_speed() {
    // ~100k lines shaped like the benchmark config (5,000 vrrp_instance blocks, 1,000
    // virtual_server blocks with 4 real servers each), some comments and quotes.
    let mut text = String::from(
        "global_defs {\n  router_id bench  # comment\n  notification_email_from \"a@b\"\n}\n",
    );
    for i in 0..5000 {
        text.push_str(&format!(
            "vrrp_instance VI_{i} {{\n    state BACKUP\n    interface eth0\n    virtual_router_id {}\n    priority 100\n    advert_int 1\n    authentication {{\n        auth_type PASS\n        auth_pass secret\n    }}\n    virtual_ipaddress {{\n        10.{}.{}.1/24 dev eth0\n    }}\n}}\n",
            i % 255 + 1,
            i / 250,
            i % 250
        ));
    }
    for v in 0..1000 {
        text.push_str(&format!(
            "virtual_server 192.168.{}.{} 80 {{\n    delay_loop 6\n    lb_algo rr\n    lb_kind NAT\n    protocol TCP\n",
            v / 250,
            v % 250
        ));
        for r in 0..4 {
            text.push_str(&format!(
                "    real_server 10.1.{}.{r} 80 {{ # rs\n        weight 1\n        TCP_CHECK {{\n            connect_timeout 3\n        }}\n    }}\n",
                v % 250
            ));
        }
        text.push_str("}\n");
    }
    let n_lines = text.lines().count();
    assert!(n_lines > 100_000);
    let mut best = std::time::Duration::MAX;
    for _ in 0..3 {
        let start = std::time::Instant::now();
        let mut d = Diagnostics::new();
        let lines = preprocess::read_str("bench.conf", &text, &opts("vm"), &mut d);
        let t = tree::build_owned(lines, &mut d);
        best = best.min(start.elapsed());
        assert_eq!(t.len(), 6001);
        assert!(d.items.is_empty());
    }
    eprintln!("read + tree of {n_lines} lines: {best:?}");
    if !cfg!(debug_assertions) {
        assert!(best < std::time::Duration::from_millis(100), "{best:?}");
    }
}
