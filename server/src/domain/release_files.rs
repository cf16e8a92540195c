//! Release files on disk: which names are safe, where a file lives, its ETag, and storing an
//! upload once with its precompressed siblings. Files are immutable: the same bytes again change
//! nothing, other bytes under an existing name are a conflict.

use std::path::{Path, PathBuf};

use api_client::types::{Manifest, UploadedReleaseFile};
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

use crate::error::{AppError, AppResult};
use crate::store::releases::{self, NewReleaseFile};

pub use tessera_release::files::integrity_of;

/// Strong ETag: the content's SHA-256, quoted.
pub fn etag_of(bytes: &[u8]) -> String {
    format!("\"{:x}\"", Sha256::digest(bytes))
}

/// The manifest's strong ETag: over its rollouts, TTL and origins, not its `generatedAt`, so an
/// unchanged manifest revalidates to a 304.
pub fn manifest_etag(manifest: &Manifest) -> String {
    let rollouts =
        serde_json::to_string(&(&manifest.apps, manifest.ttl_seconds, &manifest.origins))
            .unwrap_or_default();
    etag_of(rollouts.as_bytes())
}

pub fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

pub fn file_path(releases_dir: &Path, app: &str, release_id: &str, name: &str) -> PathBuf {
    releases_dir.join(app).join(release_id).join(name)
}

pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// An uploaded release file, with the brotli form it came in, if it came compressed.
pub struct UploadedBytes {
    pub bytes: Vec<u8>,
    pub brotli: Option<Vec<u8>>,
}

impl UploadedBytes {
    pub fn plain(bytes: Vec<u8>) -> Self {
        UploadedBytes {
            bytes,
            brotli: None,
        }
    }
}

/// Stores one file of a release with brotli and gzip siblings. Same bytes again: `false` (not
/// created); different bytes for an existing name: 409.
pub async fn upload_file(
    db: &AnyPool,
    releases_dir: &Path,
    app: &str,
    release_id: &str,
    name: &str,
    file: UploadedBytes,
) -> AppResult<(UploadedReleaseFile, bool)> {
    let UploadedBytes { bytes, brotli } = file;
    for (field, value) in [("app", app), ("releaseId", release_id), ("fileName", name)] {
        if !is_safe_name(value) {
            return Err(AppError::malformed(format!(
                "{field} may only contain letters, digits, - _ ."
            ))
            .with_field(field));
        }
    }
    let integrity = integrity_of(&bytes);
    let uploaded = |size: i64, integrity: String| UploadedReleaseFile {
        app: app.to_owned().into(),
        release_id: release_id.to_owned().into(),
        path: name.to_owned(),
        size,
        integrity: integrity.into(),
    };
    if let Some((stored, size)) = releases::stored_file(db, app, release_id, name).await? {
        if stored == integrity {
            return Ok((uploaded(size, stored), false));
        }
        return Err(AppError::conflict(
            "release-immutable",
            "Release files are immutable",
            format!("{name} of {app}/{release_id} already exists with other content"),
        ));
    }
    let path = file_path(releases_dir, app, release_id, name);
    let size = bytes.len() as i64;
    let etag = etag_of(&bytes);
    tokio::task::spawn_blocking(move || write_with_compressed_siblings(&path, &bytes, brotli))
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!(e)))??;
    releases::insert_release_file(
        db,
        &NewReleaseFile {
            app,
            release_id,
            path: name,
            size,
            integrity: &integrity,
            etag: &etag,
        },
    )
    .await?;
    Ok((uploaded(size, integrity), true))
}

/// Compression happens once, at publish time, so serving is a file read (and only for what
/// browsers download); a brotli form uploaded with the file is kept rather than made again.
fn write_with_compressed_siblings(
    path: &Path,
    bytes: &[u8],
    brotli: Option<Vec<u8>>,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(path.parent().expect("release files live in a folder"))?;
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default();
    if !tessera_release::files::is_downloaded(name) {
        std::fs::write(path, bytes)?;
        return Ok(());
    }
    let compressed = match brotli {
        Some(brotli) => tessera_release::files::precompress_keeping_brotli(bytes, brotli)?,
        None => tessera_release::files::precompress(bytes)?,
    };
    // Write siblings first and the plain file last: the plain file's presence means complete.
    std::fs::write(with_suffix(path, "br"), compressed.brotli)?;
    std::fs::write(with_suffix(path, "gz"), compressed.gzip)?;
    std::fs::write(path, bytes)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_path_tricks_are_refused() {
        assert!(is_safe_name("product-detail-3f2a.wasm"));
        assert!(!is_safe_name("../etc"));
        assert!(!is_safe_name(".hidden"));
        assert!(!is_safe_name("a/b"));
    }
}
