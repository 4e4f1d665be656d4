//! The authorization request URL (RFC 6749 §4.2.1, OIDC Core §3.2.2.1, §3.1.2.1).

use core::fmt;
use core::time::Duration;

use crate::codec::sink::{self, Fmt, Sink};
use crate::codec::{form, percent, scan};
use crate::error::{ConfigError, Error};
use crate::oauth::param::Param;
use crate::oauth::syntax;
use crate::oauth::url::{check_url, query, separator};
use crate::secret::redacted;

/// `response_type`: one of the implicit flows (RFC 6749 §4.2.1, OIDC Core §3.2.2.1) or,
/// with the feature `code`, the authorization code flow (RFC 6749 §4.1.1, always with PKCE).
///
/// Hybrid flows (`code id_token`, …) are not representable.
///
/// # Security
/// RFC 9700 §2.1.2 deprecates response types that return access tokens in the redirect
/// (`token`, `id_token token`) for new deployments; prefer the authorization code flow with
/// PKCE where you can. This crate exists for the deployments that cannot.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResponseType {
    /// `token`: OAuth 2.0 implicit grant, an access token only.
    Token,
    /// `id_token`: OIDC implicit flow, an ID token only.
    IdToken,
    /// `id_token token`: OIDC implicit flow, an ID token and an access token.
    #[default]
    IdTokenToken,
    /// `code`: the authorization code flow with PKCE `S256` (RFC 7636); an ID token comes
    /// from the token endpoint when the scope has `openid`.
    #[cfg(feature = "code")]
    #[cfg_attr(docsrs, doc(cfg(feature = "code")))]
    Code,
}

impl ResponseType {
    /// The wire value.
    ///
    /// ```
    /// assert_eq!(implicit_grant::ResponseType::IdTokenToken.as_str(), "id_token token");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Token => "token",
            Self::IdToken => "id_token",
            Self::IdTokenToken => "id_token token",
            #[cfg(feature = "code")]
            Self::Code => "code",
        }
    }

    /// Whether an ID token is requested in the redirect (then `nonce` and the `openid`
    /// scope are required). `code` asks for none there.
    #[must_use]
    pub const fn has_id_token(self) -> bool {
        matches!(self, Self::IdToken | Self::IdTokenToken)
    }

    /// Whether an access token is requested in the redirect.
    #[must_use]
    pub const fn has_access_token(self) -> bool {
        matches!(self, Self::Token | Self::IdTokenToken)
    }
}

/// `response_mode` (OAuth 2.0 Multiple Response Types §2.1, Form Post Response Mode §2).
///
/// `query` exists only for `code` (feature `code`): implicit responses must not use it
/// (MRT §5), as it would put tokens in the URL the browser sends to the server.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResponseMode {
    /// `fragment`, the default of the implicit flows.
    #[default]
    Fragment,
    /// `form_post`: the response arrives as a POST body.
    FormPost,
    /// `query`, the default of the code flow (RFC 6749 §4.1.2).
    #[cfg(feature = "code")]
    #[cfg_attr(docsrs, doc(cfg(feature = "code")))]
    Query,
}

impl ResponseMode {
    /// The wire value.
    ///
    /// ```
    /// assert_eq!(implicit_grant::ResponseMode::FormPost.as_str(), "form_post");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Fragment => "fragment",
            Self::FormPost => "form_post",
            #[cfg(feature = "code")]
            Self::Query => "query",
        }
    }
}

/// A `prompt` value (OIDC Core §3.1.2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Prompt {
    /// `none`: no UI; silent authentication. Cannot be combined with another value.
    None,
    /// `login`
    Login,
    /// `consent`
    Consent,
    /// `select_account`
    SelectAccount,
}

impl Prompt {
    /// The wire value.
    ///
    /// ```
    /// assert_eq!(implicit_grant::Prompt::SelectAccount.as_str(), "select_account");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Login => "login",
            Self::Consent => "consent",
            Self::SelectAccount => "select_account",
        }
    }
}

/// A `display` value (OIDC Core §3.1.2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Display {
    /// `page`
    Page,
    /// `popup`
    Popup,
    /// `touch`
    Touch,
    /// `wap`
    Wap,
}

impl Display {
    /// The wire value.
    ///
    /// ```
    /// assert_eq!(implicit_grant::Display::Popup.as_str(), "popup");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Page => "page",
            Self::Popup => "popup",
            Self::Touch => "touch",
            Self::Wap => "wap",
        }
    }
}

