//! `marketplace-sim [--port N] [--shop URL --secret whsec_…] [--demo-orders-per-minute N]`: the
//! simulator on its own loopback port. With `--shop`, order notifications go to that shop.

use std::net::SocketAddr;

use anyhow::{Context, Result, bail};
use marketplace_sim::{Simulator, WebhookTarget};

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let mut port = 0u16;
    let (mut shop, mut secret, mut demo) = (None, None, 0u32);
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--port" => port = value()?.parse().context("--port")?,
            "--shop" => shop = Some(value()?),
            "--secret" => secret = Some(value()?),
            "--demo-orders-per-minute" => {
                demo = value()?.parse().context("--demo-orders-per-minute")?
            }
            other => bail!("unknown flag {other}"),
        }
    }
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    let simulator = Simulator::default();
    if let Some(base_url) = shop {
        let secret = secret.context("--shop needs --secret")?;
        simulator.set_webhook(Some(WebhookTarget { base_url, secret }));
    }
    // `cargo xtask serve` reads this line for the address.
    println!(
        "marketplace simulator listening on http://{}",
        listener.local_addr()?
    );
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        let _ = stop.send(true);
    });
    simulator.serve(listener, demo, stopped).await?;
    Ok(())
}
