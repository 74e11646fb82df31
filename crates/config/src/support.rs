//! Which keywords keepalived-rs parses and which of those it acts on. Each block parser
//! lists its keywords here; the daemon reports at startup every keyword in the config that
//! is parsed but not acted on yet, and the README's coverage table comes from this list.

/// How far a keyword is supported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Support {
    /// Parsed into the model and validated, not acted on by the daemon yet.
    Parsed,
    /// Parsed and acted on.
    Acted,
}
