//! The failures each service names, and the one table that gives each its Mattermost
//! (status, id, message).
//!
//! A service fails with its own variant (`Err(TeamError::NameTaken.into())`); the table below
//! is a single `match` with no catch-all, so a new variant does not build until it has its
//! wire form, and an error id has one message wherever it is raised. A `StoreError` never
//! picks a status: a service turns the store outcomes it expects (no row, a taken name) into
//! its variants, and anything else becomes a 500 with the cause logged.

use utmost_model::channel::DEFAULT_CHANNEL_NAME;
use utmost_model::channel_bookmark::{BOOKMARK_EMOJI_MAX_LENGTH, MAX_BOOKMARKS_PER_CHANNEL};
use utmost_model::post::POST_MESSAGE_MAX_RUNES;
use utmost_model::AppError;

/// A team, its members, and who may join or create one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeamError {
    NotFound,
    NameNotFound,
    MemberNotFound,
    /// The name is taken (or, as in Mattermost, the client chose the id).
    NameTaken,
    CreatorDomainNotAllowed,
    JoinerDomainNotAllowed,
    /// A former member rejoins a team that is full.
    FullOnRejoin,
    /// A new member joins a team that is full.
    FullOnJoin,
    MemberExists,
    NotAMember,
    /// `allowed_domains` names a domain the system's restriction does not allow.
    DomainNotAllowed(String),
    NotATeamRole,
    GuestRoleChanged,
    GuestAndUser,
    /// A group-synced team takes only members of its groups.
    GroupConstrainedDenied,
    MemberBodyInvalid,
    RemoveGroupConstrained,
    CreationDisabled,
    /// `ServiceSettings.EnableAPITeamDeletion` is off.
    PermanentDeleteDisabled,
    ListAllDenied,
}

/// A channel, its members, and direct and group messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelError {
    NotFound,
    NameNotFound,
    MemberNotFound,
    NoneFound,
    NoneFoundByIds,
    NoneMarkedRead,
    NameTakenByArchived,
    NameTaken,
    /// An update gave the channel a name another channel of the team has.
    NameTakenOnUpdate,
    DirectThroughCreate,
    NoTeamId,
    /// The team already has `MaxChannelsPerTeam` channels.
    TeamLimit(i64),
    /// The store refused the insert against the same limit (a concurrent create).
    TeamLimitOnSave,
    LeftTeam,
    CannotAddToType,
    AddToArchived,
    RemoveFromDefault,
    /// The new roles name this role, which is not a channel role.
    NotAChannelRole(String),
    GuestRoleChanged,
    GuestAndUser,
    DirectInvalidUser,
    DirectNoSharedTeam,
    GroupSize,
    GroupUnknownUser,
    DefaultMadePrivate,
    DeleteArchived,
    DeleteDefault,
    RestoreNotArchived,
    /// Only public and private channels have members to remove.
    RemoveFromType,
    RemoveGroupConstrained,
    UpdateForbidden,
    RenameDirectOrGroup,
    RenameDefault,
    UpdateArchived,
    TypeChange,
    DeleteDirectOrGroup,
    /// `ServiceSettings.EnableAPIChannelDeletion` is off; admins get their own id.
    PermanentDeleteDisabled {
        for_admin: bool,
    },
}

/// Posts: creating, editing, deleting and reading them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostError {
    NotFound,
    /// `ServiceSettings.EnablePostSearch` is off.
    SearchDisabled,
    DeleteNotFound,
    PriorityDisabled,
    PriorityOnReply,
    ChannelArchived,
    InvalidRootId,
    RootInOtherChannel,
    /// The message is this many characters long, over the limit.
    MessageTooLong(usize),
    InvalidType,
    InvalidFileIds,
    InvalidProps,
    PatchInArchived,
    UpdateSystemMessage,
    UpdateInArchived,
    /// The edit window of this many seconds has passed.
    EditTimeLimit(i64),
    DeleteInArchived,
    /// Persistent notifications were asked for on a post that is not urgent.
    PersistentNotUrgent,
    /// The version to restore is not an earlier version of the post.
    NotAHistoryItem,
    /// The version to restore was written by someone else.
    RestoreNotAllowed,
    /// The version to restore is the live post, not an earlier version.
    NotAValidHistoryItem,
}

/// Acknowledgements of posts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AcknowledgementError {
    SaveInArchived,
    DeleteInArchived,
    NotFound,
    /// Taken back more than five minutes after it was given.
    PastDeadline,
}

/// Reactions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReactionError {
    /// A save names a malformed user or post id, or no or too long an emoji name.
    Invalid,
    /// The emoji name has a character outside `a-z A-Z 0-9 - + _`.
    InvalidEmojiName,
    /// A save names another user.
    ForOtherUser,
    SaveInArchived,
    DeleteInArchived,
    /// The post has `UniqueEmojiReactionLimitPerPost` different emoji already.
    UniqueLimit,
}

/// Collapsed reply threads of one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThreadError {
    /// The user has no membership row for the thread (or is no longer in its channel).
    MembershipNotFound,
    /// The user does not follow the thread.
    NotFollowed,
    /// `before` and `after` together.
    BeforeAndAfter,
    /// `totalsOnly` and `threadsOnly` together.
    TotalsAndThreadsOnly,
    /// A post marked unread from is not in the thread.
    PostNotInThread,
}

/// Sidebar categories: all share Mattermost's one id, with their own status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CategoryError {
    /// The category, or the user's categories in the team, do not exist.
    NotFound,
    /// A new order does not name each of the user's categories in the team once.
    OrderMismatch,
    /// Only custom categories can be deleted.
    DeleteDefault,
}

/// Server-synced drafts, and the checks scheduled posts share with them (`Draft.IsValid`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftError {
    /// `ServiceSettings.AllowSyncedDrafts` is off.
    Disabled,
    InArchivedChannel,
    /// The message is this many characters long, over the limit.
    MessageTooLong(usize),
    InvalidChannelId,
    InvalidRootId,
    InvalidFileIds,
    InvalidProps,
    InvalidPriority,
}

/// Scheduled posts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduledPostError {
    /// `ServiceSettings.ScheduledPosts` is off.
    Disabled,
    InArchivedChannel,
    /// Neither a message nor files.
    Empty,
    /// `scheduled_at` is in the past.
    InThePast,
    UpdateNotFound,
    DeleteNotFound,
    /// The scheduled post is another user's.
    UpdateOthers,
    DeleteOthers,
}

/// Which bookmark route refused, for the route-specific error ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookmarkOp {
    Create,
    Update,
    Sort,
    Delete,
}

impl BookmarkOp {
    fn name(self) -> &'static str {
        match self {
            BookmarkOp::Create => "create_channel_bookmark",
            BookmarkOp::Update => "update_channel_bookmark",
            BookmarkOp::Sort => "update_channel_bookmark_sort_order",
            BookmarkOp::Delete => "delete_channel_bookmark",
        }
    }
}

/// Channel bookmarks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookmarkError {
    InArchivedChannel(BookmarkOp),
    /// Only members manage a direct or group channel's bookmarks.
    NotDirectMember(BookmarkOp),
    DirectByGuest(BookmarkOp),
    /// A channel of no known type.
    UnsupportedChannel(BookmarkOp),
    NotFound,
    /// The channel has `MaxBookmarksPerChannel` bookmarks.
    LimitReached,
    /// File bookmarks need an uploaded file, and Utmost has no uploads yet.
    FileUnavailable,
    /// The new position is past the end, or the bookmark is not in the channel.
    SortOutOfRange,
    InvalidDisplayName,
    InvalidType,
    InvalidLinkUrl,
    InvalidImageUrl,
    InvalidFileId,
    LinkAndFile,
    EmojiTooLong,
}

/// Roles, looked up by id or name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleError {
    NotFound,
    NameNotFound,
    /// A team or channel member's new roles name this unknown role: Mattermost answers the
    /// lookup's error with status 400 there.
    UnknownMemberRole(String),
    /// More names than the one request may ask for (the limit).
    TooManyNames(usize),
    /// A patch adds or removes this permission, which no patch may touch.
    UnpatchablePermission(String),
    /// A patch names this permission, which does not exist.
    UnknownPermission(String),
}

/// Accounts: sign-up and lookups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserError {
    NotFound,
    InvalidUsername,
    InvalidEmail,
    UsernameTaken,
    EmailTaken,
    CreationDisabled,
    EmailSignUpDisabled,
    NotOpenServer,
    UsernameNotFound,
    EmailLookupDenied,
    AutocompleteWithoutTeam,
    /// Profile pictures need a file store (`FileSettings.DriverName`).
    PictureStorageOff,
    PictureTooLarge,
    /// The request is not a multipart form with an `image` part.
    PictureNoFile,
    PictureUndecodable,
}

/// Sessions, as the revoke routes name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionError {
    NotFound,
}

/// Logging in: the checks of the credentials and the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginError {
    BlankPassword,
    NoAccount,
    /// The account signs in through this service (GitLab, SAML, …), not a password.
    UseAuthService(String),
    BadMfaCode,
    /// The account has MFA on and the request carried no code (the login page then asks).
    MfaTokenNeeded,
    NotVerified,
    Deactivated,
    Bot,
    TooManyAttempts,
    WrongPassword,
    /// `ClientSideCertEnable` is on and the request carried no certificate with an email.
    ClientCertMissing,
    /// `ClientSideCertCheck` "secondary": the certificate is another user's.
    ClientCertMismatch,
    /// The generic refusal, worded after the sign-in methods that are on.
    InvalidCredentials(SignInWith),
}

/// Multi-factor authentication: setting it up and enforcing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MfaError {
    /// `ServiceSettings.EnableMultifactorAuthentication` is off.
    Disabled,
    /// Only e-mail and LDAP accounts take a second factor.
    EmailAndLdapOnly,
    /// The activation code does not match the generated secret (or none was generated).
    BadActivationCode,
    /// Enforcement is on and the session's user has not set MFA up yet.
    Required,
}

/// Which login ids the server accepts, for the wording of a refused login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInWith {
    Username,
    Email,
    EmailOrUsername,
}

/// A user's profile: password, activation and roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileError {
    PasswordOfAnother,
    PasswordThroughOAuth,
    CurrentPasswordIncorrect,
    DeactivateDenied,
    SelfDeactivationDisabled,
    /// `DELETE /users/{id}?permanent=true` with `EnableAPIUserDeletion` off.
    PermanentDeleteDisabled,
    /// The new roles name this role, which does not exist.
    UnknownRole(String),
    /// The new roles take `system_admin` from the last active system admin.
    LastAdmin,
}

/// Preferences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreferenceError {
    CategoryEmpty,
    NotFound,
    /// `(user, owner)`: a save names a preference of another user.
    SetForOther(String, String),
    /// `(user, owner)`: a delete names a preference of another user.
    DeleteForOther(String, String),
}

/// Personal access tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessTokenError {
    Disabled,
    DescriptionTooLong,
    NotFound,
}

/// Custom emoji.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmojiError {
    /// `ServiceSettings.EnableCustomEmoji` is off, as the api4 handlers check it.
    Disabled,
    /// `ServiceSettings.EnableCustomEmoji` is off, as Mattermost's app functions check it
    /// (searching, and a reaction naming no system emoji).
    DisabledInApp,
    /// `FileSettings.DriverName` is empty: there is nowhere to keep the image.
    NoStorage,
    NotFound,
    NameNotFound,
    /// Empty, over 64 bytes, or a character outside `a-z A-Z 0-9 - + _`.
    InvalidName,
    /// A system emoji has the name.
    SystemEmojiName,
    /// `creator_id` is longer than an id.
    InvalidCreator,
    /// `creator_id` names someone other than the caller.
    ForOtherUser,
    /// A live custom emoji has the name.
    NameTaken,
    /// The request is larger than `MaxEmojiFileSize`.
    TooLarge,
    /// The multipart body could not be read.
    Unparsable,
    /// The image is not a GIF, PNG or JPEG.
    NotAnImage,
    /// Wider or taller than `MaxEmojiOriginalWidth` by `MaxEmojiOriginalHeight`.
    ImageTooLarge,
    /// A GIF to shrink could not be decoded, or its frames hold more pixels than Utmost
    /// decodes for one emoji.
    GifUndecodable,
    /// A still image to shrink could not be decoded.
    Undecodable,
    /// More names than `GetEmojisByNamesMax`.
    TooManyNames,
    /// The stored image of a live emoji is missing.
    ImageMissing,
}

