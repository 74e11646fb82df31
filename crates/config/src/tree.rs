//! The block tree: logical lines (after preprocessing and tokenizing) grouped by `{`/`}`
//! into nested statements. Built by [`build`]/[`build_owned`] (called by `read_tree` and
//! `load_str` in lib.rs); walked by the model parsers in `parse/`.

use crate::diag::{Diagnostics, ErrorClass, Loc};
use crate::lexer::Token;

/// One statement: a keyword with its arguments and, for block keywords, the statements
/// inside its braces. Value blocks (`virtual_ipaddress { ... }`) use the same shape: each
/// line inside is a child `Node` whose `words` are the line's tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub loc: Loc,
    /// The keyword followed by its arguments, quotes removed.
    pub words: Vec<String>,
    /// `Some` when the statement was followed by a `{ ... }` block (possibly empty).
    pub block: Option<Vec<Node>>,
}

impl Node {
    pub fn keyword(&self) -> &str {
        self.words.first().map(String::as_str).unwrap_or("")
    }

    pub fn args(&self) -> &[String] {
        self.words.get(1..).unwrap_or(&[])
    }

    pub fn arg(&self, i: usize) -> Option<&str> {
        self.words.get(i + 1).map(String::as_str)
    }

    pub fn children(&self) -> &[Node] {
        self.block.as_deref().unwrap_or(&[])
    }
}

/// A tokenized logical line with its origin, as produced by the preprocessor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokLine {
    pub loc: Loc,
    pub tokens: Vec<Token>,
}

/// Group tokenized lines into a tree, as keepalived's `read_line`/`process_stream` do:
/// `{` may end the statement's line or start the next line; `{`/`}` may share a line with
/// anything (`virtual_ipaddress { 10.0.0.1 }`). Brace errors use keepalived's messages
/// (checked with keepalived -t 2.2.7): a `{` that follows no statement is
/// "Unexpected '{' - ignoring" (`UnexpectedBob`) and is skipped, a `}` with nothing open is
/// "Extra '}' found" plus "Unknown keyword '}'", and unclosed blocks at the end give
/// "There are N missing '}'s or extra '{'s" (N counts every `{` and `}` seen, as keepalived's
/// `block_depth` does). All of these make `-t` exit 5.
pub fn build(lines: &[TokLine], diags: &mut Diagnostics) -> Vec<Node> {
    build_owned(lines.to_vec(), diags)
}

/// [`build`] for lines the caller no longer needs: the words move into the nodes instead of
/// being copied (what `read_tree`/`load_str` use).
pub fn build_owned(lines: Vec<TokLine>, diags: &mut Diagnostics) -> Vec<Node> {
    // Open blocks: the statement that owns each one and the children so far. The bottom
    // entry is the root level (no owner).
    let mut stack: Vec<(Option<Node>, Vec<Node>)> = vec![(None, Vec::new())];
    // keepalived's block_depth: every `{` counts, even an ignored one.
    let mut depth: usize = 0;
    for line in lines {
        let mut words: Vec<String> = Vec::new();
        for tok in line.tokens {
            match tok {
                Token::Word(w) => words.push(w),
                Token::Open => {
                    depth += 1;
                    let head = if !words.is_empty() {
                        Some(Node {
                            loc: line.loc.clone(),
                            words: std::mem::take(&mut words),
                            block: None,
                        })
                    } else {
                        // `{` first on its line: it opens the block of the statement on an
                        // earlier line, if that one has no block yet.
                        let top = stack.last_mut().map(|t| &mut t.1);
                        match top {
                            Some(v) if v.last().is_some_and(|prev| prev.block.is_none()) => v.pop(),
                            _ => None,
                        }
                    };
                    match head {
                        Some(h) => stack.push((Some(h), Vec::new())),
                        None => diags.at(
                            ErrorClass::UnexpectedBob,
                            &line.loc,
                            "Unexpected '{' - ignoring",
                        ),
                    }
                }
                Token::Close => {
                    push_statement(&mut stack, &line.loc, &mut words);
                    if depth == 0 {
                        diags.at(ErrorClass::GeneralError, &line.loc, "Extra '}' found");
                    } else {
                        depth -= 1;
                    }
                    if stack.len() > 1 {
                        close_block(&mut stack);
                    } else {
                        diags.at(ErrorClass::UnknownKeyword, &line.loc, "Unknown keyword '}'");
                    }
                }
            }
        }
        push_statement(&mut stack, &line.loc, &mut words);
    }
    if depth > 0 {
        let loc = stack
            .get(1)
            .and_then(|s| s.0.as_ref())
            .map(|n| n.loc.clone());
        let msg = match &loc {
            Some(l) => format!(
                "There are {depth} missing '}}'s or extra '{{'s (first unclosed block at {l})"
            ),
            None => format!("There are {depth} missing '}}'s or extra '{{'s"),
        };
        diags.report(ErrorClass::MissingBob, loc.as_ref(), msg);
    }
    while stack.len() > 1 {
        close_block(&mut stack);
    }
    stack.pop().map(|(_, v)| v).unwrap_or_default()
}

