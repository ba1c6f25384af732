//! Chinese numerals and stable ids for law article / chapter headings
//! (`第二十一条之一` and `Article 21-1` both become `article-21-1`).

/// Value of a Chinese digit 1..=9 (`两` counts as 2).
fn digit_value(c: char) -> Option<u32> {
    Some(match c {
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn is_zero(c: char) -> bool {
    c == '零' || c == '〇'
}

/// Value of a unit below 万.
fn small_unit(c: char) -> Option<u32> {
    match c {
        '十' => Some(10),
        '百' => Some(100),
        '千' => Some(1000),
        _ => None,
    }
}

/// Value of an ASCII or full-width decimal digit.
fn arabic_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// Whether `c` may appear in a number accepted by [`parse_number`].
fn is_numeral_char(c: char) -> bool {
    digit_value(c).is_some()
        || is_zero(c)
        || small_unit(c).is_some()
        || c == '万'
        || c == '亿'
        || arabic_digit(c).is_some()
}

/// A parsed group below 万 (0..=9999).
struct Section {
    value: u32,
    /// The group started with 零 (e.g. the `零五百` of `一万零五百`).
    leading_zero: bool,
    /// The group is one bare digit (e.g. the `五` of `一万五`).
    bare_digit: bool,
}

/// Parse one group of up to four places: `三千二百`, `零五`, `十二`.
/// `bare_ten_ok` allows a leading `十` without digit (only at the very start).
fn parse_section(chars: &[char], bare_ten_ok: bool) -> Option<Section> {
    let mut total = 0u32;
    let mut last_unit = 10_000u32;
    let mut pending: Option<u32> = None;
    let mut zero_before = false; // a 零 was seen since the last unit
    let mut leading_zero = false;
    for (i, &c) in chars.iter().enumerate() {
        if let Some(d) = digit_value(c) {
            if pending.is_some() {
                return None; // two digits in a row: 一二
            }
            pending = Some(d);
        } else if is_zero(c) {
            if pending.is_some() || zero_before {
                return None; // 一零, 零零
            }
            zero_before = true;
            leading_zero |= i == 0;
        } else if let Some(unit) = small_unit(c) {
            let digit = match pending.take() {
                Some(d) => d,
                None if unit == 10 && i == 0 && bare_ten_ok => 1,
                None => return None, // 百, 十十, 一百十
            };
            if unit >= last_unit {
                return None; // units must decrease: 一十百
            }
            total += digit * unit;
            last_unit = unit;
            zero_before = false;
        } else {
            return None;
        }
    }
    if zero_before && pending.is_none() {
        return None; // trailing 零: 一百零
    }
    let bare_digit = last_unit == 10_000 && !leading_zero && pending.is_some();
    if let Some(d) = pending {
        if last_unit == 10_000 || last_unit == 10 || zero_before {
            total += d;
        } else {
            // Colloquial abbreviation: 一百一 = 110, 三千二 = 3200.
            total += d * (last_unit / 10);
        }
    }
    Some(Section { value: total, leading_zero, bare_digit })
}

/// Parse Chinese numerals below 亿·万 grouping, e.g. `一万零五百`.
fn parse_chinese(chars: &[char]) -> Option<u32> {
    if let [c] = chars
        && is_zero(*c)
    {
        return Some(0);
    }
    // Split into 亿 / 万 / rest groups.
    let mut groups: Vec<(&[char], u32)> = Vec::new();
    let mut rest = chars;
    for (sep, scale) in [('亿', 100_000_000u32), ('万', 10_000)] {
        if let Some(pos) = rest.iter().position(|&c| c == sep) {
            groups.push((&rest[..pos], scale));
            rest = &rest[pos + 1..];
        }
    }
    if rest.contains(&'亿') || rest.contains(&'万') {
        return None; // repeated or misordered 万 / 亿
    }
    groups.push((rest, 1));

    let mut total = 0u32;
    let mut higher_scale: Option<u32> = None;
    for (i, (group, scale)) in groups.iter().enumerate() {
        let is_last = i + 1 == groups.len();
        if group.is_empty() {
            if is_last && higher_scale.is_some() {
                continue; // 一万 has an empty lower group
            }
            return None; // 万, 亿万
        }
        let section = parse_section(group, i == 0)?;
        if section.leading_zero && higher_scale.is_none() {
            return None; // 零五
        }
        if section.value == 0 {
            return None;
        }
        let mut value = section.value.checked_mul(*scale)?;
        if let (true, true, Some(higher)) = (is_last, section.bare_digit, higher_scale) {
            // Colloquial: 一万五 = 15000.
            value = section.value.checked_mul(higher / 10)?;
        }
        total = total.checked_add(value)?;
        higher_scale = Some(*scale);
    }
    Some(total)
}

/// Parse a number written in Chinese numerals or Arabic digits (full-width digits too): 一..九, 两, 〇/零, 十, 百, 千, 万 (and 亿 optional). "十" = 10, "十二" = 12, "二十" = 20, "二十一" = 21, "一百零三" = 103, "一百一十" = 110, "一千零一" = 1001, "三千二百" = 3200, "一万零五百" = 10500, "7" = 7, "１２" = 12. Return None for empty/invalid input (e.g. "十十", "百", "abc", overflow) — never panic.
///
/// Surrounding whitespace is ignored. Colloquial abbreviations are accepted
/// (`一百一` = 110, `一万五` = 15000); Arabic and Chinese digits cannot be mixed.
pub fn parse_number(s: &str) -> Option<u32> {
    let chars: Vec<char> = s.trim().chars().collect();
    if chars.is_empty() {
        return None;
    }
    if chars.iter().all(|&c| arabic_digit(c).is_some()) {
        return chars.iter().try_fold(0u32, |acc, &c| acc.checked_mul(10)?.checked_add(arabic_digit(c)?));
    }
    parse_chinese(&chars)
}

/// Whether `c` separates a heading keyword from its number (ASCII or full-width space).
fn is_heading_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}'
}

/// Strip an ASCII keyword (case-insensitive) plus at least one space, returning the rest.
fn strip_keyword<'a>(heading: &'a str, keyword: &str) -> Option<&'a str> {
    let head = heading.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let rest = &heading[keyword.len()..];
    let trimmed = rest.trim_start_matches(is_heading_space);
    (trimmed.len() < rest.len()).then_some(trimmed)
}

