//! The `mail` consumer: a signed-in customer's confirmed order is mailed to them (the demo's
//! outbox in their home region) under the consent purpose it serves, and only while that
//! purpose is granted: an order update under `order_updates`, a recommendation under
//! `marketing_email`. The decision is read from the home region when the mail would go out, so
//! a withdrawal takes effect for every mail after it. Guests and erased customers get none.

use api_client::types::{ConsentPurpose, OrderStatus};
use sqlx::AnyConnection;

use super::HandleError;
use crate::store::customers::{self, NewMail};
use crate::store::events::EventRow;
use crate::store::orders;
use crate::store::regions::Regions;

pub async fn handle(
    connection: &mut AnyConnection,
    regions: &Regions,
    event: &EventRow,
) -> Result<Option<i64>, HandleError> {
    let Some(order) = orders::find_order(connection, &event.order_id).await? else {
        return Ok(None);
    };
    let Some(customer) = order.customer() else {
        return Ok(None);
    };
    let store = regions.store(customer.region);
    let Some(row) = customers::find(store, &customer.id).await? else {
        return Ok(None);
    };
    let status: OrderStatus = order.status.parse().unwrap_or(OrderStatus::Pending);
    let mails = [
        (
            ConsentPurpose::OrderUpdates,
            format!("Your order {} is {status}", order.number),
            format!(
                "Hello {}, your order {} is {status}. Follow it at /orders/{}.",
                row.name, order.number, order.id
            ),
        ),
        (
            ConsentPurpose::MarketingEmail,
            format!("Picked for you after order {}", order.number),
            format!(
                "Hello {}, here is what goes well with your order: /products.",
                row.name
            ),
        ),
    ];
    for (purpose, subject, body) in mails {
        let purpose = purpose.to_string();
        if !customers::is_granted(store, &row.id, &purpose).await? {
            continue;
        }
        customers::insert_mail(
            store,
            &NewMail {
                customer_id: &row.id,
                event_id: &event.id,
                purpose: &purpose,
                recipient: &row.email,
                subject: &subject,
                body: &body,
            },
        )
        .await?;
    }
    Ok(None)
}
