//! A fresh migrated database per test, on SQLite and on PostgreSQL, and the rows most tests
//! start from. The store cannot use `utmost-testkit` (testkit depends on the store through
//! the app), so the few lines that create a PostgreSQL database live here too.

use std::path::PathBuf;
use std::time::Duration;
use utmost_model::channel::{Channel, ChannelMember, CHANNEL_OPEN};
use utmost_model::new_id;
use utmost_model::post::Post;
use utmost_model::team::{Team, TeamMember};
use utmost_model::user::User;
use utmost_store::{channels, posts, teams, users, Store, StoreOptions};

/// Writes each listed `async fn name(store: &Store)` as two tests, `name::sqlite` and
/// `name::postgres`, each on a database of its own. The PostgreSQL variant needs
/// `TEST_DATABASE_URL`, which `scripts/test` (and so CI) always sets; without it the variant
/// says so and passes, as every dual-database test of the workspace does.
macro_rules! on_both_databases {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let db = $crate::support::TestDb::sqlite().await;
                super::$name(&db.store).await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(db) = $crate::support::TestDb::postgres().await else {
                    eprintln!("skipping the PostgreSQL variant: TEST_DATABASE_URL is unset");
                    return;
                };
                super::$name(&db.store).await;
            }
        }
    )+};
}
pub(crate) use on_both_databases;

/// A migrated store that removes its database when dropped (also when the test panics).
pub struct TestDb {
    pub store: Store,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(PathBuf),
    PgDatabase { admin_url: String, name: String },
}

impl TestDb {
    pub async fn sqlite() -> Self {
        let dir = std::env::temp_dir().join(format!("utmost-store-test-{}", new_id()));
        let data_source = dir.join("store.db").display().to_string();
        let store = open("sqlite", data_source).await;
        TestDb {
            store,
            cleanup: Cleanup::Dir(dir),
        }
    }

    /// A fresh database on the server of `TEST_DATABASE_URL`, or None when it is unset.
    pub async fn postgres() -> Option<Self> {
        let admin_url = std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())?;
        // `utmost_test_` lets CI drop what an interrupted run left behind.
        let name = format!("utmost_test_{}", new_id());
        let admin = sqlx::PgPool::connect(&admin_url)
            .await
            .expect("connect to TEST_DATABASE_URL");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .expect("create the test database");
        admin.close().await;
        let store = open("postgres", database_url(&admin_url, &name)).await;
        Some(TestDb {
            store,
            cleanup: Cleanup::PgDatabase { admin_url, name },
        })
    }
}

impl TestDb {
    /// The URL of this PostgreSQL database, for a test that needs a connection of its own.
    pub fn postgres_url(&self) -> Option<String> {
        match &self.cleanup {
            Cleanup::PgDatabase { admin_url, name } => Some(database_url(admin_url, name)),
            Cleanup::Dir(_) => None,
        }
    }
}

async fn open(driver: &str, data_source: String) -> Store {
    let store = Store::connect(&StoreOptions {
        driver: driver.into(),
        data_source,
        max_connections: 4,
        query_timeout: Duration::from_secs(10),
    })
    .await
    .expect("open the test store");
    store.migrate().await.expect("migrate the test store");
    store
}

