//! Layer 3: the two flow entry points, the only code that calls [`crate::Random`] and
//! [`crate::TransactionStore`].

mod begin;
mod complete;
pub mod transaction;

pub use begin::begin;
pub use complete::{Outcome, Session, complete};

use crate::jwt::Algorithm;
use crate::oauth::authorize::{Prompt, ResponseMode, ResponseType};

/// A relying party's settings, shared by [`begin`] and [`complete`].
///
/// Made with [`Config::new`], then adjusted field by field (the struct is `Copy`: a host
/// makes a variant for, say, a silent `prompt=none` login).
///
/// ```
/// use implicit_grant::{Config, ResponseType};
/// let mut config = Config::new(
///     "https://tenant.auth0.com/",
///     "https://tenant.auth0.com/authorize",
///     "my-client-id",
///     "https://app.example/callback",
/// );
/// config.scope = &["openid", "profile", "email"];
/// config.audience = Some("https://api.example/appointments");
/// assert_eq!(config.response_type, ResponseType::IdTokenToken);
/// ```
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct Config<'a> {
    /// The issuer identifier, compared exactly with `iss` (ID token and RFC 9207 parameter).
    pub issuer: &'a str,
    /// The authorization endpoint URL.
    pub authorization_endpoint: &'a str,
    /// The client id.
    pub client_id: &'a str,
    /// The redirect URI, byte for byte as registered.
    pub redirect_uri: &'a str,
    /// The response type (default `id_token token`).
    pub response_type: ResponseType,
    /// The response mode (default: the fragment, not sent).
    pub response_mode: ResponseMode,
    /// The scope tokens (default `openid`).
    pub scope: &'a [&'a str],
    /// The API the access token is for (Auth0's `audience`).
    pub audience: Option<&'a str>,
    /// `prompt` values.
    pub prompt: &'a [Prompt],
    /// `max_age` in seconds: `auth_time` is then required and checked.
    pub max_age: Option<u64>,
    /// Parameters the crate does not manage.
    pub extra: &'a [(&'a str, &'a str)],
    /// The ID token algorithms accepted (default `RS256`).
    pub algorithms: &'a [Algorithm],
    /// Audiences besides the client id that the ID token may name.
    pub trusted_audiences: &'a [&'a str],
    /// Clock leeway in seconds (default 60, at most 300).
    pub leeway: u64,
    /// How long a pending transaction stays valid, in seconds (default 600).
    pub transaction_lifetime: u64,
    /// Allows `http` on loopback hosts (development, native apps; RFC 9700 §2.6).
    pub allow_loopback_http: bool,
}

impl<'a> Config<'a> {
    /// A configuration with the defaults listed on each field.
    #[must_use]
    pub const fn new(
        issuer: &'a str,
        authorization_endpoint: &'a str,
        client_id: &'a str,
        redirect_uri: &'a str,
    ) -> Self {
        Self {
            issuer,
            authorization_endpoint,
            client_id,
            redirect_uri,
            response_type: ResponseType::IdTokenToken,
            response_mode: ResponseMode::Fragment,
            scope: &["openid"],
            audience: None,
            prompt: &[],
            max_age: None,
            extra: &[],
            algorithms: &[Algorithm::RS256],
            trusted_audiences: &[],
            leeway: 60,
            transaction_lifetime: 600,
            allow_loopback_http: false,
        }
    }
}