/// Names the crate writes itself: an extra parameter, or the endpoint's query, may not use them.
const RESERVED: &[(&str, Param)] = &[
    ("response_type", Param::ResponseType),
    ("client_id", Param::ClientId),
    ("redirect_uri", Param::RedirectUri),
    ("scope", Param::Scope),
    ("audience", Param::Audience),
    ("state", Param::State),
    ("nonce", Param::Nonce),
    ("response_mode", Param::ResponseMode),
    ("prompt", Param::Prompt),
    ("max_age", Param::MaxAge),
    ("login_hint", Param::LoginHint),
    ("ui_locales", Param::UiLocales),
    ("display", Param::Display),
    ("id_token_hint", Param::IdTokenHint),
    ("acr_values", Param::AcrValues),
    ("code_challenge", Param::CodeChallenge),
    ("code_challenge_method", Param::CodeChallengeMethod),
];

/// Names that would let the authorization server take the parameters from a request object
/// instead (OIDC Core §6.1, §6.2): refused in the endpoint's query and among the extras.
const FORBIDDEN: &[(&str, Param)] = &[
    ("request", Param::Request),
    ("request_uri", Param::RequestUri),
];

/// Builds the `/authorize` URL of an implicit flow.
///
/// Required data goes to [`AuthorizeRequest::new`]; the setters take the request by value
/// and return it, so a request is one expression (C-BUILDER; the request is `Copy`, so keeping
/// a base request and deriving variants from it costs nothing).
/// Nothing is validated until the URL is written, and then every rule is: RFC 6749 §3.1
/// (endpoint query kept, no fragment, no parameter twice, no `;` in the endpoint's query),
/// §3.1.2 and RFC 9700 §2.6 (`redirect_uri` absolute `https`, no fragment; `http` only on a
/// loopback host after [`allow_loopback_http`](Self::allow_loopback_http)), OIDC Core
/// §3.1.2.1 and §3.2.2.1 (`openid` scope and `nonce` with `id_token`, `prompt=none` alone),
/// OIDC Core §6 (no `request` or `request_uri`, whose request object would override the
/// parameters). Values are percent-encoded (everything but RFC 3986 unreserved, `%20` for
/// space, uppercase hex, non-ASCII as UTF-8 octets);
/// empty optional values are left out.
///
/// # Security
/// `state` and `nonce` must be unguessable (RFC 6749 §10.12, OIDC Core §15.5.2): the flow's
/// `begin` draws 32 random bytes for each. The request's `Debug` redacts them.
///
/// # Examples
/// The OIDC Core §3.2.2.1 example request, byte for byte:
/// ```
/// use implicit_grant::{AuthorizeRequest, ResponseType};
/// let req = AuthorizeRequest::new(
///     "https://server.example.com/authorize",
///     "s6BhdRkqt3",
///     "https://client.example.org/cb",
/// )
/// .response_type(ResponseType::IdTokenToken)
/// .scope(&["openid", "profile"])
/// .state("af0ifjsldkj")
/// .nonce("n-0S6_WzA2Mj");
/// let mut buf = [0u8; 512];
/// assert_eq!(
///     req.write_into(&mut buf)?,
///     "https://server.example.com/authorize?response_type=id_token%20token&client_id=s6BhdRkqt3\
///      &redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb&scope=openid%20profile\
///      &state=af0ifjsldkj&nonce=n-0S6_WzA2Mj"
/// );
/// # Ok::<(), implicit_grant::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct AuthorizeRequest<'a> {
    pub(crate) endpoint: &'a str,
    pub(crate) client_id: &'a str,
    pub(crate) redirect_uri: &'a str,
    pub(crate) response_type: ResponseType,
    pub(crate) scope: &'a [&'a str],
    pub(crate) audience: Option<&'a str>,
    pub(crate) state: Option<&'a str>,
    pub(crate) nonce: Option<&'a str>,
    pub(crate) response_mode: Option<ResponseMode>,
    pub(crate) prompt: &'a [Prompt],
    pub(crate) max_age: Option<Duration>,
    pub(crate) login_hint: Option<&'a str>,
    pub(crate) ui_locales: &'a [&'a str],
    pub(crate) display: Option<Display>,
    pub(crate) id_token_hint: Option<&'a str>,
    pub(crate) acr_values: &'a [&'a str],
    pub(crate) extra: &'a [(&'a str, &'a str)],
    pub(crate) allow_loopback_http: bool,
    /// The PKCE `S256` challenge of a `code` request.
    #[cfg(feature = "code")]
    pub(crate) code_challenge: Option<&'a str>,
}

