//! Fuzz target for the config reader: arbitrary bytes go through the preprocessor, lexer,
//! tree builder, model parser and validation. Any panic (or hang, or runaway memory) is a
//! bug: keepalived-rs must never panic on input. Run by scripts/fuzz (cargo fuzz).
#![no_main]

use keepalived_config::diag::Diagnostics;
use keepalived_config::validate::{self, Env};
use keepalived_config::ReadOptions;
use libfuzzer_sys::fuzz_target;

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
    let cfg = keepalived_config::load_str("fuzz.conf", &text, &opts, &mut d);
    validate::validate(&cfg, &Env::default(), &mut d);
    // Rendering every message must not panic either (the binary prints them all).
    for item in &d.items {
        let _ = item.to_string();
    }
    let _ = d.exit_code();
});