/// Custom statuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusError {
    CustomTooLong,
    RecentNotListed,
    /// `ServiceSettings.EnableUserStatuses` is off.
    Disabled,
    /// `TeamSettings.EnableCustomUserStatuses` is off.
    CustomDisabled,
}

/// Uploaded files and resumable uploads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// `ServiceSettings.EnableFileSearch` is off.
    SearchDisabled,
    /// `FileSettings.EnableFileAttachments` is off, as `POST /files` answers it.
    AttachmentsDisabled,
    /// The same, as `/uploads` answers it.
    UploadsDisabled,
    /// `FileSettings.DriverName` is empty: there is nowhere to keep a file.
    NoStorage,
    /// Larger than `FileSettings.MaxFileSize` (the length, when known, and the limit).
    TooLarge {
        length: i64,
        limit: i64,
    },
    /// The request's body could not be read as an upload.
    ReadRequest(String),
    IncorrectNumberOfClientIds,
    MultipleChannelIds,
    /// A form field other than `channel_id` and `client_ids`.
    UnknownFormField(String),
    /// The channel is archived.
    DeletedChannel,
    /// The name is empty once its directories are taken away.
    InvalidName,
    NotFound,
    /// The file's bytes are missing from the file store.
    Unreadable,
    NoThumbnail,
    NoPreview,
    PublicLinkDisabled,
    PublicLinkNoPost,
    PublicLinkInvalid,
    /// An image with more pixels than `FileSettings.MaxImageResolution`.
    ImageTooLarge,
    /// The same, at the end of a resumable upload.
    UploadImageTooLarge,
    UploadNotFound,
    /// Someone else's upload.
    UploadForbidden,
    /// Someone else's list of uploads.
    UploadsOfOtherUser,
    /// `file_size` over `FileSettings.MaxFileSize`.
    UploadTooLarge,
    /// `/uploads` names a channel that does not exist.
    UploadIncorrectChannel,
    UploadDeletedChannel,
    /// `file_size` or `filename` out of range.
    UploadInvalid(&'static str),
    /// A first chunk under 5 MiB that is not the whole file.
    FirstPartTooSmall,
    /// Another request is sending data to the same upload.
    UploadConcurrent,
    /// A chunk declared longer than what the upload still expects.
    InvalidContentLength,
    InvalidContentType(String),
    MultipartError(String),
    /// The S3 test: the bucket refused the credentials.
    S3Auth,
    S3NoBucket,
    /// The S3 test failed another way, or the settings name no driver Utmost has.
    ConnectionFailed,
}

/// Background jobs (`/api/v4/jobs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobError {
    NotFound,
    /// No worker of this server runs the type.
    NoWorker,
    /// Finished, canceled or already asked to stop.
    NotCancellable,
    /// No permission reads jobs of the type.
    UnreadableType,
    /// No permission creates (or cancels) jobs of the type.
    UncreatableType,
    /// No permission changes the status of jobs of the type.
    UnmanageableType,
    /// `MessageExportSettings.DownloadExportResults` is off.
    DownloadDisabled,
    /// Only message export jobs have a result to download.
    NotDownloadableType,
    /// The job has no result (not finished, or it exported nothing).
    NotDownloadable,
    /// The job names no export that is still there.
    DownloadMissing,
    InvalidStatus,
}

/// Data retention policies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetentionError {
    PolicyNotFound,
    /// Empty or longer than 64 characters.
    InvalidDisplayName,
    /// A creation without `post_duration`, or one of 0 days.
    InvalidPostDuration,
    /// A team or channel id that names none.
    NoSuchTeamOrChannel(String),
}

/// Compliance reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComplianceError {
    /// `ComplianceSettings.Enable` is off: as Mattermost without the feature.
    Disabled,
    NotFound,
    /// The report has no file (still running, or failed).
    FileMissing,
}

/// Push notifications (`POST /notifications/ack`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushError {
    /// `EmailSettings.SendPushNotifications` is off.
    Disabled,
    AckInvalid,
    /// The content of an ID-only push could not be built.
    IdLoadedFetch,
}

/// The search engines' admin calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchError {
    /// The tantivy index (Mattermost's Bleve settings) is not this server's engine.
    BleveDisabled,
}

/// Bulk import and export files (`/imports`, `/exports`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkError {
    /// A file name with a folder in it, or a hidden one.
    InvalidName,
    NotFound,
}

/// Email: one-shot links (password reset, verification, invitations) and sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailError {
    ResetLinkInvalid,
    ResetTokenBroken,
    ResetLinkExpired,
    ResetSso,
    SendResetSso,
    VerifyLinkBad,
    VerifyTokenBroken,
    VerifyLinkExpired,
    InvitationsDisabled,
    InviteNoOne,
    /// The addresses the team's or the system's domain restriction refuses.
    InviteDomains(String),
    /// No such token (Mattermost's `GetTokenById`, a 404).
    SignupLinkNotFound,
    SignupLinkInvalid,
    SignupLinkExpired,
    SignupEmailMismatch,
    /// A guest invitation used by a member, or a member's by a guest.
    InvitationTypeMismatch,
    /// `POST /email/test` without an SMTP server.
    TestNoServer,
    /// A masked SMTP password for settings other than the saved ones.
    TestReenterPassword,
    /// The test email was refused or could not be delivered: the SMTP error.
    TestFailed(String),
}

/// Guest accounts: invitations, promotion and demotion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuestError {
    /// GuestAccountsSettings.Enable is off (invitations).
    InvitesDisabled,
    NoEmails,
    BadEmail(String),
    NoChannels,
    BadChannel(String),
    /// A channel of the invitation is not in the team.
    ChannelOutsideTeam,
    /// A guest invitation's link used while guest accounts are off.
    SignupDisabled,
    /// GuestAccountsSettings.AllowEmailAccounts is off: no email guest account is made.
    EmailAccountsDisabled,
    DemoteDisabled,
    PromoteNotGuest,
    DemoteAlreadyGuest,
}

/// Sign-up and joining through a team's invite id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignupError {
    InviteIdNotFound,
    /// The address is outside TeamSettings (or, for a guest, GuestAccountsSettings)
    /// RestrictCreationToDomains.
    AcceptedDomain,
    /// The address is outside the invite link's team's allowed domains.
    InviteDomains(String),
    /// Guests join teams by invitation only.
    GuestByInviteId,
    InviteMissingParameter,
    /// `GET /teams/invite/{id}` of a team that is not open.
    InviteInfoNotOpen,
}

/// Custom terms of service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermsError {
    NoTerms,
    NotAccepted,
    EmptyText,
    TextTooLong,
}

/// Sign-in through an OAuth 2.0 or OpenID Connect provider (`oauth_sign_in`). The causes
/// go to `detailed_error` and the log, never to the page the user sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OAuthError {
    /// The service is unknown or its section is off.
    Unsupported,
    /// `redirect_to` leaves the site.
    InvalidRedirect,
    /// The mobile flow's `redirect_to` is not one of `AppCustomURLSchemes`.
    InvalidUrlScheme,
    /// The state is unknown, used, expired, or not this browser's: why.
    InvalidState(String),
    /// The provider answered the sign-in with an error (the user declined): its code.
    Denied(String),
    /// The callback carries no code.
    MissingCode,
    /// Discovery, the token request or the keys failed: why.
    TokenFailed(String),
    /// The ID token failed a check (signature, issuer, audience, expiry, nonce): which.
    BadIdToken(String),
    /// The user API failed or answered with something else than a user: why.
    UserApi(String),
    /// The provider's user has no id.
    NoUserId,
    /// An account of another sign-in method has the email, and it may not be linked: that
    /// method ("email" for a password account).
    AlreadyAttached { service: String, auth: String },
    /// Bots do not sign in.
    Bot,
}

/// AD/LDAP: the directory, sign-in against it and its synchronisation (`ldap`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LdapError {
    /// Neither sign-in nor sync is on (`LdapSettings.Enable`, `EnableSync`).
    Disabled,
    /// An account that signs in through AD/LDAP while sign-in with it is off.
    LoginNotAvailable,
    /// The server could not be reached, or TLS failed: the cause.
    UnableToConnect(String),
    /// The bind account (`BindUsername`, `BindPassword`) was refused: the cause.
    BindAdmin(String),
    /// A search failed: the cause.
    Search(String),
    /// No directory entry (under `UserFilter`) has the account's id.
    UserNotRegistered,
    /// The entry exists but `UserFilter` no longer admits it.
    UserFiltered,
    /// The login id names several entries.
    MatchedTooMany,
    InvalidPassword,
    /// `LdapSettings.MaximumLoginAttempts` wrong passwords in a row.
    TooManyAttempts,
    /// The entry lacks an attribute an account needs, or its values make no valid account.
    CreateFail(String),
    /// `/users/migrate_auth/ldap` could not migrate every account (without `force`).
    MigrateFail(String),
    /// `/ldap/migrateid` refused before moving anything: the cause.
    IdMigrate(String),
    /// An uploaded client certificate or key that is not one: the cause.
    BadCertificate(String),
    SaveCertificate(String),
    RemoveCertificate(String),
}

/// SAML 2.0 sign-in and its administration (`saml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SamlError {
    /// `SamlSettings.Enable` is off: the sign-in routes.
    LoginNotAvailable,
    /// `SamlSettings.Enable` is off: the administration routes.
    NotAvailable,
    /// A certificate or key file is missing or unreadable: which one, and the cause.
    LoadIdpCert(String),
    LoadPublicCert(String),
    LoadPrivateKey(String),
    /// The AuthnRequest could not be made.
    BuildRequest(String),
    /// No `SAMLResponse` in the form.
    EmptyResponse,
    /// A `SAMLResponse` over the size limit.
    ResponseTooLong,
    /// A `RelayState` that is not what this server sends.
    InvalidState,
    /// The response's or assertion's signature is missing or does not verify.
    InvalidSignature(String),
    /// The assertion is expired or not yet valid.
    InvalidTime(String),
    /// The response was refused for the reason given (audience, destination, recipient,
    /// issuer, an unknown `InResponseTo`, a replayed assertion, a malformed response).
    Refused(String),
    /// An encrypted assertion could not be decrypted.
    Decrypt(String),
    /// `Encrypt` is on but the assertion came in the clear.
    NotEncrypted,
    /// A mapped attribute is missing or unusable.
    Attribute(String),
    /// A first SAML sign-in whose email or username another account has.
    EmailExists,
    UsernameExists,
    /// The SP metadata could not be built.
    Metadata(String),
    /// The IdP's metadata could not be fetched or read.
    MetadataFromIdp(String),
    /// An uploaded certificate request without its file.
    NoFile,
    /// The uploaded file is not a PEM certificate (or key).
    BadCertificate(String),
    SaveCertificate(String),
    RemoveCertificate(String),
    /// `/users/migrate_auth/saml` could not move the accounts.
    MigrateFail(String),
}

/// Permission schemes and channel moderation (`schemes`, `channel_moderation`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeError {
    NotFound,
    /// The scheme fails Mattermost's `IsValidForCreate` (name, display name, scope, …).
    Invalid,
    /// Another scheme has that name.
    NameTaken,
    /// `GET /schemes/{id}/teams` of a scheme that is not a team scheme.
    NotTeamScheme,
    /// `GET /schemes/{id}/channels` of a scheme that is not a channel scheme.
    NotChannelScheme,
    /// `PUT /teams/{id}/scheme` with a scheme that is not a team scheme.
    TeamSchemeScope,
    /// `PUT /channels/{id}/scheme` with a scheme that is not a channel scheme.
    ChannelSchemeScope,
    /// A moderation patch turns on a permission the team or system scheme withholds.
    ModerationRestricted,
}

