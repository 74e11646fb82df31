//! The preprocessor of keepalived.conf: reads the main file and what it includes, applies
//! `@ID`/`@^ID` conditional lines, `$NAME=VALUE` definitions and their expansion (with the
//! predefined `${_PWD}`, `${_INSTANCE}`, `${_RANDOM}`, `${_ENV}`, `${_HASH}`, `${_BANG}`),
//! `~SEQ`/`~SEQx`/`~LST` repetition and the `include*` directives, and hands every resulting
//! logical line to the lexer. Each produced line keeps the `file:line` it came from (for
//! expanded text: the line where the expansion was used). Called by [`crate::read_tree`]
//! and [`crate::load_str`].
//!
//! `include_check` and `random_seed` inside `global_defs` take effect here, while reading,
//! because they change how the following lines are read; the global_defs parser only has
//! to accept them.
//!
//! The behaviour follows keepalived 2.2.7 (`lib/parser.c`: `read_line`, `check_definition`,
//! `replace_param`, `add_seq`, `add_lst`, `check_include`); where it was checked with
//! `keepalived -t`, the tests say so.

use crate::diag::{Diagnostics, ErrorClass, Loc};
use crate::lexer::{self, Token};
use crate::tree::TokLine;
use crate::ReadOptions;
use std::borrow::Cow;
use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `include_check` bits. `match`, `wildcard_match` and `brace_match` imply `read`.
const CHECK_READ: u8 = 1;
const CHECK_MATCH: u8 = 2;
const CHECK_WILDCARD: u8 = 4;
const CHECK_BRACE: u8 = 8;
const CHECK_ALL: u8 = CHECK_READ | CHECK_MATCH | CHECK_WILDCARD | CHECK_BRACE;

/// keepalived follows a self-include until it runs out of file descriptors; we stop here.
const MAX_INCLUDE_DEPTH: usize = 32;
/// Nesting of multi-line expansions and `~SEQ`/`~LST` (a definition that uses itself).
const MAX_EXPANSION_DEPTH: usize = 64;
/// keepalived refuses substitutions beyond its line buffer; ours is larger but bounded.
const MAX_LINE_LEN: usize = 16 * 1024;
/// Replacements in one line, so `$A=x $A` cannot loop forever.
const MAX_REPLACEMENTS: usize = 1_000;
/// Lines processed in total (including `~SEQ` iterations), so a config cannot expand
/// without bound. The man page example of 65,024 instances stays well below it.
const MAX_WORK: usize = 8_000_000;
/// What the produced lines may cost downstream (tokens, tree, model, messages), estimated
/// per line as `LINE_COST + its length + TOKEN_COST per token + OPEN_COST per '{'`, from
/// the sizes measured for the most expensive shapes (a `virtual_ipaddress` line takes
/// ~400 bytes, a one-line `vrrp_instance` block with its messages ~2.7 KB). Without a
/// limit, nested `~SEQ` lines take gigabytes (1925 x 1925 lines took 1.5 GB). At the limit
/// the worst shapes measured peak at 0.6-1.35 GB in `-t` and take 1-5 s; the man page
/// example of 65,024 instances (1 million lines, 0.47 GB in memory) is estimated at
/// 0.88 GB and passes.
const MAX_SIZE: usize = 1 << 30;
const LINE_COST: usize = 400;
const TOKEN_COST: usize = 48;
const OPEN_COST: usize = 1536;
/// Files read through includes in total (a file including itself twice would otherwise
/// double at each level).
const MAX_INCLUDED_FILES: usize = 10_000;
/// Alternatives of one brace pattern in an include.
const MAX_BRACE_ALTERNATIVES: usize = 1024;

/// One `$NAME=` definition: its lines (more than one for a multi-line definition).
#[derive(Clone, Debug)]
struct Def {
    lines: Vec<String>,
    /// Defined with a trailing `\`: only expanded where the reference ends the line.
    multiline: bool,
}

/// Read `path` (and what it includes) into tokenized lines.
pub fn read_file(path: &Path, opts: &ReadOptions, diags: &mut Diagnostics) -> Vec<TokLine> {
    let mut pre = Pre::new(opts, diags, path.parent().map(Path::to_path_buf));
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            pre.run_text(Arc::from(path.display().to_string()), &text);
        }
        Err(e) => {
            // keepalived 2.2.7 -t on a missing file only prints this and exits 0; with -e it
            // exits 4 (see the reference, section 2).
            let msg = format!("Config files missing '{}': {e}", path.display());
            if opts.all_config {
                pre.diags.report(ErrorClass::FileNotFound, None, msg);
            } else {
                pre.diags.notice(None, msg);
            }
        }
    }
    pre.out
}

/// Preprocess text that came from `name` (a file path, or a label for tests and fuzzing).
/// Relative includes resolve against the current directory.
pub fn read_str(
    name: &str,
    text: &str,
    opts: &ReadOptions,
    diags: &mut Diagnostics,
) -> Vec<TokLine> {
    read_str_with_limits(name, text, opts, Limits::default(), diags)
}

/// How far a config may expand (see [`MAX_SIZE`] and [`MAX_WORK`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Estimated size in memory of the lines produced by expansions, in bytes.
    pub expanded_size: usize,
    /// Lines processed, including every `~SEQ`/`~LST` iteration.
    pub work: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            expanded_size: MAX_SIZE,
            work: MAX_WORK,
        }
    }
}

/// [`read_str`] with other limits: the fuzz target uses smaller ones so that each input
/// runs well within its time limit (an expansion up to the real limits takes seconds).
pub fn read_str_with_limits(
    name: &str,
    text: &str,
    opts: &ReadOptions,
    limits: Limits,
    diags: &mut Diagnostics,
) -> Vec<TokLine> {
    let mut pre = Pre::new(opts, diags, None);
    pre.max_size = limits.expanded_size;
    pre.max_work = limits.work;
    pre.run_text(Arc::from(name), text);
    pre.out
}

/// keepalived's default config id: the host name up to the first dot.
fn short_hostname() -> String {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    let name = name.trim();
    name.split('.').next().unwrap_or("").to_string()
}

fn trim_blank(s: &str) -> &str {
    s.trim_matches([' ', '\t'])
}

