//! JSON Web Keys (RFC 7517 §4, RFC 7518 §6) and the rules binding a key to a token.

use crate::algorithm::Algorithm;
use crate::codec::base64url::{self, Base64Error};
use crate::codec::json::{self, Value};
use crate::error::{Error, KeyError, SelectionError};
use crate::jwt::verifier::SignatureVerified;
use crate::verify::JwkMember;

#[cfg(feature = "ecdsa")]
use super::ecdsa::EcKey;
#[cfg(feature = "eddsa")]
use super::ed25519::Ed25519Key;
#[cfg(feature = "rsa")]
use super::rsa::RsaKey;
use crate::limits::MAX_KID_LEN;

/// Longest base64url text of a member we decode: an RSA-4096 modulus.
const MAX_B64_LEN: usize = 683;

/// One public key from a JWK (RFC 7517 §4): an RSA key (`RS256`, `RS384`, `RS512`, `PS256`,
/// `PS384`, `PS512`; feature `rsa`), a P-256 or P-384 key (`ES256`, `ES384`; feature
/// `ecdsa`), a P-521 key (`ES512`; feature `es512`), or an Ed25519 key (`EdDSA`, `Ed25519`; feature `eddsa`).
///
/// As a [`SignatureVerifier`](crate::SignatureVerifier) it applies the same rules as a [`Jwks`](super::Jwks) of one
/// key: a token with a `kid` needs a key with that `kid`; the key's type must fit the
/// token's `alg`, and so must the key's own `alg` when it has one; a key whose `use` is not
/// `sig` is never used.
///
/// # Security
/// Key material from the token itself (`jwk`, `jku`, `x5c` headers) is never consulted
/// (RFC 8725 §3.10): keys come from the caller only.
///
/// # Examples
/// OIDC Core Appendix A.1's key:
/// ```
/// # #[cfg(feature = "rsa")] {
/// use implicit_grant::{Algorithm, verify::Jwk};
/// let key = Jwk::parse(r#"{"kty":"RSA","kid":"1e9gdk7","n":"w7Zdfmece8iaB0kiTY8pCtiBtzbptJmP28nSWwtdjRu0f2GFpajvWE4VhfJAjEsOcwYzay7XGN0b-X84BfC8hmCTOj2b2eHT7NsZegFPKRUQzJ9wW8ipn_aDJWMGDuB1XyqT1E7DYqjUCEOD1b4FLpy_xPn6oV_TYOfQ9fZdbE5HGxJUzekuGcOKqOQ8M7wfYHhHHLxGpQVgL0apWuP2gDDOdTtpuld4D2LK1MZK99s9gaSjRHE8JDb1Z4IGhEcEyzkxswVdPndUWzfvWBBWXWxtSUvQGBRkuy1BHOa4sP6FKjWEeeF7gm7UMs2Nm2QUgNZw6xvEDGaLk4KASdIxRQ","e":"AQAB"}"#)?;
/// assert_eq!(key.kid(), Some("1e9gdk7"));
/// assert_eq!(key.algorithm(), None);
/// # }
/// # Ok::<(), implicit_grant::KeyError>(())
/// ```
#[derive(Clone)]
pub struct Jwk {
    kid: Option<heapless::String<MAX_KID_LEN>>,
    pub(super) kty: Kty,
    pub(super) alg: Bound,
    pub(super) signs: bool,
    pub(super) material: Material,
}

/// The key's type and curve (`kty` and `crv`), which fix the algorithms it may verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kty {
    Rsa,
    P256,
    P384,
    P521,
    Ed25519,
}

/// What the key's own `alg` allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Bound {
    /// No `alg`: any algorithm of the key's type.
    Any,
    To(Algorithm),
    /// An `alg` this crate does not verify with (e.g. `RSA-OAEP`).
    Foreign,
}

// Keys live inline (no allocator), so the enum is as large as an RSA-4096 key.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
pub(super) enum Material {
    #[cfg(feature = "rsa")]
    Rsa(RsaKey),
    #[cfg(feature = "ecdsa")]
    Ec(EcKey),
    #[cfg(feature = "eddsa")]
    Ed25519(Ed25519Key),
    Unusable(KeyError),
}

