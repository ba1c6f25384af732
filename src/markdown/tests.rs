use super::*;

fn render_kind(body: &str, kind: Kind) -> Rendered {
    let options = MarkdownOptions::default();
    let strings = std::collections::BTreeMap::new();
    render(body, RenderOptions::for_tests(&options, &strings, kind))
}

fn guide(body: &str) -> Rendered {
    render_kind(body, Kind::Guide)
}

#[test]
fn heading_ids_are_unique_readable_and_keep_chinese() {
    let r = guide("## What to bring\n\n## What to bring\n\n## 挂失 身份证\n\n### Custom {#mine}\n");
    let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["what-to-bring", "what-to-bring-1", "挂失-身份证", "mine"]);
    assert!(r.html.contains("<h2 id=\"what-to-bring-1\">"));
    assert!(r.anchors.contains("mine"));
}

#[test]
fn explicit_ids_are_reserved_before_generated_ones() {
    let r = guide("## Apply\n\n## Other {#apply}\n");
    let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["apply-1", "apply"]);
}

#[test]
fn toc_nests_h3_under_h2() {
    let r = guide("# Title\n\n## A\n\n### A1\n\n### A2\n\n## B\n\n#### deep\n");
    assert_eq!(r.toc.len(), 2);
    assert_eq!(r.toc[0].children.iter().map(|c| c.title.as_str()).collect::<Vec<_>>(), ["A1", "A2"]);
    assert!(r.toc[1].children.is_empty());
}

#[test]
fn internal_links_get_placeholders_and_positions() {
    let body = "Read [the FAQ](../faq/lost.md#bring) or [GOV](https://gov.uk/x) or [top](#a).\n";
    let r = guide(body);
    assert_eq!(r.links.len(), 3);
    assert!(r.links.get(0).unwrap().internal);
    assert_eq!(&**r.links.get(0).unwrap().text, "the FAQ");
    assert_eq!(
        &body
            [r.links.get(0).unwrap().offset..r.links.get(0).unwrap().offset + r.links.get(0).unwrap().length],
        "[the FAQ](../faq/lost.md#bring)"
    );
    assert!(!r.links.get(1).unwrap().internal);
    assert!(r.links.get(2).unwrap().internal);
    assert!(r.html.contains("href=\"https://gov.uk/x\""));
    let filled = fill_links(&r.html, &r.links, &[Some("/faq/lost/#bring".into()), None, Some("#a".into())]);
    assert!(filled.contains("<a href=\"/faq/lost/#bring\">the FAQ</a>"), "{filled}");
    assert!(filled.contains("<a href=\"#a\">top</a>"));
    assert!(!filled.contains(PLACEHOLDER_OPEN));
}

#[test]
fn schemes_are_external() {
    for external in ["https://a.b", "mailto:x@y.z", "tel:+8612345", "//cdn.example/x", "HTTP://A"] {
        assert!(!is_internal(external), "{external}");
    }
    for internal in ["a.md", "../a.md", "/law/x.md#article-7", "a:b/c.md", "#frag", "dir/"] {
        let expected = internal != "a:b/c.md";
        assert_eq!(is_internal(internal), expected, "{internal}");
    }
}

#[test]
fn steps_from_headings() {
    let r =
        render_kind("Intro.\n\n## Open the app\n\nText.\n\n### Detail\n\n## Submit\n\nMore.\n", Kind::Steps);
    assert_eq!(r.step_count, 2);
    assert!(r.html.contains("<ol class=\"sp-steps\">"));
    assert!(r.html.contains("<li class=\"sp-step\" id=\"step-1\">\n<h2 id=\"open-the-app\">"));
    assert!(r.html.contains("<li class=\"sp-step\" id=\"step-2\">"));
    assert!(r.anchors.contains("step-2"));
    assert_eq!(r.html.matches("<li class=\"sp-step\"").count(), r.html.matches("</li>\n").count());
    assert!(r.html.trim_end().ends_with("</li>\n</ol>"));
}

