//! The relying party's configuration: who the provider and the client are, what `begin`
//! asks for, and what `complete` accepts. Checked once, when built.

use core::fmt;
use core::time::Duration;

use crate::algorithm::Algorithm;
use crate::error::{ConfigError, MetadataError};
use crate::flow::begin::SECRET_CHARS;
use crate::flow::hint::{IdTokenHint, User};
use crate::limits::{DEFAULT_LEEWAY, DEFAULT_TRANSACTION_LIFETIME, MAX_LEEWAY};
use crate::limits::{MAX_SECRET_LEN, MAX_TRANSACTION_LIFETIME};
use crate::oauth::authorize::{
    AuthorizeRequest, Display, Prompt, ResponseMode, ResponseType, request_parameters,
};
use crate::oauth::metadata::ProviderMetadata;
use crate::oauth::param::Param;
use crate::oauth::url::{check_url, query};
use crate::secret::redacted;

/// Whether the provider sends its issuer identifier as the `iss` parameter of
/// authorization responses (RFC 9207), as its metadata's
/// `authorization_response_iss_parameter_supported` says.
///
/// Whatever the setting, an `iss` that differs from the configured issuer is refused
/// ([`FlowError::IssParameterMismatch`](crate::FlowError::IssParameterMismatch)), and every
/// check here happens before the pending transaction is touched.
///
/// ```
/// use implicit_grant::{AuthorizationEndpoint, ClientId, Config, IssParameter, Issuer, RedirectUri};
/// let config = Config::builder(
///     Issuer::new("https://op.example"),
///     AuthorizationEndpoint::new("https://op.example/authorize"),
///     ClientId::new("client"),
///     RedirectUri::new("https://app.example/cb"),
/// )
/// .iss_parameter(IssParameter::Supported)
/// .build()?;
/// assert_eq!(config.iss_parameter(), IssParameter::Supported);
/// # Ok::<(), implicit_grant::ConfigError>(())
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

/// A challenge of the form `begin` sends (43 base64url characters), for checking a `code`
/// request when the configuration is built.
#[cfg(feature = "code")]
static STAND_IN_CHALLENGE: crate::oauth::pkce::CodeChallenge =
    crate::oauth::pkce::CodeChallenge::STAND_IN;

/// The identity newtypes: four strings a configuration must not confuse.
macro_rules! identity {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $name<'a>(&'a str);

        impl<'a> $name<'a> {
            /// Wraps the value as given; [`ConfigBuilder::build`] checks it.
            ///
            /// ```
            #[doc = concat!("let v = implicit_grant::", stringify!($name), "::new(\"https://a.example\");")]
            /// assert_eq!(v.as_str(), "https://a.example");
            /// ```
            #[must_use]
            pub const fn new(value: &'a str) -> Self {
                Self(value)
            }

            /// The value.
            ///
            /// ```
            #[doc = concat!("assert_eq!(implicit_grant::", stringify!($name), "::new(\"x\").as_str(), \"x\");")]
            /// ```
            #[must_use]
            pub const fn as_str(&self) -> &'a str {
                self.0
            }
        }
    )*};
}

identity! {
    /// The provider's issuer identifier (OIDC Discovery 1.0 §3): an `https` URL without
    /// query or fragment, compared exactly with the ID token's `iss` and the RFC 9207 `iss`
    /// response parameter.
    Issuer;
    /// The provider's authorization endpoint (RFC 6749 §3.1): an absolute `https` URL
    /// without fragment; its query, if any, is kept.
    AuthorizationEndpoint;
    /// The client identifier the provider issued (RFC 6749 §2.2).
    ClientId;
    /// The redirection endpoint, byte for byte as registered (RFC 6749 §3.1.2): an absolute
    /// `https` URL without fragment (`http` on a loopback host with
    /// [`ConfigBuilder::allow_loopback_http`]).
    RedirectUri;
}

#[cfg(feature = "code")]
identity! {
    /// The provider's token endpoint (RFC 6749 §3.2), where the host POSTs a
    /// [`TokenRequest`](crate::TokenRequest): an absolute `https` URL without fragment
    /// (`http` on a loopback host with [`ConfigBuilder::allow_loopback_http`]).
    TokenEndpoint;
}