/// Split off the leading token of alphanumerics and `-`; the rest starts
/// with something else (space, `:`, `.`, ...) or is empty.
fn leading_token(s: &str) -> (&str, &str) {
    let end = s.char_indices().find(|&(_, c)| !(c.is_alphanumeric() || c == '-')).map_or(s.len(), |(i, _)| i);
    s.split_at(end)
}

/// A positive number written only with (ASCII or full-width) digits.
fn parse_digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.chars().all(|c| arabic_digit(c).is_some()) {
        return None;
    }
    parse_number(s).filter(|&n| n > 0)
}

/// Whether the text after a Chinese heading number ends the heading's id
/// part: end of text, or anything but a letter/ideograph/digit.
fn ends_cleanly(rest: &str) -> bool {
    rest.chars().next().is_none_or(|c| !c.is_alphanumeric())
}

/// Parse `第<n><marker>` and return `n` and the text after the marker.
fn parse_chinese_ordinal(heading: &str, marker: char) -> Option<(u32, &str)> {
    let rest = heading.strip_prefix('第')?;
    let end = rest.char_indices().find(|&(_, c)| !is_numeral_char(c)).map_or(rest.len(), |(i, _)| i);
    let (number, after) = rest.split_at(end);
    let n = parse_number(number).filter(|&n| n > 0)?;
    Some((n, after.strip_prefix(marker)?))
}

