//! `build`: trunk's output for one app becomes an immutable release folder,
//! `<out>/<app>/<release-id>/`, where the release id is a hash of the js, wasm and css. Files are
//! renamed after the release (`<app>-<id>.js`, `<app>-<id>_bg.wasm`, `<app>-<id>.css`), each with
//! brotli and gzip siblings, and `release.json` holds the contract's `ReleaseMetadata` (sizes and
//! SRI integrity). Building the same bytes again finds the existing release and changes nothing.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use api_client::types::{FileRole, ReleaseFileMeta, ReleaseMetadata};
use sha2::{Digest, Sha256};

pub struct BuildRequest<'a> {
    pub app: &'a str,
    pub dist: &'a Path,
    /// The app's server-side renderer (a wasm32-wasip1 command), when it has one.
    pub renderer: Option<&'a Path>,
    pub out: &'a Path,
    pub version: &'a str,
    pub git_revision: &'a str,
}

/// The js, wasm and css of one trunk build, and the app's renderer.
struct Bundle {
    js: Vec<u8>,
    wasm: Vec<u8>,
    css: Option<Vec<u8>>,
    renderer: Option<Vec<u8>>,
}

fn read_bundle(dist: &Path, renderer: Option<&Path>) -> Result<Bundle> {
    let (mut js, mut wasm, mut css) = (Vec::new(), Vec::new(), Vec::new());
    for entry in std::fs::read_dir(dist).with_context(|| format!("reading {}", dist.display()))? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if path.is_dir() {
            // wasm-bindgen snippets would need their own release files and import rewriting.
            bail!(
                "{} contains a folder ({name}): inline JS snippets are not supported in micro apps",
                dist.display()
            );
        }
        if name.ends_with("_bg.wasm") {
            wasm.push(path);
        } else if name.ends_with(".js") {
            js.push(path);
        } else if name.ends_with(".css") {
            css.push(path);
        }
        // index.html is the standalone page; the shell never loads it.
    }
    match (js.as_slice(), wasm.as_slice()) {
        ([js], [wasm]) if css.len() <= 1 => Ok(Bundle {
            js: std::fs::read(js)?,
            wasm: std::fs::read(wasm)?,
            css: css.first().map(std::fs::read).transpose()?,
            renderer: renderer
                .map(|path| {
                    std::fs::read(path).with_context(|| format!("reading {}", path.display()))
                })
                .transpose()?,
        }),
        _ => bail!(
            "{} must hold exactly one .js, one _bg.wasm and at most one .css (found {} js, {} wasm, {} css)",
            dist.display(),
            js.len(),
            wasm.len(),
            css.len()
        ),
    }
}

