//! `themes/default/static/search.js` (as a build publishes it) and `signpost::search` must
//! tokenize and rank identically:
//! build an index in Rust, run the same queries (with filters and pages) through the script under
//! node, reading the same files, and compare. Skipped (with a note) when `node` is not on PATH.

use std::path::Path;
use std::process::Command;

use signpost::search::{
    SearchIndex, SearchPage, SearchQuery, SearchSection, SearchSettings, search, tokenize,
};

fn node_available() -> bool {
    Command::new("node").arg("--version").output().map(|o| o.status.success()).unwrap_or(false)
}

const HARNESS: &str = r#"
const fs = require('fs');
const path = require('path');
const [script, input] = process.argv.slice(2);
const s = require(script);
const job = JSON.parse(fs.readFileSync(input, 'utf8'));
// Index files are scripts calling signpostSearch(name, data): run them to get the data.
const load = async (file) => {
  let text;
  try { text = fs.readFileSync(path.join(job.dir, file), 'utf8'); } catch (e) { return null; }
  let data = null;
  new Function('signpostSearch', text)((name, d) => { data = d; });
  return data;
};
(async () => {
  const results = [];
  for (const q of job.queries) {
    const r = await s.search(load, q.text, q);
    results.push({ total: r.total, hits: r.hits, close: r.close });
  }
  process.stdout.write(JSON.stringify({ tokens: job.texts.map((t) => s.tokenize(t)), results }));
})();
"#;

fn page(url: &str, title: &str, kind: &'static str, sections: &[(&str, &str, &str)]) -> SearchPage<'static> {
    SearchPage {
        url: url.into(),
        title: title.to_string().into(),
        description: Default::default(),
        tags: Vec::new(),
        section: Some(usize::from(url.starts_with("/en/"))),
        kind,
        sections: sections
            .iter()
            .map(|(a, h, t)| SearchSection {
                anchor: a.to_string(),
                heading: h.to_string(),
                text: t.to_string(),
            })
            .collect::<Vec<_>>()
            .into(),
    }
}

/// Hand-written pages plus pseudo-random ones mixing scripts, accents, full-width and markup.
fn corpus() -> Vec<SearchPage<'static>> {
    let mut pages = vec![
        page(
            "/faq/lost-card/",
            "身份证丢失了怎么办",
            "faq",
            &[
                ("", "", "居民身份证丢失后，请尽快办理挂失，并申请补领新证。"),
                ("如何挂失", "如何挂失", "拨打12345热线办理挂失。挂失后原证件作废。"),
                ("补领", "补领需要哪些材料", "补领时请携带户口簿和照片。"),
            ],
        ),
        page(
            "/en/faq/lost-card/",
            "What to do if you lose your identity card",
            "faq",
            &[
                ("", "", "If your identity card is lost, report it."),
                ("report", "Report a lost card", "Call 12345."),
            ],
        ),
        page(
            "/en/guides/cafe/",
            "Open a Café",
            "guide",
            &[("", "", "A café needs a licence. Check <kitchens> & \"storage\" 'now'.")],
        ),
        page(
            "/en/guides/renew/",
            "Renew your ＩＤ card",
            "steps",
            &[("", "", "Renew up to 3 months before it expires: ﬁle form №5.")],
        ),
    ];
    const WORDS: &[&str] = &[
        "identity",
        "card",
        "lost",
        "renew",
        "renewal",
        "passport",
        "licence",
        "café",
        "naïve",
        "Straße",
        "ÉCOLE",
        "ＩＤ",
        "２０２４",
        "身份证",
        "挂失",
        "补领",
        "换领",
        "护照",
        "居住证",
        "社会保险",
        "证",
        "、",
        "，",
        "。",
        "<b>",
        "&amp;",
        "\"quote\"",
        "it's",
        "e\u{301}t\u{e9}",
        "Σίσυφος",
        "ﬁ",
        "x",
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = |n: usize| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n
    };
    for i in 0..60 {
        let mut sections = Vec::new();
        for k in 0..(1 + i % 3) {
            let mut text = String::new();
            for _ in 0..(5 + next(120)) {
                text.push_str(WORDS[next(WORDS.len())]);
                text.push_str(if next(3) == 0 { "" } else { " " });
            }
            let heading = if k == 0 { String::new() } else { WORDS[next(WORDS.len())].to_string() };
            let anchor = if k == 0 { String::new() } else { format!("h{k}") };
            sections.push(SearchSection { anchor, heading, text });
        }
        pages.push(SearchPage {
            url: format!("/p{i}/"),
            title: format!("{} {}", WORDS[next(WORDS.len())], WORDS[next(WORDS.len())]).into(),
            description: if i % 4 == 0 { WORDS[next(WORDS.len())].into() } else { Default::default() },
            tags: if i % 5 == 0 { vec![WORDS[next(WORDS.len())]] } else { Vec::new() },
            section: (i % 3 != 2).then_some(i % 2),
            kind: ["guide", "steps", "faq", "law"][i % 4],
            sections: sections.into(),
        });
    }
    pages
}

