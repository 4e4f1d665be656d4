//! JWK Sets (RFC 7517 §5) in fixed-capacity storage.

use crate::codec::json::{self, Value};
use crate::error::{Error, KeyError};
use crate::jwt::verifier::SignatureVerified;
use crate::jwt::{Header, SignatureVerifier};
use crate::verify::JwkMember;

use super::jwk::Jwk;
use super::select::verify_with;
use crate::limits::JWKS_CAPACITY;

/// A provider's JWK Set (its `jwks_uri` document), as a [`SignatureVerifier`].
///
/// Holds up to `N` keys inline (no allocator): about 1.2 KB per key with `rsa` (the
/// modulus and its precomputed `R² mod n`, with room for 4096 bits), so pick `N` to fit the
/// provider: 2 for Auth0 or Google, 8 or more for Microsoft Entra ID.
///
/// Following RFC 7517 §5, keys of a type, curve or shape this build does not understand
/// (`oct`, `OKP`, P-384, no `kty`) are ignored and counted ([`Jwks::ignored`]). So are keys
/// that cannot verify a signature whatever they hold: `"use":"enc"`, `key_ops` without
/// `verify` (RFC 7517 §4.2, §4.3), or an `alg` that is not a signature algorithm this crate
/// knows (e.g. `RSA-OAEP`). Ignored keys take no room: a provider publishing encryption keys
/// beside its signing keys needs `N` only for the latter. A token naming an ignored key's
/// `kid` then gets [`SelectionError::UnknownKey`](crate::SelectionError::UnknownKey).
///
/// Signing keys of an understood type are kept even when unusable (a 1024-bit modulus, a
/// bad exponent), so that a token naming one gets a precise error
/// ([`SelectionError::UnusableKey`](crate::SelectionError::UnusableKey)) rather than
/// `UnknownKey`.
///
/// Key selection: see [`SignatureVerifier for Jwks`](#impl-SignatureVerifier-for-Jwks<N>).
///
/// # Examples
/// ```
/// # #[cfg(feature = "rsa")] {
/// use implicit_grant::verify::Jwks;
/// // OIDC Core Appendix A.1
/// let jwks = Jwks::parse(r#"{"keys":[{"kty":"RSA","kid":"1e9gdk7","n":"w7Zdfmece8iaB0kiTY8pCtiBtzbptJmP28nSWwtdjRu0f2GFpajvWE4VhfJAjEsOcwYzay7XGN0b-X84BfC8hmCTOj2b2eHT7NsZegFPKRUQzJ9wW8ipn_aDJWMGDuB1XyqT1E7DYqjUCEOD1b4FLpy_xPn6oV_TYOfQ9fZdbE5HGxJUzekuGcOKqOQ8M7wfYHhHHLxGpQVgL0apWuP2gDDOdTtpuld4D2LK1MZK99s9gaSjRHE8JDb1Z4IGhEcEyzkxswVdPndUWzfvWBBWXWxtSUvQGBRkuy1BHOa4sP6FKjWEeeF7gm7UMs2Nm2QUgNZw6xvEDGaLk4KASdIxRQ","e":"AQAB"}]}"#)?;
/// assert_eq!(jwks.len(), 1);
/// // A larger set: name the capacity.
/// let big = Jwks::<8>::parse_with_capacity(r#"{"keys":[]}"#)?;
/// assert!(big.is_empty());
/// # }
/// # Ok::<(), implicit_grant::KeyError>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Jwks<const N: usize = JWKS_CAPACITY> {
    keys: heapless::Vec<Jwk, N>,
    ignored: usize,
}

impl Jwks {
    /// Parses a JWK Set of up to [`JWKS_CAPACITY`] keys.
    ///
    /// # Errors
    /// As [`Jwks::parse_with_capacity`].
    ///
    /// ```
    /// use implicit_grant::{KeyError, verify::{JwkMember, Jwks}};
    /// assert_eq!(Jwks::parse("[]").err(), Some(KeyError::InvalidKeyJson));
    /// assert_eq!(Jwks::parse("{}").err(), Some(KeyError::MissingKeyMember(JwkMember::Keys)));
    /// ```
    pub fn parse(json: &str) -> Result<Self, KeyError> {
        Self::parse_with_capacity(json)
    }
}

