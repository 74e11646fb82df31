//! The configuration summary the children put in their dump parts (USR1/USR2/JSON): enough
//! for an operator or a test to see which configuration generation a child runs, without
//! depending on the shape of the model. Built by the checker child (`crates/check`); one
//! definition here so every process describes a config the same way.

use crate::messages::Config;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A short description of a configuration that does not depend on the shape of the model
/// (which is still growing): its source, a digest of its encoding, the size of every
/// list in each section (e.g. `vrrp.instances`), and the VRRP instances by name and VRID.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigSummary {
    pub source: String,
    pub digest: String,
    pub counts: BTreeMap<String, usize>,
    /// (name, vrid) of each `vrrp_instance`.
    pub instances: Vec<(String, Option<u8>)>,
}

impl ConfigSummary {
    pub fn of(cfg: &Config) -> Self {
        let digest = crate::codec::encode(cfg)
            .map(|b| format!("{:016x}", fnv1a(&b)))
            .unwrap_or_else(|_| "unencodable".into());
        let mut counts = BTreeMap::new();
        let mut instances = Vec::new();
        if let Ok(Value::Object(top)) = serde_json::to_value(cfg) {
            for (section, v) in &top {
                let Value::Object(fields) = v else { continue };
                for (field, fv) in fields {
                    // Lists only: nested structs serialize as objects too, and their field
                    // counts would say nothing.
                    if let Value::Array(a) = fv {
                        counts.insert(format!("{section}.{field}"), a.len());
                    }
                }
            }
            if let Some(Value::Array(list)) = top.get("vrrp").and_then(|v| v.get("instances")) {
                for inst in list {
                    let name = inst.get("name").and_then(Value::as_str).unwrap_or("");
                    let vrid = inst
                        .get("vrid")
                        .and_then(Value::as_u64)
                        .and_then(|n| u8::try_from(n).ok());
                    instances.push((name.to_string(), vrid));
                }
            }
        }
        ConfigSummary {
            source: cfg.source.clone(),
            digest,
            counts,
            instances,
        }
    }

    pub fn to_json(&self) -> Value {
        json!({
            "source": self.source,
            "digest": self.digest,
            "counts": self.counts,
            "instances": self
                .instances
                .iter()
                .map(|(n, v)| json!({"name": n, "vrid": v}))
                .collect::<Vec<_>>(),
        })
    }
}

/// FNV-1a, 64 bits: a stable digest that needs no dependency.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_changes_with_the_config() {
        let a = Config {
            source: "/a.conf".into(),
            ..Config::default()
        };
        let b = Config {
            source: "/b.conf".into(),
            ..Config::default()
        };
        let (sa, sb) = (ConfigSummary::of(&a), ConfigSummary::of(&b));
        assert_eq!(sa.source, "/a.conf");
        assert_ne!(sa.digest, sb.digest);
        assert_eq!(sa.digest, ConfigSummary::of(&a).digest, "stable");
        assert_eq!(sa.to_json()["source"], "/a.conf");
        assert!(sa.to_json()["counts"].is_object());
    }
}
