//! Service guides (`kind: service`): each required key element must be given (see
//! `docs/government.md`), `service:` belongs on service guides only, and the process
//! (办理流程) points to a steps page. Messages are worded in the page's language.

use crate::config::Config;
use crate::content::{Page, Site};
use crate::diagnostics::{Diagnostic, Location};
use crate::front_matter::Kind;
use crate::guidance::gov::{Element, is_chinese};
use crate::links::Resolved;

/// Where a page's problem with `key` is shown: that front matter line, else the first.
fn at(page: &Page, key: &str) -> Location {
    let line = crate::front_matter::key_line(&page.source.text_for_messages(), key).unwrap_or(1);
    Location { file: page.source.display.clone(), line, column: 1, length: key.chars().count().max(1) }
}

/// The problems of every service guide: a missing required element is a warning (an error
/// with `strict`); `service:` on another kind and a process that is not a steps page are
/// warnings.
pub fn check(config: &Config, site: &Site, links: &Resolved, strict: bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (p, page) in site.pages.iter().enumerate() {
        let zh = is_chinese(&config.languages[page.lang].code);
        if page.meta.kind != Kind::Service {
            if page.meta.service.is_some() {
                out.push(not_a_service(page, zh));
            }
            continue;
        }
        out.extend(missing_elements(config, page, zh, strict));
        let process = links.service.get(p).and_then(|s| s.process);
        if let Some(target) = process
            && site.pages[target].meta.kind != Kind::Steps
            && let Some(written) = page.meta.service.as_ref().and_then(|s| s.process.as_ref())
        {
            let location = Location {
                file: page.source.display.clone(),
                line: written.line,
                column: written.column,
                length: written.value.chars().count().max(1),
            };
            out.push(process_not_steps(&written.value, zh).at(location));
        }
    }
    out
}

/// One diagnostic per required element the page does not give.
fn missing_elements(config: &Config, page: &Page, zh: bool, strict: bool) -> Vec<Diagnostic> {
    let service = page.meta.service.clone().unwrap_or_default();
    let key = if page.meta.service.is_some() { "service" } else { "kind" };
    config
        .service_required
        .iter()
        .filter(|&&element| !service.has(element))
        .map(|&element| {
            let message = if zh {
                format!("办事指南缺少要素“{}”（`service.{}`）", element.label_zh(), element.key())
            } else {
                format!("service guide lacks its {} (`service.{}`)", element.label_en(), element.key())
            };
            let d = if strict { Diagnostic::error(message) } else { Diagnostic::warning(message) };
            d.at(at(page, key)).with_hint(element_hint(element, zh))
        })
        .collect()
}

/// How to write an element, in the page's language.
fn element_hint(element: Element, zh: bool) -> String {
    let example = match element {
        Element::Name => "name: 居民身份证换领",
        Element::Basis => "basis: [../law/identity-card-law.md#article-8]",
        Element::Conditions => "conditions: [居民身份证有效期即将届满]",
        Element::Materials => "materials: [户口簿]",
        Element::Location => "location: 常住户口所在地公安机关户政大厅",
        Element::Hours => "hours: 工作日 9:00–17:00",
        Element::Phone => "phone: 0791-00000000",
        Element::Process => "process: how-to/renew-online.md",
        Element::TimeLimit => "time_limit: {days: 60, remote_extra_days: 30}",
        Element::Fees => "fees: 不收费",
    };
    if zh {
        format!(
            "在 front matter 的 `service:` 下写上这一项，如 `{example}`；必备要素由 site.yaml 的 `service_required` 规定"
        )
    } else {
        format!(
            "add it under `service:` in the front matter, like `{example}`; `service_required` in site.yaml sets which elements are required"
        )
    }
}

fn not_a_service(page: &Page, zh: bool) -> Diagnostic {
    let d = if zh {
        Diagnostic::warning("只有 `kind: service` 的页面才使用 `service:`")
            .with_hint("设置 `kind: service`，或删除 `service:`")
    } else {
        // Not "is only used by `kind: …` pages": the message catalogue would put that pattern
        // into Chinese on a Chinese site, and these messages follow the page's language.
        Diagnostic::warning("`service` belongs on service guides only (`kind: service`)")
            .with_hint("set `kind: service` or remove `service`")
    };
    d.at(at(page, "service"))
}

fn process_not_steps(target: &str, zh: bool) -> Diagnostic {
    if zh {
        Diagnostic::warning(format!("办理流程 `{target}` 不是分步指南页面"))
            .with_hint("`service.process` 应指向 `kind: steps` 的页面")
    } else {
        Diagnostic::warning(format!("the process `{target}` is not a steps page"))
            .with_hint("point `service.process` to a `kind: steps` page")
    }
}
