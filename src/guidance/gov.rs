//! The data of China's government-website rules (see `docs/government.md`): the `gov:` block
//! of `site.yaml`, a section's `column:` settings and a service guide's `service:` elements.
//!
//! Types and their wording only, so that `config` and `front_matter` can read them without
//! importing the stages above them; the checks live in `guidance::freshness` and
//! `guidance::service`.

use serde::{Deserialize, Serialize};

/// The `gov:` block of `site.yaml`: the site's identification, filings and sponsor. Setting
/// it turns on the government meta tags and footer; without it no output changes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Gov {
    /// The site identification code (网站标识码), issued when the site is registered.
    pub site_id: String,
    /// The domain stated in `SiteDomain`; default: the host of `base_url`.
    #[serde(default)]
    pub domain: Option<String>,
    /// The ICP filing (ICP备案) number and the link to the filing system.
    pub icp: Filing,
    /// The public-security filing (公安机关备案) number and its link.
    #[serde(default)]
    pub police: Option<Filing>,
    /// The sponsoring body (主办单位).
    pub sponsor: String,
    /// How to reach the sponsor (phone, e-mail or address), shown in the footer.
    #[serde(default)]
    pub contact: Option<String>,
    /// The entry for reporting errors on the site (网站纠错).
    pub error_report_url: String,
    /// Where the content comes from (`ContentSource`); default: the sponsor.
    #[serde(default)]
    pub content_source: Option<String>,
}

/// A filing number with the page that confirms it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Filing {
    /// The number as the filing system prints it.
    pub number: String,
    /// The filing system's page for it.
    pub url: String,
}

/// The type of a column (栏目), which sets how often it must be updated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnType {
    /// News and updates (动态要闻): updated within 2 weeks.
    News,
    /// Notices and announcements (通知公告): updated within 6 months.
    Notice,
    /// Policy documents (政策文件): updated within 6 months.
    Policy,
    /// Service guides (办事服务): no update window.
    Service,
    /// Anything else: no update window.
    #[default]
    Other,
}

impl ColumnType {
    /// The name used in front matter.
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnType::News => "news",
            ColumnType::Notice => "notice",
            ColumnType::Policy => "policy",
            ColumnType::Service => "service",
            ColumnType::Other => "other",
        }
    }

    /// The Chinese name of the column class, as the `ColumnType` meta tag states it.
    pub fn label_zh(self) -> &'static str {
        match self {
            ColumnType::News => "动态要闻",
            ColumnType::Notice => "通知公告",
            ColumnType::Policy => "政策文件",
            ColumnType::Service => "办事服务",
            ColumnType::Other => "其他",
        }
    }

    /// The English name of the column class.
    pub fn label_en(self) -> &'static str {
        match self {
            ColumnType::News => "news",
            ColumnType::Notice => "notices",
            ColumnType::Policy => "policy documents",
            ColumnType::Service => "service guides",
            ColumnType::Other => "other",
        }
    }

    /// The inspection's update window in days: 2 weeks for news, 6 months (taken as 183
    /// days) for notices and policy documents, none for the rest.
    pub fn default_window(self) -> Option<u32> {
        match self {
            ColumnType::News => Some(14),
            ColumnType::Notice | ColumnType::Policy => Some(183),
            ColumnType::Service | ColumnType::Other => None,
        }
    }

    /// Whether the inspection names this class in its first stale-column veto (news, notices,
    /// policy documents).
    pub fn is_named_by_veto(self) -> bool {
        matches!(self, ColumnType::News | ColumnType::Notice | ColumnType::Policy)
    }
}

/// A section's `column:` settings (`_index.md` front matter).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// The column's class.
    #[serde(rename = "type", default)]
    pub column_type: ColumnType,
    /// Keywords for the `ColumnKeywords` meta tag.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The update window in days, instead of the class's default; `0`: none.
    #[serde(default)]
    pub fresh_days: Option<u32>,
}

impl Column {
    /// The update window in days, if the column has one.
    pub fn window(&self) -> Option<u32> {
        match self.fresh_days {
            Some(0) => None,
            Some(days) => Some(days),
            None => self.column_type.default_window(),
        }
    }
}

/// One key element of a service guide (办事指南要素).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Element {
    /// 事项名称: the service's name.
    Name,
    /// 设定依据: its legal basis, as links to law articles.
    Basis,
    /// 申请条件: who can apply.
    Conditions,
    /// 办理材料: the documents to bring.
    Materials,
    /// 办理地点: where.
    Location,
    /// 办理时间: when.
    Hours,
    /// 联系电话: the phone number.
    Phone,
    /// 办理流程: the process, as a link to a steps page.
    Process,
    /// 办理时限: how long it takes.
    TimeLimit,
    /// 收费标准: the fees.
    Fees,
}

