//! Whether a site that builds is ready to serve its readers.

use std::path::PathBuf;

use crate::config::Config;
use crate::content::Site;
use crate::diagnostics::Diagnostic;

/// Warnings for a site that builds but would not serve its readers: nothing to read (no
/// page, and no section with text of its own), or no absolute `base_url`, which leaves
/// `sitemap.xml` with relative `<loc>` entries that search engines reject.
pub(super) fn half_configured(config: &Config, site: &Site) -> Vec<Diagnostic> {
    let site_yaml = crate::diagnostics::Location {
        file: PathBuf::from(crate::config::CONFIG_FILE),
        line: 1,
        column: 1,
        length: 1,
    };
    let mut found = Vec::new();
    if site.pages.is_empty() && site.sections.iter().all(|s| s.body().trim().is_empty()) {
        found.push(
            Diagnostic::warning("the site has nothing to read: `content/` holds no published page and no section text")
                .with_hint("add one with `signpost new content/guide/first-page.md`, or check that pages are not all drafts"),
        );
    }
    if !config.base_url.contains("://") && !config.relative_urls {
        let warning = Diagnostic::warning(
            "`base_url` is not an absolute URL, so `sitemap.xml` and the feeds carry relative links",
        )
        .with_hint("set `base_url: https://your-site.example/` in `site.yaml`, or build with `--base-url`");
        let has_site_yaml = config.root.join(crate::config::CONFIG_FILE).is_file();
        found.push(if has_site_yaml { warning.at(site_yaml) } else { warning });
    }
    found
}
