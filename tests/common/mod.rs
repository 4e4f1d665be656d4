//! Fixtures (CHECKLIST §0), a real HS256 signer, and deterministic fakes for the host traits.
#![allow(dead_code, reason = "each test file uses its own subset")]

use base64ct::{Base64UrlUnpadded, Encoding};
use hmac::{Hmac, KeyInit, Mac};
use implicit_grant::{Random, RandomError, Record, StorageError, TransactionStore};
use sha2::Sha256;

pub const CLIENT_ID: &str = "s6BhdRkqt3";
pub const ISSUER: &str = "https://server.example.com";
pub const AUTHZ_EP: &str = "https://server.example.com/authorize";
pub const REDIRECT: &str = "https://client.example.org/cb";
pub const STATE: &str = "af0ifjsldkj";
pub const NONCE: &str = "n-0S6_WzA2Mj";
/// OIDC Core App. A.3 access token.
pub const AT: &str = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y";
/// Its at_hash (OIDC Core App. A.3).
pub const AT_HASH: &str = "77QmUPtjPfzWtF2AnpK9RQ";
/// Between `iat` 1311280970 and `exp` 1311281970 of the OIDC Core App. A.3 token.
pub const NOW: u64 = 1_311_281_000;
/// OIDC Core App. A.3 ID token (RS256, kid 1e9gdk7; its payload is pretty-printed JSON).
pub const IDT_A3: &str = "eyJraWQiOiIxZTlnZGs3IiwiYWxnIjoiUlMyNTYifQ.ewogImlzcyI6ICJodHRwczovL3NlcnZlci5leGFtcGxlLmNvbSIsCiAic3ViIjogIjI0ODI4OTc2MTAwMSIsCiAiYXVkIjogInM2QmhkUmtxdDMiLAogIm5vbmNlIjogIm4tMFM2X1d6QTJNaiIsCiAiZXhwIjogMTMxMTI4MTk3MCwKICJpYXQiOiAxMzExMjgwOTcwLAogImF0X2hhc2giOiAiNzdRbVVQdGpQZnpXdEYyQW5wSzlSUSIKfQ.kdqTmftlaXg5WBYBr1wkxhkqCGZPc0k8vTiV5g2jj67jQ7XkrDamYx2bOkZLdZrpMPIzkdYB1nZI_G8vQGQuamRhJcEIt21kblGPZ-yhEhdkAiZIZLu38rChalDS2Mh0glE_rke5XXRhmqqoEFFdziFdnO3p61-7y51co84OEAZvARSINQaOWIzvioRfs4zwIFOaT33Vpxfqr8HDyh31zo9eBW2dSQuCa071z0ENWChWoPliK1JCo_Bk9eDg2uwo2ZwhsvHzj6TMQ0lYOTzufSlSmXIKfjlOsb3nftQeR697_hA-nMZyAdL8_NRfaC37XnAbW8WB9wCfECp7cuNuOg";

/// The RFC 7515 App. A.1 HMAC key (a JWK `k`, base64url).
pub const RFC7515_A1_KEY: &str =
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";

/// The RFC 7515 App. A.1 key's bytes.
pub fn hmac_key() -> Vec<u8> {
    Base64UrlUnpadded::decode_vec(RFC7515_A1_KEY).unwrap()
}

pub fn b64(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

/// A compact JWS over the exact `header` and `payload` texts, HMAC-SHA-256 with the
/// RFC 7515 A.1 key.
pub fn sign_hs256(header: &str, payload: &str) -> String {
    let signing_input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&hmac_key()).unwrap();
    mac.update(signing_input.as_bytes());
    format!("{signing_input}.{}", b64(&mac.finalize().into_bytes()))
}

pub const HS256_HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

/// Claims of a valid minimal implicit-flow ID token for `nonce` (CHECKLIST `V:valid_minimal`),
/// with `extra` members appended (e.g. `,"at_hash":"…"`).
pub fn claims(nonce: &str, extra: &str) -> String {
    format!(
        r#"{{"iss":"{ISSUER}","sub":"248289761001","aud":"{CLIENT_ID}","nonce":"{nonce}","exp":1311281970,"iat":1311280970{extra}}}"#
    )
}

/// A deterministic generator for tests (an LCG; never use outside tests).
pub struct SeqRng(pub u8);

impl Random for SeqRng {
    fn fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), RandomError> {
        for b in dest {
            self.0 = self.0.wrapping_mul(37).wrapping_add(11);
            *b = self.0;
        }
        Ok(())
    }
}

/// A random source that always fails.
pub struct BrokenRng;

impl Random for BrokenRng {
    fn fill_bytes(&mut self, _: &mut [u8]) -> Result<(), RandomError> {
        Err(RandomError)
    }
}

/// An in-memory store of the one pending record; `broken` makes every call fail.
#[derive(Default)]
pub struct MemoryStore {
    pub record: Option<Record>,
    pub broken: bool,
}

impl TransactionStore for MemoryStore {
    fn save(&mut self, record: &Record) -> Result<(), StorageError> {
        if self.broken {
            return Err(StorageError);
        }
        self.record = Some(record.clone());
        Ok(())
    }

    fn take(&mut self) -> Result<Option<Record>, StorageError> {
        if self.broken {
            return Err(StorageError);
        }
        Ok(self.record.take())
    }
}
