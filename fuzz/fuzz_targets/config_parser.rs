//! Fuzz target for the config reader: arbitrary bytes go through the preprocessor, lexer,
//! tree builder, model parser and validation. Any panic (or hang, or runaway memory) is a
//! bug: keepalived-rs must never panic on input. Run by scripts/fuzz (cargo fuzz).
#![no_main]

use keepalived_config::diag::Diagnostics;
use keepalived_config::preprocess::{self, Limits};
use keepalived_config::validate::{self, Env};
use keepalived_config::{parse, tree, ReadOptions};
use libfuzzer_sys::fuzz_target;

/// The expansion limits, 16 times below the real ones: an input that expands up to the
/// real limits is bounded but takes seconds, and libFuzzer's -timeout would flag it (the
/// limits themselves are unit-tested in preprocess.rs).
const LIMITS: Limits = Limits {
    expanded_size: 64 << 20,
    work: 500_000,
};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // `include` reads the real filesystem: a generated `include /proc/*/*` would block on
    // /proc/kmsg or read /dev/zero forever, which says nothing about the parser. Include
    // handling is covered by the preprocessor's own tests.
    if text.contains("include") {
        return;
    }
    let opts = ReadOptions {
        config_id: "vm".into(),
        all_config: data.first().is_some_and(|b| b & 1 == 1),
    };
    let mut d = Diagnostics::new();
    // What `keepalived_config::load_str` does, with the smaller limits.
    let lines = preprocess::read_str_with_limits("fuzz.conf", &text, &opts, LIMITS, &mut d);
    let tree = tree::build_owned(lines, &mut d);
    let cfg = parse::parse("fuzz.conf", &tree, &mut d);
    validate::validate(&cfg, &Env::default(), &mut d);
    // Rendering every message must not panic either (the binary prints them all).
    for item in &d.items {
        let _ = item.to_string();
    }
    let _ = d.exit_code();
});
