//! Templates: load the theme's templates and the site's overrides into one Tera 2 instance,
//! register Signpost's filters and functions, and render with located errors.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use tera::{Context, Kwargs, State, Tera, Value};

use crate::diagnostics::{Diagnostic, Location};
use crate::source::display_path;
use crate::theme::{Theme, ThemeFile};

/// The templates every theme must provide.
pub const REQUIRED: &[&str] = &[
    "base.html",
    "index.html",
    "section.html",
    "page.html",
    "taxonomy_list.html",
    "taxonomy_term.html",
    "404.html",
];

/// The folder of shortcode templates, inside a theme's or the site's `templates/`.
pub const SHORTCODES: &str = "shortcodes/";

mod budget;
mod verbatim;

use budget::{Budgeted, Render};
pub use budget::{RENDER_BUDGET, watch_renders};

/// Loaded templates plus where each came from, for messages.
pub struct Templates {
    tera: Tera,
    /// Fingerprint of every template's name and source, for output memoisation.
    pub fingerprint: u64,
    origins: HashMap<String, PathBuf>,
    lookup: Arc<RwLock<Arc<Lookup>>>,
    /// See [`Templates::prints_body_verbatim`].
    body_verbatim: bool,
}

/// What `get_page`, `get_section` and `get_url` can see.
#[derive(Default)]
pub struct Lookup {
    /// Page summaries by content path.
    pub pages: HashMap<String, Value>,
    /// Section values by `_index.md` content path.
    pub sections: HashMap<String, Value>,
    /// URLs by content path.
    pub urls: HashMap<String, String>,
    /// The base path, for `get_url(path="/style.css")`.
    pub base_path: String,
}

impl Lookup {
    /// Fingerprint of everything the lookup functions can return (order-independent).
    pub fn fingerprint(&self) -> u64 {
        let sorted = |m: &HashMap<String, Value>| -> std::collections::BTreeMap<String, Value> {
            m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
        };
        let urls: std::collections::BTreeMap<&String, &String> = self.urls.iter().collect();
        crate::cache::fingerprint(&(sorted(&self.pages), sorted(&self.sections), urls), &self.base_path)
    }
}

/// Whether any template the site uses (the theme's, or the site's own `templates/` over
/// them) contains `needle`: a cheap test of whether templates read a value at all.
pub fn mention(theme: &Theme, site_templates: &Path, needle: &str) -> bool {
    let mut found = theme.files("templates");
    let root = site_templates.parent().unwrap_or(site_templates);
    crate::theme::collect_dir(site_templates, root, &mut found);
    found.values().any(|file| file.read().is_ok_and(|text| text.contains(needle)))
}

impl Templates {
    /// Load and compile all templates: the theme's, then the site's `templates/` overriding by name.
    pub fn load(theme: &Theme, site_templates: &Path, root: &Path) -> Result<Templates, Vec<Diagnostic>> {
        Self::load_part(theme, site_templates, root, false)
    }

    /// Load the shortcode templates alone (`templates/shortcodes/*`), which the Markdown stage
    /// renders long before the page templates are loaded.
    pub fn load_shortcodes(
        theme: &Theme,
        site_templates: &Path,
        root: &Path,
    ) -> Result<Templates, Vec<Diagnostic>> {
        Self::load_part(theme, site_templates, root, true)
    }

    /// The page templates, or the shortcode templates.
    fn load_part(
        theme: &Theme,
        site_templates: &Path,
        root: &Path,
        shortcodes: bool,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let mut found = theme.files("templates");
        crate::theme::collect_dir(site_templates, root, &mut found);
        found.retain(|name, _| name.starts_with(SHORTCODES) == shortcodes);
        let mut diagnostics = Vec::new();
        let mut raw = Vec::new();
        let mut origins = HashMap::new();
        for (name, file) in &found {
            let shown = match file {
                ThemeFile::Disk(path) => display_path(path, root),
                ThemeFile::Builtin(_) => theme.display(&format!("templates/{name}"), root),
            };
            match file.read() {
                Ok(text) => raw.push((name.clone(), text)),
                Err(e) => diagnostics
                    .push(Diagnostic::error(format!("could not read template `{}`: {e}", shown.display()))),
            }
            origins.insert(name.clone(), shown);
        }
        for required in REQUIRED.iter().filter(|_| !shortcodes) {
            if !found.contains_key(*required) {
                diagnostics.push(
                    Diagnostic::error(format!("the theme has no `{required}` template")).with_hint(format!(
                        "add `{}` or `templates/{required}`",
                        theme.display(&format!("templates/{required}"), root).display()
                    )),
                );
            }
        }
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml", ".htm"]);
        register_filters(&mut tera);
        let lookup = Arc::new(RwLock::new(Arc::new(Lookup::default())));
        register_functions(&mut tera, &lookup);
        let fingerprint = {
            use std::hash::{Hash, Hasher};
            let mut h = crate::cache::hasher();
            raw.hash(&mut h);
            h.finish()
        };
        let body_verbatim = verbatim::prints_body_verbatim(raw.iter().map(|(_, text)| text.as_str()));
        let mut templates = Templates { tera, fingerprint, origins, lookup, body_verbatim };
        if let Err(err) = templates.tera.add_raw_templates(raw) {
            return Err(vec![templates.diagnostic(&err, None)]);
        }
        Ok(templates)
    }

