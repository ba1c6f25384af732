//! Data files: loading, lookups, localization and schemas.

use super::*;

fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

#[test]
fn yaml_json_csv_and_folders_are_reachable_by_dotted_keys() {
    let dir = site(&[
        ("data/renewal.yaml", "issuing_days: 60\nremote:\n  extra_days: 30\n"),
        ("data/fees.json", "{\"card\": {\"yuan\": 20}}"),
        ("data/halls.csv", "name,phone\nNanchang,0791-1\nJiujiang,0792-2\n"),
        ("data/services/lost.yaml", "steps: [report, apply]\n"),
        ("data/README.md", "not data"),
    ]);
    let (data, problems) = Data::load(dir.path());
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(data.get("renewal.issuing_days"), Some(&Value::from(60)));
    assert_eq!(data.get("renewal.remote.extra_days"), Some(&Value::from(30)));
    assert_eq!(data.get("fees.card.yuan"), Some(&Value::from(20)));
    assert_eq!(data.get("halls.1.phone"), Some(&Value::from("0792-2")));
    assert_eq!(data.get("services.lost.steps.0"), Some(&Value::from("report")));
    assert_eq!(data.get("renewal.issuing_dayz"), None);
    assert_eq!(data.suggest("renewal.issuing_dayz").as_deref(), Some("renewal.issuing_days"));
    assert_eq!(data.suggest("renewl.issuing_days").as_deref(), Some("renewal"));
    assert_eq!(data.fingerprint_of("renewal.remote.extra_days").map(|(n, _)| n).as_deref(), Some("renewal"));
    assert_eq!(data.fingerprint_of("services.lost.steps").map(|(n, _)| n).as_deref(), Some("services/lost"));
}

#[test]
fn parse_errors_are_located_in_the_data_file() {
    let dir = site(&[
        ("data/a.yaml", "ok: 1\nbad: [1, 2\n"),
        ("data/b.json", "{\n  \"x\": 1,\n  \"y\": \n}"),
        ("data/c.csv", "name,phone\nA,1\nB,2,3\n"),
    ]);
    let (data, problems) = Data::load(dir.path());
    let at: Vec<(String, usize)> = problems
        .iter()
        .map(|p| {
            let l = p.location.as_ref().expect("located");
            (l.file.display().to_string(), l.line)
        })
        .collect();
    assert_eq!(at.len(), 3, "{problems:?}");
    assert_eq!(at[0].0, "data/a.yaml");
    assert_eq!(at[1], ("data/b.json".to_string(), 4));
    assert_eq!(at[2], ("data/c.csv".to_string(), 3));
    assert!(problems[2].message.contains("3 fields where the header has 2"), "{}", problems[2].message);
    assert!(data.is_empty());
}

#[test]
fn a_schema_locates_missing_mistyped_and_unknown_fields() {
    let dir = site(&[
        (
            "data/offices.yaml",
            "nanchang:\n  name: {zh-CN: 南昌, en: Nanchang}\n  phone: 791\njiujiang:\n  name: 九江\n  phone: \"0792\"\n  hourz: 9-5\n",
        ),
        ("data/offices.schema.yaml", "each:\n  name: text\n  phone: text\n  hours: text?\n"),
    ]);
    let (_, problems) = Data::load(dir.path());
    let shown: Vec<String> = problems
        .iter()
        .map(|p| {
            let l = p.location.as_ref().expect("located");
            format!("{}:{}:{} {}", l.file.display(), l.line, l.column, p.message)
        })
        .collect();
    assert_eq!(
        shown,
        [
            "data/offices.yaml:7:3 `offices.jiujiang.hourz` is not in the schema",
            "data/offices.yaml:3:3 `offices.nanchang.phone` is a number, where the schema asks for text",
        ],
    );
    assert_eq!(problems[0].hints, ["did you mean `hours`?"]);
}

#[test]
fn a_missing_field_and_a_bad_kind_in_the_schema_are_errors() {
    let dir = site(&[
        ("data/offices.yaml", "nanchang:\n  name: 南昌\n"),
        ("data/offices.schema.yaml", "each:\n  name: text\n  phone: text\n  days: numbr\n"),
    ]);
    let (_, problems) = Data::load(dir.path());
    let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        ["unknown kind `numbr` for `days` in a data schema", "`offices.nanchang` has no `phone`"]
    );
    assert_eq!(problems[0].location.as_ref().map(|l| l.line), Some(4));
    assert_eq!(problems[1].location.as_ref().map(|l| l.line), Some(1));
}

#[test]
fn an_oversized_data_file_is_refused_without_reading_it() {
    let dir = site(&[]);
    std::fs::create_dir_all(dir.path().join("data")).expect("mkdir");
    let file = std::fs::File::create(dir.path().join("data/big.json")).expect("create");
    file.set_len(MAX_BYTES + 1).expect("grow");
    let (data, problems) = Data::load(dir.path());
    assert!(data.is_empty());
    assert_eq!(problems.len(), 1);
    assert!(problems[0].message.starts_with("data file is 8 MB, more than"), "{}", problems[0].message);
}

#[test]
fn localize_picks_the_pages_language_and_falls_back_to_the_first() {
    let value: Value = serde_json::from_str(
        r#"{"days": {"zh-CN": "六十日", "en": "60 days"}, "name": {"zh-CN": "南昌"}, "n": 3}"#,
    )
    .expect("json");
    let langs = ["zh-CN", "en"];
    let en = localize(&value, "en", &langs);
    assert_eq!(en["days"], "60 days");
    assert_eq!(en["name"], "南昌");
    assert_eq!(en["n"], 3);
    assert_eq!(localize(&value, "zh-CN", &langs)["days"], "六十日");
}