/// Groups and their links to teams and channels (`groups`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupError {
    NotFound,
    /// `/ldap/groups/{remote_id}/link` for an id no directory group has.
    LdapGroupNotFound,
    /// Linking a group that does not come from AD/LDAP.
    NotLdap,
    SyncableNotFound,
    /// A mention name that `@all`, `@channel` or `@here` already are.
    ReservedName,
    /// A mention name that is a user's username.
    NameOfUser,
    /// A mention name another mentionable group has.
    NameTaken,
    InvalidName,
    /// Adding users who are in none of a group-constrained channel's groups: their ids.
    ChannelUserDenied(Vec<String>),
    /// A custom group call on a group of another source (`restore` answers 501).
    NotCustom {
        restore: bool,
    },
    /// A custom group that would not be mentionable.
    MustBeReferenceable,
    /// A custom group with a remote id.
    NoRemoteId,
    InvalidDisplayName,
    /// A new custom group named as a user is.
    UsernameConflict,
    /// A new custom group named as another group is.
    UniqueName,
    /// `ServiceSettings.EnableCustomGroups` is off.
    CustomGroupsDisabled,
}

/// Every service's failures; `From<Failure> for AppError` is the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    Team(TeamError),
    Channel(ChannelError),
    Post(PostError),
    Reaction(ReactionError),
    Thread(ThreadError),
    Emoji(EmojiError),
    Category(CategoryError),
    Draft(DraftError),
    ScheduledPost(ScheduledPostError),
    Bookmark(BookmarkError),
    Role(RoleError),
    User(UserError),
    Session(SessionError),
    Login(LoginError),
    Mfa(MfaError),
    Profile(ProfileError),
    Preference(PreferenceError),
    AccessToken(AccessTokenError),
    Status(StatusError),
    Acknowledgement(AcknowledgementError),
    File(FileError),
    Job(JobError),
    Search(SearchError),
    Bulk(BulkError),
    Retention(RetentionError),
    Compliance(ComplianceError),
    Email(EmailError),
    Push(PushError),
    Guest(GuestError),
    Signup(SignupError),
    Terms(TermsError),
    Ldap(LdapError),
    Saml(SamlError),
    OAuth(OAuthError),
    Group(GroupError),
    Scheme(SchemeError),
}

/// `From<$service> for AppError` through the table.
macro_rules! through_the_table {
    ($($error:ident => $variant:ident),* $(,)?) => {$(
        impl From<$error> for AppError {
            fn from(e: $error) -> Self {
                Failure::$variant(e).into()
            }
        }
    )*};
}

through_the_table!(
    TeamError => Team,
    ChannelError => Channel,
    PostError => Post,
    ReactionError => Reaction,
    ThreadError => Thread,
    EmojiError => Emoji,
    CategoryError => Category,
    DraftError => Draft,
    ScheduledPostError => ScheduledPost,
    BookmarkError => Bookmark,
    RoleError => Role,
    UserError => User,
    SessionError => Session,
    LoginError => Login,
    MfaError => Mfa,
    ProfileError => Profile,
    PreferenceError => Preference,
    AccessTokenError => AccessToken,
    StatusError => Status,
    AcknowledgementError => Acknowledgement,
    FileError => File,
    JobError => Job,
    SearchError => Search,
    BulkError => Bulk,
    RetentionError => Retention,
    ComplianceError => Compliance,
    EmailError => Email,
    PushError => Push,
    GuestError => Guest,
    SignupError => Signup,
    TermsError => Terms,
    LdapError => Ldap,
    SamlError => Saml,
    OAuthError => OAuth,
    GroupError => Group,
    SchemeError => Scheme,
);