    /// Make the site visible to `get_page`, `get_section` and `get_url`.
    pub fn set_lookup(&mut self, lookup: Arc<Lookup>) {
        if let Ok(mut slot) = self.lookup.write() {
            *slot = lookup;
        }
    }

    /// Whether a template named `name` is loaded (the theme's or the site's own).
    pub fn has(&self, name: &str) -> bool {
        self.origins.contains_key(name)
    }

    /// Whether the templates use a page's body only by printing it as it is
    /// (`{{ page.content | safe }}`), so that it may be written in after rendering.
    pub fn prints_body_verbatim(&self) -> bool {
        self.body_verbatim
    }

    /// Render `template` for the output `rendering` (a content path or URL, for messages).
    pub fn render(&self, template: &str, context: &Context, rendering: &str) -> Result<String, Diagnostic> {
        let bytes = self.render_bytes(template, context, rendering, 0)?;
        // Tera writes only text.
        Ok(String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    /// [`Templates::render`] into bytes, with room for `size_hint` bytes to begin with (the
    /// output goes straight to a file, so it is neither copied into a string nor re-checked
    /// as UTF-8; Tera writes only text).
    pub fn render_bytes(
        &self,
        template: &str,
        context: &Context,
        rendering: &str,
        size_hint: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let render = Render::start(|| self.over_budget(template, rendering));
        let mut out = Budgeted::new(Vec::with_capacity(size_hint));
        match self.tera.render_to(template, context, &mut out) {
            Ok(()) => Ok(out.inner),
            Err(_) if render.exceeded() => Err(self.over_budget(template, rendering)),
            Err(e) => Err(self.diagnostic(&e, Some(rendering))),
        }
    }

    /// The error for `template` running past [`RENDER_BUDGET`] while rendering `rendering`.
    fn over_budget(&self, template: &str, rendering: &str) -> Diagnostic {
        let file = self.origins.get(template).cloned().unwrap_or_else(|| PathBuf::from(template));
        Diagnostic::error(format!(
            "template error: `{template}` ran for more than {} s rendering `{rendering}`",
            RENDER_BUDGET.as_secs()
        ))
        .at(Location { file, line: 1, column: 1, length: 1 })
        .with_hint(
            "look for a loop that never ends, or loops within loops, in this template or those it uses",
        )
    }

    fn diagnostic(&self, err: &tera::Error, rendering: Option<&str>) -> Diagnostic {
        let mut message = String::from("template error");
        let mut location = None;
        match err.kind() {
            tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
                message = format!("template error: {}", report.message().trim_start_matches("error: "));
                let span = report.span();
                let file = self
                    .origins
                    .get(report.filename())
                    .cloned()
                    .unwrap_or_else(|| PathBuf::from(report.filename()));
                location = Some(Location {
                    file,
                    line: span.start_line.max(1),
                    column: span.start_col + 1,
                    length: if span.end_line == span.start_line {
                        span.end_col.saturating_sub(span.start_col).max(1)
                    } else {
                        1
                    },
                });
            }
            tera::ErrorKind::CircularInclude { tpl, .. } | tera::ErrorKind::CircularExtend { tpl, .. } => {
                message.push_str(&format!(": {}", err.kind()));
                location = self.origins.get(tpl).map(|file| Location {
                    file: file.clone(),
                    line: 1,
                    column: 1,
                    length: 1,
                });
            }
            other => message.push_str(&format!(": {other}")),
        }
        let mut source = std::error::Error::source(err);
        while let Some(cause) = source {
            message.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        let mut d = Diagnostic::error(message);
        if let Some(loc) = location {
            d = d.at(loc);
        }
        if let Some(what) = rendering {
            d = d.with_hint(format!("while rendering `{what}`"));
        }
        d
    }
}

fn current(slot: &RwLock<Arc<Lookup>>) -> Arc<Lookup> {
    slot.read().map(|l| Arc::clone(&l)).unwrap_or_default()
}

/// Register `get_page`, `get_section` and `get_url`; they read whatever lookup is current.
fn register_functions(tera: &mut Tera, slot: &Arc<RwLock<Arc<Lookup>>>) {
    tera.register_function("range", budget::range);
    let pages = Arc::clone(slot);
    tera.register_function("get_page", move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
        let path: &str = kwargs.must_get("path")?;
        current(&pages)
            .pages
            .get(path.trim_start_matches('/'))
            .cloned()
            .ok_or_else(|| tera::Error::message(format!("get_page: no page at `{path}` in content/")))
    });
    let sections = Arc::clone(slot);
    tera.register_function("get_section", move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
        let path: &str = kwargs.must_get("path")?;
        current(&sections).sections.get(path.trim_start_matches('/')).cloned().ok_or_else(|| {
            tera::Error::message(format!("get_section: no section at `{path}` (give the `_index.md` path)"))
        })
    });
    let urls = Arc::clone(slot);
    tera.register_function("get_url", move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
        let path: &str = kwargs.must_get("path")?;
        let lookup = current(&urls);
        if let Some(url) = lookup.urls.get(path.trim_start_matches('/')) {
            return Ok(Value::from(url.as_str()));
        }
        if path.starts_with('/') && !path.ends_with(".md") {
            return Ok(Value::from(format!("{}{}", lookup.base_path, path)));
        }
        Err(tera::Error::message(format!("get_url: no page, section or file at `{path}`")))
    });
}

