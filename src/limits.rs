//! Every bound the crate enforces, in one place.
//!
//! Inputs beyond these limits are refused with a typed error (never truncated); buffers
//! sized by them always suffice.
//!
//! ```
//! use implicit_grant::limits;
//! assert!(limits::MAX_SECRET_LEN >= 43); // the 43 characters `begin` draws
//! assert_eq!(limits::RECORD_LEN, implicit_grant::Record::from_bytes([0; limits::RECORD_LEN]).expose_secret().len());
//! ```

use core::time::Duration;

use crate::time::UnixTime;

/// Length of a stored transaction record ([`Record`](crate::Record)), in bytes.
///
/// ```
/// use implicit_grant::{Record, limits::RECORD_LEN};
/// assert_eq!(RECORD_LEN, 313);
/// assert_eq!(Record::from_bytes([0; RECORD_LEN]).expose_secret().len(), RECORD_LEN);
/// ```
pub const RECORD_LEN: usize = 313;

/// Shortest caller-supplied `state` or `nonce`: 22 base64url characters carry 128 bits
/// (RFC 6749 §10.10).
///
/// ```
/// use implicit_grant::limits::MIN_SECRET_LEN;
/// assert_eq!(MIN_SECRET_LEN, 22);
/// assert!(MIN_SECRET_LEN * 6 >= 128); // six bits per base64url character
/// ```
pub const MIN_SECRET_LEN: usize = 22;

/// Longest `state` or `nonce` a transaction holds. A response whose `state` is longer
/// matches no transaction.
///
/// ```
/// use implicit_grant::limits::{MAX_SECRET_LEN, MIN_SECRET_LEN};
/// assert_eq!(MAX_SECRET_LEN, 64);
/// assert!(MIN_SECRET_LEN < MAX_SECRET_LEN);
/// ```
pub const MAX_SECRET_LEN: usize = 64;

/// How long a pending transaction stays valid unless configured otherwise: 10 minutes.
///
/// ```
/// use core::time::Duration;
/// use implicit_grant::limits::{DEFAULT_TRANSACTION_LIFETIME, MAX_TRANSACTION_LIFETIME};
/// assert_eq!(DEFAULT_TRANSACTION_LIFETIME, Duration::from_secs(10 * 60));
/// assert!(DEFAULT_TRANSACTION_LIFETIME <= MAX_TRANSACTION_LIFETIME);
/// ```
pub const DEFAULT_TRANSACTION_LIFETIME: Duration = Duration::from_secs(600);

/// Longest transaction lifetime a [`Config`](crate::Config) accepts: one day. A login
/// left open longer is an abandoned one, and its `state` a standing invitation.
///
/// ```
/// use core::time::Duration;
/// use implicit_grant::limits::MAX_TRANSACTION_LIFETIME;
/// assert_eq!(MAX_TRANSACTION_LIFETIME, Duration::from_secs(86_400));
/// ```
pub const MAX_TRANSACTION_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// Longest authorization response accepted, in bytes.
///
/// ```
/// assert_eq!(implicit_grant::limits::MAX_RESPONSE_LEN, 16_384);
/// ```
pub const MAX_RESPONSE_LEN: usize = 16 * 1024;

/// Longest single (encoded) response value accepted, in bytes.
///
/// ```
/// use implicit_grant::limits::{MAX_RESPONSE_LEN, MAX_VALUE_LEN};
/// assert_eq!(MAX_VALUE_LEN, 8_192);
/// assert!(MAX_VALUE_LEN < MAX_RESPONSE_LEN);
/// ```
pub const MAX_VALUE_LEN: usize = 8 * 1024;

/// Most non-empty `name=value` pairs accepted in a response, unknown ones included.
///
/// ```
/// assert_eq!(implicit_grant::limits::MAX_PARAMS, 32);
/// ```
pub const MAX_PARAMS: usize = 32;

/// Longest compact JWS accepted, in bytes.
///
/// ```
/// assert_eq!(implicit_grant::limits::MAX_TOKEN_LEN, 16_384);
/// ```
pub const MAX_TOKEN_LEN: usize = 16 * 1024;

/// Largest signature accepted, in bytes (RSA-4096).
///
/// ```
/// use implicit_grant::limits::MAX_SIGNATURE_LEN;
/// assert_eq!(MAX_SIGNATURE_LEN * 8, 4096); // an RSA-4096 signature
/// ```
pub const MAX_SIGNATURE_LEN: usize = 512;

