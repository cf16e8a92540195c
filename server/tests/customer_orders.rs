//! A signed-in customer's orders: the cart they had as a guest follows them when they sign up, their checkout's
//! contact and addresses are sealed in the global store with a key in their home region,
//! consent decides which mail they get, and erasure shreds every sealed copy ("deleted
//! customer") while the order itself stays for the books.

mod common;

use api_client::types::OrderStatus;
use common::market::eventually;
use common::{TestServer, contains, fetch_json, status_of};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const EMAIL: &str = "ada.sealwright@example.com";
const STREET: &str = "17 Sealed Lane";
const NAME: &str = "Ada Sealwright";

async fn sign_up_as(
    server: &TestServer,
    shopper: Option<&str>,
    email: &str,
    country: &str,
) -> String {
    let mut request = server.public(Method::POST, "/v1/customers").json(&json!({
        "email": email, "password": "correct horse battery", "name": email, "country": country
    }));
    if let Some(shopper) = shopper {
        request = request.bearer_auth(shopper);
    }
    let session: Value = fetch_json(request, StatusCode::CREATED).await;
    session["token"].as_str().unwrap().to_owned()
}

async fn set_consent(server: &TestServer, token: &str, purpose: &str, granted: bool) {
    let request = server
        .http
        .put(server.url(&format!("/v1/customers/me/consents/{purpose}")))
        .bearer_auth(token)
        .json(&json!({"granted": granted}));
    assert_eq!(status_of(request).await, StatusCode::OK);
}

async fn get(server: &TestServer, token: &str, path: &str) -> Value {
    fetch_json(
        server.http.get(server.url(path)).bearer_auth(token),
        StatusCode::OK,
    )
    .await
}

