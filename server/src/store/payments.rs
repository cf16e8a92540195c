//! The simulated payment vault (card tokens) and the payment ledger. Card numbers never leave
//! `tokenize_card`: only the brand, last four digits and the simulated outcome are stored.

use std::time::Duration;

use api_client::types::{
    CardBrand, CardDetails, CardToken, DeclineReason, Payment, PaymentKind, PaymentMethodSummary,
    PaymentStatus,
};
use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::error::{AppError, AppResult};
use crate::store::catalog::money;
use crate::store::{later, new_id, now};

pub const TOKEN_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// What the simulated provider will answer for a tokenised card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Approve,
    Decline,
    InsufficientFunds,
    /// The provider is down: the payment consumer fails until ops replays the dead letter.
    ProviderError,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Approve => "approve",
            Outcome::Decline => "decline",
            Outcome::InsufficientFunds => "insufficient_funds",
            Outcome::ProviderError => "provider_error",
        }
    }

    pub fn parse(text: &str) -> Outcome {
        match text {
            "decline" => Outcome::Decline,
            "insufficient_funds" => Outcome::InsufficientFunds,
            "provider_error" => Outcome::ProviderError,
            _ => Outcome::Approve,
        }
    }
}

/// The documented test cards; any other valid card is approved.
fn outcome_for(number: &str) -> Outcome {
    match number {
        "4000000000000002" => Outcome::Decline,
        "4000000000009995" => Outcome::InsufficientFunds,
        "4000000000000119" => Outcome::ProviderError,
        _ => Outcome::Approve,
    }
}

fn brand_of(number: &str) -> CardBrand {
    match number.as_bytes() {
        [b'4', ..] => CardBrand::Visa,
        [b'5', b'1'..=b'5', ..] | [b'2', ..] => CardBrand::Mastercard,
        [b'3', b'4' | b'7', ..] => CardBrand::Amex,
        [b'6', ..] => CardBrand::Discover,
        _ => CardBrand::Unknown,
    }
}

pub async fn tokenize_card(db: &AnyPool, card: &CardDetails) -> AppResult<CardToken> {
    // The contract gate has checked the forms (digits, month 1–12, lengths); what is left are
    // the card's own rules.
    let number = card.number.as_str();
    let mut errors = Vec::new();
    if !micro_app::rules::luhn_valid(number) {
        errors.push(AppError::field(
            "number",
            "invalid_value",
            "check the card number",
        ));
    }
    let this_year = time::OffsetDateTime::now_utc().year();
    let this_month = time::OffsetDateTime::now_utc().month() as i32;
    if card.exp_year < this_year
        || (card.exp_year == this_year && card.exp_month < this_month)
        || card.exp_year > this_year + 20
    {
        errors.push(AppError::field(
            "expYear",
            "expired",
            "this card has expired",
        ));
    }
    let cvc_length = if brand_of(number) == CardBrand::Amex {
        4
    } else {
        3
    };
    if card.cvc.len() != cvc_length || !card.cvc.bytes().all(|b| b.is_ascii_digit()) {
        errors.push(AppError::field(
            "cvc",
            "invalid_value",
            format!("enter the {cvc_length}-digit security code"),
        ));
    }
    if card.holder_name.trim().is_empty() {
        errors.push(AppError::field(
            "holderName",
            "required",
            "enter the name on the card",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::validation_as(
            "card-invalid",
            "Card details are invalid",
            errors,
        ));
    }
    let token = format!("tok_{}", uuid::Uuid::new_v4().simple());
    let brand = brand_of(number);
    let last4 = number[number.len() - 4..].to_owned();
    let expires_at = later(TOKEN_LIFETIME);
    sqlx::query(
        "INSERT INTO payment_tokens (token, brand, last4, exp_month, exp_year, outcome, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&token)
    .bind(brand.to_string())
    .bind(&last4)
    .bind(card.exp_month)
    .bind(card.exp_year)
    .bind(outcome_for(number).as_str())
    .bind(&expires_at)
    .execute(db)
    .await?;
    Ok(CardToken {
        token,
        brand,
        last4,
        exp_month: card.exp_month,
        exp_year: card.exp_year,
        expires_at,
    })
}

#[derive(FromRow)]
pub struct ClaimedToken {
    pub brand: String,
    pub last4: String,
}

/// Marks a token as used by an order, if it is valid and unused.
pub async fn claim_token(
    connection: &mut AnyConnection,
    token: &str,
    order_id: &str,
) -> sqlx::Result<Option<ClaimedToken>> {
    sqlx::query_as(
        "UPDATE payment_tokens SET used_by = $1 WHERE token = $2 AND used_by IS NULL AND expires_at > $3
         RETURNING brand, last4",
    )
    .bind(order_id)
    .bind(token)
    .bind(now())
    .fetch_optional(connection)
    .await
}

pub async fn token_outcome(connection: &mut AnyConnection, token: &str) -> sqlx::Result<Outcome> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT outcome FROM payment_tokens WHERE token = $1")
            .bind(token)
            .fetch_optional(connection)
            .await?;
    Ok(row
        .map(|(outcome,)| Outcome::parse(&outcome))
        .unwrap_or(Outcome::Decline))
}

pub struct NewPayment<'a> {
    pub order_id: &'a str,
    pub kind: PaymentKind,
    pub status: PaymentStatus,
    pub amount: i64,
    pub captured: i64,
    pub currency: &'a str,
    pub decline_reason: Option<DeclineReason>,
    pub card: &'a PaymentMethodSummary,
}