impl fmt::Debug for AuthorizeRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut f = f.debug_struct("AuthorizeRequest");
        f.field("endpoint", &self.endpoint)
            .field("client_id", &self.client_id)
            .field("redirect_uri", &self.redirect_uri)
            .field("response_type", &self.response_type)
            .field("scope", &self.scope)
            .field("audience", &self.audience)
            .field("state", &redacted(self.state))
            .field("nonce", &redacted(self.nonce))
            .field("response_mode", &self.response_mode)
            .field("prompt", &self.prompt)
            .field("max_age", &self.max_age)
            .field("login_hint", &redacted(self.login_hint))
            .field("ui_locales", &self.ui_locales)
            .field("display", &self.display)
            .field("id_token_hint", &redacted(self.id_token_hint))
            .field("acr_values", &self.acr_values)
            .field("extra", &self.extra.len())
            .field("allow_loopback_http", &self.allow_loopback_http);
        #[cfg(feature = "code")]
        f.field("code_challenge", &self.code_challenge);
        f.finish()
    }
}

/// The optional parameters of the authorization request, defined once: the setters of
/// [`AuthorizeRequest`] and of [`ConfigBuilder`](crate::ConfigBuilder) are both made from
/// this list, so the flow can send every parameter the request builder knows.
macro_rules! request_parameters {
    ($make:ident) => {
        $make! {
            /// Sets `response_type`.
            response_type: ResponseType => response_type = response_type;
            /// Sets the `scope` tokens (each `1*NQCHAR`); must contain `openid` for an ID token.
            scope: &'a [&'a str] => scope = scope;
            /// Sets `audience`, the API the access token is for (Auth0).
            audience: &'a str => audience = Some(audience);
            /// Sets `response_mode`; left out by default (the fragment).
            response_mode: ResponseMode => response_mode = Some(response_mode);
            /// Sets `prompt`.
            prompt: &'a [Prompt] => prompt = prompt;
            /// Sets `max_age`, in whole seconds on the wire; the ID token must then carry
            /// `auth_time` (OIDC Core §3.1.2.1).
            max_age: Duration => max_age = Some(max_age);
            /// Sets `login_hint` (OIDC Core §3.1.2.1), e.g. an e-mail address or phone number.
            ///
            /// Any Unicode text but control characters (U+0000–U+001F, U+007F–U+009F); it goes on
            /// the wire percent-encoded as UTF-8 octets (RFC 3986 §2.5).
            ///
            /// ```
            /// use implicit_grant::{AuthorizeRequest, ResponseType};
            /// let req = AuthorizeRequest::new("https://a.example/authorize", "c", "https://b.example/cb")
            ///     .response_type(ResponseType::Token)
            ///     .state("xyz")
            ///     .login_hint("jöhn@例え.jp");
            /// let url = req.to_string::<256>()?;
            /// assert!(url.ends_with("&login_hint=j%C3%B6hn%40%E4%BE%8B%E3%81%88.jp"));
            /// # Ok::<(), implicit_grant::Error>(())
            /// ```
            login_hint: &'a str => login_hint = Some(login_hint);
            /// Sets `ui_locales` (OIDC Core §3.1.2.1), BCP 47 language tags in order of preference.
            ///
            /// Each tag holds ASCII letters, digits and `-` only: the BCP 47 grammar (RFC 5646
            /// §2.1) has no non-ASCII character, so a tag with one is refused when the request is
            /// checked ([`ConfigError::Invalid`]: by `write_into`, or by `ConfigBuilder::build`).
            ///
            /// ```
            /// use implicit_grant::{AuthorizeRequest, ResponseType};
            /// let req = AuthorizeRequest::new("https://a.example/authorize", "c", "https://b.example/cb")
            ///     .response_type(ResponseType::Token)
            ///     .state("xyz")
            ///     .ui_locales(&["fr-CA", "en"]);
            /// assert!(req.to_string::<256>()?.ends_with("&ui_locales=fr-CA%20en"));
            /// # Ok::<(), implicit_grant::Error>(())
            /// ```
            ui_locales: &'a [&'a str] => ui_locales = ui_locales;
            /// Sets `display`.
            display: Display => display = Some(display);
            /// Sets `acr_values` (OIDC Core §3.1.2.1), the requested Authentication Context Class
            /// References in order of preference.
            ///
            /// Each value is non-empty Unicode text without space, `"`, `\` or control characters;
            /// non-ASCII values go on the wire percent-encoded as UTF-8 octets.
            ///
            /// ```
            /// use implicit_grant::{AuthorizeRequest, ResponseType};
            /// let req = AuthorizeRequest::new("https://a.example/authorize", "c", "https://b.example/cb")
            ///     .response_type(ResponseType::Token)
            ///     .state("xyz")
            ///     .acr_values(&["urn:mace:incommon:iap:silver", "niveau-élevé"]);
            /// assert!(req.to_string::<256>()?.ends_with(
            ///     "&acr_values=urn%3Amace%3Aincommon%3Aiap%3Asilver%20niveau-%C3%A9lev%C3%A9"
            /// ));
            /// # Ok::<(), implicit_grant::Error>(())
            /// ```
            acr_values: &'a [&'a str] => acr_values = acr_values;
            /// Allows `http` endpoint and redirect URLs on a loopback host (`localhost`,
            /// `127.0.0.1`, `[::1]`), for development and native apps (RFC 9700 §2.6, RFC 8252 §7.3).
            allow_loopback_http: bool => allow_loopback_http = allow_loopback_http;
            /// Adds parameters the crate does not manage (e.g. `connection` for Auth0). A name the
            /// crate writes itself is an error when the request is checked (by `write_into`, or by
            /// `ConfigBuilder::build`), never a duplicate parameter.
            ///
            /// ```
            /// use implicit_grant::{AuthorizeRequest, ConfigError, Error, Param};
            /// let req = AuthorizeRequest::new("https://a.example/authorize", "c", "https://b.example/cb")
            ///     .response_type(implicit_grant::ResponseType::Token)
            ///     .state("s")
            ///     .extra(&[("state", "x")]);
            /// let refused = req.write_into(&mut [0u8; 256]).err();
            /// assert_eq!(refused, Some(Error::Config(ConfigError::Reserved(Param::State))));
            /// ```
            extra: &'a [(&'a str, &'a str)] => extra = extra;
        }
    };
}
pub(crate) use request_parameters;

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident: $ty:ty => $field:ident = $value:expr;)*) => {$(
        $(#[$doc])*
        #[must_use = "a setter returns the changed request and leaves its receiver unused"]
        pub const fn $name(mut self, $name: $ty) -> Self {
            self.$field = $value;
            self
        }
    )*};
}