/// The URL of database `name` on the server of `admin_url`.
fn database_url(admin_url: &str, name: &str) -> String {
    let (base, query) = admin_url.split_once('?').unwrap_or((admin_url, ""));
    let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
    if query.is_empty() {
        format!("{server}/{name}")
    } else {
        format!("{server}/{name}?{query}")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::PgDatabase { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop may run inside the test's runtime, which cannot be blocked on; the
                // cleanup gets a runtime of its own on another thread. `FORCE` ends the
                // store's connections, which belong to the blocked runtime.
                let _ = std::thread::spawn(move || {
                    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    else {
                        return;
                    };
                    rt.block_on(async {
                        if let Ok(admin) = sqlx::PgPool::connect(&admin_url).await {
                            let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                            let _ = sqlx::query(&drop).execute(&admin).await;
                            admin.close().await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

/// A live user named `username`.
pub async fn user(store: &Store, username: &str) -> User {
    let u = User {
        id: new_id(),
        create_at: 1_000,
        update_at: 1_000,
        username: username.into(),
        email: format!("{username}@example.com"),
        roles: "system_user".into(),
        ..User::default()
    };
    users::insert(store, &u).await.expect("insert user");
    u
}

/// An open team named `name`.
pub async fn team(store: &Store, name: &str) -> Team {
    let t = Team {
        id: new_id(),
        create_at: 1_000,
        update_at: 1_000,
        display_name: name.to_uppercase(),
        name: name.into(),
        team_type: "O".into(),
        ..Team::default()
    };
    teams::insert(store, &t).await.expect("insert team");
    t
}

pub async fn join_team(store: &Store, team: &Team, user: &User) {
    let m = TeamMember {
        team_id: team.id.clone(),
        user_id: user.id.clone(),
        scheme_user: true,
        create_at: 1_000,
        ..TeamMember::default()
    };
    teams::insert_member(store, &m, -1)
        .await
        .expect("insert team member");
}

/// A channel of `channel_type` in `team_id` (`""` for DMs and GMs), with no members.
pub async fn channel(store: &Store, team_id: &str, name: &str, channel_type: &str) -> Channel {
    let c = Channel {
        id: new_id(),
        create_at: 1_000,
        update_at: 1_000,
        team_id: team_id.into(),
        channel_type: channel_type.into(),
        display_name: name.to_uppercase(),
        name: name.into(),
        ..Channel::default()
    };
    let saved = channels::create(store, &c, &[], None)
        .await
        .expect("create channel");
    assert_eq!(saved, channels::Saved::Created);
    c
}

pub async fn open_channel(store: &Store, team: &Team, name: &str) -> Channel {
    channel(store, &team.id, name, CHANNEL_OPEN).await
}

pub fn member_of(channel: &Channel, user: &User) -> ChannelMember {
    ChannelMember {
        channel_id: channel.id.clone(),
        user_id: user.id.clone(),
        scheme_user: true,
        notify_props: [("desktop".to_string(), "default".to_string())].into(),
        ..ChannelMember::default()
    }
}

pub async fn join(store: &Store, channel: &Channel, user: &User) {
    let added = channels::add_member(store, &member_of(channel, user), 1_000)
        .await
        .expect("add channel member");
    assert!(added);
}

/// An unsaved post by `user` in `channel` at `at` (ms); `root` makes it a reply.
pub fn post_at(channel: &Channel, user: &User, at: i64, root: Option<&Post>) -> Post {
    Post {
        id: new_id(),
        create_at: at,
        update_at: at,
        user_id: user.id.clone(),
        channel_id: channel.id.clone(),
        root_id: root.map(|r| r.id.clone()).unwrap_or_default(),
        message: format!("message at {at}"),
        ..Post::default()
    }
}

/// Saves `post` as `app::posts` does for a plain post: the poster reads up to it.
pub async fn save(store: &Store, team_id: &str, post: &Post, mentioned: &[&User]) {
    let effects = posts::NewPostEffects {
        team_id: team_id.into(),
        mentioned: mentioned.iter().map(|u| u.id.clone()).collect(),
        mark_read_for_poster: true,
        thread: None,
    };
    posts::create(store, post, &effects)
        .await
        .expect("create post");
}

/// Saves a post by `user` at `at` and returns it.
pub async fn posted(
    store: &Store,
    channel: &Channel,
    user: &User,
    at: i64,
    root: Option<&Post>,
) -> Post {
    let p = post_at(channel, user, at, root);
    save(store, &channel.team_id, &p, &[]).await;
    p
}

/// The member row of `user` in `channel`, which must exist.
pub async fn member(store: &Store, channel: &Channel, user: &User) -> ChannelMember {
    channels::member(store, &channel.id, &user.id)
        .await
        .expect("read member")
        .expect("a member")
}

pub async fn reload(store: &Store, channel: &Channel) -> Channel {
    channels::get(store, &channel.id)
        .await
        .expect("read channel")
        .expect("the channel")
}
