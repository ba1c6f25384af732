//! Expanding the calls of one body, keeping a map from the expanded text back to where each
//! piece was written (the page, a snippet, or the call that made it).

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use super::defs::{Param, ParamKind};
use super::syntax::{self, Arg, Call};
use super::{Def, Shortcodes, Snippet};
use crate::diagnostics::{Diagnostic, LineIndex, Location};
use crate::markdown::{self, LinkOrigin, RenderOptions, Rendered};
use crate::templates::SHORTCODES;

/// Where a template puts the body of a block call: replaced by the body's own Markdown after
/// rendering, so the body keeps its positions (a noncharacter, never in a page's text).
const BODY: &str = "\u{FDD2}body\u{FDD2}";

/// The page whose body is expanded.
pub struct Page<'a> {
    /// Path for messages (`content/faq/lost-card.md`).
    pub display: &'a Path,
    /// Path relative to `content/`, from which files are found.
    pub rel: &'a str,
    /// The whole text of the file, front matter included.
    pub text: &'a str,
    /// Where the body starts in `text`.
    pub body_offset: usize,
    /// The page's language (an index into the site's languages).
    pub lang: usize,
}

/// Where a text being expanded stands: in which file (0: the page; n: the n-th snippet
/// included) at which offset, or, for text a template made, at which call.
#[derive(Debug, Clone, Copy)]
struct Base {
    file: usize,
    offset: usize,
    /// Offset and length of the call that made the text.
    generated: Option<(usize, usize)>,
}

/// A piece of the expanded text: from `out` on, until the next piece.
#[derive(Debug, Clone, Copy)]
struct Segment {
    out: usize,
    base: Base,
}

/// A snippet included, and where in the page its outermost inclusion is written.
struct Included {
    snippet: Arc<Snippet>,
    anchor: (usize, usize),
}

struct Expansion<'s> {
    shortcodes: &'s Shortcodes,
    page: &'s Page<'s>,
    out: String,
    segments: Vec<Segment>,
    problems: Vec<Diagnostic>,
    reads: BTreeMap<String, u64>,
    /// The shortcodes and snippets being expanded, outermost first (`shortcode:NAME`,
    /// `snippet:NAME`), to refuse one that calls itself.
    stack: Vec<String>,
    included: Vec<Included>,
    page_lines: std::cell::OnceCell<LineIndex>,
}

/// Expand `body`'s calls and render the result (see [`Shortcodes::render`]).
pub(super) fn render(
    shortcodes: &Shortcodes,
    page: &Page<'_>,
    body: &str,
    options: RenderOptions<'_>,
) -> Rendered {
    let mut expansion = Expansion {
        shortcodes,
        page,
        out: String::with_capacity(body.len() + 512),
        segments: Vec::new(),
        problems: Vec::new(),
        reads: BTreeMap::new(),
        stack: Vec::new(),
        included: Vec::new(),
        page_lines: std::cell::OnceCell::new(),
    };
    expansion.expand(body, Base { file: 0, offset: 0, generated: None });
    let mut rendered = markdown::render(&expansion.out, options);
    expansion.place_links(&mut rendered);
    rendered.problems = expansion.problems;
    rendered.reads = expansion.reads.into_iter().collect();
    rendered
}

