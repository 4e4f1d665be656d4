//! The `Authorization: Bearer` header value (RFC 6750 §2.1).

use crate::codec::sink;
use crate::error::{Error, ResponseError};
use crate::oauth::param::Param;
use crate::secret::AccessToken;

/// `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="` (RFC 6750 §2.1).
fn is_b64token(token: &str) -> bool {
    let body = token.trim_end_matches('=');
    !body.is_empty()
        && body.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/')
        })
}

/// Writes `Bearer <access_token>` into `out`: the value of an `Authorization` header.
///
/// Access tokens go in this header, never in a URL query (RFC 9700 §4.3.2, RFC 6750 §2).
///
/// # Errors
/// [`ResponseError::InvalidParameter`]`(AccessToken)` when the token is not a `b64token`;
/// [`Error::BufferTooSmall`] with the exact length (`out` untouched).
///
/// # Security
/// The header is a credential: keep it out of logs.
///
/// ```
/// use implicit_grant::{AccessToken, bearer_header};
/// let mut buf = [0u8; 64];
/// let at = AccessToken::new("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y");
/// assert_eq!(bearer_header(at, &mut buf)?, "Bearer jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y");
/// # Ok::<(), implicit_grant::Error>(())
/// ```
pub fn bearer_header<'o>(
    access_token: AccessToken<'_>,
    out: &'o mut [u8],
) -> Result<&'o str, Error> {
    let token = access_token.expose_secret();
    if !is_b64token(token) {
        return Err(ResponseError::InvalidParameter(Param::AccessToken).into());
    }
    Ok(sink::write_exact(out, |w| {
        w.put("Bearer ").and_then(|()| w.put(token))
    })?)
}