impl<'a> AuthorizeRequest<'a> {
    /// A request to `endpoint` for `client_id`, answered at `redirect_uri`, with
    /// `response_type=id_token token` and no scope yet.
    ///
    /// ```
    /// let req = implicit_grant::AuthorizeRequest::new(
    ///     "https://tenant.auth0.com/authorize", "my-client", "https://app.example/callback");
    /// assert!(format!("{req:?}").contains("my-client"));
    /// ```
    #[must_use]
    pub const fn new(endpoint: &'a str, client_id: &'a str, redirect_uri: &'a str) -> Self {
        Self {
            endpoint,
            client_id,
            redirect_uri,
            response_type: ResponseType::IdTokenToken,
            scope: &[],
            audience: None,
            state: None,
            nonce: None,
            response_mode: None,
            prompt: &[],
            max_age: None,
            login_hint: None,
            ui_locales: &[],
            display: None,
            id_token_hint: None,
            acr_values: &[],
            extra: &[],
            allow_loopback_http: false,
            #[cfg(feature = "code")]
            code_challenge: None,
        }
    }

    request_parameters!(setters);

    setters! {
        /// Sets `id_token_hint`, a previously received ID token. (A [`Config`](crate::Config)
        /// takes an [`IdTokenHint`](crate::IdTokenHint) instead, which also names the user,
        /// so that [`complete`](crate::complete) refuses a renewal for anyone else.)
        ///
        /// ```
        /// # use implicit_grant::{AuthorizeRequest, Prompt, ResponseType};
        /// let req = AuthorizeRequest::new("https://a.example/authorize", "c", "https://b.example/cb")
        ///     .response_type(ResponseType::Token)
        ///     .state("xyz")
        ///     .prompt(&[Prompt::None])
        ///     .id_token_hint("eyJhbGciOiJSUzI1NiJ9.e30.c2ln");
        /// assert!(req.to_string::<256>()?.ends_with("&id_token_hint=eyJhbGciOiJSUzI1NiJ9.e30.c2ln"));
        /// # Ok::<(), implicit_grant::Error>(())
        /// ```
        id_token_hint: &'a str => id_token_hint = Some(id_token_hint);
        /// Sets `state` (required; `1*VSCHAR`).
        ///
        /// ```
        /// # use implicit_grant::{AuthorizeRequest, ResponseType};
        /// let req = AuthorizeRequest::new("https://a.example/authorize", "c", "https://b.example/cb")
        ///     .response_type(ResponseType::Token)
        ///     .state("xyz");
        /// assert!(req.to_string::<256>()?.ends_with("&state=xyz"));
        /// # Ok::<(), implicit_grant::Error>(())
        /// ```
        state: &'a str => state = Some(state);
        /// Sets `nonce` (required with an ID token; `1*VSCHAR`).
        ///
        /// ```
        /// # use implicit_grant::AuthorizeRequest;
        /// let req = AuthorizeRequest::new("https://a.example/authorize", "c", "https://b.example/cb")
        ///     .scope(&["openid"])
        ///     .state("xyz")
        ///     .nonce("n-0S6_WzA2Mj");
        /// assert!(req.to_string::<256>()?.ends_with("&state=xyz&nonce=n-0S6_WzA2Mj"));
        /// # Ok::<(), implicit_grant::Error>(())
        /// ```
        nonce: &'a str => nonce = Some(nonce);
    }

