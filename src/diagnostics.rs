//! rustc-style diagnostics: collection, byte-offset to line/column mapping,
//! and rendering as human-readable text (optionally coloured) or JSON lines.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::messages::{Lang, translate};

/// How serious a diagnostic is. Errors sort before warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Fails the build.
    Error,
    /// Reported, but the build still succeeds.
    Warning,
}

impl Severity {
    /// The lowercase label used in output (`error` / `warning`).
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A span in a source file that a diagnostic points at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    /// Display path relative to the site root, e.g. `content/faq/lost-card.md`.
    pub file: PathBuf,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in chars.
    pub column: usize,
    /// Number of chars to underline (treated as at least 1).
    pub length: usize,
}

/// One message about the site, with an optional location and hints.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The main message, e.g. ``broken link to `../faq/lost.md` ``.
    pub message: String,
    /// Where the problem is, if known.
    pub location: Option<Location>,
    /// Extra lines printed as `hint: ...`.
    pub hints: Vec<String>,
}

impl Diagnostic {
    fn new(severity: Severity, message: String) -> Self {
        Diagnostic { severity, message, location: None, hints: Vec::new() }
    }

    /// A new error without location or hints.
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message.into())
    }

    /// A new warning without location or hints.
    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message.into())
    }

    /// Attach a location (builder style).
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Append a hint (builder style).
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Whether this diagnostic is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Collects diagnostics from all stages (Send + Sync friendly: plain Vec inside).
#[derive(Default, Debug, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Add many diagnostics.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// Every message and hint in `lang` (see [`crate::messages`]); a hint that says again
    /// what another already says (a Chinese hint beside the English one it now translates
    /// to) is left out.
    pub fn localized(&self, lang: Lang) -> Diagnostics {
        if lang == Lang::En {
            return self.clone();
        }
        let mut out = Diagnostics::new();
        for d in &self.items {
            let mut hints: Vec<String> = Vec::with_capacity(d.hints.len());
            for hint in &d.hints {
                let hint = translate(hint, lang).into_owned();
                if !hints.contains(&hint) {
                    hints.push(hint);
                }
            }
            out.push(Diagnostic { message: translate(&d.message, lang).into_owned(), hints, ..d.clone() });
        }
        out
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// Whether the collection is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Number of diagnostics.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Iterate over the diagnostics in their current order.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    /// Sort by (file, line, column, severity errors first, message) and remove exact duplicates; diagnostics without location first.
    pub fn sort(&mut self) {
        fn key(d: &Diagnostic) -> impl Ord + '_ {
            (
                d.location.as_ref().map(|l| (&l.file, l.line, l.column, l.length)),
                d.severity,
                &d.message,
                &d.hints,
            )
        }
        self.items.sort_by(|a, b| key(a).cmp(&key(b)));
        self.items.dedup();
    }

    /// The diagnostics as a plain vector.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<T: IntoIterator<Item = Diagnostic>>(iter: T) -> Self {
        Diagnostics { items: iter.into_iter().collect() }
    }
}

/// Maps byte offsets in a text to 1-based line and char column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts; always begins with 0.
    starts: Vec<usize>,
}

impl LineIndex {
    /// Index the line starts of `text` (`\n`, `\r\n` and lone `\r` end lines).
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    i += 1;
                    starts.push(i + 1);
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { starts }
    }

    /// Number of lines (a trailing line end starts a final, empty line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based (line, char column) of `byte_offset` in `text` (the text this
    /// index was built from). Offsets past the end clamp to the end; offsets
    /// inside a multi-byte char round down to its start. Never panics.
    pub fn line_col(&self, text: &str, byte_offset: usize) -> (usize, usize) {
        let mut off = byte_offset.min(text.len());
        while !text.is_char_boundary(off) {
            off -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= off).max(1);
        let start = self.starts[line - 1].min(off);
        let column = text.get(start..off).map_or(0, |s| s.chars().count()) + 1;
        (line, column)
    }

    /// The text of 1-based `line` without its line ending, or `None` if out of range.
    pub fn line_text<'a>(&self, text: &'a str, line: usize) -> Option<&'a str> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self.starts.get(line).copied().unwrap_or(text.len());
        let s = text.get(start..end)?;
        let s = s
            .strip_suffix("\r\n")
            .or_else(|| s.strip_suffix('\n'))
            .or_else(|| s.strip_suffix('\r'))
            .unwrap_or(s);
        Some(s)
    }
}

