//! Builds the plugins shipped inside the server (plugins/polls) for wasm32-unknown-unknown,
//! writing only to OUT_DIR, for `plugins::prepackaged` to embed, and the example plugin
//! (plugins/wordfilter) the tests install.
//!
//! plugins/ is a workspace of its own; it is built with its own target directory under
//! OUT_DIR, by the same cargo, without this build's flags and wrappers (they are for the
//! host). Without the wasm32 target (`rustup target add wasm32-unknown-unknown`) or when
//! the build fails, the server still builds: a cargo warning is printed and an empty file
//! stands for the module, so the server ships no polls plugin and says so at start.

use std::path::PathBuf;
use std::process::Command;

/// The plugins built: the shipped one, and the example the tests install.
const BUILT: &[&str] = &["polls", "wordfilter"];

fn main() {
    let (Some(manifest_dir), Some(out_dir)) = (
        std::env::var_os("CARGO_MANIFEST_DIR"),
        std::env::var_os("OUT_DIR"),
    ) else {
        return;
    };
    let plugins = PathBuf::from(manifest_dir).join("../../plugins");
    for path in ["Cargo.toml", "Cargo.lock", "sdk", "polls", "wordfilter"] {
        println!("cargo:rerun-if-changed={}", plugins.join(path).display());
    }
    let out = PathBuf::from(out_dir);
    let target_dir = out.join("plugins-target");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = Command::new(cargo);
    build
        .args(["build", "--release", "--target", "wasm32-unknown-unknown"])
        .arg("--manifest-path")
        .arg(plugins.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target_dir);
    for plugin in BUILT {
        build.args(["-p", plugin]);
    }
    for var in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_MAKEFLAGS",
        "CARGO_INCREMENTAL",
    ] {
        build.env_remove(var);
    }
    let built = match build.output() {
        Ok(output) if output.status.success() => true,
        Ok(output) => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let last = stderr.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("");
            println!("cargo:warning=shipped plugins not built (is the wasm32-unknown-unknown target installed?): {last}");
            false
        }
        Err(e) => {
            println!("cargo:warning=shipped plugins not built: {e}");
            false
        }
    };
    for plugin in BUILT {
        let module = target_dir.join(format!("wasm32-unknown-unknown/release/{plugin}.wasm"));
        let embedded = out.join(format!("{plugin}.wasm"));
        let copied = built && std::fs::copy(&module, &embedded).is_ok();
        if !copied {
            let _ = std::fs::write(&embedded, b"");
        }
    }
}