/// A `Cow` narrowed to `s[from..]` without copying a borrowed line.
fn cow_from(s: Cow<'_, str>, from: usize) -> Cow<'_, str> {
    match s {
        Cow::Borrowed(b) => Cow::Borrowed(b.get(from..).unwrap_or("")),
        Cow::Owned(o) => Cow::Owned(o.get(from..).unwrap_or("").to_string()),
    }
}

struct Pre<'a> {
    opts: &'a ReadOptions,
    diags: &'a mut Diagnostics,
    out: Vec<TokLine>,
    config_id: String,
    defs: HashMap<String, Def>,
    /// The `include_check` bits in force for the file being read.
    checks: u8,
    include_depth: usize,
    included_files: usize,
    /// Directory of each file being read (innermost last); `None` means the current
    /// directory. Relative includes and `${_PWD}` use the innermost one.
    dirs: Vec<Option<PathBuf>>,
    /// Brace depth over the whole input and where `global_defs` is open, to find
    /// `include_check` lines while reading.
    brace_depth: usize,
    global_level: Option<usize>,
    global_pending: bool,
    rng: u64,
    work: usize,
    max_work: usize,
    aborted: bool,
    /// Estimated size of the lines produced so far (see [`MAX_SIZE`]).
    size: usize,
    max_size: usize,
    /// The size limit was hit while expanding the current physical line: the rest of its
    /// expansion (further `~SEQ`/`~LST` values, multi-line definition lines) is dropped.
    line_stopped: bool,
    /// The file being read was included from an expanded line (a `~SEQ` of includes):
    /// its lines count as expanded.
    expanded_include: bool,
}

