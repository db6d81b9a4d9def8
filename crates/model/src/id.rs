//! Mattermost's 26-character ids: 16 random bytes, base32 with Mattermost's alphabet, no padding.

mod typed;

pub use typed::GroupId;
pub use typed::SchemeId;
pub use typed::{ChannelId, PostId, RoleId, TeamId, TokenId, UserId, UserParam};

use data_encoding::{Encoding, Specification};
use std::sync::LazyLock;

static ENCODING: LazyLock<Encoding> = LazyLock::new(|| {
    let mut spec = Specification::new();
    spec.symbols.push_str("ybndrfg8ejkmcpqxot1uwisza345h769");
    // The alphabet is fixed and valid, so building it cannot fail.
    spec.encoding()
        .unwrap_or_else(|_| data_encoding::BASE32_NOPAD.clone())
});

/// Encodes 16 bytes as a 26-char id (the same encoding Mattermost's `NewId` uses).
pub fn encode_id(bytes: &[u8; 16]) -> String {
    ENCODING.encode(bytes)
}

/// A fresh random id, like Mattermost's `model.NewId()`.
pub fn new_id() -> String {
    encode_id(uuid::Uuid::new_v4().as_bytes())
}

/// A random token of `len` characters drawn from the id alphabet (Mattermost's `NewRandomString`).
pub fn new_random_string(len: usize) -> String {
    let mut out = String::with_capacity(len + 26);
    while out.len() < len {
        out.push_str(&new_id());
    }
    out.truncate(len);
    out
}

/// Mattermost's `IsValidId`: exactly 26 ASCII letters or digits.
pub fn is_valid_id(s: &str) -> bool {
    s.len() == 26 && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// DM channel name: the two user ids sorted, joined by `__`.
pub fn direct_channel_name(a: &str, b: &str) -> String {
    if a < b {
        format!("{a}__{b}")
    } else {
        format!("{b}__{a}")
    }
}

/// GM channel name: hex SHA-1 of the sorted member ids concatenated.
pub fn group_channel_name(user_ids: &[String]) -> String {
    use sha1::{Digest, Sha1};
    let mut ids: Vec<&str> = user_ids.iter().map(String::as_str).collect();
    ids.sort_unstable();
    hex::encode(Sha1::digest(ids.concat().as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_26_valid_chars_and_unique() {
        let a = new_id();
        let b = new_id();
        assert_eq!(a.len(), 26);
        assert!(is_valid_id(&a));
        assert_ne!(a, b);
        assert!(a
            .chars()
            .all(|c| "ybndrfg8ejkmcpqxot1uwisza345h769".contains(c)));
    }

    #[test]
    fn validity_rules() {
        assert!(!is_valid_id("short"));
        assert!(!is_valid_id("abcdefghijklmnopqrstuvwxy!"));
        assert!(is_valid_id("abcdefghijklmnopqrstuvwxyz"));
    }

    #[test]
    fn zero_bytes_encode_like_mattermost() {
        // All-zero input maps to the first symbol of the alphabet.
        assert_eq!(encode_id(&[0; 16]), "y".repeat(26));
    }

    #[test]
    fn random_string_length() {
        assert_eq!(new_random_string(64).len(), 64);
    }

    #[test]
    fn dm_names_sort_ids() {
        assert_eq!(direct_channel_name("b", "a"), "a__b");
        assert_eq!(direct_channel_name("a", "b"), "a__b");
    }

    #[test]
    fn gm_name_is_order_independent_sha1() {
        let x = group_channel_name(&["b".into(), "a".into(), "c".into()]);
        let y = group_channel_name(&["c".into(), "b".into(), "a".into()]);
        assert_eq!(x, y);
        // sha1("abc")
        assert_eq!(x, "a9993e364706816aba3e25717850c26c9cd0d89d");
    }
}