/// The release id: the first 16 hex digits of a SHA-256 over the files (a release without a
/// renderer keeps the id it had before renderers existed).
fn release_id(bundle: &Bundle) -> String {
    let mut hasher = Sha256::new();
    let mut parts = vec![Some(&bundle.js), Some(&bundle.wasm), bundle.css.as_ref()];
    if bundle.renderer.is_some() {
        parts.push(bundle.renderer.as_ref());
    }
    for part in parts {
        let part = part.map(Vec::as_slice).unwrap_or_default();
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    format!("{:x}", hasher.finalize())[..16].to_owned()
}

pub fn build_release(request: &BuildRequest<'_>) -> Result<PathBuf> {
    let bundle = read_bundle(request.dist, request.renderer)?;
    let id = release_id(&bundle);
    let directory = request.out.join(request.app).join(&id);
    let metadata_path = directory.join("release.json");
    if metadata_path.exists() {
        return Ok(directory);
    }
    std::fs::create_dir_all(&directory)?;
    let stem = format!("{}-{id}", request.app);
    let mut files = Vec::new();
    let parts = [
        (format!("{stem}.js"), FileRole::Js, Some(&bundle.js)),
        (
            format!("{stem}_bg.wasm"),
            FileRole::Wasm,
            Some(&bundle.wasm),
        ),
        (format!("{stem}.css"), FileRole::Css, bundle.css.as_ref()),
        (
            format!("{stem}{}", crate::files::RENDERER_SUFFIX),
            FileRole::Renderer,
            bundle.renderer.as_ref(),
        ),
    ];
    for (name, role, bytes) in parts {
        let Some(bytes) = bytes else { continue };
        if crate::files::is_downloaded(&name) {
            let compressed = crate::files::precompress(bytes)?;
            std::fs::write(directory.join(format!("{name}.br")), compressed.brotli)?;
            std::fs::write(directory.join(format!("{name}.gz")), compressed.gzip)?;
        }
        std::fs::write(directory.join(&name), bytes)?;
        files.push(ReleaseFileMeta {
            path: name,
            role,
            size: bytes.len() as i64,
            integrity: crate::files::integrity_of(bytes).into(),
        });
    }
    let metadata = ReleaseMetadata {
        app: request.app.to_owned().into(),
        release_id: id.into(),
        version: request.version.to_owned(),
        git_revision: request.git_revision.to_owned(),
        built_at: utc_now(),
        files,
    };
    // Written last: its presence marks a complete release.
    std::fs::write(&metadata_path, serde_json::to_string_pretty(&metadata)?)?;
    Ok(directory)
}

/// RFC 3339 UTC from the system clock (civil-from-days, so the tool needs no date crate).
/// Brotli bytes of every file a browser fetches from a bundle folder (trunk's dist for the shell,
/// or a release), by relative path, skipping precompressed siblings, release metadata and the
/// server-side renderer.
pub fn brotli_sizes(folder: &Path) -> Result<Vec<(String, u64)>> {
    fn walk(root: &Path, folder: &Path, sizes: &mut Vec<(String, u64)>) -> Result<()> {
        for entry in std::fs::read_dir(folder)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(root, &path, sizes)?;
                continue;
            }
            let name = path.strip_prefix(root)?.to_string_lossy().into_owned();
            // What a browser downloads: not the precompressed copies, the metadata or the
            // server-side renderer.
            let skipped = name.ends_with(".br") || name.ends_with(".gz") || name == "release.json";
            if skipped || !crate::files::is_downloaded(&name) {
                continue;
            }
            let compressed = crate::files::precompress(&std::fs::read(&path)?)?;
            sizes.push((name, compressed.brotli.len() as u64));
        }
        Ok(())
    }
    let mut sizes = Vec::new();
    walk(folder, folder, &mut sizes)?;
    sizes.sort();
    Ok(sizes)
}

fn utc_now() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        second_of_day / 3600,
        second_of_day % 3600 / 60,
        second_of_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist_with(files: &[(&str, &[u8])]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("tessera-dist-{}", unique_suffix()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in files {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
        dir
    }

    /// A fresh folder name per call: tests in one process run in parallel.
    fn unique_suffix() -> String {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let next = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("{}-{next}", std::process::id())
    }

    #[test]
    fn a_release_is_content_addressed_and_immutable() {
        let dist = dist_with(&[
            ("app-1a2b.js", b"js"),
            ("app-1a2b_bg.wasm", b"wasm"),
            ("app.css", b"css"),
            ("index.html", b"<html>"),
        ]);
        let out = dist.with_extension("out");
        let request = BuildRequest {
            app: "product-detail",
            dist: &dist,
            renderer: None,
            out: &out,
            version: "1.0.0",
            git_revision: "abc",
        };
        let first = build_release(&request).unwrap();
        let again = build_release(&request).unwrap();
        assert_eq!(first, again, "same bytes, same release");
        let metadata: ReleaseMetadata =
            serde_json::from_str(&std::fs::read_to_string(first.join("release.json")).unwrap())
                .unwrap();
        let id = metadata.release_id.to_string();
        let names: Vec<_> = metadata.files.iter().map(|f| f.path.clone()).collect();
        assert_eq!(
            names,
            [
                format!("product-detail-{id}.js"),
                format!("product-detail-{id}_bg.wasm"),
                format!("product-detail-{id}.css")
            ]
        );
        assert_eq!(
            metadata.files[1].integrity.to_string(),
            crate::files::integrity_of(b"wasm")
        );
        assert!(
            first
                .join(format!("product-detail-{id}_bg.wasm.br"))
                .exists()
        );
        assert!(
            first
                .join(format!("product-detail-{id}_bg.wasm.gz"))
                .exists()
        );

        std::fs::write(dist.join("app-1a2b_bg.wasm"), b"changed").unwrap();
        let changed = build_release(&request).unwrap();
        assert_ne!(changed, first, "new bytes, new release");
    }

    #[test]
    fn a_dist_without_wasm_is_refused() {
        let dist = dist_with(&[("app.js", b"js")]);
        let request = BuildRequest {
            app: "a",
            dist: &dist,
            renderer: None,
            out: &dist,
            version: "1",
            git_revision: "x",
        };
        assert!(build_release(&request).is_err());
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        let now = utc_now();
        assert_eq!(now.len(), 20);
        assert!(now.ends_with('Z') && now.starts_with("20"));
    }
}
