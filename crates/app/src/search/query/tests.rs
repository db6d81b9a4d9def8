use super::*;

fn word(s: &str) -> Term {
    Term::Word(s.into())
}

#[test]
fn words_phrases_prefixes_and_exclusions() {
    let sets = parse(r#"deploy "release notes" host* -flaky -"old build""#);
    assert_eq!(sets.len(), 1);
    let p = &sets[0];
    assert_eq!(
        p.terms,
        [
            word("deploy"),
            Term::Phrase("release notes".into()),
            word("host")
        ]
    );
    assert_eq!(
        p.excluded_terms,
        [word("flaky"), Term::Phrase("old build".into())]
    );
    assert!(!p.is_hashtag);
}

#[test]
fn modifiers_with_and_without_a_space_and_negated() {
    let sets = parse("error from:alice in: town-square -in:off-topic -from:@bob after:2024-1-5 before:2024-02-01 on:2024-01-10 -on:2024-01-11 IN:dev ext:pdf");
    let p = &sets[0];
    assert_eq!(p.terms, [word("error")]);
    assert_eq!(p.from_users, ["alice"]);
    assert_eq!(p.excluded_users, ["@bob"]);
    assert_eq!(p.in_channels, ["town-square", "dev"]);
    assert_eq!(p.excluded_channels, ["off-topic"]);
    assert_eq!(p.after_date, "2024-1-5");
    assert_eq!(p.before_date, "2024-02-01");
    assert_eq!(p.on_date, "2024-01-10");
    assert_eq!(p.excluded_date, "2024-01-11");
    assert_eq!(p.extensions, ["pdf"]);
}

#[test]
fn hashtags_form_a_second_set_with_the_same_filters() {
    let sets = parse("outage ##Incident -#old from:alice");
    assert_eq!(sets.len(), 2);
    assert_eq!(sets[0].terms, [word("outage")]);
    assert!(sets[1].is_hashtag);
    assert_eq!(sets[1].terms, [word("#incident")]);
    assert_eq!(sets[1].excluded_terms, [word("#old")]);
    assert_eq!(sets[1].from_users, ["alice"]);
    // `#a` is too short to be a hashtag, and `#1x` does not start with a letter.
    assert!(parse("#a #1x").iter().all(|p| !p.is_hashtag));
}

#[test]
fn filters_alone_still_search_and_punctuation_alone_is_dropped() {
    let sets = parse("from:alice");
    assert_eq!(sets.len(), 1);
    assert!(sets[0].terms.is_empty());
    assert_eq!(sets[0].from_users, ["alice"]);
    assert!(parse("").is_empty());
    assert!(parse("*** -- !!").is_empty());
    // A flag without a value at the end of the query is a word.
    assert_eq!(parse("in:")[0].terms, [word("in")]);
}

#[test]
fn surrounding_punctuation_is_trimmed_but_inner_punctuation_kept() {
    let p = &parse("(hostname.example.com), @alice: <user_name> 'e-mail' report.pdf?")[0];
    assert_eq!(
        p.terms,
        [
            word("hostname.example.com"),
            word("alice"),
            word("user_name"),
            word("e-mail"),
            word("report.pdf")
        ]
    );
}

#[test]
fn days_in_the_readers_time_zone() {
    // 2024-01-10 00:00 UTC is 1704844800 s.
    assert_eq!(
        day_millis("2024-01-10", 0),
        Some((1_704_844_800_000, 1_704_931_199_999))
    );
    // Three hours east of UTC the day starts three hours earlier.
    assert_eq!(
        day_millis("2024-1-10", 3 * 3600),
        Some((1_704_834_000_000, 1_704_920_399_999))
    );
    assert_eq!(day_millis("2024-02-30", 0), None);
    assert_eq!(
        day_millis("2024-02-29", 0).map(|d| d.0),
        Some(1_709_164_800_000)
    );
    assert_eq!(day_millis("yesterday", 0), None);
}
