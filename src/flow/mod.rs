//! Layer 3: the two flow entry points, the only code that calls [`crate::Random`] and
//! [`crate::TransactionStore`].

mod begin;
mod complete;
mod config;
mod hint;
mod owned;
pub(crate) mod transaction;

pub use begin::begin;
pub use complete::{Outcome, Session, complete};
pub use config::{
    AuthorizationEndpoint, ClientId, Config, ConfigBuilder, IssParameter, Issuer, RedirectUri,
};
pub use hint::IdTokenHint;
pub use owned::OwnedConfig;
