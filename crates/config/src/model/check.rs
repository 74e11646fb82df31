//! The checker side of the model: SSL, virtual_server_group, virtual_server, real_server
//! and the checker blocks.

use super::Script;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckConfig {}

impl CheckConfig {
    pub fn has_config(&self) -> bool {
        false
    }

    pub fn scripts<'a>(&'a self, _out: &mut Vec<(&'static str, &'a Script)>) {}
}
