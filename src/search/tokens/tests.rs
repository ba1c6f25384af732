use super::*;

/// Each term of `text`, handed to the closure `f`.
fn for_each_term(text: &str, mut f: impl FnMut(Term<'_>)) {
    terms_into(text, &mut f);
}

#[test]
fn tokenizer_table() {
    let cases: &[(&str, &[&str])] = &[
        ("身份证", &["身份", "份证"]),
        ("证", &["证"]),
        ("ＩＤ", &["id"]),
        ("Café", &["cafe"]),
        ("NAÏVE Straße Łódź Ærø", &["naive", "strasse", "lodz", "aero"]),
        ("e\u{301}te\u{301}", &["ete"]),
        ("lost-card, ID_2024!", &["lost", "card", "id", "2024"]),
        ("申请ID卡（２０２４年）", &["申请", "id", "卡", "2024", "年"]),
        ("办理  挂失。补领", &["办理", "挂失", "补领"]),
        ("ﬁle №5", &["file", "no5"]),
        ("", &[]),
        ("…，。 - ", &[]),
        ("a身b 甲 乙丙。丁", &["a", "身", "b", "甲", "乙丙", "丁"]),
        ("\u{F900}ＡＢ中文ｃ\u{3000}の", &["\u{8C48}", "ab", "中文", "c", "の"]),
        ("the card, and the 卡", &["the", "card", "and", "the", "卡"]),
    ];
    for (input, want) in cases {
        assert_eq!(tokenize(input), *want, "tokenize({input:?})");
        let terms: Vec<String> = analyze(input).into_iter().filter(is_term).map(|t| t.text).collect();
        let mut fast = Vec::new();
        for_each_term(input, |t| fast.push(t.text(&mut [0; KEY_BYTES]).to_string()));
        assert_eq!(fast, terms, "for_each_term({input:?})");
    }
    let long = format!("the {} card", "x".repeat(MAX_WORD_CHARS + 1));
    let mut fast = Vec::new();
    for_each_term(&long, |t| fast.push(t.text(&mut [0; KEY_BYTES]).to_string()));
    assert_eq!(fast, ["card"], "stop words and over-long words are not terms");
}

#[test]
fn wide_separators_fold_to_separators_only() {
    let mut count = 0;
    for c in (0x2000..=0xFFFF).filter_map(char::from_u32).filter(|&c| is_wide_separator(c)) {
        let mut folded = Vec::new();
        fold_char(c, &mut |x| folded.push(x));
        assert!(!folded.is_empty(), "{c:?} folds to nothing");
        assert!(folded.iter().all(|&x| !is_cjk(x) && !x.is_alphanumeric()), "{c:?} folds to {folded:?}");
        count += 1;
    }
    assert_eq!(count, 112 + 5 + 25 + 1 + 2 + 3 + 15 + 7 + 6 + 10);
    for c in ['，', '。', '、', '：', '（', '“', '—', '…', '《', '\u{3000}'] {
        assert!(is_wide_separator(c), "{c:?}");
    }
    for c in ['々', '〇', '〡', 'ー', '０', 'Ａ', 'ｶ', '･', '\u{301}', 'é'] {
        assert!(!is_wide_separator(c), "{c:?}");
    }
}

#[test]
fn stop_words_match_their_list() {
    const STOP_WORDS: &[&str] = &[
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "if", "in", "is", "it", "of", "on",
        "or", "that", "the", "this", "to", "was", "will", "with", "you", "your",
    ];
    assert!(STOP_WORDS.iter().all(|w| is_stop_word(w)));
    assert!(!is_stop_word("card") && !is_stop_word("") && !is_stop_word("The"));
    assert!(!is_stop_word("the\0") && !is_stop_word("them") && !is_stop_word("yours") && !is_stop_word("ﬁ"));
    for word in STOP_WORDS {
        assert!(is_stop_key(Term::of(word).key()), "{word}");
        // A longer word whose first four bytes are a stop word's is none.
        let longer = format!("{word}{}", "s".repeat(5 - word.len().min(4)));
        assert!(!is_stop_key(Term::of(&longer).key()), "{longer}");
    }
}

#[test]
fn word_keys_equal_the_keys_of_their_lowercased_text() {
    // Every stop word, and words of every length up to a key's and beyond, in mixed case,
    // at the end of the text and followed by more.
    let mut words: Vec<String> = STOP_WORDS.iter().map(|w| w.to_string()).collect();
    words.extend(STOP_WORDS.iter().map(|w| w.to_uppercase()));
    let letters = "aZ9qTHEyouRxM0";
    for len in 1..=KEY_BYTES + 2 {
        words.push(letters.chars().cycle().skip(len).take(len).collect());
    }
    words.extend(["A", "Z", "z", "0", "9", "the1", "thE", "yOur", "fromm", "th", "ths"].map(String::from));
    for word in &words {
        let lower = word.to_ascii_lowercase();
        for text in [word.clone(), format!("{word}, next")] {
            let mut first = None;
            for_each_term(&text, |t| {
                first = first.take().or_else(|| Some(t.text(&mut [0; KEY_BYTES]).to_string()));
            });
            if STOP_WORDS.contains(&lower.as_str()) {
                assert_ne!(first.as_ref(), Some(&lower), "{text:?}: a stop word");
            } else {
                assert_eq!(first.as_ref(), Some(&lower), "{text:?}");
            }
        }
        if word.len() <= KEY_BYTES {
            let k = Term::of(word).key();
            assert_eq!(lowercase_key(k), Term::of(&lower).key(), "{word}");
            assert_eq!(is_stop_key(Term::of(&lower).key()), STOP_WORDS.contains(&lower.as_str()), "{word}");
        }
    }
}

#[test]
fn words_end_where_the_letters_and_digits_do() {
    for b in 0..=255u8 {
        for at in 0..12 {
            let mut bytes = b"abcdefghijKLMNOPQRSTUVWXYZ0123456789".to_vec();
            bytes[at] = b;
            let want = if b.is_ascii_alphanumeric() { bytes.len() } else { at };
            assert_eq!(ascii_word_end(&bytes, 0), want, "byte {b:#x} at {at}");
            let x = u64::from_le_bytes([b; 8]);
            let alnum = if b.is_ascii_alphanumeric() { HIGHS } else { 0 };
            assert_eq!(ascii_alnum(x), alnum, "byte {b:#x}");
        }
    }
    assert_eq!(KEY_MASKS[1], 0xFF);
    assert_eq!(KEY_MASKS[KEY_BYTES], Key::MAX);
}

#[test]
fn the_fast_terms_equal_the_tokens_on_mixed_text() {
    // Texts drawn from characters at every kind of boundary (a fixed pseudo-random walk).
    let alphabet: Vec<char> =
        "aZ9 é-ß，。身份证挂失\u{F900}ＩＤｃ\u{3000}の々ﬁ№\u{301}_xThe ÄbcdefghijklmnOP".chars().collect();
    // Also whole words and runs, so that words of every length meet every kind of
    // character after them, and Han runs meet kana, compatibility and extension B ones.
    let pieces: Vec<&str> = vec![
        "card",
        "Lost",
        "the",
        "appointment",
        "ABCDEFG",
        "Ab3dEfGh",
        "ABCDEFGHIJKLMNO",
        "abcdefghijklmnop",
        "Abcdefghijklmnopq",
        "abcdefghijklmnopqrstuvwxyz0123",
        "abcdefghijklmnopqrstuvwxyz01234",
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
        "x1",
        "2024",
        " ",
        " ",
        ". ",
        "身份证",
        "挂",
        "办理补领",
        "カ",
        "ｶﾞ",
        "\u{20000}",
        "\u{2F800}",
        "\u{4DC0}",
        "é",
        "\u{3000}",
        "々",
        "№",
    ];
    let ascii_pieces: Vec<&str> = pieces.iter().copied().filter(|p| p.is_ascii()).collect();
    let mut next = crate::text::test_walk(12345);
    for len in 0..3000 {
        let text: String = if len % 2 == 0 {
            (0..len % 40).map(|_| alphabet[next(alphabet.len())]).collect()
        } else if len % 3 == 0 {
            // Long enough to cross several blocks of the ASCII fast path, and in every
            // other case ASCII alone.
            let pieces = if len % 4 == 1 { &ascii_pieces } else { &pieces };
            (0..len % 200).map(|_| pieces[next(pieces.len())]).collect()
        } else {
            (0..len % 30).map(|_| pieces[next(pieces.len())]).collect()
        };
        let terms: Vec<String> = analyze(&text).into_iter().filter(is_term).map(|t| t.text).collect();
        let mut fast = Vec::new();
        for_each_term(&text, |t| fast.push(t.text(&mut [0; KEY_BYTES]).to_string()));
        assert_eq!(fast, terms, "for_each_term({text:?})");
        // The same with the masks of the baseline instructions, where `terms_into` took the
        // processor's wider ones.
        let mut base = Vec::new();
        terms_with(
            &text,
            &mut |t: Term<'_>| base.push(t.text(&mut [0; KEY_BYTES]).to_string()),
            block::masks,
        );
        assert_eq!(base, terms, "terms_with({text:?}, block::masks)");
    }
}

#[test]
fn plain_han_keys_are_the_unified_blocks_bytes() {
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        let mut buf = [0; 4];
        let one = c.encode_utf8(&mut buf).to_string();
        let want = is_plain_han(c as u32).then(|| char_key(c));
        assert_eq!(plain_han_at(one.as_bytes(), 0), want, "{c:?} alone");
        let followed = format!("a{c}b");
        assert_eq!(plain_han_at(followed.as_bytes(), 1), want, "{c:?} followed");
    }
}