/// The stable id of a law article heading, or None if the heading is not an article. "Article 7" -> "article-7"; "Article 7 Applying at 16" -> "article-7"; "Article 21-1" -> "article-21-1"; "第七条" -> "article-7"; "第十条 申领登记" -> "article-10"; "第二十一条之一" -> "article-21-1"; "第一百零三条" -> "article-103". Case-insensitive "article"; allow full-width space after it. "Articles of association" -> None; "第七章" -> None.
pub fn article_id(heading: &str) -> Option<String> {
    let heading = heading.trim_matches(is_heading_space);
    if let Some(rest) = strip_keyword(heading, "article") {
        let (token, _) = leading_token(rest);
        let (main, sub) = match token.split_once('-') {
            Some((main, sub)) => (parse_digits(main)?, Some(parse_digits(sub)?)),
            None => (parse_digits(token)?, None),
        };
        return Some(match sub {
            Some(sub) => format!("article-{main}-{sub}"),
            None => format!("article-{main}"),
        });
    }
    let (n, after) = parse_chinese_ordinal(heading, '条')?;
    if let Some(sub_part) = after.strip_prefix('之') {
        let end =
            sub_part.char_indices().find(|&(_, c)| !is_numeral_char(c)).map_or(sub_part.len(), |(i, _)| i);
        let (number, tail) = sub_part.split_at(end);
        let sub = parse_number(number).filter(|&s| s > 0)?;
        return ends_cleanly(tail).then(|| format!("article-{n}-{sub}"));
    }
    ends_cleanly(after).then(|| format!("article-{n}"))
}

/// Value of a Roman numeral I..=XX (either case), strictly in canonical form.
fn parse_roman(s: &str) -> Option<u32> {
    const ROMAN: [&str; 20] = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI",
        "XVII", "XVIII", "XIX", "XX",
    ];
    let upper = s.to_ascii_uppercase();
    ROMAN.iter().position(|&r| r == upper).map(|i| i as u32 + 1)
}