fn register_filters(tera: &mut Tera) {
    tera.register_filter(
        "date_format",
        |value: &str, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let lang: Option<&str> = kwargs.get("lang")?;
            Ok(format_date(value, lang.unwrap_or("en")))
        },
    );
    tera.register_filter("json_encode", |value: Value, _: Kwargs, _: &State| -> tera::TeraResult<String> {
        serde_json::to_string(&value).map_err(|e| tera::Error::message(format!("json_encode: {e}")))
    });
}

/// Format an ISO date for a language: `24 November 2026` or `2026年11月24日`.
/// Text that is not a date comes back unchanged.
pub fn format_date(iso: &str, lang: &str) -> String {
    let Ok(date) = chrono::NaiveDate::parse_from_str(iso.get(..10).unwrap_or(iso), "%Y-%m-%d") else {
        return iso.to_string();
    };
    use chrono::Datelike;
    if lang.starts_with("zh") || lang.starts_with("ja") {
        return format!("{}年{}月{}日", date.year(), date.month(), date.day());
    }
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!("{} {} {}", date.day(), MONTHS[date.month0() as usize], date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_dates_per_language() {
        assert_eq!(format_date("2026-11-24", "en"), "24 November 2026");
        assert_eq!(format_date("2026-11-24", "zh-CN"), "2026年11月24日");
        assert_eq!(format_date("soon", "en"), "soon");
    }

    fn write(dir: &Path, name: &str, text: &str) {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn theme_with(dir: &Path, page: &str) {
        for name in REQUIRED {
            write(&dir.join("themes/t/templates"), name, "{{ 1 }}");
        }
        write(&dir.join("themes/t/templates"), "page.html", page);
    }

    #[test]
    fn site_templates_override_theme_templates() {
        let dir = tempfile::tempdir().unwrap();
        theme_with(dir.path(), "theme");
        write(&dir.path().join("templates"), "page.html", "site {{ x }}");
        let t = Templates::load(
            &Theme::Folder(dir.path().join("themes/t")),
            &dir.path().join("templates"),
            dir.path(),
        )
        .unwrap();
        let mut ctx = Context::new();
        ctx.insert("x", "<b>");
        assert_eq!(t.render("page.html", &ctx, "a.md").unwrap(), "site &lt;b&gt;");
    }

    #[test]
    fn syntax_errors_name_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        theme_with(dir.path(), "ok\n{% if %}\n");
        let errors = Templates::load(
            &Theme::Folder(dir.path().join("themes/t")),
            &dir.path().join("templates"),
            dir.path(),
        )
        .err()
        .unwrap();
        let loc = errors[0].location.as_ref().unwrap();
        assert_eq!(loc.file, PathBuf::from("themes/t/templates/page.html"));
        assert_eq!(loc.line, 2);
    }

    #[test]
    fn rendering_errors_name_the_page() {
        let dir = tempfile::tempdir().unwrap();
        theme_with(dir.path(), "{{ get_page(path=\"nope.md\") }}");
        let mut t = Templates::load(
            &Theme::Folder(dir.path().join("themes/t")),
            &dir.path().join("templates"),
            dir.path(),
        )
        .unwrap();
        t.set_lookup(Arc::new(Lookup::default()));
        let d = t.render("page.html", &Context::new(), "faq/a.md").unwrap_err();
        assert!(d.message.contains("nope.md"), "{}", d.message);
        assert_eq!(d.hints, ["while rendering `faq/a.md`"]);
        assert_eq!(d.location.as_ref().unwrap().file, PathBuf::from("themes/t/templates/page.html"));
    }

    #[test]
    fn missing_required_template_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        write(&dir.path().join("themes/t/templates"), "page.html", "x");
        let errors = Templates::load(
            &Theme::Folder(dir.path().join("themes/t")),
            &dir.path().join("templates"),
            dir.path(),
        )
        .err()
        .unwrap();
        assert!(errors.iter().any(|d| d.message.contains("`base.html`")));
    }
}
