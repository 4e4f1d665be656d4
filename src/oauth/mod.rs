//! Layer 1: RFC 6749 / OIDC authorization request and response messages (pure functions).

pub(crate) mod authorize;
pub(crate) mod error_code;
pub(crate) mod logout;
pub(crate) mod metadata;
pub(crate) mod param;
#[cfg(feature = "code")]
pub(crate) mod pkce;
pub(crate) mod response;
pub(crate) mod scope;
pub(crate) mod syntax;
#[cfg(feature = "code")]
pub(crate) mod token;
pub(crate) mod url;
pub(crate) mod value;
