//! Layer 0: byte codecs. Each dependency is named in exactly one file here.

pub(crate) mod base64url;
pub(crate) mod digest;
pub(crate) mod form;
pub(crate) mod json;
pub(crate) mod percent;
pub(crate) mod scan;
pub(crate) mod sink;