/// A relying party's settings, shared by [`begin`](crate::begin) and
/// [`complete`](crate::complete): the provider and client identity, the request `begin`
/// sends (every parameter of [`AuthorizeRequest`]), and the checks `complete` makes.
///
/// Made only by [`ConfigBuilder::build`], which checks everything that can be checked
/// before a user logs in: a `Config` is valid, so `begin` and `complete` never fail on it.
/// It is `Copy`; [`Config::to_builder`] starts a variant (see [`Config::silent`]).
///
/// ```
/// use core::time::Duration;
/// use implicit_grant::{AuthorizationEndpoint, ClientId, Config, Issuer, RedirectUri};
/// let config = Config::builder(
///     Issuer::new("https://tenant.auth0.com/"),
///     AuthorizationEndpoint::new("https://tenant.auth0.com/authorize"),
///     ClientId::new("my-client-id"),
///     RedirectUri::new("https://app.example/callback"),
/// )
/// .scope(&["openid", "profile", "email"])
/// .audience("https://api.example/appointments")
/// .login_hint("alice@example.com")
/// .leeway(Duration::from_secs(30))
/// .build()?;
/// assert_eq!(config.leeway(), Duration::from_secs(30));
/// assert_eq!(config.client_id().as_str(), "my-client-id");
/// # Ok::<(), implicit_grant::ConfigError>(())
/// ```
#[derive(Clone, Copy)]
pub struct Config<'a> {
    pub(crate) issuer: &'a str,
    /// The request `begin` sends, without `state` and `nonce`.
    pub(crate) request: AuthorizeRequest<'a>,
    pub(crate) algorithms: &'a [Algorithm],
    pub(crate) trusted_audiences: &'a [&'a str],
    pub(crate) leeway: Duration,
    pub(crate) transaction_lifetime: Duration,
    pub(crate) iss_parameter: IssParameter,
    /// The user `id_token_hint` names (`iss` and `sub`, hashed): a renewal for anyone else
    /// is refused.
    pub(crate) hinted_user: Option<User>,
    /// Where the code flow's token requests go.
    #[cfg(feature = "code")]
    pub(crate) token_endpoint: Option<&'a str>,
}

impl fmt::Debug for Config<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut f = f.debug_struct("Config");
        f.field("issuer", &self.issuer)
            // Redacts what may be personal or replayable (`login_hint`, `id_token_hint`).
            .field("request", &self.request)
            .field("algorithms", &self.algorithms)
            .field("trusted_audiences", &self.trusted_audiences)
            .field("leeway", &self.leeway)
            .field("transaction_lifetime", &self.transaction_lifetime)
            .field("iss_parameter", &self.iss_parameter)
            .field("hinted_user", &redacted(self.hinted_user.as_ref()));
        #[cfg(feature = "code")]
        f.field("token_endpoint", &self.token_endpoint);
        f.finish()
    }
}

/// Builds a [`Config`]: required identity in [`Config::builder`], everything else by
/// setters that chain by value, checked all at once by [`build`](Self::build).
///
/// The request setters (`scope`, `audience`, `prompt`, `login_hint`, …) are those of
/// [`AuthorizeRequest`], made from the same list.
///
/// ```
/// use implicit_grant::{AuthorizationEndpoint, ClientId, Config, ConfigError, Issuer, Param, RedirectUri};
/// let builder = Config::builder(
///     Issuer::new("https://op.example"),
///     AuthorizationEndpoint::new("https://op.example/authorize"),
///     ClientId::new("client"),
///     RedirectUri::new("http://127.0.0.1:8080/cb"),
/// );
/// // Refused when built, not after the user has logged in; the error names the setting.
/// assert_eq!(builder.build().err(), Some(ConfigError::Insecure(Param::RedirectUri)));
/// let config = builder.allow_loopback_http(true).build()?;
/// assert!(config.allow_loopback_http());
/// # Ok::<(), ConfigError>(())
/// ```
#[derive(Clone, Copy, Debug)]
#[must_use = "a builder does nothing until built"]
pub struct ConfigBuilder<'a>(Config<'a>);

