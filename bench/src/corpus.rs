//! Deterministic made-up text: a seeded generator, a vocabulary whose words are drawn with
//! Zipf-like frequencies (a few very common words, a long tail of rare ones), and names for
//! people and channels. The same seed gives the same data, so runs can be compared.

/// SplitMix64: small, fast and good enough to spread words and channels.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Common words of chat, most frequent first; made-up words follow them in the ranking.
const COMMON: &[&str] = &[
    "the",
    "to",
    "and",
    "a",
    "i",
    "is",
    "it",
    "for",
    "we",
    "on",
    "that",
    "this",
    "in",
    "you",
    "of",
    "with",
    "be",
    "have",
    "can",
    "not",
    "will",
    "just",
    "are",
    "so",
    "but",
    "do",
    "if",
    "at",
    "me",
    "what",
    "there",
    "was",
    "now",
    "think",
    "should",
    "from",
    "all",
    "get",
    "about",
    "deploy",
    "server",
    "release",
    "build",
    "test",
    "fix",
    "issue",
    "review",
    "meeting",
    "tomorrow",
    "today",
    "update",
    "branch",
    "merge",
    "customer",
    "ticket",
    "error",
    "logs",
    "database",
    "migration",
    "backup",
    "config",
    "cluster",
    "latency",
    "memory",
    "disk",
    "network",
    "login",
    "password",
    "search",
    "index",
    "query",
    "cache",
    "timeout",
    "restart",
    "rollback",
    "staging",
    "production",
    "incident",
    "alert",
    "dashboard",
    "metrics",
    "budget",
    "roadmap",
    "design",
    "feedback",
    "launch",
    "invoice",
    "contract",
    "schedule",
    "lunch",
    "coffee",
    "weekend",
    "holiday",
    "thanks",
    "please",
    "sorry",
    "great",
    "done",
    "working",
    "running",
    "broken",
    "slow",
    "fast",
    "ready",
    "blocked",
    "waiting",
    "shipping",
    "planning",
];

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ren", "sa", "tor", "vel", "qu", "dan", "bri", "zo", "fen", "gar", "hul",
    "jin", "mar", "nor", "pel", "ros", "sti", "tam", "ulf", "vor", "wen", "xi", "yar", "zel", "ba",
    "co", "du", "ex", "fi", "go", "hy", "is", "ju", "ke", "ly", "mo", "nu",
];

/// A made-up word for rank `n` (distinct for distinct n).
fn made_up(mut n: usize) -> String {
    let mut word = String::new();
    loop {
        word.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
        if n == 0 {
            return word;
        }
        n -= 1;
    }
}

/// Words ranked by frequency, sampled with weight 1 / rank.
pub struct Vocabulary {
    pub words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocabulary {
    pub fn new(size: usize) -> Self {
        let mut words: Vec<String> = COMMON.iter().map(|w| w.to_string()).collect();
        let mut n = 0;
        while words.len() < size {
            let w = made_up(n + SYLLABLES.len());
            n += 1;
            if !COMMON.contains(&w.as_str()) {
                words.push(w);
            }
        }
        let mut total = 0.0;
        let cumulative = (1..=words.len())
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Self { words, cumulative }
    }

    pub fn sample(&self, rng: &mut Rng) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.unit() * total;
        let i = self.cumulative.partition_point(|c| *c < x);
        &self.words[i.min(self.words.len() - 1)]
    }
}

/// A capitalised made-up name for `n`, e.g. for people and channels.
pub fn name(n: usize) -> String {
    let mut word = made_up(n);
    if let Some(first) = word.get(..1) {
        word.replace_range(..1, &first.to_uppercase());
    }
    word
}

/// A 26-character id like Mattermost's: `kind` then `n`, zero-padded.
pub fn id(kind: char, n: usize) -> String {
    format!("{kind}{n:025}")
}

/// A SQL string literal (both databases: quotes doubled, backslashes literal).
pub fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}
