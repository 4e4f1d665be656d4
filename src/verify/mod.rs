//! Built-in [`SignatureVerifier`](crate::jwt::SignatureVerifier)s.
//!
//! - [`Jwks`] and [`Jwk`]: a provider's public keys, RSA (`RS256`, `RS384`, `RS512`;
//!   feature `rs256`, on by default) and P-256 (`ES256`; feature `es256`);
//! - [`HmacKey`]: a shared secret (`HS256`, `HS384`, `HS512`; feature `hs256`), for
//!   confidential clients only.

#[cfg(feature = "hs256")]
mod hmac;
#[cfg(any(feature = "rs256", feature = "es256"))]
mod jwk;
#[cfg(any(feature = "rs256", feature = "es256"))]
mod jwks;
#[cfg(feature = "rs256")]
mod montgomery;
#[cfg(feature = "es256")]
mod p256;
#[cfg(feature = "rs256")]
mod rsa;
#[cfg(any(feature = "rs256", feature = "es256"))]
mod select;

#[cfg(feature = "hs256")]
pub use hmac::HmacKey;
#[cfg(any(feature = "rs256", feature = "es256"))]
pub use jwk::Jwk;
#[cfg(any(feature = "rs256", feature = "es256"))]
pub use jwks::Jwks;