/// A key object read up to its material: what decides whether a set keeps it.
pub(crate) struct Head<'t> {
    members: Members<'t>,
    /// A member in error: the key is kept, unusable, with this reason.
    problem: Option<KeyError>,
    kid: Option<heapless::String<MAX_KID_LEN>>,
    kty: Kty,
    alg: Bound,
    signs: bool,
}

impl Head<'_> {
    /// Whether the key may ever verify a signature: `use` absent or `sig`, `key_ops` absent
    /// or listing `verify`, and `alg` absent or a signature algorithm this crate knows. A
    /// [`Jwks`](super::Jwks) does not keep the others.
    pub(crate) fn may_sign(&self) -> bool {
        self.signs && self.alg != Bound::Foreign
    }

    /// The key, written into `slot` (its 1 KB RSA material built there, not copied in).
    pub(crate) fn build_into(self, slot: &mut Jwk) {
        slot.kid = self.kid;
        (slot.kty, slot.alg, slot.signs) = (self.kty, self.alg, self.signs);
        let built = match self.problem {
            Some(e) => Err(e),
            None => self.members.material_into(self.kty, &mut slot.material),
        };
        if let Err(e) = built {
            slot.material = Material::Unusable(e);
        }
    }
}

/// The raw string members of one key object, as written.
#[derive(Default)]
struct Members<'t> {
    kty: Option<&'t str>,
    kid: Option<&'t str>,
    use_: Option<&'t str>,
    alg: Option<&'t str>,
    crv: Option<&'t str>,
    n: Option<&'t str>,
    e: Option<&'t str>,
    x: Option<&'t str>,
    y: Option<&'t str>,
    /// The `key_ops` array's text.
    key_ops: Option<&'t str>,
}

impl Jwk {
    /// Parses one JWK (a JSON object).
    ///
    /// # Errors
    /// [`KeyError::InvalidKeyJson`] for anything but one strict JSON object;
    /// [`KeyError::MissingKeyMember`], [`KeyError::InvalidKeyMember`], [`KeyError::DuplicateKeyMember`];
    /// [`KeyError::Unsupported`] for another `kty` or `crv`, or a type whose feature is off;
    /// [`KeyError::WeakKey`], [`KeyError::InvalidModulus`], [`KeyError::InvalidExponent`],
    /// [`KeyError::InvalidPoint`].
    ///
    /// ```
    /// use implicit_grant::{KeyError, verify::Jwk};
    /// assert_eq!(Jwk::parse(r#"{"kty":"oct","k":"c2VjcmV0"}"#).err(), Some(KeyError::Unsupported));
    /// ```
    pub fn parse(json: &str) -> Result<Self, KeyError> {
        json::validate(json.as_bytes()).map_err(|_| KeyError::InvalidKeyJson)?;
        let head = Self::head(json.trim_matches([' ', '\t', '\n', '\r']))?;
        let mut key = Self::EMPTY;
        head.build_into(&mut key);
        match key.material {
            Material::Unusable(e) => Err(e),
            _ => Ok(key),
        }
    }

    /// An RSA public key (`RS256`, `RS384`, `RS512`) from its modulus `n` and public
    /// exponent `e`, unsigned big-endian integers without leading zero octets (RFC 7518
    /// §6.3.1.1, §6.3.1.2), with the checks [`Jwk::parse`] makes; no `kid`, `alg` or `use`.
    ///
    /// For keys that come from configuration or firmware rather than a JWKS document.
    ///
    /// # Errors
    /// [`KeyError::InvalidKeyMember`] for an empty `n` or `e` or one with a leading zero
    /// octet; [`KeyError::WeakKey`] below 2048 bits; [`KeyError::InvalidModulus`] above 4096
    /// bits or even; [`KeyError::InvalidExponent`] for an even exponent, or one below 3 or
    /// above 2³² − 1.
    ///
    /// # Examples
    /// ```
    /// use implicit_grant::{KeyError, verify::Jwk};
    /// let n = [0xC3; 256]; // 2048 bits, odd
    /// let key = Jwk::rsa(&n, &[0x01, 0x00, 0x01])?.with_kid("2024-rsa")?;
    /// assert_eq!(key.kid(), Some("2024-rsa"));
    /// assert_eq!(Jwk::rsa(&n[..128], &[3]).err(), Some(KeyError::WeakKey));
    /// # Ok::<(), KeyError>(())
    /// ```
    #[cfg(feature = "rsa")]
    #[cfg_attr(docsrs, doc(cfg(feature = "rsa")))]
    pub fn rsa(n: &[u8], e: &[u8]) -> Result<Self, KeyError> {
        Ok(Self::bare(Kty::Rsa, Material::Rsa(RsaKey::new(n, e)?)))
    }