#[test]
fn steps_from_first_ordered_list_when_no_h2() {
    let r = render_kind(
        "Intro.\n\n1. First\n2. Second\n   1. nested\n\n3. Third\n\nThen:\n\n1. other list\n",
        Kind::Steps,
    );
    assert_eq!(r.step_count, 3);
    assert!(r.html.contains("<li class=\"sp-step\" id=\"step-3\">"));
    assert_eq!(r.html.matches("class=\"sp-steps\"").count(), 1);
}

#[test]
fn faq_questions_become_open_details() {
    let r = render_kind(
        "Intro\n\n## Can I report it online?\n\nNo.\n\n## What to bring?\n\nYour booklet.\n",
        Kind::Faq,
    );
    assert_eq!(r.html.matches("<details class=\"sp-faq-item\" open>").count(), 2);
    assert!(
        r.html.contains(
            "<summary>\n<h2 id=\"can-i-report-it-online\">Can I report it online?</h2>\n</summary>"
        ),
        "{}",
        r.html
    );
    assert!(r.html.contains("<div class=\"sp-faq-answer\">\n<p>No.</p>\n</div>\n</details>"));
    assert_eq!(r.html.matches("<div").count(), r.html.matches("</div>").count());
}

#[test]
fn law_articles_get_stable_ids_and_sections() {
    let r = render_kind(
        "## Chapter 2: Application\n\n### Article 7\n\nText 7.\n\n### 第十条\n\nText 10.\n\n## Chapter 3\n",
        Kind::Law,
    );
    let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["chapter-2", "article-7", "article-10", "chapter-3"]);
    assert_eq!(r.html.matches("<section class=\"sp-article\"").count(), 2);
    assert_eq!(r.html.matches("</section>").count(), 2);
    let cited: Vec<&str> = r.cited_slots.iter().map(|s| s.anchor.as_str()).collect();
    assert_eq!(cited, ["article-7", "article-10"], "each article's end is recorded");
    let chapter3 = r.html.find("id=\"chapter-3\"").unwrap();
    assert!(r.html[..chapter3].ends_with("</section>\n<h2 "), "article closes before the next chapter");
}

#[test]
fn callouts_are_labelled_notes() {
    let r = guide("> [!WARNING]\n> Do not post your card number.\n\n> plain quote\n");
    assert!(r.html.contains("<div class=\"sp-callout sp-callout-warning\" role=\"note\">"));
    assert!(r.html.contains(">Warning</p>"));
    let options = MarkdownOptions::default();
    let strings = std::collections::BTreeMap::from([("warning".to_string(), "警告".to_string())]);
    let zh = render(
        "> [!WARNING]\n> x\n",
        RenderOptions { highlight: false, ..RenderOptions::for_tests(&options, &strings, Kind::Guide) },
    );
    assert!(zh.html.contains(">警告</p>"));
    assert!(r.html.contains("<blockquote>"));
}

#[test]
fn code_blocks_are_highlighted_or_escaped() {
    let r = guide("```rust\nfn main() {}\n```\n\n```nosuchlang\n<b>x</b>\n```\n");
    assert!(r.html.contains("<pre class=\"code\" data-lang=\"rust\"><code><span class=\"sp-hl-"));
    assert!(r.html.contains("&lt;b&gt;x&lt;/b&gt;"));
}

#[test]
fn summary_before_more_marker() {
    let r = guide("First para.\n\n<!-- more -->\n\nRest.\n");
    assert_eq!(r.summary.as_deref(), Some("<p>First para.</p>\n"));
    assert!(guide("No marker").summary.is_none());
}

#[test]
fn raw_html_passes_through_and_words_are_counted() {
    let r = guide("<div class=\"x\">raw</div>\n\nTwo words 身份证\n");
    assert!(r.html.contains("<div class=\"x\">raw</div>"));
    assert_eq!(r.word_count, 5);
}

