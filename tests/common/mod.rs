//! Fixtures (the OIDC Core §3.2.2.1 and App. A examples), a real HS256 signer, and
//! deterministic fakes for the host traits.
#![allow(dead_code, reason = "each test file uses its own subset")]

use base64ct::{Base64UrlUnpadded, Encoding};
use core::time::Duration;
use hmac::{Hmac, KeyInit, Mac};
use implicit_grant::{
    AuthorizationEndpoint, ClientId, Config, ConfigBuilder, Issuer, MemoryStore, Random,
    RandomError, Record, RedirectUri, StorageError, Transaction, TransactionKey, TransactionStore,
    UnixTime,
};
use sha2::{Sha256, Sha384, Sha512};

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
pub const NOW: UnixTime = UnixTime::from_secs(1_311_281_000);

/// `n` seconds.
pub const fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// `NOW` plus `n` seconds.
pub const fn now_plus(n: u64) -> UnixTime {
    NOW.saturating_add(secs(n))
}

/// A builder for the OIDC Core §3.2.2.1 client of `server.example.com`.
pub const fn builder() -> ConfigBuilder<'static> {
    Config::builder(
        Issuer::new(ISSUER),
        AuthorizationEndpoint::new(AUTHZ_EP),
        ClientId::new(CLIENT_ID),
        RedirectUri::new(REDIRECT),
    )
}

/// That client's configuration with every default.
pub fn config() -> Config<'static> {
    builder().build().unwrap()
}
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

/// RSASSA-PSS with MGF1 over `D` and a salt as long as `D`'s output (RFC 7518 §3.5): test key
/// `kid`'s private operation on [`pss_encode`]'s encoding.
fn pss_sign<D: sha2::Digest>(kid: &str, signing_input: &[u8]) -> Vec<u8> {
    let jwk = private_jwk(kid);
    let n = jwk_bytes(&jwk, "n");
    let mod_bits = n.len() * 8 - n[0].leading_zeros() as usize;
    let salt: Vec<u8> = (0..<D as sha2::Digest>::output_size())
        .map(|i| (i as u8).wrapping_mul(37) ^ signing_input.len() as u8)
        .collect();
    let em = pss_encode::<D>(signing_input, &salt, mod_bits - 1);
    let mut padded = vec![0u8; n.len() - em.len()];
    padded.extend_from_slice(&em);
    raw_rsa_private(kid, &padded)
}

