//! Root-level options and `global_defs` (owner: keepalived/core/global_parser.c keywords).

use super::Script;
use serde::{Deserialize, Serialize};

/// Root-level keywords outside any block.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RootDefs {}

/// `global_defs { ... }`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GlobalDefs {}

impl GlobalDefs {
    pub fn scripts<'a>(&'a self, _out: &mut Vec<(&'static str, &'a Script)>) {}
}
