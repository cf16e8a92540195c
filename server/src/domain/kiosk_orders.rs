//! Orders a kiosk took, delivered when it reaches the shop (maybe long after, maybe many times).
//! A kiosk never holds a card in the clear: it seals the shopper's card and receipt email to the
//! shop's kiosk payment key (ECDH P-256 → HKDF-SHA256 → AES-256-GCM, what WebCrypto offers), so
//! the queued order on the device is ciphertext only the shop opens (`PaymentKey`). The order
//! itself goes the checkout's way (cart, checkout, vault token, `place_order::complete`), for
//! collection at the counter, and its Idempotency-Key settles in the order's transaction.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use api_client::types::{Address, KioskOrderRequest, KioskPayment, Order};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hkdf::Hkdf;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{PublicKey, SecretKey};
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

use crate::domain::{carts, checkouts, kiosk, place_order};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::{payments, secrets};

/// The HKDF `info` of a kiosk payment seal (the contract's `KioskOrderRequest.sealedPayment`).
pub const SEAL_INFO: &[u8] = b"tessera kiosk payment v1";
const SEAL_VERSION: &str = "v1";
const IV_LEN: usize = 12;
/// Who owns a kiosk order's cart: no session does, so only ops read kiosk orders.
const KIOSK_OWNER: &str = "kiosk";
/// Kiosk orders are priced like the shop's carts.
const CURRENCY: &str = "USD";

/// Where kiosk orders are collected: the operators' pickup address. None set yet: orders wait on
/// the kiosks (409, delivered again later) rather than ship nowhere. Checked before an order's
/// Idempotency-Key is taken, since a stored 409 would answer every later delivery of that order.
pub async fn pickup_counter(db: &AnyPool) -> AppResult<Address> {
    kiosk::pickup_address(db).await?.ok_or_else(|| {
        AppError::conflict(
            "kiosk-pickup-unset",
            "No pickup address for kiosk orders",
            "operators have not said where kiosk orders are collected; the kiosk delivers \
             this order again later",
        )
    })
}

/// The shop's kiosk payment key pair, derived once at start from a server secret, so every
/// instance on one database opens what any kiosk sealed.
#[derive(Clone)]
pub struct PaymentKey {
    secret: SecretKey,
    /// The public half, as the policy publishes it: the uncompressed point, unpadded base64url.
    public: String,
}

impl PaymentKey {
    pub async fn of_database(db: &AnyPool) -> anyhow::Result<PaymentKey> {
        let secret = secrets::secret(db, "kiosk-payment-key").await?;
        // A SHA-256 digest fails to be a P-256 scalar with negligible probability (≥ the order).
        let secret = SecretKey::from_slice(&Sha256::digest(secret.as_bytes()))
            .map_err(|_| anyhow::anyhow!("the kiosk payment secret is no key"))?;
        let public = URL_SAFE_NO_PAD.encode(secret.public_key().to_encoded_point(false).as_bytes());
        Ok(PaymentKey { secret, public })
    }

    pub fn public(&self) -> &str {
        &self.public
    }
}

/// Opens a seal made for `idempotency_key`; `None` for anything this shop did not seal that way.
pub fn open(key: &PaymentKey, sealed: &str, idempotency_key: &str) -> Option<Vec<u8>> {
    let mut parts = sealed.split('.');
    if parts.next()? != SEAL_VERSION {
        return None;
    }
    let mut decoded = || URL_SAFE_NO_PAD.decode(parts.next()?).ok();
    let (ephemeral, iv, ciphertext) = (decoded()?, decoded()?, decoded()?);
    if iv.len() != IV_LEN {
        return None;
    }
    let ephemeral_key = PublicKey::from_sec1_bytes(&ephemeral).ok()?;
    let shared =
        p256::ecdh::diffie_hellman(key.secret.to_nonzero_scalar(), ephemeral_key.as_affine());
    let mut key = [0_u8; 32];
    Hkdf::<Sha256>::new(Some(&ephemeral), shared.raw_secret_bytes())
        .expand(SEAL_INFO, &mut key)
        .ok()?;
    Aes256Gcm::new(&key.into())
        .decrypt(
            Nonce::from_slice(&iv),
            Payload {
                msg: &ciphertext,
                aad: idempotency_key.as_bytes(),
            },
        )
        .ok()
}

fn unreadable() -> AppError {
    AppError::unprocessable(
        "kiosk-payment-unreadable",
        "Kiosk payment unreadable",
        "this shop cannot open the sealed payment: it was sealed to another key or for another \
         order, or changed on the way",
    )
    .with_field("sealedPayment")
}

/// The sealed payment, opened and checked against its contract schema.
fn payment(key: &PaymentKey, sealed: &str, idempotency_key: &str) -> AppResult<KioskPayment> {
    let plain = open(key, sealed, idempotency_key).ok_or_else(unreadable)?;
    let value: serde_json::Value = serde_json::from_slice(&plain).map_err(|_| unreadable())?;
    crate::contract::check_sealed("KioskPayment", "sealedPayment", &value)?;
    serde_json::from_value(value).map_err(|_| unreadable())
}

/// Places a kiosk's order once per `settles` (the scope and Idempotency-Key it came with), for
/// collection at `counter` in the card holder's name.
pub async fn place(
    state: &AppState,
    request: &KioskOrderRequest,
    counter: &Address,
    settles: (&str, &str),
) -> AppResult<Order> {
    let payment = payment(&state.kiosk_key, &request.sealed_payment, settles.1)?;
    let address = Address {
        name: payment.card.holder_name.trim().to_owned(),
        ..counter.clone()
    };
    let token = payments::tokenize_card(&state.db, &payment.card).await?;
    // The sale is made: stock that ran out since is the inventory consumer's to settle.
    let cart = carts::create(
        &state.writer,
        KIOSK_OWNER,
        CURRENCY,
        &request.lines,
        carts::StockCheck::AtReservation,
    )
    .await?;
    let (checkout, _) = checkouts::start_checkout(&state.db, &cart.id, Some(cart.version)).await?;
    checkouts::update_contact(&state.db, &checkout.id, &payment.email, None).await?;
    checkouts::update_addresses(&state.db, &checkout.id, &address, None, None).await?;
    checkouts::choose_collection(&state.db, &checkout.id).await?;
    place_order::complete(
        &state.writer,
        &state.outbox,
        &checkout.id,
        &token.token,
        Some(settles),
    )
    .await
}