#[test]
fn deep_nesting_does_not_overflow() {
    let body = format!("{}deep\n", "> ".repeat(10_000));
    let r = guide(&body);
    assert!(r.html.contains("deep"));
    let list = format!("{}x\n", (0..5_000).map(|i| format!("{}- ", "  ".repeat(i))).collect::<String>());
    let _ = guide(&list);
}

#[test]
fn images_are_recorded_and_get_placeholders() {
    let r = guide("![A *map* of the hall](hall.png \"Hall\") and ![logo](https://x.gov/l.png)\n");
    assert_eq!(r.links.len(), 2);
    assert!(r.links.get(0).unwrap().internal);
    assert_eq!(&**r.links.get(0).unwrap().destination, "hall.png");
    let filled = fill_links(&r.html, &r.links, &[Some("/faq/hall.png".into()), None]);
    assert!(
        filled.contains(
            "<img src=\"/faq/hall.png\" alt=\"A map of the hall\" title=\"Hall\" decoding=\"async\">"
        ),
        "{filled}"
    );
    // Images after the first load as they come near the screen.
    assert!(
        filled.contains("<img src=\"https://x.gov/l.png\" alt=\"logo\" loading=\"lazy\" decoding=\"async\">")
    );
}

#[test]
fn stray_placeholder_characters_are_not_links() {
    let body = "Odd \u{FDD0}0\u{FDD1} text and [a](b.md).\n";
    let r = guide(body);
    let filled = fill_links(&r.html, &r.links, &[Some("/b/".into())]);
    assert!(filled.contains("Odd \u{FFFD}0\u{FFFD} text"), "{filled}");
    assert_eq!(filled.matches("/b/").count(), 1);
    assert_eq!(
        &body
            [r.links.get(0).unwrap().offset..r.links.get(0).unwrap().offset + r.links.get(0).unwrap().length],
        "[a](b.md)"
    );
}

#[test]
fn words_are_counted_only_when_asked() {
    let options = MarkdownOptions::default();
    let strings = std::collections::BTreeMap::new();
    let body = "Bring your `ID card` and a photo.\n\n带上身份证。\n";
    let with = |count_words| {
        render(
            body,
            RenderOptions {
                highlight: false,
                count_words,
                ..RenderOptions::for_tests(&options, &strings, Kind::Guide)
            },
        )
    };
    assert_eq!(with(true).word_count, 7 + 5);
    assert_eq!(with(false).word_count, 0);
    assert_eq!(with(false).html, with(true).html, "counting changes nothing else");
}

#[test]
fn placeholder_search_agrees_with_a_character_search() {
    assert_eq!(PLACEHOLDER_OPEN.to_string(), PLACEHOLDER_OPEN_UTF8);
    assert_eq!(PLACEHOLDER_CLOSE.to_string(), PLACEHOLDER_CLOSE_UTF8);
    let texts = [
        "",
        "plain",
        "\u{FDD0}",
        "a\u{FDD1}b",
        "\u{FDCF}\u{FDD2}\u{FDFF}",
        "中文\u{FDD0}",
        "\u{FDD}x",
        "ﷰ ﷱ",
    ];
    for text in texts {
        assert_eq!(
            has_placeholder_char(text),
            text.contains([PLACEHOLDER_OPEN, PLACEHOLDER_CLOSE]),
            "{text:?}"
        );
    }
}

#[test]
fn structured_data_comes_beside_the_html() {
    let law = render_kind("## Article 1\n\nText one.\n\n## Article 2\n\nText two.\n", Kind::Law);
    assert!(!law.html.contains("sp-cited-by"), "no marks are left in the body");
    let anchors: Vec<&str> = law.cited_slots.iter().map(|s| s.anchor.as_str()).collect();
    assert_eq!(anchors, ["article-1", "article-2"]);
    for slot in &law.cited_slots {
        assert!(law.html[slot.offset..].starts_with("\n</section>"), "{slot:?}");
    }
    let faq = render_kind("## Lost it?\n\nReport it **at once**.\n\n## Found it?\n\nTell us.\n", Kind::Faq);
    assert_eq!(faq.faq_answers, ["Report it at once.", "Tell us."]);
}

