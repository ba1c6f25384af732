//! One JSON-LD graph per page: `WebPage`, `BreadcrumbList`, the publisher as
//! `GovernmentOrganization`, plus `HowTo`, `FAQPage` or `Legislation` for the guidance kinds.

use serde_json::{Value, json};

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
}

/// Build the graph as a JSON string (compact, deterministic key order).
pub fn graph(facts: &PageFacts<'_>) -> String {
    let mut nodes = Vec::new();
    let publisher_id = facts.publisher.map(|(name, url)| {
        let mut org = json!({"@type": "GovernmentOrganization", "@id": "#publisher", "name": name});
        if let Some(url) = url {
            org["url"] = json!(url);
        }
        nodes.push(org);
        "#publisher"
    });
    let mut page = json!({
        "@type": "WebPage",
        "@id": facts.permalink,
        "url": facts.permalink,
        "name": facts.title,
        "inLanguage": facts.language,
    });
    if !facts.description.is_empty() {
        page["description"] = json!(facts.description);
    }
    if let Some(d) = &facts.published {
        page["datePublished"] = json!(d);
    }
    if let Some(d) = &facts.modified {
        page["dateModified"] = json!(d);
    }
    if let Some(d) = &facts.last_reviewed {
        page["lastReviewed"] = json!(d);
    }
    if let Some(id) = publisher_id {
        page["publisher"] = json!({"@id": id});
    }
    if facts.breadcrumbs.len() > 1 {
        let items: Vec<Value> = facts
            .breadcrumbs
            .iter()
            .enumerate()
            .map(
                |(i, (name, url))| json!({"@type": "ListItem", "position": i + 1, "name": name, "item": url}),
            )
            .collect();
        page["breadcrumb"] = json!({"@type": "BreadcrumbList", "itemListElement": items});
    }
    match &facts.kind {
        KindFacts::None => {}
        KindFacts::Steps { steps, supplies } => {
            let steps: Vec<Value> = steps
                .iter()
                .enumerate()
                .map(|(i, (name, anchor))| {
                    json!({"@type": "HowToStep", "position": i + 1, "name": name, "url": format!("{}#{}", facts.permalink, anchor)})
                })
                .collect();
            let mut howto = json!({"@type": "HowTo", "name": facts.title, "step": steps});
            if !facts.description.is_empty() {
                howto["description"] = json!(facts.description);
            }
            if !supplies.is_empty() {
                howto["supply"] = json!(
                    supplies.iter().map(|s| json!({"@type": "HowToSupply", "name": s})).collect::<Vec<_>>()
                );
            }
            page["mainEntity"] = howto;
        }
        KindFacts::Faq(entries) => {
            page["@type"] = json!("FAQPage");
            page["mainEntity"] = json!(
                entries
                    .iter()
                    .map(|(q, a)| json!({"@type": "Question", "name": q, "acceptedAnswer": {"@type": "Answer", "text": a}}))
                    .collect::<Vec<_>>()
            );
        }
        KindFacts::Law { title, enacted, amended, articles } => {
            let mut law = json!({"@type": "Legislation", "name": title, "legislationIdentifier": title});
            if let Some(d) = enacted {
                law["legislationDate"] = json!(d);
            }
            if let Some(d) = amended {
                law["legislationDateVersion"] = json!(d);
            }
            law["hasPart"] = json!(
                articles
                    .iter()
                    .map(|(name, anchor)| json!({
                        "@type": "Legislation",
                        "name": name,
                        "legislationIdentifier": name,
                        "url": format!("{}#{}", facts.permalink, anchor)
                    }))
                    .collect::<Vec<_>>()
            );
            page["mainEntity"] = law;
        }
    }
    nodes.push(page);
    let doc = json!({"@context": "https://schema.org", "@graph": nodes});
    // Inside a script element `</script>` would end it early, and a raw `<script` reads
    // badly to any tool scanning the page; JSON allows these escapes anywhere in a string.
    doc.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
