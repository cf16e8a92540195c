//! Waiting for a child process to answer: the server's `/healthz`, chromedriver's `/status`.

use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use tokio::process::Child;

pub(crate) async fn wait_for(url: &str, what: &str, child: &mut Child) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait()? {
            bail!("{what} exited early ({status})");
        }
        if probe(url).await {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("{what} did not answer {url} within 30 s");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A bare HTTP/1.1 GET that reads only the status line: the harness needs no HTTP client for
/// readiness checks, and chromedriver keeps connections open despite `Connection: close`.
async fn probe(url: &str) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let (host, path) = rest
        .split_once('/')
        .map(|(h, p)| (h, format!("/{p}")))
        .unwrap_or((rest, "/".into()));
    let Ok(mut stream) = tokio::net::TcpStream::connect(host).await else {
        return false;
    };
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).await.is_err() {
        return false;
    }
    let mut status_line = [0u8; 12];
    let read =
        tokio::time::timeout(Duration::from_secs(2), stream.read_exact(&mut status_line)).await;
    matches!(read, Ok(Ok(_))) && status_line.starts_with(b"HTTP/1.1 200")
}
