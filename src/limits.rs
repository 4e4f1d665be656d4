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
pub const RECORD_LEN: usize = 215;

/// Shortest caller-supplied `state` or `nonce`: 22 base64url characters carry 128 bits
/// (RFC 6749 §10.10).
pub const MIN_SECRET_LEN: usize = 22;

/// Longest `state` or `nonce` a transaction holds. A response whose `state` is longer
/// matches no transaction.
pub const MAX_SECRET_LEN: usize = 64;

/// How long a pending transaction stays valid unless configured otherwise: 10 minutes.
pub const DEFAULT_TRANSACTION_LIFETIME: Duration = Duration::from_secs(600);

/// Longest transaction lifetime a [`Config`](crate::Config) accepts: one day. A login
/// left open longer is an abandoned one, and its `state` a standing invitation.
pub const MAX_TRANSACTION_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// Longest authorization response accepted, in bytes.
pub const MAX_RESPONSE_LEN: usize = 16 * 1024;

/// Longest single (encoded) response value accepted, in bytes.
pub const MAX_VALUE_LEN: usize = 8 * 1024;

/// Most non-empty `name=value` pairs accepted in a response, unknown ones included.
pub const MAX_PARAMS: usize = 32;

/// Longest compact JWS accepted, in bytes.
pub const MAX_TOKEN_LEN: usize = 16 * 1024;

/// Largest signature accepted, in bytes (RSA-4096).
pub const MAX_SIGNATURE_LEN: usize = 512;

/// Deepest nesting of JSON objects and arrays accepted (the top-level object is depth 1).
pub const MAX_JSON_DEPTH: usize = 32;

/// Most members of a top-level JSON object (duplicates are detected among them).
pub const MAX_JSON_MEMBERS: usize = 64;

/// Most top-level members of a provider metadata document (Keycloak's has about 60).
pub const MAX_METADATA_MEMBERS: usize = 128;

/// Most entries accepted in an `aud` array.
pub const MAX_AUDIENCES: usize = 16;

/// Bytes of text an [`OwnedConfig`](crate::OwnedConfig) holds unless given another `N`:
/// every string of the configuration back to back (issuer, endpoint, client id, redirect
/// URI, scope, audience, hints, extras, trusted audiences). An `id_token_hint` alone can
/// take a kilobyte or more: keep silent renewals' hints out of the owned form, or raise `N`.
pub const OWNED_CONFIG_TEXT: usize = 1024;

/// Most items in each list an [`OwnedConfig`](crate::OwnedConfig) holds (scope tokens,
/// locales, ACR values, extra parameters, prompts, algorithms, trusted audiences).
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
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(60);

/// Largest clock leeway accepted.
pub const MAX_LEEWAY: Duration = Duration::from_secs(300);

/// Length of the longest `at_hash` (SHA-512: 32 bytes, 43 characters).
pub const MAX_AT_HASH_LEN: usize = 43;

/// Longest `kid` kept, in bytes. A key with a longer one is not loaded.
pub const MAX_KID_LEN: usize = 128;

/// Keys a [`Jwks`](crate::verify::Jwks) holds unless told otherwise.
pub const JWKS_CAPACITY: usize = 4;