/// How many payment authorisations an order has had (declined ones included).
pub async fn authorization_count(
    connection: &mut AnyConnection,
    order_id: &str,
) -> sqlx::Result<i64> {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM payments WHERE order_id = $1 AND kind = 'authorization'",
    )
    .bind(order_id)
    .fetch_one(connection)
    .await?;
    Ok(count)
}

pub async fn insert_payment(
    connection: &mut AnyConnection,
    payment: NewPayment<'_>,
) -> sqlx::Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO payments (id, order_id, kind, status, amount, captured_amount, currency, decline_reason, brand, last4, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(payment.order_id)
    .bind(payment.kind.to_string())
    .bind(payment.status.to_string())
    .bind(payment.amount)
    .bind(payment.captured)
    .bind(payment.currency)
    .bind(payment.decline_reason.map(|reason| reason.to_string()))
    .bind(payment.card.brand.to_string())
    .bind(&payment.card.last4)
    .bind(now())
    .execute(connection)
    .await?;
    Ok(id)
}

/// Links a payment to the event that recorded it, once that event exists.
pub async fn link_event(
    connection: &mut AnyConnection,
    payment_id: &str,
    sequence: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE payments SET event_id = (SELECT id FROM events WHERE sequence = $1) WHERE id = $2",
    )
    .bind(sequence)
    .bind(payment_id)
    .execute(connection)
    .await?;
    Ok(())
}

#[derive(FromRow)]
struct PaymentRow {
    id: String,
    order_id: String,
    kind: String,
    status: String,
    amount: i64,
    captured_amount: i64,
    currency: String,
    decline_reason: Option<String>,
    brand: String,
    last4: String,
    event_id: Option<String>,
    created_at: String,
}

pub async fn list_payments(
    db: &AnyPool,
    order_id: Option<&str>,
    status: Option<PaymentStatus>,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<Payment>> {
    let rows: Vec<PaymentRow> = sqlx::query_as(
        "SELECT * FROM payments WHERE ($1 IS NULL OR order_id = $2) AND ($3 IS NULL OR status = $4)
         ORDER BY created_at, id LIMIT $5 OFFSET $6",
    )
    .bind(order_id)
    .bind(order_id)
    .bind(status.map(|s| s.to_string()))
    .bind(status.map(|s| s.to_string()))
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Payment {
            id: row.id,
            order_id: row.order_id,
            kind: row.kind.parse().unwrap_or(PaymentKind::Authorization),
            status: row.status.parse().unwrap_or(PaymentStatus::Failed),
            amount: money(row.amount, &row.currency),
            captured_amount: money(row.captured_amount, &row.currency),
            decline_reason: row.decline_reason.and_then(|reason| reason.parse().ok()),
            card: PaymentMethodSummary {
                brand: row.brand.parse().unwrap_or(CardBrand::Unknown),
                last4: row.last4,
            },
            event_id: row.event_id,
            created_at: row.created_at,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_cards_pass_luhn_and_pick_their_outcome() {
        for number in [
            "4242424242424242",
            "4000000000000002",
            "4000000000009995",
            "4000000000000119",
        ] {
            assert!(micro_app::rules::luhn_valid(number), "{number}");
        }
        assert!(!micro_app::rules::luhn_valid("4242424242424241"));
        assert_eq!(outcome_for("4000000000000002"), Outcome::Decline);
        assert_eq!(outcome_for("4000000000009995"), Outcome::InsufficientFunds);
        assert_eq!(outcome_for("4242424242424242"), Outcome::Approve);
        assert_eq!(brand_of("5555555555554444"), CardBrand::Mastercard);
    }
}
