//! Script keyword values: `PATH-OR-"CMD ARGS" [user [:][group]]`, with the command split
//! into arguments by keepalived's shell-like rules (man5 "Quoted strings").

use crate::diag::{Diagnostics, ErrorClass};
use crate::model::Script;
use crate::tree::Node;

/// Parse the script given as argument `idx` of `node` and the optional user/group after it.
pub fn parse(d: &mut Diagnostics, node: &Node, idx: usize) -> Option<Script> {
    let cmd = match node.arg(idx) {
        Some(c) => c.to_string(),
        None => {
            d.at(
                ErrorClass::Abort,
                &node.loc,
                format!("{} requires a script", node.keyword()),
            );
            return None;
        }
    };
    let args = split_command(&cmd);
    let (user, group) = match node.arg(idx + 1) {
        None => (None, None),
        Some(u) => {
            // `user[:group]` or `user group`
            if let Some((u, g)) = u.split_once(':') {
                (Some(u.to_string()), (!g.is_empty()).then(|| g.to_string()))
            } else {
                (Some(u.to_string()), node.arg(idx + 2).map(str::to_string))
            }
        }
    };
    Some(Script {
        cmd,
        args,
        user,
        group,
        loc: Some(node.loc.clone()),
    })
}

/// Split a command line with shell-like rules: whitespace separates, `'...'` and `"..."`
/// quote, `\` escapes the next character.
pub fn split_command(cmd: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut have = false;
    let mut chars = cmd.chars();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') | (None, '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                    have = true;
                }
            }
            (Some(_), c) => cur.push(c),
            (None, '\'') | (None, '"') => {
                quote = Some(c);
                have = true;
            }
            (None, c) if c.is_whitespace() => {
                if have {
                    out.push(std::mem::take(&mut cur));
                    have = false;
                }
            }
            (None, c) => {
                cur.push(c);
                have = true;
            }
        }
    }
    if have {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(
            split_command("/bin/x a 'b c' \"d e\" f\\ g"),
            ["/bin/x", "a", "b c", "d e", "f g"]
        );
        assert!(split_command("   ").is_empty());
    }
}