impl Element {
    /// Every element, in the order the summary table shows them.
    pub const ALL: [Element; 10] = [
        Element::Name,
        Element::Basis,
        Element::Conditions,
        Element::Materials,
        Element::Location,
        Element::Hours,
        Element::Phone,
        Element::Process,
        Element::TimeLimit,
        Element::Fees,
    ];

    /// The key under `service:`.
    pub fn key(self) -> &'static str {
        match self {
            Element::Name => "name",
            Element::Basis => "basis",
            Element::Conditions => "conditions",
            Element::Materials => "materials",
            Element::Location => "location",
            Element::Hours => "hours",
            Element::Phone => "phone",
            Element::Process => "process",
            Element::TimeLimit => "time_limit",
            Element::Fees => "fees",
        }
    }

    /// The element's name in the guideline's words.
    pub fn label_zh(self) -> &'static str {
        match self {
            Element::Name => "事项名称",
            Element::Basis => "设定依据",
            Element::Conditions => "申请条件",
            Element::Materials => "办理材料",
            Element::Location => "办理地点",
            Element::Hours => "办理时间",
            Element::Phone => "联系电话",
            Element::Process => "办理流程",
            Element::TimeLimit => "办理时限",
            Element::Fees => "收费标准",
        }
    }

    /// The element's name in English.
    pub fn label_en(self) -> &'static str {
        match self {
            Element::Name => "service name",
            Element::Basis => "legal basis",
            Element::Conditions => "conditions",
            Element::Materials => "documents to bring",
            Element::Location => "place to apply",
            Element::Hours => "opening hours",
            Element::Phone => "phone number",
            Element::Process => "process",
            Element::TimeLimit => "time limit",
            Element::Fees => "fees",
        }
    }
}

/// A value written in front matter with its place in the file (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Placed {
    /// The value.
    pub value: String,
    /// Line in the file.
    pub line: usize,
    /// Column in the file.
    pub column: usize,
}

/// How long a service takes (办理时限): working days, extra days allowed for remote areas.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TimeLimit {
    /// The limit in days.
    pub days: u32,
    /// Extra days allowed where transport is difficult.
    #[serde(default)]
    pub remote_extra_days: Option<u32>,
    /// Anything else to say about it.
    #[serde(default)]
    pub note: Option<String>,
}

/// The `service:` mapping of a `kind: service` page, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    name: Option<String>,
    #[serde(default)]
    basis: Vec<String>,
    #[serde(default)]
    conditions: Vec<String>,
    #[serde(default)]
    materials: Vec<String>,
    location: Option<String>,
    hours: Option<String>,
    phone: Option<String>,
    process: Option<String>,
    time_limit: Option<TimeLimit>,
    fees: Option<String>,
}

/// A service guide's key elements, with the place of each link in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Service {
    /// 事项名称.
    pub name: Option<String>,
    /// 设定依据: links to law articles (`../law/act.md#article-8`).
    pub basis: Vec<Placed>,
    /// 申请条件.
    pub conditions: Vec<String>,
    /// 办理材料.
    pub materials: Vec<String>,
    /// 办理地点.
    pub location: Option<String>,
    /// 办理时间.
    pub hours: Option<String>,
    /// 联系电话.
    pub phone: Option<String>,
    /// 办理流程: a link to the steps page.
    pub process: Option<Placed>,
    /// 办理时限.
    pub time_limit: Option<TimeLimit>,
    /// 收费标准.
    pub fees: Option<String>,
    /// Line of the `service:` key in the file.
    pub line: usize,
}

impl RawService {
    /// Place the links: `yaml` is the front matter text, `key_line` the YAML line of
    /// `service:` and `shift` what turns a YAML line into a file line.
    pub fn place(self, yaml: &str, key_line: usize, shift: usize) -> Service {
        let mut from = key_line;
        let mut place = |value: String| {
            let (line, column) = find_after(yaml, &value, from).unwrap_or((key_line, 1));
            from = line;
            Placed { value, line: line + shift, column }
        };
        let basis = self.basis.into_iter().map(&mut place).collect();
        // The process is found on its own `process:` line: its path may also start a
        // basis link (`../law/act.md` in `../law/act.md#article-8`).
        let process = self.process.map(|value| {
            let (line, column) = yaml
                .lines()
                .enumerate()
                .skip(key_line)
                .find(|(_, l)| l.trim_start().starts_with("process:"))
                .and_then(|(i, l)| l.find(value.as_str()).map(|at| (i + 1, l[..at].chars().count() + 1)))
                .unwrap_or((key_line, 1));
            Placed { value, line: line + shift, column }
        });
        Service {
            name: self.name,
            basis,
            conditions: self.conditions,
            materials: self.materials,
            location: self.location,
            hours: self.hours,
            phone: self.phone,
            process,
            time_limit: self.time_limit,
            fees: self.fees,
            line: key_line + shift,
        }
    }
}

