//! Layer 3: the two flow entry points, the only code that calls [`crate::Random`] and
//! [`crate::TransactionStore`].

mod begin;
#[cfg(feature = "code")]
mod callback;
mod complete;
mod config;
mod hint;
mod owned;
#[cfg(feature = "code")]
mod refresh;
pub(crate) mod transaction;

pub use begin::begin;
#[cfg(feature = "code")]
pub use callback::{Callback, CodeGrant, Redeemed, callback};
pub use complete::{Outcome, Session, complete};
#[cfg(feature = "code")]
pub use config::TokenEndpoint;
pub use config::{
    AuthorizationEndpoint, ClientId, Config, ConfigBuilder, IssParameter, Issuer, RedirectUri,
};
pub use hint::IdTokenHint;
pub use owned::OwnedConfig;
#[cfg(feature = "code")]
pub use refresh::Refresh;