    /// A P-256 public key (`ES256`) from its affine coordinates `x` and `y`, 32 big-endian
    /// bytes each (RFC 7518 §6.2.1.2, §6.2.1.3), with the checks [`Jwk::parse`] makes; no
    /// `kid`, `alg` or `use`.
    ///
    /// # Errors
    /// [`KeyError::InvalidKeyMember`] for a coordinate that is not 32 bytes;
    /// [`KeyError::InvalidPoint`] when `(x, y)` is not a point of the curve.
    ///
    /// # Examples
    /// RFC 7515 Appendix A.3's key:
    /// ```
    /// # #[cfg(feature = "ecdsa")] {
    /// use implicit_grant::verify::Jwk;
    /// let hex = |s: &str| -> Vec<u8> {
    ///     (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    /// };
    /// let x = hex("7fcdce2770f6c45d4183cbee6fdb4b7b580733357be9ef13bacf6e3c7bd15445");
    /// let y = hex("c7f144cd1bbd9b7e872cdfedb9eeb9f4b3695d6ea90b24ad8a4623288588e5ad");
    /// assert!(Jwk::p256(&x, &y).is_ok());
    /// assert_eq!(Jwk::p256(&x, &x).err(), Some(implicit_grant::KeyError::InvalidPoint));
    /// # }
    /// # Ok::<(), implicit_grant::KeyError>(())
    /// ```
    #[cfg(feature = "ecdsa")]
    #[cfg_attr(docsrs, doc(cfg(feature = "ecdsa")))]
    pub fn p256(x: &[u8], y: &[u8]) -> Result<Self, KeyError> {
        Ok(Self::bare(Kty::P256, Material::Ec(EcKey::p256(x, y)?)))
    }

    /// A P-384 public key (`ES384`) from its affine coordinates `x` and `y`, 48 big-endian
    /// bytes each (RFC 7518 §6.2.1.2, §6.2.1.3), with the checks [`Jwk::parse`] makes; no
    /// `kid`, `alg` or `use`.
    ///
    /// # Errors
    /// [`KeyError::InvalidKeyMember`] for a coordinate that is not 48 bytes;
    /// [`KeyError::InvalidPoint`] when `(x, y)` is not a point of the curve.
    ///
    /// # Examples
    /// The curve's base point (SEC 2 §2.5.1), the public key of the private key 1:
    /// ```
    /// # #[cfg(feature = "ecdsa")] {
    /// use base64ct::{Base64UrlUnpadded, Encoding};
    /// use implicit_grant::verify::Jwk;
    /// let x = Base64UrlUnpadded::decode_vec("qofKIr6LBTeOscce8yCtdG4dO2KLp5uYWfdB4IJUKjhVAvJdv1UpbDpUXjhydgq3")?;
    /// let y = Base64UrlUnpadded::decode_vec("NhfeSpYmLG9dnpi_kpLcKfj0Hb0omhR86doxE7XwuMAKYLHOHX6BnXpDHXyQ6g5f")?;
    /// assert!(Jwk::p384(&x, &y).is_ok());
    /// assert_eq!(Jwk::p384(&x, &x).err(), Some(implicit_grant::KeyError::InvalidPoint));
    /// # }
    /// # Ok::<(), base64ct::Error>(())
    /// ```
    #[cfg(feature = "ecdsa")]
    #[cfg_attr(docsrs, doc(cfg(feature = "ecdsa")))]
    pub fn p384(x: &[u8], y: &[u8]) -> Result<Self, KeyError> {
        Ok(Self::bare(Kty::P384, Material::Ec(EcKey::p384(x, y)?)))
    }

