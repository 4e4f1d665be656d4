//! Layer 1: RFC 6749 / OIDC authorization request and response messages (pure functions).

pub mod authorize;
pub mod error_code;
pub mod response;
pub(crate) mod scope;
pub(crate) mod syntax;
pub(crate) mod url;
pub(crate) mod value;
