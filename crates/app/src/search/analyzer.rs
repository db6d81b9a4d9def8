//! How text becomes index tokens, the same for posts and for queries.
//!
//! Every run of letters and digits is a word, lower-cased; anything else separates words, so
//! `hostname.example.com`, `alice@example.com`, `report_v2.pdf` and `e-mail` are sequences of
//! words that a query finds as a phrase, and each part alone. Chinese and Japanese, written
//! without spaces, are cut into overlapping pairs of characters (bigrams). Korean is spaced
//! and is treated as words.
//!
//! Partial words: besides its words, a post indexes each word's prefixes (up to
//! `MAX_PREFIX` characters), so `hostna` finds `hostname` with one term lookup. No stemming:
//! a word is never rewritten into another, so what is typed is what is matched.

use utmost_model::post::is_cjk;

/// The longest prefix indexed; a longer query word is matched by a prefix scan of the words.
pub const MAX_PREFIX: usize = 16;

/// A word of the text, at its position (consecutive words have consecutive positions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub position: usize,
    /// Byte offsets in the analysed text.
    pub from: usize,
    pub to: usize,
}

/// The words of `text`, in order.
pub fn words(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut run: Vec<(usize, char)> = Vec::new();
    let mut run_kind = Kind::Separator;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let kind = kind(c);
        if kind != run_kind && !run.is_empty() {
            push_run(&mut tokens, &run, run_kind, text);
            run.clear();
        }
        run_kind = kind;
        if kind != Kind::Separator {
            run.push((i, c));
        }
    }
    tokens
}

/// The prefixes a post indexes for partial-word matching: each word's first 1 to
/// `MAX_PREFIX` characters, and each character of a CJK bigram (so a single character
/// typed alone is found). A word met twice gives its prefixes once; two words may give the
/// same prefix (the index counts a document once per term anyway).
pub fn prefixes(words: &[Token]) -> Vec<String> {
    let mut unique: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    unique.sort_unstable();
    unique.dedup();
    let mut out = Vec::with_capacity(unique.len() * 6);
    for word in unique {
        if word.chars().all(is_cjk) {
            out.extend(word.chars().map(String::from));
            out.push(word.to_string());
            continue;
        }
        let ends = word
            .char_indices()
            .skip(1)
            .map(|(i, _)| i)
            .chain(std::iter::once(word.len()));
        out.extend(ends.take(MAX_PREFIX).map(|end| word[..end].to_string()));
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Cjk,
    Separator,
}

fn kind(c: char) -> Kind {
    if is_cjk(c) {
        Kind::Cjk
    } else if c.is_alphanumeric() {
        Kind::Word
    } else {
        Kind::Separator
    }
}

fn push_run(tokens: &mut Vec<Token>, run: &[(usize, char)], kind: Kind, text: &str) {
    let end_of = |k: usize| run[k].0 + run[k].1.len_utf8();
    let mut push = |from: usize, to: usize| {
        tokens.push(Token {
            text: text[from..to].to_lowercase(),
            position: tokens.len(),
            from,
            to,
        });
    };
    match kind {
        Kind::Cjk if run.len() > 1 => {
            for pair in run.windows(2) {
                push(pair[0].0, pair[1].0 + pair[1].1.len_utf8());
            }
        }
        Kind::Word | Kind::Cjk => push(run[0].0, end_of(run.len() - 1)),
        Kind::Separator => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        words(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn punctuation_separates_words() {
        assert_eq!(
            texts("Ping hostname.example.com, mail Alice@Example.com; see report_v2-final.PDF"),
            [
                "ping", "hostname", "example", "com", "mail", "alice", "example", "com", "see",
                "report", "v2", "final", "pdf"
            ]
        );
        let tokens = words("a-b");
        assert_eq!(tokens[1].position, 1);
        assert_eq!((tokens[1].from, tokens[1].to), (2, 3));
    }

    #[test]
    fn chinese_and_japanese_become_bigrams_korean_stays_words() {
        assert_eq!(texts("东京都 ok"), ["东京", "京都", "ok"]);
        assert_eq!(texts("日"), ["日"]);
        assert_eq!(texts("会議は明日"), ["会議", "議は", "は明", "明日"]);
        assert_eq!(texts("안녕하세요 세계"), ["안녕하세요", "세계"]);
        assert_eq!(texts("Überprüfung café"), ["überprüfung", "café"]);
    }

    #[test]
    fn prefixes_cover_partial_words_and_single_characters() {
        let p = prefixes(&words("Hostname 东京"));
        for expected in ["h", "ho", "hostna", "hostname", "东", "京", "东京"] {
            assert!(p.contains(&expected.to_string()), "{expected}");
        }
        let long = prefixes(&words("abcdefghijklmnopqrstuvwxyz"));
        assert_eq!(long.len(), MAX_PREFIX);
        assert_eq!(prefixes(&words("Go go, é!")), ["g", "go", "é"]);
    }
}