/// A [`ConfigBuilder`] setter per request parameter, forwarding to the template request.
macro_rules! forward_setters {
    ($($(#[$doc:meta])* $name:ident: $ty:ty => $field:ident = $value:expr;)*) => {$(
        $(#[$doc])*
        pub const fn $name(mut self, $name: $ty) -> Self {
            self.0.request = self.0.request.$name($name);
            self
        }
    )*};
}

/// The other [`ConfigBuilder`] setters.
macro_rules! config_setters {
    ($($(#[$doc:meta])* $name:ident: $ty:ty;)*) => {$(
        $(#[$doc])*
        pub const fn $name(mut self, $name: $ty) -> Self {
            self.0.$name = $name;
            self
        }
    )*};
}

impl<'a> ConfigBuilder<'a> {
    request_parameters!(forward_setters);

    /// The token endpoint of the code flow (RFC 6749 §3.2), for the host to POST its
    /// [`TokenRequest`](crate::TokenRequest)s to; [`build`](Self::build) checks it as it
    /// checks the authorization endpoint.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let builder = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb"));
    /// let plain = builder.token_endpoint(TokenEndpoint::new("http://op.example/token")).build();
    /// assert_eq!(plain.err(), Some(ConfigError::Insecure(Param::TokenEndpoint)));
    /// ```
    #[cfg(feature = "code")]
    pub const fn token_endpoint(mut self, token_endpoint: TokenEndpoint<'a>) -> Self {
        self.0.token_endpoint = Some(token_endpoint.as_str());
        self
    }

    config_setters! {
        /// The ID token algorithms accepted (RFC 8725 §3.1; default `RS256`; not empty).
        ///
        /// ```
        /// # use implicit_grant::*;
        /// # let b = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb"));
        /// let config = b.algorithms(&[Algorithm::ES256]).build()?;
        /// assert_eq!(config.algorithms(), &[Algorithm::ES256]);
        /// # Ok::<(), ConfigError>(())
        /// ```
        algorithms: &'a [Algorithm];
        /// Audiences besides the client id that the ID token's `aud` may name (OIDC Core
        /// §3.1.3.7 step 3; default none).
        ///
        /// ```
        /// # use implicit_grant::*;
        /// # let b = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb"));
        /// let config = b.trusted_audiences(&["https://api.example"]).build()?;
        /// assert_eq!(config.trusted_audiences(), &["https://api.example"]);
        /// # Ok::<(), ConfigError>(())
        /// ```
        trusted_audiences: &'a [&'a str];
        /// Clock leeway for `exp`, `nbf`, `iat` and `auth_time` (default
        /// [`DEFAULT_LEEWAY`](crate::limits::DEFAULT_LEEWAY), at most
        /// [`MAX_LEEWAY`](crate::limits::MAX_LEEWAY)); whole seconds count.
        ///
        /// ```
        /// # use implicit_grant::*;
        /// # let b = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb"));
        /// use core::time::Duration;
        /// let refused = b.leeway(Duration::from_secs(100_000)).build();
        /// assert_eq!(refused.err(), Some(ConfigError::LeewayTooLarge));
        /// ```
        leeway: Duration;
        /// How long a pending transaction stays valid (default
        /// [`DEFAULT_TRANSACTION_LIFETIME`](crate::limits::DEFAULT_TRANSACTION_LIFETIME),
        /// at least a second, at most
        /// [`MAX_TRANSACTION_LIFETIME`](crate::limits::MAX_TRANSACTION_LIFETIME)).
        ///
        /// ```
        /// # use implicit_grant::*;
        /// # let b = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb"));
        /// use core::time::Duration;
        /// let config = b.transaction_lifetime(Duration::from_secs(300)).build()?;
        /// assert_eq!(config.transaction_lifetime(), Duration::from_secs(300));
        /// # Ok::<(), ConfigError>(())
        /// ```
        transaction_lifetime: Duration;
        /// Whether the provider sends the RFC 9207 `iss` parameter (default
        /// [`IssParameter::Unsupported`]).
        ///
        /// ```
        /// # use implicit_grant::*;
        /// # let b = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb"));
        /// let config = b.iss_parameter(IssParameter::Tolerated).build()?;
        /// assert_eq!(config.iss_parameter(), IssParameter::Tolerated);
        /// # Ok::<(), ConfigError>(())
        /// ```
        iss_parameter: IssParameter;
    }

    /// Sets `id_token_hint` (OIDC Core §3.1.2.1), and binds every login begun with this
    /// configuration to the user the hint names: [`complete`](crate::complete) refuses a
    /// verified ID token for another user ([`FlowError::UserMismatch`](crate::FlowError::UserMismatch)).
    /// [`Config::silent`] sets it with `prompt=none`.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let b = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb"));
    /// // {"iss":"https://op.example","sub":"alice","aud":"c","exp":1311281970,"iat":1311280970}
    /// let kept = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL29wLmV4YW1wbGUiLCJzdWIiOiJhbGljZSIsImF1ZCI6ImMiLCJleHAiOjEzMTEyODE5NzAsImlhdCI6MTMxMTI4MDk3MH0.c2ln";
    /// let hint = IdTokenHint::read(kept, &mut [0u8; 512])?;
    /// let config = b.id_token_hint(hint).build()?;
    /// assert_eq!(config.id_token_hint(), Some(kept));
    /// # Ok::<(), Error>(())
    /// ```
    pub const fn id_token_hint(mut self, hint: IdTokenHint<'a>) -> Self {
        self.0.request = self.0.request.id_token_hint(hint.expose_secret());
        self.0.hinted_user = Some(hint.user());
        self
    }

    /// The builder the provider's metadata describes, for this client: its issuer and
    /// authorization endpoint; as ID token algorithms, those of
    /// `id_token_signing_alg_values_supported` that this build verifies with a
    /// [`Jwks`](crate::verify::Jwks) (never `none` or an HMAC algorithm);
    /// [`IssParameter::Supported`] when the provider advertises the RFC 9207 `iss`
    /// parameter (§3), else [`IssParameter::Tolerated`]: some providers send `iss` without
    /// advertising it (Google does), and the issuer here was checked against the metadata,
    /// so an `iss` equal to it is accepted and any other refused; `allow_loopback_http`
    /// when the issuer is a loopback `http` URL (a development provider, which
    /// [`ProviderMetadata::parse`] admits only when expected). Every other setting has its
    /// default, and can be changed as usual.
    ///
    /// For another response type, use [`Self::from_metadata_for`].
    ///
    /// # Errors
    /// [`MetadataError::ResponseTypeUnsupported`] when the provider does not list
    /// `id_token token`, [`MetadataError::ResponseModeUnsupported`] without `fragment`,
    /// [`MetadataError::NoCommonAlgorithm`] when no listed algorithm is verifiable here.
    ///
    /// ```
    /// # #[cfg(feature = "rsa")] {
    /// use implicit_grant::{Algorithm, ClientId, ConfigBuilder, IssParameter, ProviderMetadata, RedirectUri};
    /// let document = r#"{"issuer":"https://op.example","authorization_endpoint":"https://op.example/auth",
    ///   "jwks_uri":"https://op.example/jwks","response_types_supported":["id_token token","code"],
    ///   "id_token_signing_alg_values_supported":["HS256","RS256","none"],
    ///   "authorization_response_iss_parameter_supported":true}"#;
    /// let mut scratch = [0u8; 512];
    /// let metadata = ProviderMetadata::parse(document, "https://op.example", &mut scratch)?;
    /// let config = ConfigBuilder::from_metadata(
    ///     &metadata,
    ///     ClientId::new("client"),
    ///     RedirectUri::new("https://app.example/cb"),
    /// )?
    /// .build()?;
    /// assert_eq!(config.algorithms(), &[Algorithm::RS256]);
    /// assert_eq!(config.iss_parameter(), IssParameter::Supported);
    /// # }
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    pub fn from_metadata(
        metadata: &'a ProviderMetadata<'a>,
        client_id: ClientId<'a>,
        redirect_uri: RedirectUri<'a>,
    ) -> Result<Self, MetadataError> {
        Self::from_metadata_for(
            metadata,
            ResponseType::IdTokenToken,
            client_id,
            redirect_uri,
        )
    }

    /// [`Self::from_metadata`] for another response type than `id_token token`, which it
    /// sets: the provider must list it in `response_types_supported`, and its default
    /// response mode in `response_modes_supported` (`fragment` for `id_token`; `query` for
    /// `code`, whose token endpoint is [`ProviderMetadata::token_endpoint`]).
    ///
    /// For `code`, the metadata's `token_endpoint` becomes [`Config::token_endpoint`] (its
    /// absence is [`MetadataError::MissingMetadataMember`]), and the provider must support
    /// PKCE `S256` ([`ProviderMetadata::supports_pkce_s256`]): RFC 8414 §2 reads an absent
    /// `code_challenge_methods_supported` as no PKCE, and a provider that does not check
    /// the challenge would redeem a stolen code without the verifier (RFC 9700 §2.1.1:
    /// public clients MUST use PKCE). For a provider known to enforce it without saying so
    /// (Microsoft Entra ID, django-oidc-provider), see
    /// [`ProviderMetadata::assume_pkce_s256`].
    ///
    /// # Errors
    /// [`MetadataError::ResponseTypeUnsupported`], [`MetadataError::ResponseModeUnsupported`],
    /// [`MetadataError::PkceUnsupported`], [`MetadataError::NoCommonAlgorithm`];
    /// [`MetadataError::MissingMetadataMember`]`(`[`TokenEndpoint`](crate::MetadataMember::TokenEndpoint)`)`.
    ///
    /// ```
    /// # #[cfg(all(feature = "rsa", feature = "code"))] {
    /// use implicit_grant::*;
    /// let document = r#"{"issuer":"https://op.example","authorization_endpoint":"https://op.example/auth",
    ///   "token_endpoint":"https://op.example/token","jwks_uri":"https://op.example/jwks",
    ///   "response_types_supported":["code"],"code_challenge_methods_supported":["S256"],
    ///   "id_token_signing_alg_values_supported":["RS256"]}"#;
    /// let mut scratch = [0u8; 512];
    /// let metadata = ProviderMetadata::parse(document, "https://op.example", &mut scratch)?;
    /// let config = ConfigBuilder::from_metadata_for(
    ///     &metadata,
    ///     ResponseType::Code,
    ///     ClientId::new("client"),
    ///     RedirectUri::new("https://app.example/cb"),
    /// )?
    /// .build()?;
    /// assert_eq!(config.response_mode(), ResponseMode::Query);
    /// assert_eq!(config.token_endpoint(), Some("https://op.example/token"));
    /// // The implicit flow is not listed.
    /// let implicit = ConfigBuilder::from_metadata(&metadata, ClientId::new("client"),
    ///     RedirectUri::new("https://app.example/cb"));
    /// assert_eq!(implicit.err(), Some(MetadataError::ResponseTypeUnsupported));
    /// # }
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    pub fn from_metadata_for(
        metadata: &'a ProviderMetadata<'a>,
        response_type: ResponseType,
        client_id: ClientId<'a>,
        redirect_uri: RedirectUri<'a>,
    ) -> Result<Self, MetadataError> {
        if !metadata.supports_response_type(response_type) {
            return Err(MetadataError::ResponseTypeUnsupported);
        }
        let mode = match response_type {
            #[cfg(feature = "code")]
            ResponseType::Code => {
                if !metadata.supports_pkce_s256() {
                    return Err(MetadataError::PkceUnsupported);
                }
                if metadata.token_endpoint().is_none() {
                    let member = crate::oauth::metadata::MetadataMember::TokenEndpoint;
                    return Err(MetadataError::MissingMetadataMember(member));
                }
                ResponseMode::Query
            }
            _ => ResponseMode::Fragment,
        };
        if !metadata.supports_response_mode(mode) {
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
        let builder = Config::builder(
            Issuer::new(metadata.issuer()),
            AuthorizationEndpoint::new(metadata.authorization_endpoint()),
            client_id,
            redirect_uri,
        )
        .response_type(response_type)
        .algorithms(&metadata.verifiable)
        .iss_parameter(iss_parameter)
        .allow_loopback_http(metadata.loopback_http);
        #[cfg(feature = "code")]
        let builder = match metadata.token_endpoint() {
            Some(url) => builder.token_endpoint(TokenEndpoint::new(url)),
            None => builder,
        };
        Ok(builder)
    }

    /// Checks every setting and returns the configuration.
    ///
    /// Checked: the issuer (an absolute `https` URL without query or fragment), the
    /// endpoint and redirect URI (absolute `https` without fragment; `http` only on a
    /// loopback host with [`allow_loopback_http`](Self::allow_loopback_http), RFC 9700
    /// §2.6), the client id, every request parameter as
    /// [`AuthorizeRequest::write_into`] checks it (`openid` in the scope of an ID token,
    /// `prompt=none` alone, grammar of each value, reserved and repeated names), the
    /// leeway, the transaction lifetime and a non-empty list of algorithms.
    ///
    /// # Errors
    /// The first [`ConfigError`] found, naming the setting at fault:
    /// [`ConfigError::Insecure`], [`ConfigError::HasFragment`], [`ConfigError::NotAbsolute`]
    /// or [`ConfigError::Invalid`] for a URL ([`Param::Issuer`], [`Param::Endpoint`],
    /// [`Param::RedirectUri`]); [`ConfigError::LeewayTooLarge`],
    /// [`ConfigError::InvalidLifetime`], [`ConfigError::NoAlgorithms`];
    /// [`ConfigError::Forbidden`]`(`[`Param::IdTokenHint`]`)` for an `id_token_hint` with a
    /// response type without ID token (the user could not be checked),
    /// [`ConfigError::ForeignHint`] for one from another issuer;
    /// the request's errors.
    ///
    /// ```
    /// use implicit_grant::*;
    /// let builder = Config::builder(
    ///     Issuer::new("https://op.example"),
    ///     AuthorizationEndpoint::new("https://op.example/authorize"),
    ///     ClientId::new("client"),
    ///     RedirectUri::new("https://app.example/cb#here"),
    /// );
    /// assert_eq!(builder.build().err(), Some(ConfigError::HasFragment(Param::RedirectUri)));
    /// ```
    pub fn build(self) -> Result<Config<'a>, ConfigError> {
        let config = self.0;
        check_url(
            config.issuer,
            Param::Issuer,
            config.request.allow_loopback_http,
        )?;
        if query(config.issuer).is_some() {
            return Err(ConfigError::Invalid(Param::Issuer));
        }
        #[cfg(feature = "code")]
        if let Some(url) = config.token_endpoint {
            check_url(
                url,
                Param::TokenEndpoint,
                config.request.allow_loopback_http,
            )?;
        }
        // `begin` sends 43-character `state` and `nonce` values; the request is checked
        // with stand-ins of the same form, so that writing it later cannot fail.
        const STAND_IN: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        const _: () = assert!(STAND_IN.len() == SECRET_CHARS && SECRET_CHARS <= MAX_SECRET_LEN);
        let request = config.request.state(STAND_IN).nonce(STAND_IN);
        // And a PKCE challenge of `begin`'s form for `code`.
        #[cfg(feature = "code")]
        let request = match request.response_type {
            ResponseType::Code => request.code_challenge(&STAND_IN_CHALLENGE),
            _ => request,
        };
        request.validate()?;
        if config.leeway.as_secs() > MAX_LEEWAY.as_secs() {
            return Err(ConfigError::LeewayTooLarge);
        }
        let lifetime = config.transaction_lifetime.as_secs();
        if lifetime == 0 || lifetime > MAX_TRANSACTION_LIFETIME.as_secs() {
            return Err(ConfigError::InvalidLifetime);
        }
        if config.algorithms.is_empty() {
            return Err(ConfigError::NoAlgorithms);
        }
        // The user a hint names is checked in the ID token: without one, a renewal could
        // switch users unseen.
        if let Some(user) = config.hinted_user {
            if !config.request.wants_id_token() {
                return Err(ConfigError::Forbidden(Param::IdTokenHint));
            }
            // OIDC Core §3.1.2.1: an ID token this issuer issued, not another's.
            if !user.is_from(config.issuer) {
                return Err(ConfigError::ForeignHint);
            }
        }
        Ok(config)
    }
}

/// A [`Config`] getter per request parameter that has no other, each named like its setter
/// and shown with it.
macro_rules! request_getters {
    ($($(#[$doc:meta])* $name:ident: $ty:ty = $set:literal => $expected:literal;)*) => {$(
        $(#[$doc])*
        ///
        /// ```
        /// use implicit_grant::*;
        /// let config = Config::builder(
        ///     Issuer::new("https://op.example"),
        ///     AuthorizationEndpoint::new("https://op.example/authorize"),
        ///     ClientId::new("client"),
        ///     RedirectUri::new("https://app.example/cb"),
        /// )
        #[doc = $set]
        /// .build()?;
        #[doc = concat!("assert_eq!(config.", stringify!($name), "(), ", $expected, ");")]
        /// # Ok::<(), ConfigError>(())
        /// ```
        #[must_use]
        pub const fn $name(&self) -> $ty {
            self.request.$name
        }
    )*};
}

impl<'a> Config<'a> {
    /// A builder for the provider `issuer`, its `authorization_endpoint`, this
    /// `client_id`, and the `redirect_uri` byte for byte as registered. Defaults:
    /// `response_type=id_token token`, scope `openid`, the fragment response mode, `RS256`,
    /// a leeway of [`DEFAULT_LEEWAY`](crate::limits::DEFAULT_LEEWAY), a transaction
    /// lifetime of [`DEFAULT_TRANSACTION_LIFETIME`](crate::limits::DEFAULT_TRANSACTION_LIFETIME),
    /// [`IssParameter::Unsupported`], no loopback `http`.
    ///
    /// ```
    /// use implicit_grant::*;
    /// let config = Config::builder(
    ///     Issuer::new("https://server.example.com"),
    ///     AuthorizationEndpoint::new("https://server.example.com/authorize"),
    ///     ClientId::new("s6BhdRkqt3"),
    ///     RedirectUri::new("https://client.example.org/cb"),
    /// )
    /// .build()?;
    /// assert_eq!(config.response_type(), ResponseType::IdTokenToken);
    /// assert_eq!(config.scope(), &["openid"]);
    /// # Ok::<(), ConfigError>(())
    /// ```
    pub const fn builder(
        issuer: Issuer<'a>,
        authorization_endpoint: AuthorizationEndpoint<'a>,
        client_id: ClientId<'a>,
        redirect_uri: RedirectUri<'a>,
    ) -> ConfigBuilder<'a> {
        ConfigBuilder(Self {
            issuer: issuer.as_str(),
            request: AuthorizeRequest::new(
                authorization_endpoint.as_str(),
                client_id.as_str(),
                redirect_uri.as_str(),
            )
            .scope(&["openid"]),
            algorithms: &[Algorithm::RS256],
            trusted_audiences: &[],
            leeway: DEFAULT_LEEWAY,
            transaction_lifetime: DEFAULT_TRANSACTION_LIFETIME,
            iss_parameter: IssParameter::Unsupported,
            hinted_user: None,
            #[cfg(feature = "code")]
            token_endpoint: None,
        })
    }

    /// A builder holding this configuration's settings, to make a variant of it.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb")).build()?;
    /// let token_only = config.to_builder().response_type(ResponseType::Token).build()?;
    /// assert_eq!(token_only.response_type(), ResponseType::Token);
    /// # Ok::<(), ConfigError>(())
    /// ```
    pub const fn to_builder(&self) -> ConfigBuilder<'a> {
        ConfigBuilder(*self)
    }

    /// The configuration of a silent renewal (OIDC Core §3.1.2.1): `prompt=none`, so that
    /// the provider answers at once, without showing a page, and `id_token_hint`, the ID
    /// token of the session to renew. Run [`begin`](crate::begin) in a hidden iframe (or a
    /// popup) with it, then [`complete`](crate::complete) with the frame's redirect.
    ///
    /// The renewal is bound to the hint's user: a provider that answers for whoever is
    /// logged in there now (the user, or a login CSRF, switched accounts) is refused with
    /// [`FlowError::UserMismatch`](crate::FlowError::UserMismatch), and the app keeps its
    /// session or asks the user to log in. An answer of `login_required` and its kin is an
    /// [`Outcome::Denied`](crate::Outcome::Denied) whose
    /// [`ErrorResponse::needs_interaction`](crate::ErrorResponse::needs_interaction) is
    /// `true`: the user must log in interactively.
    ///
    /// # Errors
    /// [`ConfigError::ForeignHint`] for a hint whose `iss` is not this issuer; [`ConfigError::MaxAgeZeroWithPromptNone`] when this configuration sets
    /// `max_age` to zero; [`ConfigError::Forbidden`]`(`[`Param::IdTokenHint`]`)` when its
    /// response type has no ID token.
    ///
    /// ```
    /// use implicit_grant::*;
    /// # struct Rng; impl Random for Rng { fn fill_bytes(&mut self, d: &mut [u8]) -> Result<(), RandomError> { d.fill(9); Ok(()) } }
    /// let config = Config::builder(
    ///     Issuer::new("https://op.example"),
    ///     AuthorizationEndpoint::new("https://op.example/authorize"),
    ///     ClientId::new("client"),
    ///     RedirectUri::new("https://app.example/cb"),
    /// )
    /// .build()?;
    /// // The ID token kept from the last login (or `session.id_token_hint()` right after it):
    /// // {"iss":"https://op.example","sub":"alice","aud":"client","exp":1700000000,"iat":1699999000}
    /// let kept = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL29wLmV4YW1wbGUiLCJzdWIiOiJhbGljZSIsImF1ZCI6ImNsaWVudCIsImV4cCI6MTcwMDAwMDAwMCwiaWF0IjoxNjk5OTk5MDAwfQ.c2ln";
    /// let silent = config.silent(IdTokenHint::read(kept, &mut [0u8; 512])?)?;
    /// let mut buf = [0u8; 512];
    /// let now = UnixTime::from_secs(1_700_000_000);
    /// let url = begin(&silent, &mut Rng, &mut MemoryStore::<4>::new(), now, &mut buf)?;
    /// assert!(url.contains("&prompt=none&id_token_hint=eyJhbGciOiJSUzI1NiJ9."));
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    pub fn silent(&self, id_token_hint: IdTokenHint<'a>) -> Result<Self, ConfigError> {
        self.to_builder()
            .prompt(&[Prompt::None])
            .id_token_hint(id_token_hint)
            .build()
    }

    /// The issuer identifier.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb")).build()?;
    /// assert_eq!(config.issuer(), Issuer::new("https://op.example"));
    /// # Ok::<(), ConfigError>(())
    /// ```
    #[must_use]
    pub const fn issuer(&self) -> Issuer<'a> {
        Issuer::new(self.issuer)
    }

    /// The authorization endpoint.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb")).build()?;
    /// assert_eq!(config.authorization_endpoint().as_str(), "https://op.example/a");
    /// # Ok::<(), ConfigError>(())
    /// ```
    #[must_use]
    pub const fn authorization_endpoint(&self) -> AuthorizationEndpoint<'a> {
        AuthorizationEndpoint::new(self.request.endpoint)
    }

    /// The client identifier.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb")).build()?;
    /// assert_eq!(config.client_id(), ClientId::new("c"));
    /// # Ok::<(), ConfigError>(())
    /// ```
    #[must_use]
    pub const fn client_id(&self) -> ClientId<'a> {
        ClientId::new(self.request.client_id)
    }

    /// The redirect URI.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb")).build()?;
    /// assert_eq!(config.redirect_uri().as_str(), "https://app.example/cb");
    /// # Ok::<(), ConfigError>(())
    /// ```
    #[must_use]
    pub const fn redirect_uri(&self) -> RedirectUri<'a> {
        RedirectUri::new(self.request.redirect_uri)
    }

    /// The request `begin` sends, without its `state` and `nonce`.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb")).display(Display::Popup).build()?;
    /// assert!(format!("{:?}", config.request()).contains("display: Some(Popup)"));
    /// # Ok::<(), ConfigError>(())
    /// ```
    #[must_use]
    pub const fn request(&self) -> &AuthorizeRequest<'a> {
        &self.request
    }

    /// The response type requested.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb")).response_type(ResponseType::IdToken).build()?;
    /// assert_eq!(config.response_type(), ResponseType::IdToken);
    /// # Ok::<(), ConfigError>(())
    /// ```
    #[must_use]
    pub const fn response_type(&self) -> ResponseType {
        self.request.response_type
    }

    /// The response mode requested.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb")).build()?;
    /// assert_eq!(config.response_mode(), ResponseMode::Fragment);
    /// # Ok::<(), ConfigError>(())
    /// ```
    #[must_use]
    pub const fn response_mode(&self) -> ResponseMode {
        self.request.requested_response_mode()
    }

    /// The scope requested.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb")).scope(&["openid", "email"]).build()?;
    /// assert_eq!(config.scope(), &["openid", "email"]);
    /// # Ok::<(), ConfigError>(())
    /// ```
    #[must_use]
    pub const fn scope(&self) -> &'a [&'a str] {
        self.request.scope
    }

    /// The `max_age` requested, if any: `auth_time` is then required and checked.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// use core::time::Duration;
    /// # let config = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb")).max_age(Duration::from_secs(300)).build()?;
    /// assert_eq!(config.max_age(), Some(Duration::from_secs(300)));
    /// # Ok::<(), ConfigError>(())
    /// ```
    #[must_use]
    pub const fn max_age(&self) -> Option<Duration> {
        self.request.max_age
    }

    /// The ID token algorithms accepted.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb")).build()?;
    /// assert_eq!(config.algorithms(), &[Algorithm::RS256]);
    /// # Ok::<(), ConfigError>(())
    /// ```
    #[must_use]
    pub const fn algorithms(&self) -> &'a [Algorithm] {
        self.algorithms
    }

    /// The audiences trusted besides the client id.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb")).build()?;
    /// assert!(config.trusted_audiences().is_empty());
    /// # Ok::<(), ConfigError>(())
    /// ```
    #[must_use]
    pub const fn trusted_audiences(&self) -> &'a [&'a str] {
        self.trusted_audiences
    }

    /// The clock leeway.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb")).build()?;
    /// assert_eq!(config.leeway(), implicit_grant::limits::DEFAULT_LEEWAY);
    /// # Ok::<(), ConfigError>(())
    /// ```
    #[must_use]
    pub const fn leeway(&self) -> Duration {
        self.leeway
    }

    /// How long a pending transaction stays valid.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb")).build()?;
    /// assert_eq!(config.transaction_lifetime(), limits::DEFAULT_TRANSACTION_LIFETIME);
    /// # Ok::<(), ConfigError>(())
    /// ```
    #[must_use]
    pub const fn transaction_lifetime(&self) -> Duration {
        self.transaction_lifetime
    }

    /// The RFC 9207 `iss` parameter setting.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb")).build()?;
    /// assert_eq!(config.iss_parameter(), IssParameter::Unsupported);
    /// # Ok::<(), ConfigError>(())
    /// ```
    #[must_use]
    pub const fn iss_parameter(&self) -> IssParameter {
        self.iss_parameter
    }

    request_getters! {
        /// The `audience` requested (Auth0's API identifier), if any.
        audience: Option<&'a str> = ".audience(\"https://api.example\")" => "Some(\"https://api.example\")";
        /// The `prompt` values requested.
        prompt: &'a [Prompt] = ".prompt(&[Prompt::Login])" => "&[Prompt::Login]";
        /// The `login_hint` sent, if any.
        ///
        /// # Security
        /// Personal data: keep it out of logs.
        login_hint: Option<&'a str> = ".login_hint(\"jane@example.com\")" => "Some(\"jane@example.com\")";
        /// The `ui_locales` requested, in order of preference.
        ui_locales: &'a [&'a str] = ".ui_locales(&[\"fr-CA\", \"en\"])" => "&[\"fr-CA\", \"en\"]";
        /// The `display` requested, if any.
        display: Option<Display> = ".display(Display::Popup)" => "Some(Display::Popup)";
        /// The `acr_values` requested, in order of preference.
        acr_values: &'a [&'a str] = ".acr_values(&[\"urn:mace:incommon:iap:silver\"])" => "&[\"urn:mace:incommon:iap:silver\"]";
        /// The extra parameters sent.
        extra: &'a [(&'a str, &'a str)] = ".extra(&[(\"connection\", \"github\")])" => "&[(\"connection\", \"github\")]";
    }

    /// The `id_token_hint` sent, if any ([`Config::silent`],
    /// [`ConfigBuilder::id_token_hint`]).
    ///
    /// # Security
    /// An ID token: personal data, and replayable as a hint. Keep it out of logs.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb")).build()?;
    /// assert_eq!(config.id_token_hint(), None);
    /// # Ok::<(), ConfigError>(())
    /// ```
    #[must_use]
    pub const fn id_token_hint(&self) -> Option<&'a str> {
        self.request.id_token_hint
    }

    /// Whether `http` URLs on a loopback host are allowed.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb")).build()?;
    /// assert!(!config.allow_loopback_http());
    /// # Ok::<(), ConfigError>(())
    /// ```
    #[must_use]
    pub const fn allow_loopback_http(&self) -> bool {
        self.request.allow_loopback_http
    }

    /// The token endpoint, where the code flow's [`TokenRequest`](crate::TokenRequest)s go
    /// (also [`TokenRequest::endpoint`](crate::TokenRequest::endpoint)): set with
    /// [`ConfigBuilder::token_endpoint`], or from the metadata's `token_endpoint`.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let builder = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb"));
    /// let config = builder.token_endpoint(TokenEndpoint::new("https://op.example/token")).build()?;
    /// assert_eq!(config.token_endpoint(), Some("https://op.example/token"));
    /// # Ok::<(), ConfigError>(())
    /// ```
    #[cfg(feature = "code")]
    #[must_use]
    pub const fn token_endpoint(&self) -> Option<&'a str> {
        self.token_endpoint
    }
}
