//! Id newtypes that can only hold a valid Mattermost id: a request naming a malformed id is
//! refused where it is deserialised (the API's path extractor), before any handler runs.

use super::is_valid_id;
use crate::session::Session;
use serde::de::{self, Deserializer, Unexpected, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// Declares one id newtype; `$param` is the name Mattermost gives it in a URL, which an
/// error about a malformed one reports.
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $param:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// The URL parameter this id travels in.
            pub const PARAM: &'static str = $param;
        }

        impl std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                self == &other.0
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str(IdVisitor($param)).map(Self)
            }
        }
    };
}

id_type!(
    /// A user's id (`user_id`).
    UserId,
    "user_id"
);
id_type!(
    /// A team's id (`team_id`).
    TeamId,
    "team_id"
);
id_type!(
    /// A channel's id (`channel_id`).
    ChannelId,
    "channel_id"
);
id_type!(
    /// A post's id (`post_id`).
    PostId,
    "post_id"
);
id_type!(
    /// A role's id (`role_id`).
    RoleId,
    "role_id"
);
id_type!(
    /// A personal access token's id (`token_id`), never the token itself.
    TokenId,
    "token_id"
);
id_type!(
    /// A group's id (`group_id`).
    GroupId,
    "group_id"
);
id_type!(
    /// A permission scheme's id (`scheme_id`).
    SchemeId,
    "scheme_id"
);

impl UserId {
    /// The id of the session's user: the server wrote it, so it is not checked again.
    pub fn of_session(session: &Session) -> Self {
        Self(session.user_id.clone())
    }
}

/// A `{user_id}` URL segment, where Mattermost also accepts `me` for the session's user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserParam {
    Me,
    Id(UserId),
}

impl UserParam {
    /// The user this segment names for a request made with `session`.
    pub fn resolve(self, session: &Session) -> UserId {
        match self {
            UserParam::Me => UserId::of_session(session),
            UserParam::Id(id) => id,
        }
    }
}

impl<'de> Deserialize<'de> for UserParam {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(UserParamVisitor)
    }
}

/// Reads a valid id for URL parameter `.0`. The check runs inside the visitor so that a
/// deserialiser that knows the field (axum's path extractor) reports which one was malformed.
struct IdVisitor(&'static str);

impl Visitor<'_> for IdVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a 26-character id as {}", self.0)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        if is_valid_id(v) {
            Ok(v.to_string())
        } else {
            Err(E::invalid_value(Unexpected::Str(v), &self))
        }
    }
}

struct UserParamVisitor;

impl Visitor<'_> for UserParamVisitor {
    type Value = UserParam;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        IdVisitor(UserId::PARAM).expecting(f)?;
        f.write_str(" or `me`")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<UserParam, E> {
        if v == "me" {
            Ok(UserParam::Me)
        } else {
            IdVisitor(UserId::PARAM)
                .visit_str(v)
                .map(|id| UserParam::Id(UserId(id)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{from_str, json, to_value};

    const VALID: &str = "abcdefghijklmnopqrstuvwxyz";

    #[test]
    fn valid_ids_deserialise_and_serialise_as_plain_strings() {
        let id: PostId = from_str(&format!("\"{VALID}\"")).unwrap();
        assert_eq!(id, *VALID);
        assert_eq!(to_value(&id).unwrap(), json!(VALID));
    }

    #[test]
    fn malformed_ids_are_refused_naming_the_parameter() {
        for bad in [
            "\"short\"",
            "\"abcdefghijklmnopqrstuvwxy!\"",
            "\"me\"",
            "\"\"",
        ] {
            let err = from_str::<ChannelId>(bad).unwrap_err().to_string();
            assert!(err.contains("channel_id"), "{bad}: {err}");
        }
        assert!(from_str::<TeamId>("42").is_err());
    }

    #[test]
    fn user_param_accepts_me_and_resolves_it_to_the_session_user() {
        let session = Session {
            user_id: "u".repeat(26),
            ..Session::default()
        };
        let me: UserParam = from_str("\"me\"").unwrap();
        assert_eq!(me.resolve(&session), "u".repeat(26));
        let other: UserParam = from_str(&format!("\"{VALID}\"")).unwrap();
        assert_eq!(other.resolve(&session), *VALID);
        assert!(from_str::<UserParam>("\"you\"").is_err());
    }
}
