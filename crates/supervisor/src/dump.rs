//! State dumps (keepalived §1.3: USR1 data, USR2 stats, the JSON signal): where the files
//! go and how the parent assembles them from the children's parts. Used by the parent loop.
//!
//! keepalived has each process write its own file; here the parent collects the children's
//! parts over IPC and writes one file per dump (`keepalived.data`, `keepalived.stats`,
//! `keepalived.json` in `$TMPDIR`, else `/tmp`), replaced atomically.

use std::collections::BTreeMap;
use std::path::PathBuf;

use keepalived_ipc::DumpKind;
use serde_json::{json, Value};

use crate::child::Role;
use crate::spawn::role_arg;

/// keepalived's dump directory: `$TMPDIR`, or `/tmp` when it is unset or empty.
pub fn tmp_dir() -> PathBuf {
    match std::env::var_os("TMPDIR") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => PathBuf::from("/tmp"),
    }
}

/// keepalived's file name for a dump.
pub fn file_name(kind: DumpKind) -> &'static str {
    match kind {
        DumpKind::Data => "keepalived.data",
        DumpKind::Stats | DumpKind::StatsClear => "keepalived.stats",
        DumpKind::Json => "keepalived.json",
    }
}

/// Writes `text` to the dump file of `kind`, replacing it atomically; returns its path.
pub fn write(kind: DumpKind, text: &str) -> std::io::Result<PathBuf> {
    let dir = tmp_dir();
    let path = dir.join(file_name(kind));
    let tmp = dir.join(format!(".{}.{}", file_name(kind), std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, &path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })?;
    Ok(path)
}

/// What the parent knows of one child, for its section of a dump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildInfo {
    pub role: Role,
    pub pid: Option<i32>,
    pub restarts: u64,
    pub state: String,
}

/// The parent's view, for its section of a dump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentInfo {
    pub pid: u32,
    pub config_file: String,
    pub generation: u64,
    pub children: Vec<ChildInfo>,
}

/// The whole file: the parent's section, then each child's part (`None`: it did not
/// answer in time or is not running).
pub fn assemble(
    kind: DumpKind,
    parent: &ParentInfo,
    parts: &BTreeMap<Role, Option<String>>,
) -> String {
    match kind {
        DumpKind::Json => {
            let mut children = serde_json::Map::new();
            for c in &parent.children {
                children.insert(
                    role_arg(c.role).into(),
                    json!({"pid": c.pid, "restarts": c.restarts, "state": c.state}),
                );
            }
            let mut doc = serde_json::Map::new();
            doc.insert(
                "parent".into(),
                json!({
                    "pid": parent.pid,
                    "config_file": parent.config_file,
                    "generation": parent.generation,
                    "children": children,
                }),
            );
            for (role, part) in parts {
                let v = match part {
                    // A child's part is JSON; keep it as a string if it is not.
                    Some(body) => serde_json::from_str(body).unwrap_or(Value::String(body.clone())),
                    None => Value::Null,
                };
                doc.insert(role_arg(*role).into(), v);
            }
            let mut s = serde_json::to_string_pretty(&Value::Object(doc)).unwrap_or_default();
            s.push('\n');
            s
        }
        _ => {
            let mut s = String::new();
            s.push_str("------< keepalived-rs parent >------\n");
            s.push_str(&format!(" Pid = {}\n", parent.pid));
            s.push_str(&format!(" Configuration file = {}\n", parent.config_file));
            s.push_str(&format!(
                " Configuration generation = {}\n",
                parent.generation
            ));
            for c in &parent.children {
                let pid = c.pid.map_or_else(|| "none".to_string(), |p| p.to_string());
                s.push_str(&format!(
                    " {} child: pid = {pid}, restarts = {}, state = {}\n",
                    c.role, c.restarts, c.state
                ));
            }
            for (role, part) in parts {
                s.push_str(&format!("------< {role} child >------\n"));
                match part {
                    Some(body) => {
                        s.push_str(body);
                        if !body.ends_with('\n') {
                            s.push('\n');
                        }
                    }
                    None => s.push_str(" (no answer)\n"),
                }
            }
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parent() -> ParentInfo {
        ParentInfo {
            pid: 10,
            config_file: "/etc/k.conf".into(),
            generation: 3,
            children: vec![ChildInfo {
                role: Role::Vrrp,
                pid: Some(11),
                restarts: 2,
                state: "running".into(),
            }],
        }
    }

    #[test]
    fn json_dump_nests_the_children_parts() {
        let mut parts = BTreeMap::new();
        parts.insert(Role::Vrrp, Some(r#"{"generation": 3}"#.to_string()));
        parts.insert(Role::Checker, None);
        let s = assemble(DumpKind::Json, &parent(), &parts);
        let v: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["parent"]["generation"], 3);
        assert_eq!(v["parent"]["children"]["vrrp"]["restarts"], 2);
        assert_eq!(v["vrrp"]["generation"], 3);
        assert_eq!(v["checker"], Value::Null);
    }

    #[test]
    fn text_dump_has_every_section() {
        let mut parts = BTreeMap::new();
        parts.insert(Role::Vrrp, Some(" Role = vrrp".to_string()));
        parts.insert(Role::Checker, None);
        let s = assemble(DumpKind::Data, &parent(), &parts);
        assert!(s.contains(" Configuration generation = 3\n"), "{s}");
        assert!(
            s.contains(" VRRP child: pid = 11, restarts = 2, state = running\n"),
            "{s}"
        );
        assert!(
            s.contains("------< VRRP child >------\n Role = vrrp\n"),
            "{s}"
        );
        assert!(
            s.contains("------< Healthcheck child >------\n (no answer)\n"),
            "{s}"
        );
    }

    #[test]
    fn file_names_are_keepalived_s() {
        assert_eq!(file_name(DumpKind::Data), "keepalived.data");
        assert_eq!(file_name(DumpKind::Stats), "keepalived.stats");
        assert_eq!(file_name(DumpKind::Json), "keepalived.json");
    }
}
