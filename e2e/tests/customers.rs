//! Customer accounts in the real shell against the real server: an EU shopper signs up mid-purchase
//! (keeping their cart), checks out with their email prefilled and saves the address, orders
//! again from the saved address, withdraws marketing consent (the next order mails no
//! marketing), downloads everything stored about them, and deletes the account (sign-in fails,
//! the order shows "deleted customer", and no byte of their email or address is left in the
//! global or US store); a US shopper's account lives in the US region.

use anyhow::ensure;
use e2e::pages::account::AccountPage;
use e2e::pages::checkout::{CheckoutPage, GOOD_CARD};
use serde_json::Value;

const NAME: &str = "Ada Residentova";
const STREET: &str = "Unter den Linden 77";

/// Checks out the cart from `/checkout` as the signed-in customer, the email prefilled, with the
/// address step done by `address`; returns the confirmed order's id.
async fn check_out(
    checkout: &CheckoutPage<'_>,
    email: &str,
    address: impl AsyncFnOnce() -> anyhow::Result<()>,
) -> anyhow::Result<String> {
    checkout.wait_for_step("Cart").await?;
    checkout.go_on().await?;
    checkout.wait_for_step("Contact").await?;
    checkout.wait_prefilled("email", email).await?;
    checkout.go_on().await?;
    checkout.wait_for_step("Shipping address").await?;
    address().await?;
    checkout.go_on().await?;
    checkout.wait_for_step("Delivery").await?;
    checkout.wait_for_choice().await?;
    checkout.go_on().await?;
    checkout.pay_with(GOOD_CARD).await?;
    checkout.place_button().await?.click().await?;
    let order_id = checkout.wait_for_order_page().await?;
    checkout.wait_for_timeline("confirmed").await?;
    Ok(order_id)
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[tokio::test]
async fn a_customer_signs_up_orders_withdraws_consent_exports_and_erases() {
    e2e::run("customer_journey", async |session| {
        let email = format!("ada.resident-{}@example.com", std::process::id());
        CheckoutPage::with_one_item(session).await?;
        let account = AccountPage::open(session).await?;
        let region = account.sign_up(NAME, &email, "Germany").await?;
        ensure!(
            region == "eu",
            "a German shopper's data lives in the EU: {region}"
        );
        account
            .choose_consents(&["order_updates", "marketing_email"])
            .await?;

        // The guest's cart came along; the address is saved to the account on the way.
        session.open("/checkout").await?;
        let checkout = CheckoutPage::new(session);
        let first = check_out(&checkout, &email, async || {
            checkout
                .choose_by_label("shippingAddress.country", "Germany")
                .await?;
            checkout.fill("shippingAddress.name", NAME).await?;
            checkout.fill("shippingAddress.line1", STREET).await?;
            checkout.fill("shippingAddress.postalCode", "10117").await?;
            checkout.fill("shippingAddress.city", "Berlin").await?;
            checkout.tick("saveAddress").await
        })
        .await?;

        let account = AccountPage::open(session).await?;
        let mail = account.mail_once(2).await?;
        ensure!(
            mail.contains(&"order_updates".into()) && mail.contains(&"marketing_email".into()),
            "both consented mails: {mail:?}"
        );
        let addresses = account.texts("[data-address]").await?;
        ensure!(
            addresses.len() == 1 && addresses[0].contains(STREET),
            "{addresses:?}"
        );
        account.choose_consents(&["order_updates"]).await?;

        // Again, from the saved address, after withdrawing marketing consent.
        CheckoutPage::with_one_item(session).await?;
        let checkout = CheckoutPage::new(session);
        let second = check_out(&checkout, &email, async || {
            checkout
                .choose_by_label(
                    "savedAddress",
                    &format!("{NAME}, {STREET}, Berlin, 10117, DE"),
                )
                .await?;
            checkout
                .wait_prefilled("shippingAddress.line1", STREET)
                .await
        })
        .await?;
        let account = AccountPage::open(session).await?;
        let mail = account.mail_once(3).await?;
        let marketing = mail
            .iter()
            .filter(|purpose| *purpose == "marketing_email")
            .count();
        ensure!(
            marketing == 1,
            "no marketing mail after withdrawal: {mail:?}"
        );
        let orders = account.texts("[data-order] a").await?;
        ensure!(
            orders.len() == 2,
            "both orders are in the history: {orders:?}"
        );

        let downloads = session.data_dir.with_extension("downloads");
        std::fs::create_dir_all(&downloads)?;
        let export = account.download_data(&downloads).await?;
        let _ = std::fs::remove_dir_all(&downloads);
        ensure!(export["customer"]["email"] == email.as_str(), "{export}");
        ensure!(
            export["addresses"][0]["address"]["line1"] == STREET,
            "{export}"
        );
        ensure!(
            export["orders"].as_array().map(Vec::len) == Some(2),
            "{export}"
        );
        ensure!(
            export["consents"]["history"].as_array().map(Vec::len) == Some(3),
            "{export}"
        );
        ensure!(
            export["mail"].as_array().map(Vec::len) == Some(3),
            "{export}"
        );

        account.press("Delete my account").await?;
        account.press("Yes, delete everything").await?;
        session.wait_for("[data-state=signed-out]").await?;
        account.sign_in(&email).await?;
        let refused = session
            .wait_for("[data-error=sign-in]")
            .await?
            .text()
            .await?;
        ensure!(
            refused.contains("wrong"),
            "sign-in fails after erasure: {refused}"
        );
        for order_id in [&first, &second] {
            let order = session
                .ops_request("GET", &format!("/v1/orders/{order_id}"), None)
                .await?;
            ensure!(order["email"] == "deleted customer", "{order}");
            ensure!(
                order["shippingAddress"]["name"] == "deleted customer",
                "{order}"
            );
            ensure!(order["customer"]["erased"] == Value::Bool(true), "{order}");
        }

        let global = std::fs::read(session.data_dir.join("tessera.sqlite"))?;
        let wal = std::fs::read(session.data_dir.join("tessera.sqlite-wal")).unwrap_or_default();
        let us = std::fs::read(session.data_dir.join("region-us.sqlite"))?;
        let us_wal =
            std::fs::read(session.data_dir.join("region-us.sqlite-wal")).unwrap_or_default();
        for secret in [email.as_str(), STREET, NAME] {
            let stores = [
                ("global", &global),
                ("global WAL", &wal),
                ("US", &us),
                ("US WAL", &us_wal),
            ];
            for (store, bytes) in stores {
                ensure!(!holds(bytes, secret), "{secret} in the {store} store");
            }
        }

        // Another shopper, in the US.
        let account = AccountPage::open(session).await?;
        let grace = format!("grace.resident-{}@example.com", std::process::id());
        let region = account
            .sign_up("Grace Resident", &grace, "United States")
            .await?;
        ensure!(
            region == "us",
            "a US shopper's data lives in the US: {region}"
        );
        let orders = account.texts("[data-order]").await?;
        ensure!(orders.is_empty(), "nobody else's orders: {orders:?}");
        let errors = session.console_errors().await?;
        ensure!(errors.is_empty(), "{errors:?}");
        let violations = session.accessibility_violations().await?;
        ensure!(
            violations.is_empty(),
            "axe on the account page: {violations:#?}"
        );
        Ok(())
    })
    .await;
}
