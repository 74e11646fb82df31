//! keepalived.conf for keepalived-rs: read (preprocessor + pest lexer), group into blocks,
//! build the typed model, validate. Used by the binary (`-t`, `--dump-conf`, the parent at
//! start and on reload), and by the tests and fuzz targets.
//!
//! ```text
//! file --preprocess--> TokLines --tree::build--> [Node] --parse--> Config --validate--> Diagnostics
//! ```

pub mod diag;
pub mod lexer;
pub mod model;
pub mod parse;
pub mod preprocess;
pub mod support;
pub mod tree;
pub mod validate;

pub use diag::{Diagnostic, Diagnostics, ErrorClass, Loc};
pub use model::Config;
pub use validate::Env;

use std::path::Path;

/// Options that change how the text is read.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// The id for `@ID` lines (`-i/--config-id`; default: short hostname).
    pub config_id: String,
    /// `-e/--all-config`: every include must exist (as `includea`).
    pub all_config: bool,
}

/// Read a config file and its includes into the block tree.
pub fn read_tree(path: &Path, opts: &ReadOptions, d: &mut Diagnostics) -> Vec<tree::Node> {
    let lines = preprocess::read_file(path, opts, d);
    tree::build_owned(lines, d)
}

/// Read and parse a config file into the model (no validation).
pub fn load(path: &Path, opts: &ReadOptions, d: &mut Diagnostics) -> Config {
    let tree = read_tree(path, opts, d);
    parse::parse(&path.display().to_string(), &tree, d)
}

/// Parse config text (for tests and fuzzing); includes resolve relative to the cwd.
pub fn load_str(name: &str, text: &str, opts: &ReadOptions, d: &mut Diagnostics) -> Config {
    let lines = preprocess::read_str(name, text, opts, d);
    let tree = tree::build_owned(lines, d);
    parse::parse(name, &tree, d)
}
