//! [`OwnedConfig`]: a [`Config`] that owns its strings, so that a host keeps its
//! configuration in a struct without keeping the buffers it was built from.

use core::fmt;
use core::time::Duration;

use heapless::Vec;
use zeroize::Zeroize;

use crate::algorithm::Algorithm;
use crate::error::ConfigError;
use crate::flow::config::{Config, IssParameter};
use crate::flow::hint::User;
use crate::limits::{MAX_OWNED_LIST, OWNED_CONFIG_TEXT};
use crate::oauth::authorize::{AuthorizeRequest, Display, Prompt, ResponseMode, ResponseType};

/// Where one string sits in the owned text (32-bit offsets: half the room of `usize`).
#[derive(Clone, Copy, Default)]
struct Span {
    start: u32,
    end: u32,
}

type Spans = Vec<Span, MAX_OWNED_LIST>;

/// A [`Config`] that owns its strings: `N` bytes of text (default
/// [`OWNED_CONFIG_TEXT`](crate::limits::OWNED_CONFIG_TEXT)) and up to
/// [`MAX_OWNED_LIST`](crate::limits::MAX_OWNED_LIST) items per list, inline, no heap.
///
/// Made from a built [`Config`], so it is valid the same way: there is one way to build a
/// configuration, and this is a copy of one. A configuration from discovery is built from
/// [`ProviderMetadata`](crate::ProviderMetadata), then owned, and the metadata's buffer can
/// go. [`OwnedConfig::with`] lends it as a [`Config`] to [`begin`](crate::begin) and
/// [`complete`](crate::complete): it copies no text and checks nothing again, but fills
/// arrays of borrowed slices on the stack for the lists (1.5 KB on a 64-bit target, half on
/// a 32-bit one).
///
/// # Security
/// It holds copies of `login_hint` and `id_token_hint` (personal data, and a replayable ID
/// token): its text is wiped when it is dropped. `Debug` redacts them as [`Config`] does.
///
/// ```
/// use implicit_grant::*;
/// struct App {
///     config: OwnedConfig,
///     store: MemoryStore<4>,
/// }
/// let scope = ["openid".to_owned(), "profile".to_owned()]; // say, read from a file
/// let scope: Vec<&str> = scope.iter().map(String::as_str).collect();
/// let config = Config::builder(
///     Issuer::new("https://op.example"),
///     AuthorizationEndpoint::new("https://op.example/authorize"),
///     ClientId::new("client"),
///     RedirectUri::new("https://app.example/cb"),
/// )
/// .scope(&scope)
/// .build()?;
/// let mut app = App { config: OwnedConfig::new(&config)?, store: MemoryStore::new() };
/// drop(scope); // the owned form keeps its own copy
///
/// # struct Rng; impl Random for Rng { fn fill_bytes(&mut self, d: &mut [u8]) -> Result<(), RandomError> { d.fill(7); Ok(()) } }
/// let mut url = [0u8; 512];
/// let now = UnixTime::from_secs(1_700_000_000);
/// let sent = app.config.with(|config| begin(config, &mut Rng, &mut app.store, now, &mut url))?;
/// assert!(sent.contains("&scope=openid%20profile&"));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone)]
pub struct OwnedConfig<const N: usize = OWNED_CONFIG_TEXT> {
    /// Every string back to back, UTF-8 at each span; wiped on drop.
    text: Vec<u8, N>,
    issuer: Span,
    endpoint: Span,
    client_id: Span,
    redirect_uri: Span,
    audience: Option<Span>,
    login_hint: Option<Span>,
    id_token_hint: Option<Span>,
    scope: Spans,
    ui_locales: Spans,
    acr_values: Spans,
    trusted_audiences: Spans,
    extra: Vec<(Span, Span), MAX_OWNED_LIST>,
    prompt: Vec<Prompt, MAX_OWNED_LIST>,
    algorithms: Vec<Algorithm, MAX_OWNED_LIST>,
    response_type: ResponseType,
    response_mode: Option<ResponseMode>,
    max_age: Option<Duration>,
    display: Option<Display>,
    allow_loopback_http: bool,
    leeway: Duration,
    transaction_lifetime: Duration,
    iss_parameter: IssParameter,
    hinted_user: Option<User>,
    #[cfg(feature = "code")]
    token_endpoint: Option<Span>,
}