impl From<Failure> for AppError {
    fn from(failure: Failure) -> Self {
        use AccessTokenError as A;
        use AcknowledgementError as Ack;
        use BookmarkError as B;
        use CategoryError as Ca;
        use ChannelError as C;
        use DraftError as D;
        use EmojiError as E;
        use Failure as F;
        use FileError as Fi;
        use LoginError as L;
        use PostError as P;
        use PreferenceError as Pf;
        use ProfileError as Pr;
        use ReactionError as Re;
        use RoleError as R;
        use ScheduledPostError as Sp;
        use SessionError as S;
        use StatusError as St;
        use TeamError as T;
        use ThreadError as Th;
        use UserError as U;
        match failure {
            F::Team(T::NotFound) => missing(
                "app.team.get.find.app_error",
                "Unable to find the existing team.",
            ),
            F::Team(T::NameNotFound) => missing(
                "app.team.get_by_name.missing.app_error",
                "Unable to find the existing team.",
            ),
            F::Team(T::MemberNotFound) => missing(
                "app.team.get_member.missing.app_error",
                "No team member found for that user ID and team ID.",
            ),
            F::Team(T::NameTaken) => bad(
                "app.team.save.existing.app_error",
                "A team with that name already exists.",
            ),
            F::Team(T::CreatorDomainNotAllowed) => bad(
                "api.team.is_team_creation_allowed.domain.app_error",
                DOMAIN_NOT_ALLOWED,
            ),
            F::Team(T::JoinerDomainNotAllowed) => bad(
                "api.team.join_user_to_team.allowed_domains.app_error",
                DOMAIN_NOT_ALLOWED,
            ),
            F::Team(T::FullOnRejoin) => bad(
                "app.team.join_user_to_team.max_accounts.app_error",
                TEAM_FULL,
            ),
            F::Team(T::FullOnJoin) => bad(
                "app.team.join_user_to_team.save_member.max_accounts.app_error",
                TEAM_FULL,
            ),
            F::Team(T::MemberExists) => bad(
                "app.team.join_user_to_team.save_member.conflict.app_error",
                "Unable to save the team member because it already exists.",
            ),
            F::Team(T::NotAMember) => bad(
                "api.team.remove_user_from_team.missing.app_error",
                "The user does not appear to be part of this team.",
            ),
            F::Team(T::DomainNotAllowed(domain)) => bad(
                "api.team.update_restricted_domains.mismatch.app_error",
                format!("Restricting team to {domain} is not allowed by the system admin."),
            ),
            F::Team(T::NotATeamRole) => bad(
                "api.channel.update_team_member_roles.scheme_role.app_error",
                "Only the team roles (team_user, team_admin, team_guest, team_post_all, \
                 team_post_all_public) can be given to a team member.",
            ),
            F::Team(T::GuestRoleChanged) => bad(
                "api.channel.update_team_member_roles.changing_guest_role.app_error",
                "Invalid team member update: You can't add or remove the guest role manually.",
            ),
            F::Team(T::GuestAndUser) => bad(
                "api.team.update_team_member_roles.guest_and_user.app_error",
                "Invalid team member update: A user must be a guest or a user but not both.",
            ),

            F::Team(T::GroupConstrainedDenied) => bad(
                "api.team.add_members.user_denied",
                "This team is managed by groups. The user is not a member of a group synced to it.",
            ),
            F::Team(T::MemberBodyInvalid) => bad(
                "api.team.add_team_member.invalid_body.app_error",
                "Unable to parse the team member from the request body.",
            ),
            F::Team(T::RemoveGroupConstrained) => bad(
                "api.team.remove_member.group_constrained.app_error",
                "Unable to remove a user from a group-constrained team.",
            ),
            F::Team(T::CreationDisabled) => AppError::forbidden(
                "api.team.is_team_creation_allowed.disabled.app_error",
                "Team creation has been disabled. Please ask your System Administrator for details.",
            ),
            F::Team(T::PermanentDeleteDisabled) => unauthorized(
                "api.user.delete_team.not_enabled.app_error",
                "Permanent team deletion feature is not enabled. Please contact your System \
                 Administrator.",
            ),
            F::Team(T::ListAllDenied) => AppError::forbidden(
                "api.team.get_all_teams.insufficient_permissions",
                "You don't have the appropriate permissions to list all teams.",
            ),
            F::Channel(C::NotFound) => missing(
                "app.channel.get.existing.app_error",
                "Unable to find the existing channel.",
            ),
            F::Channel(C::NameNotFound) => missing(
                "app.channel.get_by_name.missing.app_error",
                "Channel does not exist.",
            ),
            F::Channel(C::MemberNotFound) => missing(
                "app.channel.get_member.missing.app_error",
                "No channel member found for that user ID and channel ID.",
            ),
            F::Channel(C::NoneFound) => missing(
                "app.channel.get_channels.not_found.app_error",
                "No channels were found.",
            ),
            F::Channel(C::NoneFoundByIds) => missing(
                "app.channel.get_channels_by_ids.not_found.app_error",
                "No channel found.",
            ),
            F::Channel(C::NoneMarkedRead) => bad(
                "app.channel.update_last_viewed_at.app_error",
                "Unable to update the last viewed at time.",
            ),
            F::Channel(C::NameTakenByArchived) => bad(
                "store.sql_channel.save.archived_channel.app_error",
                "You can not create a channel with the same name as an archived channel.",
            ),
            F::Channel(C::NameTaken) => bad(
                "store.sql_channel.save_channel.exists.app_error",
                "A channel with that name already exists on the same team.",
            ),
            F::Channel(C::NameTakenOnUpdate) => bad(
                "store.sql_channel.update.exists.app_error",
                "A channel with that handle already exists.",
            ),
            F::Channel(C::DirectThroughCreate) => bad(
                "api.channel.create_channel.direct_channel.app_error",
                "Must use createDirectChannel API service for direct message channel creation.",
            ),
            F::Channel(C::NoTeamId) => bad(
                "app.channel.create_channel.no_team_id.app_error",
                "Must specify the team ID to create a channel.",
            ),
            F::Channel(C::TeamLimit(max)) => bad(
                "api.channel.create_channel.max_channel_limit.app_error",
                format!("Unable to create more than {max} channels for current team."),
            ),
            F::Channel(C::TeamLimitOnSave) => bad(
                "store.sql_channel.save_channel.limit.app_error",
                "You've reached the limit of the number of allowed channels.",
            ),
            F::Channel(C::LeftTeam) => bad(
                "api.channel.add_user.to.channel.failed.deleted.app_error",
                "Failed to add user to channel because they have been removed from the team.",
            ),
            F::Channel(C::CannotAddToType) => bad(
                "api.channel.add_user_to_channel.type.app_error",
                "Can not add user to this channel type.",
            ),
            F::Channel(C::AddToArchived) => bad(
                "api.channel.add_user_to_channel.deleted.app_error",
                "The channel has been archived or deleted.",
            ),
            F::Channel(C::RemoveFromDefault) => bad(
                "api.channel.remove.default.app_error",
                format!("Unable to remove user from the default channel {DEFAULT_CHANNEL_NAME}."),
            ),
            F::Channel(C::NotAChannelRole(role)) => bad(
                "api.channel.update_channel_member_roles.scheme_role.app_error",
                "Only the channel roles (channel_user, channel_admin, channel_guest) can be \
                 given to a channel member.",
            )
            .with_detail(format!("role_name={role}")),
            F::Channel(C::GuestRoleChanged) => bad(
                "api.channel.update_channel_member_roles.changing_guest_role.app_error",
                "Invalid channel member update: You can't add or remove the guest role manually.",
            ),
            F::Channel(C::GuestAndUser) => bad(
                "api.channel.update_channel_member_roles.guest_and_user.app_error",
                "Invalid channel member update: A user must be a guest or a user but not both.",
            ),
            F::Channel(C::DirectInvalidUser) => bad(
                "api.channel.create_direct_channel.invalid_user.app_error",
                "Invalid user ID for direct channel creation.",
            ),
            F::Channel(C::DirectNoSharedTeam) => AppError::forbidden(
                "api.channel.create_channel.direct_channel.team_restricted_error",
                "A direct channel can not be created between these users because they do not \
                 share a team.",
            ),
            F::Channel(C::GroupSize) => bad(
                "api.channel.create_group.bad_size.app_error",
                "Group message channels must contain at least 3 and no more than 8 users.",
            ),
            F::Channel(C::GroupUnknownUser) => bad(
                "api.channel.create_group.bad_user.app_error",
                "One of the provided users does not exist.",
            ),
            F::Channel(C::DefaultMadePrivate) => bad(
                "api.channel.update_channel_privacy.default_channel_error",
                "The default channel cannot be made private.",
            ),
            F::Channel(C::DeleteArchived) => bad(
                "api.channel.delete_channel.deleted.app_error",
                "The channel has been archived or deleted.",
            ),
            F::Channel(C::RemoveFromType) => bad(
                "api.channel.remove_channel_member.type.app_error",
                "Unable to remove user from a channel.",
            ),
            F::Channel(C::RemoveGroupConstrained) => bad(
                "api.channel.remove_member.group_constrained.app_error",
                "Unable to remove a user from a group-constrained channel.",
            ),
            F::Channel(C::UpdateForbidden) => AppError::forbidden(
                "api.channel.patch_update_channel.forbidden.app_error",
                "You do not have the appropriate permissions.",
            ),
            F::Channel(C::RenameDirectOrGroup) => bad(
                "api.channel.update_channel.update_direct_or_group_messages_not_allowed.app_error",
                "You cannot change the name, display name or purpose of direct or group \
                 message channels.",
            ),
            F::Channel(C::RenameDefault) => bad(
                "api.channel.update_channel.tried.app_error",
                format!(
                    "Tried to perform an invalid update of the default channel \
                     {DEFAULT_CHANNEL_NAME}."
                ),
            ),
            F::Channel(C::UpdateArchived) => bad(
                "api.channel.update_channel.deleted.app_error",
                "The channel has been archived or deleted.",
            ),
            F::Channel(C::TypeChange) => bad(
                "api.channel.update_channel.typechange.app_error",
                "Channel type cannot be updated.",
            ),
            F::Channel(C::DeleteDirectOrGroup) => bad(
                "api.channel.delete_channel.type.invalid",
                "Could not delete channel: direct and group message channels cannot be deleted.",
            ),
            F::Channel(C::PermanentDeleteDisabled { for_admin }) => unauthorized(
                if for_admin {
                    "api.user.delete_channel.not_enabled.for_admin.app_error"
                } else {
                    "api.user.delete_channel.not_enabled.app_error"
                },
                "Permanent channel deletion feature is not enabled. Please contact your System \
                 Administrator.",
            ),
            F::Channel(C::DeleteDefault) => bad(
                "api.channel.delete_channel.cannot.app_error",
                format!("Unable to delete the default channel {DEFAULT_CHANNEL_NAME}."),
            ),
            F::Channel(C::RestoreNotArchived) => bad(
                "api.channel.restore_channel.restored.app_error",
                "Unable to unarchive channel. The channel is not archived.",
            ),

            F::Post(P::NotFound) => missing("app.post.get.app_error", "Unable to get the post."),
            F::Post(P::SearchDisabled) => not_implemented(
                "store.sql_post.search.disabled",
                "Searching has been disabled on this server. Please contact your System \
                 Administrator.",
            ),
            F::Post(P::DeleteNotFound) => {
                missing("app.post.delete.app_error", "Unable to delete the post.")
            }
            F::Post(P::PriorityDisabled) => AppError::forbidden(
                "api.post.post_priority.priority_post_not_allowed_for_user.request_error",
                "Post priority is not enabled.",
            ),
            F::Post(P::PriorityOnReply) => bad(
                "api.post.post_priority.priority_post_only_allowed_for_root_post.request_error",
                "Only root posts can have a priority.",
            ),
            F::Post(P::ChannelArchived) => bad(
                "api.post.create_post.can_not_post_to_deleted.error",
                "Can not post to deleted channel.",
            ),
            F::Post(P::InvalidRootId) => bad(
                "api.post.create_post.root_id.app_error",
                "Invalid RootId parameter.",
            ),
            F::Post(P::RootInOtherChannel) => bad(
                "api.post.create_post.channel_root_id.app_error",
                "Invalid ChannelId for RootId parameter.",
            ),
            F::Post(P::MessageTooLong(length)) => bad(
                "model.post.is_valid.message_length.app_error",
                format!(
                    "Post Message property is longer than the maximum permitted length: \
                     {length} of {POST_MESSAGE_MAX_RUNES}."
                ),
            ),
            F::Post(P::InvalidType) => bad("model.post.is_valid.type.app_error", "Invalid type."),
            F::Post(P::InvalidFileIds) => bad(
                "model.post.is_valid.file_ids.app_error",
                "Invalid file ids.",
            ),
            F::Post(P::InvalidProps) => {
                bad("model.post.is_valid.props.app_error", "Invalid props.")
            }
            F::Post(P::PatchInArchived) => bad(
                "api.post.patch_post.can_not_update_post_in_deleted.error",
                "Can not update a post in an archived channel.",
            ),
            F::Post(P::UpdateSystemMessage) => bad(
                "api.post.update_post.system_message.app_error",
                "Unable to update system message.",
            ),
            F::Post(P::UpdateInArchived) => bad(
                "api.post.update_post.can_not_update_post_in_deleted.error",
                "Can not update a post in an archived channel.",
            ),
            F::Post(P::EditTimeLimit(limit)) => bad(
                "api.post.update_post.permissions_time_limit.app_error",
                format!("Post edit is only allowed for {limit} seconds."),
            ),
            F::Post(P::DeleteInArchived) => bad(
                "api.post.delete_post.can_not_delete_post_in_deleted.error",
                "Can not delete a post in an archived channel.",
            ),
            F::Post(P::PersistentNotUrgent) => bad(
                "api.post.post_priority.urgent_persistent_notification_post.request_error",
                "Persistent notifications can only be sent for urgent posts.",
            ),
            F::Post(P::NotAHistoryItem) => bad(
                "app.post.restore_post_version.not_an_history_item.app_error",
                "The version to restore is not an earlier version of this post.",
            ),
            F::Post(P::RestoreNotAllowed) => AppError::forbidden(
                "app.post.restore_post_version.not_allowed.app_error",
                "Only the author of a post may restore an earlier version of it.",
            ),
            F::Post(P::NotAValidHistoryItem) => bad(
                "app.post.restore_post_version.not_valid_post_history_item.app_error",
                "The version to restore is not an earlier version of a post.",
            ),
            F::Reaction(Re::Invalid) => bad(
                "api.reaction.save_reaction.invalid.app_error",
                "Reaction is not valid.",
            ),
            F::Reaction(Re::InvalidEmojiName) => {
                bad("model.reaction.is_valid.emoji_name.app_error", "Invalid emoji name.")
            }
            F::Reaction(Re::ForOtherUser) => AppError::forbidden(
                "api.reaction.save_reaction.user_id.app_error",
                "You are not allowed to save reaction for the other user.",
            ),
            F::Reaction(Re::SaveInArchived) => AppError::forbidden(
                "api.reaction.save.archived_channel.app_error",
                ARCHIVED_REACTION,
            ),
            F::Reaction(Re::DeleteInArchived) => AppError::forbidden(
                "api.reaction.delete.archived_channel.app_error",
                ARCHIVED_REACTION,
            ),
            F::Reaction(Re::UniqueLimit) => bad(
                "app.reaction.save.save.too_many_reactions",
                "Reaction limit has been reached for this post.",
            ),
            F::Thread(Th::MembershipNotFound) => missing(
                "app.user.get_thread_membership_for_user.not_found",
                "Unable to get the thread membership.",
            ),
            F::Thread(Th::NotFollowed) => missing(
                "app.user.get_threads_for_user.not_found",
                "Thread not found or not followed.",
            ),
            F::Thread(Th::BeforeAndAfter) => bad(
                "api.getThreadsForUser.bad_params",
                "Before and After parameters to getThreadsForUser are mutually exclusive",
            ),
            F::Thread(Th::TotalsAndThreadsOnly) => bad(
                "api.getThreadsForUser.bad_only_params",
                "OnlyThreads and OnlyTotals parameters to getThreadsForUser are mutually exclusive",
            ),
            F::Thread(Th::PostNotInThread) => bad(
                "app.user.update_thread_read_for_user_by_post.app_error",
                "Unable to update the thread's read state: the post is not in the thread.",
            ),

            F::Emoji(E::Disabled) => not_implemented(
                "api.emoji.disabled.app_error",
                "Custom emoji have been disabled by the system admin.",
            ),
            F::Emoji(E::DisabledInApp) => AppError::forbidden(
                "api.emoji.disabled.app_error",
                "Custom emoji have been disabled by the system admin.",
            ),
            F::Emoji(E::NoStorage) => AppError::forbidden(
                "api.emoji.storage.app_error",
                "File storage not configured properly. Please configure for either S3 or local \
                 server file storage.",
            ),
            F::Emoji(E::NotFound) => missing(
                "app.emoji.get.no_result",
                "Unable to find the emoji.",
            ),
            F::Emoji(E::NameNotFound) => missing(
                "app.emoji.get_by_name.no_result",
                "Unable to find the emoji.",
            ),
            F::Emoji(E::InvalidName) => bad(
                "model.emoji.name.app_error",
                "Name must be between 1 and 64 lowercase alphanumeric characters.",
            ),
            F::Emoji(E::SystemEmojiName) => bad(
                "model.emoji.system_emoji_name.app_error",
                "Name conflicts with an existing system emoji name.",
            ),
            F::Emoji(E::InvalidCreator) => bad(
                "model.emoji.user_id.app_error",
                "Invalid creator id.",
            ),
            F::Emoji(E::ForOtherUser) => AppError::forbidden(
                "api.emoji.create.other_user.app_error",
                "Invalid user id.",
            ),
            F::Emoji(E::NameTaken) => bad(
                "api.emoji.create.duplicate.app_error",
                "Unable to create emoji. Another emoji with the same name already exists.",
            ),
            F::Emoji(E::TooLarge) => AppError::new(
                413,
                "api.emoji.create.too_large.app_error",
                "Unable to create emoji. Image must be less than 512 KiB in size.",
            ),
            F::Emoji(E::Unparsable) => bad(
                "api.emoji.create.parse.app_error",
                "Unable to create emoji. Could not understand request.",
            ),
            F::Emoji(E::NotAnImage) => bad(
                "api.emoji.upload.image.app_error",
                "Unable to create emoji. File must be a PNG, JPEG, or GIF.",
            ),
            F::Emoji(E::ImageTooLarge) => bad(
                "api.emoji.upload.large_image.too_large.app_error",
                "Unable to create emoji. Image must be less than 1028 by 1028 pixels.",
            ),
            F::Emoji(E::GifUndecodable) => bad(
                "api.emoji.upload.large_image.gif_decode_error",
                "Unable to create emoji. An error occurred when trying to decode the GIF image.",
            ),
            F::Emoji(E::Undecodable) => bad(
                "api.emoji.upload.large_image.decode_error",
                "Unable to create emoji. An error occurred when trying to decode the image.",
            ),
            F::Emoji(E::TooManyNames) => bad(
                "api.emoji.get_multiple_by_name_too_many.request_error",
                "Unable to get that many emojis by name. Only 200 emojis can be requested at \
                 once.",
            ),
            F::Emoji(E::ImageMissing) => missing(
                "api.emoji.get_image.read.app_error",
                "Unable to read image file for emoji.",
            ),

            F::Category(Ca::NotFound) => missing(CATEGORIES, CATEGORIES_MESSAGE),
            F::Category(Ca::OrderMismatch | Ca::DeleteDefault) => bad(CATEGORIES, CATEGORIES_MESSAGE),

            F::Draft(D::Disabled) => not_implemented(
                "api.drafts.disabled.app_error",
                "Synced drafts are disabled on this server.",
            ),
            F::Draft(D::InArchivedChannel) => bad(
                "api.draft.create_draft.can_not_draft_to_deleted.error",
                "Cannot save a draft in an archived channel.",
            ),
            F::Draft(D::MessageTooLong(length)) => bad(
                "model.draft.is_valid.message_length.app_error",
                format!(
                    "Draft Message property is longer than the maximum permitted length: \
                     {length} of {POST_MESSAGE_MAX_RUNES}."
                ),
            ),
            F::Draft(D::InvalidChannelId) => bad(
                "model.draft.is_valid.channel_id.app_error",
                "Invalid channel id.",
            ),
            F::Draft(D::InvalidRootId) => {
                bad("model.draft.is_valid.root_id.app_error", "Invalid root id.")
            }
            F::Draft(D::InvalidFileIds) => {
                bad("model.draft.is_valid.file_ids.app_error", "Invalid file ids.")
            }
            F::Draft(D::InvalidProps) => bad("model.draft.is_valid.props.app_error", "Invalid props."),
            F::Draft(D::InvalidPriority) => {
                bad("model.draft.is_valid.priority.app_error", "Invalid priority.")
            }

            F::ScheduledPost(Sp::Disabled) => bad(
                "api.scheduled_posts.feature_disabled",
                "Scheduled posts are disabled on this server.",
            ),
            F::ScheduledPost(Sp::InArchivedChannel) => bad(
                "app.save_scheduled_post.channel_deleted.app_error",
                "Cannot schedule a post in an archived channel.",
            ),
            F::ScheduledPost(Sp::Empty) => bad(
                "model.scheduled_post.is_valid.empty_post.app_error",
                "A scheduled post needs a message or files.",
            ),
            F::ScheduledPost(Sp::InThePast) => bad(
                "model.scheduled_post.is_valid.scheduled_at.app_error",
                "The scheduled time is in the past.",
            ),
            F::ScheduledPost(Sp::UpdateNotFound) => missing(
                "app.update_scheduled_post.existing_scheduled_post.not_exist",
                SCHEDULED_POST_MISSING,
            ),
            F::ScheduledPost(Sp::DeleteNotFound) => missing(
                "app.delete_scheduled_post.existing_scheduled_post.not_exist",
                SCHEDULED_POST_MISSING,
            ),
            F::ScheduledPost(Sp::UpdateOthers) => AppError::forbidden(
                "app.update_scheduled_post.update_permission.error",
                OTHERS_SCHEDULED_POST,
            ),
            F::ScheduledPost(Sp::DeleteOthers) => AppError::forbidden(
                "app.delete_scheduled_post.delete_permission.error",
                OTHERS_SCHEDULED_POST,
            ),

            F::Bookmark(B::InArchivedChannel(op)) => AppError::forbidden(
                &format!("api.channel.bookmark.{}.deleted_channel.forbidden.app_error", op.name()),
                "The channel is archived.",
            ),
            F::Bookmark(B::NotDirectMember(op)) => AppError::forbidden(
                &format!(
                    "api.channel.bookmark.{}.direct_or_group_channels.forbidden.app_error",
                    op.name()
                ),
                "Only members of a direct or group message manage its bookmarks.",
            ),
            F::Bookmark(B::DirectByGuest(op)) => AppError::forbidden(
                &format!(
                    "api.channel.bookmark.{}.direct_or_group_channels_by_guests.forbidden.app_error",
                    op.name()
                ),
                "Guests cannot manage the bookmarks of direct or group messages.",
            ),
            F::Bookmark(B::UnsupportedChannel(op)) => AppError::forbidden(
                &format!("api.channel.bookmark.{}.forbidden.app_error", op.name()),
                "Bookmarks cannot be managed in this channel.",
            ),
            F::Bookmark(B::NotFound) => {
                missing("app.channel.bookmark.get.app_error", "Unable to get the bookmark.")
            }
            F::Bookmark(B::LimitReached) => bad(
                "app.channel.bookmark.save.app_error",
                format!(
                    "A channel can have at most {MAX_BOOKMARKS_PER_CHANNEL} bookmarks."
                ),
            ),
            F::Bookmark(B::FileUnavailable) => bad(
                "app.channel.bookmark.save.app_error",
                "File bookmarks need an uploaded file; this server has no file uploads yet.",
            ),
            F::Bookmark(B::SortOutOfRange) => missing(
                "app.channel.bookmark.update_sort.app_error",
                "Unable to move the bookmark to that position.",
            ),
            F::Bookmark(B::InvalidDisplayName) => bad(
                "model.channel_bookmark.is_valid.display_name.app_error",
                "A bookmark needs a display name.",
            ),
            F::Bookmark(B::InvalidType) => bad(
                "model.channel_bookmark.is_valid.type.app_error",
                "A bookmark is a link or a file.",
            ),
            F::Bookmark(B::InvalidLinkUrl) => bad(
                "model.channel_bookmark.is_valid.link_url.missing_or_invalid.app_error",
                "A link bookmark needs an http or https URL.",
            ),
            F::Bookmark(B::InvalidImageUrl) => bad(
                "model.channel_bookmark.is_valid.image_url.app_error",
                "The image URL must be an http or https URL.",
            ),
            F::Bookmark(B::InvalidFileId) => bad(
                "model.channel_bookmark.is_valid.file_id.missing_or_invalid.app_error",
                "A file bookmark needs a valid file id.",
            ),
            F::Bookmark(B::LinkAndFile) => bad(
                "model.channel_bookmark.is_valid.link_file.app_error",
                "A bookmark has an image URL or a file, not both.",
            ),
            F::Bookmark(B::EmojiTooLong) => bad(
                "model.channel_bookmark.is_valid.emoji.app_error",
                format!("The emoji may have at most {BOOKMARK_EMOJI_MAX_LENGTH} characters."),
            ),

            F::Role(R::NotFound) => missing("app.role.get.app_error", ROLE_NOT_FOUND),
            F::Role(R::NameNotFound) => missing("app.role.get_by_name.app_error", ROLE_NOT_FOUND),
            F::Role(R::UnknownMemberRole(name)) => {
                bad("app.role.get_by_name.app_error", ROLE_NOT_FOUND)
                    .with_detail(format!("role_name={name}"))
            }
            F::Role(R::TooManyNames(max)) => bad(
                "api.roles.get_multiple_by_name_too_many.request_error",
                format!("Unable to get more than {max} roles by name."),
            ),
            F::Role(R::UnpatchablePermission(permission)) => AppError::new(
                501,
                "api.roles.patch_roles.not_allowed_permission.error",
                "Unable to add or remove that permission.",
            )
            .with_detail(format!("Cannot add or remove permission: {permission}")),
            F::Role(R::UnknownPermission(permission)) => bad(
                "app.role.save.invalid_role.app_error",
                "The role was not valid.",
            )
            .with_detail(format!("unknown permission {permission:?}")),

            F::User(U::NotFound) => {
                missing("app.user.missing_account.const", "Unable to find the user.")
            }
            F::User(U::InvalidUsername) => bad(
                "model.user.is_valid.username.app_error",
                "Username must begin with a letter, and contain between 1 to 64 lowercase \
                 characters made up of numbers, letters, and the symbols '.', '-', and '_'.",
            ),
            F::User(U::InvalidEmail) => {
                bad("model.user.is_valid.email.app_error", "Invalid email.")
            }
            F::User(U::UsernameTaken) => bad(
                "app.user.save.username_exists.app_error",
                "An account with that username already exists.",
            ),
            F::User(U::EmailTaken) => bad(
                "app.user.save.email_exists.app_error",
                "An account with that email already exists.",
            ),
            F::User(U::CreationDisabled) => AppError::new(
                501,
                "api.user.create_user.disabled.app_error",
                "User creation is disabled.",
            ),
            F::User(U::EmailSignUpDisabled) => AppError::new(
                501,
                "api.user.create_user.signup_email_disabled.app_error",
                "User sign-up with email is disabled.",
            ),
            F::User(U::NotOpenServer) => AppError::forbidden(
                "api.user.create_user.no_open_server",
                "This server does not allow open signups. Please speak with your Administrator \
                 to receive an invitation.",
            ),

            F::User(U::UsernameNotFound) => missing(
                "app.user.get_by_username.app_error",
                "Unable to find an existing account matching your username for this team.",
            ),
            F::User(U::EmailLookupDenied) => AppError::forbidden(
                "api.user.get_user_by_email.permissions.app_error",
                "Unable to get user by email.",
            ),
            F::User(U::AutocompleteWithoutTeam) => bad(
                "api.user.autocomplete_users.missing_team_id.app_error",
                "Team id parameter is required to autocomplete by channel.",
            ),
            F::User(U::PictureStorageOff) => not_implemented(
                "api.user.upload_profile_user.storage.app_error",
                "Unable to upload file. Image storage is not configured.",
            ),
            F::User(U::PictureTooLarge) => bad(
                "api.user.upload_profile_user.too_large.app_error",
                "Unable to upload profile image. File is too large.",
            ),
            F::User(U::PictureNoFile) => bad(
                "api.user.upload_profile_user.no_file.app_error",
                "No file under 'image' in request.",
            ),
            F::User(U::PictureUndecodable) => bad(
                "api.user.upload_profile_user.decode.app_error",
                "Could not decode profile image.",
            ),

            F::Session(S::NotFound) => bad(
                "app.session.get.app_error",
                "We encountered an error finding the session.",
            ),

            F::Login(L::BlankPassword) => bad(
                "api.user.login.blank_pwd.app_error",
                "Password field must not be blank",
            ),
            F::Login(L::NoAccount) => bad(
                "store.sql_user.get_for_login.app_error",
                "We couldn't find an existing account matching your credentials.",
            ),
            F::Login(L::UseAuthService(service)) => bad(
                "api.user.login.use_auth_service.app_error",
                format!("Please sign in using {service}."),
            ),
            F::Login(L::BadMfaCode) => unauthorized(
                "api.user.check_user_mfa.bad_code.app_error",
                "Invalid MFA token.",
            ),
            F::Login(L::MfaTokenNeeded) => unauthorized(
                "mfa.validate_token.authenticate.app_error",
                "Error trying to authenticate MFA token.",
            ),
            F::Mfa(MfaError::Disabled) => not_implemented(
                "mfa.mfa_disabled.app_error",
                "Multi-factor authentication has been disabled on this server.",
            ),
            F::Mfa(MfaError::EmailAndLdapOnly) => bad(
                "api.user.activate_mfa.email_and_ldap_only.app_error",
                "MFA is not available for this account type.",
            ),
            F::Mfa(MfaError::BadActivationCode) => unauthorized(
                "mfa.activate.bad_token.app_error",
                "Invalid MFA token.",
            ),
            F::Mfa(MfaError::Required) => AppError::new(
                403,
                "api.context.mfa_required.app_error",
                "You are required to set up multi-factor authentication on this server.",
            ),
            F::Login(L::NotVerified) => unauthorized(
                "api.user.login.not_verified.app_error",
                "Login failed because email address has not been verified.",
            ),
            F::Login(L::Deactivated) => unauthorized(
                "api.user.login.inactive.app_error",
                "Login failed because your account has been deactivated. Please contact an \
                 administrator.",
            ),
            F::Login(L::Bot) => unauthorized(
                "api.user.login.bot_login_forbidden.app_error",
                "Bot login is forbidden.",
            ),
            F::Login(L::TooManyAttempts) => unauthorized(
                "api.user.check_user_login_attempts.too_many.app_error",
                "Your account is locked because of too many failed password attempts. Please \
                 reset your password.",
            ),
            F::Login(L::WrongPassword) => unauthorized(
                "api.user.check_user_password.invalid.app_error",
                "Login failed because of invalid password.",
            ),
            F::Login(L::ClientCertMissing) => bad(
                "api.user.login.client_side_cert.certificate.app_error",
                "Attempted to sign in using the experimental feature ClientSideCert without \
                 providing a valid certificate.",
            ),
            F::Login(L::ClientCertMismatch) => unauthorized(
                "api.user.login.client_side_cert.mismatch.app_error",
                "The client certificate belongs to another user.",
            ),
            F::Login(L::InvalidCredentials(SignInWith::Username)) => unauthorized(
                "api.user.login.invalid_credentials_username",
                "Enter a valid username and/or password.",
            ),
            F::Login(L::InvalidCredentials(SignInWith::Email)) => unauthorized(
                "api.user.login.invalid_credentials_email",
                "Enter a valid email and/or password.",
            ),
            F::Login(L::InvalidCredentials(SignInWith::EmailOrUsername)) => unauthorized(
                "api.user.login.invalid_credentials_email_username",
                "Enter a valid email or username and/or password.",
            ),

            F::Profile(Pr::PasswordOfAnother) => AppError::forbidden(
                "api.user.update_password.context.app_error",
                "Update password failed because context user_id did not match props user_id.",
            ),
            F::Profile(Pr::PasswordThroughOAuth) => bad(
                "api.user.update_password.oauth.app_error",
                "Update password failed because the user is logged in through an OAuth service.",
            ),
            F::Profile(Pr::CurrentPasswordIncorrect) => bad(
                "api.user.update_password.incorrect.app_error",
                "The \"Current Password\" you entered is incorrect. Please check that Caps \
                 Lock is off and try again.",
            ),
            F::Profile(Pr::DeactivateDenied) => AppError::forbidden(
                "api.user.update_active.permissions.app_error",
                "You do not have the appropriate permissions.",
            ),
            F::Profile(Pr::SelfDeactivationDisabled) => unauthorized(
                "api.user.update_active.not_enable.app_error",
                "You cannot deactivate yourself because this feature is not enabled. Please \
                 contact your System Administrator.",
            ),
            F::Profile(Pr::UnknownRole(role)) => bad(
                "app.role.check_roles_exist.role_not_found",
                "The provided role does not exist",
            )
            .with_detail(format!("role={role}")),
            F::Profile(Pr::LastAdmin) => bad(
                "app.user.update.lastAdmin.app_error",
                "You cannot remove the system admin role from the last system admin.",
            ),

            F::Preference(Pf::CategoryEmpty) => missing(
                "api.preference.preferences_category.get.app_error",
                "Unable to find preferences for the category.",
            ),
            F::Preference(Pf::NotFound) => bad(
                "app.preference.get.app_error",
                "Unable to find the preference.",
            ),
            F::Preference(Pf::SetForOther(user_id, owner)) => AppError::forbidden(
                "api.preference.update_preferences.set.app_error",
                OTHERS_PREFERENCES,
            )
            .with_detail(format!("userId={user_id}, preference.UserId={owner}")),
            F::Preference(Pf::DeleteForOther(user_id, owner)) => AppError::forbidden(
                "api.preference.delete_preferences.delete.app_error",
                OTHERS_PREFERENCES,
            )
            .with_detail(format!("userId={user_id}, preference.UserId={owner}")),

            F::AccessToken(A::Disabled) => AppError::new(
                501,
                "app.user_access_token.disabled",
                "Personal access tokens are disabled on this server. Please contact your system \
                 administrator for details.",
            ),
            F::AccessToken(A::DescriptionTooLong) => bad(
                "model.user_access_token.is_valid.description.app_error",
                "Invalid description, must be 255 or less characters",
            ),
            F::AccessToken(A::NotFound) => missing(
                "app.user_access_token.get_by_user.app_error",
                "Unable to get user access tokens by user.",
            ),

            F::Status(St::Disabled) => not_implemented(
                "api.status.disabled.app_error",
                "User statuses are disabled on this server.",
            ),
            F::Status(St::CustomDisabled) => not_implemented(
                "api.custom_status.disabled",
                "Custom statuses are disabled on this server.",
            ),
            F::Status(St::CustomTooLong) => bad(
                "api.custom_status.set_custom_statuses.update.app_error",
                "Failed to update the custom status: text may have at most 100 characters.",
            ),
            F::Status(St::RecentNotListed) => bad(
                "api.custom_status.recent_custom_statuses.delete.app_error",
                "Failed to delete the recent custom status: it is not in the list.",
            ),

            F::Acknowledgement(Ack::SaveInArchived) => AppError::forbidden(
                "api.acknowledgement.save.archived_channel.app_error",
                "You cannot acknowledge a post in an archived channel.",
            ),
            F::Acknowledgement(Ack::DeleteInArchived) => AppError::forbidden(
                "api.acknowledgement.delete.archived_channel.app_error",
                "You cannot remove an acknowledgement in an archived channel.",
            ),
            F::Acknowledgement(Ack::NotFound) => missing(
                "app.acknowledgement.get.app_error",
                "Unable to get the acknowledgement.",
            ),
            F::Acknowledgement(Ack::PastDeadline) => AppError::forbidden(
                "api.acknowledgement.delete.deadline.app_error",
                "You cannot remove an acknowledgement after 5 minutes have passed.",
            ),

            F::File(Fi::SearchDisabled) => not_implemented(
                "store.sql_file_info.search.disabled",
                "Searching files has been disabled on this server. Please contact your System \
                 Administrator.",
            ),
            F::File(Fi::AttachmentsDisabled) => AppError::forbidden(
                "api.file.attachments.disabled.app_error",
                ATTACHMENTS_DISABLED,
            ),
            F::File(Fi::UploadsDisabled) => {
                not_implemented("api.file.attachments.disabled.app_error", ATTACHMENTS_DISABLED)
            }
            F::File(Fi::NoStorage) => not_implemented(
                "api.file.upload_file.storage.app_error",
                "Unable to upload file. Image storage is not configured.",
            ),
            F::File(Fi::TooLarge { length, limit }) => AppError::new(
                413,
                "api.file.upload_file.too_large_detailed.app_error",
                format!(
                    "Unable to upload file. The file ({length} bytes) is larger than the \
                     maximum file size ({limit} bytes)."
                ),
            ),
            F::File(Fi::ReadRequest(detail)) => bad(
                "api.file.upload_file.read_request.app_error",
                "Unable to upload file(s). Error reading or parsing request data.",
            )
            .with_detail(detail),
            F::File(Fi::IncorrectNumberOfClientIds) => bad(
                "api.file.upload_file.incorrect_number_of_client_ids.app_error",
                "Unable to upload files: the number of client_ids does not match the number of \
                 files.",
            ),
            F::File(Fi::MultipleChannelIds) => bad(
                "api.file.upload_file.multiple_channel_ids.app_error",
                "Unable to upload file(s). Multiple conflicting channel_ids.",
            ),
            F::File(Fi::UnknownFormField(name)) => AppError::invalid_param(&name),
            F::File(Fi::DeletedChannel) => bad(
                "app.upload.create.cannot_upload_to_deleted_channel.app_error",
                "Cannot upload to a deleted channel.",
            ),
            F::File(Fi::InvalidName) => AppError::invalid_param("filename"),
            F::File(Fi::NotFound) => missing(
                "app.file_info.get.app_error",
                "Unable to get the file info.",
            ),
            F::File(Fi::Unreadable) => missing(
                "api.file.file_reader.app_error",
                "Unable to read the file.",
            ),
            F::File(Fi::NoThumbnail) => bad(
                "api.file.get_file_thumbnail.no_thumbnail.app_error",
                "File doesn't have a thumbnail image.",
            ),
            F::File(Fi::NoPreview) => bad(
                "api.file.get_file_preview.no_preview.app_error",
                "File doesn't have a preview image.",
            ),
            F::File(Fi::PublicLinkDisabled) => AppError::forbidden(
                "api.file.get_public_link.disabled.app_error",
                "Public links have been disabled.",
            ),
            F::File(Fi::PublicLinkNoPost) => bad(
                "api.file.get_public_link.no_post.app_error",
                "Unable to get public link for file. File must be attached to a post that can \
                 be read by the current user.",
            ),
            F::File(Fi::PublicLinkInvalid) => bad(
                "api.file.get_file.public_invalid.app_error",
                "The public link does not appear to be valid.",
            ),
            F::File(Fi::ImageTooLarge) => bad(
                "api.file.upload_file.large_image_detailed.app_error",
                "File above maximum dimensions could not be uploaded.",
            ),
            F::File(Fi::UploadImageTooLarge) => bad(
                "app.upload.upload_data.large_image.app_error",
                "File above maximum dimensions could not be uploaded.",
            ),
            F::File(Fi::UploadNotFound) => missing(
                "app.upload.get.app_error",
                "Failed to get upload.",
            ),
            F::File(Fi::UploadForbidden) => AppError::forbidden(
                "api.upload.get_upload.forbidden.app_error",
                "Failed to get upload.",
            ),
            F::File(Fi::UploadsOfOtherUser) => AppError::forbidden(
                "api.user.get_uploads_for_user.forbidden.app_error",
                "Failed to get uploads.",
            ),
            F::File(Fi::UploadTooLarge) => AppError::new(
                413,
                "api.upload.create.upload_too_large.app_error",
                "Unable to upload file. File is too large.",
            ),
            F::File(Fi::UploadIncorrectChannel) => bad(
                "app.upload.create.incorrect_channel_id.app_error",
                "Cannot upload to the specified channel.",
            ),
            F::File(Fi::UploadDeletedChannel) => bad(
                "app.upload.create.cannot_upload_to_deleted_channel.app_error",
                "Cannot upload to a deleted channel.",
            ),
            F::File(Fi::UploadInvalid(field)) => bad(
                &format!("model.upload_session.is_valid.{field}.app_error"),
                format!("Invalid value for {field}."),
            ),
            F::File(Fi::FirstPartTooSmall) => bad(
                "app.upload.upload_data.first_part_too_small.app_error",
                "Failed to upload data. First part must be at least 5242880 bytes.",
            ),
            F::File(Fi::UploadConcurrent) => bad(
                "app.upload.upload_data.concurrent.app_error",
                "Unable to upload data from more than one request.",
            ),
            F::File(Fi::InvalidContentLength) => bad(
                "api.upload.upload_data.invalid_content_length",
                "Invalid Content-Length.",
            ),
            F::File(Fi::InvalidContentType(detail)) => bad(
                "api.upload.upload_data.invalid_content_type",
                "Invalid Content-Type for multipart upload.",
            )
            .with_detail(detail),
            F::File(Fi::MultipartError(detail)) => bad(
                "api.upload.upload_data.multipart_error",
                "Failed to process multipart data.",
            )
            .with_detail(detail),
            F::File(Fi::S3Auth) => AppError::new(
                500,
                "api.file.test_connection_s3_auth.app_error",
                "Unable to connect to S3. Verify your Amazon S3 connection authorization \
                 parameters and authentication settings.",
            ),
            F::File(Fi::S3NoBucket) => AppError::new(
                500,
                "api.file.test_connection_s3_bucket_does_not_exist.app_error",
                "Ensure your Amazon S3 bucket is available, and verify your bucket permissions.",
            ),
            F::File(Fi::ConnectionFailed) => AppError::new(
                500,
                "api.file.test_connection.app_error",
                "Unable to access the file storage.",
            ),
            F::Job(JobError::NotFound) => missing("app.job.get.app_error", "Unable to get the job."),
            F::Job(JobError::NoWorker) => bad("model.job.is_valid.type.app_error", "Invalid job type."),
            F::Job(JobError::NotCancellable) => AppError::new(
                500,
                "jobs.request_cancellation.status.error",
                "Could not request cancellation for a job that is not in a cancelable state.",
            ),
            F::Job(JobError::UnreadableType) => bad(
                "api.job.retrieve.nopermissions",
                "Invalid job type: no permission reads jobs of this type.",
            ),
            F::Job(JobError::UncreatableType) => bad(
                "api.job.unable_to_create_job.incorrect_job_type",
                "The type of the job you are trying to create or cancel is invalid.",
            ),
            F::Job(JobError::InvalidStatus) => bad("api.job.status.invalid", "Invalid job status."),
            F::Job(JobError::DownloadDisabled) => AppError::new(
                501,
                "app.job.download_export_results_not_enabled",
                "DownloadExportResults in config.json is false. Please set this to true to download the results of this job.",
            ),
            F::Job(JobError::NotDownloadableType) => bad(
                "api.job.unable_to_download_job.incorrect_job_type",
                "The job type of the job you are trying to download is not currently supported.",
            ),
            F::Job(JobError::NotDownloadable) => bad(
                "api.job.unable_to_download_job",
                "Unable to download this job.",
            ),
            F::Job(JobError::DownloadMissing) => missing(
                "api.job.unable_to_download_job",
                "Unable to download this job.",
            ),
            F::Job(JobError::UnmanageableType) => bad(
                "api.job.unable_to_manage_job.incorrect_job_type",
                "The type of the job you are trying to manage is invalid.",
            ),
            F::Bulk(BulkError::InvalidName) => bad(
                "api.context.invalid_url_param.app_error",
                "Invalid or missing file name in request URL.",
            ),
            F::Bulk(BulkError::NotFound) => missing(
                "api.export.export_not_found.app_error",
                "The import or export file was not found.",
            ),
            F::Search(SearchError::BleveDisabled) => not_implemented(
                "searchengine.bleve.disabled.error",
                "This server does not search with its own index (Bleve settings): it uses \
                 PostgreSQL full text.",
            ),
            F::Profile(Pr::PermanentDeleteDisabled) => unauthorized(
                "api.user.delete_user.not_enabled.app_error",
                "Permanent user deletion feature is not enabled. Please contact your System \
                 Administrator.",
            ),
            F::Retention(RetentionError::PolicyNotFound) => missing(
                "app.data_retention.get_policy.app_error",
                "Unable to find the data retention policy.",
            ),
            F::Retention(RetentionError::InvalidDisplayName) => bad(
                "model.retention_policy.display_name.app_error",
                "A data retention policy needs a display name of at most 64 characters.",
            ),
            F::Retention(RetentionError::InvalidPostDuration) => bad(
                "model.retention_policy.post_duration.app_error",
                "A data retention policy needs a post duration: days, or -1 for ever.",
            ),
            F::Retention(RetentionError::NoSuchTeamOrChannel(id)) => bad(
                "app.data_retention.team_or_channel.not_found",
                format!("No team or channel has the id {id}."),
            ),
            F::Compliance(ComplianceError::Disabled) => not_implemented(
                "ent.compliance.licence_disable.app_error",
                "Compliance functionality disabled by current license.",
            ),
            F::Compliance(ComplianceError::NotFound) => AppError::new(
                500,
                "app.compliance.get.finding.app_error",
                "We encountered an error retrieving the compliance report.",
            ),
            F::Compliance(ComplianceError::FileMissing) => not_implemented(
                "api.file.read_file.reading_local.app_error",
                "Encountered an error reading from local server file storage.",
            ),
            F::Email(EmailError::ResetLinkInvalid) => bad(
                "api.user.reset_password.invalid_link.app_error",
                "The reset link provided is invalid.",
            ),
            F::Email(EmailError::ResetTokenBroken) => bad(
                "api.user.reset_password.broken_token.app_error",
                "The reset password token is invalid.",
            ),
            F::Email(EmailError::ResetLinkExpired) => bad(
                "api.user.reset_password.link_expired.app_error",
                "The password reset link has expired.",
            ),
            F::Email(EmailError::ResetSso) => bad(
                "api.user.reset_password.sso.app_error",
                "Cannot reset password for SSO accounts.",
            ),
            F::Email(EmailError::SendResetSso) => bad(
                "api.user.send_password_reset.sso.app_error",
                "Cannot reset password for SSO accounts.",
            ),
            F::Email(EmailError::VerifyLinkBad) => bad(
                "api.user.verify_email.bad_link.app_error",
                "Bad verify email link.",
            ),
            F::Email(EmailError::VerifyTokenBroken) => bad(
                "api.user.verify_email.broken_token.app_error",
                "Bad verify email token type.",
            ),
            F::Email(EmailError::VerifyLinkExpired) => bad(
                "api.user.verify_email.link_expired.app_error",
                "The email verification link has expired.",
            ),
            F::Email(EmailError::InvitationsDisabled) => not_implemented(
                "api.team.invite_members.disabled.app_error",
                "Email invitations are disabled.",
            ),
            F::Email(EmailError::InviteNoOne) => bad(
                "api.team.invite_members.no_one.app_error",
                "No one to invite.",
            ),
            F::Email(EmailError::InviteDomains(addresses)) => bad(
                "api.team.invite_members.invalid_email.app_error",
                format!(
                    "The following email addresses do not belong to an accepted domain: \
                     {addresses}. Please contact your System Administrator for details."
                ),
            ),
            F::Email(EmailError::SignupLinkNotFound) => missing(
                "api.user.create_user.signup_link_invalid.app_error",
                "The signup link does not appear to be valid.",
            ),
            F::Email(EmailError::SignupLinkInvalid) => bad(
                "api.user.create_user.signup_link_invalid.app_error",
                "The signup link does not appear to be valid.",
            ),
            F::Email(EmailError::SignupLinkExpired) => bad(
                "api.user.create_user.signup_link_expired.app_error",
                "The signup link has expired.",
            ),
            F::Email(EmailError::SignupEmailMismatch) => bad(
                "api.user.create_user.bad_token_email_data.app_error",
                "Email address in token does not match user data.",
            ),
            F::Email(EmailError::InvitationTypeMismatch) => bad(
                "api.user.create_user.invalid_invitation_type.app_error",
                "Invalid invitation type.",
            ),
            F::Email(EmailError::TestNoServer) => bad(
                "api.admin.test_email.missing_server",
                "SMTP Server is required",
            ),
            F::Email(EmailError::TestReenterPassword) => bad(
                "api.admin.test_email.reenter_password",
                "The SMTP server, port, or username has changed. Please re-enter the SMTP \
                 password to test connection.",
            ),
            F::Email(EmailError::TestFailed(cause)) => AppError::new(
                500,
                "app.admin.test_email.failure",
                format!("Connection unsuccessful: {cause}"),
            ),
            F::Push(PushError::Disabled) => not_implemented(
                "api.push_notification.disabled.app_error",
                "Push Notifications are disabled on this server.",
            ),
            F::Push(PushError::AckInvalid) => bad(
                "api.push_notifications_ack.message.parse.app_error",
                "An error occurred building the push notification ack message.",
            ),
            F::Push(PushError::IdLoadedFetch) => AppError::new(
                500,
                "api.push_notification.id_loaded.fetch.app_error",
                "An error occurred fetching the ID-loaded push notification.",
            ),
            F::Guest(g) => guest_failure(g),
            F::Signup(e) => signup_failure(e),
            F::Terms(e) => terms_failure(e),
            F::Group(GroupError::NotFound) => missing(
                "app.group.no_rows",
                "No matching group found.",
            ),
            F::Group(GroupError::LdapGroupNotFound) => missing(
                "api.ldap_group.not_found",
                "ldap group not found",
            ),
            F::Group(GroupError::NotLdap) => bad(
                "app.group.crud_permission",
                "Unable to perform operation for that source type.",
            ),
            F::Group(GroupError::SyncableNotFound) => missing(
                "app.group.no_rows",
                "No matching group syncable found.",
            ),
            F::Group(GroupError::ReservedName) => bad(
                "api.ldap_groups.existing_reserved_name_error",
                "The group name is a reserved name.",
            ),
            F::Group(GroupError::NameOfUser) => bad(
                "api.ldap_groups.existing_user_name_error",
                "A user already has this name.",
            ),
            F::Group(GroupError::NameTaken) => bad(
                "api.ldap_groups.existing_group_name_error",
                "A group already has this name.",
            ),
            F::Group(GroupError::InvalidName) => bad(
                "model.group.name.app_error",
                "Invalid name property for group.",
            ),
            F::Group(GroupError::ChannelUserDenied(ids)) => bad(
                "api.channel.add_members.user_denied",
                "This channel is managed by groups. The users are not members of a group synced \
                 to it.",
            )
            .with_detail(format!("user_ids={}", ids.join(","))),
            F::Group(GroupError::NotCustom { restore }) => AppError::new(
                if restore { 501 } else { 400 },
                "app.group.crud_permission",
                "Unable to perform operation for that source type.",
            ),
            F::Group(GroupError::MustBeReferenceable) => bad(
                "api.custom_groups.must_be_referenceable",
                "Custom groups must be mentionable.",
            ),
            F::Group(GroupError::NoRemoteId) => bad(
                "api.custom_groups.no_remote_id",
                "A custom group cannot have a remote id.",
            ),
            F::Group(GroupError::InvalidDisplayName) => bad(
                "model.group.display_name.app_error",
                "Invalid display name property for group.",
            ),
            F::Group(GroupError::UsernameConflict) => bad(
                "app.group.username_conflict",
                "A user with that username already exists.",
            ),
            F::Group(GroupError::UniqueName) => bad(
                "app.custom_group.unique_name",
                "The group name is not unique.",
            ),
            F::Group(GroupError::CustomGroupsDisabled) => bad(
                "api.custom_groups.feature_disabled",
                "User groups are disabled.",
            ),
            F::Scheme(SchemeError::NotFound) => {
                missing("app.scheme.get.app_error", "Unable to get the scheme.")
            }
            F::Scheme(SchemeError::Invalid) => bad(
                "app.scheme.save.invalid_scheme.app_error",
                "The provided scheme is invalid.",
            ),
            F::Scheme(SchemeError::NameTaken) => bad(
                "app.scheme.save.app_error",
                "Unable to save the scheme: a scheme with that name already exists.",
            ),
            F::Scheme(SchemeError::NotTeamScheme) => bad(
                "api.scheme.get_teams_for_scheme.scope.error",
                "Unable to get the teams for scheme because the supplied scheme is not a team \
                 scheme.",
            ),
            F::Scheme(SchemeError::NotChannelScheme) => bad(
                "api.scheme.get_channels_for_scheme.scope.error",
                "Unable to get the channels for scheme because the supplied scheme is not a \
                 channel scheme.",
            ),
            F::Scheme(SchemeError::TeamSchemeScope) => bad(
                "api.team.update_team_scheme.scheme_scope.error",
                "Unable to set the scheme to the team because the supplied scheme is not a team \
                 scheme.",
            ),
            F::Scheme(SchemeError::ChannelSchemeScope) => bad(
                "api.channel.update_channel_scheme.scheme_scope.error",
                "Unable to set the scheme to the channel because the supplied scheme is not a \
                 channel scheme.",
            ),
            // Mattermost answers this one with an AppError that has a message and no id.
            F::Scheme(SchemeError::ModerationRestricted) => bad(
                "api.channel.patch_channel_moderations.restricted_permission",
                "Cannot add a permission that is restricted by the team or system permission \
                 scheme",
            ),
            F::Ldap(LdapError::Disabled) => not_implemented(
                "ent.ldap.disabled.app_error",
                "AD/LDAP disabled or licence does not support AD/LDAP.",
            ),
            F::Ldap(LdapError::LoginNotAvailable) => not_implemented(
                "api.user.login_ldap.not_available.app_error",
                "AD/LDAP not available on this server.",
            ),
            F::Ldap(LdapError::UnableToConnect(cause)) => AppError::new(
                500,
                "ent.ldap.do_login.unable_to_connect.app_error",
                "Unable to connect to AD/LDAP server.",
            )
            .with_detail(cause),
            F::Ldap(LdapError::BindAdmin(cause)) => AppError::new(
                500,
                "ent.ldap.do_login.bind_admin_user.app_error",
                "Unable to bind to AD/LDAP server. Check BindUsername and BindPassword.",
            )
            .with_detail(cause),
            F::Ldap(LdapError::Search(cause)) => AppError::new(
                500,
                "ent.ldap.do_login.search_ldap_server.app_error",
                "Failed to search AD/LDAP server.",
            )
            .with_detail(cause),
            F::Ldap(LdapError::UserNotRegistered) => unauthorized(
                "ent.ldap.do_login.user_not_registered.app_error",
                "User not registered on AD/LDAP server.",
            ),
            F::Ldap(LdapError::UserFiltered) => unauthorized(
                "ent.ldap.do_login.user_filtered.app_error",
                "Your AD/LDAP account does not have permission to use this server. Please ask \
                 your System Administrator to check the AD/LDAP user filter.",
            ),
            F::Ldap(LdapError::MatchedTooMany) => unauthorized(
                "ent.ldap.do_login.matched_to_many_users.app_error",
                "User name given matches multiple users.",
            ),
            F::Ldap(LdapError::InvalidPassword) => unauthorized(
                "ent.ldap.do_login.invalid_password.app_error",
                "Invalid Password.",
            ),
            F::Ldap(LdapError::TooManyAttempts) => unauthorized(
                "api.user.check_user_login_attempts.too_many_ldap.app_error",
                "Your account is locked because of too many failed password attempts. Please \
                 contact your System Administrator.",
            ),
            F::Ldap(LdapError::CreateFail(cause)) => AppError::new(
                500,
                "ent.ldap.create_fail",
                "Unable to create LDAP user.",
            )
            .with_detail(cause),
            F::Ldap(LdapError::BadCertificate(cause)) => bad(
                "api.admin.ldap.certificate.invalid.app_error",
                "The file is not a PEM certificate or private key.",
            )
            .with_detail(cause),
            F::Ldap(LdapError::SaveCertificate(cause)) => AppError::new(
                500,
                "api.admin.add_certificate.saving.app_error",
                "Could not save certificate file.",
            )
            .with_detail(cause),
            F::Ldap(LdapError::RemoveCertificate(cause)) => AppError::new(
                500,
                "api.admin.remove_certificate.delete.app_error",
                "An error occurred while deleting the certificate.",
            )
            .with_detail(cause),
            F::Ldap(LdapError::IdMigrate(cause)) => bad(
                "ent.ldap_id_migrate.app_error",
                "Unable to migrate the AD/LDAP id attribute.",
            )
            .with_detail(cause),
            F::Ldap(LdapError::MigrateFail(cause)) => AppError::new(
                500,
                "api.migrate_to_saml.error",
                "Unable to migrate the accounts to AD/LDAP.",
            )
            .with_detail(cause),
            F::Saml(e) => saml_failure(e),
            F::OAuth(e) => oauth_failure(e),
        }
    }
}

