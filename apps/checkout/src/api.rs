//! The app's one seam to the commerce API: one function per operation the checkout uses, each
//! with the shopper's session (renewed once when the server refuses it) and, for writes, a fresh
//! Idempotency-Key that the client's retries resend unchanged. Failures come back as `Failure`,
//! already read for what the pages need, so no other module touches `api_client`'s client or
//! error.

use std::time::Duration;

use api_client::types::{
    Address, ApplyPromotionRequest, CardDetails, CardToken, Cart, Checkout, CheckoutAddresses,
    CheckoutContact, CompleteCheckoutRequest, ConsentPurpose, Consents, Customer, CustomerSession,
    Mail, Order, OrderEvent, OrderSummary, SavedAddress, SelectShippingOptionRequest,
    SetConsentRequest, ShippingOption, SignInRequest, SignUpRequest, StartCheckoutRequest,
    UpdateCartLineRequest,
};
use api_client::{
    ApiError, Client, FetchTransport, ListMyOrdersQuery, StreamOrderEventsQuery,
    forget_shopper_session, keep_shopper_session, new_idempotency_key, with_shopper_session,
};

/// A call that did not succeed, as the checkout shows and handles it.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// The HTTP status, when the server answered.
    pub status: Option<u16>,
    /// A sentence a shopper can act on.
    pub message: String,
    /// The server's field errors as `(field, message)`, for `FieldErrors`.
    pub fields: Vec<(String, String)>,
    /// The last segment of the problem type (`checkout-cart-changed`), when the server sent one.
    pub problem: Option<String>,
    /// For `checkout-already-completed`: the order the earlier request placed.
    pub order_id: Option<String>,
    /// The network, a timeout or the server's own failure: the request may not have been
    /// carried out, and sending it again (with the same Idempotency-Key) is safe.
    pub unreachable: bool,
}

impl Failure {
    pub fn is_not_found(&self) -> bool {
        self.status == Some(404)
    }

    /// Someone else changed the cart since we read its version.
    pub fn is_stale(&self) -> bool {
        self.status == Some(412)
    }

    pub fn is_problem(&self, kind: &str) -> bool {
        self.problem.as_deref() == Some(kind)
    }
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Self {
        let problem = error
            .problem()
            .and_then(|problem| problem.type_.rsplit(':').next().map(str::to_owned));
        let order_id = error
            .body_as::<json_codec::Json>()
            .and_then(|body| body.get("orderId")?.as_str().map(str::to_owned));
        Failure {
            status: error.status(),
            message: error.user_message(),
            fields: error
                .field_errors()
                .iter()
                .map(|field| (field.field.clone(), field.message.clone()))
                .collect(),
            problem,
            order_id,
            unreachable: matches!(error, ApiError::Network { .. } | ApiError::Timeout { .. })
                || error.status().is_some_and(|status| status >= 500),
        }
    }
}

fn visitor_id() -> Option<String> {
    micro_app::storage::read(
        micro_app::storage::Store::Local,
        micro_app::storage::VISITOR_ID,
    )
}

async fn shopper() -> Result<Client<FetchTransport>, ApiError> {
    let client = Client::new("", FetchTransport).with_timeout(Duration::from_secs(10));
    with_shopper_session(client, visitor_id()).await
}

/// Runs `call` with a shopper client, renewing a session the server no longer accepts once.
async fn as_shopper<T, F>(call: impl Fn(Client<FetchTransport>) -> F) -> Result<T, Failure>
where
    F: std::future::Future<Output = Result<T, ApiError>>,
{
    let result = match call(shopper().await?).await {
        Err(error) if error.status() == Some(401) => {
            forget_shopper_session();
            call(shopper().await?).await
        }
        other => other,
    };
    result.map_err(Failure::from)
}

pub async fn get_cart(cart_id: &str) -> Result<Cart, Failure> {
    as_shopper(|api| async move { api.get_cart(cart_id).await }).await
}