/// Deepest nesting of JSON objects and arrays accepted (the top-level object is depth 1).
///
/// ```
/// assert_eq!(implicit_grant::limits::MAX_JSON_DEPTH, 32);
/// ```
pub const MAX_JSON_DEPTH: usize = 32;

/// Most members of a top-level JSON object (duplicates are detected among them).
///
/// ```
/// assert_eq!(implicit_grant::limits::MAX_JSON_MEMBERS, 64);
/// ```
pub const MAX_JSON_MEMBERS: usize = 64;

/// Most top-level members of a provider metadata document (Keycloak's has about 60).
///
/// ```
/// assert_eq!(implicit_grant::limits::MAX_METADATA_MEMBERS, 128);
/// ```
pub const MAX_METADATA_MEMBERS: usize = 128;

/// Most entries accepted in an `aud` array.
///
/// ```
/// assert_eq!(implicit_grant::limits::MAX_AUDIENCES, 16);
/// ```
pub const MAX_AUDIENCES: usize = 16;

/// Bytes of text an [`OwnedConfig`](crate::OwnedConfig) holds unless given another `N`:
/// every string of the configuration back to back (issuer, endpoint, client id, redirect
/// URI, scope, audience, hints, extras, trusted audiences). An `id_token_hint` alone can
/// take a kilobyte or more: keep silent renewals' hints out of the owned form, or raise `N`.
///
/// ```
/// assert_eq!(implicit_grant::limits::OWNED_CONFIG_TEXT, 1024);
/// ```
pub const OWNED_CONFIG_TEXT: usize = 1024;

/// Most items in each list an [`OwnedConfig`](crate::OwnedConfig) holds (scope tokens,
/// locales, ACR values, extra parameters, prompts, algorithms, trusted audiences).
///
/// ```
/// assert_eq!(implicit_grant::limits::MAX_OWNED_LIST, 16);
/// ```
pub const MAX_OWNED_LIST: usize = 16;

/// The latest instant a token's time claim may name: 9999-12-31T23:59:59Z. Later values
/// (e.g. milliseconds given as seconds) are refused rather than read as "never expires".
///
/// ```
/// use implicit_grant::limits::MAX_UNIX_TIME;
/// assert_eq!(MAX_UNIX_TIME.as_secs(), 253_402_300_799);
/// ```
pub const MAX_UNIX_TIME: UnixTime = UnixTime::from_secs(253_402_300_799);

/// Clock leeway for `exp`, `nbf`, `iat` and `auth_time` unless configured otherwise.
///
/// ```
/// use core::time::Duration;
/// use implicit_grant::limits::{DEFAULT_LEEWAY, MAX_LEEWAY};
/// assert_eq!(DEFAULT_LEEWAY, Duration::from_secs(60));
/// assert!(DEFAULT_LEEWAY <= MAX_LEEWAY);
/// ```
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(60);

/// Largest clock leeway accepted.
///
/// ```
/// use core::time::Duration;
/// assert_eq!(implicit_grant::limits::MAX_LEEWAY, Duration::from_secs(5 * 60));
/// ```
pub const MAX_LEEWAY: Duration = Duration::from_secs(300);

/// Length of the longest `at_hash` (SHA-512: 32 bytes, 43 characters).
///
/// ```
/// use implicit_grant::{Algorithm, jwt::at_hash, limits::MAX_AT_HASH_LEN};
/// assert_eq!(MAX_AT_HASH_LEN, 43);
/// let mut out = [0u8; MAX_AT_HASH_LEN];
/// // OIDC Core App. A.3's access token, hashed for RS512: it fills the buffer.
/// let h = at_hash(Algorithm::RS512, "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", &mut out)?;
/// assert_eq!(h.len(), MAX_AT_HASH_LEN);
/// # Ok::<(), implicit_grant::Error>(())
/// ```
pub const MAX_AT_HASH_LEN: usize = 43;

/// Longest `kid` kept, in bytes. A key with a longer one is not loaded.
///
/// ```
/// assert_eq!(implicit_grant::limits::MAX_KID_LEN, 128);
/// ```
pub const MAX_KID_LEN: usize = 128;

/// Keys a [`Jwks`](crate::verify::Jwks) holds unless told otherwise.
///
/// ```
/// assert_eq!(implicit_grant::limits::JWKS_CAPACITY, 4);
/// ```
pub const JWKS_CAPACITY: usize = 4;