impl<'a> Pre<'a> {
    fn new(opts: &'a ReadOptions, diags: &'a mut Diagnostics, dir: Option<PathBuf>) -> Self {
        let config_id = if opts.config_id.is_empty() {
            short_hostname()
        } else {
            opts.config_id.clone()
        };
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9e37_79b9_7f4a_7c15)
            ^ u64::from(std::process::id());
        Pre {
            opts,
            diags,
            out: Vec::new(),
            config_id,
            defs: HashMap::new(),
            checks: 0,
            include_depth: 0,
            included_files: 0,
            dirs: vec![dir.filter(|d| !d.as_os_str().is_empty())],
            brace_depth: 0,
            global_level: None,
            global_pending: false,
            rng: seed | 1,
            work: 0,
            max_work: MAX_WORK,
            aborted: false,
            size: 0,
            max_size: MAX_SIZE,
            line_stopped: false,
            expanded_include: false,
        }
    }

    /// Read the physical lines of one file (or string).
    fn run_text(&mut self, file: Arc<str>, text: &str) {
        // A multi-line definition being collected: its name.
        let mut collecting: Option<String> = None;
        for (idx, raw) in text.split('\n').enumerate() {
            if self.aborted {
                return;
            }
            let raw = raw.trim_end_matches(['\r', '\n']);
            let phys = lexer::decomment(raw);
            if let Some(name) = &collecting {
                // Continuation of `$NAME= ... \`: each line ending in `\` continues it; a
                // blank (or comment-only) line ends it, as in keepalived.
                let (body, more) = match phys.strip_suffix('\\') {
                    Some(b) => (trim_blank(b), true),
                    None => (&*phys, false),
                };
                if let Some(def) = self.defs.get_mut(name.as_str()) {
                    if !body.is_empty() {
                        def.lines.push(body.to_string());
                    }
                    if !more || phys.is_empty() {
                        if def.lines.is_empty() {
                            def.multiline = false;
                        }
                        collecting = None;
                    }
                } else {
                    collecting = None;
                }
                continue;
            }
            if phys.is_empty() {
                continue;
            }
            let loc = Loc {
                file: file.clone(),
                line: u32::try_from(idx + 1).unwrap_or(u32::MAX),
            };
            self.line_stopped = false;
            collecting = self.process_line(phys, &loc, 0);
        }
    }

    fn error(&mut self, class: ErrorClass, loc: &Loc, msg: String) {
        self.diags.at(class, loc, msg);
    }

    /// Count work done; stop everything once the budget is spent.
    fn spend(&mut self, loc: &Loc) -> bool {
        self.work += 1;
        if self.work > self.max_work && !self.aborted {
            self.aborted = true;
            self.error(
                ErrorClass::GeneralError,
                loc,
                format!(
                    "Configuration expands to more than {} lines - stopping",
                    self.max_work
                ),
            );
        }
        !self.aborted
    }

    /// One logical line: conditionals, definitions, sequences/lists, expansion, then
    /// include or tokenizing. Returns the name of a multi-line definition that continues on
    /// the next physical lines.
    fn process_line(&mut self, line: Cow<'_, str>, loc: &Loc, depth: usize) -> Option<String> {
        if self.line_stopped || !self.spend(loc) {
            return None;
        }
        if depth > MAX_EXPANSION_DEPTH {
            self.error(
                ErrorClass::GeneralError,
                loc,
                format!("Definitions nested more than {MAX_EXPANSION_DEPTH} levels deep at '{line}' - ignoring"),
            );
            return None;
        }
        let mut line = line;
        let mut substituted = false;
        // Further lines of multi-line definitions used on this line, in order.
        let mut tail: Vec<String> = Vec::new();
        let mut rounds = 0;
        loop {
            rounds += 1;
            if rounds > 2 * MAX_EXPANSION_DEPTH {
                self.error(
                    ErrorClass::GeneralError,
                    loc,
                    format!("Parameter expansion of '{line}' does not terminate - ignoring"),
                );
                return None;
            }
            if line.starts_with('@') {
                let off = self.conditional(&line)?;
                line = cow_from(line, off);
            }
            if line.starts_with('$') {
                if let Some(cont) = self.define(&line, depth) {
                    return cont;
                }
            }
            if line.starts_with("~SEQ") {
                self.seq(&line, loc, depth);
                line = Cow::Borrowed("");
                break;
            }
            if line.starts_with("~LST") {
                self.lst(&line, loc, depth);
                line = Cow::Borrowed("");
                break;
            }
            if line.starts_with('~') || !line.contains('$') {
                break;
            }
            match self.expand(&line, loc) {
                Some((text, extra)) => {
                    substituted = true;
                    line = Cow::Owned(text);
                    if !extra.is_empty() {
                        tail.splice(0..0, extra);
                    }
                }
                None => break,
            }
        }
        let line = trim_blank(&line);
        if !line.is_empty() {
            self.emit(line, loc, depth > 0 || substituted);
        }
        for t in tail {
            if self.aborted || self.line_stopped {
                break;
            }
            // A definition inside an expansion cannot continue on physical lines.
            let _ = self.process_line(Cow::Owned(t), loc, depth + 1);
        }
        None
    }

    /// `@ID rest` / `@^ID rest`: the offset of `rest` when the line is kept.
    fn conditional(&self, line: &str) -> Option<usize> {
        let (neg, start) = if line.get(1..2) == Some("^") {
            (true, 2)
        } else {
            (false, 1)
        };
        let rest = line.get(start..)?;
        // Nothing after the id: the line is dropped either way.
        let sp = rest.find([' ', '\t'])?;
        let id = rest.get(..sp)?;
        let matches = !self.config_id.is_empty() && id == self.config_id;
        if matches == neg {
            return None;
        }
        let after = rest.get(sp..)?;
        let skip = after.len() - after.trim_start_matches([' ', '\t']).len();
        Some(start + sp + skip)
    }

    /// `$NAME=VALUE`. `None` when the line is not a definition; otherwise the name of a
    /// multi-line definition to continue (`Some(Some(name))`) or `Some(None)`.
    fn define(&mut self, line: &str, depth: usize) -> Option<Option<String>> {
        let bytes = line.as_bytes();
        let first = *bytes.get(1)?;
        if !(first.is_ascii_alphabetic() || first == b'_') {
            return None;
        }
        // No space is allowed before '=' (checked with keepalived -t: `$A =x` is not a
        // definition).
        let eq = 2 + bytes
            .get(2..)?
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_'))?;
        if bytes.get(eq) != Some(&b'=') {
            return None;
        }
        let name = line.get(1..eq)?.to_string();
        let value = line.get(eq + 1..)?.trim_start_matches([' ', '\t']);
        match value.strip_suffix('\\') {
            Some(v) if depth == 0 => {
                let v = trim_blank(v);
                let lines = if v.is_empty() {
                    Vec::new()
                } else {
                    vec![v.to_string()]
                };
                self.defs.insert(
                    name.clone(),
                    Def {
                        lines,
                        multiline: true,
                    },
                );
                Some(Some(name))
            }
            Some(v) => {
                self.define_one(name, trim_blank(v).to_string());
                Some(None)
            }
            None => {
                self.define_one(name, value.to_string());
                Some(None)
            }
        }
    }

    /// Replace the definitions used in `line`. Expansion is recursive (the replacement is
    /// scanned again) and stops after a value starting with `~`, so a sequence produced by
    /// a definition is handled on the next round. Returns `None` when nothing changed.
    /// The second result holds the further lines of multi-line definitions.
    fn expand(&mut self, line: &str, loc: &Loc) -> Option<(String, Vec<String>)> {
        let mut s = line.to_string();
        let mut extra: Vec<String> = Vec::new();
        let mut pos = 0;
        let mut count = 0;
        while let Some(off) = s.get(pos..).and_then(|r| r.find('$')) {
            let at = pos + off;
            let Some((end, mut lines)) = self.lookup(&s, at) else {
                pos = at + 1;
                continue;
            };
            count += 1;
            let first = if lines.is_empty() {
                String::new()
            } else {
                lines.remove(0)
            };
            if count > MAX_REPLACEMENTS || s.len() + first.len() > MAX_LINE_LEN {
                self.error(
                    ErrorClass::GeneralError,
                    loc,
                    format!(
                        "Parameter substitution on line '{line}' would exceed maximum line length"
                    ),
                );
                return None;
            }
            let stop = trim_blank(&first).starts_with('~');
            s.replace_range(at..end, &first);
            if !lines.is_empty() {
                extra.splice(0..0, lines);
            }
            pos = at;
            if stop {
                break;
            }
        }
        (count > 0).then_some((s, extra))
    }

    /// The reference starting with the `$` at `at`: its end and value lines.
    fn lookup(&mut self, s: &str, at: usize) -> Option<(usize, Vec<String>)> {
        let bytes = s.as_bytes();
        let braces = bytes.get(at + 1) == Some(&b'{');
        let start = at + 1 + usize::from(braces);
        let first = *bytes.get(start)?;
        if !(first.is_ascii_alphabetic() || first == b'_') {
            return None;
        }
        let name_end = start
            + 1
            + bytes
                .get(start + 1..)?
                .iter()
                .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_')
                .count();
        let name = s.get(start..name_end)?;
        let (end, params) = if braces {
            let close = name_end + s.get(name_end..)?.find('}')?;
            let params = s.get(name_end..close)?;
            if !params.is_empty() && !params.starts_with(' ') {
                return None;
            }
            (close + 1, trim_blank(params))
        } else {
            // `$NAME` must be followed by whitespace (or `,`/`)` inside ~SEQ/~LST).
            match bytes.get(name_end) {
                None | Some(b' ' | b'\t' | b',' | b')') => {}
                _ => return None,
            }
            (name_end, "")
        };
        let at_end = end == s.len();
        if params.is_empty() {
            if let Some(def) = self.defs.get(name) {
                if def.multiline && !at_end {
                    return None;
                }
                return Some((end, def.lines.clone()));
            }
        }
        let value = self.builtin(name, params)?;
        Some((end, vec![value]))
    }

    /// The predefined definitions (`set_std_definitions`); user definitions override them.
    fn builtin(&mut self, name: &str, params: &str) -> Option<String> {
        match (name, params.is_empty()) {
            ("_PWD", true) => Some(self.pwd()),
            ("_INSTANCE", true) => Some(self.config_id.clone()),
            ("_HASH", true) => Some("#".into()),
            ("_BANG", true) => Some("!".into()),
            ("_RANDOM", _) => {
                let mut nums = params.split_ascii_whitespace();
                let parse = |w: Option<&str>, dflt: u64| -> Option<u64> {
                    match w {
                        None => Some(dflt),
                        Some(w) if w.bytes().all(|b| b.is_ascii_digit()) => w.parse().ok(),
                        Some(_) => None,
                    }
                };
                let min = parse(nums.next(), 0)?;
                let max = parse(nums.next(), 32767)?;
                if nums.next().is_some() {
                    return None;
                }
                let (lo, hi) = if min <= max { (min, max) } else { (max, min) };
                let span = (hi - lo).saturating_add(1);
                Some((lo + self.next_random() % span).to_string())
            }
            // Newer keepalived (not 2.2.7, which leaves `${_ENV X}` unchanged).
            ("_ENV", false) => Some(std::env::var(params).unwrap_or_default()),
            _ => None,
        }
    }

    fn next_random(&mut self) -> u64 {
        // xorshift64: `${_RANDOM}` needs no cryptographic quality.
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng = x;
        x
    }

    /// `${_PWD}`: the absolute directory of the file being read.
    fn pwd(&self) -> String {
        let cwd = std::env::current_dir().unwrap_or_default();
        let dir = match self.dirs.last().and_then(|d| d.as_ref()) {
            Some(d) => cwd.join(d),
            None => cwd,
        };
        std::fs::canonicalize(&dir)
            .unwrap_or(dir)
            .display()
            .to_string()
    }

    /// Expand the definitions in a `~SEQ`/`~LST` parameter list (single-line only).
    fn expand_params(&mut self, params: &str, what: &str, line: &str, loc: &Loc) -> Option<String> {
        if !params.contains('$') {
            return Some(params.to_string());
        }
        match self.expand(params, loc) {
            None => Some(params.to_string()),
            Some((text, extra)) if extra.is_empty() => Some(text),
            Some(_) => {
                self.error(
                    ErrorClass::GeneralError,
                    loc,
                    format!("{what} parameter is multiline definition '{line}'"),
                );
                None
            }
        }
    }

    /// `~SEQ(var, [start,] [step,] end) rest` and `~SEQx(...)`: `rest` once per value, with
    /// `$var` defined as the value (decimal, or lower-case hex for `~SEQx`).
    fn seq(&mut self, line: &str, loc: &Loc, depth: usize) {
        let invalid = |pre: &mut Self, what: &str| {
            pre.error(
                ErrorClass::GeneralError,
                loc,
                format!("Invalid ~SEQ {what} '{line}'"),
            );
        };
        let body = line.get(4..).unwrap_or("");
        let (hex, body) = match body.strip_prefix('x') {
            Some(b) => (true, b),
            None => (false, body),
        };
        let Some(body) = body.trim_start_matches([' ', '\t']).strip_prefix('(') else {
            return invalid(self, "specification");
        };
        let Some(close) = body.find(')') else {
            return invalid(self, "definition");
        };
        let (spec, rest) = (
            body.get(..close).unwrap_or(""),
            body.get(close + 1..).unwrap_or(""),
        );
        let spec = spec.trim_start_matches([' ', '\t']);
        let var_end = spec.find([' ', '\t', ',']).unwrap_or(spec.len());
        let var = spec.get(..var_end).unwrap_or("");
        let Some(params) = spec
            .get(var_end..)
            .map(|p| p.trim_start_matches([' ', '\t']))
            .and_then(|p| p.strip_prefix(','))
        else {
            return invalid(self, "definition");
        };
        if var.is_empty() {
            return invalid(self, "definition");
        }
        let Some(params) = self.expand_params(params, "~SEQ", line, loc) else {
            return;
        };
        // Numbers as C's strtol(..., 0): decimal, 0x hex or 0 octal; a missing one is 0.
        let nums: Vec<Option<i64>> = params.split(',').map(parse_c_long).collect();
        if nums.iter().any(Option::is_none) || nums.len() > 3 {
            return invalid(self, "definition");
        }
        let nums: Vec<i64> = nums.into_iter().flatten().collect();
        let (start, step, end) = match nums.as_slice() {
            [end] => (
                if *end < 0 { -1 } else { 1 },
                if *end < 1 { -1 } else { 1 },
                *end,
            ),
            [start, end] => (*start, if start <= end { 1 } else { -1 }, *end),
            [start, step, end] => {
                if *step == 0 || (start < end && *step < 0) || (start > end && *step > 0) {
                    return invalid(self, "values");
                }
                (*start, *step, *end)
            }
            _ => return invalid(self, "definition"),
        };
        if hex && (start < 0 || end < 0) {
            return self.error(
                ErrorClass::GeneralError,
                loc,
                format!("~SEQx is only valid for positive numbers '{line}'"),
            );
        }
        let rest = trim_blank(rest).to_string();
        let var = var.to_string();
        let mut v = start;
        loop {
            let val = if hex { format!("{v:x}") } else { v.to_string() };
            self.define_one(var.clone(), val);
            let _ = self.process_line(Cow::Borrowed(&rest), loc, depth + 1);
            if self.aborted || self.line_stopped {
                return;
            }
            match v.checked_add(step) {
                Some(n) if (step > 0 && n <= end) || (step < 0 && n >= end) => v = n,
                _ => break,
            }
        }
    }

    /// Defines `name` as the one-line value `value` (`$name=value`, a ~SEQ or ~LST variable).
    fn define_one(&mut self, name: String, value: String) {
        self.defs.insert(
            name,
            Def {
                lines: vec![value],
                multiline: false,
            },
        );
    }

    /// `~LST(var, v1, v2, ...) rest` and `~LST({a,b}, {1,2}, {3,4}) rest`.
    fn lst(&mut self, line: &str, loc: &Loc, depth: usize) {
        let invalid = |pre: &mut Self| {
            pre.error(
                ErrorClass::GeneralError,
                loc,
                format!("Invalid ~LST specification '{line}'"),
            );
        };
        let Some(body) = line
            .get(4..)
            .unwrap_or("")
            .trim_start_matches([' ', '\t'])
            .strip_prefix('(')
        else {
            return invalid(self);
        };
        let Some(close) = body.find(')') else {
            return invalid(self);
        };
        let (spec, rest) = (
            body.get(..close).unwrap_or(""),
            body.get(close + 1..).unwrap_or(""),
        );
        let Some(spec) = self.expand_params(spec, "~LST", line, loc) else {
            return;
        };
        let Some((vars, tuples)) = parse_lst(&spec) else {
            return invalid(self);
        };
        if tuples.iter().any(|t| t.len() > vars.len()) {
            self.error(
                ErrorClass::GeneralError,
                loc,
                format!("~LST specification has too many values '{line}'"),
            );
            return invalid(self);
        }
        let rest = trim_blank(rest).to_string();
        for tuple in tuples {
            for (i, var) in vars.iter().enumerate() {
                let val = tuple.get(i).cloned().unwrap_or_default();
                self.define_one(var.clone(), val);
            }
            let _ = self.process_line(Cow::Borrowed(&rest), loc, depth + 1);
            if self.aborted || self.line_stopped {
                return;
            }
        }
    }

    /// A finished logical line: an include, or tokens for the tree. `expanded`: the line
    /// comes from a definition, `~SEQ` or `~LST` (only those are cut at [`MAX_SIZE`]; the
    /// lines of the files themselves are bounded by the files).
    fn emit(&mut self, line: &str, loc: &Loc, expanded: bool) {
        let expanded = expanded || self.expanded_include;
        if self.line_stopped {
            return;
        }
        let kw_end = line.find([' ', '\t']).unwrap_or(line.len());
        let kw = line.get(..kw_end).unwrap_or("");
        if kw.starts_with("include") {
            let variant = match kw {
                "include" => Some(0),
                "includer" => Some(CHECK_READ),
                "includem" => Some(CHECK_MATCH),
                "includew" => Some(CHECK_WILDCARD),
                "includeb" => Some(CHECK_BRACE),
                "includea" => Some(CHECK_ALL),
                _ => None,
            };
            // The file name is the rest of the line as written, quotes included (checked
            // with keepalived -t 2.2.7: `include "x.conf"` looks for `"x.conf"`).
            let pattern = trim_blank(line.get(kw_end..).unwrap_or(""));
            if let (Some(bits), false) = (variant, pattern.is_empty()) {
                let saved = self.expanded_include;
                self.expanded_include = expanded;
                self.include(bits, pattern, loc);
                self.expanded_include = saved;
                return;
            }
        }
        let mut tokens: Vec<Token> = Vec::new();
        lexer::tokenize_into(line, loc, self.diags, &mut tokens);
        if tokens.is_empty() {
            return;
        }
        let cost = estimated_size(line, &tokens);
        if expanded && self.size.saturating_add(cost) > self.max_size {
            self.line_stopped = true;
            self.error(
                ErrorClass::GeneralError,
                loc,
                format!(
                    "Expanded configuration exceeds {} MB (estimated size in memory) - ignoring the rest of this line's expansion",
                    self.max_size >> 20
                ),
            );
            return;
        }
        self.size = self.size.saturating_add(cost);
        self.track_global(&tokens, loc);
        self.out.push(TokLine {
            loc: loc.clone(),
            tokens,
        });
    }

    /// Follow the braces to see `include_check` inside `global_defs` while reading, since
    /// it changes how the following includes are checked.
    fn track_global(&mut self, tokens: &[Token], loc: &Loc) {
        // A statement starts at the start of the line and after each brace.
        let mut stmt_start = true;
        for (i, tok) in tokens.iter().enumerate() {
            match tok {
                Token::Word(w) if stmt_start => {
                    stmt_start = false;
                    if self.brace_depth == 0 {
                        self.global_pending = w == "global_defs";
                    } else if w == "random_seed" && self.global_level == Some(self.brace_depth) {
                        // Makes `${_RANDOM}` repeatable from here on (our generator, so the
                        // numbers differ from keepalived's random()).
                        if let Some(seed) = tokens.get(i + 1).and_then(|t| match t {
                            Token::Word(a) => a.parse::<u32>().ok(),
                            _ => None,
                        }) {
                            self.rng = (u64::from(seed) << 1) ^ 0x9e37_79b9_7f4a_7c15 | 1;
                        }
                    } else if w == "include_check" && self.global_level == Some(self.brace_depth) {
                        let args: Vec<&str> = tokens
                            .get(i + 1..)
                            .unwrap_or(&[])
                            .iter()
                            .map_while(|t| match t {
                                Token::Word(a) => Some(a.as_str()),
                                _ => None,
                            })
                            .collect();
                        self.include_check(&args, loc);
                    }
                }
                Token::Word(_) => {}
                Token::Open => {
                    stmt_start = true;
                    self.brace_depth += 1;
                    if self.global_pending && self.brace_depth == 1 {
                        self.global_level = Some(1);
                    }
                    self.global_pending = false;
                }
                Token::Close => {
                    stmt_start = true;
                    if self.global_level == Some(self.brace_depth) {
                        self.global_level = None;
                    }
                    self.brace_depth = self.brace_depth.saturating_sub(1);
                }
            }
        }
    }

    /// `include_check [[+|-]OPTION ...]` (no option: all checks). Names as keepalived
    /// 2.2.7 accepts them (`read`, `match`, `wildcard_match`, `brace_match`), plus
    /// `readable`, the name in the man page.
    fn include_check(&mut self, args: &[&str], loc: &Loc) {
        if args.is_empty() {
            self.checks = CHECK_ALL;
            return;
        }
        let mut bits = if args.first().is_some_and(|a| a.starts_with(['+', '-'])) {
            self.checks
        } else {
            0
        };
        let mut seen = 0u8;
        for arg in args {
            let (add, name) = match arg.strip_prefix('-') {
                Some(n) => (false, n),
                None => (true, arg.strip_prefix('+').unwrap_or(arg)),
            };
            let bit = match name {
                "read" | "readable" => CHECK_READ,
                "match" => CHECK_MATCH,
                "wildcard_match" => CHECK_WILDCARD,
                "brace_match" => CHECK_BRACE,
                _ => {
                    self.error(
                        ErrorClass::Warning,
                        loc,
                        format!("Unknown include_check type '{name}' - ignoring"),
                    );
                    continue;
                }
            };
            if seen & bit != 0 {
                self.error(
                    ErrorClass::Warning,
                    loc,
                    format!("Duplicate include_check '{name}' specified - ignoring"),
                );
                continue;
            }
            seen |= bit;
            if add {
                bits |= bit;
            } else {
                bits &= !bit;
            }
        }
        self.checks = bits;
    }

    /// Report an include problem: an error that makes `-t` exit 6 when the check applies,
    /// otherwise only a note (plain `include` never fails).
    fn include_problem(&mut self, fail: bool, loc: &Loc, msg: String) {
        if fail {
            self.diags.at(ErrorClass::NoConfig, loc, msg);
        } else {
            self.diags.notice(Some(loc), msg);
        }
    }

    /// `include*` PATTERN: glob with braces, relative to the including file's directory.
    fn include(&mut self, variant: u8, pattern: &str, loc: &Loc) {
        let checks = self.checks | variant | if self.opts.all_config { CHECK_ALL } else { 0 };
        if self.include_depth >= MAX_INCLUDE_DEPTH {
            self.error(
                ErrorClass::GeneralError,
                loc,
                format!("Include of '{pattern}' nested more than {MAX_INCLUDE_DEPTH} levels deep (include loop?) - skipping"),
            );
            return;
        }
        let base = self.dirs.last().cloned().flatten();
        let (alternatives, braced) = expand_braces(pattern);
        let mut files: Vec<PathBuf> = Vec::new();
        let mut dirs: Vec<PathBuf> = Vec::new();
        let mut brace_missing = false;
        for alt in &alternatives {
            let full = match &base {
                Some(dir) if !Path::new(alt).is_absolute() => {
                    format!(
                        "{}/{alt}",
                        glob::Pattern::escape(&dir.display().to_string())
                    )
                }
                _ => alt.clone(),
            };
            let mut found = 0;
            if let Ok(paths) = glob::glob_with(&glob3_pattern(&full), GLOB3) {
                for p in paths.flatten() {
                    if p.is_dir() {
                        dirs.push(p);
                        found += 1;
                        continue;
                    }
                    files.push(p);
                    found += 1;
                }
            }
            if found == 0 {
                brace_missing = true;
            }
        }
        // A directory is matched but not read: keepalived 2.2.7 says so, and it is an
        // error (exit 6) when the include must be readable (`includer`, `-e`, ...).
        let had_dirs = !dirs.is_empty();
        for dir in dirs {
            self.include_problem(
                checks & CHECK_READ != 0,
                loc,
                format!(
                    "Configuration file '{}/' is a directory - skipping",
                    dir.display()
                ),
            );
        }
        // Messages and their classes checked with keepalived -t 2.2.7 for every variant.
        if braced && brace_missing {
            let fail = checks & CHECK_BRACE != 0;
            self.include_problem(
                fail,
                loc,
                format!("Some config files missing: \"{pattern}\"."),
            );
            if fail {
                return;
            }
        }
        if files.is_empty() {
            if had_dirs {
                return;
            }
            if pattern.contains(['*', '?', '[']) {
                if checks & CHECK_WILDCARD != 0 {
                    self.include_problem(
                        true,
                        loc,
                        format!("No config files matched '{pattern}'."),
                    );
                }
            } else if !braced {
                let fail = checks & (CHECK_MATCH | CHECK_WILDCARD) != 0;
                self.include_problem(fail, loc, format!("Config files missing '{pattern}'."));
            }
            return;
        }
        for file in files {
            if self.aborted {
                return;
            }
            let shown = file.display().to_string();
            let text = match std::fs::metadata(&file) {
                Ok(m) if !m.is_file() || m.permissions().mode() & 0o111 != 0 => {
                    self.include_problem(
                        checks != 0,
                        loc,
                        format!("Configuration file '{shown}' is not a regular non-executable file - skipping"),
                    );
                    continue;
                }
                Ok(_) => std::fs::read(&file),
                Err(e) => Err(e),
            };
            let text = match text {
                Ok(bytes) => bytes,
                Err(e) => {
                    self.include_problem(
                        checks != 0,
                        loc,
                        format!("Configuration file '{shown}' open problem ({e}) - skipping"),
                    );
                    continue;
                }
            };
            self.included_files += 1;
            if self.included_files > MAX_INCLUDED_FILES {
                self.aborted = true;
                self.error(
                    ErrorClass::GeneralError,
                    loc,
                    format!("More than {MAX_INCLUDED_FILES} files included - stopping"),
                );
                return;
            }
            let text = String::from_utf8_lossy(&text);
            let saved_checks = self.checks;
            let saved_stopped = self.line_stopped;
            self.include_depth += 1;
            self.dirs.push(
                file.parent()
                    .map(Path::to_path_buf)
                    .filter(|d| !d.as_os_str().is_empty()),
            );
            self.run_text(Arc::from(shown), &text);
            self.dirs.pop();
            self.include_depth -= 1;
            self.checks = saved_checks;
            self.line_stopped = saved_stopped;
        }
    }
}

