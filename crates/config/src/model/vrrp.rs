//! The VRRP side of the model: static addresses/routes/rules, vrrp_script, track_file,
//! vrrp_track_process, sync groups and vrrp_instance.

use super::Script;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VrrpConfig {}

impl VrrpConfig {
    pub fn has_config(&self) -> bool {
        false
    }

    pub fn scripts<'a>(&'a self, _out: &mut Vec<(&'static str, &'a Script)>) {}
}
