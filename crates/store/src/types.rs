//! Column types that need care to serve both databases.

use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArgumentBuffer, PgTypeInfo, PgValueRef};
use sqlx::sqlite::{SqliteArgumentValue, SqliteTypeInfo, SqliteValueRef};
use sqlx::{Decode, Encode, Postgres, Sqlite, Type};

pub use sqlx::types::Json;

/// A value of one of Mattermost's PostgreSQL enum types (`team_type`, `channel_type`), which
/// is plain TEXT on SQLite. PostgreSQL refuses a TEXT parameter for an enum column, so the
/// parameter must carry the enum's type name.
macro_rules! text_enum {
    ($name:ident, $pg_type:literal) => {
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(pub String);

        impl Type<Postgres> for $name {
            fn type_info() -> PgTypeInfo {
                PgTypeInfo::with_name($pg_type)
            }
            fn compatible(ty: &PgTypeInfo) -> bool {
                *ty == <Self as Type<Postgres>>::type_info()
                    || <String as Type<Postgres>>::compatible(ty)
            }
        }

        impl Encode<'_, Postgres> for $name {
            fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
                <&str as Encode<Postgres>>::encode(self.0.as_str(), buf)
            }
        }

        impl<'r> Decode<'r, Postgres> for $name {
            fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
                Ok(Self(<String as Decode<Postgres>>::decode(value)?))
            }
        }

        impl Type<Sqlite> for $name {
            fn type_info() -> SqliteTypeInfo {
                <String as Type<Sqlite>>::type_info()
            }
            fn compatible(ty: &SqliteTypeInfo) -> bool {
                <String as Type<Sqlite>>::compatible(ty)
            }
        }

        impl<'q> Encode<'q, Sqlite> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut Vec<SqliteArgumentValue<'q>>,
            ) -> Result<IsNull, BoxDynError> {
                <String as Encode<'q, Sqlite>>::encode_by_ref(&self.0, buf)
            }
        }

        impl<'r> Decode<'r, Sqlite> for $name {
            fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
                Ok(Self(<String as Decode<Sqlite>>::decode(value)?))
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_string())
            }
        }
    };
}

text_enum!(TeamType, "team_type");
text_enum!(ChannelType, "channel_type");
text_enum!(ChannelBookmarkType, "channel_bookmark_type");
text_enum!(UploadSessionType, "upload_session_type");
