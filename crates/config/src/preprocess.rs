//! The preprocessor: reads the main file and its includes and produces tokenized logical
//! lines with their original `file:line`, applying `$NAME=` definitions, `@id` lines and
//! `~SEQ`/`~LST` expansion. Called by [`crate::read_tree`].
//!
//! NOTE: interim version that only reads one file; includes, parameters, conditionals and
//! sequences come next.

use crate::diag::{Diagnostics, ErrorClass, Loc};
use crate::lexer;
use crate::tree::TokLine;
use crate::ReadOptions;
use std::path::Path;
use std::sync::Arc;

/// Read `path` (and what it includes) into tokenized lines.
pub fn read_file(path: &Path, _opts: &ReadOptions, diags: &mut Diagnostics) -> Vec<TokLine> {
    match std::fs::read_to_string(path) {
        Ok(text) => read_str(&path.display().to_string(), &text, _opts, diags),
        Err(e) => {
            diags.report(
                ErrorClass::FileNotFound,
                None,
                format!("Config files missing '{}': {e}", path.display()),
            );
            Vec::new()
        }
    }
}

/// Preprocess text that came from `name` (a file path, or a label for tests and fuzzing).
pub fn read_str(
    name: &str,
    text: &str,
    _opts: &ReadOptions,
    diags: &mut Diagnostics,
) -> Vec<TokLine> {
    let file: Arc<str> = Arc::from(name);
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let loc = Loc {
            file: file.clone(),
            line: (i + 1) as u32,
        };
        let line = lexer::decomment(raw).trim();
        if line.is_empty() {
            continue;
        }
        let tokens = lexer::tokenize(line, &loc, diags);
        out.push(TokLine { loc, tokens });
    }
    out
}
