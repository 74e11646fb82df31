//! Diagnostics of the config reader: source locations, keepalived's error classes and the
//! collected list of messages. Every stage (preprocessor, lexer, tree, model, validation)
//! reports through [`Diagnostics`]; `keepalived-rs -t` maps the worst class to an exit code.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// Where a line came from: the file it was read from and its 1-based line number there,
/// preserved through `include`, `$VAR` expansion and `~SEQ`/`~LST` expansion.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Loc {
    pub file: Arc<str>,
    pub line: u32,
}

impl Loc {
    pub fn new(file: impl Into<Arc<str>>, line: u32) -> Self {
        Loc {
            file: file.into(),
            line,
        }
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// keepalived's configuration error classes, in the order of `config_err_t` in
/// `lib/parser.h` (2.2.x). A later variant is "worse": when several are reported, the
/// largest one decides the exit code of `-t` (so a warning outranks a bad interface).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ErrorClass {
    /// A config or include file that must exist does not (exit 4).
    FileNotFound,
    /// An interface named by the config does not exist (exit 4).
    BadIf,
    /// keepalived cannot run this config (exit 4).
    Fatal,
    MultipleFiles,
    UnknownKeyword,
    /// An unexpected `{`.
    UnexpectedBob,
    /// A block keyword without its `{`.
    MissingBob,
    UnmatchedQuote,
    MissingParameter,
    InvalidNumber,
    GeneralError,
    Warning,
    Deprecated,
    /// Script security violation (exit 6).
    Security,
    /// A config file that `includem`/`includew`/`includeb`/`includea`, `include_check` or
    /// `-e` require is missing or unreadable: keepalived -t exits 6
    /// (`KEEPALIVED_EXIT_NO_CONFIG`) even when warnings were reported (observed on 2.2.7).
    NoConfig,
    /// keepalived stops reading at once (`KEEPALIVED_EXIT_CONFIG`, exit 2): a keyword whose
    /// handler needs a parameter that is missing ("Configuration line starting `X` is
    /// missing a parameter"). Not in `config_err_t`: keepalived exits from the parser, so
    /// it beats every other class. We keep reading to report the rest.
    Abort,
}

impl ErrorClass {
    /// The exit status of `keepalived -t` for this class (`main.c:config_test_exit`).
    pub fn exit_code(self) -> i32 {
        match self {
            ErrorClass::FileNotFound | ErrorClass::BadIf | ErrorClass::Fatal => 4,
            ErrorClass::Security | ErrorClass::NoConfig => 6,
            ErrorClass::Abort => 2,
            _ => 5,
        }
    }
}

/// One message about the configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// `None` for a notice that does not affect the verdict (for example a keyword that is
    /// parsed but not acted on yet).
    pub class: Option<ErrorClass>,
    pub loc: Option<Loc>,
    pub msg: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.class {
            None => "note",
            Some(ErrorClass::Warning) => "warning",
            Some(ErrorClass::Deprecated) => "deprecated",
            Some(ErrorClass::Security) => "security",
            Some(ErrorClass::Abort) => "error",
            Some(ErrorClass::UnknownKeyword) => "warning",
            Some(_) => "error",
        };
        match &self.loc {
            Some(loc) => write!(f, "{loc}: {kind}: {}", self.msg),
            None => write!(f, "{kind}: {}", self.msg),
        }
    }
}

/// Everything reported while reading and validating one configuration.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn report(&mut self, class: ErrorClass, loc: Option<&Loc>, msg: impl Into<String>) {
        self.items.push(Diagnostic {
            class: Some(class),
            loc: loc.cloned(),
            msg: msg.into(),
        });
    }

    /// Report at a location (the common case).
    pub fn at(&mut self, class: ErrorClass, loc: &Loc, msg: impl Into<String>) {
        self.report(class, Some(loc), msg);
    }

    pub fn notice(&mut self, loc: Option<&Loc>, msg: impl Into<String>) {
        self.items.push(Diagnostic {
            class: None,
            loc: loc.cloned(),
            msg: msg.into(),
        });
    }

    /// The worst class reported, if any.
    pub fn worst(&self) -> Option<ErrorClass> {
        self.items.iter().filter_map(|d| d.class).max()
    }

    /// The exit status `keepalived -t` would give: 0 when nothing was reported.
    pub fn exit_code(&self) -> i32 {
        self.worst().map_or(0, ErrorClass::exit_code)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.class.is_some())
    }

    pub fn has(&self, class: ErrorClass) -> bool {
        self.items.iter().any(|d| d.class == Some(class))
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worst_class_follows_keepalived_order() {
        let mut d = Diagnostics::new();
        assert_eq!(d.exit_code(), 0);
        let loc = Loc::new("a.conf", 3);
        d.at(ErrorClass::BadIf, &loc, "interface eth9 does not exist");
        assert_eq!(d.exit_code(), 4);
        // A warning outranks a bad interface, as observed with keepalived 2.2.7.
        d.at(ErrorClass::Warning, &loc, "something");
        assert_eq!(d.exit_code(), 5);
        d.at(ErrorClass::Security, &loc, "script security");
        assert_eq!(d.exit_code(), 6);
        d.at(ErrorClass::Abort, &loc, "missing parameter");
        assert_eq!(d.exit_code(), 2);
        d.notice(None, "not acted on");
        assert_eq!(d.worst(), Some(ErrorClass::Abort));
    }

    #[test]
    fn display_carries_file_and_line() {
        let mut d = Diagnostics::new();
        d.at(
            ErrorClass::UnknownKeyword,
            &Loc::new("/etc/k.conf", 12),
            "Unknown keyword 'x'",
        );
        assert_eq!(
            d.items[0].to_string(),
            "/etc/k.conf:12: warning: Unknown keyword 'x'"
        );
    }
}