/// EMSA-PSS-ENCODE (RFC 8017 §9.1.1) of `message` with `salt`, for `em_bits` bits, MGF1
/// over `D`: the tests' own encoder. The verifier it feeds also verifies OpenSSL's PSS
/// tokens and Wycheproof's vectors, which share no code with it.
pub fn pss_encode<D: sha2::Digest>(message: &[u8], salt: &[u8], em_bits: usize) -> Vec<u8> {
    let h_len = <D as sha2::Digest>::output_size();
    let em_len = em_bits.div_ceil(8);
    let m_hash = D::digest(message);
    let h = D::new()
        .chain_update([0u8; 8])
        .chain_update(&m_hash)
        .chain_update(salt)
        .finalize();
    let mut db = vec![0u8; em_len - salt.len() - h_len - 2];
    db.push(0x01);
    db.extend_from_slice(salt);
    for (counter, chunk) in (0u32..).zip(db.chunks_mut(h_len)) {
        let mask = D::new()
            .chain_update(&h)
            .chain_update(counter.to_be_bytes())
            .finalize();
        chunk.iter_mut().zip(mask.iter()).for_each(|(b, m)| *b ^= m);
    }
    db[0] &= 0xFF >> (8 * em_len - em_bits);
    let mut em = db;
    em.extend_from_slice(&h);
    em.push(0xbc);
    em
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

/// Claims of a valid minimal implicit-flow ID token for `nonce` (OIDC Core App. A.3's claims
/// without `at_hash`), with `extra` members appended (e.g. `,"at_hash":"…"`).
pub fn claims(nonce: &str, extra: &str) -> String {
    format!(
        r#"{{"iss":"{ISSUER}","sub":"248289761001","aud":"{CLIENT_ID}","nonce":"{nonce}","exp":1311281970,"iat":1311280970{extra}}}"#
    )
}

/// The raw (still percent-encoded) value of parameter `name` in `url`'s query.
pub fn query_value(url: &str, name: &str) -> Option<String> {
    let (_, query) = url.split_once('?')?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .map(str::to_owned)
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

/// The crate's `MemoryStore`, with a switch that makes every call fail.
#[derive(Debug, Default)]
pub struct TestStore {
    pub inner: MemoryStore<8>,
    pub broken: bool,
}

impl TestStore {
    /// A store holding `transaction`, saved under its key.
    pub fn holding(transaction: &Transaction) -> Self {
        let mut store = Self::default();
        store
            .save(
                &transaction.key(),
                &transaction.to_record(),
                transaction.issued_at(),
            )
            .unwrap();
        store
    }

    /// How many transactions are pending.
    pub fn len(&self) -> usize {
        self.inner.len()
    }
}

impl TransactionStore for TestStore {
    fn save(
        &mut self,
        key: &TransactionKey,
        record: &Record,
        issued_at: UnixTime,
    ) -> Result<(), StorageError> {
        if self.broken {
            return Err(StorageError);
        }
        self.inner.save(key, record, issued_at)
    }

    fn take(&mut self, key: &TransactionKey) -> Result<Option<Record>, StorageError> {
        if self.broken {
            return Err(StorageError);
        }
        self.inner.take(key)
    }
}

/// OIDC Core App. A.1's public key, the one `IDT_A3` is signed with.
pub const JWKS_A1: &str = r#"{"keys":[{"kty":"RSA","kid":"1e9gdk7","n":"w7Zdfmece8iaB0kiTY8pCtiBtzbptJmP28nSWwtdjRu0f2GFpajvWE4VhfJAjEsOcwYzay7XGN0b-X84BfC8hmCTOj2b2eHT7NsZegFPKRUQzJ9wW8ipn_aDJWMGDuB1XyqT1E7DYqjUCEOD1b4FLpy_xPn6oV_TYOfQ9fZdbE5HGxJUzekuGcOKqOQ8M7wfYHhHHLxGpQVgL0apWuP2gDDOdTtpuld4D2LK1MZK99s9gaSjRHE8JDb1Z4IGhEcEyzkxswVdPndUWzfvWBBWXWxtSUvQGBRkuy1BHOa4sP6FKjWEeeF7gm7UMs2Nm2QUgNZw6xvEDGaLk4KASdIxRQ","e":"AQAB"}]}"#;

/// The private test keys made by `tests/data/gen_keys.py`, by kid: `rsa-2048-a`,
/// `rsa-2048-b`, `rsa-3072`, `rsa-4096`, `rsa-1024-weak`, `rsa-2049`, `rsa-3073`,
/// `rsa-2048-e3`, `p256-a`, `p256-b`, `rsa-2048-pss` (bound to PS256), `p384-a`, `ed25519-a`,
/// `p521-a`.
pub fn private_jwk(kid: &str) -> serde_json::Value {
    let all: serde_json::Value = serde_json::from_str(include_str!("../data/keys.json")).unwrap();
    all["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid)
        .unwrap_or_else(|| panic!("no test key {kid}"))
        .clone()
}

/// The public JWK of a test key, as JSON text (private members dropped).
pub fn public_jwk(kid: &str) -> String {
    let mut jwk = private_jwk(kid);
    let members = jwk.as_object_mut().unwrap();
    for private in ["d", "p", "q", "dp", "dq", "qi"] {
        members.remove(private);
    }
    serde_json::to_string(&jwk).unwrap()
}

/// A JWK Set of the public test keys `kids`.
pub fn jwks_json(kids: &[&str]) -> String {
    let keys: Vec<String> = kids.iter().map(|kid| public_jwk(kid)).collect();
    format!(r#"{{"keys":[{}]}}"#, keys.join(","))
}

fn jwk_bytes(jwk: &serde_json::Value, member: &str) -> Vec<u8> {
    Base64UrlUnpadded::decode_vec(jwk[member].as_str().unwrap()).unwrap()
}

/// The raw signature of `signing_input` by test key `kid` for `alg`: `RS256`, `RS384`,
/// `RS512` with an RSA key, by the `rsa` crate; `PS256`, `PS384`, `PS512` with an RSA key
/// ([`pss_encode`] then the `rsa` crate's private operation); `ES256` with a P-256 key, by
/// `p256`; `ES384` with a P-384 key, by `p384`; `ES512` with a P-521 key, by `p521`; `EdDSA` or `Ed25519` with an Ed25519 key,
/// by `ed25519-dalek`.
pub fn raw_signature(kid: &str, alg: &str, signing_input: &[u8]) -> Vec<u8> {
    use rsa::signature::{SignatureEncoding, Signer};
    let jwk = private_jwk(kid);
    match (jwk["crv"].as_str(), alg) {
        (Some("P-256"), "ES256") => {
            let key = p256::ecdsa::SigningKey::from_slice(&jwk_bytes(&jwk, "d")).unwrap();
            let sig: p256::ecdsa::Signature = key.sign(signing_input);
            return sig.to_bytes().to_vec();
        }
        (Some("P-384"), "ES384") => {
            let key = p384::ecdsa::SigningKey::from_slice(&jwk_bytes(&jwk, "d")).unwrap();
            let sig: p384::ecdsa::Signature = key.sign(signing_input);
            return sig.to_bytes().to_vec();
        }
        (Some("P-521"), "ES512") => {
            let key = p521::ecdsa::SigningKey::from_slice(&jwk_bytes(&jwk, "d")).unwrap();
            let sig: p521::ecdsa::Signature = key.sign(signing_input);
            return sig.to_bytes().to_vec();
        }
        (Some("Ed25519"), "EdDSA" | "Ed25519") => {
            let d: [u8; 32] = jwk_bytes(&jwk, "d").try_into().unwrap();
            let key = ed25519_dalek::SigningKey::from_bytes(&d);
            return key.sign(signing_input).to_bytes().to_vec();
        }
        (Some(crv), _) => panic!("no {crv} signer for {alg}"),
        (None, "PS256") => return pss_sign::<Sha256>(kid, signing_input),
        (None, "PS384") => return pss_sign::<Sha384>(kid, signing_input),
        (None, "PS512") => return pss_sign::<Sha512>(kid, signing_input),
        (None, _) => {}
    }
    let int = |m: &str| rsa::BoxedUint::from_be_slice_vartime(&jwk_bytes(&jwk, m));
    let key =
        rsa::PrivateKey::from_components(int("n"), int("e"), int("d"), vec![int("p"), int("q")])
            .unwrap();
    match alg {
        "RS256" => rsa::pkcs1v15::SigningKey::<Sha256>::new(key)
            .sign(signing_input)
            .to_vec(),
        "RS384" => rsa::pkcs1v15::SigningKey::<Sha384>::new(key)
            .sign(signing_input)
            .to_vec(),
        "RS512" => rsa::pkcs1v15::SigningKey::<Sha512>::new(key)
            .sign(signing_input)
            .to_vec(),
        other => panic!("no RSA signer for {other}"),
    }
}

/// A compact JWS over the exact `header` and `payload` texts, signed by test key `kid`
/// with the header's `alg`.
pub fn sign(kid: &str, header: &str, payload: &str) -> String {
    let alg: serde_json::Value = serde_json::from_str(header).unwrap();
    let alg = alg["alg"].as_str().unwrap();
    let signing_input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let sig = raw_signature(kid, alg, signing_input.as_bytes());
    format!("{signing_input}.{}", b64(&sig))
}

/// `{"alg":alg,"kid":kid}` as header text.
pub fn header(alg: &str, kid: &str) -> String {
    format!(r#"{{"alg":"{alg}","kid":"{kid}"}}"#)
}

/// The RSA private operation on an arbitrary encoded message `em` (k bytes) with test key
/// `kid`: a "signature" whose padding the test chooses.
pub fn raw_rsa_private(kid: &str, em: &[u8]) -> Vec<u8> {
    let jwk = private_jwk(kid);
    let int = |m: &str| rsa::BoxedUint::from_be_slice_vartime(&jwk_bytes(&jwk, m));
    let key =
        rsa::PrivateKey::from_components(int("n"), int("e"), int("d"), vec![int("p"), int("q")])
            .unwrap();
    let bits = rsa::traits::PublicKeyParts::n(&key)
        .as_ref()
        .bits_precision();
    let m = rsa::BoxedUint::from_be_slice(em, bits).unwrap();
    let s = rsa::hazmat::rsa_decrypt(
        None::<&mut dyn rand_core::TryCryptoRng<Error = core::convert::Infallible>>,
        &key,
        &m,
    )
    .unwrap();
    let bytes = s.to_be_bytes();
    bytes[bytes.len() - em.len()..].to_vec()
}

/// `text` decoded from base64url (panics on anything else: test inputs only).
pub fn unb64(text: &str) -> Vec<u8> {
    Base64UrlUnpadded::decode_vec(text).unwrap()
}

/// Verifies only the signature of `token` with `verifier`, as `verify_id_token` does: the
/// header decoded, the signing input and the decoded signature handed over.
pub fn signature_check(
    token: &str,
    verifier: &impl implicit_grant::SignatureVerifier,
) -> Result<(), implicit_grant::Error> {
    use implicit_grant::{Error, JwtError};
    let mut scratch = [0u8; 256];
    let header = implicit_grant::jwt::decode_header(token, &mut scratch).map_err(|e| match e {
        e @ (Error::Jwt(_) | Error::KeySelection(_)) => e,
        other => panic!("{other:?}"),
    })?;
    let (signing_input, signature) = token.rsplit_once('.').unwrap();
    let signature =
        Base64UrlUnpadded::decode_vec(signature).map_err(|_| JwtError::InvalidBase64Url)?;
    verifier
        .verify(&header, signing_input.as_bytes(), &signature)
        .map(drop)
}
