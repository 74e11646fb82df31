//! The lexical layer of keepalived.conf, driven by the pest grammar in `grammar.pest`:
//! [`decomment`] strips comments from a physical line (`#`/`!` outside double quotes,
//! `\#`/`\!` literal, trailing `\` kept as the continuation mark) and [`tokenize`] splits a
//! logical line into words, double-quoted strings (quotes removed) and `{`/`}`.
//! Called by the preprocessor (`preprocess.rs`) for every physical and every produced line.

use crate::diag::{Diagnostics, ErrorClass, Loc};
use pest::Parser;
use std::borrow::Cow;

#[derive(pest_derive::Parser)]
#[grammar = "grammar.pest"]
struct LineParser;

/// One token of a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token {
    Word(String),
    /// `{` (outside quotes).
    Open,
    /// `}` (outside quotes).
    Close,
}

impl Token {
    /// The token as written: the word, `{` or `}`.
    pub fn as_str(&self) -> &str {
        match self {
            Token::Word(w) => w,
            Token::Open => "{",
            Token::Close => "}",
        }
    }
}

/// keepalived strips only blanks (space and tab) around a line (`isblank`).
fn trim_blank(s: &str) -> &str {
    s.trim_matches([' ', '\t'])
}

/// Remove the comment and the surrounding blanks from one physical line, as keepalived's
/// `decomment()`. A line ending in `\` (outside a comment, or at the end of the comment, as
/// keepalived also does) keeps a single trailing `\` with the blanks before it removed, so
/// the preprocessor can see the continuation of a multi-line definition.
pub fn decomment(line: &str) -> Cow<'_, str> {
    // Most lines have none of the special characters: no grammar run, no allocation.
    if !line
        .bytes()
        .any(|b| matches!(b, b'"' | b'\\' | b'#' | b'!'))
    {
        return Cow::Borrowed(trim_blank(line));
    }
    let Ok(mut pairs) = LineParser::parse(Rule::phys, line) else {
        // The grammar accepts every input; keep the line rather than lose it.
        return Cow::Borrowed(trim_blank(line));
    };
    let mut out = String::with_capacity(line.len());
    let mut cont = false;
    for p in pairs.next().into_iter().flat_map(|p| p.into_inner()) {
        match p.as_rule() {
            Rule::p_esc => out.push_str(p.as_str().get(1..).unwrap_or("")),
            Rule::p_cont => cont = true,
            Rule::p_comment => cont = p.as_str().ends_with('\\'),
            Rule::EOI => {}
            _ => out.push_str(p.as_str()),
        }
    }
    let body = trim_blank(&out);
    if cont {
        let body = body.strip_suffix('\\').unwrap_or(body);
        let mut s = String::with_capacity(body.len() + 1);
        s.push_str(trim_blank(body));
        s.push('\\');
        Cow::Owned(s)
    } else if body.len() == out.len() {
        Cow::Owned(out)
    } else {
        Cow::Owned(body.to_string())
    }
}

/// Split one logical line into tokens, appending them to `out`. An unmatched double quote
/// is reported (`UnmatchedQuote`, keepalived's "Unmatched quote: 'LINE'") and ends the
/// line: the tokens before it are kept, as keepalived keeps them.
pub fn tokenize_into(line: &str, loc: &Loc, diags: &mut Diagnostics, out: &mut Vec<Token>) {
    if !line.as_bytes().contains(&b'"') {
        split_plain(line, out);
        return;
    }
    tokenize_pest(line, loc, diags, out);
}

/// keepalived's whitespace (`WHITE_SPACE_STR`).
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r')
}