    /// A P-521 public key (`ES512`; feature `es512`) from its affine coordinates `x` and
    /// `y`, 66 big-endian bytes each, leading zeros included (RFC 7518 §6.2.1.2, §6.2.1.3),
    /// with the checks [`Jwk::parse`] makes; no `kid`, `alg` or `use`.
    ///
    /// # Errors
    /// [`KeyError::InvalidKeyMember`] for a coordinate that is not 66 bytes (a 65-byte
    /// coordinate with its leading zero dropped included);
    /// [`KeyError::InvalidPoint`] when `(x, y)` is not a point of the curve.
    ///
    /// # Examples
    /// The curve's base point (SEC 2 §2.6.1), the public key of the private key 1:
    /// ```
    /// # #[cfg(feature = "es512")] {
    /// use base64ct::{Base64UrlUnpadded, Encoding};
    /// use implicit_grant::{KeyError, verify::{Jwk, JwkMember}};
    /// let x = Base64UrlUnpadded::decode_vec("AMaFjga3BATpzZ4-y2YjlbRCnGSBOQU_tSH4KK9ga009uqFLXnfv51ko_h3BJ6L_qN4zSLPBhWpCm_l-fjHC5b1m")?;
    /// let y = Base64UrlUnpadded::decode_vec("ARg5KWp4mjvABFyKX7QsfRvZmPVESVebRGgXr70XJz5mLJfucple9CZAxVC5AT-tB2E1PHCGonLCQIi-lHaf0WZQ")?;
    /// assert!(Jwk::p521(&x, &y).is_ok());
    /// assert_eq!(Jwk::p521(&x, &x).err(), Some(KeyError::InvalidPoint));
    /// assert_eq!(Jwk::p521(&x[1..], &y).err(), Some(KeyError::InvalidKeyMember(JwkMember::X)));
    /// # }
    /// # Ok::<(), base64ct::Error>(())
    /// ```
    #[cfg(feature = "es512")]
    #[cfg_attr(docsrs, doc(cfg(feature = "es512")))]
    pub fn p521(x: &[u8], y: &[u8]) -> Result<Self, KeyError> {
        Ok(Self::bare(Kty::P521, Material::Ec(EcKey::p521(x, y)?)))
    }

    /// An Ed25519 public key (`EdDSA`, `Ed25519`) from its 32-byte encoding (RFC 8037 §2,
    /// RFC 8032 §5.1.5), with the checks [`Jwk::parse`] makes; no `kid`, `alg` or `use`.
    ///
    /// # Errors
    /// [`KeyError::InvalidKeyMember`] for an encoding that is not 32 bytes;
    /// [`KeyError::InvalidPoint`] for one that is not the canonical encoding of a point of
    /// the curve, or encodes a point of small order.
    ///
    /// # Examples
    /// RFC 8037 Appendix A.2's key:
    /// ```
    /// # #[cfg(feature = "eddsa")] {
    /// use base64ct::{Base64UrlUnpadded, Encoding};
    /// use implicit_grant::{KeyError, verify::Jwk};
    /// let x = Base64UrlUnpadded::decode_vec("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")?;
    /// assert!(Jwk::ed25519(&x).is_ok());
    /// // The identity point has small order.
    /// let mut identity = [0u8; 32];
    /// identity[0] = 1;
    /// assert_eq!(Jwk::ed25519(&identity).err(), Some(KeyError::InvalidPoint));
    /// # }
    /// # Ok::<(), base64ct::Error>(())
    /// ```
    #[cfg(feature = "eddsa")]
    #[cfg_attr(docsrs, doc(cfg(feature = "eddsa")))]
    pub fn ed25519(x: &[u8]) -> Result<Self, KeyError> {
        Ok(Self::bare(
            Kty::Ed25519,
            Material::Ed25519(Ed25519Key::new(x)?),
        ))
    }

    /// A key for signatures with no `kid` and no `alg`.
    /// No key yet: the slot that [`Head::build_into`] fills.
    pub(crate) const EMPTY: Self = Self::bare(Kty::Rsa, Material::Unusable(KeyError::Unsupported));