/// The words gathered so far on a line become a statement of the innermost open block.
fn push_statement(stack: &mut [(Option<Node>, Vec<Node>)], loc: &Loc, words: &mut Vec<String>) {
    if words.is_empty() {
        return;
    }
    if let Some(top) = stack.last_mut() {
        top.1.push(Node {
            loc: loc.clone(),
            words: std::mem::take(words),
            block: None,
        });
    }
}

/// Close the innermost open block: its owner, with the children, joins the enclosing level.
fn close_block(stack: &mut Vec<(Option<Node>, Vec<Node>)>) {
    if stack.len() < 2 {
        return;
    }
    if let Some((Some(mut head), body)) = stack.pop() {
        head.block = Some(body);
        if let Some(top) = stack.last_mut() {
            top.1.push(head);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<TokLine> {
        let mut d = Diagnostics::new();
        let opts = crate::ReadOptions {
            config_id: "vm".into(),
            ..Default::default()
        };
        crate::preprocess::read_str("t.conf", text, &opts, &mut d)
    }

    fn tree(text: &str) -> (Vec<Node>, Diagnostics) {
        let mut d = Diagnostics::new();
        let t = build(&lines(text), &mut d);
        (t, d)
    }

    #[test]
    fn brace_on_same_or_next_line() {
        let (a, d1) = tree("global_defs {\n router_id a\n}\n");
        let (b, d2) = tree("global_defs\n{\n router_id a\n}\n");
        assert!(d1.items.is_empty() && d2.items.is_empty());
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].keyword(), "global_defs");
        assert_eq!(a[0].children()[0].words, vec!["router_id", "a"]);
        assert_eq!(a[0].children()[0].loc.line, 2);
        assert_eq!(b[0].children()[0].words, a[0].children()[0].words);
        assert_eq!(b[0].loc.line, 1);
    }

    #[test]
    fn one_line_blocks() {
        let (t, d) =
            tree("vrrp_instance VI { virtual_ipaddress { 10.0.0.1 10.0.0.2 } priority 5 }\nnext\n");
        assert!(d.items.is_empty());
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].args(), ["VI"]);
        let kids = t[0].children();
        assert_eq!(kids.len(), 2);
        assert_eq!(kids[0].keyword(), "virtual_ipaddress");
        assert_eq!(kids[0].children()[0].words, vec!["10.0.0.1", "10.0.0.2"]);
        assert_eq!(kids[1].words, vec!["priority", "5"]);
        assert_eq!(t[1].keyword(), "next");
    }

    #[test]
    fn empty_block_is_some() {
        let (t, _) = tree("a {}\nb\n");
        assert_eq!(t[0].block, Some(vec![]));
        assert_eq!(t[1].block, None);
    }

    #[test]
    fn extra_close_brace() {
        // keepalived -t 2.2.7: "(Line 4) Extra '}' found" and "Unknown keyword '}'", exit 5.
        let (t, d) = tree("global_defs {\n router_id a\n}\n}\n");
        assert_eq!(t.len(), 1);
        let msgs: Vec<String> = d.items.iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs,
            vec![
                "t.conf:4: error: Extra '}' found",
                "t.conf:4: warning: Unknown keyword '}'"
            ]
        );
        assert_eq!(d.exit_code(), 5);
    }

    #[test]
    fn unexpected_open_brace_is_ignored() {
        // keepalived -t 2.2.7: "(Line 1) Unexpected '{' - ignoring", then the unclosed count.
        let (t, d) = tree("{\nglobal_defs {\n}\n");
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].keyword(), "global_defs");
        assert_eq!(
            d.items[0].to_string(),
            "t.conf:1: error: Unexpected '{' - ignoring"
        );
        assert!(d.items[1]
            .msg
            .starts_with("There are 1 missing '}'s or extra '{'s"));
        assert_eq!(d.exit_code(), 5);
    }

    #[test]
    fn missing_close_brace_at_end() {
        // keepalived -t 2.2.7: "There are 1 missing '}'s or extra '{'s", exit 5.
        let (t, d) = tree("global_defs {\n router_id a\nvrrp_instance X {\n");
        assert_eq!(d.items.len(), 1);
        assert_eq!(d.worst(), Some(ErrorClass::MissingBob));
        assert!(d.items[0]
            .msg
            .starts_with("There are 2 missing '}'s or extra '{'s"));
        assert_eq!(d.items[0].loc.as_ref().map(|l| l.line), Some(1));
        // The unclosed blocks are kept, nested.
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].children()[1].keyword(), "vrrp_instance");
    }

    #[test]
    fn words_after_close_brace_start_a_statement() {
        let (t, d) = tree("a { b } c d\n");
        assert!(d.items.is_empty());
        assert_eq!(t.len(), 2);
        assert_eq!(t[1].words, vec!["c", "d"]);
    }
}
