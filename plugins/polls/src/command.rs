//! `/poll …`: the command line read, the poll stored and posted as the Poll Bot.

use crate::poll::{self, Answer, Poll, Settings, MAX_ANSWERS, MAX_TEXT};
use crate::render;
use utmost_plugin_sdk::{api, CommandArgs, CommandResponse, Post};

const HELP: &str = "To create a poll, type `/poll \"Question\" \"Answer 1\" \"Answer 2\"`.\n\
Options: `--anonymous` hides who voted, `--progress` shows the counts while the poll runs, \
`--public-add-option` lets everyone add answers, `--votes=N` gives each voter N votes.\n\
Without answers, the poll asks Yes or No.";

pub fn execute(args: CommandArgs) -> CommandResponse {
    match create(&args) {
        Ok(()) => CommandResponse::default(),
        Err(message) => CommandResponse::ephemeral(message),
    }
}

fn create(args: &CommandArgs) -> Result<(), String> {
    let (words, settings) = parse(&args.command)?;
    let mut words = words.into_iter();
    let Some(question) = words.next().filter(|q| q != "help") else {
        return Err(HELP.into());
    };
    let mut texts: Vec<String> = words.collect();
    if texts.is_empty() {
        texts = vec!["Yes".into(), "No".into()];
    }
    if texts.len() > MAX_ANSWERS {
        return Err(format!("A poll has at most {MAX_ANSWERS} answers."));
    }
    if std::iter::once(&question)
        .chain(&texts)
        .any(|t| t.chars().count() > MAX_TEXT)
    {
        return Err(format!(
            "Questions and answers have at most {MAX_TEXT} characters."
        ));
    }
    if settings.max_votes > texts.len() {
        return Err(format!(
            "--votes={} is more than the poll's {} answers.",
            settings.max_votes,
            texts.len()
        ));
    }
    let bot_id = api::ensure_bot("poll", "Poll Bot", "Runs the polls of /poll.")
        .map_err(|e| e.to_string())?;
    let mut poll = Poll {
        id: String::new(),
        creator_id: args.user_id.clone(),
        question,
        answers: texts
            .into_iter()
            .map(|text| Answer {
                text,
                voters: Vec::new(),
            })
            .collect(),
        settings,
        post_id: String::new(),
        ended: false,
    };
    // The poll is stored before its post exists, so a vote on the post finds it.
    store_new(&mut poll, args)?;
    let creator = api::get_user(&args.user_id)
        .map(|u| u.username)
        .unwrap_or_default();
    let post = Post {
        user_id: bot_id,
        channel_id: args.channel_id.clone(),
        root_id: args.root_id.clone(),
        props: render::props(&poll, &creator, &[]),
        ..Post::default()
    };
    let posted = api::create_post(&post).map_err(|e| {
        let _ = api::kv_delete(&poll::key(&poll.id));
        format!("The poll could not be posted: {e}")
    })?;
    poll::update(&poll.id, |p| {
        p.post_id = posted.id.clone();
        Ok(())
    })?;
    poll.post_id = posted.id;
    Ok(())
}

/// Stores a new poll under an id made from this command run (its trigger id, user and
/// text), salted again while the id is taken.
fn store_new(poll: &mut Poll, args: &CommandArgs) -> Result<(), String> {
    for salt in 0u32..100 {
        let mut hash: u64 = 0xcbf29ce484222325;
        let run = args
            .trigger_id
            .bytes()
            .chain(args.user_id.bytes())
            .chain(args.command.bytes());
        for b in run.chain(salt.to_le_bytes()) {
            hash = (hash ^ b as u64).wrapping_mul(0x100000001b3);
        }
        poll.id = format!("{hash:016x}");
        if api::kv_compare_and_set(&poll::key(&poll.id), None, &*poll).map_err(|e| e.to_string())? {
            return Ok(());
        }
    }
    Err("No free poll id was found; try again.".into())
}

/// The quoted words after `/poll` and the `--` options.
pub fn parse(line: &str) -> Result<(Vec<String>, Settings), String> {
    let rest = line
        .trim_start()
        .strip_prefix("/poll")
        .unwrap_or(line)
        .trim();
    let mut settings = Settings {
        max_votes: 1,
        ..Settings::default()
    };
    let mut words = Vec::new();
    let mut chars = rest.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' || c == '“' {
            chars.next();
            let word: String = chars
                .by_ref()
                .take_while(|&c| c != '"' && c != '”')
                .collect();
            words.push(word);
        } else {
            let word: String =
                std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace())).collect();
            match word.as_str() {
                "--anonymous" => settings.anonymous = true,
                "--progress" => settings.progress = true,
                "--public-add-option" => settings.public_add_option = true,
                option if option.starts_with("--votes=") => {
                    settings.max_votes = option["--votes=".len()..]
                        .parse()
                        .ok()
                        .filter(|n| *n >= 1)
                        .ok_or("--votes= takes a number of votes, 1 or more.")?;
                }
                option if option.starts_with("--") => {
                    return Err(format!("Unknown option {option}.\n{HELP}"))
                }
                _ => words.push(word),
            }
        }
    }
    Ok((words, settings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_words_and_options_are_read() {
        let (words, s) =
            parse(r#"/poll "Lunch where?" "Pizza place" “Sushi” --anonymous --votes=2 --progress"#)
                .unwrap();
        assert_eq!(words, ["Lunch where?", "Pizza place", "Sushi"]);
        assert!(s.anonymous && s.progress && !s.public_add_option);
        assert_eq!(s.max_votes, 2);
    }

    #[test]
    fn a_bad_option_is_refused() {
        assert!(parse(r#"/poll "Q" --votes=0"#).is_err());
        assert!(parse(r#"/poll "Q" --colour"#)
            .unwrap_err()
            .contains("--colour"));
    }
}