/// A produced line's estimated size in memory downstream (see [`MAX_SIZE`]).
fn estimated_size(line: &str, tokens: &[Token]) -> usize {
    let opens = tokens.iter().filter(|t| matches!(t, Token::Open)).count();
    LINE_COST + line.len() + TOKEN_COST * tokens.len() + OPEN_COST * opens
}

/// Matching as glob(3) does: `*` stops at `/` and does not match a leading dot.
const GLOB3: glob::MatchOptions = glob::MatchOptions {
    case_sensitive: true,
    require_literal_separator: true,
    require_literal_leading_dot: true,
};

/// glob(3) has no recursive `**` (it is just `*`); the glob crate would walk whole trees.
fn glob3_pattern(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for c in p.chars() {
        if !(c == '*' && out.ends_with('*')) {
            out.push(c);
        }
    }
    out
}

/// C's `strtol(s, _, 0)` over a whole `~SEQ` parameter: blanks around, optional sign,
/// `0x` hex, leading-`0` octal or decimal. An empty parameter is 0 (keepalived's "missing
/// number"); anything else after the number is invalid.
fn parse_c_long(s: &str) -> Option<i64> {
    let t = trim_blank(s);
    if t.is_empty() {
        return Some(0);
    }
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let v = if let Some(h) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        i64::from_str_radix(h, 16).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(digits.get(1..)?, 8).ok()?
    } else if digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()?
    } else {
        return None;
    };
    Some(if neg { -v } else { v })
}

