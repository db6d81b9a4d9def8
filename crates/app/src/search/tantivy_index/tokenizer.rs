//! The tokenizers the indexes are registered with, so tantivy cuts a text itself, on its
//! indexing threads, into one reused token (no `String` per token, as pre-tokenized text
//! needs). They cut by `analyzer`, as the queries do.

use super::super::analyzer::{self, MAX_PREFIX};
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer, TokenizerManager};
use utmost_model::post::is_cjk;

/// A text's words, lower-cased, at consecutive positions (phrases).
pub(super) const WORDS: &str = "utmost_words";
/// The prefixes of a text's words (partial words).
pub(super) const PREFIXES: &str = "utmost_prefixes";
/// Hashtags: a space-separated list, each lower-cased whole.
pub(super) const HASHTAGS: &str = "utmost_hashtags";

/// The tokenizers, by the names the schemas give them.
pub(super) fn manager() -> TokenizerManager {
    let manager = TokenizerManager::default();
    manager.register(WORDS, TextAnalyzer::from(WordsTokenizer::default()));
    manager.register(PREFIXES, TextAnalyzer::from(PrefixesTokenizer::default()));
    manager.register(HASHTAGS, TextAnalyzer::from(HashtagsTokenizer::default()));
    manager
}

#[derive(Clone, Default)]
struct WordsTokenizer {
    token: Token,
}

struct WordsStream<'a> {
    text: &'a str,
    spans: analyzer::Spans<'a>,
    token: &'a mut Token,
}

impl Tokenizer for WordsTokenizer {
    type TokenStream<'a> = WordsStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordsStream<'a> {
        self.token.reset();
        WordsStream {
            text,
            spans: analyzer::spans(text),
            token: &mut self.token,
        }
    }
}

impl TokenStream for WordsStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((from, to)) = self.spans.next() else {
            return false;
        };
        let token = &mut *self.token;
        token.text.clear();
        analyzer::push_lowercase(&mut token.text, &self.text[from..to]);
        token.offset_from = from;
        token.offset_to = to;
        token.position = token.position.wrapping_add(1);
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Each distinct word's proper prefixes, of 1 to `MAX_PREFIX` characters (the whole word is
/// in the words field, which a typed word is also looked up in), and the second character
/// of a CJK pair (so a single character typed alone is found; the first is a prefix). Two
/// words may give the same prefix: the index counts a document once per term.
#[derive(Clone, Default)]
struct PrefixesTokenizer {
    token: Token,
    /// The text's words, lower-cased, one after the other; kept between texts for its
    /// allocation.
    lower: String,
    /// Where each distinct word is in `lower`.
    words: Vec<(usize, usize)>,
}

struct PrefixesStream<'a> {
    lower: &'a str,
    words: &'a [(usize, usize)],
    token: &'a mut Token,
    /// The word being cut, the end of its last prefix (bytes) and how many it gave.
    word: usize,
    end: usize,
    count: usize,
}

impl Tokenizer for PrefixesTokenizer {
    type TokenStream<'a> = PrefixesStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PrefixesStream<'a> {
        let Self {
            token,
            lower,
            words,
        } = self;
        token.reset();
        lower.clear();
        words.clear();
        for (from, to) in analyzer::spans(text) {
            let start = lower.len();
            analyzer::push_lowercase(lower, &text[from..to]);
            words.push((start, lower.len()));
        }
        let lower: &str = lower;
        words.sort_unstable_by_key(|&(from, to)| &lower[from..to]);
        words.dedup_by_key(|&mut (from, to)| &lower[from..to]);
        PrefixesStream {
            lower,
            words,
            token,
            word: 0,
            end: 0,
            count: 0,
        }
    }
}

impl PrefixesStream<'_> {
    fn emit(&mut self, text: &str) -> bool {
        self.token.text.clear();
        self.token.text.push_str(text);
        self.token.position = self.token.position.wrapping_add(1);
        true
    }
}

impl TokenStream for PrefixesStream<'_> {
    fn advance(&mut self) -> bool {
        while let Some(&(from, to)) = self.words.get(self.word) {
            let word = &self.lower[from..to];
            if self.count < MAX_PREFIX {
                let next = word[self.end..].chars().next();
                let end = self.end + next.map_or(0, char::len_utf8);
                if end < word.len() {
                    self.end = end;
                    self.count += 1;
                    return self.emit(&word[..end]);
                }
            }
            let second_of_pair = word.chars().nth(1).filter(|c| is_cjk(*c));
            self.word += 1;
            self.end = 0;
            self.count = 0;
            if let Some(second) = second_of_pair {
                let start = word.len() - second.len_utf8();
                return self.emit(&word[start..]);
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[derive(Clone, Default)]
struct HashtagsTokenizer {
    token: Token,
}

struct HashtagsStream<'a> {
    tags: std::str::SplitWhitespace<'a>,
    token: &'a mut Token,
}

impl Tokenizer for HashtagsTokenizer {
    type TokenStream<'a> = HashtagsStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> HashtagsStream<'a> {
        self.token.reset();
        HashtagsStream {
            tags: text.split_whitespace(),
            token: &mut self.token,
        }
    }
}

impl TokenStream for HashtagsStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(tag) = self.tags.next() else {
            return false;
        };
        self.token.text.clear();
        analyzer::push_lowercase(&mut self.token.text, tag);
        self.token.position = self.token.position.wrapping_add(1);
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(tokenizer: &str, text: &str) -> Vec<(String, usize)> {
        let mut analyzer = manager().get(tokenizer).unwrap();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        stream.process(&mut |t| out.push((t.text.clone(), t.position)));
        out
    }

    fn texts(tokenizer: &str, text: &str) -> Vec<String> {
        tokens(tokenizer, text).into_iter().map(|t| t.0).collect()
    }

    #[test]
    fn words_are_the_analyzers_at_consecutive_positions() {
        let text = "Ping hostname.example.com 东京都 Überprüfung, é!";
        let expected: Vec<(String, usize)> = analyzer::words(text)
            .into_iter()
            .map(|w| (w.text, w.position))
            .collect();
        assert_eq!(tokens(WORDS, text), expected);
        assert_eq!(tokens(WORDS, "a b")[0].1, 0);
    }

    #[test]
    fn prefixes_cover_partial_words_and_single_characters() {
        assert_eq!(
            texts(PREFIXES, "Hostname 东京"),
            ["h", "ho", "hos", "host", "hostn", "hostna", "hostnam", "东", "京"]
        );
        let long = texts(PREFIXES, "abcdefghijklmnopqrstuvwxyz");
        assert_eq!(long.len(), MAX_PREFIX);
        assert_eq!(long.last().unwrap(), "abcdefghijklmnop");
        assert_eq!(texts(PREFIXES, "abcdefghijklmnop").len(), MAX_PREFIX - 1);
        assert_eq!(texts(PREFIXES, "Go go, é!"), ["g"]);
        assert!(texts(PREFIXES, "日 a").is_empty());
        assert_eq!(texts(PREFIXES, "Ωmega"), ["ω", "ωm", "ωme", "ωmeg"]);
    }

    #[test]
    fn hashtags_are_lowercased_whole() {
        assert_eq!(texts(HASHTAGS, "#Rust  #a-b"), ["#rust", "#a-b"]);
    }
}