impl<const N: usize> Jwks<N> {
    /// Parses a JWK Set (`{"keys":[…]}`) of up to `N` kept keys.
    ///
    /// # Errors
    /// [`KeyError::InvalidKeyJson`] for anything but one strict JSON object;
    /// [`KeyError::MissingKeyMember`], [`KeyError::InvalidKeyMember`] or
    /// [`KeyError::DuplicateKeyMember`] for `keys` (an array of objects);
    /// [`KeyError::TooManyKeys`] when more than `N` keys would be kept (ignored keys do not
    /// count).
    ///
    /// ```
    /// use implicit_grant::{KeyError, verify::Jwks};
    /// let two = r#"{"keys":[{"kty":"RSA","kid":"a"},{"kty":"RSA","kid":"b"}]}"#;
    /// # #[cfg(feature = "rsa")]
    /// assert_eq!(Jwks::<1>::parse_with_capacity(two).err(), Some(KeyError::TooManyKeys));
    /// ```
    pub fn parse_with_capacity(json: &str) -> Result<Self, KeyError> {
        let mut set = Self::new();
        set.load(json)?;
        Ok(set)
    }

    /// An empty set, for [`Jwks::load`].
    ///
    /// ```
    /// use implicit_grant::verify::Jwks;
    /// let keys: Jwks = Jwks::new();
    /// assert!(keys.is_empty());
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self {
            keys: heapless::Vec::new(),
            ignored: 0,
        }
    }

    /// Replaces the keys with those of the JWK Set `json`, building each key where the set
    /// stores it: [`Jwks::parse`] returns the set by value, which moves its kilobytes of
    /// RSA keys once more through the stack; `load` needs none of that, for a set kept in a
    /// `static` or a long-lived struct and reloaded when the provider rotates its keys
    /// ([`Outcome::KeysOutdated`](crate::Outcome::KeysOutdated)).
    ///
    /// # Errors
    /// As [`Jwks::parse_with_capacity`]. The set is then empty: no key of a document that
    /// failed verifies anything.
    ///
    /// ```
    /// # #[cfg(feature = "rsa")] {
    /// use implicit_grant::{KeyError, verify::{JwkMember, Jwks}};
    /// let mut keys: Jwks<2> = Jwks::new();
    /// keys.load(r#"{"keys":[{"kty":"RSA","kid":"1e9gdk7","use":"enc"}]}"#)?;
    /// assert_eq!((keys.len(), keys.ignored()), (0, 1));
    /// assert_eq!(keys.load("{}"), Err(KeyError::MissingKeyMember(JwkMember::Keys)));
    /// assert_eq!((keys.len(), keys.ignored()), (0, 0));
    /// # }
    /// # Ok::<(), implicit_grant::KeyError>(())
    /// ```
    pub fn load(&mut self, json: &str) -> Result<(), KeyError> {
        self.clear();
        let loaded = self.fill(json);
        if loaded.is_err() {
            self.clear();
        }
        loaded
    }

    fn clear(&mut self) {
        self.keys.clear();
        self.ignored = 0;
    }

    fn fill(&mut self, json: &str) -> Result<(), KeyError> {
        json::validate(json.as_bytes()).map_err(|_| KeyError::InvalidKeyJson)?;
        let object = json.trim_matches([' ', '\t', '\n', '\r']);
        let mut keys = None;
        for member in json::members(object) {
            let (name, value) = member.map_err(|_| KeyError::InvalidKeyJson)?;
            let mut buf = [0u8; 4];
            if json::canonical_str(name, &mut buf) == Ok("keys") && keys.replace(value).is_some() {
                return Err(KeyError::DuplicateKeyMember(JwkMember::Keys));
            }
        }
        let Value::Array(array) = keys.ok_or(KeyError::MissingKeyMember(JwkMember::Keys))? else {
            return Err(KeyError::InvalidKeyMember(JwkMember::Keys));
        };
        for element in json::elements(array) {
            let Ok(Value::Object(object)) = element else {
                return Err(KeyError::InvalidKeyMember(JwkMember::Keys));
            };
            match Jwk::head(object) {
                Ok(head) if head.may_sign() => {
                    // The key is built where the set stores it.
                    self.keys
                        .push(Jwk::EMPTY)
                        .map_err(|_| KeyError::TooManyKeys)?;
                    if let Some(slot) = self.keys.last_mut() {
                        head.build_into(slot);
                    }
                }
                _ => self.ignored = self.ignored.saturating_add(1),
            }
        }
        Ok(())
    }

    /// The keys kept, in the set's order.
    ///
    /// ```
    /// # use implicit_grant::verify::Jwks;
    /// let set = Jwks::parse(r#"{"keys":[{"kty":"RSA","kid":"enc-1","use":"enc","n":"AQAB","e":"AQAB"},{"kty":"RSA","kid":"sig-1","n":"AQAB","e":"AQAB"}]}"#)?;
    /// # #[cfg(feature = "rsa")]
    /// assert_eq!(set.keys().map(|k| k.kid()).collect::<Vec<_>>(), [Some("sig-1")]);
    /// # Ok::<(), implicit_grant::KeyError>(())
    /// ```
    pub fn keys(&self) -> impl Iterator<Item = &Jwk> {
        self.keys.iter()
    }

    /// How many keys were kept.
    ///
    /// ```
    /// # use implicit_grant::verify::Jwks;
    /// assert_eq!(Jwks::parse(r#"{"keys":[]}"#)?.len(), 0);
    /// # Ok::<(), implicit_grant::KeyError>(())
    /// ```
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no key was kept.
    ///
    /// ```
    /// # use implicit_grant::verify::Jwks;
    /// assert!(Jwks::parse(r#"{"keys":[{"kty":"oct","k":"AAAA"}]}"#)?.is_empty());
    /// # Ok::<(), implicit_grant::KeyError>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// How many keys were ignored (RFC 7517 §5): of a type or curve this build does not
    /// verify with, without `kty`, without a usable `kid` (not a string, duplicated, or
    /// longer than [`MAX_KID_LEN`](crate::limits::MAX_KID_LEN)), or not for signatures (`use` other
    /// than `sig`, `key_ops` without `verify`, an `alg` that is no signature algorithm this
    /// crate knows). None of them counts against the capacity `N`.
    ///
    /// ```
    /// # use implicit_grant::verify::Jwks;
    /// let set = Jwks::parse(r#"{"keys":[{"kty":"OKP","crv":"X25519","x":"AAAA"},{"kty":"oct","k":"AAAA"}]}"#)?;
    /// assert_eq!(set.ignored(), 2);
    /// # Ok::<(), implicit_grant::KeyError>(())
    /// ```
    pub fn ignored(&self) -> usize {
        self.ignored
    }
}