#[test]
fn html_written_in_batches_is_the_html_written_at_once() {
    let body = "Intro with [a link](a.md), ![a map](map.png) and **bold**.\n\n\
                ## Bring\n\n- one\n- two\n\n  nested para\n\n> [!NOTE]\n> A note.\n\n> quoted\n\n\
                | A | B |\n| - | - |\n| 1 | €2/32 |\n\n```rust\nfn main() {}\n```\n\n    indented\n\n\
                <div class=\"raw\">\nraw html\n</div>\n\n1. first\n2. second\n\n---\n\n\
                ## 第一条\n\n条文。\n\n### Deeper\n\nText [top](#) and `code`.\n";
    let options = MarkdownOptions::default();
    let strings = std::collections::BTreeMap::new();
    for kind in [Kind::Guide, Kind::Steps, Kind::Faq, Kind::Law] {
        let options = RenderOptions::for_tests(&options, &strings, kind);
        let whole = render_in_batches(body, options, usize::MAX, None, false);
        let batched = render_in_batches(body, options, 1, None, false);
        assert_eq!(batched.html, whole.html, "{kind:?}");
        assert_eq!(batched.links.len(), whole.links.len());
    }
    // With footnotes, whose numbers the writer keeps, the body is written in one batch.
    let notes = "One[^a] and two[^b].\n\n[^b]: Second.\n\n[^a]: First.\n";
    let options = RenderOptions::for_tests(&options, &strings, Kind::Guide);
    assert_eq!(
        render_in_batches(notes, options, 1, None, false).html,
        render_in_batches(notes, options, usize::MAX, None, false).html
    );
}

#[test]
fn a_body_parsed_for_each_pass_and_in_pieces_renders_as_one_whose_events_are_held() {
    let strings = std::collections::BTreeMap::new();
    let markdown = MarkdownOptions::default();
    let body = "Intro with **bold** and [a link](a.md).\n\n## Part\n\n- one\n- two\n\n  more\n\n\
                Table | Fee\n--- | ---\nCard | 20\n\n> [!NOTE]\n> Bring it.\n\n## Part\n\nText ![map](m.png).\n\n";
    for kind in [Kind::Guide, Kind::Steps, Kind::Faq, Kind::Law] {
        let options = RenderOptions::for_tests(&markdown, &strings, kind);
        for text in [body.to_string(), format!("{body}```\ncode\n\nmore\n```\n\nAfter.\n")] {
            let held = render_in_batches(&text, options, 2, None, false);
            let parsed = render_in_batches(&text, options, 2, Some(1), false);
            assert_eq!(parsed.html, held.html, "{kind:?}");
            assert_eq!(parsed.links, held.links);
            assert_eq!(parsed.headings, held.headings);
            assert_eq!(parsed.text_sections, held.text_sections);
            assert_eq!(
                (parsed.first_paragraph, parsed.faq_answers),
                (held.first_paragraph, held.faq_answers)
            );
            assert_eq!((parsed.step_count, parsed.word_count), (held.step_count, held.word_count));
        }
    }
}

#[test]
fn links_to_one_place_with_the_same_words_share_their_strings() {
    let r = guide("[a link](apply.md) and [a link](apply.md), [other words](apply.md), ![a link](apply.md)");
    assert_eq!(r.links.len(), 4);
    let (first, second) = (&r.links.get(0).unwrap(), &r.links.get(1).unwrap());
    assert!(Arc::ptr_eq(first.destination, second.destination));
    assert!(Arc::ptr_eq(first.text, second.text));
    assert!(Arc::ptr_eq(first.destination, r.links.get(2).unwrap().destination));
    assert_eq!(&**r.links.get(2).unwrap().text, "other words");
    assert!(Arc::ptr_eq(first.text, r.links.get(3).unwrap().text), "an image's alt text is shared too");
}
