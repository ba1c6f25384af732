//! `themes/default/static/search.js` and `signpost::search` must tokenize and rank identically:
//! build an index in Rust, run the same queries through the script under node, compare.
//! Skipped (with a note) when `node` is not on PATH.

use std::path::Path;
use std::process::Command;

use signpost::search::{SearchDoc, build_index, query, tokenize};

fn node_available() -> bool {
    Command::new("node").arg("--version").output().map(|o| o.status.success()).unwrap_or(false)
}

const HARNESS: &str = r#"
const fs = require('fs');
const [script, input] = process.argv.slice(2);
const s = require(script);
const job = JSON.parse(fs.readFileSync(input, 'utf8'));
const index = JSON.parse(fs.readFileSync(job.index, 'utf8'));
const out = {
  tokens: job.texts.map((t) => s.tokenize(t)),
  hits: job.queries.map((q) => s.search(index, q, job.limit)),
};
process.stdout.write(JSON.stringify(out));
"#;

fn doc(url: &str, title: &str, heading: Option<&str>, text: &str) -> SearchDoc {
    SearchDoc { url: url.into(), title: title.into(), heading: heading.map(Into::into), text: text.into() }
}

/// Hand-written docs plus pseudo-random ones mixing scripts, accents, full-width and markup.
fn corpus() -> Vec<SearchDoc> {
    let mut docs = vec![
        doc(
            "/faq/lost-card/",
            "身份证丢失了怎么办",
            None,
            "居民身份证丢失后，请尽快办理挂失，并申请补领新证。",
        ),
        doc(
            "/faq/lost-card/#如何挂失",
            "身份证丢失了怎么办",
            Some("如何挂失"),
            "拨打12345热线办理挂失。挂失后原证件作废。",
        ),
        doc(
            "/faq/lost-card/#补领",
            "身份证丢失了怎么办",
            Some("补领需要哪些材料"),
            "补领时请携带户口簿和照片。",
        ),
        doc(
            "/en/faq/lost-card/",
            "What to do if you lose your identity card",
            None,
            "If your identity card is lost, report it.",
        ),
        doc(
            "/en/faq/lost-card/#report",
            "What to do if you lose your identity card",
            Some("Report a lost card"),
            "Call 12345.",
        ),
        doc(
            "/en/guides/cafe/",
            "Open a Café",
            None,
            "A café needs a licence. Check <kitchens> & \"storage\" 'now'.",
        ),
        doc(
            "/en/guides/renew/",
            "Renew your ＩＤ card",
            None,
            "Renew up to 3 months before it expires: ﬁle form №5.",
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
    for i in 0..120 {
        let mut text = String::new();
        for _ in 0..(5 + next(120)) {
            text.push_str(WORDS[next(WORDS.len())]);
            text.push_str(if next(3) == 0 { "" } else { " " });
        }
        let title = format!("{} {}", WORDS[next(WORDS.len())], WORDS[next(WORDS.len())]);
        let heading = (i % 3 != 0).then(|| WORDS[next(WORDS.len())].to_string());
        let url = if i % 3 == 0 { format!("/p{}/", i / 3) } else { format!("/p{}/#h{i}", i / 3) };
        docs.push(SearchDoc { url, title, heading, text });
    }
    docs
}

#[test]
fn script_and_rust_agree() {
    if !node_available() {
        eprintln!("note: `node` is not on PATH; skipping the search.js comparison");
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/search.js");
    let dir = tempfile::tempdir().unwrap();
    let index = build_index("zh-CN", &corpus());
    let index_path = dir.path().join("index.json");
    std::fs::write(&index_path, &index).unwrap();

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
    ]
    .iter()
    .map(|q| q.to_string())
    .collect();
    let texts: Vec<String> = queries
        .iter()
        .cloned()
        .chain(corpus().into_iter().flat_map(|d| [d.title, d.text]))
        .chain(["İstanbul ǅemal ㈱ Ｆｕｌｌ　ｗｉｄｔｈ ½ 〇々 カタカナ ひらがな 한국어 Ⅻ 𠀋𠀍".to_string()])
        .collect();
    let limit = 20;
    let job = serde_json::json!({
        "index": index_path,
        "queries": queries,
        "texts": texts,
        "limit": limit,
    });
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
    let mut found = 0;
    for (i, q) in queries.iter().enumerate() {
        let rust: Vec<serde_json::Value> = query(&index, q, limit)
            .into_iter()
            .map(|h| {
                serde_json::json!({"url": h.url, "title": h.title, "heading": h.heading, "snippet": h.snippet})
            })
            .collect();
        found += rust.len();
        assert_eq!(got["hits"][i], serde_json::Value::Array(rust), "query {q:?}");
    }
    assert!(found > 100, "the comparison should cover many hits, got {found}");
}