/// Key selection (RFC 7515 §4.1.4, OIDC Core §10.1, RFC 8725 §3.1), with the
/// [`SelectionError`] of each refusal:
/// - an `alg` this build cannot verify: [`JwtError::UnsupportedAlgorithm`](crate::JwtError::UnsupportedAlgorithm);
/// - a token with a `kid` considers only the kept keys with that `kid`; none:
///   `UnknownKey` (fetch the JWKS again and retry once: key rotation). Keys not for
///   signatures were not kept, so naming one also gets `UnknownKey`;
/// - a token without `kid` considers every kept key;
/// - exactly one of the keys considered must fit the `alg`: its type is the `alg`'s (an RSA
///   key never verifies `HS256` or `ES256`), its own `alg` is absent or the same, and it
///   loaded. Several: `AmbiguousKey`; none: the most specific reason (`UnusableKey`, then
///   `KeyAlgMismatch`, then `KeyTypeMismatch`).
///
/// [`SelectionError`]: crate::SelectionError
impl<const N: usize> SignatureVerifier for Jwks<N> {
    fn verify<'t>(
        &self,
        header: &Header<'_>,
        signing_input: &'t [u8],
        signature: &[u8],
    ) -> Result<SignatureVerified<'t>, Error> {
        verify_with(&self.keys, header, signing_input, signature)
    }
}