/// Output format for [`report`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// rustc-style text.
    Human,
    /// One JSON object per line.
    Json,
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const BOLD_RED: &str = "\x1b[1;31m";
const BOLD_YELLOW: &str = "\x1b[1;33m";
const BOLD_BLUE: &str = "\x1b[1;34m";
const BOLD_CYAN: &str = "\x1b[1;36m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";

/// Small helper that wraps text in an ANSI style only when colour is on.
struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, style: &str, text: &str) -> String {
        if self.color && !text.is_empty() { format!("{style}{text}{RESET}") } else { text.to_string() }
    }
}

fn severity_style(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => BOLD_RED,
        Severity::Warning => BOLD_YELLOW,
    }
}

fn caret_style(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => RED,
        Severity::Warning => YELLOW,
    }
}

/// A path for display, always with `/` separators.
fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' { s.into_owned() } else { s.replace(std::path::MAIN_SEPARATOR, "/") }
}

/// How a tab is drawn in a snippet: visibly, because a tab where YAML wants spaces is a
/// common mistake that an editor cannot see when it is drawn as blanks.
const TAB_SHOWN: &str = "--->";

/// Terminal cells one char takes in the snippet: two for CJK and other wide chars, so that
/// carets stay under the text they mark (the reported column stays a char count).
fn char_width(c: char) -> usize {
    if c == '\t' { TAB_SHOWN.len() } else { unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) }
}

/// One diagnostic rendered like rustc (see the module docs); `source` is the
/// whole text of the file the location points into, if available.
pub fn render_human(d: &Diagnostic, source: Option<&str>, color: bool) -> String {
    let p = Painter { color };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}{}",
        p.paint(severity_style(d.severity), d.severity.label()),
        p.paint(BOLD, &format!(": {}", d.message)),
    );

    if let Some(loc) = &d.location {
        let line_no = loc.line.to_string();
        let width = line_no.len();
        let pad = " ".repeat(width);
        let _ = writeln!(
            out,
            "{pad}{} {}:{}:{}",
            p.paint(BOLD_BLUE, "-->"),
            display_path(&loc.file),
            loc.line,
            loc.column
        );
        let line_text = source.and_then(|src| LineIndex::new(src).line_text(src, loc.line));
        if let Some(text) = line_text {
            let bar = p.paint(BOLD_BLUE, "|");
            let shown: String =
                text.chars().map(|c| if c == '\t' { TAB_SHOWN.to_string() } else { c.to_string() }).collect();
            let chars: Vec<char> = text.chars().collect();
            let col = loc.column.max(1) - 1;
            let before = col.min(chars.len());
            let padding: usize = chars[..before].iter().map(|&c| char_width(c)).sum();
            let end = before.saturating_add(loc.length.max(1)).min(chars.len());
            let carets: usize = chars[before..end].iter().map(|&c| char_width(c)).sum::<usize>().max(1);
            let _ = writeln!(out, "{pad} {bar}");
            let source_line = format!("{} {bar} {shown}", p.paint(BOLD_BLUE, &line_no));
            let _ = writeln!(out, "{}", source_line.trim_end());
            let _ = writeln!(
                out,
                "{pad} {bar} {}{}",
                " ".repeat(padding),
                p.paint(caret_style(d.severity), &"^".repeat(carets))
            );
        }
    }

    for hint in &d.hints {
        let _ = writeln!(out, "{}: {hint}", p.paint(BOLD_CYAN, "hint"));
    }
    out
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: &'static str,
    message: &'a str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    hints: &'a [String],
}

/// One JSON object on one line: {"severity":"error","message":..,"file":..,"line":..,"column":..,"hints":[..]} (file/line/column null without location).
pub fn render_json(d: &Diagnostic) -> String {
    let loc = d.location.as_ref();
    let j = JsonDiagnostic {
        severity: d.severity.label(),
        message: &d.message,
        file: loc.map(|l| display_path(&l.file)),
        line: loc.map(|l| l.line),
        column: loc.map(|l| l.column),
        hints: &d.hints,
    };
    serde_json::to_string(&j).expect("serialising plain strings and numbers cannot fail")
}

/// `1 page`, `2 pages`: a count with its noun (English nouns that take an `s`).
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") }
}

/// How many diagnostics of one kind a command prints by default (`--max-diagnostics`): an
/// imported site once printed 37,309 warnings about the same few front matter keys.
pub const DEFAULT_MAX_PER_KIND: usize = 50;