#[tokio::test]
async fn a_customers_order_is_sealed_outside_their_region_and_shredded_by_erasure() {
    let server = TestServer::start().await;
    // As a guest: a cart and a checkout, then signing up mid-checkout.
    let (_, variant) = server.buyable_variant(1).await;
    let cart = server.create_cart(&variant, 1).await;
    let checkout: Value = fetch_json(
        server
            .shopper(Method::POST, "/v1/checkouts")
            .json(&json!({"cartId": cart.id})),
        StatusCode::CREATED,
    )
    .await;
    let path = format!("/v1/checkouts/{}", checkout["id"].as_str().unwrap());
    let token = sign_up_as(
        &server,
        Some(&server.shopper),
        "ada.account@example.com",
        "DE",
    )
    .await;
    let ada = server.as_holder_of(&token);
    assert_eq!(
        status_of(server.shopper(Method::GET, &path)).await,
        StatusCode::NOT_FOUND,
        "the guest session gave its cart away"
    );
    let contact = ada
        .shopper(Method::PUT, &format!("{path}/contact"))
        .json(&json!({"email": EMAIL}));
    assert_eq!(status_of(contact).await, StatusCode::OK);
    set_consent(&server, &token, "order_updates", true).await;
    set_consent(&server, &token, "marketing_email", true).await;
    set_consent(&server, &token, "marketing_email", false).await;

    let address = json!({"shippingAddress": {"name": NAME, "line1": STREET, "city": "Berlin", "postalCode": "10117", "country": "DE"}});
    let addresses = ada
        .shopper(Method::PUT, &format!("{path}/addresses"))
        .json(&address);
    let with_address: Value = fetch_json(addresses, StatusCode::OK).await;
    assert_eq!(
        with_address["email"], EMAIL,
        "the customer reads their own contact"
    );
    assert_eq!(with_address["shippingAddress"]["line1"], STREET);
    let option = ada
        .shopper(Method::PUT, &format!("{path}/shipping-option"))
        .json(&json!({"shippingOptionId": "international"}));
    assert_eq!(status_of(option).await, StatusCode::OK);
    let placed = ada
        .pay(
            checkout["id"].as_str().unwrap(),
            "4242424242424242",
            "sealed-1",
        )
        .await;
    assert_eq!(placed.email, EMAIL);
    let order = ada
        .order_reaching(&placed.id, &[OrderStatus::Confirmed])
        .await;
    assert_eq!(order.shipping_address.name, NAME);
    let customer = order
        .customer
        .as_ref()
        .expect("the order names its customer");
    assert_eq!(customer.region.to_string(), "eu");
    assert!(!customer.erased);

    let mine = get(&server, &token, "/v1/customers/me/orders").await;
    assert_eq!(mine["items"][0]["id"], placed.id.as_str());
    assert_eq!(mine["items"][0]["email"], EMAIL);
    eventually("the order-update mail", || async {
        get(&server, &token, "/v1/customers/me/mail").await["items"]
            .as_array()
            .is_some_and(|mail| !mail.is_empty())
    })
    .await;
    let mail = get(&server, &token, "/v1/customers/me/mail").await;
    let purposes: Vec<&str> = mail["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|mail| mail["purpose"].as_str().unwrap())
        .collect();
    assert_eq!(
        purposes,
        ["order_updates"],
        "no marketing after withdrawal: {mail}"
    );
    let withdrawn = fetch_json::<Value>(
        server.ops(
            Method::GET,
            &format!(
                "/v1/ops/events?orderId={}&type=ConsentWithdrawn",
                customer.id
            ),
        ),
        StatusCode::OK,
    )
    .await;
    assert_eq!(withdrawn["items"][0]["data"]["purpose"], "marketing_email");

    let export = get(&server, &token, "/v1/customers/me/export").await;
    assert_eq!(export["orders"][0]["shippingAddress"]["line1"], STREET);
    assert_eq!(export["mail"][0]["subject"], mail["items"][0]["subject"]);

    // Another customer cannot reach the order.
    let grace = sign_up_as(&server, None, "grace.elsewhere@example.com", "US").await;
    let theirs = server
        .http
        .get(server.url(&format!("/v1/orders/{}", placed.id)));
    assert_eq!(
        status_of(theirs.bearer_auth(&grace)).await,
        StatusCode::NOT_FOUND
    );
    let none = get(&server, &grace, "/v1/customers/me/orders").await;
    assert_eq!(none["items"], json!([]));

    if std::env::var("TESSERA_TEST_POSTGRES").is_err() {
        let global = server.stored_bytes("tessera.sqlite");
        let us_store = server.stored_bytes("region-us.sqlite");
        for secret in [EMAIL, STREET, NAME, "ada.account@"] {
            assert!(!contains(&global, secret), "{secret} in the global store");
            assert!(!contains(&us_store, secret), "{secret} in the US store");
        }
    }

    let erase = server.http.delete(server.url("/v1/customers/me"));
    assert_eq!(
        status_of(erase.bearer_auth(&token)).await,
        StatusCode::NO_CONTENT
    );
    let ops_view: Value = fetch_json(
        server.ops(Method::GET, &format!("/v1/orders/{}", placed.id)),
        StatusCode::OK,
    )
    .await;
    assert_eq!(ops_view["status"], "confirmed", "{ops_view}");
    assert_eq!(ops_view["email"], "deleted customer");
    assert_eq!(ops_view["shippingAddress"]["name"], "deleted customer");
    assert_eq!(ops_view["shippingAddress"]["line1"], "");
    assert_eq!(ops_view["shippingAddress"]["country"], "DE");
    assert_eq!(ops_view["customer"]["erased"], true);
    let listed: Value = fetch_json(server.ops(Method::GET, "/v1/ops/orders"), StatusCode::OK).await;
    let summary = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["id"] == placed.id.as_str())
        .expect("the order stays for the books");
    assert_eq!(summary["email"], "deleted customer");
    assert_eq!(summary["customer"]["erased"], true);
    server.stop().await;
}