fn saml_failure(e: SamlError) -> AppError {
    use SamlError as S;
    let not_configured = "SAML 2.0 is not configured or supported on this server.";
    match e {
        S::LoginNotAvailable => not_implemented("api.user.saml.not_available.app_error", not_configured),
        S::NotAvailable => not_implemented("api.admin.saml.not_available.app_error", not_configured),
        S::LoadIdpCert(cause) => AppError::new(
            500,
            "ent.saml.configure.load_idp_cert.app_error",
            "Identity Provider Public Certificate File was not found. Please contact your System Administrator.",
        )
        .with_detail(cause),
        S::LoadPublicCert(cause) => AppError::new(
            500,
            "ent.saml.configure.load_public_cert.app_error",
            "Service Provider Public Certificate File was not found. Please contact your System Administrator.",
        )
        .with_detail(cause),
        S::LoadPrivateKey(cause) => AppError::new(
            500,
            "ent.saml.configure.load_private_key.app_error",
            "SAML login was unsuccessful because the Service Provider Private Key was not found. Please contact your System Administrator.",
        )
        .with_detail(cause),
        S::BuildRequest(cause) => AppError::new(
            500,
            "ent.saml.build_request.app_error",
            "An error occurred while initiating the request to the Identity Provider. Please contact your System Administrator.",
        )
        .with_detail(cause),
        S::EmptyResponse => bad(
            "ent.saml.do_login.empty_response.app_error",
            "We received an empty response from the Identity Provider.",
        ),
        S::ResponseTooLong => bad(
            "api.user.authorize_oauth_user.saml_response_too_long.app_error",
            "SAML response is too long.",
        ),
        S::InvalidState => bad(
            "api.user.authorize_oauth_user.invalid_state.app_error",
            "Invalid state.",
        ),
        S::InvalidSignature(cause) => bad(
            "ent.saml.do_login.invalid_signature.app_error",
            "We received an invalid signature in the response from the Identity Provider. Please contact your System Administrator.",
        )
        .with_detail(cause),
        S::InvalidTime(cause) => bad(
            "ent.saml.do_login.invalid_time.app_error",
            "We received an invalid time in the response from the Identity Provider. Please contact your System Administrator.",
        )
        .with_detail(cause),
        S::Refused(cause) => bad(
            "ent.saml.do_login.parse.app_error",
            "An error occurred while parsing the response from the Identity Provider. Please contact your System Administrator.",
        )
        .with_detail(cause),
        S::Decrypt(cause) => bad(
            "ent.saml.do_login.decrypt.app_error",
            "SAML login was unsuccessful because an error occurred while decrypting the response from the Identity Provider. Please contact your System Administrator.",
        )
        .with_detail(cause),
        S::NotEncrypted => bad(
            "ent.saml.configure.not_encrypted_response.app_error",
            "SAML login was unsuccessful because the Identity Provider response is not encrypted. Please contact your System Administrator.",
        ),
        S::Attribute(cause) => bad(
            "ent.saml.attribute.app_error",
            "SAML login was unsuccessful because one of the attributes is incorrect. Please contact your System Administrator.",
        )
        .with_detail(cause),
        S::EmailExists => bad(
            "ent.saml.save_user.email_exists.saml_app_error",
            "This account does not use SAML authentication. Please sign in using email and password.",
        ),
        S::UsernameExists => bad(
            "ent.saml.save_user.username_exists.saml_app_error",
            "An account with that username already exists. Please contact your Administrator.",
        ),
        S::Metadata(cause) => AppError::new(
            500,
            "api.admin.saml.metadata.app_error",
            "An error occurred while building Service Provider Metadata.",
        )
        .with_detail(cause),
        S::MetadataFromIdp(cause) => bad(
            "api.admin.saml.failure_get_metadata_from_idp.app_error",
            "Failed to obtain metadata from Identity Provider URL.",
        )
        .with_detail(cause),
        S::NoFile => bad(
            "api.admin.add_certificate.no_file.app_error",
            "No file under 'certificate' in request.",
        ),
        S::BadCertificate(cause) => bad(
            "api.admin.saml.failure_parse_idp_certificate.app_error",
            "Failure encountered while parsing the certificate.",
        )
        .with_detail(cause),
        S::SaveCertificate(cause) => AppError::new(
            500,
            "api.admin.add_certificate.saving.app_error",
            "Could not save certificate file.",
        )
        .with_detail(cause),
        S::RemoveCertificate(cause) => AppError::new(
            500,
            "api.admin.remove_certificate.delete.app_error",
            "An error occurred while deleting the certificate.",
        )
        .with_detail(cause),
        S::MigrateFail(cause) => AppError::new(
            500,
            "api.migrate_to_saml.error",
            "Unable to migrate SAML.",
        )
        .with_detail(cause),
    }
}