    const fn bare(kty: Kty, material: Material) -> Self {
        Self {
            kid: None,
            kty,
            alg: Bound::Any,
            signs: true,
            material,
        }
    }

    /// The key with its `kid` set to `kid` (RFC 7517 §4.5): a token with a `kid` is then
    /// verified by this key only if the two are equal.
    ///
    /// # Errors
    /// [`KeyError::InvalidKeyMember`] (`kid`) for a `kid` longer than [`MAX_KID_LEN`] bytes.
    ///
    /// ```
    /// # #[cfg(feature = "rsa")] {
    /// use implicit_grant::{KeyError, limits::MAX_KID_LEN, verify::{Jwk, JwkMember}};
    /// let key = Jwk::rsa(&[0xC3; 256], &[3])?;
    /// let long = "k".repeat(MAX_KID_LEN + 1);
    /// assert_eq!(key.with_kid(&long).err(), Some(KeyError::InvalidKeyMember(JwkMember::Kid)));
    /// # }
    /// # Ok::<(), implicit_grant::KeyError>(())
    /// ```
    pub fn with_kid(mut self, kid: &str) -> Result<Self, KeyError> {
        let kid = heapless::String::try_from(kid)
            .map_err(|_| KeyError::InvalidKeyMember(JwkMember::Kid))?;
        self.kid = Some(kid);
        Ok(self)
    }