/// The hot path for lines without a double quote (nearly every line of a real config):
/// there the grammar's `tokens` rule reduces to splitting at whitespace and around `{`/`}`,
/// which this loop does about 15 times faster than the generated parser. The test
/// `fast_path_matches_grammar` checks both agree.
fn split_plain(line: &str, out: &mut Vec<Token>) {
    let bytes = line.as_bytes();
    let mut start: Option<usize> = None;
    for (i, &b) in bytes.iter().enumerate() {
        let special = is_ws(b) || b == b'{' || b == b'}';
        if !special {
            if start.is_none() {
                start = Some(i);
            }
            continue;
        }
        if let Some(s) = start.take() {
            out.push(Token::Word(line.get(s..i).unwrap_or("").to_string()));
        }
        match b {
            b'{' => out.push(Token::Open),
            b'}' => out.push(Token::Close),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Token::Word(line.get(s..).unwrap_or("").to_string()));
    }
}

/// The grammar's `tokens` rule: used for every line with a double quote.
fn tokenize_pest(line: &str, loc: &Loc, diags: &mut Diagnostics, out: &mut Vec<Token>) {
    let Ok(mut pairs) = LineParser::parse(Rule::tokens, line) else {
        // Unreachable with this grammar (every input matches); never lose the line silently.
        diags.at(
            ErrorClass::GeneralError,
            loc,
            format!("Cannot tokenize line '{line}'"),
        );
        return;
    };
    for p in pairs.next().into_iter().flat_map(|p| p.into_inner()) {
        match p.as_rule() {
            Rule::word => out.push(Token::Word(p.as_str().to_string())),
            Rule::open => out.push(Token::Open),
            Rule::close => out.push(Token::Close),
            Rule::quoted => {
                let s = p.as_str();
                let inner = s.get(1..s.len().saturating_sub(1)).unwrap_or("");
                out.push(Token::Word(inner.to_string()));
            }
            Rule::unmatched => {
                diags.at(
                    ErrorClass::UnmatchedQuote,
                    loc,
                    format!("Unmatched quote: '{line}'"),
                );
                break;
            }
            _ => {}
        }
    }
}

