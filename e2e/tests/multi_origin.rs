//! Multi-origin delivery in Chromium: the server lists two release origins, each a static host
//! serving a `tessera-server export` of the shop (nginx with the export's `nginx.conf`, and a
//! host applying its `_headers`), both passing the origin's own header checks; nginx also serves
//! the whole shop from the export, passing the API through. The first origin dies mid-session; the next app, a fresh page and the product page keep working from the
//! second, and the shells report which origin served them.

use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use e2e::origins;
use e2e::pages::product::ProductPage;
use serde_json::{Value, json};

const SLUG: &str = "merino-crew-sweater";

/// The app in the main slot loaded (or hydrated) with files from `origin`.
async fn served_from(session: &e2e::Session, app: &str, origin: &str) -> anyhow::Result<()> {
    session
        .wait_until(
            &format!("{app} loaded from {origin}"),
            &format!(
                "document.querySelector('#ts-slot-main .ts-shell__app[data-app=\"{app}\"][data-origin=\"{origin}\"]')"
            ),
        )
        .await
}

/// The release loads this server counted for `origin`, from the shells' beacons.
async fn loads_counted(session: &e2e::Session, origin: &str) -> anyhow::Result<f64> {
    let text = reqwest::Client::new()
        .get(session.url("/metrics"))
        .bearer_auth(&session.ops_token)
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    let series = format!("tessera_release_loads_total{{origin=\"{origin}\"}} ");
    Ok(text
        .lines()
        .find_map(|line| line.strip_prefix(&series))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0.0))
}

#[tokio::test]
async fn the_shop_keeps_loading_when_its_first_release_origin_dies() {
    let (first, second) = (
        format!("http://127.0.0.1:{}", origins::free_port().unwrap()),
        format!("http://127.0.0.1:{}", origins::free_port().unwrap()),
    );
    let extras = e2e::ServerExtras {
        args: vec!["--release-origins".into(), format!("{first},{second}")],
        env: Vec::new(),
    };
    e2e::run_with("multi_origin", &extras, async |session| {
        session.open_shop().await?;
        let catalog = session.publish("catalog").await?;
        session.roll_out("catalog", &[(&catalog, 1.0)], None).await?;
        let site = origins::export(session, &format!("{first},{second}")).await?;
        let port = |base: &str| -> anyhow::Result<u16> {
            Ok(base.rsplit(':').next().context("a port")?.parse()?)
        };
        let mut nginx = origins::nginx(session, &site, port(&first)?).await?;
        let headers_host = origins::headers_host(&site, port(&second)?).await?;

        let manifest: Value = reqwest::get(session.url("/v1/manifest")).await?.json().await?;
        ensure!(manifest["origins"] == json!([first, second]), "{manifest}");
        let exported: Value =
            serde_json::from_slice(&std::fs::read(site.join("v1").join("manifest"))?)?;
        ensure!(exported["apps"] == manifest["apps"], "the export is the live manifest");
        let wasm = manifest["apps"][0]["releases"][0]["files"]["wasm"]["url"]
            .as_str()
            .context("a wasm file in the manifest")?
            .to_owned();
        for base in [&session.base, &nginx.base, &headers_host.base] {
            origins::check_headers(base, &wasm, e2e::MANIFEST_TTL_SECONDS)
                .await
                .with_context(|| format!("header checks of {base}"))?;
        }

        // The shop, from the first origin.
        session.open("/").await?;
        e2e::pages::hydrate_drawn_slot(session).await?;
        served_from(session, "catalog", &first).await?;

        // The export is the whole shop too: its home page served by nginx alone (page, shell,
        // release files, and the catalog's API calls passed through to the shop).
        session.driver.goto(format!("{first}/")).await?;
        session
            .wait_until(
                "the exported home page lists products",
                "document.querySelectorAll('[data-app=catalog] .tca-card').length > 0",
            )
            .await?;
        served_from(session, "catalog", &first).await?;

        // Back on the shop, the first origin goes dark mid-session: the next app comes from
        // the second.
        session.open("/").await?;
        e2e::pages::hydrate_drawn_slot(session).await?;
        served_from(session, "catalog", &first).await?;
        nginx.kill().await?;
        session
            .eval("document.querySelector('[data-app=catalog] a[href^=\"/products/\"]').click(); return null;")
            .await?;
        served_from(session, "product-detail", &second).await?;
        let page = ProductPage::current(session);
        page.wait_until_settled().await?;
        ensure!(page.add_to_cart().await? == "added", "adding to the cart");

        // A fresh visit while the first origin is still dead: the product page works.
        let page = ProductPage::open(session, SLUG, "").await?;
        served_from(session, "product-detail", &second).await?;
        ensure!(page.add_to_cart().await? == "added", "adding to the cart again");
        ensure!(page.header_count().await? == "2", "two items in the cart");
        ensure!(
            session.console_errors().await?.iter().all(|error| !error.contains("integrity")),
            "no integrity failures"
        );

        // The shells said which origin served them (beacons go out every few seconds).
        let deadline = Instant::now() + Duration::from_secs(20);
        while loads_counted(session, &second).await? < 1.0 {
            if Instant::now() > deadline {
                bail!("no release load from {second} reached /metrics");
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        ensure!(
            loads_counted(session, &first).await? >= 1.0,
            "the catalog's load from {first} was counted"
        );
        Ok(())
    })
    .await;
}
