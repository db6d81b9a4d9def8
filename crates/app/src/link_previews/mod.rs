//! Link previews (Mattermost's `app/post_metadata.go`).