/// Split one logical line into tokens (see [`tokenize_into`]).
pub fn tokenize(line: &str, loc: &Loc, diags: &mut Diagnostics) -> Vec<Token> {
    let mut out = Vec::new();
    tokenize_into(line, loc, diags, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> (Vec<Token>, Diagnostics) {
        let mut d = Diagnostics::new();
        let t = tokenize(line, &Loc::new("t.conf", 7), &mut d);
        (t, d)
    }

    fn w(s: &str) -> Token {
        Token::Word(s.to_string())
    }

    #[test]
    fn comments_outside_quotes_are_removed() {
        assert_eq!(decomment("  router_id a # comment"), "router_id a");
        assert_eq!(decomment("router_id a! comment"), "router_id a");
        assert_eq!(decomment("# whole line"), "");
        assert_eq!(decomment("\t! whole line"), "");
        assert_eq!(
            decomment(r#"script "echo # not a comment" # but this is"#),
            r#"script "echo # not a comment""#
        );
        assert_eq!(decomment("plain words\t "), "plain words");
    }

    #[test]
    fn escaped_comment_characters_are_literal() {
        // Checked with keepalived -t 2.2.7: `esc\#x` is reported as keyword 'esc#x'.
        assert_eq!(decomment(r"esc\#x \!y # gone"), "esc#x !y");
        // Inside quotes the backslash stays (keepalived does not modify quoted text).
        assert_eq!(decomment(r#""a\#b""#), r#""a\#b""#);
        // Other escapes are kept as written, and `\"` does not open a quote.
        assert_eq!(decomment(r#"a\"b # c"#), r#"a\"b"#);
    }

    #[test]
    fn trailing_backslash_marks_continuation() {
        assert_eq!(decomment("$M= line1   \\"), "$M= line1\\");
        assert_eq!(decomment("  \\"), "\\");
        assert_eq!(decomment("x # c \\"), "x\\");
        assert_eq!(decomment("no continuation"), "no continuation");
    }

    #[test]
    fn unterminated_quote_keeps_comment_characters() {
        assert_eq!(decomment(r#"a "b # c"#), r#"a "b # c"#);
    }

    #[test]
    fn words_quotes_and_braces() {
        let (t, d) = words(r#"vrrp_instance VI_1{ "a b" c}d"#);
        assert_eq!(
            t,
            vec![
                w("vrrp_instance"),
                w("VI_1"),
                Token::Open,
                w("a b"),
                w("c"),
                Token::Close,
                w("d")
            ]
        );
        assert!(d.items.is_empty());
        let (t, _) = words(r#"notify "/x {y}" """#);
        assert_eq!(t, vec![w("notify"), w("/x {y}"), w("")]);
    }

    #[test]
    fn a_quote_starts_a_new_token() {
        // Checked with keepalived -t 2.2.7: `quote"d x" y` gives keyword 'quote',
        // `"abc"def` gives 'abc', `ab"cd ef"` gives 'ab'.
        assert_eq!(
            words(r#"quote"d x" y"#).0,
            vec![w("quote"), w("d x"), w("y")]
        );
        assert_eq!(words(r#""abc"def"#).0, vec![w("abc"), w("def")]);
        assert_eq!(words(r#"ab"cd ef""#).0, vec![w("ab"), w("cd ef")]);
    }

    #[test]
    fn whitespace_kinds() {
        assert_eq!(
            words("a\tb\x0bc\x0cd\re").0,
            vec![w("a"), w("b"), w("c"), w("d"), w("e")]
        );
        assert_eq!(words("   ").0, vec![]);
    }

    #[test]
    fn unmatched_quote_is_reported_with_location() {
        // keepalived -t 2.2.7: `router_id a"b c` -> "Unmatched quote: 'router_id a"b c'",
        // and router_id keeps `a`.
        let (t, d) = words(r#"router_id a"b c"#);
        assert_eq!(t, vec![w("router_id"), w("a")]);
        assert_eq!(d.worst(), Some(ErrorClass::UnmatchedQuote));
        assert_eq!(
            d.items[0].to_string(),
            r#"t.conf:7: error: Unmatched quote: 'router_id a"b c'"#
        );
    }

    /// The grammar's result for a line, whatever path `tokenize` would take.
    fn by_grammar(line: &str) -> Vec<Token> {
        let mut d = Diagnostics::new();
        let mut out = Vec::new();
        tokenize_pest(line, &Loc::new("t", 1), &mut d, &mut out);
        out
    }

    #[test]
    fn fast_path_matches_grammar() {
        let samples = [
            "vrrp_instance VI_1 {",
            "  virtual_ipaddress {10.0.0.1/24 dev eth0}",
            "}}{{",
            "a\tb\x0bc\x0cd\re\nf",
            "weird$chars@~!#%^&*()[]|;:'<>,.?/\\",
            "ключ «x» {é}",
            "",
            "   ",
            "\x01ctl\x1fchars\x7f",
        ];
        for line in samples {
            let mut fast = Vec::new();
            split_plain(line, &mut fast);
            assert_eq!(fast, by_grammar(line), "{line:?}");
        }
        // Every line of keepalived's sample configs when they are at hand (the project's
        // shared reference directory beside the checkout), and pseudo-random byte soup.
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../../shared/reference/samples"
        );
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            for line in text.lines().filter(|l| !l.contains('"')) {
                let mut fast = Vec::new();
                split_plain(line, &mut fast);
                assert_eq!(fast, by_grammar(line), "{line:?}");
                checked += 1;
            }
        }
        let alphabet = [
            " ", "\t", "{", "}", "a", "Z", "9", "#", "!", "\\", "$", "é", "\x0b",
        ];
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..2000 {
            let mut line = String::new();
            for _ in 0..(x % 24) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                line.push_str(alphabet[(x % alphabet.len() as u64) as usize]);
            }
            let mut fast = Vec::new();
            split_plain(&line, &mut fast);
            assert_eq!(fast, by_grammar(&line), "{line:?}");
            checked += 1;
        }
        assert!(checked >= 2000);
    }

    #[test]
    fn unicode_is_kept() {
        assert_eq!(words("ключ «x»").0, vec![w("ключ"), w("«x»")]);
        assert_eq!(decomment("é # ü"), "é");
    }
}