impl<const N: usize> OwnedConfig<N> {
    /// Copies `config`.
    ///
    /// # Errors
    /// [`ConfigError::TextTooLongToOwn`] when its strings take more than `N` bytes (with
    /// the bytes they take), [`ConfigError::ListTooLongToOwn`] when a list has more than
    /// [`MAX_OWNED_LIST`](crate::limits::MAX_OWNED_LIST) items.
    ///
    /// ```
    /// use implicit_grant::*;
    /// let config = Config::builder(
    ///     Issuer::new("https://op.example"),
    ///     AuthorizationEndpoint::new("https://op.example/authorize"),
    ///     ClientId::new("client"),
    ///     RedirectUri::new("https://app.example/cb"),
    /// )
    /// .build()?;
    /// assert_eq!(
    ///     OwnedConfig::<32>::new(&config).err(),
    ///     // 18 + 28 + 6 + 22 bytes of identity, and "openid"
    ///     Some(ConfigError::TextTooLongToOwn { required: 80, capacity: 32 })
    /// );
    /// let owned = OwnedConfig::<128>::new(&config)?;
    /// assert_eq!(owned.with(|c| c.issuer().as_str().len()), 18);
    /// # Ok::<(), ConfigError>(())
    /// ```
    pub fn new(config: &Config<'_>) -> Result<Self, ConfigError> {
        let r = &config.request;
        let required = text_len(config);
        let too_long = ConfigError::TextTooLongToOwn {
            required,
            capacity: N,
        };
        if required > N {
            return Err(too_long);
        }
        let mut text = Vec::new();
        let mut put = |s: &str| -> Result<Span, ConfigError> {
            let start = u32::try_from(text.len()).map_err(|_| too_long)?;
            text.extend_from_slice(s.as_bytes()).map_err(|_| too_long)?;
            let end = u32::try_from(text.len()).map_err(|_| too_long)?;
            Ok(Span { start, end })
        };
        let issuer = put(config.issuer)?;
        let endpoint = put(r.endpoint)?;
        let client_id = put(r.client_id)?;
        let redirect_uri = put(r.redirect_uri)?;
        let audience = r.audience.map(&mut put).transpose()?;
        let login_hint = r.login_hint.map(&mut put).transpose()?;
        let id_token_hint = r.id_token_hint.map(&mut put).transpose()?;
        #[cfg(feature = "code")]
        let token_endpoint = config.token_endpoint.map(&mut put).transpose()?;
        let mut list = |name, items: &[&str]| -> Result<Spans, ConfigError> {
            let mut spans = Vec::new();
            for item in items {
                spans
                    .push(put(item)?)
                    .map_err(|_| ConfigError::ListTooLongToOwn(name))?;
            }
            Ok(spans)
        };
        let scope = list("scope", r.scope)?;
        let ui_locales = list("ui_locales", r.ui_locales)?;
        let acr_values = list("acr_values", r.acr_values)?;
        let trusted_audiences = list("trusted_audiences", config.trusted_audiences)?;
        let mut extra = Vec::new();
        for (name, value) in r.extra {
            extra
                .push((put(name)?, put(value)?))
                .map_err(|_| ConfigError::ListTooLongToOwn("extra"))?;
        }
        Ok(Self {
            issuer,
            endpoint,
            client_id,
            redirect_uri,
            audience,
            login_hint,
            id_token_hint,
            scope,
            ui_locales,
            acr_values,
            trusted_audiences,
            extra,
            prompt: Vec::from_slice(r.prompt)
                .map_err(|_| ConfigError::ListTooLongToOwn("prompt"))?,
            algorithms: Vec::from_slice(config.algorithms)
                .map_err(|_| ConfigError::ListTooLongToOwn("algorithms"))?,
            response_type: r.response_type,
            response_mode: r.response_mode,
            max_age: r.max_age,
            display: r.display,
            allow_loopback_http: r.allow_loopback_http,
            leeway: config.leeway,
            transaction_lifetime: config.transaction_lifetime,
            iss_parameter: config.iss_parameter,
            hinted_user: config.hinted_user,
            #[cfg(feature = "code")]
            token_endpoint,
            text,
        })
    }

