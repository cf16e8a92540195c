//! Crypto-shredding of a signed-in customer's contact and addresses outside their home region.
//! Checkouts and orders live in the global store, so the email and address fields of a
//! customer's checkout are sealed (ChaCha20-Poly1305, the customer id as associated data) with a
//! key of that customer's own, kept in their home region's store. A sealed value is a string
//! `sealed:v1:<region>:<customer id>:<base64 nonce ‖ ciphertext>`, so it travels unchanged
//! through every snapshot, stored idempotent response and copy; the API opens it on the way out
//! (`open_json`, run by `unseal::layer` on JSON responses), after the route checked the caller
//! may see the resource. Erasure deletes the key: every copy, wherever it went, reads as
//! `deleted customer`. An address's country stays readable: it prices shipping and identifies
//! nobody on its own.

use std::collections::HashMap;

use api_client::types::{Address, HomeRegion};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use serde_json::Value;

use crate::error::{AppError, AppResult};
use crate::store::customers;
use crate::store::regions::Regions;

const PREFIX: &str = "sealed:v1:";
const NONCE_LEN: usize = 12;
/// What an erased customer's sealed name or email reads as.
pub const DELETED_CUSTOMER: &str = "deleted customer";

/// Seals values for one customer with their key.
pub struct Sealer {
    customer_id: String,
    region: HomeRegion,
    cipher: ChaCha20Poly1305,
}

impl Sealer {
    /// The customer's sealer, making their key on first use; `None` once they are erased.
    pub async fn for_customer(
        regions: &Regions,
        customer_id: &str,
        region: HomeRegion,
    ) -> AppResult<Option<Sealer>> {
        let store = regions.store(region);
        let key = match customers::key_of(store, customer_id).await? {
            Some(key) => Some(key),
            None => {
                let fresh = STANDARD.encode(ChaCha20Poly1305::generate_key(&mut OsRng));
                customers::ensure_key(store, customer_id, &fresh).await?
            }
        };
        key.map(|key| {
            Ok(Sealer {
                customer_id: customer_id.to_owned(),
                region,
                cipher: cipher_of(&key)?,
            })
        })
        .transpose()
    }

    /// `value` sealed; a value already sealed stays as it is.
    pub fn seal(&self, value: &str) -> String {
        if is_sealed(value) {
            return value.to_owned();
        }
        let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ciphertext = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: value.as_bytes(),
                    aad: self.customer_id.as_bytes(),
                },
            )
            .expect("ChaCha20-Poly1305 seals any message shorter than 256 GiB");
        let mut sealed = nonce.to_vec();
        sealed.extend_from_slice(&ciphertext);
        format!(
            "{PREFIX}{}:{}:{}",
            self.region,
            self.customer_id,
            STANDARD.encode(sealed)
        )
    }

    /// Every personal field of `address` sealed; the country stays readable.
    pub fn seal_address(&self, address: &Address) -> Address {
        Address {
            name: self.seal(&address.name),
            line1: self.seal(&address.line1),
            line2: address.line2.as_deref().map(|line| self.seal(line)),
            city: self.seal(&address.city),
            region: address.region.as_deref().map(|region| self.seal(region)),
            postal_code: self.seal(&address.postal_code),
            phone: address.phone.as_deref().map(|phone| self.seal(phone)),
            country: address.country.clone(),
        }
    }
}

pub fn is_sealed(value: &str) -> bool {
    value.starts_with(PREFIX)
}

fn cipher_of(key: &str) -> AppResult<ChaCha20Poly1305> {
    let bytes = STANDARD
        .decode(key)
        .ok()
        .filter(|bytes| bytes.len() == 32)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("a stored sealing key is malformed")))?;
    Ok(ChaCha20Poly1305::new(Key::from_slice(&bytes)))
}

/// The parts of a sealed value: (region, customer id, nonce ‖ ciphertext).
fn parts(value: &str) -> Option<(HomeRegion, &str, Vec<u8>)> {
    let mut fields = value.strip_prefix(PREFIX)?.splitn(3, ':');
    let region = fields.next()?.parse().ok()?;
    let customer_id = fields.next()?;
    let sealed = STANDARD.decode(fields.next()?).ok()?;
    (sealed.len() > NONCE_LEN).then_some((region, customer_id, sealed))
}

/// Opens every sealed string in `json` for which the customer's key still exists; the values of
/// erased customers become [`DELETED_CUSTOMER`] (for a `name` or `email`) or empty, and their
/// `OrderCustomer` objects (`id`, `region`, `erased`) say `erased: true`.
pub async fn open_json(regions: &Regions, json: &mut Value) -> AppResult<()> {
    let mut wanted = Vec::new();
    collect_customers(json, &mut wanted);
    let mut ciphers: HashMap<String, Option<ChaCha20Poly1305>> = HashMap::new();
    for (region, customer_id) in wanted {
        if ciphers.contains_key(&customer_id) {
            continue;
        }
        let key = customers::key_of(regions.store(region), &customer_id).await?;
        let cipher = key.as_deref().map(cipher_of).transpose()?;
        ciphers.insert(customer_id, cipher);
    }
    replace(json, None, &ciphers);
    Ok(())
}

