//! HTTP_GET/SSL_GET `regex` on the response body (`regex`, `regex_no_match`,
//! `regex_options`, `regex_min_offset`, `regex_max_offset`), with the `regex` crate in
//! place of keepalived's PCRE2. Built by `spec` from the config; `HttpDialog` keeps the
//! body (up to [`BodyRegex::cap`]) and asks [`BodyRegex::judge`] once it has ended.
//!
//! Differences from keepalived: PCRE2 matches block by block with partial matching, so it
//! sees any body length; we keep at most [`MAX_KEPT`] bytes (or `regex_max_offset` plus
//! [`MATCH_TAIL`]). The `regex` crate has no backreferences or look-around: such patterns
//! are refused at load with the reason. Of the PCRE2 options, `caseless`, `multiline`,
//! `dotall`, `extended`, `ungreedy`, `utf`/`ucp` and `never_utf`/`never_ucp` change the
//! matching; the others are accepted and have no effect.

use std::sync::Arc;

/// The most body bytes kept for matching without `regex_max_offset`.
pub const MAX_KEPT: usize = 1024 * 1024;
/// With `regex_max_offset`, how far past it a match may run.
pub const MATCH_TAIL: usize = 64 * 1024;

#[derive(Clone, Debug)]
pub struct BodyRegex {
    re: Arc<regex::bytes::Regex>,
    options: Vec<String>,
    pub no_match: bool,
    pub min_offset: usize,
    pub max_offset: Option<usize>,
}

impl PartialEq for BodyRegex {
    fn eq(&self, o: &BodyRegex) -> bool {
        self.re.as_str() == o.re.as_str()
            && self.options == o.options
            && self.no_match == o.no_match
            && self.min_offset == o.min_offset
            && self.max_offset == o.max_offset
    }
}
impl Eq for BodyRegex {}

impl BodyRegex {
    pub fn new(
        pattern: &str,
        options: &[String],
        no_match: bool,
        min_offset: Option<u32>,
        max_offset: Option<u32>,
    ) -> Result<BodyRegex, String> {
        let mut b = regex::bytes::RegexBuilder::new(pattern);
        for o in options {
            match o.as_str() {
                "caseless" => b.case_insensitive(true),
                "multiline" => b.multi_line(true),
                "dotall" => b.dot_matches_new_line(true),
                "extended" => b.ignore_whitespace(true),
                "ungreedy" => b.swap_greed(true),
                "utf" | "ucp" => b.unicode(true),
                "never_utf" | "never_ucp" => b.unicode(false),
                _ => &mut b,
            };
        }
        let re = b.build().map_err(|e| format!("regex {pattern:?}: {e}"))?;
        Ok(BodyRegex {
            re: Arc::new(re),
            options: options.to_vec(),
            no_match,
            min_offset: min_offset.map_or(0, |m| m as usize),
            max_offset: max_offset.map(|m| m as usize),
        })
    }

    /// How many body bytes to keep for [`judge`](Self::judge).
    pub fn cap(&self) -> usize {
        match self.max_offset {
            Some(m) => m.saturating_add(MATCH_TAIL).min(MAX_KEPT.max(m)),
            None => MAX_KEPT,
        }
    }

    /// Whether the body passes: a match starting in `[min_offset, max_offset]` is
    /// required (or, with `regex_no_match`, forbidden).
    pub fn judge(&self, body: &[u8]) -> Result<(), String> {
        let subject = body.get(self.min_offset..).unwrap_or(&[]);
        let found = self.re.find(subject).is_some_and(|m| {
            self.max_offset
                .is_none_or(|max| self.min_offset + m.start() <= max)
        });
        match (found, self.no_match) {
            (true, false) | (false, true) => Ok(()),
            (false, false) => Err(format!(
                "regex {:?} does not match the body",
                self.re.as_str()
            )),
            (true, true) => Err(format!(
                "regex {:?} matches the body (regex_no_match)",
                self.re.as_str()
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn re(p: &str, o: &[&str], no: bool, min: Option<u32>, max: Option<u32>) -> BodyRegex {
        let o: Vec<String> = o.iter().map(|s| s.to_string()).collect();
        BodyRegex::new(p, &o, no, min, max).expect("valid regex")
    }

    #[test]
    fn match_no_match_and_options() {
        let body = b"<html>\nStatus: ALL GOOD\n</html>\n";
        assert!(re("ALL GOOD", &[], false, None, None).judge(body).is_ok());
        assert!(re("all good", &[], false, None, None).judge(body).is_err());
        assert!(re("all good", &["caseless"], false, None, None)
            .judge(body)
            .is_ok());
        assert!(re("^Status", &[], false, None, None).judge(body).is_err());
        assert!(re("^Status", &["multiline"], false, None, None)
            .judge(body)
            .is_ok());
        assert!(re("html>.Status", &["dotall"], false, None, None)
            .judge(body)
            .is_ok());
        assert!(re("ERROR", &[], true, None, None).judge(body).is_ok());
        assert!(re("GOOD", &[], true, None, None).judge(body).is_err());
    }

    #[test]
    fn offsets_bound_where_the_match_starts() {
        let body = b"0123456789abcdef";
        assert!(re("abc", &[], false, Some(5), None).judge(body).is_ok());
        assert!(re("012", &[], false, Some(5), None).judge(body).is_err());
        assert!(re("abc", &[], false, None, Some(10)).judge(body).is_ok());
        assert!(re("abc", &[], false, None, Some(9)).judge(body).is_err());
        assert!(re("abc", &[], false, Some(20), None).judge(body).is_err());
        assert_eq!(re("x", &[], false, None, Some(10)).cap(), 10 + MATCH_TAIL);
    }

    #[test]
    fn unsupported_syntax_is_refused_with_the_reason() {
        let e = BodyRegex::new("(a)\\1", &[], false, None, None).unwrap_err();
        assert!(e.contains("regex"), "{e}");
    }
}
