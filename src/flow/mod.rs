//! Layer 3: the two flow entry points, the only code that calls [`crate::Random`] and
//! [`crate::TransactionStore`].

mod begin;
mod complete;
pub(crate) mod transaction;

pub use begin::begin;
pub use complete::{Outcome, Session, complete};

use crate::jwt::Algorithm;
use crate::limits::DEFAULT_TRANSACTION_LIFETIME;
use crate::oauth::authorize::{Prompt, ResponseMode, ResponseType};

/// Whether the provider sends its issuer identifier as the `iss` parameter of
/// authorization responses (RFC 9207), as its metadata's
/// `authorization_response_iss_parameter_supported` says.
///
/// Whatever the setting, an `iss` that differs from the configured issuer is refused
/// ([`FlowError::IssuerMismatch`](crate::FlowError::IssuerMismatch)), and every check here
/// happens before the pending transaction is touched.
///
/// ```
/// use implicit_grant::{Config, IssParameter};
/// let config = Config::new("https://op.example", "https://op.example/authorize", "client",
///     "https://app.example/cb").iss_parameter(IssParameter::Supported);
/// # let _ = config;
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IssParameter {
    /// The metadata says `true`: a response without `iss` is refused
    /// ([`ResponseError::MissingParameter`](crate::ResponseError::MissingParameter)), except
    /// one that carries an ID token, whose verified `iss` claim identifies the issuer as well
    /// (RFC 9207 §2.4, RFC 9700 §4.4.2).
    Supported,
    /// The metadata says `false` or nothing (the default): a response that carries `iss` is
    /// discarded ([`ResponseError::UnexpectedParameter`](crate::ResponseError::UnexpectedParameter)),
    /// as RFC 9207 §2.4 says clients SHOULD.
    #[default]
    Unsupported,
    /// Local policy (RFC 9207 §2.4): the provider does not advertise `iss` but sends it; an
    /// `iss` equal to the issuer is accepted, and a response without one too.
    Tolerated,
}

/// A relying party's settings, shared by [`begin`] and [`complete`].
///
/// Made with [`Config::new`], then adjusted with setters that chain by value (the struct is
/// `Copy`: a host makes a variant for, say, a silent `prompt=none` login).
///
/// ```
/// use implicit_grant::{Config, ResponseType};
/// let config = Config::new(
///     "https://tenant.auth0.com/",
///     "https://tenant.auth0.com/authorize",
///     "my-client-id",
///     "https://app.example/callback",
/// )
/// .scope(&["openid", "profile", "email"])
/// .audience("https://api.example/appointments");
/// let token_only = config.response_type(ResponseType::Token);
/// # let _ = token_only;
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Config<'a> {
    pub(crate) issuer: &'a str,
    pub(crate) authorization_endpoint: &'a str,
    pub(crate) client_id: &'a str,
    pub(crate) redirect_uri: &'a str,
    pub(crate) response_type: ResponseType,
    pub(crate) response_mode: ResponseMode,
    pub(crate) scope: &'a [&'a str],
    pub(crate) audience: Option<&'a str>,
    pub(crate) prompt: &'a [Prompt],
    pub(crate) max_age: Option<u64>,
    pub(crate) extra: &'a [(&'a str, &'a str)],
    pub(crate) algorithms: &'a [Algorithm],
    pub(crate) trusted_audiences: &'a [&'a str],
    pub(crate) leeway: u64,
    pub(crate) transaction_lifetime: u64,
    pub(crate) allow_loopback_http: bool,
    pub(crate) iss_parameter: IssParameter,
}

macro_rules! config_setters {
    ($($(#[$doc:meta])* $name:ident: $ty:ty => $value:expr;)*) => {$(
        $(#[$doc])*
        #[must_use]
        pub const fn $name(mut self, $name: $ty) -> Self {
            self.$name = $value;
            self
        }
    )*};
}

impl<'a> Config<'a> {
    /// A configuration for the provider `issuer` (its issuer identifier, compared exactly
    /// with the ID token's `iss` and the RFC 9207 `iss` parameter), its
    /// `authorization_endpoint`, this `client_id`, and the `redirect_uri` byte for byte as
    /// registered; every other setting has the default its setter names.
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
            transaction_lifetime: DEFAULT_TRANSACTION_LIFETIME,
            allow_loopback_http: false,
            iss_parameter: IssParameter::Unsupported,
        }
    }

    config_setters! {
        /// The response type (default `id_token token`).
        response_type: ResponseType => response_type;
        /// The response mode (default: the fragment, not sent).
        response_mode: ResponseMode => response_mode;
        /// The scope tokens (default `openid`).
        scope: &'a [&'a str] => scope;
        /// The API the access token is for (Auth0's `audience`; default none).
        audience: &'a str => Some(audience);
        /// `prompt` values (default none; `[Prompt::None]` for a silent renewal).
        prompt: &'a [Prompt] => prompt;
        /// `max_age` in seconds: `auth_time` is then required and checked (default none).
        max_age: u64 => Some(max_age);
        /// Parameters the crate does not manage (default none).
        extra: &'a [(&'a str, &'a str)] => extra;
        /// The ID token algorithms accepted (default `RS256`).
        algorithms: &'a [Algorithm] => algorithms;
        /// Audiences besides the client id that the ID token may name (default none).
        trusted_audiences: &'a [&'a str] => trusted_audiences;
        /// Clock leeway in seconds (default 60, at most 300).
        leeway: u64 => leeway;
        /// How long a pending transaction stays valid, in seconds (default 600).
        transaction_lifetime: u64 => transaction_lifetime;
        /// Allows `http` on loopback hosts (development, native apps; RFC 9700 §2.6;
        /// default `false`).
        allow_loopback_http: bool => allow_loopback_http;
        /// Whether the provider sends the RFC 9207 `iss` parameter (default
        /// [`IssParameter::Unsupported`]).
        iss_parameter: IssParameter => iss_parameter;
    }
}
