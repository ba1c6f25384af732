//! Reusable content: data files (`data/`), shortcodes, snippets, images and attachments,
//! from the command line.

mod common;

use common::{Diag, Site};

/// The errors of a run (the fixtures carry warnings of their own).
fn errors(run: &common::Run) -> Vec<Diag> {
    run.diags().into_iter().filter(|d| d.severity == "error").collect()
}

#[test]
fn page_templates_read_data_files() {
    let site = Site::fixture("bilingual");
    site.write("data/renewal.yaml", "issuing_days: 60\n");
    site.write(
        "templates/page.html",
        "<!doctype html><title>{{ page.title }}</title><p>Within {{ data.renewal.issuing_days }} days</p>",
    );
    site.build(&[]).assert_success();
    assert!(site.output("faq/renew/index.html").contains("<p>Within 60 days</p>"));
}

#[test]
fn a_data_file_type_error_is_located_by_its_schema() {
    let site = Site::fixture("bilingual");
    site.write("data/offices.yaml", "nanchang:\n  name: 南昌\n  phone: 791\n");
    site.write("data/offices.schema.yaml", "each:\n  name: text\n  phone: text\n");
    let run = site.check(&[]);
    run.assert_code(1);
    assert_eq!(
        errors(&run),
        [Diag::error("`offices.nanchang.phone` is a number, where the schema asks for text")
            .at("data/offices.yaml:3:3")
            // The bilingual site's default language is zh-CN: hints come from its catalogue.
            .hint("请用英文双引号把值括起来：`phone: \"…\"`")]
    );
}