/// Same for chapters: "Chapter 2" / "Chapter 2: Application and issuance" / "Chapter II" (Roman I..XX) / "第二章" / "第二章 申领和发放" -> "chapter-2"; otherwise None.
pub fn chapter_id(heading: &str) -> Option<String> {
    let heading = heading.trim_matches(is_heading_space);
    if let Some(rest) = strip_keyword(heading, "chapter") {
        let (token, _) = leading_token(rest);
        let n = parse_digits(token).or_else(|| parse_roman(token))?;
        return Some(format!("chapter-{n}"));
    }
    let (n, after) = parse_chinese_ordinal(heading, '章')?;
    ends_cleanly(after).then(|| format!("chapter-{n}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_number_valid() {
        let cases = [
            ("零", 0),
            ("〇", 0),
            ("一", 1),
            ("两", 2),
            ("九", 9),
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("二十一", 21),
            ("一百", 100),
            ("一百零三", 103),
            ("一百一十", 110),
            ("一百一", 110),
            ("两百", 200),
            ("九百九十九", 999),
            ("一千零一", 1001),
            ("一千零一十", 1010),
            ("三千二百", 3200),
            ("三千二", 3200),
            ("一万", 10_000),
            ("一万零五百", 10_500),
            ("一万五", 15_000),
            ("十万", 100_000),
            ("十二万三千四百五十六", 123_456),
            ("一亿", 100_000_000),
            ("四十二亿", 4_200_000_000),
            ("一亿零一万", 100_010_000),
            ("7", 7),
            ("0", 0),
            ("007", 7),
            ("１２", 12),
            ("4294967295", u32::MAX),
            (" 十二 ", 12),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_number(input), Some(expected), "input {input:?}");
        }
    }

    #[test]
    fn parse_number_invalid() {
        let cases = [
            "",
            "   ",
            "十十",
            "百",
            "千",
            "万",
            "亿",
            "abc",
            "一二",
            "一零",
            "零五",
            "零零",
            "一百零",
            "一十百",
            "一百十",
            "十百",
            "一万万",
            "一万一亿",
            "五十亿",
            "4294967296",
            "99999999999999999999",
            "1二",
            "二1",
            "-1",
            "1.5",
            "第七",
            "七条",
        ];
        for input in cases {
            assert_eq!(parse_number(input), None, "input {input:?}");
        }
    }

    #[test]
    fn article_ids() {
        let cases = [
            ("Article 7", Some("article-7")),
            ("Article 7 Applying at 16", Some("article-7")),
            ("Article 7: Applying at 16", Some("article-7")),
            ("Article 21-1", Some("article-21-1")),
            ("article 3", Some("article-3")),
            ("ARTICLE 12", Some("article-12")),
            ("Article\u{3000}7", Some("article-7")),
            ("Article １２", Some("article-12")),
            ("  Article 7  ", Some("article-7")),
            ("第七条", Some("article-7")),
            ("第十条 申领登记", Some("article-10")),
            ("第十条\u{3000}申领登记", Some("article-10")),
            ("第十条【申领】", Some("article-10")),
            ("第二十一条之一", Some("article-21-1")),
            ("第二十一条之一 补充规定", Some("article-21-1")),
            ("第一百零三条", Some("article-103")),
            ("第7条", Some("article-7")),
            ("Articles of association", None),
            ("Article", None),
            ("Article ", None),
            ("Article7", None),
            ("Article seven", None),
            ("Article 0", None),
            ("Article 7a", None),
            ("Article 21-", None),
            ("Article -1", None),
            ("第七章", None),
            ("第七", None),
            ("第条", None),
            ("第零条", None),
            ("第七条规定", None),
            ("第二十一条之", None),
            ("七条", None),
            ("Chapter 2", None),
            ("", None),
        ];
        for (input, expected) in cases {
            assert_eq!(article_id(input).as_deref(), expected, "input {input:?}");
        }
    }

    #[test]
    fn chapter_ids() {
        let cases = [
            ("Chapter 2", Some("chapter-2")),
            ("Chapter 2: Application and issuance", Some("chapter-2")),
            ("chapter 2 Application", Some("chapter-2")),
            ("Chapter II", Some("chapter-2")),
            ("Chapter ii: Application", Some("chapter-2")),
            ("Chapter XIV", Some("chapter-14")),
            ("Chapter XX", Some("chapter-20")),
            ("Chapter\u{3000}3", Some("chapter-3")),
            ("第二章", Some("chapter-2")),
            ("第二章 申领和发放", Some("chapter-2")),
            ("第十二章", Some("chapter-12")),
            ("Chapter XXI", None),
            ("Chapter IIII", None),
            ("Chapter Introduction", None),
            ("Chapters", None),
            ("Chapter", None),
            ("Chapter 0", None),
            ("第二条", None),
            ("第二章程", None),
            ("Article 2", None),
            ("", None),
        ];
        for (input, expected) in cases {
            assert_eq!(chapter_id(input).as_deref(), expected, "input {input:?}");
        }
    }

    #[test]
    fn arbitrary_input_never_panics() {
        const ALPHABET: [char; 24] = [
            '一', '二', '两', '七', '九', '十', '百', '千', '万', '亿', '零', '〇', '之', '条', '章', '第',
            '1', '2', '０', '-', ' ', '\u{3000}', 'A', 'I',
        ];
        // Deterministic xorshift generator.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let prefixes = ["", "第", "Article ", "Chapter ", "article-", "第一"];
        let mut parsed = 0;
        for i in 0..600 {
            let len = (next() % 10) as usize;
            let mut s = String::from(prefixes[i % prefixes.len()]);
            for _ in 0..len {
                s.push(ALPHABET[(next() % ALPHABET.len() as u64) as usize]);
            }
            if parse_number(&s).is_some() {
                parsed += 1;
            }
            if let Some(id) = article_id(&s) {
                assert!(id.starts_with("article-"), "{s:?} -> {id}");
            }
            if let Some(id) = chapter_id(&s) {
                assert!(id.starts_with("chapter-"), "{s:?} -> {id}");
            }
        }
        // Sanity: the generator does produce some valid numbers.
        assert!(parsed > 0);
    }

    #[test]
    fn parse_number_round_trips_small_values() {
        // Spot-check the standard written forms of 1..=99 against arithmetic.
        const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
        for n in 1..100u32 {
            let (tens, ones) = ((n / 10) as usize, (n % 10) as usize);
            let written = match tens {
                0 => DIGITS[ones].to_string(),
                1 => format!("十{}", DIGITS[ones]),
                _ => format!("{}十{}", DIGITS[tens], DIGITS[ones]),
            };
            assert_eq!(parse_number(&written), Some(n), "{written}");
        }
    }
}
