//! What the release tool and the CDN origin must compute identically about a release file: its
//! Subresource Integrity value, its precompressed brotli and gzip forms, and which files get them. The server uses this
//! module with the crate's default features off (no ops client).

use std::io::{Read, Write};

use base64::Engine;
use sha2::{Digest, Sha384};

/// The SRI value (`sha384-<base64>`) browsers check before running the file.
pub fn integrity_of(bytes: &[u8]) -> String {
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes))
    )
}

/// How a release names its server-side renderer: `<app>-<release id>-renderer.wasm`.
pub const RENDERER_SUFFIX: &str = "-renderer.wasm";

/// Whether browsers fetch a file of that name: only those get compressed siblings (the
/// renderer runs on the server, and compressing megabytes of it at brotli 11 takes seconds).
pub fn is_downloaded(name: &str) -> bool {
    !name.ends_with(RENDERER_SUFFIX)
}

pub struct Precompressed {
    pub brotli: Vec<u8>,
    pub gzip: Vec<u8>,
}

/// Brotli at quality 11 and gzip at the best level: done once per immutable file, so the slow,
/// small settings are the right ones.
pub fn precompress(bytes: &[u8]) -> std::io::Result<Precompressed> {
    let mut brotli = brotli::CompressorWriter::new(Vec::new(), 4096, 11, 22);
    brotli.write_all(bytes)?;
    precompress_keeping_brotli(bytes, brotli.into_inner())
}

/// As `precompress`, keeping a brotli form made before (a build's `.br` sibling, which
/// `decode_brotli` turned into `bytes`): brotli 11 is most of the cost of compressing.
pub fn precompress_keeping_brotli(bytes: &[u8], brotli: Vec<u8>) -> std::io::Result<Precompressed> {
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(bytes)?;
    Ok(Precompressed {
        brotli,
        gzip: gzip.finish()?,
    })
}

/// Why a brotli body could not be decoded.
#[derive(Debug, PartialEq, Eq)]
pub enum BrotliDecodeError {
    NotBrotli,
    /// It decodes to more than the limit: a small body must not inflate without bound.
    TooLarge,
}

/// The bytes a brotli stream decodes to, at most `limit` of them.
pub fn decode_brotli(compressed: &[u8], limit: usize) -> Result<Vec<u8>, BrotliDecodeError> {
    let decoder = brotli::Decompressor::new(compressed, 4096);
    let mut decoded = Vec::new();
    decoder
        .take(limit as u64 + 1)
        .read_to_end(&mut decoded)
        .map_err(|_| BrotliDecodeError::NotBrotli)?;
    if decoded.len() > limit {
        return Err(BrotliDecodeError::TooLarge);
    }
    Ok(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrity_is_sri_sha384() {
        assert_eq!(
            integrity_of(b""),
            "sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb"
        );
    }

    #[test]
    fn precompressed_forms_are_smaller_for_repetitive_input() {
        let input = b"export function mount() {}\n".repeat(100);
        let compressed = precompress(&input).unwrap();
        assert!(compressed.brotli.len() < input.len() / 4);
        assert!(compressed.gzip.len() < input.len() / 4);
    }

    #[test]
    fn a_brotli_form_decodes_to_its_file_within_the_limit_only() {
        let input = b"export function mount() {}\n".repeat(100);
        let brotli = precompress(&input).unwrap().brotli;
        assert_eq!(decode_brotli(&brotli, input.len()), Ok(input.clone()));
        assert_eq!(
            decode_brotli(&brotli, input.len() - 1),
            Err(BrotliDecodeError::TooLarge)
        );
        assert_eq!(
            decode_brotli(b"export function mount() {}", 1 << 20),
            Err(BrotliDecodeError::NotBrotli)
        );
        let kept = precompress_keeping_brotli(&input, brotli.clone()).unwrap();
        assert_eq!(kept.brotli, brotli);
    }
}
