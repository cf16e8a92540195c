//! The ops API from the command line: publishing a release, setting a rollout, rolling back, and
//! explaining which release a visitor gets (with the same bucketing the shell uses).

use std::path::Path;

use anyhow::{Context, Result, bail};
use api_client::types::{Manifest, Release, ReleaseMetadata, Rollout, RolloutEntry, StopCondition};
use serde_json::Value;

pub struct OpsApi {
    base: String,
    token: String,
}

fn checked(result: Result<ureq::Response, ureq::Error>, what: &str) -> Result<ureq::Response> {
    match result {
        Ok(response) => Ok(response),
        Err(ureq::Error::Status(status, response)) => {
            let body: Value = response.into_json().unwrap_or_default();
            bail!(
                "{what}: {status} {}: {}",
                body["title"].as_str().unwrap_or("error"),
                body["detail"].as_str().unwrap_or_default()
            )
        }
        Err(error) => Err(error).with_context(|| format!("{what}: the server did not answer")),
    }
}

impl OpsApi {
    pub fn new(base: &str, token: &str) -> Self {
        OpsApi {
            base: base.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
        }
    }

    fn request(&self, method: &str, path: &str, key: Option<&str>) -> ureq::Request {
        let request = ureq::request(method, &format!("{}{path}", self.base))
            .set("Authorization", &format!("Bearer {}", self.token));
        match key {
            Some(key) => request.set("Idempotency-Key", key),
            None => request,
        }
    }

    /// Uploads every file of a release folder, then registers its metadata. Safe to repeat.
    pub fn publish(&self, directory: &Path) -> Result<Release> {
        let text = std::fs::read_to_string(directory.join("release.json"))
            .with_context(|| format!("{} is not a built release", directory.display()))?;
        let metadata: ReleaseMetadata = serde_json::from_str(&text)?;
        let (app, release) = (metadata.app.to_string(), metadata.release_id.to_string());
        for file in &metadata.files {
            let path = format!("/v1/ops/releases/{app}/{release}/files/{}", file.path);
            let key = format!("upload:{release}:{}", file.path);
            let request = self
                .request("PUT", &path, Some(&key))
                .set("Content-Type", "application/octet-stream");
            // The build's brotli form, when it wrote one, saves the server compressing the file
            // again at quality 11 (seconds of CPU per wasm file) and is a quarter of the upload.
            let brotli = directory.join(format!("{}.br", file.path));
            let sent = match std::fs::read(&brotli) {
                Ok(compressed) => request
                    .set("Content-Encoding", "br")
                    .send_bytes(&compressed),
                Err(_) => request.send_bytes(&std::fs::read(directory.join(&file.path))?),
            };
            checked(sent, &format!("uploading {}", file.path))?;
        }
        let response = checked(
            self.request(
                "POST",
                "/v1/ops/releases",
                Some(&format!("publish:{app}:{release}")),
            )
            .send_json(&metadata),
            "publishing",
        )?;
        Ok(response.into_json()?)
    }

    pub fn rollout(&self, app: &str) -> Result<Option<Rollout>> {
        match self
            .request("GET", &format!("/v1/ops/rollouts/{app}"), None)
            .call()
        {
            Ok(response) => Ok(Some(response.into_json()?)),
            Err(ureq::Error::Status(404, _)) => Ok(None),
            Err(error) => checked(Err(error), "reading the rollout").map(|_| None),
        }
    }

    /// Sets an app's weights; the seed stays what it was (so visitors keep their buckets) unless
    /// one is given, and defaults to the app's name for a first rollout.
    pub fn set_rollout(
        &self,
        app: &str,
        entries: &[(String, f64)],
        seed: Option<&str>,
        stop: Option<(f64, i64)>,
    ) -> Result<Rollout> {
        let current = self.rollout(app)?;
        let seed = seed
            .map(str::to_owned)
            .or_else(|| current.as_ref().map(|r| r.seed.clone()))
            .unwrap_or_else(|| app.to_owned());
        let rollout = Rollout {
            app: app.to_owned().into(),
            seed,
            entries: entries
                .iter()
                .map(|(release, weight)| RolloutEntry {
                    release_id: release.clone().into(),
                    weight: *weight,
                })
                .collect(),
            stop_condition: stop.map(|(max_error_rate, min_exposures)| StopCondition {
                max_error_rate,
                min_exposures,
            }),
            ramp: None,
            reason: None,
            revision: None,
            updated_at: None,
        };
        let response = checked(
            self.request("PUT", &format!("/v1/ops/rollouts/{app}"), None)
                .send_json(&rollout),
            "setting the rollout",
        )?;
        Ok(response.into_json()?)
    }

    pub fn rollback(&self, app: &str) -> Result<Rollout> {
        let response = checked(
            self.request("POST", &format!("/v1/ops/rollouts/{app}/rollback"), None)
                .call(),
            "rolling back",
        )?;
        Ok(response.into_json()?)
    }
}

pub fn describe_rollout(rollout: &Rollout) -> String {
    let entries: Vec<String> = rollout
        .entries
        .iter()
        .map(|entry| format!("{} {:.1} %", entry.release_id, entry.weight * 100.0))
        .collect();
    format!(
        "{} revision {}: {} (seed {})",
        rollout.app,
        rollout.revision.unwrap_or_default(),
        entries.join(", "),
        rollout.seed
    )
}

/// Which release of `app` the public manifest gives `visitor`, and why.
pub fn explain_assignment(server: &str, app: &str, visitor: &str) -> Result<String> {
    let manifest: Manifest = checked(
        ureq::get(&format!("{}/v1/manifest", server.trim_end_matches('/'))).call(),
        "reading the manifest",
    )?
    .into_json()?;
    let entry = manifest
        .apps
        .iter()
        .find(|entry| entry.app.to_string() == app)
        .with_context(|| format!("the manifest has no rollout for {app}"))?;
    let weights: Vec<f64> = entry
        .releases
        .iter()
        .map(|release| release.weight)
        .collect();
    let bucket = micro_app::hash(&entry.seed, visitor, 2).context("hash version 2 exists")?;
    let ranges = micro_app::bucket_ranges(weights.len(), 1.0, Some(&weights));
    let mut lines = vec![format!(
        "{app} (manifest revision {}): visitor {visitor} is in bucket {bucket:.4} (GrowthBook v2 hash of seed \"{}\")",
        entry.revision, entry.seed
    )];
    for (release, (start, end)) in entry.releases.iter().zip(&ranges) {
        lines.push(format!(
            "  {} weight {:.3} covers [{start:.4}, {end:.4})",
            release.release_id, release.weight
        ));
    }
    lines.push(match micro_app::choose_variation(bucket, &ranges) {
        Some(index) => format!("→ {}", entry.releases[index].release_id),
        None => "→ no release (weights leave this bucket uncovered)".to_owned(),
    });
    Ok(lines.join("\n"))
}
