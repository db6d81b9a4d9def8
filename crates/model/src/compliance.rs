//! Compliance reports (`model.Compliance`), as `/api/v4/compliance/reports` shows them.

use crate::{is_valid_id, AppError};
use serde::{Deserialize, Serialize};

pub const STATUS_CREATED: &str = "created";
pub const STATUS_RUNNING: &str = "running";
pub const STATUS_FINISHED: &str = "finished";
pub const STATUS_FAILED: &str = "failed";

pub const TYPE_ADHOC: &str = "adhoc";
pub const TYPE_DAILY: &str = "daily";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Compliance {
    pub id: String,
    pub create_at: i64,
    pub user_id: String,
    pub status: String,
    pub count: i64,
    pub desc: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub start_at: i64,
    pub end_at: i64,
    pub keywords: String,
    pub emails: String,
}

impl Compliance {
    /// `PreSave`: keywords and emails lower-cased, as the report matches them.
    pub fn normalize(&mut self) {
        self.emails = self.emails.trim().to_lowercase();
        self.keywords = self.keywords.to_lowercase();
    }

    /// `IsValid`, with Mattermost's error ids.
    pub fn validate(&self) -> Result<(), AppError> {
        let invalid = |field: &str| {
            Err(AppError::bad_request(
                &format!("model.compliance.is_valid.{field}.app_error"),
                "Invalid compliance report.",
            ))
        };
        if !is_valid_id(&self.id) {
            return invalid("id");
        }
        if self.create_at == 0 {
            return invalid("create_at");
        }
        if self.desc.is_empty() || self.desc.chars().count() > 512 {
            return invalid("desc");
        }
        if self.start_at == 0 {
            return invalid("start_at");
        }
        if self.end_at == 0 {
            return invalid("end_at");
        }
        if self.end_at <= self.start_at {
            return invalid("start_end_at");
        }
        Ok(())
    }

    /// `JobName`: what the report's zip is called.
    pub fn job_name(&self) -> String {
        if self.kind == TYPE_DAILY {
            format!("{}-{}-{}", self.kind, self.desc, self.id)
        } else {
            format!("{}-{}", self.kind, self.id)
        }
    }

    /// The report's emails and keywords: separated by commas or spaces.
    pub fn email_list(&self) -> Vec<String> {
        split_terms(&self.emails)
    }

    pub fn keyword_list(&self) -> Vec<String> {
        split_terms(&self.keywords)
    }
}

fn split_terms(s: &str) -> Vec<String> {
    s.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// `CompliancePostHeader`: the report CSV's columns.
pub const POST_HEADER: [&str; 19] = [
    "TeamName",
    "TeamDisplayName",
    "ChannelName",
    "ChannelDisplayName",
    "UserUsername",
    "UserEmail",
    "UserNickname",
    "PostId",
    "PostCreateAt",
    "PostUpdateAt",
    "PostDeleteAt",
    "PostRootId",
    "PostParentId",
    "PostOriginalId",
    "PostMessage",
    "PostType",
    "PostProps",
    "PostHashtags",
    "PostFilenames",
];