    /// Sets the PKCE challenge of a `code` request (RFC 7636 §4.3): `code_challenge`, with
    /// `code_challenge_method=S256`. Required with `code`, refused with the implicit
    /// response types ([`ConfigError::Forbidden`]`(`[`Param::CodeChallenge`]`)`).
    ///
    /// ```
    /// use implicit_grant::{AuthorizeRequest, CodeVerifier, ResponseType};
    /// // RFC 7636 App. B
    /// let verifier = CodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")?;
    /// let challenge = verifier.challenge();
    /// let req = AuthorizeRequest::new("https://a.example/authorize", "c", "https://b.example/cb")
    ///     .response_type(ResponseType::Code)
    ///     .state("xyz")
    ///     .code_challenge(&challenge);
    /// assert!(req.to_string::<256>()?.ends_with(
    ///     "&state=xyz&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
    /// ));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "code")]
    #[cfg_attr(docsrs, doc(cfg(feature = "code")))]
    #[must_use = "a setter returns the changed request and leaves its receiver unused"]
    pub fn code_challenge(mut self, challenge: &'a crate::oauth::pkce::CodeChallenge) -> Self {
        self.code_challenge = Some(challenge.as_str());
        self
    }

    /// The `response_mode` this request asks for: unless set, the fragment, or the query
    /// for `code`.
    pub(crate) const fn requested_response_mode(&self) -> ResponseMode {
        match self.response_mode {
            Some(mode) => mode,
            #[cfg(feature = "code")]
            None if matches!(self.response_type, ResponseType::Code) => ResponseMode::Query,
            None => ResponseMode::Fragment,
        }
    }

    /// Whether an ID token answers this request: in the redirect for `id_token` and
    /// `id_token token`, from the token endpoint for `code` with the `openid` scope. Then
    /// a `nonce` is sent (OIDC Core §3.1.2.1, §3.2.2.1) and checked.
    pub(crate) fn wants_id_token(&self) -> bool {
        #[cfg(feature = "code")]
        if matches!(self.response_type, ResponseType::Code) {
            return self.scope.contains(&"openid");
        }
        self.response_type.has_id_token()
    }

