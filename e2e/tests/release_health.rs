//! Release health in the ops console against the real server: a guarded ramp halts a release
//! with a planted error and the page says why; a synthetic A/B test of 2,000 visitors, one
//! variant converting twice as well, shows that variant as the winner with its interval, and a
//! sample skewed on purpose raises the sample-ratio warning.

use anyhow::{Context, ensure};
use e2e::pages::console::Console;
use e2e::planted::{APP, PANICKING, SLUG, fresh_visit, publish_panicking_release};
use e2e::visitors::Visitors;
use serde_json::json;

#[tokio::test]
async fn a_guarded_ramp_halts_a_release_with_a_planted_error_and_the_page_says_why() {
    e2e::run("release_health_ramp", async |session| {
        let good = session.publish(APP).await?;
        publish_panicking_release(session).await?;
        let ramp = json!({"app": APP, "seed": "ramp-seed", "entries": [
            {"releaseId": good, "weight": 1.0}, {"releaseId": PANICKING, "weight": 0.0}
        ], "ramp": {"releaseId": PANICKING, "steps": [0.5, 1.0], "minVisitors": 5,
                    "maxErrorRate": 0.2, "maxConversionDrop": 0.05}});
        session
            .ops_request("PUT", &format!("/v1/ops/rollouts/{APP}"), Some(ramp))
            .await?;
        session.open(&format!("/products/{SLUG}")).await?;
        let mut state = String::new();
        for _ in 0..60 {
            fresh_visit(session).await?;
            let rollout = session
                .ops_request("GET", &format!("/v1/ops/rollouts/{APP}"), None)
                .await?;
            state = rollout["ramp"]["state"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if state != "ramping" {
                break;
            }
        }
        ensure!(
            state == "halted",
            "the ramp halted the planted error: {state}"
        );

        let console =
            Console::open(session, &session.ops_token, &format!("/ops/releases/{APP}")).await?;
        console
            .eventually(
                "the page shows the halted ramp",
                "document.querySelector('[data-ramp=halted]')",
            )
            .await?;
        let page = session
            .eval("return document.querySelector('.tco-health').textContent;")
            .await?;
        let page = page.as_str().context("the page's text")?;
        ensure!(
            page.contains("guarded ramp halted at step 1") && page.contains("error rate"),
            "the history says why: {page}"
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_synthetic_ab_test_shows_the_winner_and_warns_on_a_skewed_sample() {
    let extras = e2e::ServerExtras {
        args: [
            "--rate-limits",
            "off",
            "--telemetry-visitors-per-address",
            "1000000",
        ]
        .map(str::to_owned)
        .to_vec(),
        ..e2e::ServerExtras::default()
    };
    e2e::run_with("release_health_ab", &extras, async |session| {
        let control = session.publish(APP).await?;
        let variant = session.publish(&format!("{APP}+variant-b")).await?;
        session
            .roll_out(APP, &[(&control, 0.5), (&variant, 0.5)], None)
            .await?;
        let rollout = session
            .ops_request("GET", &format!("/v1/ops/rollouts/{APP}"), None)
            .await?;
        let seed = rollout["seed"].as_str().context("the seed")?.to_owned();
        let releases = [(control.as_str(), 0.5), (variant.as_str(), 0.5)];
        let visitors = Visitors::new(session).await?;
        // One control visitor in 20 buys, one variant visitor in 10.
        let mut seen = [0usize; 2];
        for _ in 0..2000 {
            let index = |release: &str| usize::from(release == variant.as_str());
            let buys = |release: &str| {
                let nth = seen[index(release)] + 1;
                nth % if release == variant.as_str() { 10 } else { 20 } == 0
            };
            let release = visitors.visit(APP, &seed, &releases, buys).await?;
            seen[index(&release)] += 1;
        }

        let console = Console::open(session, &session.ops_token, &format!("/ops/releases/{APP}")).await?;
        console
            .eventually("the readout", "document.querySelector('.tco-health table')")
            .await?;
        let rows = session
            .eval("return [...document.querySelectorAll('.tco-health table')[0].querySelectorAll('tbody tr')].map((row) => row.textContent);")
            .await?;
        let rows: Vec<String> = serde_json::from_value(rows)?;
        let winner = rows
            .iter()
            .find(|row| row.contains(variant.as_str()))
            .context("the variant's row")?;
        // About five points better (1 in 10 against 1 in 20), with an interval above zero.
        ensure!(
            winner.contains("+4.") || winner.contains("+5.") || winner.contains("+6."),
            "the variant wins by about five points: {winner}"
        );
        ensure!(
            winner.contains("significant") && !winner.contains("not significant"),
            "the interval excludes zero: {winner}"
        );
        let method = session.eval("return document.querySelector('[data-method]').textContent;").await?;
        ensure!(method.as_str().is_some_and(|text| text.contains("z-test")), "{method}");
        let warned = session.eval("return !!document.querySelector('[data-warning=srm]');").await?;
        ensure!(warned == json!(false), "an even split raises no warning");

        for _ in 0..300 {
            visitors.visit_only(APP, &seed, &releases, &control).await?;
        }
        session.driver.refresh().await?;
        console
            .eventually(
                "the sample-ratio warning",
                "document.querySelector('[data-warning=srm]')",
            )
            .await?;
        Ok(())
    })
    .await;
}