pub async fn update_cart_line(cart: &Cart, line_id: &str, quantity: u32) -> Result<Cart, Failure> {
    let (version, key) = (cart.version.to_string(), new_idempotency_key());
    let body = UpdateCartLineRequest {
        quantity: i32::try_from(quantity).unwrap_or(i32::MAX),
    };
    as_shopper(|api| {
        let (version, key, body) = (&version, &key, &body);
        async move {
            api.update_cart_line(&cart.id, line_id, version, Some(key), body)
                .await
        }
    })
    .await
}

pub async fn remove_cart_line(cart: &Cart, line_id: &str) -> Result<Cart, Failure> {
    let (version, key) = (cart.version.to_string(), new_idempotency_key());
    as_shopper(|api| {
        let (version, key) = (&version, &key);
        async move {
            api.remove_cart_line(&cart.id, line_id, version, Some(key))
                .await
        }
    })
    .await
}

pub async fn apply_promotion(cart: &Cart, code: &str) -> Result<Cart, Failure> {
    let (version, key) = (cart.version.to_string(), new_idempotency_key());
    let body = ApplyPromotionRequest {
        code: code.to_owned(),
    };
    as_shopper(|api| {
        let (version, key, body) = (&version, &key, &body);
        async move {
            api.apply_promotion(&cart.id, version, Some(key), body)
                .await
        }
    })
    .await
}

/// Starts checking out the cart as it is now (its version pins what the shopper saw).
pub async fn start_checkout(cart: &Cart) -> Result<Checkout, Failure> {
    let key = new_idempotency_key();
    let body = StartCheckoutRequest {
        cart_id: cart.id.clone(),
        cart_version: Some(cart.version),
    };
    as_shopper(|api| {
        let (key, body) = (&key, &body);
        async move { api.start_checkout(Some(key), body).await }
    })
    .await
}

pub async fn get_checkout(checkout_id: &str) -> Result<Checkout, Failure> {
    as_shopper(|api| async move { api.get_checkout(checkout_id).await }).await
}

pub async fn update_contact(checkout_id: &str, email: &str) -> Result<Checkout, Failure> {
    let key = new_idempotency_key();
    let body = CheckoutContact {
        email: email.to_owned(),
    };
    as_shopper(|api| {
        let (key, body) = (&key, &body);
        async move {
            api.update_checkout_contact(checkout_id, Some(key), body)
                .await
        }
    })
    .await
}

pub async fn update_addresses(
    checkout_id: &str,
    addresses: &CheckoutAddresses,
) -> Result<Checkout, Failure> {
    let key = new_idempotency_key();
    as_shopper(|api| {
        let key = &key;
        async move {
            api.update_checkout_addresses(checkout_id, Some(key), addresses)
                .await
        }
    })
    .await
}

pub async fn list_shipping_options(checkout_id: &str) -> Result<Vec<ShippingOption>, Failure> {
    as_shopper(|api| async move { api.list_shipping_options(checkout_id).await })
        .await
        .map(|list| list.items)
}

pub async fn select_shipping_option(
    checkout_id: &str,
    option_id: &str,
) -> Result<Checkout, Failure> {
    let key = new_idempotency_key();
    let body = SelectShippingOptionRequest {
        shipping_option_id: option_id.to_owned(),
    };
    as_shopper(|api| {
        let (key, body) = (&key, &body);
        async move {
            api.select_shipping_option(checkout_id, Some(key), body)
                .await
        }
    })
    .await
}

/// Exchanges the card for a one-time token; the card number goes nowhere else.
pub async fn tokenize_card(card: &CardDetails) -> Result<CardToken, Failure> {
    let key = new_idempotency_key();
    as_shopper(|api| {
        let key = &key;
        async move { api.tokenize_card(Some(key), card).await }
    })
    .await
}

/// Places the order. `idempotency_key` is the purchase's own, kept across reloads and offline
/// queueing, so however often this is sent, one order results.
pub async fn complete_checkout(
    checkout_id: &str,
    idempotency_key: &str,
    payment_token: &str,
) -> Result<Order, Failure> {
    let body = CompleteCheckoutRequest {
        payment_token: payment_token.to_owned(),
    };
    as_shopper(|api| {
        let body = &body;
        async move {
            api.complete_checkout(checkout_id, idempotency_key, body)
                .await
        }
    })
    .await
}