    /// Writes the URL into `out` and returns it.
    ///
    /// # Errors
    /// [`Error::Config`] for a rule broken (see the type's docs);
    /// [`Error::BufferTooSmall`] with the exact URL length if `out` is too small, in which
    /// case `out` is left untouched (`write_into(&mut [])` is the sizing call).
    ///
    /// ```
    /// # use implicit_grant::{AuthorizeRequest, Error, ResponseType};
    /// let req = AuthorizeRequest::new("https://a.example/authorize", "c", "https://b.example/cb")
    ///     .response_type(ResponseType::Token)
    ///     .state("xyz");
    /// let Err(Error::BufferTooSmall { required }) = req.write_into(&mut []) else { panic!() };
    /// let mut buf = [0u8; 256];
    /// assert_eq!(req.write_into(&mut buf)?.len(), required);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn write_into<'o>(&self, out: &'o mut [u8]) -> Result<&'o str, Error> {
        self.validate()?;
        Ok(sink::write_exact(out, |w| self.render(w))?)
    }

    /// Writes the URL into any `core::fmt::Write` sink.
    ///
    /// # Errors
    /// [`Error::Config`] for a rule broken (nothing is written then); [`Error::Write`] if the
    /// sink refuses a write (it may then hold a prefix of the URL).
    ///
    /// ```
    /// # use implicit_grant::{AuthorizeRequest, ResponseType};
    /// let req = AuthorizeRequest::new("https://a.example/authorize", "c", "https://b.example/cb")
    ///     .response_type(ResponseType::Token)
    ///     .state("xyz");
    /// let mut url = String::new();
    /// req.write_to(&mut url)?;
    /// assert!(url.ends_with("&state=xyz"));
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    pub fn write_to(&self, w: &mut impl fmt::Write) -> Result<(), Error> {
        self.validate()?;
        self.render(&mut Fmt(w)).map_err(|_| Error::Write)
    }

    /// Writes the URL into a `heapless::String<N>`.
    ///
    /// # Errors
    /// As [`write_into`](Self::write_into): [`Error::BufferTooSmall`] when `N` is too small.
    ///
    /// ```
    /// # use implicit_grant::{AuthorizeRequest, ResponseType};
    /// let req = AuthorizeRequest::new("https://a.example/authorize", "c", "https://b.example/cb")
    ///     .response_type(ResponseType::Token)
    ///     .state("xyz");
    /// let url = req.to_string::<256>()?;
    /// assert!(url.starts_with("https://a.example/authorize?response_type=token&"));
    /// # Ok::<(), implicit_grant::Error>(())
    /// ```
    pub fn to_string<const N: usize>(&self) -> Result<heapless::String<N>, Error> {
        self.validate()?;
        Ok(sink::to_heapless(|w| self.render(w))?)
    }

    pub(crate) fn render(&self, w: &mut dyn Sink) -> fmt::Result {
        w.put(self.endpoint)?;
        w.put(separator(self.endpoint))?;
        w.put("response_type=")?;
        w.put_encoded(self.response_type.as_str())?;
        pair(w, "&client_id=", self.client_id)?;
        pair(w, "&redirect_uri=", self.redirect_uri)?;
        list(w, "&scope=", self.scope.iter().copied())?;
        pair(w, "&audience=", self.audience.unwrap_or_default())?;
        pair(w, "&state=", self.state.unwrap_or_default())?;
        pair(w, "&nonce=", self.nonce.unwrap_or_default())?;
        #[cfg(feature = "code")]
        if let Some(challenge) = self.code_challenge {
            pair(w, "&code_challenge=", challenge)?;
            w.put("&code_challenge_method=S256")?;
        }
        pair(
            w,
            "&response_mode=",
            self.response_mode.map_or("", ResponseMode::as_str),
        )?;
        list(w, "&prompt=", self.prompt.iter().map(|p| p.as_str()))?;
        if let Some(max_age) = self.max_age {
            w.put("&max_age=")?;
            w.put(decimal(max_age.as_secs(), &mut [0; 20]))?;
        }
        pair(w, "&login_hint=", self.login_hint.unwrap_or_default())?;
        list(w, "&ui_locales=", self.ui_locales.iter().copied())?;
        pair(w, "&display=", self.display.map_or("", Display::as_str))?;
        pair(w, "&id_token_hint=", self.id_token_hint.unwrap_or_default())?;
        list(w, "&acr_values=", self.acr_values.iter().copied())?;
        self.extra.iter().try_for_each(|&(name, value)| {
            if value.is_empty() {
                return Ok(());
            }
            w.put("&")?;
            w.put(name)?;
            w.put("=")?;
            w.put_encoded(value)
        })
    }

    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        use ConfigError::{Invalid, Missing};
        check_url(self.endpoint, Param::Endpoint, self.allow_loopback_http)?;
        check_url(
            self.redirect_uri,
            Param::RedirectUri,
            self.allow_loopback_http,
        )?;
        required(self.client_id, Param::ClientId)?;
        required(self.state.unwrap_or_default(), Param::State)?;
        optional(self.audience, Param::Audience, syntax::is_vschar)?;
        optional_text(self.login_hint, Param::LoginHint, is_text_char)?;
        optional(self.id_token_hint, Param::IdTokenHint, syntax::is_jws_char)?;
        tokens(self.scope, Param::Scope, syntax::is_nqchar)?;
        text_tokens(self.acr_values, Param::AcrValues)?;
        tokens(self.ui_locales, Param::UiLocales, |b| {
            b.is_ascii_alphanumeric() || b == b'-'
        })?;
        if self.wants_id_token() {
            required(self.nonce.unwrap_or_default(), Param::Nonce)?;
            if !self.scope.contains(&"openid") {
                return Err(ConfigError::MissingOpenidScope);
            }
        } else {
            optional(self.nonce, Param::Nonce, syntax::is_vschar)?;
        }
        #[cfg(feature = "code")]
        self.validate_code()?;
        let prompt_none = self.prompt.contains(&Prompt::None);
        if prompt_none && self.prompt.len() > 1 {
            return Err(ConfigError::PromptNoneCombined);
        }
        let mut prompts = self.prompt.iter().enumerate();
        if prompts.any(|(i, p)| self.prompt.get(..i).is_some_and(|seen| seen.contains(p))) {
            return Err(Invalid(Param::Prompt));
        }
        if prompt_none && self.max_age.is_some_and(|m| m.as_secs() == 0) {
            return Err(ConfigError::MaxAgeZeroWithPromptNone);
        }
        for (i, &(name, _)) in self.extra.iter().enumerate() {
            if !syntax::all_of(name.bytes(), percent::is_unreserved) {
                return Err(if name.is_empty() {
                    Missing(Param::Extra)
                } else {
                    Invalid(Param::Extra)
                });
            }
            if let Some(&(_, param)) = RESERVED.iter().find(|(r, _)| *r == name) {
                return Err(ConfigError::Reserved(param));
            }
            if let Some(&(_, param)) = FORBIDDEN.iter().find(|(r, _)| *r == name) {
                return Err(ConfigError::Forbidden(param));
            }
            let earlier = self.extra.get(..i).unwrap_or_default();
            if earlier.iter().any(|&(other, _)| other == name) {
                return Err(ConfigError::Repeated(Param::Extra));
            }
        }
        check_endpoint_query(
            self.endpoint,
            Param::Endpoint,
            &[RESERVED, FORBIDDEN],
            self.extra,
        )
    }
}

