//! A plugin bundle: Mattermost's `.tar.gz` with `plugin.json` at its root or in one top
//! folder, here with a `.wasm` server part and optionally a web app bundle. Read in memory,
//! bounded: the archive, each file and the number of files.

use super::manifest::Manifest;
use std::collections::BTreeMap;
use std::io::Read;
use utmost_model::AppError;

/// The largest bundle accepted (Mattermost's plugin upload limit).
pub const MAX_BUNDLE_BYTES: usize = 50 * 1024 * 1024;
/// The most bytes all files of a bundle unpack to.
const MAX_UNPACKED_BYTES: u64 = 200 * 1024 * 1024;
const MAX_FILES: usize = 1000;

/// What a bundle holds: its manifest, its server module and its web app script.
#[derive(Clone, Debug)]
pub struct Bundle {
    pub manifest: Manifest,
    pub wasm: Option<Vec<u8>>,
    pub webapp: Option<Vec<u8>>,
}

fn extract_error(detail: impl std::fmt::Display) -> AppError {
    AppError::bad_request(
        "app.plugin.extract.app_error",
        "Encountered error extracting plugin.",
    )
    .with_detail(detail.to_string())
}

/// Reads a bundle and checks its manifest.
pub fn read(bytes: &[u8]) -> Result<Bundle, AppError> {
    if bytes.len() > MAX_BUNDLE_BYTES {
        return Err(AppError::new(
            413,
            "api.plugin.upload.file.app_error",
            "The plugin bundle is larger than 50 MB.",
        ));
    }
    let files = unpack(bytes)?;
    // `plugin.json` at the root, or in the one folder everything else is in.
    let (prefix, manifest) = files
        .iter()
        .filter_map(|(path, data)| {
            let prefix = path.strip_suffix("plugin.json")?;
            (prefix.is_empty() || prefix.matches('/').count() == 1).then_some((prefix, data))
        })
        .min_by_key(|(prefix, _)| prefix.len())
        .ok_or_else(|| {
            AppError::bad_request(
                "app.plugin.manifest.missing.app_error",
                "Could not find the plugin's manifest (plugin.json).",
            )
        })?;
    let manifest: Manifest = serde_json::from_slice(manifest).map_err(|e| {
        AppError::bad_request(
            "app.plugin.manifest.missing.app_error",
            "The plugin's manifest (plugin.json) could not be read.",
        )
        .with_detail(e.to_string())
    })?;
    manifest.check()?;
    let file = |relative: &str| -> Result<Vec<u8>, AppError> {
        let path = format!("{prefix}{}", relative.trim_start_matches("./"));
        files.get(&path).cloned().ok_or_else(|| {
            extract_error(format!(
                "the manifest names {relative}, which the bundle lacks"
            ))
        })
    };
    let wasm = match &manifest.server {
        Some(server) => Some(file(&server.executable)?),
        None => None,
    };
    let webapp = match &manifest.webapp {
        Some(webapp) if !webapp.bundle_path.is_empty() => Some(file(&webapp.bundle_path)?),
        _ => None,
    };
    Ok(Bundle {
        manifest,
        wasm,
        webapp,
    })
}

/// The regular files of a `.tar.gz`, by path without a leading `./`; links, paths that
/// climb out (`..`) and absolute paths are refused.
fn unpack(bytes: &[u8]) -> Result<BTreeMap<String, Vec<u8>>, AppError> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    let mut files = BTreeMap::new();
    let mut total = 0u64;
    for entry in archive.entries().map_err(extract_error)? {
        let mut entry = entry.map_err(extract_error)?;
        let kind = entry.header().entry_type();
        if kind.is_dir() {
            continue;
        }
        let path = entry.path().map_err(extract_error)?.into_owned();
        if !kind.is_file()
            || path.is_absolute()
            || path
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir))
        {
            return Err(extract_error(format!(
                "{} is not a plain file of the bundle",
                path.display()
            )));
        }
        total += entry.size();
        if total > MAX_UNPACKED_BYTES || files.len() >= MAX_FILES {
            return Err(extract_error(
                "the bundle unpacks to too many files or bytes",
            ));
        }
        let mut data = Vec::with_capacity(entry.size() as usize);
        entry
            .by_ref()
            .take(MAX_UNPACKED_BYTES)
            .read_to_end(&mut data)
            .map_err(extract_error)?;
        let name = path.to_string_lossy().trim_start_matches("./").to_owned();
        files.insert(name, data);
    }
    Ok(files)
}

/// A bundle from its parts (the shipped plugins, and tests).
pub fn pack(manifest: &str, files: &[(&str, &[u8])]) -> std::io::Result<Vec<u8>> {
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::default(),
    ));
    let entries =
        std::iter::once(("plugin.json", manifest.as_bytes())).chain(files.iter().copied());
    for (path, data) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder.append_data(&mut header, path, data)?;
    }
    builder.into_inner()?.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str =
        r#"{"id": "com.example.x", "version": "1.0.0", "server": {"executable": "server/p.wasm"}}"#;

    #[test]
    fn a_packed_bundle_reads_back() {
        let bytes = pack(MANIFEST, &[("server/p.wasm", b"\0asm")]).unwrap();
        let bundle = read(&bytes).unwrap();
        assert_eq!(bundle.manifest.id, "com.example.x");
        assert_eq!(bundle.wasm.as_deref(), Some(&b"\0asm"[..]));
    }

    #[test]
    fn a_missing_manifest_or_module_is_refused() {
        let no_manifest = pack(MANIFEST, &[]).unwrap();
        assert_eq!(
            read(&no_manifest).unwrap_err().id,
            "app.plugin.extract.app_error"
        );
        assert_eq!(
            read(b"not a tar").unwrap_err().id,
            "app.plugin.extract.app_error"
        );
    }

    #[test]
    fn a_path_climbing_out_is_refused() {
        let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
            Vec::new(),
            flate2::Compression::default(),
        ));
        let mut header = tar::Header::new_gnu();
        header.set_size(1);
        header.set_cksum();
        // `append_data` refuses `..`; a hostile archive writes the name itself.
        header.as_old_mut().name[..9].copy_from_slice(b"../escape");
        header.set_cksum();
        builder.append(&header, &b"x"[..]).unwrap();
        let bytes = builder.into_inner().unwrap().finish().unwrap();
        let refused = read(&bytes).unwrap_err();
        assert_eq!(refused.id, "app.plugin.extract.app_error");
    }
}
