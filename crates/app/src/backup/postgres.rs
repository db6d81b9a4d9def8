//! PostgreSQL's own client programs, run as child processes: `pg_dump` takes the archive
//! (custom format: compressed, and `pg_restore` can list and restore it), `pg_restore`
//! lists it (the check that it opens) and loads it into an empty database.

use super::BackupError;
use std::path::{Path, PathBuf};
use tokio::process::Command;

/// Where the PostgreSQL client programs are: a directory, or the `PATH`.
#[derive(Debug, Clone, Default)]
pub struct PgTools {
    pub bin_dir: Option<PathBuf>,
}

impl PgTools {
    fn command(&self, program: &str) -> Command {
        let path = match &self.bin_dir {
            Some(dir) => dir.join(program),
            None => PathBuf::from(program),
        };
        let mut command = Command::new(path);
        command.kill_on_drop(true);
        command
    }

    /// The major version `program --version` prints (`pg_dump (PostgreSQL) 15.4` → 15).
    async fn major_version(&self, program: &str) -> Result<u32, BackupError> {
        let out = run(self.command(program).arg("--version"), program).await?;
        major_version(&out).ok_or_else(|| {
            BackupError::Tool(format!(
                "{program} --version printed {out:?}, not a version"
            ))
        })
    }

    /// Dumps the database `data_source` names into `archive`, after checking that this
    /// `pg_dump` can read a server of `server_major` (it cannot read a newer one).
    pub(super) async fn dump(
        &self,
        data_source: &str,
        server_major: u32,
        archive: &Path,
    ) -> Result<(), BackupError> {
        let ours = self.major_version("pg_dump").await?;
        if ours < server_major {
            return Err(BackupError::Refused(format!(
                "pg_dump {ours} cannot dump a PostgreSQL {server_major} server: install the \
                 PostgreSQL {server_major} client programs (or name their directory with \
                 --pg-bin-dir)"
            )));
        }
        let mut command = self.command("pg_dump");
        command
            .args(["--format=custom", "--no-password", "--file"])
            .arg(archive);
        connect(&mut command, data_source)?;
        run(&mut command, "pg_dump").await.map(drop)
    }

    /// Reads the archive's table of contents: the archive opens and is complete enough to
    /// be restored.
    pub(super) async fn list(&self, archive: &Path) -> Result<(), BackupError> {
        run(
            self.command("pg_restore").arg("--list").arg(archive),
            "pg_restore",
        )
        .await
        .map(drop)
    }

    /// Loads `archive` into the (empty) database `data_source`, in one transaction: all of
    /// it or nothing. Ownership and grants are the connecting role's, not the source's.
    pub(super) async fn restore(
        &self,
        data_source: &str,
        archive: &Path,
    ) -> Result<(), BackupError> {
        let mut command = self.command("pg_restore");
        command.args([
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--no-password",
        ]);
        connect(&mut command, data_source)?;
        command.arg(archive);
        run(&mut command, "pg_restore").await.map(drop)
    }
}

/// Points a client program at `data_source`. The password goes in `PGPASSWORD`, so it does
/// not show in the process list.
fn connect(command: &mut Command, data_source: &str) -> Result<(), BackupError> {
    let mut url = url::Url::parse(data_source).map_err(|e| {
        BackupError::Refused(format!(
            "SqlSettings.DataSource is not a postgres:// URL: {e}"
        ))
    })?;
    if let Some(password) = url.password() {
        let password = percent_encoding::percent_decode_str(password)
            .decode_utf8_lossy()
            .into_owned();
        command.env("PGPASSWORD", password);
        // Cannot fail: a URL with a password has a host.
        let _ = url.set_password(None);
    }
    command.arg("--dbname").arg(url.as_str());
    Ok(())
}

/// Runs `command` to its end; its standard output, or its standard error as the failure.
async fn run(command: &mut Command, program: &str) -> Result<String, BackupError> {
    let out = command.output().await.map_err(|e| {
        BackupError::Tool(format!(
            "cannot run {program}: {e} (install the PostgreSQL client programs, or name \
             their directory with --pg-bin-dir)"
        ))
    })?;
    if !out.status.success() {
        return Err(BackupError::Tool(format!(
            "{program} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn major_version(version_line: &str) -> Option<u32> {
    let number = version_line
        .split_whitespace()
        .find(|word| word.starts_with(|c: char| c.is_ascii_digit()))?;
    number
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_major_version_is_read_from_each_packaging() {
        assert_eq!(
            major_version("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n"),
            Some(15)
        );
        assert_eq!(major_version("pg_dump (PostgreSQL) 9.6.24"), Some(9));
        assert_eq!(major_version("pg_restore (PostgreSQL) 17devel"), Some(17));
        assert_eq!(major_version("command not found"), None);
    }
}