#[cfg(feature = "code")]
impl AuthorizeRequest<'_> {
    /// `code` goes with a PKCE challenge and the implicit types without; `query` is the
    /// code flow's response mode only (MRT §5).
    fn validate_code(&self) -> Result<(), ConfigError> {
        let code = matches!(self.response_type, ResponseType::Code);
        match (code, self.code_challenge) {
            (true, None) => return Err(ConfigError::Missing(Param::CodeChallenge)),
            (false, Some(_)) => return Err(ConfigError::Forbidden(Param::CodeChallenge)),
            _ => {}
        }
        if !code && self.response_mode == Some(ResponseMode::Query) {
            return Err(ConfigError::Forbidden(Param::ResponseMode));
        }
        Ok(())
    }
}

/// The endpoint's own query is kept (RFC 6749 §3.1) but may not hold a name we write
/// (compared after percent-decoding, so `st%61te` is `state`): one of `written` (the
/// `FORBIDDEN` names refused as such) or of the `extra` parameters; nor a `;`: some servers
/// also split a query on `;`, so that `?a=1;state=x` would smuggle in a parameter the
/// checks never saw.
pub(super) fn check_endpoint_query(
    endpoint: &str,
    which: Param,
    written: &[&[(&str, Param)]],
    extra: &[(&str, &str)],
) -> Result<(), ConfigError> {
    let query = query(endpoint).unwrap_or_default();
    if query.as_bytes().contains(&b';') {
        return Err(ConfigError::Invalid(which));
    }
    for (name, value) in form::pairs(query) {
        if percent::validate(name).is_err() || percent::validate(value).is_err() {
            return Err(ConfigError::Invalid(which));
        }
        let decoded = || percent::decoded(name);
        let named = written
            .iter()
            .flat_map(|names| names.iter())
            .find(|(r, _)| decoded().eq(r.bytes()));
        match named {
            Some(&(_, param)) if FORBIDDEN.iter().any(|&(_, f)| f == param) => {
                return Err(ConfigError::Forbidden(param));
            }
            Some(&(_, param)) => return Err(ConfigError::Repeated(param)),
            None => {}
        }
        if extra.iter().any(|(e, _)| decoded().eq(e.bytes())) {
            return Err(ConfigError::Repeated(Param::Extra));
        }
    }
    Ok(())
}

/// `&name=value` (`prefix` is `&name=`), or nothing for an empty value.
pub(super) fn pair(w: &mut dyn Sink, prefix: &str, value: &str) -> fmt::Result {
    if value.is_empty() {
        return Ok(());
    }
    w.put(prefix)?;
    w.put_encoded(value)
}

/// `&name=a%20b%20c` (`prefix` is `&name=`), or nothing for an empty list.
pub(super) fn list<'v>(
    w: &mut dyn Sink,
    prefix: &str,
    items: impl Iterator<Item = &'v str>,
) -> fmt::Result {
    for (i, item) in items.enumerate() {
        w.put(if i == 0 { prefix } else { "%20" })?;
        w.put_encoded(item)?;
    }
    Ok(())
}

/// `n` in decimal, written at the end of `buf` (20 digits hold any `u64`).
fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut start = buf.len();
    for slot in buf.iter_mut().rev() {
        // `n % 10` is a single digit.
        *slot = b'0' | u8::try_from(n % 10).unwrap_or_default();
        start = start.saturating_sub(1);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let digits = buf.get(start..).unwrap_or_default();
    core::str::from_utf8(digits).unwrap_or_default()
}

