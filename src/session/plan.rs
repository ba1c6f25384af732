//! The dependency index: which outputs read which inputs, and so how little a rebuild may redo
//! after a set of changed paths.
//!
//! Each kind of input is declared once in [`INDEX`], with what reads it and the least rebuild
//! that brings every reader up to date. Changes of several inputs are combined by [`plan`]:
//! a one-page rebuild handles one source alone, and rendering again from the last content
//! only when every changed input is read by rendering alone.
//! A new kind of input (data files, shortcodes, media) plugs in by adding its entry here;
//! an input the index does not know asks for a full rebuild, which is always correct.

use crate::build::Scope;

/// What changed since the last build, as a watcher saw it: paths relative to the site root
/// (`content/faq.md`, `templates/page.html`), or `None` when that is not known.
pub type Changed<'a> = Option<&'a [String]>;

/// The least a rebuild may redo for one changed input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redo {
    /// The outputs of the one page the input makes, when its edit left everything other
    /// outputs see of the page as it was (else a full rebuild; see `crate::quick`).
    Page,
    /// Every output rendered again from the last build's content: only rendering reads it.
    Render,
    /// The whole pipeline, each stage reusing its memo for the inputs that did not change.
    Everything,
}

/// Where inputs of one kind live, relative to the site root.
#[derive(Debug, Clone, Copy)]
pub enum Inputs {
    /// Files under a folder of the site (`content/`).
    Under(&'static str),
    /// Files under a folder of any theme (`themes/NAME/templates/`).
    InTheme(&'static str),
}

impl Inputs {
    fn holds(self, path: &str) -> bool {
        match self {
            Inputs::Under(folder) => path.starts_with(folder),
            Inputs::InTheme(folder) => path
                .strip_prefix("themes/")
                .and_then(|p| p.split_once('/'))
                .is_some_and(|(_, p)| p.starts_with(folder)),
        }
    }
}

/// One entry of the dependency index.
#[derive(Debug, Clone, Copy)]
pub struct Reader {
    /// The inputs.
    pub inputs: Inputs,
    /// Which outputs read them (for people; the index is read by [`plan`]).
    pub read_by: &'static str,
    /// The least rebuild that brings those outputs up to date.
    pub redo: Redo,
}

/// Which outputs read which inputs. Every input not listed here (`site.yaml`, `static/`,
/// theme strings and static files) asks for a full rebuild.
pub const INDEX: &[Reader] = &[
    // Before `templates/`: shortcodes are rendered into page bodies, by the content stages.
    Reader {
        inputs: Inputs::Under("templates/shortcodes/"),
        read_by: "the bodies of the pages that call the shortcode",
        redo: Redo::Everything,
    },
    Reader {
        inputs: Inputs::InTheme("templates/shortcodes/"),
        read_by: "the bodies of the pages that call the shortcode",
        redo: Redo::Everything,
    },
    Reader {
        inputs: Inputs::Under("content/"),
        read_by: "the page made from it; through its front matter, headings and links also the \
                  listings, feeds, sitemap, search index and pages that show or cite it",
        redo: Redo::Page,
    },
    Reader { inputs: Inputs::Under("templates/"), read_by: "every rendered output", redo: Redo::Render },
    Reader { inputs: Inputs::InTheme("templates/"), read_by: "every rendered output", redo: Redo::Render },
];

/// The least rebuild that brings every output reading `path` up to date.
pub fn redo_for(path: &str) -> Redo {
    INDEX.iter().find(|r| r.inputs.holds(path)).map_or(Redo::Everything, |r| r.redo)
}

/// What a rebuild does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan<'a> {
    /// Try re-rendering the page made from this source alone; if its edit reached further,
    /// rebuild everything.
    Page(&'a str),
    /// Run the pipeline over the site, to this extent.
    Build(Scope),
}

/// How little a rebuild after `changed` may redo.
pub fn plan(changed: Changed<'_>) -> Plan<'_> {
    let Some(paths) = changed else { return Plan::Build(Scope::Everything) };
    match paths {
        [one] if redo_for(one) == Redo::Page => Plan::Page(one),
        // Content read again with templates changed too is a full build: neither the
        // one-page nor the templates-only rebuild covers both.
        [_, ..] if paths.iter().all(|p| redo_for(p) == Redo::Render) => Plan::Build(Scope::Templates),
        _ => Plan::Build(Scope::Everything),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plan for `paths`, compared by its printed form (the plan borrows the paths).
    fn plan_of(paths: &[&str]) -> String {
        let owned: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
        format!("{:?}", plan(Some(&owned)))
    }

    fn shown(plan: Plan<'_>) -> String {
        format!("{plan:?}")
    }

    #[test]
    fn one_content_file_tries_its_page_alone() {
        assert_eq!(plan_of(&["content/faq/lost.md"]), shown(Plan::Page("content/faq/lost.md")));
    }

    #[test]
    fn templates_alone_render_again_from_the_last_content() {
        assert_eq!(plan_of(&["templates/page.html"]), shown(Plan::Build(Scope::Templates)));
        assert_eq!(
            plan_of(&["themes/default/templates/base.html", "templates/page.html"]),
            shown(Plan::Build(Scope::Templates))
        );
    }

    #[test]
    fn anything_more_or_unknown_rebuilds_everything() {
        for paths in [
            &["content/a.md", "content/b.md"][..],
            &["content/a.md", "templates/page.html"],
            &["site.yaml"],
            &["static/logo.png"],
            &["templates/shortcodes/fact.html"],
            &["themes/default/templates/shortcodes/fact.html"],
            &["data/renewal.yaml"],
            &["snippets/where-to-apply.md"],
            &["themes/default/i18n/en.yaml"],
            &["themes/default/static/style.css", "templates/page.html"],
            &[],
        ] {
            assert_eq!(plan_of(paths), shown(Plan::Build(Scope::Everything)), "{paths:?}");
        }
        assert_eq!(plan(None), Plan::Build(Scope::Everything));
    }
}
