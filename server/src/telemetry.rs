//! Telemetry sessions: the shell page is rendered with a session the server signed, and beacons
//! count only when they carry one. A session speaks for the first visitor it is used with, so a
//! client cannot steer stop conditions by sending beacons in other visitors' names, and forging
//! one needs the server's key. Counting rules themselves live in `domain::telemetry`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use time::OffsetDateTime;

/// A page left open this long stops counting; a reload issues a new session.
const LIFETIME_SECONDS: i64 = 7 * 24 * 3600;

#[derive(Clone)]
pub struct SessionSigner {
    key: Vec<u8>,
}

impl SessionSigner {
    pub fn new(key: &str) -> SessionSigner {
        SessionSigner {
            key: key.as_bytes().to_vec(),
        }
    }

    fn mac(&self, payload: &str) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC accepts keys of any length");
        mac.update(payload.as_bytes());
        mac
    }

    /// A new session: `<id>.<issued unix seconds>.<signature>`.
    pub fn issue(&self) -> String {
        self.issue_at(OffsetDateTime::now_utc().unix_timestamp())
    }

    fn issue_at(&self, issued: i64) -> String {
        self.sign(&uuid::Uuid::new_v4().simple().to_string(), issued)
    }

    /// `<id>.<issued>.<signature>` for any id without dots (an ops stream ticket names the
    /// role it was issued to, never a uuid, so neither passes for the other).
    pub fn sign(&self, id: &str, issued: i64) -> String {
        let payload = format!("{id}.{issued}");
        let signature = URL_SAFE_NO_PAD.encode(self.mac(&payload).finalize().into_bytes());
        format!("{payload}.{signature}")
    }

    /// The session id of a session this server issued and that has not expired.
    pub fn verify(&self, session: &str) -> Option<String> {
        self.verify_within(session, LIFETIME_SECONDS)
    }

    /// The id of something this server signed at most `seconds` ago.
    pub fn verify_within(&self, signed: &str, seconds: i64) -> Option<String> {
        let (payload, signature) = signed.rsplit_once('.')?;
        let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
        self.mac(payload).verify_slice(&signature).ok()?;
        let (id, issued) = payload.split_once('.')?;
        let age = OffsetDateTime::now_utc().unix_timestamp() - issued.parse::<i64>().ok()?;
        (0..=seconds).contains(&age).then(|| id.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_verifies_and_any_change_breaks_it() {
        let signer = SessionSigner::new("key-one");
        let session = signer.issue();
        let id = signer.verify(&session).expect("a fresh session verifies");
        assert_eq!(session.split('.').next(), Some(id.as_str()));
        let first = if id.starts_with('0') { "1" } else { "0" };
        let other_id = format!("{first}{}", &session[1..]);
        assert_eq!(signer.verify(&other_id), None, "the id is signed");
        assert_eq!(SessionSigner::new("key-two").verify(&session), None);
        assert_eq!(signer.verify("not-a-session"), None);
        assert_eq!(signer.verify(""), None);
    }

    #[test]
    fn an_old_session_no_longer_counts() {
        let signer = SessionSigner::new("key");
        let now = OffsetDateTime::now_utc().unix_timestamp();
        assert!(signer.verify(&signer.issue_at(now - 3600)).is_some());
        assert_eq!(
            signer.verify(&signer.issue_at(now - LIFETIME_SECONDS - 1)),
            None
        );
        assert_eq!(
            signer.verify(&signer.issue_at(now + 3600)),
            None,
            "not from the future"
        );
    }
}