/// The inside of `~LST(...)`: the variable names and the value tuples. Values are single
/// words (blanks around them are dropped; a blank inside one is invalid, as keepalived
/// 2.2.7 -t reports for `~LST(v, a , b c,d)`).
fn parse_lst(spec: &str) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let word = |s: &str| -> Option<String> {
        let t = trim_blank(s);
        (!t.contains([' ', '\t', '{', '}'])).then(|| t.to_string())
    };
    let spec = trim_blank(spec);
    if let Some(after) = spec.strip_prefix('{') {
        // `{a,b}, {1,2}, {3,4}`
        let close = after.find('}')?;
        let vars: Vec<String> = after
            .get(..close)?
            .split(',')
            .map(word)
            .collect::<Option<_>>()?;
        if vars.iter().any(String::is_empty) {
            return None;
        }
        let mut rest = after.get(close + 1..)?;
        let mut tuples = Vec::new();
        loop {
            let r = trim_blank(rest);
            if r.is_empty() {
                break;
            }
            let r = trim_blank(r.strip_prefix(',')?);
            let inner = r.strip_prefix('{')?;
            let close = inner.find('}')?;
            tuples.push(
                inner
                    .get(..close)?
                    .split(',')
                    .map(word)
                    .collect::<Option<Vec<_>>>()?,
            );
            rest = inner.get(close + 1..)?;
        }
        (!tuples.is_empty()).then_some((vars, tuples))
    } else {
        let mut parts = spec.split(',');
        let var = word(parts.next()?)?;
        if var.is_empty() {
            return None;
        }
        let tuples: Vec<Vec<String>> = parts
            .map(|p| word(p).map(|v| vec![v]))
            .collect::<Option<_>>()?;
        (!tuples.is_empty()).then_some((vec![var], tuples))
    }
}