/// The first (line, column) at or after YAML line `from` where `value` is written.
fn find_after(yaml: &str, value: &str, from: usize) -> Option<(usize, usize)> {
    yaml.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find_map(|(i, line)| line.find(value).map(|at| (i + 1, line[..at].chars().count() + 1)))
}

impl Service {
    /// Whether an element is given (an empty text or list counts as missing).
    pub fn has(&self, element: Element) -> bool {
        let text = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
        let list = |v: &[String]| v.iter().any(|s| !s.trim().is_empty());
        match element {
            Element::Name => text(&self.name),
            Element::Basis => !self.basis.is_empty(),
            Element::Conditions => list(&self.conditions),
            Element::Materials => list(&self.materials),
            Element::Location => text(&self.location),
            Element::Hours => text(&self.hours),
            Element::Phone => text(&self.phone),
            Element::Process => self.process.is_some(),
            Element::TimeLimit => self.time_limit.is_some(),
            Element::Fees => text(&self.fees),
        }
    }
}

/// The JSON Schema of `service:` (for `signpost schema`).
pub fn service_schema() -> serde_json::Value {
    let text = |d: &str| serde_json::json!({"type": "string", "description": d});
    let list = |d: &str| serde_json::json!({"type": "array", "items": {"type": "string"}, "description": d});
    serde_json::json!({
        "type": "object",
        "additionalProperties": false,
        "description": "Service guides (kind: service): the key elements of the guide.",
        "properties": {
            "name": text("事项名称: the service's name."),
            "basis": list("设定依据: links to the law articles it rests on, like ../law/act.md#article-8."),
            "conditions": list("申请条件: who can apply."),
            "materials": list("办理材料: the documents to bring."),
            "location": text("办理地点: where to apply."),
            "hours": text("办理时间: when."),
            "phone": text("联系电话: the phone number."),
            "process": text("办理流程: the steps page, like how-to/renew-online.md."),
            "time_limit": {
                "type": "object",
                "additionalProperties": false,
                "required": ["days"],
                "description": "办理时限: how long it takes.",
                "properties": {
                    "days": {"type": "integer", "minimum": 0, "description": "The limit in days."},
                    "remote_extra_days": {"type": "integer", "minimum": 0, "description": "Extra days where transport is difficult."},
                    "note": text("Anything else about it.")
                }
            },
            "fees": text("收费标准: the fees.")
        }
    })
}

/// The JSON Schema of `column:` (for `signpost schema`).
pub fn column_schema() -> serde_json::Value {
    serde_json::json!({
        "type": "object",
        "additionalProperties": false,
        "description": "Sections (_index.md): the column's class, keywords and update window.",
        "properties": {
            "type": {"enum": ["news", "notice", "policy", "service", "other"], "default": "other",
                     "description": "news: updated within 14 days; notice and policy: within 183 days; service and other: no window."},
            "keywords": {"type": "array", "items": {"type": "string"}, "description": "Keywords for the ColumnKeywords meta tag."},
            "fresh_days": {"type": "integer", "minimum": 0, "description": "The update window in days instead of the type's (0: none)."}
        }
    })
}

/// Whether messages and labels for language `code` are Chinese.
pub fn is_chinese(code: &str) -> bool {
    code.to_ascii_lowercase().starts_with("zh")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_default_by_type_and_can_be_set() {
        assert_eq!(Column::default().window(), None);
        let news = Column { column_type: ColumnType::News, ..Column::default() };
        assert_eq!(news.window(), Some(14));
        let notice = Column { column_type: ColumnType::Notice, fresh_days: Some(30), ..Column::default() };
        assert_eq!(notice.window(), Some(30));
        let off = Column { column_type: ColumnType::Policy, fresh_days: Some(0), ..Column::default() };
        assert_eq!(off.window(), None);
    }

    #[test]
    fn links_are_placed_in_the_file() {
        let yaml = "title: A\nservice:\n  basis:\n    - law.md#article-7\n  process: steps.md\n";
        let raw: RawService =
            crate::yaml::from_str("basis:\n  - law.md#article-7\nprocess: steps.md\nname: ''\n").unwrap();
        let service = raw.place(yaml, 2, 1);
        assert_eq!((service.basis[0].line, service.basis[0].column), (5, 7));
        let process = service.process.as_ref().unwrap();
        assert_eq!((process.line, process.column), (6, 12));
        assert!(!service.has(Element::Name), "an empty name is missing");
        assert!(service.has(Element::Basis) && !service.has(Element::Fees));
    }
}
