//! How text becomes index tokens, the same for posts and for queries.
//!
//! Every run of letters and digits is a word, lower-cased; anything else separates words, so
//! `hostname.example.com`, `alice@example.com`, `report_v2.pdf` and `e-mail` are sequences of
//! words that a query finds as a phrase, and each part alone. Chinese and Japanese, written
//! without spaces, are cut into overlapping pairs of characters (bigrams). Korean is spaced
//! and is treated as words.
//!
//! Partial words: besides its words, a post indexes each word's proper prefixes (up to
//! `MAX_PREFIX` characters; `tantivy_index/tokenizer.rs`), so `hostna` finds `hostname`
//! with one term lookup (two: the word itself is looked up among the words). No stemming:
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
    spans(text)
        .enumerate()
        .map(|(position, (from, to))| Token {
            text: text[from..to].to_lowercase(),
            position,
            from,
            to,
        })
        .collect()
}

/// Where the words of `text` are (byte ranges, in order), before lower-casing: what
/// `words` and the index's tokenizers both cut by.
pub fn spans(text: &str) -> Spans<'_> {
    Spans {
        text,
        at: 0,
        in_cjk_run: false,
    }
}

/// Appends `word` lower-cased to `out` (ASCII, most words, without an allocation).
pub fn push_lowercase(out: &mut String, word: &str) {
    if word.is_ascii() {
        let start = out.len();
        out.push_str(word);
        out[start..].make_ascii_lowercase();
    } else {
        out.push_str(&word.to_lowercase());
    }
}

/// The iterator of `spans`.
pub struct Spans<'a> {
    text: &'a str,
    at: usize,
    /// The character at `at` ended the previous CJK pair.
    in_cjk_run: bool,
}

impl Iterator for Spans<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        loop {
            let c = self.text[self.at..].chars().next()?;
            let from = self.at;
            let after = from + c.len_utf8();
            self.at = after;
            match kind(c) {
                Kind::Separator => self.in_cjk_run = false,
                Kind::Word => {
                    let rest = &self.text[after..];
                    let len = rest.find(|c| kind(c) != Kind::Word).unwrap_or(rest.len());
                    self.at = after + len;
                    self.in_cjk_run = false;
                    return Some((from, self.at));
                }
                Kind::Cjk => match self.text[after..].chars().next() {
                    Some(next) if is_cjk(next) => {
                        self.in_cjk_run = true;
                        return Some((from, after + next.len_utf8()));
                    }
                    // The last character of a run, already in the pair before it.
                    _ if self.in_cjk_run => self.in_cjk_run = false,
                    _ => return Some((from, after)),
                },
            }
        }
    }
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
        assert_eq!(texts("abc东京都x日"), ["abc", "东京", "京都", "x", "日"]);
        assert_eq!(texts("会議は明日"), ["会議", "議は", "は明", "明日"]);
        assert_eq!(texts("안녕하세요 세계"), ["안녕하세요", "세계"]);
        assert_eq!(texts("Überprüfung café"), ["überprüfung", "café"]);
    }
}