    /// Reads the key object `object` from validated JSON text up to its material. `Err`
    /// for a key this build does not understand as a whole (RFC 7517 §5: a set skips it);
    /// a key of an understood type with a bad member is read, to be kept as unusable with
    /// its `kid`, so that a token naming it learns why.
    pub(crate) fn head(object: &str) -> Result<Head<'_>, KeyError> {
        let (members, problem) = Members::collect(object)?;
        // Values longer than any this crate knows (after unescaping) are simply unknown.
        let mut buf = [0u8; 16];
        let mut crv_buf = [0u8; 16];
        let crv = canonical(members.crv, &mut crv_buf);
        let kty = match (canonical(members.kty, &mut buf), crv) {
            (Some(Some("RSA")), _) if cfg!(feature = "rsa") => Kty::Rsa,
            (Some(Some("EC")), Some(Some("P-256"))) if cfg!(feature = "ecdsa") => Kty::P256,
            (Some(Some("EC")), Some(Some("P-384"))) if cfg!(feature = "ecdsa") => Kty::P384,
            (Some(Some("EC")), Some(Some("P-521"))) if cfg!(feature = "es512") => Kty::P521,
            // RFC 8037 §2: an Octet Key Pair names its curve in `crv`.
            (Some(Some("OKP")), Some(Some("Ed25519"))) if cfg!(feature = "eddsa") => Kty::Ed25519,
            (Some(Some("EC")), Some(None)) if cfg!(feature = "ecdsa") => {
                return Err(KeyError::MissingKeyMember(JwkMember::Crv));
            }
            (Some(Some("OKP")), Some(None)) if cfg!(feature = "eddsa") => {
                return Err(KeyError::MissingKeyMember(JwkMember::Crv));
            }
            (Some(None), _) => return Err(KeyError::MissingKeyMember(JwkMember::Kty)),
            _ => return Err(KeyError::Unsupported),
        };
        let mut kid_buf = [0u8; MAX_KID_LEN];
        let kid = canonical(members.kid, &mut kid_buf)
            .and_then(|kid| kid.map(heapless::String::try_from).transpose().ok());
        let Some(kid) = kid else {
            return Err(KeyError::InvalidKeyMember(JwkMember::Kid));
        };
        // RFC 7517 §4.2 and §4.3: a key for signatures only.
        let signs = matches!(canonical(members.use_, &mut buf), Some(None | Some("sig")))
            && members.key_ops.is_none_or(super::lists_verify);
        let alg = match canonical(members.alg, &mut buf) {
            Some(None) => Bound::Any,
            Some(Some(name)) => Algorithm::from_name(name).map_or(Bound::Foreign, Bound::To),
            None => Bound::Foreign,
        };
        Ok(Head {
            members,
            problem,
            kid,
            kty,
            alg,
            signs,
        })
    }

    /// The key's `kid`, if it has one, with JSON escapes resolved except `\"`, `\\` and
    /// control characters (a token's `kid` holding those is refused, so such a key is
    /// never selected by `kid`).
    ///
    /// ```
    /// # #[cfg(feature = "ecdsa")] {
    /// # use implicit_grant::verify::Jwk;
    /// let key = Jwk::parse(r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#)?;
    /// assert_eq!(key.kid(), None);
    /// # }
    /// # Ok::<(), implicit_grant::KeyError>(())
    /// ```
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The algorithm the key is bound to by its `alg` member, if any this crate knows.
    ///
    /// ```
    /// # #[cfg(feature = "ecdsa")] {
    /// # use implicit_grant::{Algorithm, verify::Jwk};
    /// let key = Jwk::parse(r#"{"kty":"EC","crv":"P-256","alg":"ES256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#)?;
    /// assert_eq!(key.algorithm(), Some(Algorithm::ES256));
    /// # }
    /// # Ok::<(), implicit_grant::KeyError>(())
    /// ```
    pub fn algorithm(&self) -> Option<Algorithm> {
        match self.alg {
            Bound::To(alg) => Some(alg),
            Bound::Any | Bound::Foreign => None,
        }
    }

    /// Why the key could not be loaded, for a key kept by [`Jwks`](super::Jwks) that a
    /// token can never use ([`SelectionError::UnusableKey`](crate::SelectionError::UnusableKey)).
    ///
    /// ```
    /// # use implicit_grant::verify::Jwks;
    /// let set = Jwks::parse(r#"{"keys":[{"kty":"RSA","kid":"k","n":"AQAB"}]}"#)?;
    /// # #[cfg(feature = "rsa")]
    /// assert_eq!(set.keys().next().unwrap().error(), Some(implicit_grant::KeyError::MissingKeyMember(implicit_grant::verify::JwkMember::E)));
    /// # Ok::<(), implicit_grant::KeyError>(())
    /// ```
    pub fn error(&self) -> Option<KeyError> {
        match self.material {
            Material::Unusable(e) => Some(e),
            _ => None,
        }
    }

    /// Verifies with this key, which [`Jwk::fits`] the header's `alg`.
    pub(super) fn check<'t>(
        &self,
        alg: Algorithm,
        signing_input: &'t [u8],
        signature: &[u8],
    ) -> Result<SignatureVerified<'t>, Error> {
        match &self.material {
            #[cfg(feature = "rsa")]
            Material::Rsa(key) => key.verify(alg, signing_input, signature)?,
            #[cfg(feature = "ecdsa")]
            Material::Ec(key) => key.verify(signing_input, signature)?,
            #[cfg(feature = "eddsa")]
            Material::Ed25519(key) => key.verify(signing_input, signature)?,
            Material::Unusable(_) => return Err(SelectionError::UnusableKey.into()),
        }
        let _ = alg; // unused when `rsa` is off
        Ok(SignatureVerified::assertion(signing_input))
    }
}

impl core::fmt::Debug for Jwk {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Jwk")
            .field("kid", &self.kid())
            .field("kty", &self.kty)
            .field("alg", &self.alg)
            .field("signs", &self.signs)
            .field("error", &self.error())
            .finish_non_exhaustive()
    }
}

