//! The block tree: logical lines (after preprocessing and tokenizing) grouped by `{`/`}`
//! into nested statements. Built by [`build`]; walked by the model parsers in `parse/`.

use crate::diag::{Diagnostics, Loc};
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

/// Group tokenized lines into a tree. Brace errors are reported with keepalived's classes
/// (`UnexpectedBob`, `MissingBob`, "Extra '}' found", missing `}` at end of input).
pub fn build(lines: &[TokLine], diags: &mut Diagnostics) -> Vec<Node> {
    // A stack of open blocks; the bottom entry is the root level.
    let mut stack: Vec<(Option<Node>, Vec<Node>)> = vec![(None, Vec::new())];
    for line in lines {
        let mut words: Vec<String> = Vec::new();
        let flush = |words: &mut Vec<String>, stack: &mut Vec<(Option<Node>, Vec<Node>)>| {
            if !words.is_empty() {
                let node = Node {
                    loc: line.loc.clone(),
                    words: std::mem::take(words),
                    block: None,
                };
                if let Some(top) = stack.last_mut() {
                    top.1.push(node);
                }
            }
        };
        for tok in &line.tokens {
            match tok {
                Token::Word(w) => words.push(w.clone()),
                Token::Open => {
                    // `kw args {`, or a `{` alone after a statement on an earlier line.
                    let head = if !words.is_empty() {
                        Some(Node {
                            loc: line.loc.clone(),
                            words: std::mem::take(&mut words),
                            block: None,
                        })
                    } else {
                        let top = stack.last_mut().map(|t| &mut t.1);
                        match top.and_then(|v| v.last()) {
                            Some(prev) if prev.block.is_none() => {
                                stack.last_mut().and_then(|t| t.1.pop())
                            }
                            _ => None,
                        }
                    };
                    match head {
                        Some(h) => stack.push((Some(h), Vec::new())),
                        None => {
                            diags.at(
                                crate::diag::ErrorClass::UnexpectedBob,
                                &line.loc,
                                "Unexpected '{'",
                            );
                            // Keep the structure balanced: an anonymous block is skipped.
                            stack.push((
                                Some(Node {
                                    loc: line.loc.clone(),
                                    words: Vec::new(),
                                    block: None,
                                }),
                                Vec::new(),
                            ));
                        }
                    }
                }
                Token::Close => {
                    flush(&mut words, &mut stack);
                    if stack.len() > 1 {
                        if let Some((Some(mut head), body)) = stack.pop() {
                            head.block = Some(body);
                            if let Some(top) = stack.last_mut() {
                                if !head.words.is_empty() {
                                    top.1.push(head);
                                }
                            }
                        }
                    } else {
                        diags.at(
                            crate::diag::ErrorClass::GeneralError,
                            &line.loc,
                            "Extra '}' found",
                        );
                    }
                }
            }
        }
        flush(&mut words, &mut stack);
    }
    if stack.len() > 1 {
        let open = stack.len() - 1;
        let loc = stack
            .get(1)
            .and_then(|s| s.0.as_ref())
            .map(|n| n.loc.clone());
        diags.report(
            crate::diag::ErrorClass::MissingBob,
            loc.as_ref(),
            format!("There are {open} missing '}}'s or extra '{{'s"),
        );
        while stack.len() > 1 {
            if let Some((Some(mut head), body)) = stack.pop() {
                head.block = Some(body);
                if let Some(top) = stack.last_mut() {
                    if !head.words.is_empty() {
                        top.1.push(head);
                    }
                }
            }
        }
    }
    stack.pop().map(|(_, v)| v).unwrap_or_default()
}