/// An order event's `data` as the contract's payload type for its kind (`PaymentDeclinedData`
/// for `PaymentDeclined`, ...); `None` when it does not fit, so a newer server's events never
/// break the page.
pub fn event_payload<T: json_codec::FromJson>(event: &OrderEvent) -> Option<T> {
    json_codec::from_object(&event.data).ok()
}

pub async fn get_order(order_id: &str) -> Result<Order, Failure> {
    as_shopper(|api| async move { api.get_order(order_id).await }).await
}

/// Where an `EventSource` follows the order's events after sequence `after`, with the shopper's
/// session in the URL (an `EventSource` cannot send headers).
pub async fn order_events_url(order_id: &str, after: Option<i64>) -> Result<String, Failure> {
    Ok(shopper()
        .await?
        .stream_order_events_url(order_id, &StreamOrderEventsQuery { after }))
}

// ----------------------------------------------------------------------------- the account
// A customer's calls go with the page's session as it is: for them a 401 means "not signed in"
// (or signed out elsewhere), which the account page shows, not a session to renew.

async fn as_customer<T, F>(call: impl FnOnce(Client<FetchTransport>) -> F) -> Result<T, Failure>
where
    F: std::future::Future<Output = Result<T, ApiError>>,
{
    call(shopper().await?).await.map_err(Failure::from)
}

/// The signed-in customer; `None` for a guest.
pub async fn me() -> Result<Option<Customer>, Failure> {
    match as_customer(|api| async move { api.get_my_account().await }).await {
        Err(failure) if failure.status == Some(401) => Ok(None),
        other => other.map(Some),
    }
}

/// From now on the page calls as this customer; the guest's cart came along (the server moved it).
fn keep(session: CustomerSession) -> Customer {
    keep_shopper_session(&session.token, &session.expires_at);
    session.customer
}

pub async fn sign_up(request: &SignUpRequest) -> Result<Customer, Failure> {
    as_customer(|api| async move { api.sign_up(request).await })
        .await
        .map(keep)
}

pub async fn sign_in(request: &SignInRequest) -> Result<Customer, Failure> {
    as_customer(|api| async move { api.sign_in(request).await })
        .await
        .map(keep)
}

/// Signs out here and on the server; the page goes on as a new guest either way.
pub async fn sign_out() -> Result<(), Failure> {
    let result = as_customer(|api| async move { api.sign_out().await }).await;
    forget_shopper_session();
    crate::storage::forget_cart();
    result
}

pub async fn saved_addresses() -> Result<Vec<SavedAddress>, Failure> {
    as_customer(|api| async move { api.list_my_addresses().await }).await
}

pub async fn save_address(address: &Address) -> Result<SavedAddress, Failure> {
    as_customer(|api| async move { api.save_my_address(address).await }).await
}

pub async fn delete_address(address_id: &str) -> Result<(), Failure> {
    as_customer(|api| async move { api.delete_my_address(address_id).await }).await
}

pub async fn consents() -> Result<Consents, Failure> {
    as_customer(|api| async move { api.get_my_consents().await }).await
}

pub async fn set_consent(purpose: ConsentPurpose, granted: bool) -> Result<Consents, Failure> {
    let body = SetConsentRequest { granted };
    as_customer(|api| async move { api.set_my_consent(&purpose, &body).await }).await
}

pub async fn my_orders() -> Result<Vec<OrderSummary>, Failure> {
    let query = ListMyOrdersQuery::default();
    as_customer(|api| async move { api.list_my_orders(&query).await })
        .await
        .map(|page| page.items)
}

pub async fn my_mail() -> Result<Vec<Mail>, Failure> {
    as_customer(|api| async move { api.list_my_mail().await })
        .await
        .map(|list| list.items)
}

/// Everything stored about the customer, as the JSON document they download.
pub async fn export() -> Result<String, Failure> {
    as_customer(|api| async move { api.export_my_data().await })
        .await
        .map(|export| json_codec::to_string(&export))
}

/// Erasure: the account and its personal data go; the page goes on as a new guest.
pub async fn erase() -> Result<(), Failure> {
    as_customer(|api| async move { api.erase_my_account().await }).await?;
    forget_shopper_session();
    crate::storage::forget_cart();
    Ok(())
}
