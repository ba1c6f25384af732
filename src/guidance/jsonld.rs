//! One JSON-LD graph per page: `WebPage`, `BreadcrumbList`, the publisher as
//! `GovernmentOrganization`, plus `HowTo`, `FAQPage` or `Legislation` for the guidance kinds.

use crate::text::push_json_str;

/// The facts about one page that its structured data states.
pub struct PageFacts<'a> {
    /// Absolute URL of the page.
    pub permalink: &'a str,
    /// Title.
    pub title: &'a str,
    /// Description (may be empty).
    pub description: &'a str,
    /// Language code.
    pub language: &'a str,
    /// ISO dates.
    pub published: Option<String>,
    /// ISO date of the last update.
    pub modified: Option<String>,
    /// ISO date of the last review (taken from `updated`/`date` when a review date is set).
    pub last_reviewed: Option<String>,
    /// Breadcrumb trail: (name, absolute URL), home first, the page last.
    pub breadcrumbs: Vec<(String, String)>,
    /// The publisher's name and URL.
    pub publisher: Option<(&'a str, Option<&'a str>)>,
    /// The kind-specific part.
    pub kind: KindFacts<'a>,
}

/// Kind-specific facts.
pub enum KindFacts<'a> {
    /// Plain guidance or a section.
    None,
    /// Steps: (name, anchor) per step, plus supplies and time.
    Steps {
        /// Step names and anchors.
        steps: Vec<(String, String)>,
        /// What to have ready.
        supplies: &'a [String],
    },
    /// FAQ: (question, answer text).
    Faq(Vec<(String, String)>),
    /// Law: act title, dates and (article title, anchor) per article.
    Law {
        /// The act's title.
        title: &'a str,
        /// Adoption date.
        enacted: Option<String>,
        /// Last amendment.
        amended: Option<String>,
        /// Articles.
        articles: Vec<(String, String)>,
    },
    /// A service guide: `GovernmentService`.
    Service(ServiceFacts<'a>),
}

/// What a service guide's `GovernmentService` node states.
pub struct ServiceFacts<'a> {
    /// The service's name (事项名称), else the page title.
    pub name: &'a str,
    /// Where to apply.
    pub location: Option<&'a str>,
    /// The phone number.
    pub phone: Option<&'a str>,
    /// The time limit in days.
    pub days: Option<u32>,
    /// The fees, in words.
    pub fees: Option<&'a str>,
}

/// Build the graph as a JSON string (compact, keys in byte order, so deterministic).
pub fn graph(facts: &PageFacts<'_>) -> String {
    let permalink = facts.permalink;
    let mut nodes = Vec::new();
    let publisher_id = facts.publisher.map(|(name, url)| {
        nodes.push(publisher_node(name, url));
        "#publisher"
    });
    let mut page = vec![
        ("@type", Json::str("WebPage")),
        ("@id", Json::str(permalink)),
        ("url", Json::str(permalink)),
        ("name", Json::str(facts.title)),
        ("inLanguage", Json::str(facts.language)),
    ];
    if !facts.description.is_empty() {
        page.push(("description", Json::str(facts.description)));
    }
    let dates = [
        ("datePublished", &facts.published),
        ("dateModified", &facts.modified),
        ("lastReviewed", &facts.last_reviewed),
    ];
    for (key, date) in dates {
        if let Some(d) = date {
            page.push((key, Json::str(d)));
        }
    }
    if let Some(id) = publisher_id {
        page.push(("publisher", Json::Obj(vec![("@id", Json::str(id))])));
    }
    if facts.breadcrumbs.len() > 1 {
        page.push(("breadcrumb", breadcrumb_list(&facts.breadcrumbs)));
    }
    match &facts.kind {
        KindFacts::None => {}
        KindFacts::Steps { steps, supplies } => page.push(("mainEntity", howto_node(facts, steps, supplies))),
        KindFacts::Faq(entries) => {
            page[0].1 = Json::str("FAQPage");
            page.push(("mainEntity", faq_questions(entries)));
        }
        KindFacts::Law { title, enacted, amended, articles } => {
            page.push(("mainEntity", law_node(permalink, title, (enacted, amended), articles)))
        }
        KindFacts::Service(service) => page.push(("mainEntity", service_node(facts, service, publisher_id))),
    }
    nodes.push(Json::Obj(page));
    let doc = Json::Obj(vec![("@context", Json::str("https://schema.org")), ("@graph", Json::Arr(nodes))]);
    let mut out = String::with_capacity(1024);
    doc.write(&mut out);
    out
}

