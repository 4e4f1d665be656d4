//! `begin`: draw `state` and `nonce`, store the transaction, write the authorize URL.

use zeroize::Zeroizing;

use crate::codec::{base64url, sink};
use crate::error::{Error, FlowError};
use crate::flow::Config;
use crate::flow::transaction::Transaction;
use crate::host::{Random, TransactionStore};
use crate::time::UnixTime;

/// Random bytes drawn for each of `state` and `nonce` (256 bits; RFC 6749 §10.10 asks for
/// at least 128).
const SECRET_BYTES: usize = 32;
/// Their base64url length.
pub(crate) const SECRET_CHARS: usize = 43;

/// Starts a login: draws 32 random bytes each for `state` and `nonce` (and, for `code`, a
/// PKCE verifier, sent as its `S256` challenge: RFC 7636 §4.1–§4.3), writes the
/// `/authorize` URL into `out`, then saves the transaction through `store` under the key of
/// its `state` ([`Transaction::key`]). Other pending logins are left as they are.
///
/// RFC 6749 §4.2.1, OIDC Core §3.2.2.1. Nothing is saved when the URL cannot be written.
///
/// Every request parameter set on the configuration is sent; the configuration was checked
/// when it was built, so nothing here can fail on it.
///
/// # Errors
/// [`FlowError::Random`], [`FlowError::Storage`]; [`Error::BufferTooSmall`] with the exact
/// URL length (nothing drawn is kept then, and nothing saved).
///
/// # Security
/// `state` and `nonce` use only the base64url alphabet: an encoder that leaves `+` unescaped
/// in the fragment (RFC 3986 §3.5 allows it) cannot have it decoded as a space on the way back
/// (RFC 6749 App. B; see CONFORMANCE.md).
///
/// # Examples
/// ```
/// use implicit_grant::*;
/// # struct Rng(u8);
/// # impl Random for Rng {
/// #     fn fill_bytes(&mut self, d: &mut [u8]) -> Result<(), RandomError> {
/// #         d.iter_mut().for_each(|b| { self.0 = self.0.wrapping_mul(31).wrapping_add(7); *b = self.0 });
/// #         Ok(())
/// #     }
/// # }
/// let config = Config::builder(
///     Issuer::new("https://server.example.com"),
///     AuthorizationEndpoint::new("https://server.example.com/authorize"),
///     ClientId::new("s6BhdRkqt3"),
///     RedirectUri::new("https://client.example.org/cb"),
/// )
/// .build()?;
/// let (mut rng, mut store) = (Rng(1), MemoryStore::<4>::new());
/// let mut buf = [0u8; 512];
/// let url = begin(&config, &mut rng, &mut store, UnixTime::from_secs(1311280970), &mut buf)?;
/// assert!(url.starts_with("https://server.example.com/authorize?response_type=id_token%20token&"));
/// assert_eq!(store.len(), 1);
/// # Ok::<(), implicit_grant::Error>(())
/// ```
pub fn begin<'o>(
    config: &Config<'_>,
    rng: &mut impl Random,
    store: &mut impl TransactionStore,
    now: UnixTime,
    out: &'o mut [u8],
) -> Result<&'o str, Error> {
    let mut state_buf = Zeroizing::new([0u8; SECRET_CHARS]);
    let mut nonce_buf = Zeroizing::new([0u8; SECRET_CHARS]);
    let state = draw(rng, &mut state_buf)?;
    let nonce = draw(rng, &mut nonce_buf)?;
    let nonce = config.request.wants_id_token().then_some(nonce);

    let mut request = config.request.state(state);
    if let Some(nonce) = nonce {
        request = request.nonce(nonce);
    }
    // `code`: a PKCE verifier too (RFC 7636 §4.1: 32 random bytes, base64url), sent as its
    // `S256` challenge and kept in the transaction for the token request.
    #[cfg(feature = "code")]
    let mut verifier_buf = Zeroizing::new([0u8; SECRET_CHARS]);
    #[cfg(feature = "code")]
    let (verifier, challenge) = match config.response_type() {
        crate::oauth::authorize::ResponseType::Code => {
            let verifier = crate::oauth::pkce::CodeVerifier::new(draw(rng, &mut verifier_buf)?)
                .map_err(Error::from)?;
            (Some(verifier), Some(verifier.challenge()))
        }
        _ => (None, None),
    };
    #[cfg(feature = "code")]
    if let Some(challenge) = &challenge {
        request = request.code_challenge(challenge);
    }
    // Checked when the configuration was built, with values of these forms.
    let url = sink::write_exact(out, |w| request.render(w))?;

    #[cfg(feature = "code")]
    let transaction = match verifier {
        Some(verifier) => Transaction::new_code(config, state, nonce, verifier, now)?,
        None => Transaction::new(config, state, nonce, now)?,
    };
    #[cfg(not(feature = "code"))]
    let transaction = Transaction::new(config, state, nonce, now)?;
    store
        .save(&transaction.key(), &transaction.to_record(), now)
        .map_err(|_| FlowError::Storage)?;
    Ok(url)
}

/// Fills `out` with the base64url encoding of 32 fresh random bytes.
fn draw<'o>(rng: &mut impl Random, out: &'o mut [u8; SECRET_CHARS]) -> Result<&'o str, Error> {
    let mut raw = Zeroizing::new([0u8; SECRET_BYTES]);
    rng.fill_bytes(raw.as_mut())
        .map_err(|_| FlowError::Random)?;
    Ok(base64url::encode_into(raw.as_ref(), out)?)
}
