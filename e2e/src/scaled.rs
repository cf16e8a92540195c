//! The scaled topology for e2e: two server processes on one Postgres database and one NATS
//! JetStream namespace (from `TESSERA_TEST_POSTGRES` and `TESSERA_TEST_NATS`, which
//! `cargo xtask test` starts), sharing a data folder for published release files, each on its
//! own port. A test can `kill -9` either one.

use std::path::PathBuf;
use std::process::Stdio;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use tokio::process::{Child, Command};

/// One server process of the pair.
pub struct Instance {
    pub base: String,
    process: Child,
}

impl Instance {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `kill -9`: no graceful shutdown, whatever it held in flight stays unacknowledged.
    pub async fn kill(&mut self) -> Result<()> {
        self.process.kill().await.context("killing the instance")
    }
}

pub struct ScaledShop {
    pub instances: [Instance; 2],
    pub ops_token: String,
    pub http: reqwest::Client,
    data_dir: PathBuf,
}

fn required(name: &str) -> Result<String> {
    std::env::var(name).with_context(|| {
        format!("{name} is not set: run the e2e tests through `cargo xtask test`, which starts Postgres and NATS")
    })
}

impl ScaledShop {
    pub async fn start(test: &str) -> Result<ScaledShop> {
        let admin_url = required("TESSERA_TEST_POSTGRES")?;
        let nats_url = required("TESSERA_TEST_NATS")?;
        let unique = format!("{}_{}", std::process::id(), crate::free_port()?);
        let database = format!("e2e_{unique}");
        // The shop's database and its regions' stores.
        for name in [
            database.clone(),
            format!("{database}_eu"),
            format!("{database}_us"),
        ] {
            let status = std::process::Command::new("psql")
                .args(["-q", "-v", "ON_ERROR_STOP=1", "-d", &admin_url, "-c"])
                .arg(format!("CREATE DATABASE {name}"))
                .status()
                .context("running psql")?;
            if !status.success() {
                bail!("creating the e2e database {name} failed ({status})");
            }
        }
        let database_url = match admin_url.rsplit_once('/') {
            Some((cluster, _)) => format!("{cluster}/{database}"),
            None => bail!("TESSERA_TEST_POSTGRES has no database path: {admin_url}"),
        };
        let data_dir = std::env::temp_dir().join(format!("tessera-e2e-scaled-{unique}"));
        let ops_token = format!("e2e-scaled-ops-token-{unique:0>20}");
        let artifacts = crate::target_dir().join("e2e").join(test);
        let _ = std::fs::remove_dir_all(&artifacts);
        std::fs::create_dir_all(&artifacts)?;
        let mut instances = Vec::new();
        for name in ["a", "b"] {
            let port = crate::free_port()?;
            let log = std::fs::File::create(artifacts.join(format!("server-{name}.log")))?;
            let mut process = Command::new(crate::target_dir().join("debug/tessera-server"))
                .args(["--addr", &format!("127.0.0.1:{port}"), "--demo-data"])
                .args(["--rate-limits", "off", "--event-ack-wait-ms", "1500"])
                .arg("--data-dir")
                .arg(&data_dir)
                .env("DATABASE_URL", &database_url)
                .env("EVENT_BUS_URL", &nats_url)
                .env("EVENT_BUS_NAMESPACE", format!("e2e{unique}"))
                .env("TESSERA_OPS_TOKEN", &ops_token)
                .env("RUST_LOG", "info")
                .stdout(log.try_clone()?)
                .stderr(log)
                .stdin(Stdio::null())
                .kill_on_drop(true)
                .spawn()
                .context("starting a server instance")?;
            let base = format!("http://127.0.0.1:{port}");
            // One after the other: the first migrates and seeds, the second finds it done.
            crate::readiness::wait_for(
                &format!("{base}/healthz"),
                "a server instance",
                &mut process,
            )
            .await?;
            instances.push(Instance { base, process });
        }
        let [a, b]: [Instance; 2] = instances
            .try_into()
            .map_err(|_| anyhow::anyhow!("two instances"))?;
        Ok(ScaledShop {
            instances: [a, b],
            ops_token,
            http: reqwest::Client::new(),
            data_dir,
        })
    }

    /// The instance for the `step`-th request: they take turns.
    pub fn turn(&self, step: usize) -> &Instance {
        &self.instances[step % 2]
    }

    /// Sends JSON to `path` on `instance` as `token` and returns the JSON answer, failing on any
    /// status other than `expected`.
    pub async fn call(
        &self,
        instance: &Instance,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        expected: u16,
    ) -> Result<Value> {
        let mut request = self.http.request(method.clone(), instance.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let text = response.text().await?;
        if status != expected {
            bail!(
                "{method} {path} on {}: {status} (wanted {expected}): {text}",
                instance.base
            );
        }
        Ok(if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text)?
        })
    }

    pub async fn ops(&self, instance: &Instance, path: &str) -> Result<Value> {
        let token = self.ops_token.clone();
        self.call(
            instance,
            reqwest::Method::GET,
            path,
            Some(&token),
            None,
            200,
        )
        .await
    }

    /// A shopper's token, from `instance`.
    pub async fn session(&self, instance: &Instance) -> Result<String> {
        let session = self
            .call(
                instance,
                reqwest::Method::POST,
                "/v1/sessions",
                None,
                Some(json!({})),
                201,
            )
            .await?;
        Ok(session["token"]
            .as_str()
            .context("session token")?
            .to_owned())
    }
}

impl Drop for ScaledShop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}