/// A part of the page: its URL with `#anchor`.
fn anchored<'a>(permalink: &str, anchor: &str) -> Json<'a> {
    Json::Owned(format!("{permalink}#{anchor}"))
}

/// The publishing body, referred to as `#publisher`.
fn publisher_node<'a>(name: &'a str, url: Option<&'a str>) -> Json<'a> {
    let mut org = vec![
        ("@type", Json::str("GovernmentOrganization")),
        ("@id", Json::str("#publisher")),
        ("name", Json::str(name)),
    ];
    if let Some(url) = url {
        org.push(("url", Json::str(url)));
    }
    Json::Obj(org)
}

/// The trail from the home page to the page, as (name, URL) pairs.
fn breadcrumb_list<'a>(breadcrumbs: &'a [(String, String)]) -> Json<'a> {
    let items = breadcrumbs.iter().enumerate().map(|(i, (name, url))| {
        Json::Obj(vec![
            ("@type", Json::str("ListItem")),
            ("position", Json::Num(i + 1)),
            ("name", Json::str(name)),
            ("item", Json::str(url)),
        ])
    });
    Json::Obj(vec![("@type", Json::str("BreadcrumbList")), ("itemListElement", Json::Arr(items.collect()))])
}

/// The `HowTo` of a steps page: its steps (name, anchor) and what to have ready.
fn howto_node<'a>(
    facts: &'a PageFacts<'_>,
    steps: &'a [(String, String)],
    supplies: &'a [String],
) -> Json<'a> {
    let steps = steps.iter().enumerate().map(|(i, (name, anchor))| {
        Json::Obj(vec![
            ("@type", Json::str("HowToStep")),
            ("position", Json::Num(i + 1)),
            ("name", Json::str(name)),
            ("url", anchored(facts.permalink, anchor)),
        ])
    });
    let mut howto = vec![
        ("@type", Json::str("HowTo")),
        ("name", Json::str(facts.title)),
        ("step", Json::Arr(steps.collect())),
    ];
    if !facts.description.is_empty() {
        howto.push(("description", Json::str(facts.description)));
    }
    if !supplies.is_empty() {
        let supplies = supplies
            .iter()
            .map(|s| Json::Obj(vec![("@type", Json::str("HowToSupply")), ("name", Json::str(s))]));
        howto.push(("supply", Json::Arr(supplies.collect())));
    }
    Json::Obj(howto)
}

/// The questions of an FAQ page, each with its answer's text.
fn faq_questions<'a>(entries: &'a [(String, String)]) -> Json<'a> {
    let questions = entries.iter().map(|(q, a)| {
        Json::Obj(vec![
            ("@type", Json::str("Question")),
            ("name", Json::str(q)),
            ("acceptedAnswer", Json::Obj(vec![("@type", Json::str("Answer")), ("text", Json::str(a))])),
        ])
    });
    Json::Arr(questions.collect())
}

/// The `Legislation` of a law page: its title, dates (enacted, amended) and articles.
fn law_node<'a>(
    permalink: &str,
    title: &'a str,
    (enacted, amended): (&'a Option<String>, &'a Option<String>),
    articles: &'a [(String, String)],
) -> Json<'a> {
    let mut law = vec![
        ("@type", Json::str("Legislation")),
        ("name", Json::str(title)),
        ("legislationIdentifier", Json::str(title)),
    ];
    if let Some(d) = enacted {
        law.push(("legislationDate", Json::str(d)));
    }
    if let Some(d) = amended {
        law.push(("legislationDateVersion", Json::str(d)));
    }
    let parts = articles.iter().map(|(name, anchor)| {
        Json::Obj(vec![
            ("@type", Json::str("Legislation")),
            ("name", Json::str(name)),
            ("legislationIdentifier", Json::str(name)),
            ("url", anchored(permalink, anchor)),
        ])
    });
    law.push(("hasPart", Json::Arr(parts.collect())));
    Json::Obj(law)
}

