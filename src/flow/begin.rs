//! `begin`: draw `state` and `nonce`, store the transaction, write the authorize URL.

use zeroize::Zeroizing;

use crate::codec::base64url;
use crate::error::{Error, FlowError};
use crate::flow::Config;
use crate::flow::transaction::Transaction;
use crate::host::{Random, TransactionStore};
use crate::oauth::authorize::{AuthorizeRequest, ResponseMode};

/// Random bytes drawn for each of `state` and `nonce` (256 bits; RFC 6749 §10.10 asks for
/// at least 128).
const SECRET_BYTES: usize = 32;
/// Their base64url length.
const SECRET_CHARS: usize = 43;

/// Starts a login: draws 32 random bytes each for `state` and `nonce`, writes the
/// `/authorize` URL into `out`, then saves the transaction through `store` under the key of
/// its `state` ([`Transaction::key`]). Other pending logins are left as they are.
///
/// RFC 6749 §4.2.1, OIDC Core §3.2.2.1. Nothing is saved when the URL cannot be written.
///
/// # Errors
/// [`FlowError::Random`], [`FlowError::Storage`]; [`Error::Config`] for a configuration that
/// breaks a request rule; [`Error::BufferTooSmall`] with the exact URL length.
///
/// # Security
/// `state` and `nonce` use only the base64url alphabet: an encoder that leaves `+` unescaped
/// in the fragment (RFC 3986 §3.5 allows it) cannot have it decoded as a space on the way back
/// (RFC 6749 App. B; see CONFORMANCE.md).
///
/// # Examples
/// ```
/// use implicit_grant::{Config, MemoryStore, Random, RandomError, begin};
/// # struct Rng(u8);
/// # impl Random for Rng {
/// #     fn fill_bytes(&mut self, d: &mut [u8]) -> Result<(), RandomError> {
/// #         d.iter_mut().for_each(|b| { self.0 = self.0.wrapping_mul(31).wrapping_add(7); *b = self.0 });
/// #         Ok(())
/// #     }
/// # }
/// let config = Config::new(
///     "https://server.example.com",
///     "https://server.example.com/authorize",
///     "s6BhdRkqt3",
///     "https://client.example.org/cb",
/// );
/// let (mut rng, mut store) = (Rng(1), MemoryStore::<4>::new());
/// let mut buf = [0u8; 512];
/// let url = begin(&config, &mut rng, &mut store, 1311280970, &mut buf)?;
/// assert!(url.starts_with("https://server.example.com/authorize?response_type=id_token%20token&"));
/// assert_eq!(store.len(), 1);
/// # Ok::<(), implicit_grant::Error>(())
/// ```
pub fn begin<'o>(
    config: &Config<'_>,
    rng: &mut impl Random,
    store: &mut impl TransactionStore,
    now: u64,
    out: &'o mut [u8],
) -> Result<&'o str, Error> {
    let mut state_buf = Zeroizing::new([0u8; SECRET_CHARS]);
    let mut nonce_buf = Zeroizing::new([0u8; SECRET_CHARS]);
    let state = draw(rng, &mut state_buf)?;
    let nonce = draw(rng, &mut nonce_buf)?;
    let nonce = config.response_type.has_id_token().then_some(nonce);

    let mut request = AuthorizeRequest::new(
        config.authorization_endpoint,
        config.client_id,
        config.redirect_uri,
    )
    .response_type(config.response_type)
    .scope(config.scope)
    .state(state)
    .prompt(config.prompt)
    .extra(config.extra)
    .allow_loopback_http(config.allow_loopback_http);
    if let Some(nonce) = nonce {
        request = request.nonce(nonce);
    }
    if let Some(audience) = config.audience {
        request = request.audience(audience);
    }
    if let Some(max_age) = config.max_age {
        request = request.max_age(max_age);
    }
    if let Some(hint) = config.id_token_hint {
        request = request.id_token_hint(hint);
    }
    if config.response_mode != ResponseMode::Fragment {
        request = request.response_mode(config.response_mode);
    }
    let url = request.write_into(out)?;

    let transaction = Transaction::new(state, nonce, config.response_type, now)?
        .with_response_mode(config.response_mode)
        .with_max_age(config.max_age)
        .bound_to(config);
    store
        .save(&transaction.key(), &transaction.to_record())
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