/// What makes two diagnostics "of one kind": their severity and message with the quoted
/// (`` `…` ``) parts left out (``broken link to `…` ``).
pub fn kind_of(d: &Diagnostic) -> (Severity, String) {
    let mut kind = String::new();
    for (i, part) in d.message.split('`').enumerate() {
        kind.push_str(if i % 2 == 0 { part } else { "…" });
        kind.push('`');
    }
    kind.pop();
    (d.severity, kind)
}

/// [`report`], printing (in the human format) at most `max_per_kind` diagnostics of each kind
/// (see [`kind_of`]; `0`: all), then a note for each kind saying how many more there were.
/// The JSON format always gives every diagnostic, in English; the human one speaks `lang`.
pub fn report_capped(
    diags: &Diagnostics,
    out: &mut dyn std::io::Write,
    format: Format,
    color: bool,
    read_source: &dyn Fn(&Path) -> Option<String>,
    (max_per_kind, lang): (usize, Lang),
) -> std::io::Result<()> {
    if format == Format::Json {
        return report(diags, out, format, color, read_source);
    }
    let totals = (diags.error_count(), diags.warning_count());
    if max_per_kind == 0 {
        return report_with_totals(diags, out, (color, lang), read_source, totals, &[], &Groups::default());
    }
    let mut shown: HashMap<(Severity, String), usize> = HashMap::new();
    let mut kept = Diagnostics::new();
    let mut hidden: Vec<((Severity, String), usize)> = Vec::new();
    let mut groups = Groups::default();
    for d in diags {
        if !groups.first_of_its_key(d) {
            continue;
        }
        let kind = kind_of(d);
        let count = shown.entry(kind.clone()).or_default();
        *count += 1;
        if *count <= max_per_kind {
            kept.push(d.clone());
        } else if *count == max_per_kind + 1 {
            hidden.push((kind, 0));
        }
    }
    for (kind, more) in &mut hidden {
        *more = shown[kind] - max_per_kind;
    }
    report_with_totals(&kept, out, (color, lang), read_source, totals, &hidden, &groups)
}

/// The prefix of the warnings grouped by key: an imported site repeats the same few unknown
/// keys in every file, so each key is shown once, with a count, instead of once per file.
const UNKNOWN_KEY: &str = "unknown front matter key `";

/// Diagnostics grouped by the key they name (see [`UNKNOWN_KEY`]), in order of first sight.
#[derive(Default)]
struct Groups {
    /// Key, how many diagnostics name it, where the first one is.
    keys: Vec<(String, usize, String)>,
    index: HashMap<String, usize>,
}

impl Groups {
    /// Count `d` if it belongs to a group; whether it is to be shown (not grouped, or the
    /// first of its key).
    fn first_of_its_key(&mut self, d: &Diagnostic) -> bool {
        let Some(key) = d.message.strip_prefix(UNKNOWN_KEY).and_then(|rest| rest.strip_suffix('`')) else {
            return true;
        };
        if let Some(&i) = self.index.get(key) {
            self.keys[i].1 += 1;
            return false;
        }
        let place = d
            .location
            .as_ref()
            .map_or_else(String::new, |l| format!("{}:{}:{}", display_path(&l.file), l.line, l.column));
        self.index.insert(key.to_string(), self.keys.len());
        self.keys.push((key.to_string(), 1, place));
        true
    }

    /// A table of the keys met more than once: key, files, first place, and how to allow them.
    fn write_table(
        &self,
        out: &mut dyn std::io::Write,
        color: bool,
        tr: &dyn Fn(&str) -> String,
    ) -> std::io::Result<()> {
        let repeated: Vec<_> = self.keys.iter().filter(|(_, count, _)| *count > 1).collect();
        if repeated.is_empty() {
            return Ok(());
        }
        let p = Painter { color };
        writeln!(
            out,
            "{}: {}",
            p.paint(BOLD, "note"),
            tr("unknown front matter keys, each shown once above:")
        )?;
        let width = repeated.iter().map(|(key, ..)| text_width(key)).max().unwrap_or(0);
        let files: Vec<String> = repeated.iter().map(|(_, count, _)| tr(&plural(*count, "file"))).collect();
        let count_width = files.iter().map(|f| text_width(f)).max().unwrap_or(0);
        for ((key, _, place), files) in repeated.iter().zip(&files) {
            // Padded by terminal width: keys and translated counts may hold Chinese.
            let key_pad = " ".repeat(width - text_width(key));
            let files_pad = " ".repeat(count_width - text_width(files));
            writeln!(out, "  {key}{key_pad}  {files_pad}{files}  {}", tr(&format!("first at {place}")))?;
        }
        let keys: Vec<&str> = repeated.iter().map(|(key, ..)| key.as_str()).collect();
        let hint =
            format!("if templates read them, list them in site.yaml: `allow_keys: [{}]`", keys.join(", "));
        writeln!(out, "{}: {}", p.paint(BOLD_CYAN, "hint"), tr(&hint))
    }
}

