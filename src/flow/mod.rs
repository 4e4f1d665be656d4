//! Layer 3: the two flow entry points, the only code that calls [`crate::Random`] and
//! [`crate::TransactionStore`].

mod begin;
mod complete;
pub(crate) mod transaction;

pub use begin::begin;
pub use complete::{Outcome, Session, complete};

use core::fmt;

use crate::error::MetadataError;
use crate::jwt::Algorithm;
use crate::limits::DEFAULT_TRANSACTION_LIFETIME;
use crate::oauth::authorize::{Prompt, ResponseMode, ResponseType};
use crate::oauth::metadata::ProviderMetadata;
use crate::secret::redacted;

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
#[derive(Clone, Copy)]
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
    pub(crate) id_token_hint: Option<&'a str>,
    pub(crate) max_age: Option<u64>,
    pub(crate) extra: &'a [(&'a str, &'a str)],
    pub(crate) algorithms: &'a [Algorithm],
    pub(crate) trusted_audiences: &'a [&'a str],
    pub(crate) leeway: u64,
    pub(crate) transaction_lifetime: u64,
    pub(crate) allow_loopback_http: bool,
    pub(crate) iss_parameter: IssParameter,
}

impl fmt::Debug for Config<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("issuer", &self.issuer)
            .field("authorization_endpoint", &self.authorization_endpoint)
            .field("client_id", &self.client_id)
            .field("redirect_uri", &self.redirect_uri)
            .field("response_type", &self.response_type)
            .field("response_mode", &self.response_mode)
            .field("scope", &self.scope)
            .field("audience", &self.audience)
            .field("prompt", &self.prompt)
            // An ID token: replayable as a hint, and personal data.
            .field("id_token_hint", &redacted(self.id_token_hint))
            .field("max_age", &self.max_age)
            .field("extra", &self.extra)
            .field("algorithms", &self.algorithms)
            .field("trusted_audiences", &self.trusted_audiences)
            .field("leeway", &self.leeway)
            .field("transaction_lifetime", &self.transaction_lifetime)
            .field("allow_loopback_http", &self.allow_loopback_http)
            .field("iss_parameter", &self.iss_parameter)
            .finish()
    }
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
            id_token_hint: None,
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
        /// `prompt` values (default none; `[Prompt::None]` for a silent renewal, see
        /// [`Config::silent`]).
        prompt: &'a [Prompt] => prompt;
        /// `id_token_hint`: an ID token the provider issued earlier, naming the user whose
        /// session to use (OIDC Core §3.1.2.1; default none).
        id_token_hint: &'a str => Some(id_token_hint);
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

    /// The configuration of a silent renewal (OIDC Core §3.1.2.1): `prompt=none`, so that
    /// the provider answers at once, without showing a page, and `id_token_hint`, the last
    /// ID token, so that it renews the same user's session. Run [`begin`] in a hidden
    /// iframe (or a popup) with it, then [`complete`] with the frame's redirect.
    ///
    /// The transaction is bound to the issuer, client, endpoint and redirect URI only, so
    /// either configuration completes it. An answer of `login_required` and its kin is an
    /// [`Outcome::Denied`] whose [`ErrorResponse::needs_interaction`](crate::ErrorResponse::needs_interaction)
    /// is `true`: the user must log in interactively.
    ///
    /// ```
    /// use implicit_grant::{Config, MemoryStore, Random, RandomError, begin};
    /// # struct Rng; impl Random for Rng { fn fill_bytes(&mut self, d: &mut [u8]) -> Result<(), RandomError> { d.fill(9); Ok(()) } }
    /// let config = Config::new("https://op.example", "https://op.example/authorize", "client",
    ///     "https://app.example/cb");
    /// let last_id_token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln";
    /// let silent = config.silent(last_id_token);
    /// let mut buf = [0u8; 512];
    /// let url = begin(&silent, &mut Rng, &mut MemoryStore::<4>::new(), 1_700_000_000, &mut buf)?;
    /// assert!(url.contains("&prompt=none&id_token_hint=eyJhbGciOiJSUzI1NiJ9."));
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    #[must_use]
    pub const fn silent(self, id_token_hint: &'a str) -> Self {
        self.prompt(&[Prompt::None]).id_token_hint(id_token_hint)
    }

    /// The configuration the provider's metadata describes: its issuer and authorization
    /// endpoint; as ID token algorithms, those of `id_token_signing_alg_values_supported`
    /// that this build verifies with a [`Jwks`](crate::verify::Jwks) (never `none` or an
    /// HMAC algorithm); [`IssParameter::Supported`] when the provider advertises the RFC 9207
    /// `iss` parameter (§3), else [`IssParameter::Tolerated`]: some providers send `iss`
    /// without advertising it (Google does), and the issuer here was checked against the
    /// metadata, so an `iss` equal to it is accepted and any other refused;
    /// `allow_loopback_http` when the issuer is a loopback `http` URL (a development
    /// provider, which [`ProviderMetadata::parse`] admits only when expected). Every other
    /// setting has its default, and can be changed as usual.
    ///
    /// For a response type other than `id_token token`, check
    /// [`ProviderMetadata::supports_response_type`] and set it with
    /// [`Config::response_type`].
    ///
    /// # Errors
    /// [`MetadataError::ResponseTypeUnsupported`] when the provider does not list
    /// `id_token token`, [`MetadataError::ResponseModeUnsupported`] without `fragment`,
    /// [`MetadataError::NoCommonAlgorithm`] when no listed algorithm is verifiable here.
    ///
    /// ```
    /// # #[cfg(feature = "rsa")] {
    /// use implicit_grant::{Algorithm, Config, IssParameter, ProviderMetadata};
    /// let document = r#"{"issuer":"https://op.example","authorization_endpoint":"https://op.example/auth",
    ///   "jwks_uri":"https://op.example/jwks","response_types_supported":["id_token token","code"],
    ///   "id_token_signing_alg_values_supported":["HS256","RS256","none"],
    ///   "authorization_response_iss_parameter_supported":true}"#;
    /// let mut scratch = [0u8; 512];
    /// let metadata = ProviderMetadata::parse(document, "https://op.example", &mut scratch)?;
    /// let config = Config::from_metadata(&metadata, "client", "https://app.example/cb")?;
    /// assert_eq!(config.accepted_algorithms(), &[Algorithm::RS256]);
    /// assert_eq!(config.iss_parameter_setting(), IssParameter::Supported);
    /// # }
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    pub fn from_metadata(
        metadata: &'a ProviderMetadata<'a>,
        client_id: &'a str,
        redirect_uri: &'a str,
    ) -> Result<Self, MetadataError> {
        if !metadata.supports_response_type(ResponseType::IdTokenToken) {
            return Err(MetadataError::ResponseTypeUnsupported);
        }
        if !metadata.supports_response_mode(ResponseMode::Fragment) {
            return Err(MetadataError::ResponseModeUnsupported);
        }
        if metadata.verifiable.is_empty() {
            return Err(MetadataError::NoCommonAlgorithm);
        }
        let iss_parameter = if metadata.iss_parameter_supported() {
            IssParameter::Supported
        } else {
            IssParameter::Tolerated
        };
        Ok(Self::new(
            metadata.issuer(),
            metadata.authorization_endpoint(),
            client_id,
            redirect_uri,
        )
        .algorithms(&metadata.verifiable)
        .iss_parameter(iss_parameter)
        .allow_loopback_http(metadata.loopback_http))
    }

    /// The ID token algorithms accepted.
    #[must_use]
    pub const fn accepted_algorithms(&self) -> &'a [Algorithm] {
        self.algorithms
    }

    /// The RFC 9207 `iss` parameter setting.
    #[must_use]
    pub const fn iss_parameter_setting(&self) -> IssParameter {
        self.iss_parameter
    }

    /// Whether `http` URLs on a loopback host are allowed.
    #[must_use]
    pub const fn loopback_http_allowed(&self) -> bool {
        self.allow_loopback_http
    }
}