#[test]
fn script_and_rust_agree() {
    if !node_available() {
        eprintln!("note: `node` is not on PATH; skipping the search.js comparison");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // The script as a build publishes it: compacted, without comments and indentation.
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/search.js");
    let compact = signpost::theme::compact_script(&std::fs::read_to_string(source).unwrap());
    let script = dir.path().join("search.js");
    std::fs::write(&script, compact.expect("search.js can be compacted")).unwrap();
    let settings = SearchSettings {
        lang: "zh-CN".into(),
        sections: vec![("中文".into(), "/".into()), ("English".into(), "/en/".into())],
        kinds: vec!["guide".into(), "steps".into(), "faq".into(), "law".into()],
        synonyms: vec![
            vec!["身份证".into(), "身分证".into()],
            vec!["licence".into(), "license".into()],
            vec!["社保".into(), "社会保险".into()],
        ],
    };
    let (_, files) = SearchIndex::build(settings, &corpus());
    for (path, text) in &files {
        let file = dir.path().join("index").join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text.as_bytes()).unwrap();
    }
    let index_dir = dir.path().join("index");

    let queries: Vec<String> = [
        "身份证",
        "挂失",
        "补领",
        "证",
        "险",
        "identity card",
        "lost",
        "identi",
        "LOST card",
        "ｌｏｓｔ",
        "cafe",
        "CAFÉ",
        "naive",
        "strasse",
        "ecole",
        "ＩＤ",
        "2024",
        "file",
        "kitchens",
        "storage",
        "sisyphus",
        "σίσυφος",
        "ete",
        "it's",
        "身份证 挂失",
        "card 证",
        "xyzzy",
        "",
        "the",
        "x",
        "ca",
        "car",
        "renew ren",
        "社会",
        "会保",
        "quot",
        "amp",
        "b",
        "身分证",
        "lost crad",
        "identiy",
        "licnce",
        "license",
        "renwe card",
        "passprot",
        "社保",
        "社保 证",
        "社会保险 card",
        // No page has every term: close matches, ranked by how many terms they have.
        "身份证丢了怎么办",
        "lost card xyzzy",
        "identity card renewal passport zzz",
        "身份证 挂失 护照 居住证 换领",
        "renew passport licence café naive",
    ]
    .iter()
    .map(|q| q.to_string())
    .collect();
    let texts: Vec<String> = queries
        .iter()
        .cloned()
        .chain(corpus().into_iter().flat_map(|d| {
            std::iter::once(d.title.into_owned()).chain(d.sections.into_owned().into_iter().map(|s| s.text))
        }))
        .chain(["İstanbul ǅemal ㈱ Ｆｕｌｌ　ｗｉｄｔｈ ½ 〇々 カタカナ ひらがな 한국어 Ⅻ 𠀋𠀍".to_string()])
        .collect();
    let mut jobs: Vec<serde_json::Value> = Vec::new();
    for (i, q) in queries.iter().enumerate() {
        let section = (i % 5 == 1).then_some(i % 2);
        let kind = (i % 7 == 3).then_some(["guide", "faq"][i % 2]);
        let (offset, limit) = if i % 4 == 2 { (3, 4) } else { (0, 20) };
        jobs.push(serde_json::json!({"text": q, "section": section, "kind": kind, "offset": offset, "limit": limit}));
    }
    let job = serde_json::json!({ "dir": index_dir, "queries": jobs, "texts": texts });
    let job_path = dir.path().join("job.json");
    std::fs::write(&job_path, job.to_string()).unwrap();
    let harness = dir.path().join("harness.js");
    std::fs::write(&harness, HARNESS).unwrap();
    let out = Command::new("node").arg(&harness).arg(&script).arg(&job_path).output().unwrap();
    assert!(out.status.success(), "node failed: {}", String::from_utf8_lossy(&out.stderr));
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();

    for (i, text) in texts.iter().enumerate() {
        let js: Vec<String> = serde_json::from_value(got["tokens"][i].clone()).unwrap();
        assert_eq!(js, tokenize(text), "tokenize({text:?})");
    }
    let read = |path: &str| std::fs::read_to_string(index_dir.join(path)).ok();
    let mut found = 0;
    let mut closes = 0;
    for (i, job) in jobs.iter().enumerate() {
        let q = SearchQuery {
            text: job["text"].as_str().unwrap(),
            section: job["section"].as_u64().map(|s| s as usize),
            kind: job["kind"].as_str(),
            offset: job["offset"].as_u64().unwrap() as usize,
            limit: job["limit"].as_u64().unwrap() as usize,
        };
        let rust = search(&read, &q);
        let hits: Vec<serde_json::Value> = rust
            .hits
            .into_iter()
            .map(|h| serde_json::json!({"url": h.url, "title": h.title, "heading": h.heading, "snippet": h.snippet}))
            .collect();
        found += hits.len();
        assert_eq!(got["results"][i]["total"], rust.total, "count of {job}");
        assert_eq!(got["results"][i]["close"], rust.close, "close matches of {job}");
        closes += usize::from(rust.close);
        assert_eq!(got["results"][i]["hits"], serde_json::Value::Array(hits), "query {job}");
    }
    assert!(found > 100, "the comparison should cover many hits, got {found}");
    assert!(closes >= 3, "the comparison should cover close matches, got {closes}");
}