impl Expansion<'_> {
    fn expand(&mut self, text: &str, base: Base) {
        if !syntax::may_hold_calls(text) {
            return self.push(text, base, 0);
        }
        let (calls, errors) = syntax::find(text);
        for e in errors {
            self.problem(base, e.span, e.message, e.hint);
        }
        let mut pos = 0;
        for call in calls {
            self.push(&text[pos..call.span.start], base, pos);
            self.call(text, &call, base);
            pos = call.span.end;
        }
        self.push(&text[pos..], base, pos);
    }

    /// Append `text`, which stands at `at` in the text of `base`.
    fn push(&mut self, text: &str, base: Base, at: usize) {
        if text.is_empty() {
            return;
        }
        self.segments.push(Segment { out: self.out.len(), base: Base { offset: base.offset + at, ..base } });
        self.out.push_str(text);
    }

    /// Where `range` of the text of `base` is written: file, offset and length.
    fn at(&self, base: Base, range: Range<usize>) -> (usize, usize, usize) {
        match base.generated {
            Some((offset, length)) => (base.file, offset, length),
            None => (base.file, base.offset + range.start, range.len()),
        }
    }

    fn location(&self, (file, offset, length): (usize, usize, usize)) -> Location {
        let (display, text, offset) = match file {
            0 => (self.page.display, self.page.text, self.page.body_offset + offset),
            n => {
                let snippet = &self.included[n - 1].snippet;
                (snippet.display.as_path(), &*snippet.text, offset)
            }
        };
        let snippet_lines;
        let lines = if file == 0 {
            self.page_lines.get_or_init(|| LineIndex::new(self.page.text))
        } else {
            snippet_lines = LineIndex::new(text);
            &snippet_lines
        };
        let (line, column) = lines.line_col(text, offset);
        let shown = text.get(offset..offset + length).and_then(|s| s.split('\n').next()).unwrap_or("");
        Location { file: display.to_path_buf(), line, column, length: shown.chars().count().max(1) }
    }

    fn problem(&mut self, base: Base, range: Range<usize>, message: String, hint: String) {
        let place = self.at(base, range);
        let mut d = Diagnostic::error(message).at(self.location(place)).with_hint(hint);
        if place.0 != 0 {
            d = d.with_hint(format!("in a snippet included by `{}`", self.page.display.display()));
        }
        self.problems.push(d);
    }

    /// The text of the current call (a template's output) stands for the call itself.
    fn generated_by(&self, base: Base, call: &Call) -> Base {
        let (_, offset, length) = self.at(base, call.span.clone());
        Base { generated: Some((offset, length)), ..base }
    }

    /// Refuse a shortcode or snippet already being expanded further out.
    fn recursion(&mut self, key: &str, base: Base, call: &Call) -> bool {
        if !self.stack.iter().any(|k| k == key) {
            return false;
        }
        let chain: Vec<String> =
            self.stack.iter().chain(std::iter::once(&key.to_string())).map(|k| shown(k)).collect();
        self.problem(
            base,
            call.span.clone(),
            format!("{} calls itself: {}", shown(key), chain.join(" → ")),
            "a shortcode or snippet must not call itself, directly or through another one".into(),
        );
        true
    }

    fn call(&mut self, text: &str, call: &Call, base: Base) {
        if call.name == "snippet" {
            return self.snippet(call, base);
        }
        let name_range = call.name_at..call.name_at + call.name.len();
        let shortcodes = self.shortcodes;
        let Some(def) = shortcodes.defs.get(&call.name) else {
            let hint = match crate::text::did_you_mean(&call.name, shortcodes.defs.keys().map(String::as_str))
            {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!(
                    "shortcodes are the templates in `templates/shortcodes/`; there are: {}",
                    shortcodes.defs.keys().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                ),
            };
            return self.problem(base, name_range, format!("unknown shortcode `{}`", call.name), hint);
        };
        let key = format!("shortcode:{}", call.name);
        if self.recursion(&key, base, call) {
            return;
        }
        let Some(context) = self.context(def, call, base) else { return };
        self.reads.insert(key.clone(), def.fingerprint);
        let Some(templates) = &shortcodes.templates else { return };
        let template = format!("{SHORTCODES}{}.html", call.name);
        let output = match templates.render(&template, &context, &self.page.display.display().to_string()) {
            Ok(output) => output,
            Err(d) => {
                let at = self.location(self.at(base, call.span.clone()));
                let called = format!("called at {}:{}:{}", at.file.display(), at.line, at.column);
                return self.problems.push(d.with_hint(called));
            }
        };
        // An inline call stays inside its line (a template's last line end would add a space).
        let output = if call.body.is_none() { output.trim_end_matches('\n') } else { output.as_str() };
        let generated = self.generated_by(base, call);
        self.stack.push(key);
        let mut pieces = output.split(BODY);
        if let Some(first) = pieces.next() {
            self.expand(first, generated);
        }
        for piece in pieces {
            if let Some(body) = &call.body {
                self.expand(&text[body.clone()], Base { offset: base.offset + body.start, ..base });
            }
            self.expand(piece, generated);
        }
        self.stack.pop();
    }

    fn snippet(&mut self, call: &Call, base: Base) {
        for arg in call.args.iter().filter(|a| a.name != "name") {
            let hint =
                "a snippet call takes its name alone: `{{ snippet(name=\"where-to-apply\") }}`".to_string();
            self.problem(
                base,
                arg.span.clone(),
                format!("unknown argument `{}` of `snippet`", arg.name),
                hint,
            );
        }
        let Some(name) = call.args.iter().find(|a| a.name == "name").and_then(|a| a.value.as_str()) else {
            let hint =
                "name the snippet: `{{ snippet(name=\"where-to-apply\") }}` for `snippets/where-to-apply.md`";
            return self.problem(base, call.span.clone(), "`snippet` needs a `name`".into(), hint.into());
        };
        let shortcodes = self.shortcodes;
        let Some(snippet) = shortcodes.snippets.get(name) else {
            let hint = match crate::text::did_you_mean(name, shortcodes.snippets.keys().map(String::as_str)) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("add `snippets/{name}.md`"),
            };
            return self.problem(base, call.span.clone(), format!("unknown snippet `{name}`"), hint);
        };
        let key = format!("snippet:{name}");
        if self.recursion(&key, base, call) {
            return;
        }
        self.reads.insert(key.clone(), snippet.fingerprint);
        let anchor = match base.file {
            0 => {
                let (_, offset, length) = self.at(base, call.span.clone());
                (offset, length)
            }
            n => self.included[n - 1].anchor,
        };
        self.included.push(Included { snippet: Arc::clone(snippet), anchor });
        let file = self.included.len();
        self.stack.push(key);
        self.expand(&snippet.text, Base { file, offset: 0, generated: None });
        self.stack.pop();
    }

    /// The template context of a call, once its arguments are checked (`None` when one is wrong).
    fn context(&mut self, def: &Def, call: &Call, base: Base) -> Option<tera::Context> {
        let shortcodes = self.shortcodes;
        let lang = self.page.lang;
        let mut context = tera::Context::new();
        context.insert("lang", &shortcodes.languages[lang]);
        context.insert_value("data", shortcodes.data_values[lang].clone());
        context.insert_value("t", shortcodes.strings[lang].clone());
        if call.body.is_some() {
            context.insert("body", BODY);
        }
        for arg in &call.args {
            context.insert(arg.name.clone(), &arg.value);
        }
        let Some(params) = &def.params else { return Some(context) };
        let mut fine = true;
        for arg in &call.args {
            match params.iter().find(|p| p.name == arg.name) {
                Some(param) => fine &= self.typed(param, arg, base, &mut context),
                None => {
                    let names = params.iter().map(|p| p.name.as_str());
                    let hint = match crate::text::did_you_mean(&arg.name, names) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => format!("`{}` takes {}", call.name, described(params)),
                    };
                    let message = format!("unknown argument `{}` of shortcode `{}`", arg.name, call.name);
                    self.problem(base, arg.span.clone(), message, hint);
                    fine = false;
                }
            }
        }
        for param in params.iter().filter(|p| !p.optional && !call.args.iter().any(|a| a.name == p.name)) {
            let message = format!("shortcode `{}` needs `{}`", call.name, param.name);
            let hint = format!("`{}` takes {}", call.name, described(params));
            self.problem(base, call.span.clone(), message, hint);
            fine = false;
        }
        fine.then_some(context)
    }

    /// Check a declared data key or file, and give the template what it names.
    fn typed(&mut self, param: &Param, arg: &Arg, base: Base, context: &mut tera::Context) -> bool {
        let Some(value) = arg.value.as_str() else {
            if param.kind == ParamKind::Plain {
                return true;
            }
            let hint = format!("write `{}=\"…\"`", arg.name);
            self.problem(base, arg.span.clone(), format!("`{}` must be quoted text", arg.name), hint);
            return false;
        };
        match &param.kind {
            ParamKind::Plain => true,
            ParamKind::Data(prefix) => self.data_arg(prefix, value, arg, base, context),
            ParamKind::File => self.file_arg(value, arg, base, context),
        }
    }

    fn data_arg(
        &mut self,
        prefix: &str,
        value: &str,
        arg: &Arg,
        base: Base,
        context: &mut tera::Context,
    ) -> bool {
        let data = &self.shortcodes.data;
        let key = if prefix.is_empty() { value.to_string() } else { format!("{prefix}.{value}") };
        if let Some(found) = data.get(&key) {
            if let Some((file, fingerprint)) = data.fingerprint_of(&key) {
                self.reads.insert(format!("data:{file}"), fingerprint);
            }
            let codes: Vec<&str> = self.shortcodes.languages.iter().map(String::as_str).collect();
            let picked = crate::data::localize(found, codes[self.page.lang], &codes);
            context.insert_value(format!("{}_value", arg.name), tera::Value::from_serializable(&picked));
            return true;
        }
        let strip = |k: String| {
            if prefix.is_empty() {
                k
            } else {
                k.strip_prefix(&format!("{prefix}.")).unwrap_or(&k).to_string()
            }
        };
        let hint = match data.suggest(&key).map(strip) {
            Some(close) if close != value && !close.is_empty() => format!("did you mean `{close}`?"),
            _ if data.is_empty() => {
                "there are no data files: add one in `data/`, such as `data/renewal.yaml`".into()
            }
            _ => format!(
                "the data holds {}",
                data.keys_at(prefix).iter().take(8).map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            ),
        };
        self.problem(base, arg.span.clone(), format!("unknown data key `{key}`"), hint);
        false
    }

    fn file_arg(&mut self, value: &str, arg: &Arg, base: Base, context: &mut tera::Context) -> bool {
        let dir = self.page.rel.rsplit_once('/').map_or("", |(d, _)| d);
        let path = crate::links::join_path(dir, value.split(['#', '?']).next().unwrap_or(value));
        let document = path.as_deref().map(|p| self.shortcodes.content_dir.join(p)).and_then(|abs| {
            let found = crate::media::document(&abs)?;
            Some((abs, found))
        });
        let Some((abs, document)) = document else {
            let joined = path.unwrap_or_else(|| value.to_string());
            let hint = format!(
                "put the file at `content/{joined}`, or correct the path (it is read from the page's folder)"
            );
            self.problem(base, arg.span.clone(), format!("no document `{value}` beside the page"), hint);
            return false;
        };
        self.reads.insert(format!("file:{}", abs.display()), crate::media::stamp(&abs));
        context.insert(format!("{}_file", arg.name), &document);
        true
    }

    /// Give each link its place in the page, and those written in a snippet their origin.
    fn place_links(&self, rendered: &mut Rendered) {
        let mut origins = Vec::new();
        for index in 0..rendered.links.len() {
            let Some(link) = rendered.links.get(index) else { continue };
            let at = self.segments.partition_point(|s| s.out <= link.offset).saturating_sub(1);
            let Some(segment) = self.segments.get(at) else { continue };
            let (file, offset, length) = match segment.base.generated {
                Some((offset, length)) => (segment.base.file, offset, length),
                None => (segment.base.file, segment.base.offset + (link.offset - segment.out), link.length),
            };
            if file == 0 {
                rendered.links.set_place(index, offset, length);
                continue;
            }
            let included = &self.included[file - 1];
            origins.push((
                index,
                LinkOrigin {
                    display: included.snippet.display.clone(),
                    dir: included.snippet.dir.clone(),
                    text: Arc::clone(&included.snippet.text),
                    offset,
                    length,
                },
            ));
            rendered.links.set_place(index, included.anchor.0, included.anchor.1);
        }
        rendered.link_origins = origins;
    }
}

/// `shortcode:fact` as `` `fact` ``, `snippet:x` as `` snippet `x` ``.
fn shown(key: &str) -> String {
    match key.split_once(':') {
        Some(("snippet", name)) => format!("snippet `{name}`"),
        Some((_, name)) => format!("`{name}`"),
        None => key.to_string(),
    }
}

/// `key (a data key), title (optional)` for hints.
fn described(params: &[Param]) -> String {
    if params.is_empty() {
        return "no arguments".into();
    }
    params
        .iter()
        .map(|p| {
            let kind = match &p.kind {
                ParamKind::Plain => String::new(),
                ParamKind::Data(prefix) if prefix.is_empty() => " (a data key)".into(),
                ParamKind::Data(prefix) => format!(" (a key under `data.{prefix}`)"),
                ParamKind::File => " (a file)".into(),
            };
            format!("`{}`{kind}{}", p.name, if p.optional { ", optional" } else { "" })
        })
        .collect::<Vec<_>>()
        .join(", ")
}
