//! Builds the web client for the server to embed, writing only to OUT_DIR.
//!
//! web/'s sources are copied to OUT_DIR/web and built there (`npm ci && npm run build`), so
//! node_modules and Vite's output (OUT_DIR/web/dist) stay out of the checkout: cargo's rule is
//! that a build script modifies nothing outside OUT_DIR, and a build must not dirty the tree it
//! builds. npm keeps its download cache in the user's ~/.npm, as any npm install does.
//!
//! The web build runs only when OUT_DIR/web/dist is missing, is the placeholder, or is older than
//! web/'s sources. Without npm, or when the web build fails, the Rust build still succeeds: a
//! cargo warning is printed and OUT_DIR/web/dist holds a placeholder page that says how to build
//! the client. `UTMOST_WEB_BUILD=0` skips the web build; any change of that variable reruns this
//! script, so `UTMOST_WEB_BUILD=1 cargo build` retries after Node.js is installed.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// Marks the placeholder index.html so a later build with npm replaces it.
const PLACEHOLDER_MARK: &str = "<!-- utmost:web-client-placeholder -->";

/// The client's sources in web/: what is copied to OUT_DIR and what decides staleness.
const SOURCES: &[&str] = &[
    "src",
    "public",
    "index.html",
    "package.json",
    "package-lock.json",
    "vite.config.ts",
    "tsconfig.json",
    "scripts",
];

fn main() {
    let (Some(manifest_dir), Some(out_dir)) = (
        std::env::var_os("CARGO_MANIFEST_DIR"),
        std::env::var_os("OUT_DIR"),
    ) else {
        return;
    };
    let web = PathBuf::from(manifest_dir).join("../../web");
    // Only paths that exist: cargo reruns the script on every build for a missing one.
    for path in SOURCES.iter().map(|s| web.join(s)).filter(|p| p.exists()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    println!("cargo:rerun-if-env-changed=UTMOST_WEB_BUILD");

    let build_dir = PathBuf::from(out_dir).join("web");
    let dist = build_dir.join("dist");
    if let Err(reason) = build_if_stale(&web, &build_dir) {
        println!("cargo:warning=web client not built ({reason}); serving a placeholder page");
    }
    if !dist.join("index.html").exists() {
        if let Err(e) = write_placeholder(&dist) {
            println!("cargo:warning=could not write the web client placeholder: {e}");
        }
    }
}

fn build_if_stale(web: &Path, build_dir: &Path) -> Result<(), String> {
    if !web.join("package.json").exists() || !is_stale(web, &build_dir.join("dist")) {
        return Ok(());
    }
    if std::env::var("UTMOST_WEB_BUILD").is_ok_and(|v| v == "0") {
        return Err("UTMOST_WEB_BUILD=0".into());
    }
    if Command::new("npm").arg("--version").output().is_err() {
        return Err(
            "npm not found; install Node.js 20+, then run UTMOST_WEB_BUILD=1 cargo build".into(),
        );
    }
    copy_sources(web, build_dir).map_err(|e| format!("copying web/ to OUT_DIR: {e}"))?;
    if needs_install(web, build_dir) {
        run_npm(build_dir, &["ci", "--no-audit", "--no-fund"])?;
    }
    run_npm(build_dir, &["run", "build"])
}

/// True when dist has no real build or any source is newer than it.
fn is_stale(web: &Path, dist: &Path) -> bool {
    let index = dist.join("index.html");
    let built = match fs::read_to_string(&index) {
        Ok(html) if !html.contains(PLACEHOLDER_MARK) => modified(&index),
        _ => return true,
    };
    let newest_source = SOURCES
        .iter()
        .filter_map(|source| newest_mtime(&web.join(source)))
        .max();
    match (built, newest_source) {
        (Some(built), Some(source)) => source > built,
        _ => true,
    }
}

/// Replaces the copy's sources with web/'s, keeping its node_modules and dist: a file deleted
/// from web/ must not linger in the copy, where tsc would still compile it.
fn copy_sources(web: &Path, build_dir: &Path) -> io::Result<()> {
    fs::create_dir_all(build_dir)?;
    for source in SOURCES {
        let (from, to) = (web.join(source), build_dir.join(source));
        match fs::symlink_metadata(&to) {
            Ok(meta) if meta.is_dir() => fs::remove_dir_all(&to)?,
            Ok(_) => fs::remove_file(&to)?,
            Err(_) => {}
        }
        if from.exists() {
            copy_recursively(&from, &to)?;
        }
    }
    Ok(())
}

fn copy_recursively(from: &Path, to: &Path) -> io::Result<()> {
    if !from.is_dir() {
        return fs::copy(from, to).map(drop);
    }
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        copy_recursively(&entry.path(), &to.join(entry.file_name()))?;
    }
    Ok(())
}

/// The copy's node_modules is missing or older than the lock file it must be installed from.
fn needs_install(web: &Path, build_dir: &Path) -> bool {
    let installed = modified(&build_dir.join("node_modules/.package-lock.json"));
    let locked = modified(&web.join("package-lock.json"));
    match (installed, locked) {
        (Some(installed), Some(locked)) => locked > installed,
        _ => true,
    }
}

fn run_npm(dir: &Path, args: &[&str]) -> Result<(), String> {
    let output = Command::new("npm")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("npm {}: {e}", args.join(" ")))?;
    if output.status.success() {
        return Ok(());
    }
    // Show the tail of npm's output: that is where tsc, vite and the budget check explain.
    let text = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    for line in &lines[lines.len().saturating_sub(15)..] {
        println!("cargo:warning=web: {line}");
    }
    Err(format!("npm {} failed ({})", args.join(" "), output.status))
}

fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn newest_mtime(path: &Path) -> Option<SystemTime> {
    let meta = fs::metadata(path).ok()?;
    if !meta.is_dir() {
        return meta.modified().ok();
    }
    fs::read_dir(path)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| newest_mtime(&entry.path()))
        .chain(meta.modified().ok())
        .max()
}

fn write_placeholder(dist: &Path) -> io::Result<()> {
    fs::create_dir_all(dist.join("assets"))?;
    fs::write(
        dist.join("assets/placeholder.css"),
        "body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;\
         line-height:1.5}code{background:#8882;padding:.1rem .3rem;border-radius:3px}\n",
    )?;
    fs::write(
        dist.join("index.html"),
        format!(
            "<!doctype html>\n{PLACEHOLDER_MARK}\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>Utmost</title><link rel=\"stylesheet\" href=\"/assets/placeholder.css\">\
             </head><body><h1>Utmost is running</h1>\
             <p>This server was built without its web client. Install Node.js 20 or newer with \
             npm, then rebuild: <code>UTMOST_WEB_BUILD=1 cargo build --release</code>.</p>\
             <p>The API is available under <code>/api/v4</code>, so Mattermost's desktop and \
             mobile apps and other clients can connect now.</p></body></html>\n"
        ),
    )
}