    /// Lends the configuration as a [`Config`] to `f`, and returns what `f` returns.
    ///
    /// ```
    /// # use implicit_grant::*;
    /// # let config = Config::builder(Issuer::new("https://op.example"), AuthorizationEndpoint::new("https://op.example/a"), ClientId::new("c"), RedirectUri::new("https://app.example/cb")).build()?;
    /// let owned: OwnedConfig = OwnedConfig::new(&config)?;
    /// assert_eq!(owned.with(|c| c.client_id().as_str() == "c"), true);
    /// # Ok::<(), ConfigError>(())
    /// ```
    pub fn with<R>(&self, f: impl FnOnce(&Config<'_>) -> R) -> R {
        // Each span was copied from a `&str`, so this never fails and never drops text.
        let text = |span: Span| {
            let range = usize::try_from(span.start).ok()?..usize::try_from(span.end).ok()?;
            core::str::from_utf8(self.text.get(range)?).ok()
        };
        let text = |span: Span| text(span).unwrap_or_default();
        let mut scope = [""; MAX_OWNED_LIST];
        let mut ui_locales = [""; MAX_OWNED_LIST];
        let mut acr_values = [""; MAX_OWNED_LIST];
        let mut trusted_audiences = [""; MAX_OWNED_LIST];
        let mut extra = [("", ""); MAX_OWNED_LIST];
        let lists = [
            (&mut scope, &self.scope),
            (&mut ui_locales, &self.ui_locales),
            (&mut acr_values, &self.acr_values),
            (&mut trusted_audiences, &self.trusted_audiences),
        ];
        for (items, spans) in lists {
            for (item, &span) in items.iter_mut().zip(spans) {
                *item = text(span);
            }
        }
        for (pair, &(name, value)) in extra.iter_mut().zip(&self.extra) {
            *pair = (text(name), text(value));
        }
        let request = AuthorizeRequest {
            endpoint: text(self.endpoint),
            client_id: text(self.client_id),
            redirect_uri: text(self.redirect_uri),
            response_type: self.response_type,
            scope: scope.get(..self.scope.len()).unwrap_or_default(),
            audience: self.audience.map(text),
            state: None,
            nonce: None,
            response_mode: self.response_mode,
            prompt: &self.prompt,
            max_age: self.max_age,
            login_hint: self.login_hint.map(text),
            ui_locales: ui_locales.get(..self.ui_locales.len()).unwrap_or_default(),
            display: self.display,
            id_token_hint: self.id_token_hint.map(text),
            acr_values: acr_values.get(..self.acr_values.len()).unwrap_or_default(),
            extra: extra.get(..self.extra.len()).unwrap_or_default(),
            allow_loopback_http: self.allow_loopback_http,
            #[cfg(feature = "code")]
            code_challenge: None,
        };
        f(&Config {
            issuer: text(self.issuer),
            request,
            algorithms: &self.algorithms,
            trusted_audiences: trusted_audiences
                .get(..self.trusted_audiences.len())
                .unwrap_or_default(),
            leeway: self.leeway,
            transaction_lifetime: self.transaction_lifetime,
            iss_parameter: self.iss_parameter,
            hinted_user: self.hinted_user,
            #[cfg(feature = "code")]
            token_endpoint: self.token_endpoint.map(text),
        })
    }
}

/// Bytes of text `config` holds.
fn text_len(config: &Config<'_>) -> usize {
    let r = &config.request;
    #[cfg(feature = "code")]
    let token_endpoint = config.token_endpoint;
    #[cfg(not(feature = "code"))]
    let token_endpoint = None;
    let one = [r.audience, r.login_hint, r.id_token_hint, token_endpoint]
        .into_iter()
        .flatten();
    let lists = [
        r.scope,
        r.ui_locales,
        r.acr_values,
        config.trusted_audiences,
    ];
    [config.issuer, r.endpoint, r.client_id, r.redirect_uri]
        .into_iter()
        .chain(one)
        .chain(lists.into_iter().flatten().copied())
        .chain(r.extra.iter().flat_map(|&(name, value)| [name, value]))
        .fold(0, |sum: usize, s| sum.saturating_add(s.len()))
}

impl<const N: usize> Drop for OwnedConfig<N> {
    fn drop(&mut self) {
        self.text.as_mut_slice().zeroize();
    }
}

/// As the [`Config`] it holds: the same redactions.
impl<const N: usize> fmt::Debug for OwnedConfig<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.with(|config| fmt::Debug::fmt(config, f))
    }
}
