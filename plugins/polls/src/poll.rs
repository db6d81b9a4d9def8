//! A poll as the plugin keeps it (one key-value entry per poll) and the vote rules.

use serde::{Deserialize, Serialize};
use utmost_plugin_sdk::api;

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Settings {
    pub anonymous: bool,
    pub progress: bool,
    pub public_add_option: bool,
    /// Votes each user may give; 1 means a second vote moves the first.
    pub max_votes: usize,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Answer {
    pub text: String,
    pub voters: Vec<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Poll {
    pub id: String,
    pub creator_id: String,
    pub question: String,
    pub answers: Vec<Answer>,
    pub settings: Settings,
    #[serde(default)]
    pub post_id: String,
    #[serde(default)]
    pub ended: bool,
}

/// Most answers a poll has, added ones included.
pub const MAX_ANSWERS: usize = 20;
/// Longest question or answer, in characters.
pub const MAX_TEXT: usize = 300;

pub fn key(poll_id: &str) -> String {
    format!("poll_{poll_id}")
}

impl Poll {
    pub fn load(poll_id: &str) -> Result<Poll, String> {
        match api::kv_get::<Poll>(&key(poll_id)) {
            Ok(Some(poll)) => Ok(poll),
            Ok(None) => Err("This poll no longer exists.".into()),
            Err(e) => Err(format!("The poll could not be read: {e}")),
        }
    }

    pub fn total_votes(&self) -> usize {
        self.answers.iter().map(|a| a.voters.len()).sum()
    }

    fn votes_of(&self, user_id: &str) -> usize {
        self.answers
            .iter()
            .filter(|a| a.voters.iter().any(|v| v == user_id))
            .count()
    }

    /// Counts `user_id`'s vote for answer `index`; answers what the voter is told.
    pub fn vote(&mut self, user_id: &str, index: usize) -> Result<String, String> {
        if self.ended {
            return Err("This poll has ended.".into());
        }
        let Some(answer) = self.answers.get(index) else {
            return Err("That answer is not part of this poll.".into());
        };
        if answer.voters.iter().any(|v| v == user_id) {
            return Err(format!("You already voted for \"{}\".", answer.text));
        }
        let text = answer.text.clone();
        if self.settings.max_votes <= 1 {
            for answer in &mut self.answers {
                answer.voters.retain(|v| v != user_id);
            }
        } else if self.votes_of(user_id) >= self.settings.max_votes {
            return Err(format!(
                "You have used all of your {} votes.",
                self.settings.max_votes
            ));
        }
        self.answers[index].voters.push(user_id.to_owned());
        Ok(format!("Your vote for \"{text}\" has been counted."))
    }

    pub fn add_answer(&mut self, text: &str) -> Result<(), String> {
        let text = text.trim();
        if self.ended {
            return Err("This poll has ended.".into());
        }
        if text.is_empty() || text.chars().count() > MAX_TEXT {
            return Err(format!("An answer has 1 to {MAX_TEXT} characters."));
        }
        if self.answers.iter().any(|a| a.text == text) {
            return Err("This answer is already part of the poll.".into());
        }
        if self.answers.len() >= MAX_ANSWERS {
            return Err(format!("A poll has at most {MAX_ANSWERS} answers."));
        }
        self.answers.push(Answer {
            text: text.to_owned(),
            voters: Vec::new(),
        });
        Ok(())
    }
}

/// Applies `change` to the stored poll and stores the result, again while another node or
/// voter changed it in between; answers the changed poll and what `change` answered.
pub fn update<T>(
    poll_id: &str,
    change: impl Fn(&mut Poll) -> Result<T, String>,
) -> Result<(Poll, T), String> {
    for _ in 0..20 {
        let old = Poll::load(poll_id)?;
        let mut new = old.clone();
        let answer = change(&mut new)?;
        match api::kv_compare_and_set(&key(poll_id), Some(&old), &new) {
            Ok(true) => return Ok((new, answer)),
            Ok(false) => continue,
            Err(e) => return Err(format!("The poll could not be saved: {e}")),
        }
    }
    Err("The poll is busy; try again.".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn poll(max_votes: usize) -> Poll {
        Poll {
            answers: vec![
                Answer {
                    text: "A".into(),
                    voters: vec![],
                },
                Answer {
                    text: "B".into(),
                    voters: vec![],
                },
                Answer {
                    text: "C".into(),
                    voters: vec![],
                },
            ],
            settings: Settings {
                max_votes,
                ..Settings::default()
            },
            ..Poll::default()
        }
    }

    #[test]
    fn a_single_vote_moves_and_a_repeat_is_refused() {
        let mut p = poll(1);
        p.vote("u", 0).unwrap();
        assert!(p.vote("u", 0).is_err());
        p.vote("u", 1).unwrap();
        assert_eq!(
            (p.answers[0].voters.len(), p.answers[1].voters.len()),
            (0, 1)
        );
    }

    #[test]
    fn several_votes_stop_at_the_limit() {
        let mut p = poll(2);
        p.vote("u", 0).unwrap();
        p.vote("u", 1).unwrap();
        assert!(p.vote("u", 2).unwrap_err().contains("all of your 2 votes"));
        assert_eq!(p.total_votes(), 2);
    }
}