impl<'t> Members<'t> {
    /// The members this crate reads, and the first problem with them (a duplicate, or a
    /// value that is not a string). A problem with `kty` or `kid` is an `Err`: such a key
    /// cannot even be named.
    fn collect(object: &'t str) -> Result<(Self, Option<KeyError>), KeyError> {
        let mut m = Self::default();
        let mut problem = None;
        for member in json::members(object) {
            let (name, value) = member.map_err(|_| KeyError::InvalidKeyJson)?;
            let mut buf = [0u8; 8];
            let Ok(name) = json::canonical_str(name, &mut buf) else {
                continue;
            };
            if name == "key_ops" {
                match (m.key_ops, value) {
                    (None, Value::Array(ops)) => m.key_ops = Some(ops),
                    (Some(_), _) => {
                        problem = problem.or(Some(KeyError::DuplicateKeyMember(JwkMember::KeyOps)))
                    }
                    (None, _) => {
                        problem = problem.or(Some(KeyError::InvalidKeyMember(JwkMember::KeyOps)))
                    }
                }
                continue;
            }
            let (slot, which) = match name {
                "kty" => (&mut m.kty, JwkMember::Kty),
                "kid" => (&mut m.kid, JwkMember::Kid),
                "use" => (&mut m.use_, JwkMember::Use),
                "alg" => (&mut m.alg, JwkMember::Alg),
                "crv" => (&mut m.crv, JwkMember::Crv),
                "n" => (&mut m.n, JwkMember::N),
                "e" => (&mut m.e, JwkMember::E),
                "x" => (&mut m.x, JwkMember::X),
                "y" => (&mut m.y, JwkMember::Y),
                _ => continue,
            };
            let error = match (slot.is_some(), value) {
                (true, _) => KeyError::DuplicateKeyMember(which),
                (false, Value::Str(text, _)) => {
                    *slot = Some(text);
                    continue;
                }
                (false, _) => KeyError::InvalidKeyMember(which),
            };
            // A duplicate or mistyped kty or kid makes the key unidentifiable.
            if matches!(which, JwkMember::Kty | JwkMember::Kid) {
                return Err(error);
            }
            problem = problem.or(Some(error));
        }
        Ok((m, problem))
    }

    fn material_into(&self, kty: Kty, out: &mut Material) -> Result<(), KeyError> {
        let mut a = [0u8; 512];
        match kty {
            #[cfg(feature = "rsa")]
            Kty::Rsa => {
                let mut b = [0u8; 64];
                let n = decode(self.n, JwkMember::N, &mut a)?;
                let e = decode(self.e, JwkMember::E, &mut b)?;
                *out = Material::Rsa(RsaKey::EMPTY);
                match out {
                    Material::Rsa(key) => key.init(n, e),
                    _ => Err(KeyError::Unsupported),
                }
            }
            #[cfg(feature = "ecdsa")]
            Kty::P256 | Kty::P384 | Kty::P521 => {
                let mut b = [0u8; 80];
                let x = decode(self.x, JwkMember::X, &mut a)?;
                let y = decode(self.y, JwkMember::Y, &mut b)?;
                *out = Material::Ec(match kty {
                    Kty::P256 => EcKey::p256(x, y),
                    #[cfg(feature = "es512")]
                    Kty::P521 => EcKey::p521(x, y),
                    Kty::P384 => EcKey::p384(x, y),
                    _ => Err(KeyError::Unsupported),
                }?);
                Ok(())
            }
            #[cfg(feature = "eddsa")]
            Kty::Ed25519 => {
                let x = decode(self.x, JwkMember::X, &mut a)?;
                *out = Material::Ed25519(Ed25519Key::new(x)?);
                Ok(())
            }
            #[allow(unreachable_patterns)]
            _ => Err(KeyError::Unsupported),
        }
    }
}

/// The canonical form of an optional string member: `Some(None)` when absent, `None` when
/// it does not fit `buf` (so is no value this crate knows).
fn canonical<'a>(raw: Option<&'a str>, buf: &'a mut [u8]) -> Option<Option<&'a str>> {
    raw.map(|text| json::canonical_str(text, buf))
        .transpose()
        .ok()
}

/// A required base64url member, decoded into `out`.
fn decode<'o>(
    raw: Option<&str>,
    which: JwkMember,
    out: &'o mut [u8],
) -> Result<&'o [u8], KeyError> {
    let invalid = KeyError::InvalidKeyMember(which);
    let raw = raw.ok_or(KeyError::MissingKeyMember(which))?;
    let mut buf = [0u8; MAX_B64_LEN];
    let text = json::canonical_str(raw, &mut buf).map_err(|_| invalid)?;
    match base64url::decode_into(text, out) {
        Ok(bytes) => Ok(bytes),
        Err(Base64Error::BufferTooSmall { .. }) if which == JwkMember::N => {
            Err(KeyError::InvalidModulus)
        }
        Err(Base64Error::BufferTooSmall { .. }) if which == JwkMember::E => {
            Err(KeyError::InvalidExponent)
        }
        Err(_) => Err(invalid),
    }
}
