//! Customer accounts: sign-up in the home region, sign-in and sign-out, the export, erasure,
//! abuse limits, and the residency guarantee that a customer's personal data exists only in
//! their region's store.

mod common;

use common::{TestServer, contains, fetch_json, fetch_problem, status_of};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

async fn sign_up(server: &TestServer, email: &str, country: &str) -> Value {
    fetch_json(
        server.public(Method::POST, "/v1/customers").json(&json!({
            "email": email, "password": PASSWORD, "name": "Ada Lovelace", "country": country
        })),
        StatusCode::CREATED,
    )
    .await
}

fn as_customer(
    server: &TestServer,
    method: Method,
    path: &str,
    token: &str,
) -> reqwest::RequestBuilder {
    server
        .http
        .request(method, server.url(path))
        .bearer_auth(token)
}

fn token_of(session: &Value) -> String {
    session["token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn each_customers_personal_data_lives_only_in_their_home_region() {
    let server = TestServer::start().await;
    let eu = sign_up(&server, "ada.eu-resident@example.com", "DE").await;
    let us = sign_up(&server, "grace.us-resident@example.com", "US").await;
    assert_eq!(eu["customer"]["region"], "eu");
    assert_eq!(us["customer"]["region"], "us");
    let me: Value = fetch_json(
        as_customer(&server, Method::GET, "/v1/customers/me", &token_of(&eu)),
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["email"], "ada.eu-resident@example.com");
    assert_eq!(me["id"], eu["customer"]["id"]);

    if std::env::var("TESSERA_TEST_POSTGRES").is_ok() {
        eprintln!("the byte-level residency check reads the embedded SQLite files: skipped here");
    } else {
        let global = server.stored_bytes("tessera.sqlite");
        let eu_store = server.stored_bytes("region-eu.sqlite");
        let us_store = server.stored_bytes("region-us.sqlite");
        assert!(contains(&eu_store, "ada.eu-resident@example.com"));
        assert!(
            !contains(&global, "ada.eu-resident"),
            "EU email in the global store"
        );
        assert!(
            !contains(&us_store, "ada.eu-resident"),
            "EU email in the US store"
        );
        assert!(
            !contains(&global, "grace.us-resident"),
            "US email in the global store"
        );
        assert!(
            !contains(&eu_store, "grace.us-resident"),
            "US email in the EU store"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn sign_in_and_out_with_one_answer_for_every_wrong_credential() {
    let server = TestServer::start().await;
    sign_up(&server, "Ada@Example.com", "FR").await;
    fetch_problem(
        server.public(Method::POST, "/v1/customers").json(&json!({
            "email": "ada@example.COM", "password": PASSWORD, "name": "Ada", "country": "US"
        })),
        StatusCode::CONFLICT,
        "email-taken",
    )
    .await;
    for (email, password) in [
        ("ada@example.com", "not the password"),
        ("nobody@example.com", PASSWORD),
    ] {
        fetch_problem(
            server
                .public(Method::POST, "/v1/customers/sign-in")
                .json(&json!({"email": email, "password": password})),
            StatusCode::UNAUTHORIZED,
            "invalid-credentials",
        )
        .await;
    }
    let session: Value = fetch_json(
        server
            .public(Method::POST, "/v1/customers/sign-in")
            .json(&json!({"email": "ADA@example.com", "password": PASSWORD})),
        StatusCode::OK,
    )
    .await;
    let token = token_of(&session);
    assert_eq!(session["customer"]["region"], "eu");
    // A customer's token is a shopper token too.
    let cart =
        as_customer(&server, Method::POST, "/v1/carts", &token).json(&json!({"currency": "USD"}));
    assert_eq!(status_of(cart).await, StatusCode::CREATED);

    let signed_out = as_customer(&server, Method::POST, "/v1/customers/sign-out", &token);
    assert_eq!(status_of(signed_out).await, StatusCode::NO_CONTENT);
    let after = as_customer(&server, Method::GET, "/v1/customers/me", &token);
    assert_eq!(status_of(after).await, StatusCode::UNAUTHORIZED);
    server.stop().await;
}

#[tokio::test]
async fn a_shopper_token_is_no_customer() {
    let server = TestServer::start().await;
    let anonymous = server.shopper(Method::GET, "/v1/customers/me");
    assert_eq!(status_of(anonymous).await, StatusCode::UNAUTHORIZED);
    let export = server.shopper(Method::GET, "/v1/customers/me/export");
    assert_eq!(status_of(export).await, StatusCode::UNAUTHORIZED);
    server.stop().await;
}

#[tokio::test]
async fn the_export_holds_everything_and_erasure_removes_it() {
    let server = TestServer::start().await;
    let session = sign_up(&server, "erase.me@example.com", "US").await;
    let token = token_of(&session);
    let response = as_customer(&server, Method::GET, "/v1/customers/me/export", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response.headers()[reqwest::header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    let export: Value = response.json().await.unwrap();
    assert_eq!(export["customer"]["email"], "erase.me@example.com");
    assert_eq!(export["customer"]["name"], "Ada Lovelace");

    let erased = as_customer(&server, Method::DELETE, "/v1/customers/me", &token);
    assert_eq!(status_of(erased).await, StatusCode::NO_CONTENT);
    let me = as_customer(&server, Method::GET, "/v1/customers/me", &token);
    assert_eq!(status_of(me).await, StatusCode::UNAUTHORIZED);
    fetch_problem(
        server
            .public(Method::POST, "/v1/customers/sign-in")
            .json(&json!({"email": "erase.me@example.com", "password": PASSWORD})),
        StatusCode::UNAUTHORIZED,
        "invalid-credentials",
    )
    .await;
    server.stop().await;
}

#[tokio::test]
async fn bad_sign_ups_get_field_errors() {
    let server = TestServer::start().await;
    for (body, field) in [
        (
            json!({"email": "a@example.com", "password": "short", "name": "A", "country": "US"}),
            "password",
        ),
        (
            json!({"email": "not-an-email", "password": PASSWORD, "name": "A", "country": "US"}),
            "email",
        ),
        (
            json!({"email": "a@example.com", "password": PASSWORD, "name": "A", "country": "usa"}),
            "country",
        ),
        (
            json!({"email": "a@example.com", "password": PASSWORD, "name": "   ", "country": "US"}),
            "name",
        ),
    ] {
        let problem: Value = fetch_json(
            server.public(Method::POST, "/v1/customers").json(&body),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|error| error["field"].as_str())
            .collect();
        assert!(fields.contains(&field), "{body}: {problem}");
    }
    server.stop().await;
}

#[tokio::test]
async fn guessing_one_accounts_password_is_rate_limited() {
    let server = TestServer::start_with(|config| {
        config.rate_limits = Some(tessera_server::LimitsConfig::default());
    })
    .await;
    sign_up(&server, "target@example.com", "US").await;
    let mut statuses = Vec::new();
    for _ in 0..7 {
        let attempt = server
            .public(Method::POST, "/v1/customers/sign-in")
            .json(&json!({"email": "target@example.com", "password": "guess guess guess"}));
        statuses.push(status_of(attempt).await);
    }
    assert_eq!(statuses[0], StatusCode::UNAUTHORIZED);
    assert_eq!(
        statuses.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    server.stop().await;
}

fn berlin() -> Value {
    json!({"name": "Ada Lovelace", "line1": "Unter den Linden 77", "city": "Berlin",
           "postalCode": "10117", "country": "DE"})
}

#[tokio::test]
async fn saved_addresses_stay_in_the_home_region_and_belong_to_their_customer() {
    let server = TestServer::start().await;
    let ada = token_of(&sign_up(&server, "ada.addresses@example.com", "DE").await);
    let grace = token_of(&sign_up(&server, "grace.addresses@example.com", "US").await);
    let saved: Value = fetch_json(
        as_customer(&server, Method::POST, "/v1/customers/me/addresses", &ada).json(&berlin()),
        StatusCode::CREATED,
    )
    .await;
    let listed: Value = fetch_json(
        as_customer(&server, Method::GET, "/v1/customers/me/addresses", &ada),
        StatusCode::OK,
    )
    .await;
    assert_eq!(listed[0]["id"], saved["id"]);
    assert_eq!(listed[0]["address"]["line1"], "Unter den Linden 77");
    let others: Value = fetch_json(
        as_customer(&server, Method::GET, "/v1/customers/me/addresses", &grace),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        others,
        json!([]),
        "one customer never sees another's addresses"
    );

    let mut unreachable = berlin();
    unreachable["postalCode"] = json!("ABCDE");
    let problem: Value = fetch_json(
        as_customer(&server, Method::POST, "/v1/customers/me/addresses", &ada).json(&unreachable),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(
        problem["errors"].to_string().contains("postalCode"),
        "{problem}"
    );

    let path = format!(
        "/v1/customers/me/addresses/{}",
        saved["id"].as_str().unwrap()
    );
    let stolen = as_customer(&server, Method::DELETE, &path, &grace);
    assert_eq!(status_of(stolen).await, StatusCode::NOT_FOUND);
    if std::env::var("TESSERA_TEST_POSTGRES").is_err() {
        assert!(contains(
            &server.stored_bytes("region-eu.sqlite"),
            "Unter den Linden"
        ));
        assert!(!contains(
            &server.stored_bytes("tessera.sqlite"),
            "Unter den Linden"
        ));
        assert!(!contains(
            &server.stored_bytes("region-us.sqlite"),
            "Unter den Linden"
        ));
    }
    let deleted = as_customer(&server, Method::DELETE, &path, &ada);
    assert_eq!(status_of(deleted).await, StatusCode::NO_CONTENT);
    server.stop().await;
}

#[tokio::test]
async fn consent_is_recorded_per_purpose_with_its_history_and_exported() {
    let server = TestServer::start().await;
    let token = token_of(&sign_up(&server, "consent@example.com", "US").await);
    let initial: Value = fetch_json(
        as_customer(&server, Method::GET, "/v1/customers/me/consents", &token),
        StatusCode::OK,
    )
    .await;
    assert_eq!(initial["current"].as_array().unwrap().len(), 3);
    assert!(
        initial["current"]
            .as_array()
            .unwrap()
            .iter()
            .all(|consent| consent["granted"] == false && consent.get("decidedAt").is_none()),
        "nothing is granted until decided: {initial}"
    );
    for granted in [true, false] {
        let _: Value = fetch_json(
            as_customer(
                &server,
                Method::PUT,
                "/v1/customers/me/consents/marketing_email",
                &token,
            )
            .json(&json!({"granted": granted})),
            StatusCode::OK,
        )
        .await;
    }
    let consents: Value = fetch_json(
        as_customer(&server, Method::GET, "/v1/customers/me/consents", &token),
        StatusCode::OK,
    )
    .await;
    let marketing = consents["current"]
        .as_array()
        .unwrap()
        .iter()
        .find(|consent| consent["purpose"] == "marketing_email")
        .unwrap()
        .clone();
    assert_eq!(marketing["granted"], false, "withdrawn last: {consents}");
    let history: Vec<&Value> = consents["history"].as_array().unwrap().iter().collect();
    assert_eq!(history.len(), 2);
    assert_eq!(
        (history[0]["granted"].clone(), history[1]["granted"].clone()),
        (json!(false), json!(true))
    );

    let unknown = as_customer(
        &server,
        Method::PUT,
        "/v1/customers/me/consents/telepathy",
        &token,
    )
    .json(&json!({"granted": true}));
    assert_eq!(status_of(unknown).await, StatusCode::BAD_REQUEST);

    as_customer(&server, Method::POST, "/v1/customers/me/addresses", &token)
        .json(
            &json!({"name": "Grace", "line1": "1 Main St", "city": "Arlington", "region": "VA",
                      "postalCode": "22201", "country": "US"}),
        )
        .send()
        .await
        .unwrap();
    let export: Value = fetch_json(
        as_customer(&server, Method::GET, "/v1/customers/me/export", &token),
        StatusCode::OK,
    )
    .await;
    assert_eq!(export["addresses"][0]["address"]["line1"], "1 Main St");
    assert_eq!(export["consents"]["history"].as_array().unwrap().len(), 2);
    server.stop().await;
}
