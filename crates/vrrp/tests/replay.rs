//! Replay tests of the VRRP instance: each `tests/replay/*.json` holds instance
//! parameters and timestamped inputs (µs since the replay epoch) with the outputs
//! expected after each. `UPDATE_REPLAY=1 cargo test -p keepalived-vrrp --test replay`
//! rewrites the expected outputs from what the state machine does now (review the diff).

use keepalived_vrrp::events::mono::at_us;
use keepalived_vrrp::events::{Input, Output};
use keepalived_vrrp::instance::{Instance, Params};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Serialize, Deserialize)]
struct Scenario {
    description: String,
    params: Params,
    steps: Vec<Step>,
}

#[derive(Serialize, Deserialize)]
struct Step {
    at_us: u64,
    input: Input,
    /// `None` only in a fixture not yet recorded.
    #[serde(default)]
    expect: Option<Vec<Output>>,
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/replay");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("read_dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    v.sort();
    v
}

#[test]
fn replay_fixtures() {
    let update = std::env::var("UPDATE_REPLAY").is_ok_and(|v| v == "1");
    let files = fixtures();
    assert!(
        files.len() >= 10,
        "expected the replay fixtures, found {files:?}"
    );
    let mut failures = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read fixture");
        let mut sc: Scenario =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {}: {e}", path.display()));
        let mut inst = Instance::new(sc.params.clone(), at_us(0));
        for (n, step) in sc.steps.iter_mut().enumerate() {
            let got = inst.handle(at_us(step.at_us), step.input.clone());
            if update {
                step.expect = Some(got);
            } else if step.expect.as_ref() != Some(&got) {
                failures.push(format!(
                    "{} step {n} at {} µs, input {:?}\n  expected {}\n  got      {}",
                    path.display(),
                    step.at_us,
                    step.input,
                    serde_json::to_string(&step.expect).unwrap_or_default(),
                    serde_json::to_string(&got).unwrap_or_default(),
                ));
                break;
            }
        }
        if update {
            let mut out = serde_json::to_string_pretty(&sc).expect("serialise fixture");
            out.push('\n');
            std::fs::write(&path, out).expect("write fixture");
        }
    }
    assert!(
        failures.is_empty(),
        "replay mismatches (UPDATE_REPLAY=1 rewrites after review):\n{}",
        failures.join("\n")
    );
}