/// csh-style brace expansion for include patterns (the glob crate has none):
/// `a{b,c{d,e}}f` gives `abf`, `acdf`, `acef`. The flag says whether any braces expanded.
fn expand_braces(pattern: &str) -> (Vec<String>, bool) {
    let mut out = Vec::new();
    let mut braced = false;
    expand_braces_into(pattern, &mut out, &mut braced);
    (out, braced)
}

fn expand_braces_into(s: &str, out: &mut Vec<String>, braced: &mut bool) {
    if out.len() >= MAX_BRACE_ALTERNATIVES {
        return;
    }
    let bytes = s.as_bytes();
    // The first `{` with a matching `}`; `{}` is literal, as for glob(3).
    let mut open_at = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes.get(i) {
            Some(b'\\') => i += 1,
            Some(b'{') => {
                if let Some(close) = matching_brace(bytes, i) {
                    if close > i + 1 {
                        open_at = Some((i, close));
                        break;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    let Some((open, close)) = open_at else {
        out.push(s.to_string());
        return;
    };
    *braced = true;
    let (prefix, inner, suffix) = (
        s.get(..open).unwrap_or(""),
        s.get(open + 1..close).unwrap_or(""),
        s.get(close + 1..).unwrap_or(""),
    );
    // Split `inner` at top-level commas.
    let mut depth = 0usize;
    let mut start = 0;
    let mut alts = Vec::new();
    for (j, b) in inner.bytes().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 0 => {
                alts.push(inner.get(start..j).unwrap_or(""));
                start = j + 1;
            }
            _ => {}
        }
    }
    alts.push(inner.get(start..).unwrap_or(""));
    for alt in alts {
        expand_braces_into(&format!("{prefix}{alt}{suffix}"), out, braced);
    }
}

fn matching_brace(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 1,
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> ReadOptions {
        ReadOptions {
            config_id: "vm".into(),
            ..Default::default()
        }
    }

    /// The produced lines as `line: words` strings (braces as `{`/`}`).
    fn run(text: &str) -> (Vec<String>, Diagnostics) {
        let mut d = Diagnostics::new();
        let lines = read_str("t.conf", text, &opts(), &mut d);
        let shown = lines
            .iter()
            .map(|l| {
                let words: Vec<&str> = l.tokens.iter().map(Token::as_str).collect();
                format!("{}: {}", l.loc.line, words.join(" "))
            })
            .collect();
        (shown, d)
    }

    #[test]
    fn brace_expansion() {
        assert_eq!(
            expand_braces("a{b,c}d"),
            (vec!["abd".into(), "acd".into()], true)
        );
        assert_eq!(
            expand_braces("x{1,{2,3}}y{a,b}").0,
            vec!["x1ya", "x1yb", "x2ya", "x2yb", "x3ya", "x3yb"]
        );
        assert_eq!(expand_braces("plain{}"), (vec!["plain{}".into()], false));
        assert_eq!(expand_braces("open{a,b"), (vec!["open{a,b".into()], false));
        assert_eq!(expand_braces("{,x}").0, vec!["", "x"]);
    }

    #[test]
    fn c_numbers() {
        assert_eq!(parse_c_long(" 010 "), Some(8));
        assert_eq!(parse_c_long("0x1f"), Some(31));
        assert_eq!(parse_c_long("-3"), Some(-3));
        assert_eq!(parse_c_long(""), Some(0));
        assert_eq!(parse_c_long("zz"), None);
        assert_eq!(parse_c_long("99999999999999999999"), None);
    }

    #[test]
    fn lst_spec() {
        let (v, t) = parse_lst("v, a , b").unwrap();
        assert_eq!(
            (v, t),
            (
                vec!["v".to_string()],
                vec![vec!["a".to_string()], vec!["b".to_string()]]
            )
        );
        let (v, t) = parse_lst("{p,q},{1,2}, {3}").unwrap();
        assert_eq!(v, vec!["p", "q"]);
        assert_eq!(t, vec![vec!["1", "2"], vec!["3"]]);
        assert!(parse_lst("v").is_none());
        assert!(parse_lst("v, b c").is_none());
        assert_eq!(parse_lst("v,").unwrap().1, vec![vec![String::new()]]);
    }

    #[test]
    fn definitions_and_expansion() {
        // Checked with keepalived -t 2.2.7 (first words reported as unknown keywords).
        let (l, d) = run("$A=1\n$B=${A}2\nw$B x\nw${B}y\nwx$B\n$A =no\n$A=3\nz $B\n");
        // `$A ` followed by a blank is a use, so the non-definition line expands.
        assert_eq!(
            l,
            vec!["3: w12 x", "4: w12y", "5: wx12", "6: 1 =no", "8: z 32"]
        );
        assert!(d.items.is_empty());
    }

    #[test]
    fn undefined_and_glued_names_are_left_alone() {
        let (l, _) = run("$X=1\nu $UNDEF ${UNDEF} $Xy $X,\n");
        assert_eq!(l, vec!["2: u $UNDEF $ { UNDEF } $Xy 1,"]);
    }

    #[test]
    fn self_reference_terminates() {
        let (l, d) = run("$A=x $A\nv $A\n$B=${B}\nw ${B}\n");
        assert_eq!(l.len(), 2);
        assert_eq!(d.worst(), Some(ErrorClass::GeneralError));
    }

    #[test]
    fn seq_values() {
        let (l, d) =
            run("~SEQ(i,0) r$i\n~SEQ(i,010) t$i\n~SEQ(i,3,1) d$i\n~SEQx(h,0x9,2,0xd) x$h\n");
        // keepalived -t 2.2.7: r1 r0; t1..t8 (octal); d3 d2 d1; x9 xb xd.
        assert_eq!(
            l,
            vec![
                "1: r1", "1: r0", "2: t1", "2: t2", "2: t3", "2: t4", "2: t5", "2: t6", "2: t7",
                "2: t8", "3: d3", "3: d2", "3: d1", "4: x9", "4: xb", "4: xd"
            ]
        );
        assert!(d.items.is_empty());
    }

    #[test]
    fn seq_errors() {
        for bad in [
            "~SEQ(i,1,0,3) u$i",
            "~SEQ(i,zz) x",
            "~SEQx(i,-1,2) y",
            "~SEQ(i) z",
            "~SEQ i",
        ] {
            let (l, d) = run(bad);
            assert!(l.is_empty(), "{bad}: {l:?}");
            assert_eq!(d.worst(), Some(ErrorClass::GeneralError), "{bad}");
            assert_eq!(d.items[0].loc.as_ref().map(|l| l.line), Some(1));
        }
    }

    #[test]
    fn random_seed_makes_random_repeatable() {
        let text = "global_defs {\n random_seed 42\n}\nr ${_RANDOM} ${_RANDOM 10 20}\n";
        let (a, _) = run(text);
        let (b, _) = run(text);
        assert_eq!(a, b);
        assert_eq!(a.len(), 4);
        let n: u32 = a[3].rsplit(' ').next().unwrap().parse().unwrap();
        assert!((10..=20).contains(&n));
    }

    #[test]
    fn glob_like_glob3() {
        assert_eq!(glob3_pattern("/etc/**/x***.conf"), "/etc/*/x*.conf");
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/a.conf"), "in_sub\n").unwrap();
        std::fs::write(dir.path().join(".hidden.conf"), "hidden\n").unwrap();
        std::fs::write(dir.path().join("b.conf"), "top\n").unwrap();
        let main = dir.path().join("main.cfg");
        std::fs::write(&main, "include *.conf\ninclude **.conf\n").unwrap();
        let mut d = Diagnostics::new();
        let lines = read_file(&main, &opts(), &mut d);
        let words: Vec<&Token> = lines.iter().flat_map(|l| l.tokens.iter()).collect();
        assert_eq!(
            words,
            vec![&Token::Word("top".into()), &Token::Word("top".into())]
        );
    }

    #[test]
    fn never_panics_on_noise() {
        // Pseudo-random lines built from the characters the preprocessor reacts to.
        let alphabet = [
            "$",
            "{",
            "}",
            "@",
            "@^",
            "vm ",
            "~SEQ(",
            "~SEQx(",
            "~LST(",
            "(",
            ")",
            ",",
            "\\",
            "\"",
            "#",
            "!",
            " ",
            "\t",
            "\n",
            "a",
            "_",
            "1",
            "0x",
            "-",
            "=",
            "include ",
            "é",
            "${_RANDOM",
            "${_ENV",
            "$A",
            "$A=",
            "$M=\\\n",
            "\r\n",
        ];
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(x % 60) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                text.push_str(alphabet[(x % alphabet.len() as u64) as usize]);
            }
            let mut d = Diagnostics::new();
            let lines = read_str("noise.conf", &text, &opts(), &mut d);
            let _ = crate::tree::build(&lines, &mut d);
        }
    }

    /// The fuzzer's out-of-memory input: two nested `~SEQ`s make 1923 x 1923 lines
    /// (1.5 GB before the limit). The expansion stops at the size limit with one error on
    /// the `~SEQ` line; the lines after it are still read.
    #[test]
    fn size_limit_stops_nested_seq() {
        let text = "vrrp_instance VI_1 {\n virtual_ipaddress {\n  ~SEQ(i, 3, 1925) ~SEQ(j, 3, 1925) 10.0.0.1\n }\n}\nafter\n";
        // With the real limit the whole expansion would not fit.
        let cost = |line: &str| {
            let mut d = Diagnostics::new();
            estimated_size(line, &lexer::tokenize(line, &Loc::new("t", 1), &mut d))
        };
        let per_line = cost("10.0.0.1");
        assert!(1923 * 1923 * per_line > MAX_SIZE);
        let o = opts();
        let mut d = Diagnostics::new();
        let mut pre = Pre::new(&o, &mut d, None);
        pre.max_size = 1 << 20;
        pre.run_text(Arc::from("t.conf"), text);
        let Pre { out, size, .. } = pre;
        let head = cost("vrrp_instance VI_1 {") + cost("virtual_ipaddress {");
        let vips = out.iter().filter(|l| l.loc.line == 3).count();
        assert_eq!(vips, ((1 << 20) - head) / per_line);
        // Only the plain lines after the cut went over the limit.
        assert_eq!(size, head + vips * per_line + 2 * cost("}") + cost("after"));
        let tail: Vec<u32> = out.iter().map(|l| l.loc.line).filter(|&n| n != 3).collect();
        assert_eq!(tail, [1, 2, 4, 5, 6]);
        let errors: Vec<String> = d.items.iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            ["t.conf:3: error: Expanded configuration exceeds 1 MB (estimated size in memory) - ignoring the rest of this line's expansion"]
        );
        assert_eq!(d.worst(), Some(ErrorClass::GeneralError));
    }

    /// Each expanding line that meets the exhausted limit reports it once; plain lines are
    /// never cut, so the block structure survives.
    #[test]
    fn size_limit_reports_once_per_line() {
        let o = opts();
        let mut d = Diagnostics::new();
        let mut pre = Pre::new(&o, &mut d, None);
        pre.max_size = 4096;
        pre.run_text(
            Arc::from("t.conf"),
            "$M=a \\\nb \\\nc\nx {\n~SEQ(i,1,100) ~LST(v,p,q) w$i$v\n$M\n~SEQ(i,1,3) k\n}\n",
        );
        let Pre { out, size, .. } = pre;
        let lines: Vec<u32> = d
            .items
            .iter()
            .filter_map(|i| i.loc.as_ref().map(|l| l.line))
            .collect();
        assert_eq!(lines, [5, 6, 7]);
        assert!(out
            .iter()
            .any(|l| l.loc.line == 8 && l.tokens == [Token::Close]));
        assert!(size <= 4096 + LINE_COST + 1 + TOKEN_COST, "{size}");
    }

    #[test]
    fn limits_are_taken_from_the_caller() {
        let text = "~SEQ(i,1,1000) ~SEQ(j,1,1000) x\nafter\n";
        let read = |limits: Limits| {
            let mut d = Diagnostics::new();
            let lines = read_str_with_limits("t.conf", text, &opts(), limits, &mut d);
            let msgs: Vec<String> = d.items.iter().map(|i| i.msg.clone()).collect();
            (lines.len(), msgs)
        };
        let (n, msgs) = read(Limits {
            expanded_size: 1 << 20,
            work: 2_000_000,
        });
        assert_eq!(n, (1 << 20) / (LINE_COST + 1 + TOKEN_COST) + 1, "{msgs:?}");
        assert_eq!(msgs.len(), 1);
        assert!(msgs[0].starts_with("Expanded configuration exceeds 1 MB"));
        let (n, msgs) = read(Limits {
            expanded_size: MAX_SIZE,
            work: 500,
        });
        assert!(n < 500);
        assert_eq!(
            msgs,
            ["Configuration expands to more than 500 lines - stopping"]
        );
    }

    #[test]
    fn work_budget_stops_runaway_expansion() {
        let o = opts();
        let mut d = Diagnostics::new();
        let mut pre = Pre::new(&o, &mut d, None);
        pre.max_work = 1000;
        pre.run_text(
            Arc::from("t.conf"),
            "~SEQ(a,1,3000) ~SEQ(b,1,3000) x\nafter\n",
        );
        let produced = pre.out.len();
        assert!(produced > 0 && produced < 1000, "{produced}");
        assert!(d
            .items
            .iter()
            .any(|i| i.msg.contains("expands to more than 1000 lines")));
    }
}
