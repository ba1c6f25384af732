//! What a shortcode takes: the arguments a template declares in its first comment,
//!
//! ```text
//! {# args: key@, office@offices, file:file, title? #}
//! ```
//!
//! `name?` may be left out; `name@` is a data key (`renewal.issuing_days`) and
//! `name@offices` a key under `data.offices`; `name:file` a file beside the page. A template
//! without the comment takes any argument, unchecked.

/// One declared argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Param {
    pub name: String,
    pub optional: bool,
    pub kind: ParamKind,
}

/// What an argument's value names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ParamKind {
    /// Any value, passed as written.
    Plain,
    /// A data key, under this prefix (empty: a whole key).
    Data(String),
    /// A file, by a path from the page's folder.
    File,
}

/// The arguments a template declares, `None` when it declares none; an error names what is
/// wrong with the declaration.
pub(super) fn declared(template: &str) -> Result<Option<Vec<Param>>, String> {
    let Some(comment) = template.trim_start().strip_prefix("{#") else { return Ok(None) };
    let Some(end) = comment.find("#}") else { return Ok(None) };
    let inner = comment[..end].trim_matches(|c: char| c == '-' || c.is_whitespace());
    let Some(list) = inner.strip_prefix("args:") else { return Ok(None) };
    let mut params = Vec::new();
    for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let (item, optional) = item.strip_suffix('?').map_or((item, false), |i| (i, true));
        let (name, kind) = if let Some((name, prefix)) = item.split_once('@') {
            (name, ParamKind::Data(prefix.trim().to_string()))
        } else if let Some((name, kind)) = item.split_once(':') {
            if kind.trim() != "file" {
                return Err(format!("unknown argument kind `{}` for `{name}`", kind.trim()));
            }
            (name, ParamKind::File)
        } else {
            (item, ParamKind::Plain)
        };
        let name = name.trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("`{item}` is not an argument name"));
        }
        params.push(Param { name: name.to_string(), optional, kind });
    }
    Ok(Some(params))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_give_names_kinds_and_optional_arguments() {
        let params = declared("{#- args: key@, office@offices, file:file, title? -#}\n<p>")
            .expect("valid")
            .expect("some");
        let shown: Vec<String> = params
            .iter()
            .map(|p| format!("{}{}{:?}", p.name, if p.optional { "?" } else { "" }, p.kind))
            .collect();
        assert_eq!(shown, ["keyData(\"\")", "officeData(\"offices\")", "fileFile", "title?Plain"]);
        assert_eq!(declared("<p>{{ x }}</p>"), Ok(None));
        assert_eq!(declared("{# a comment #}"), Ok(None));
        assert!(declared("{# args: a:image #}").is_err());
    }
}
