//! Diagnostics of the config reader: source locations, keepalived's error classes and the
//! collected list of messages. Every stage (preprocessor, lexer, tree, model, validation)
//! reports through [`Diagnostics`]; `keepalived-rs -t` maps the worst class to an exit code.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// Where a line came from: the file it was read from and its 1-based line number there,
/// preserved through `include`, `$VAR` expansion and `~SEQ`/`~LST` expansion.
///
/// Serialized as `{file, line}` in human-readable formats; in binary ones (the IPC's
/// bincode) inside a [`FileTableScope`] each file name goes once per message and later
/// locations refer to it by number (see [`file_table_scope`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Loc {
    pub file: Arc<str>,
    pub line: u32,
}

/// `Loc` as human-readable formats see it (the shape the derive gave).
#[derive(Serialize)]
#[serde(rename = "Loc")]
struct LocText<'a> {
    file: &'a str,
    line: u32,
}

#[derive(Deserialize)]
#[serde(rename = "Loc")]
struct LocTextOwned {
    file: Arc<str>,
    line: u32,
}

/// `Loc` in binary formats: (file number, the name if not sent before, line). The number
/// is [`NO_TABLE`] outside a [`FileTableScope`], with the name always present.
#[derive(Serialize)]
struct LocBin<'a>(u32, Option<&'a str>, u32);

#[derive(Deserialize)]
struct LocBinOwned(u32, Option<Box<str>>, u32);

const NO_TABLE: u32 = u32::MAX;

/// The files met so far in the message being encoded or decoded on this thread.
#[derive(Default)]
struct FileTable {
    names: Vec<Arc<str>>,
}

thread_local! {
    static FILES: std::cell::RefCell<Option<FileTable>> = const { std::cell::RefCell::new(None) };
}

/// While this lives, locations serialized or deserialized on this thread in a binary
/// format share one table of file names: a 1,000-instance configuration repeats its file
/// name in 4,000 locations, 85 % of its encoding (and one `String` each once decoded).
/// The IPC codec holds one around each message it encodes or decodes.
#[derive(Debug)]
pub struct FileTableScope(());

/// Starts a table for one message (a scope already open on this thread is replaced).
pub fn file_table_scope() -> FileTableScope {
    FILES.with(|f| *f.borrow_mut() = Some(FileTable::default()));
    FileTableScope(())
}

impl Drop for FileTableScope {
    fn drop(&mut self) {
        FILES.with(|f| *f.borrow_mut() = None);
    }
}

impl Serialize for Loc {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            return LocText {
                file: &self.file,
                line: self.line,
            }
            .serialize(s);
        }
        let (id, name) = FILES.with(|f| match f.borrow_mut().as_mut() {
            None => (NO_TABLE, Some(&*self.file)),
            Some(t) => match t.names.iter().position(|n| *n == self.file) {
                Some(i) => (u32::try_from(i).unwrap_or(NO_TABLE), None),
                None => {
                    t.names.push(self.file.clone());
                    (
                        u32::try_from(t.names.len() - 1).unwrap_or(NO_TABLE),
                        Some(&*self.file),
                    )
                }
            },
        });
        // Past u32::MAX files (never) the name goes in full.
        let name = if id == NO_TABLE {
            Some(&*self.file)
        } else {
            name
        };
        LocBin(id, name, self.line).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Loc {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let l = LocTextOwned::deserialize(d)?;
            return Ok(Loc {
                file: l.file,
                line: l.line,
            });
        }
        let LocBinOwned(id, name, line) = LocBinOwned::deserialize(d)?;
        let file = FILES.with(|f| {
            let mut f = f.borrow_mut();
            let table = f.as_mut().filter(|_| id != NO_TABLE);
            match (table, name) {
                (None, Some(n)) => Ok(Arc::from(n)),
                (None, None) => Err("a file reference outside a file table"),
                (Some(t), Some(n)) => {
                    let n: Arc<str> = Arc::from(n);
                    if usize::try_from(id).ok() == Some(t.names.len()) {
                        t.names.push(n.clone());
                        Ok(n)
                    } else {
                        Err("a file name out of sequence")
                    }
                }
                (Some(t), None) => usize::try_from(id)
                    .ok()
                    .and_then(|i| t.names.get(i))
                    .cloned()
                    .ok_or("a reference to an unknown file"),
            }
        });
        file.map(|file| Loc { file, line })
            .map_err(serde::de::Error::custom)
    }
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
    fn locations_keep_their_json_shape() {
        let l = Loc::new("/etc/k.conf", 12);
        let j = serde_json::to_string(&l).unwrap();
        assert_eq!(j, r#"{"file":"/etc/k.conf","line":12}"#);
        assert_eq!(serde_json::from_str::<Loc>(&j).unwrap(), l);
        // Inside a table scope too: the table is for binary formats only.
        let _t = file_table_scope();
        assert_eq!(
            serde_json::to_string(&[&l, &l]).unwrap(),
            format!("[{j},{j}]")
        );
    }

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