/// The customers `json` holds sealed values or `OrderCustomer` objects of.
fn collect_customers(json: &Value, into: &mut Vec<(HomeRegion, String)>) {
    match json {
        Value::String(value) => {
            if let Some((region, customer_id, _)) = parts(value) {
                into.push((region, customer_id.to_owned()));
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_customers(item, into)),
        Value::Object(fields) => {
            if let Some((id, region)) = order_customer(fields) {
                into.push((region, id.to_owned()));
            }
            fields
                .values()
                .for_each(|item| collect_customers(item, into));
        }
        _ => {}
    }
}

fn order_customer(fields: &serde_json::Map<String, Value>) -> Option<(&str, HomeRegion)> {
    fields.get("erased")?.as_bool()?;
    let region = fields.get("region")?.as_str()?.parse().ok()?;
    Some((fields.get("id")?.as_str()?, region))
}

fn replace(
    json: &mut Value,
    key: Option<&str>,
    ciphers: &HashMap<String, Option<ChaCha20Poly1305>>,
) {
    match json {
        Value::String(value) => {
            if let Some((_, customer_id, sealed)) = parts(value) {
                let opened = ciphers
                    .get(customer_id)
                    .and_then(Option::as_ref)
                    .and_then(|cipher| open(cipher, customer_id, &sealed));
                *value = opened.unwrap_or_else(|| match key {
                    Some("name" | "email") => DELETED_CUSTOMER.to_owned(),
                    _ => String::new(),
                });
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| replace(item, key, ciphers)),
        Value::Object(fields) => {
            let erased = order_customer(fields)
                .is_some_and(|(id, _)| ciphers.get(id).is_some_and(Option::is_none));
            if erased {
                fields.insert("erased".into(), Value::Bool(true));
            }
            for (name, item) in fields.iter_mut() {
                replace(item, Some(name), ciphers);
            }
        }
        _ => {}
    }
}

fn open(cipher: &ChaCha20Poly1305, customer_id: &str, sealed: &[u8]) -> Option<String> {
    let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
    let plain = cipher
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad: customer_id.as_bytes(),
            },
        )
        .ok()?;
    String::from_utf8(plain).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealer(customer_id: &str) -> Sealer {
        Sealer {
            customer_id: customer_id.into(),
            region: HomeRegion::Eu,
            cipher: ChaCha20Poly1305::new(&ChaCha20Poly1305::generate_key(&mut OsRng)),
        }
    }

    fn opened(value: &Value, ciphers: &HashMap<String, Option<ChaCha20Poly1305>>) -> Value {
        let mut value = value.clone();
        replace(&mut value, None, ciphers);
        value
    }

    #[test]
    fn sealed_values_hold_no_plaintext_and_open_only_with_the_customers_key() {
        let ada = sealer("c-ada");
        let sealed = ada.seal("ada@example.com");
        assert!(is_sealed(&sealed) && !sealed.contains("ada@"), "{sealed}");
        assert_ne!(
            sealed,
            ada.seal("ada@example.com"),
            "a fresh nonce per seal"
        );
        assert_eq!(ada.seal(&sealed), sealed, "sealing twice changes nothing");

        let json = serde_json::json!({
            "email": sealed,
            "lines": [{"sku": "NP-1"}],
            "customer": {"id": "c-ada", "region": "eu", "erased": false},
        });
        let with_key = HashMap::from([("c-ada".to_owned(), Some(ada.cipher.clone()))]);
        let open = opened(&json, &with_key);
        assert_eq!(open["email"], "ada@example.com");
        assert_eq!(open["customer"]["erased"], false);

        let other = HashMap::from([("c-ada".to_owned(), Some(sealer("c-ada").cipher))]);
        assert_eq!(
            opened(&json, &other)["email"],
            DELETED_CUSTOMER,
            "a wrong key opens nothing"
        );

        let shredded = opened(&json, &HashMap::from([("c-ada".to_owned(), None)]));
        assert_eq!(shredded["email"], DELETED_CUSTOMER);
        assert_eq!(shredded["customer"]["erased"], true);
        assert_eq!(shredded["lines"][0]["sku"], "NP-1");
    }

    #[test]
    fn an_address_keeps_only_its_country_readable() {
        let ada = sealer("c-ada");
        let address = Address {
            name: "Ada Lovelace".into(),
            line1: "Hauptstraße 1".into(),
            line2: None,
            city: "Berlin".into(),
            region: None,
            postal_code: "10115".into(),
            phone: Some("+49 30 1234567".into()),
            country: "DE".into(),
        };
        let sealed = serde_json::to_value(ada.seal_address(&address)).unwrap();
        let text = sealed.to_string();
        for secret in ["Ada", "Hauptstraße", "Berlin", "10115", "1234567"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        let shredded = opened(&sealed, &HashMap::from([("c-ada".to_owned(), None)]));
        assert_eq!(shredded["name"], DELETED_CUSTOMER);
        assert_eq!(shredded["city"], "");
        assert_eq!(shredded["country"], "DE");
        let with_key = HashMap::from([("c-ada".to_owned(), Some(ada.cipher.clone()))]);
        assert_eq!(
            serde_json::from_value::<Address>(opened(&sealed, &with_key)).unwrap(),
            address
        );
    }
}
