//! The lexical layer of keepalived.conf: comments (`#`, `!` outside quotes), whitespace
//! separated words, double-quoted strings and `{`/`}` split off as their own tokens.
//! Called by the preprocessor for every logical line.
//!
//! NOTE: interim hand-written tokenizer; to be replaced by the pest grammar.

use crate::diag::{Diagnostics, ErrorClass, Loc};

/// One token of a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token {
    Word(String),
    /// `{` (outside quotes).
    Open,
    /// `}` (outside quotes).
    Close,
}

/// Remove a trailing comment: `#` or `!` outside double quotes, unless escaped with `\`.
pub fn decomment(line: &str) -> &str {
    let mut in_quote = false;
    let mut prev_backslash = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' if !prev_backslash => in_quote = !in_quote,
            '#' | '!' if !in_quote && !prev_backslash => return &line[..i],
            _ => {}
        }
        prev_backslash = c == '\\' && !prev_backslash;
    }
    line
}

/// Split one (already decommented) line into tokens.
pub fn tokenize(line: &str, loc: &Loc, diags: &mut Diagnostics) -> Vec<Token> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                in_word = true;
                let mut closed = false;
                for q in chars.by_ref() {
                    if q == '"' {
                        closed = true;
                        break;
                    }
                    cur.push(q);
                }
                if !closed {
                    diags.at(ErrorClass::UnmatchedQuote, loc, "Unmatched quote");
                }
            }
            '{' | '}' => {
                if in_word {
                    out.push(Token::Word(std::mem::take(&mut cur)));
                    in_word = false;
                }
                out.push(if c == '{' { Token::Open } else { Token::Close });
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(Token::Word(std::mem::take(&mut cur)));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(Token::Word(cur));
    }
    out
}