fn guest_failure(e: GuestError) -> AppError {
    use GuestError as G;
    match e {
        G::InvitesDisabled => not_implemented(
            "api.team.invite_guests_to_channels.disabled.error",
            "Guest accounts are disabled.",
        ),
        G::NoEmails => bad(
            "model.guest.is_valid.emails.app_error",
            "Invalid emails: at least one is required.",
        ),
        G::BadEmail(email) => bad(
            "model.guest.is_valid.email.app_error",
            format!("Invalid email: {email}"),
        ),
        G::NoChannels => bad(
            "model.guest.is_valid.channels.app_error",
            "Invalid channels: at least one is required.",
        ),
        G::BadChannel(channel) => bad(
            "model.guest.is_valid.channel.app_error",
            format!("Invalid channel: {channel}"),
        ),
        G::ChannelOutsideTeam => bad(
            "api.team.invite_guests.channel_in_invalid_team.app_error",
            "The channels of the invitation must be part of the team of the invitation.",
        ),
        G::SignupDisabled => bad(
            "api.user.create_user.guest_accounts.disabled.app_error",
            "Guest accounts are disabled.",
        ),
        G::EmailAccountsDisabled => bad(
            "api.user.create_user.guest_accounts.email_disabled.app_error",
            "Guest accounts with email and password are disabled.",
        ),
        G::DemoteDisabled => not_implemented(
            "api.team.demote_user_to_guest.disabled.error",
            "Guest accounts are disabled.",
        ),
        G::PromoteNotGuest => not_implemented(
            "api.user.promote_guest_to_user.no_guest.app_error",
            "Unable to convert a regular user into a regular user.",
        ),
        G::DemoteAlreadyGuest => not_implemented(
            "api.user.demote_user_to_guest.already_guest.app_error",
            "Unable to convert a guest into a guest.",
        ),
    }
}