/// The `GovernmentService` node of a service guide: its provider is the publisher, and the
/// way to use it (place, phone, time limit) is its `ServiceChannel`.
fn service_node<'a>(
    facts: &'a PageFacts<'_>,
    service: &'a ServiceFacts<'_>,
    publisher: Option<&'static str>,
) -> Json<'a> {
    let mut node = vec![
        ("@type", Json::str("GovernmentService")),
        ("name", Json::str(service.name)),
        ("url", Json::str(facts.permalink)),
    ];
    if !facts.description.is_empty() {
        node.push(("description", Json::str(facts.description)));
    }
    if let Some(id) = publisher {
        node.push(("provider", Json::Obj(vec![("@id", Json::str(id))])));
        node.push(("serviceOperator", Json::Obj(vec![("@id", Json::str(id))])));
    }
    let mut channel =
        vec![("@type", Json::str("ServiceChannel")), ("serviceUrl", Json::str(facts.permalink))];
    if let Some(phone) = service.phone {
        let contact = vec![("@type", Json::str("ContactPoint")), ("telephone", Json::str(phone))];
        channel.push(("servicePhone", Json::Obj(contact)));
    }
    if let Some(place) = service.location {
        channel.push((
            "serviceLocation",
            Json::Obj(vec![("@type", Json::str("Place")), ("name", Json::str(place))]),
        ));
    }
    if let Some(days) = service.days {
        channel.push(("processingTime", Json::Owned(format!("P{days}D"))));
    }
    node.push(("availableChannel", Json::Obj(channel)));
    if let Some(fees) = service.fees {
        node.push((
            "offers",
            Json::Obj(vec![("@type", Json::str("Offer")), ("description", Json::str(fees))]),
        ));
    }
    Json::Obj(node)
}

/// A JSON value that borrows its strings: the graph is written once, so building it from
/// owned, sorted maps (as a general JSON value would) cost more than writing it.
enum Json<'a> {
    Str(&'a str),
    Owned(String),
    Num(usize),
    Arr(Vec<Json<'a>>),
    /// Keys are written in byte order, whatever order they were added in.
    Obj(Vec<(&'static str, Json<'a>)>),
}

impl<'a> Json<'a> {
    fn str(s: &'a str) -> Json<'a> {
        Json::Str(s)
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Str(s) => push_json_str(out, s),
            Json::Owned(s) => push_json_str(out, s),
            Json::Num(n) => {
                use std::fmt::Write as _;
                let _ = write!(out, "{n}");
            }
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Obj(fields) => {
                let mut sorted: Vec<&(&str, Json<'_>)> = fields.iter().collect();
                sorted.sort_unstable_by_key(|(key, _)| *key);
                out.push('{');
                for (i, (key, value)) in sorted.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    push_json_str(out, key);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn facts(kind: KindFacts<'static>) -> PageFacts<'static> {
        PageFacts {
            permalink: "https://x.gov/a/",
            title: "T </script>",
            description: "",
            language: "en",
            published: Some("2026-01-01".into()),
            modified: None,
            last_reviewed: None,
            breadcrumbs: vec![
                ("Home".into(), "https://x.gov/".into()),
                ("T".into(), "https://x.gov/a/".into()),
            ],
            publisher: Some(("Office", None)),
            kind,
        }
    }

    #[test]
    fn faq_graph_is_strict_json_with_schema_types() {
        let text = graph(&facts(KindFacts::Faq(vec![("Q?".into(), "A.".into())])));
        assert!(!text.contains("</script>") && !text.contains('<'));
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["@context"], "https://schema.org");
        let page = &v["@graph"][1];
        assert_eq!(page["@type"], "FAQPage");
        assert_eq!(page["mainEntity"][0]["acceptedAnswer"]["text"], "A.");
        assert_eq!(page["breadcrumb"]["itemListElement"][1]["position"], 2);
        assert_eq!(v["@graph"][0]["@type"], "GovernmentOrganization");
    }

    #[test]
    fn law_graph_lists_articles() {
        let text = graph(&facts(KindFacts::Law {
            title: "Act",
            enacted: Some("2003-06-28".into()),
            amended: None,
            articles: vec![("Article 7".into(), "article-7".into())],
        }));
        let v: Value = serde_json::from_str(&text).unwrap();
        let law = &v["@graph"][1]["mainEntity"];
        assert_eq!(law["@type"], "Legislation");
        assert_eq!(law["hasPart"][0]["url"], "https://x.gov/a/#article-7");
    }

    #[test]
    fn strings_are_escaped_as_json_requires_and_script_safe() {
        let tricky = "a\"b\\c\nd\re\tf\u{8}g\u{c}h\u{1}i\u{1f}j\u{7f}k</script>&amp;中文 🙂";
        let mut ours = String::new();
        push_json_str(&mut ours, tricky);
        let reference = serde_json::to_string(tricky)
            .unwrap()
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026");
        assert_eq!(ours, reference);
        assert_eq!(serde_json::from_str::<String>(&ours).unwrap(), tricky);
    }

    #[test]
    fn object_keys_are_written_in_byte_order() {
        let mut out = String::new();
        Json::Obj(vec![("url", Json::Num(2)), ("@type", Json::str("T")), ("name", Json::Arr(vec![]))])
            .write(&mut out);
        assert_eq!(out, r#"{"@type":"T","name":[],"url":2}"#);
    }
}