/// A required value: `1*VSCHAR`; empty is missing.
pub(super) fn required(value: &str, param: Param) -> Result<(), ConfigError> {
    if value.is_empty() {
        Err(ConfigError::Missing(param))
    } else if !scan::all_bytes(value.as_bytes(), syntax::is_vschar) {
        Err(ConfigError::Invalid(param))
    } else {
        Ok(())
    }
}

/// An optional value: empty counts as absent (RFC 6749 §3.1).
pub(super) fn optional(
    value: Option<&str>,
    param: Param,
    class: impl Fn(u8) -> bool,
) -> Result<(), ConfigError> {
    match value {
        Some(v) if !v.is_empty() && !scan::all_bytes(v.as_bytes(), class) => {
            Err(ConfigError::Invalid(param))
        }
        _ => Ok(()),
    }
}

/// Text of OIDC Core §3.1.2.1 (`login_hint`): any Unicode scalar but a control character
/// (C0, DEL, C1; `char::is_control`).
pub(super) fn is_text_char(c: char) -> bool {
    !c.is_control()
}

/// An optional text value checked per character: empty counts as absent.
pub(super) fn optional_text(
    value: Option<&str>,
    param: Param,
    class: impl Fn(char) -> bool,
) -> Result<(), ConfigError> {
    match value {
        Some(v) if !v.chars().all(class) => Err(ConfigError::Invalid(param)),
        _ => Ok(()),
    }
}

/// Each token of a space-delimited text list (`acr_values`): non-empty; `NQCHAR` where ASCII
/// (no space, `"` or `\`), any non-control character beyond.
fn text_tokens(list: &[&str], param: Param) -> Result<(), ConfigError> {
    let token_char = |c: char| {
        if c.is_ascii() {
            // `c` is ASCII, so it is one byte.
            u8::try_from(c).is_ok_and(syntax::is_nqchar)
        } else {
            is_text_char(c)
        }
    };
    if list
        .iter()
        .all(|t| !t.is_empty() && t.chars().all(token_char))
    {
        Ok(())
    } else {
        Err(ConfigError::Invalid(param))
    }
}

/// Each token of a space-delimited list: non-empty and of `class`.
pub(super) fn tokens(
    list: &[&str],
    param: Param,
    class: impl Fn(u8) -> bool + Copy,
) -> Result<(), ConfigError> {
    if list
        .iter()
        .all(|t| !t.is_empty() && scan::all_bytes(t.as_bytes(), class))
    {
        Ok(())
    } else {
        Err(ConfigError::Invalid(param))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every name `render` can write is in `RESERVED`, so neither an extra nor the
    /// endpoint's query can add it a second time.
    #[test]
    fn every_written_name_is_reserved() {
        let mut url = std::string::String::new();
        AuthorizeRequest::new("https://a.example/authorize", "c", "https://b.example/cb")
            .scope(&["openid"])
            .audience("api")
            .state("s")
            .nonce("n")
            .response_mode(ResponseMode::FormPost)
            .prompt(&[Prompt::Login])
            .max_age(Duration::from_secs(1))
            .login_hint("h")
            .ui_locales(&["fr"])
            .display(Display::Page)
            .id_token_hint("a.b.c")
            .acr_values(&["1"])
            .write_to(&mut url)
            .unwrap();
        let (_, query) = url.split_once('?').unwrap();
        let mut names: std::vec::Vec<std::string::String> =
            form::pairs(query).map(|(n, _)| n.into()).collect();
        #[cfg(feature = "code")]
        {
            let challenge = crate::oauth::pkce::CodeVerifier::new(&"v".repeat(43))
                .unwrap()
                .challenge();
            let mut code_url = std::string::String::new();
            AuthorizeRequest::new("https://a.example/authorize", "c", "https://b.example/cb")
                .response_type(ResponseType::Code)
                .state("s")
                .code_challenge(&challenge)
                .write_to(&mut code_url)
                .unwrap();
            let (_, code_query) = code_url.split_once('?').unwrap();
            let code_names = form::pairs(code_query).map(|(n, _)| n);
            names.extend(
                code_names
                    .filter(|n| n.starts_with("code_challenge"))
                    .map(Into::into),
            );
        }
        // Without the feature, the names are reserved all the same.
        #[cfg(not(feature = "code"))]
        names.extend(["code_challenge".into(), "code_challenge_method".into()]);
        assert_eq!(names.len(), RESERVED.len());
        for name in names {
            assert!(RESERVED.iter().any(|&(r, _)| r == name), "{name}");
        }
    }

    #[test]
    fn decimal_writes_every_u64() {
        for n in [0, 7, 10, 86_400, u64::MAX] {
            assert_eq!(decimal(n, &mut [0; 20]), std::format!("{n}"));
        }
    }
}