fn signup_failure(e: SignupError) -> AppError {
    use SignupError as S;
    match e {
        S::InviteIdNotFound => missing(
            "app.team.get_by_invite_id.finding.app_error",
            "Unable to find the existing team.",
        ),
        S::AcceptedDomain => bad(
            "api.user.create_user.accepted_domain.app_error",
            "The email you provided does not belong to an accepted domain. Please contact \
             your administrator or sign up with a different email.",
        ),
        S::InviteDomains(domains) => AppError::forbidden(
            "api.team.invite_members.invalid_email.app_error",
            format!(
                "The following email addresses do not belong to an accepted domain: \
                 {domains}. Please contact your System Administrator for details."
            ),
        ),
        S::GuestByInviteId => AppError::forbidden(
            "api.team.add_user_to_team_from_invite.guest.app_error",
            "Guests are restricted from joining teams via invite link.",
        ),
        S::InviteMissingParameter => bad(
            "api.team.add_user_to_team.missing_parameter.app_error",
            "Parameter required to add user to team.",
        ),
        S::InviteInfoNotOpen => AppError::forbidden(
            "api.team.get_invite_info.not_open_team",
            "Invite is invalid because this is not an open team.",
        ),
    }
}

fn terms_failure(e: TermsError) -> AppError {
    use TermsError as T;
    match e {
        T::NoTerms => missing(
            "app.terms_of_service.get.no_rows.app_error",
            "No terms of service found.",
        ),
        T::NotAccepted => missing(
            "app.user_terms_of_service.get_by_user.no_rows.app_error",
            "No terms of service found.",
        ),
        T::EmptyText => bad(
            "api.create_terms_of_service.empty_text.app_error",
            "Please enter text for your Custom Terms of Service.",
        ),
        T::TextTooLong => bad(
            "model.terms_of_service.is_valid.text.app_error",
            "Invalid terms of service text.",
        ),
    }
}

