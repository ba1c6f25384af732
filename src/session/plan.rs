//! How little a rebuild may redo after a set of changed paths, from two indexes:
//!
//! - per page, the last build's [`DependencyIndex`]: which pages read which inputs besides
//!   their own source (a file they show, and what stages declare: data files, snippets,
//!   shortcode templates, images), and which outputs are copies of an input. A stage declares
//!   what a page reads as `crate::deps` describes; nothing here changes for a new kind of input.
//! - per kind of input, [`INDEX`]: a page's own source is re-rendered alone, templates are
//!   read by every rendered output.
//!
//! [`plan`] combines the changed paths: pages (edited, or reading an edited input) and copied
//! files are re-rendered and copied alone when every changed path is one of those; templates
//! alone render every output again from the last content; anything else, and any input
//! neither index knows, is a full rebuild, which is always correct.

use crate::build::Scope;
use crate::deps::DependencyIndex;
pub use crate::deps::Pages;

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

/// Most pages rendered again one by one; more go through the full build, which reuses every
/// body and output that did not change and renders the others in parallel. A data file that
/// all 10,000 pages of the benchmark corpus read took 50 s page by page, against about 3 s
/// through the full build; one page takes about 5 ms.
pub const MAX_PAGES: usize = 200;

/// What a rebuild does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Try rendering these pages again and copying these files alone; if an edit reached
    /// further than the pages' own outputs, rebuild everything.
    Pages(Pages),
    /// Run the pipeline over the site, to this extent.
    Build(Scope),
}

/// How little a rebuild after `changed` may redo; `index` is the last build's, if any.
pub fn plan(changed: Changed<'_>, index: Option<&DependencyIndex>) -> Plan {
    let Some(paths) = changed.filter(|paths| !paths.is_empty()) else {
        return Plan::Build(Scope::Everything);
    };
    if paths.iter().all(|p| redo_for(p) == Redo::Render) {
        return Plan::Build(Scope::Templates);
    }
    let mut pages = Pages::default();
    for path in paths {
        match index.filter(|index| index.knows(path)) {
            Some(index) => {
                pages.pages.extend(index.readers(path).into_iter().flatten().cloned());
                if index.copy_of(path).is_some() {
                    pages.copies.insert(path.clone());
                }
            }
            None if redo_for(path) == Redo::Page => {
                pages.pages.insert(path.clone());
            }
            // Content read again with templates changed too is a full build: neither the
            // page nor the templates-only rebuild covers both.
            None => return Plan::Build(Scope::Everything),
        }
    }
    if pages.pages.len() > MAX_PAGES {
        return Plan::Build(Scope::Everything);
    }
    Plan::Pages(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_of(paths: &[&str], index: Option<&DependencyIndex>) -> Plan {
        let owned: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
        plan(Some(&owned), index)
    }

    fn pages(pages: &[&str], copies: &[&str]) -> Plan {
        let set = |paths: &[&str]| paths.iter().map(|p| p.to_string()).collect();
        Plan::Pages(Pages { pages: set(pages), copies: set(copies) })
    }

    /// Two pages showing a map, which is copied; a logo copied and read by no page.
    fn index() -> DependencyIndex {
        let mut index = DependencyIndex::default();
        index.declare("content/a.md", "content/map.png");
        index.declare("content/b.md", "content/map.png");
        index.declare_copy("content/map.png", "map.png");
        index.declare_copy("static/logo.png", "logo.png");
        index
    }

    #[test]
    fn more_pages_than_one_by_one_pays_for_go_through_the_full_build() {
        let mut index = DependencyIndex::default();
        for n in 0..=MAX_PAGES {
            index.declare(&format!("content/p{n}.md"), "data/offices.yaml");
        }
        assert_eq!(plan_of(&["data/offices.yaml"], Some(&index)), Plan::Build(Scope::Everything));
    }

    #[test]
    fn edited_content_files_are_rendered_again_alone() {
        assert_eq!(plan_of(&["content/faq/lost.md"], None), pages(&["content/faq/lost.md"], &[]));
        assert_eq!(
            plan_of(&["content/a.md", "content/b.md"], Some(&index())),
            pages(&["content/a.md", "content/b.md"], &[])
        );
    }

    #[test]
    fn an_input_renders_again_the_pages_reading_it() {
        let index = index();
        assert_eq!(
            plan_of(&["content/map.png"], Some(&index)),
            pages(&["content/a.md", "content/b.md"], &["content/map.png"])
        );
        assert_eq!(plan_of(&["static/logo.png"], Some(&index)), pages(&[], &["static/logo.png"]));
        assert_eq!(
            plan_of(&["static/logo.png", "content/c.md"], Some(&index)),
            pages(&["content/c.md"], &["static/logo.png"])
        );
    }

    #[test]
    fn templates_alone_render_again_from_the_last_content() {
        assert_eq!(plan_of(&["templates/page.html"], None), Plan::Build(Scope::Templates));
        assert_eq!(
            plan_of(&["themes/default/templates/base.html", "templates/page.html"], Some(&index())),
            Plan::Build(Scope::Templates)
        );
    }

    #[test]
    fn anything_more_or_unknown_rebuilds_everything() {
        let index = index();
        for paths in [
            &["content/a.md", "templates/page.html"][..],
            &["site.yaml"],
            &["static/new.png"],
            &["data/fees.yaml", "content/a.md"],
            &["templates/shortcodes/fact.html"],
            &["themes/default/templates/shortcodes/fact.html"],
            &["snippets/where-to-apply.md"],
            &["themes/default/i18n/en.yaml"],
            &["themes/default/static/style.css", "templates/page.html"],
            &["content/map.png", "templates/page.html"],
            &[],
        ] {
            assert_eq!(plan_of(paths, Some(&index)), Plan::Build(Scope::Everything), "{paths:?}");
        }
        assert_eq!(plan_of(&["static/logo.png"], None), Plan::Build(Scope::Everything));
        assert_eq!(plan(None, Some(&index)), Plan::Build(Scope::Everything));
    }
}