/// How many terminal cells `text` takes.
fn text_width(text: &str) -> usize {
    text.chars().map(char_width).sum()
}

/// Writes all diagnostics, then for Human a summary line like `error: the site has 2 errors, 1 warning` (only when there are errors) or `warning: 1 warning` when only warnings; nothing when empty.
pub fn report(
    diags: &Diagnostics,
    out: &mut dyn std::io::Write,
    format: Format,
    color: bool,
    read_source: &dyn Fn(&Path) -> Option<String>,
) -> std::io::Result<()> {
    match format {
        Format::Json => {
            for d in diags {
                writeln!(out, "{}", render_json(d))?;
            }
        }
        Format::Human => report_with_totals(
            diags,
            out,
            (color, Lang::En),
            read_source,
            (diags.error_count(), diags.warning_count()),
            &[],
            &Groups::default(),
        )?,
    }
    Ok(())
}

/// The human report of `diags`, notes on the `hidden` kinds (how many more of each), the
/// table of `groups`, and the summary line for `totals` (errors, warnings) of the whole set,
/// all in `lang` (the diagnostics are grouped and counted in English, then translated).
fn report_with_totals(
    diags: &Diagnostics,
    out: &mut dyn std::io::Write,
    (color, lang): (bool, Lang),
    read_source: &dyn Fn(&Path) -> Option<String>,
    totals: (usize, usize),
    hidden: &[((Severity, String), usize)],
    groups: &Groups,
) -> std::io::Result<()> {
    let mut cache: HashMap<&Path, Option<String>> = HashMap::new();
    let diags = &diags.localized(lang);
    let tr = |text: &str| translate(text, lang).into_owned();
    for d in diags {
        let source = d
            .location
            .as_ref()
            .and_then(|l| cache.entry(l.file.as_path()).or_insert_with(|| read_source(&l.file)).as_deref());
        writeln!(out, "{}", render_human(d, source, color))?;
    }
    let p = Painter { color };
    for ((severity, kind), more) in hidden {
        let what = plural(*more, severity.label()).replacen(' ', " more ", 1);
        let note = tr(&format!("{what} like \"{kind}\" not shown (`--max-diagnostics 0` shows all)"));
        writeln!(out, "{}: {note}", p.paint(BOLD, "note"))?;
    }
    groups.write_table(out, color, &tr)?;
    let (errors, warnings) = totals;
    if errors > 0 {
        // Worded for `check` as well as `build`: neither the check nor the site failed
        // to run, the content has errors.
        let mut summary = format!("the site has {}", plural(errors, "error"));
        if warnings > 0 {
            summary.push_str(&format!(", {}", plural(warnings, "warning")));
        }
        let summary = format!(": {}", tr(&summary));
        writeln!(out, "{}{}", p.paint(BOLD_RED, "error"), p.paint(BOLD, &summary))?;
    } else if warnings > 0 {
        writeln!(
            out,
            "{}{}",
            p.paint(BOLD_YELLOW, "warning"),
            p.paint(BOLD, &format!(": {}", tr(&plural(warnings, "warning"))))
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(file: &str, line: usize, column: usize, length: usize) -> Location {
        Location { file: PathBuf::from(file), line, column, length }
    }

    #[test]
    fn builders_and_counts() {
        let mut ds = Diagnostics::new();
        assert!(ds.is_empty());
        assert!(!ds.has_errors());
        ds.push(Diagnostic::warning("w1"));
        assert!(!ds.has_errors());
        ds.extend([Diagnostic::error("e1").at(loc("a.md", 1, 1, 1)).with_hint("h"), Diagnostic::error("e2")]);
        assert_eq!(ds.len(), 3);
        assert!(ds.has_errors());
        assert_eq!(ds.error_count(), 2);
        assert_eq!(ds.warning_count(), 1);
        let d = ds.iter().nth(1).unwrap();
        assert!(d.is_error());
        assert_eq!(d.hints, vec!["h".to_string()]);
        assert_eq!(d.location.as_ref().unwrap().file, PathBuf::from("a.md"));
        assert_eq!((&ds).into_iter().count(), 3);
        assert_eq!(ds.clone().into_iter().count(), 3);
        assert_eq!(ds.into_vec().len(), 3);
    }

    #[test]
    fn sort_orders_and_dedups() {
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::warning("w").at(loc("b.md", 2, 1, 1)));
        ds.push(Diagnostic::error("z").at(loc("b.md", 2, 1, 1)));
        ds.push(Diagnostic::error("a").at(loc("b.md", 2, 1, 1)));
        ds.push(Diagnostic::error("late").at(loc("a.md", 10, 1, 1)));
        ds.push(Diagnostic::error("early").at(loc("a.md", 2, 5, 1)));
        ds.push(Diagnostic::error("earliest").at(loc("a.md", 2, 3, 1)));
        ds.push(Diagnostic::warning("global"));
        ds.push(Diagnostic::error("late").at(loc("a.md", 10, 1, 1)));
        ds.sort();
        let msgs: Vec<&str> = ds.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(msgs, ["global", "earliest", "early", "late", "a", "z", "w"]);
    }

    #[test]
    fn line_index_line_col() {
        let text = "ab\ncd\r\nef\rgh\n";
        let idx = LineIndex::new(text);
        let cases = [
            (0, (1, 1)),
            (1, (1, 2)),
            (2, (1, 3)),
            (3, (2, 1)),
            (4, (2, 2)),
            (7, (3, 1)),
            (10, (4, 1)),
            (13, (5, 1)),
            (999, (5, 1)),
        ];
        for (off, expected) in cases {
            assert_eq!(idx.line_col(text, off), expected, "offset {off}");
        }
        assert_eq!(idx.line_count(), 5);
    }

    #[test]
    fn line_index_multibyte() {
        let text = "身份证 ok\n😀x";
        let idx = LineIndex::new(text);
        // "身" is 3 bytes; offsets 1 and 2 round down to 0.
        assert_eq!(idx.line_col(text, 1), (1, 1));
        assert_eq!(idx.line_col(text, 2), (1, 1));
        assert_eq!(idx.line_col(text, 3), (1, 2));
        assert_eq!(idx.line_col(text, 9), (1, 4));
        let emoji = text.find('😀').unwrap();
        assert_eq!(idx.line_col(text, emoji + 2), (2, 1));
        assert_eq!(idx.line_col(text, emoji + 4), (2, 2));
        // Every offset is safe.
        for off in 0..text.len() + 5 {
            let _ = idx.line_col(text, off);
        }
    }

    #[test]
    fn line_index_line_text() {
        let text = "one\r\ntwo\nthree\rfour";
        let idx = LineIndex::new(text);
        let cases =
            [(0, None), (1, Some("one")), (2, Some("two")), (3, Some("three")), (4, Some("four")), (5, None)];
        for (line, expected) in cases {
            assert_eq!(idx.line_text(text, line), expected, "line {line}");
        }
        let empty = LineIndex::new("");
        assert_eq!(empty.line_text("", 1), Some(""));
        assert_eq!(empty.line_col("", 5), (1, 1));
        let trailing = LineIndex::new("x\n");
        assert_eq!(trailing.line_text("x\n", 2), Some(""));
    }

    #[test]
    fn human_matches_rustc_layout() {
        let src = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nRead the [loss FAQ](../faq/lost.md) first.\n";
        let d = Diagnostic::error("broken link to `../faq/lost.md`")
            .at(loc("content/how-to/renew.md", 14, 10, 26))
            .with_hint("did you mean `../faq/lost-card.md`?");
        let expected = "\
error: broken link to `../faq/lost.md`
  --> content/how-to/renew.md:14:10
   |
14 | Read the [loss FAQ](../faq/lost.md) first.
   |          ^^^^^^^^^^^^^^^^^^^^^^^^^^
hint: did you mean `../faq/lost-card.md`?
";
        assert_eq!(render_human(&d, Some(src), false), expected);
    }

    #[test]
    fn human_without_source_or_location() {
        let d = Diagnostic::warning("draft page").at(loc("content/x.md", 3, 1, 1));
        assert_eq!(render_human(&d, None, false), "warning: draft page\n --> content/x.md:3:1\n");
        // Line out of range: only the arrow line.
        assert_eq!(
            render_human(&d, Some("only one line"), false),
            "warning: draft page\n --> content/x.md:3:1\n"
        );
        let g = Diagnostic::error("no content directory").with_hint("create `content/`");
        assert_eq!(render_human(&g, None, false), "error: no content directory\nhint: create `content/`\n");
    }

    #[test]
    fn human_caret_clamping_tabs_and_cjk() {
        // (line text, column, length, expected caret line suffix after "  | ")
        let cases = [
            ("abc", 2, 100, " ^^"),
            ("abc", 1, 0, "^"),
            ("abc", 9, 3, "   ^"),
            ("\tx", 2, 1, "    ^"),
            ("a\tb", 2, 1, " ^^^^"),
            // Wide chars take two cells: carets go under the third char, two chars wide.
            ("身份证号码", 3, 2, "    ^^^^"),
            ("😀😀x", 3, 1, "    ^"),
            ("见[第九条](law.md#九)", 2, 4, "  ^^^^^^^"),
            ("", 1, 5, "^"),
        ];
        for (line, column, length, carets) in cases {
            let d = Diagnostic::error("m").at(loc("f.md", 1, column, length));
            let out = render_human(&d, Some(line), false);
            let lines: Vec<&str> = out.lines().collect();
            let shown = line.replace('\t', "--->");
            assert_eq!(lines[3], format!("1 | {shown}").trim_end(), "{line:?}");
            assert_eq!(lines[4], format!("  | {carets}"), "{line:?}");
        }
    }

    #[test]
    fn human_gutter_follows_digits() {
        let src = "x\n".repeat(120);
        let d = Diagnostic::error("m").at(loc("f.md", 100, 1, 1));
        let out = render_human(&d, Some(&src), false);
        assert_eq!(out, "error: m\n   --> f.md:100:1\n    |\n100 | x\n    | ^\n");
    }

    #[test]
    fn human_with_color() {
        let d = Diagnostic::warning("careful").at(loc("f.md", 1, 1, 2)).with_hint("h");
        let out = render_human(&d, Some("hello"), true);
        assert!(out.starts_with("\x1b[1;33mwarning\x1b[0m\x1b[1m: careful\x1b[0m\n"));
        assert!(out.contains("\x1b[1;34m-->\x1b[0m f.md:1:1"));
        assert!(out.contains("\x1b[33m^^\x1b[0m"));
        assert!(out.contains("\x1b[1;36mhint\x1b[0m: h"));
        let e = Diagnostic::error("bad");
        assert!(render_human(&e, None, true).starts_with("\x1b[1;31merror\x1b[0m"));
    }

    #[test]
    fn json_output() {
        let d = Diagnostic::error("broken \"link\"").at(loc("content/a.md", 3, 7, 2)).with_hint("try this");
        assert_eq!(
            render_json(&d),
            r#"{"severity":"error","message":"broken \"link\"","file":"content/a.md","line":3,"column":7,"hints":["try this"]}"#
        );
        assert_eq!(
            render_json(&Diagnostic::warning("w")),
            r#"{"severity":"warning","message":"w","file":null,"line":null,"column":null,"hints":[]}"#
        );
    }

    fn run_report(ds: &Diagnostics, format: Format) -> String {
        let mut out = Vec::new();
        let read = |p: &Path| (p == Path::new("a.md")).then(|| "first\nsecond\n".to_string());
        report(ds, &mut out, format, false, &read).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn report_human_summary() {
        assert_eq!(run_report(&Diagnostics::new(), Format::Human), "");

        let mut warn_only = Diagnostics::new();
        warn_only.push(Diagnostic::warning("w"));
        assert_eq!(run_report(&warn_only, Format::Human), "warning: w\n\nwarning: 1 warning\n");

        let ds: Diagnostics = [
            Diagnostic::error("e1").at(loc("a.md", 2, 1, 6)),
            Diagnostic::error("e2").at(loc("missing.md", 1, 1, 1)),
            Diagnostic::warning("w"),
        ]
        .into_iter()
        .collect();
        let out = run_report(&ds, Format::Human);
        assert!(out.contains(" |\n2 | second\n  | ^^^^^^\n"), "{out}");
        assert!(out.contains("--> missing.md:1:1\n\n"), "{out}");
        assert!(out.ends_with("error: the site has 2 errors, 1 warning\n"));

        let one: Diagnostics = [Diagnostic::error("e")].into_iter().collect();
        assert!(run_report(&one, Format::Human).ends_with("error: the site has 1 error\n"));
    }

    #[test]
    fn report_json_lines() {
        let ds: Diagnostics = [Diagnostic::error("e"), Diagnostic::warning("w")].into_iter().collect();
        let out = run_report(&ds, Format::Json);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2);
        for line in lines {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(v["hints"].is_array());
        }
    }
}