fn oauth_failure(e: OAuthError) -> AppError {
    use OAuthError as O;
    let failed =
        |id: &str, message: &str, cause: String| AppError::new(500, id, message).with_detail(cause);
    match e {
        O::Unsupported => not_implemented(
            "api.user.get_authorization_code.unsupported.app_error",
            "Unsupported OAuth service provider",
        ),
        O::InvalidRedirect => bad(
            "api.invalid_redirect_url",
            "The provided redirect URL is invalid",
        ),
        O::InvalidUrlScheme => bad(
            "api.invalid_custom_url_scheme",
            "The provided redirect URL uses an invalid custom URL scheme",
        ),
        O::InvalidState(cause) => bad(
            "api.user.authorize_oauth_user.invalid_state.app_error",
            "Invalid state",
        )
        .with_detail(cause),
        O::Denied(code) => AppError::new(
            403,
            "oauth_access_denied",
            "You must authorize Mattermost to log in with the provider.",
        )
        .with_detail(code),
        O::MissingCode => bad(
            "oauth_missing_code",
            "The service provider did not provide an authorization code in the redirect URL.",
        ),
        O::TokenFailed(cause) => failed(
            "api.user.authorize_oauth_user.token_failed.app_error",
            "Token request failed.",
            cause,
        ),
        O::BadIdToken(cause) => AppError::new(
            401,
            "api.user.authorize_oauth_user.bad_token.app_error",
            "The sign-in token from the provider is invalid.",
        )
        .with_detail(cause),
        O::UserApi(cause) => failed(
            "api.user.authorize_oauth_user.service.app_error",
            "Token request to the service provider failed.",
            cause,
        ),
        O::NoUserId => bad(
            "api.user.login_by_oauth.parse.app_error",
            "Could not parse auth data out of the user object.",
        ),
        O::AlreadyAttached { service, auth } => bad(
            "api.user.create_oauth_user.already_attached.app_error",
            format!(
                "There is already an account associated with that email address using a sign \
                 in method other than {service}. Please sign in using {auth}."
            ),
        ),
        O::Bot => AppError::new(
            403,
            "api.user.login_by_oauth.bot_login_forbidden.app_error",
            "Bot login is forbidden.",
        ),
    }
}

fn not_implemented(id: &str, message: &str) -> AppError {
    AppError::new(501, id, message)
}

fn bad(id: &str, message: impl Into<String>) -> AppError {
    AppError::bad_request(id, message)
}

fn missing(id: &str, message: &str) -> AppError {
    AppError::not_found(id, message)
}

fn unauthorized(id: &str, message: &str) -> AppError {
    AppError::new(401, id, message)
}

const DOMAIN_NOT_ALLOWED: &str = "Email must be from a specific domain (e.g. @example.com). \
     Please ask your System Administrator for details.";
const TEAM_FULL: &str = "This team has reached the maximum number of allowed accounts. \
     Contact your System Administrator to set a higher limit.";
const OTHERS_PREFERENCES: &str = "Unable to change the preferences of another user.";
const ARCHIVED_REACTION: &str = "You cannot react in an archived channel.";
const ROLE_NOT_FOUND: &str = "Unable to get role.";
const CATEGORIES: &str = "app.channel.sidebar_categories.app_error";
const CATEGORIES_MESSAGE: &str = "Failed to save record to database.";
const SCHEDULED_POST_MISSING: &str = "The scheduled post does not exist.";
const OTHERS_SCHEDULED_POST: &str = "You cannot change another user's scheduled post.";
const ATTACHMENTS_DISABLED: &str = "File attachments have been disabled on this server.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_member_role_is_the_lookup_error_as_a_400() {
        let lookup = AppError::from(RoleError::NameNotFound);
        let member = AppError::from(RoleError::UnknownMemberRole("nope".into()));
        assert_eq!(
            (lookup.id.as_str(), lookup.status_code),
            ("app.role.get_by_name.app_error", 404)
        );
        assert_eq!(
            (member.id.as_str(), member.status_code),
            ("app.role.get_by_name.app_error", 400)
        );
        assert_eq!(lookup.message, member.message);
        assert_eq!(member.detailed_error, "role_name=nope");
    }
}
