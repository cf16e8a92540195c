//! `kill -9` of the server while marketplace orders flow in (notifications lost and repeated),
//! then a restart on the same database: every order is there exactly once and ran its lifecycle
//! once; the ones placed while the server was down are found by polling.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use api_client::types::{MarketplaceImportStatus, MarketplaceOrderImportPage, OrderEventPage};
use common::market::eventually;
use common::{OPS_TOKEN, temp_dir};
use serde_json::{Value, json};

const SECRET: &str = "whsec_dGVzc2VyYS1tYXJrZXRwbGFjZS10ZXN0LWtleS0zMmI=";

struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(addr: &str, data_dir: &std::path::Path, marketplaces: &str) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_tessera-server"))
        .args([
            "--addr",
            addr,
            "--demo-data",
            "--rate-limits",
            "off",
            "--edge-render",
            "off",
        ])
        .arg("--data-dir")
        .arg(data_dir)
        // A seller allowed ten times the default quotas (set at the simulator below).
        .args([
            "--marketplaces",
            marketplaces,
            "--connector-budget-scale",
            "10",
        ])
        .env("TESSERA_OPS_TOKEN", OPS_TOKEN)
        .env("TESSERA_MARKETPLACE_SECRET", SECRET)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server binary starts");
    Server { child }
}

async fn ops_get<T: serde::de::DeserializeOwned>(http: &reqwest::Client, url: &str) -> Option<T> {
    let response = http.get(url).bearer_auth(OPS_TOKEN).send().await.ok()?;
    response.status().is_success().then_some(())?;
    response.json().await.ok()
}

#[tokio::test]
async fn a_killed_server_resumes_with_no_duplicate_and_no_lost_order() {
    let (_, sim_addr, _stop) = marketplace_sim::start("127.0.0.1:0".parse().unwrap(), 0)
        .await
        .unwrap();
    let sim = format!("http://{sim_addr}");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let shop = format!("http://{addr}");
    let data_dir = temp_dir("crash");
    let http = reqwest::Client::new();
    let control = |verb: &str, path: &str, body: Value| {
        http.request(common::method(verb), format!("{sim}{path}"))
            .json(&body)
            .send()
    };
    control(
        "PUT",
        "/control/webhook",
        json!({"baseUrl": shop, "secret": SECRET}),
    )
    .await
    .unwrap();
    for marketplace in ["amazon", "ebay", "zalando"] {
        let quota = format!("/control/{marketplace}/quota");
        let response = control("PUT", &quota, json!({"scale": 10})).await.unwrap();
        assert!(response.status().is_success(), "{quota}: {response:?}");
    }
    let faults = json!({"dropNotifications": 0.4, "duplicateNotifications": 0.4});
    control("PUT", "/control/ebay/faults", faults)
        .await
        .unwrap();

    let server = start_server(&addr, &data_dir, &sim);
    let listed = format!("{sim}/control/ebay");
    eventually("the shop lists its stock at ebay", || async {
        let state: Value = http
            .get(&listed)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        state["listings"]
            .as_array()
            .is_some_and(|listings| listings.len() > 20)
    })
    .await;
    let state: Value = http
        .get(&listed)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let skus: Vec<String> = state["listings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|listing| listing["quantity"].as_i64().unwrap_or(0) >= 3)
        .map(|listing| listing["sku"].as_str().unwrap().to_owned())
        .take(12)
        .collect();
    assert_eq!(skus.len(), 12, "enough stocked SKUs");

    let mut placed = Vec::new();
    let mut server = Some(server);
    for (index, sku) in skus.iter().enumerate() {
        if index == 6 {
            // Mid-sync: orders arrive while the shop is gone, and it dies without a goodbye.
            drop(server.take());
        }
        let order: Value = control(
            "POST",
            "/control/ebay/orders",
            json!({"lines": [{"sku": sku, "quantity": 1}]}),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        placed.push(order["id"].as_str().unwrap().to_owned());
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    let _server = start_server(&addr, &data_dir, &sim);
    let imports_url = format!("{shop}/v1/ops/connectors/ebay/imports?limit=100");
    eventually(
        "every order is imported and accepted after the restart",
        || async {
            let page: Option<MarketplaceOrderImportPage> = ops_get(&http, &imports_url).await;
            page.is_some_and(|page| {
                page.items.len() == placed.len()
                    && page
                        .items
                        .iter()
                        .all(|import| import.status == MarketplaceImportStatus::Accepted)
            })
        },
    )
    .await;
    let page: MarketplaceOrderImportPage = ops_get(&http, &imports_url).await.unwrap();
    let mut imported: Vec<String> = page
        .items
        .iter()
        .map(|import| import.marketplace_order_id.clone())
        .collect();
    imported.sort();
    placed.sort();
    assert_eq!(imported, placed, "each order exactly once");
    let events_url = format!("{shop}/v1/ops/events?type=MarketplaceOrderAccepted&limit=100");
    let accepted: OrderEventPage = ops_get(&http, &events_url).await.unwrap();
    assert_eq!(
        accepted.items.len(),
        placed.len(),
        "each lifecycle ran once"
    );
}
