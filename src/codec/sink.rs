//! Where URLs and headers are written: a sizing pass that only counts, a caller's slice, or
//! any `core::fmt::Write`. Pieces go in as they are ([`Sink::put`]) or percent-encoded
//! ([`Sink::put_encoded`]), so the sizing pass counts escapes instead of writing them.

use core::fmt;

use crate::codec::{percent, scan};

/// A destination for the pieces of a URL or header.
pub(crate) trait Sink {
    /// Appends `s` as it is.
    fn put(&mut self, s: &str) -> fmt::Result;

    /// Appends `value` percent-encoded as a query component ([`percent::encode`]).
    fn put_encoded(&mut self, value: &str) -> fmt::Result {
        percent::encode(value, |piece| self.put(piece))
    }
}

/// Counts bytes and writes nothing: the sizing pass.
#[derive(Default)]
pub(crate) struct Counter(pub(crate) usize);

/// Bounds the length from above without reading the values: a percent-encoded value is at
/// most three bytes per byte. When the output holds the bound, the exact sizing pass is
/// skipped.
#[derive(Default)]
struct Bound(usize);

impl Sink for Bound {
    fn put(&mut self, s: &str) -> fmt::Result {
        self.0 = self.0.checked_add(s.len()).ok_or(fmt::Error)?;
        Ok(())
    }

    fn put_encoded(&mut self, value: &str) -> fmt::Result {
        let escaped = value.len().checked_mul(3).ok_or(fmt::Error)?;
        self.0 = self.0.checked_add(escaped).ok_or(fmt::Error)?;
        Ok(())
    }
}

impl Sink for Counter {
    fn put(&mut self, s: &str) -> fmt::Result {
        self.0 = self.0.checked_add(s.len()).ok_or(fmt::Error)?;
        Ok(())
    }

    fn put_encoded(&mut self, value: &str) -> fmt::Result {
        self.0 = self
            .0
            .checked_add(percent::encoded_len(value))
            .ok_or(fmt::Error)?;
        Ok(())
    }
}

/// Writes into a caller slice; fails (without writing) on the first piece that does not fit.
pub(crate) struct SliceWriter<'o> {
    out: &'o mut [u8],
    len: usize,
}

impl<'o> SliceWriter<'o> {
    pub(crate) fn new(out: &'o mut [u8]) -> Self {
        Self { out, len: 0 }
    }

    /// The written prefix. Only `&str` pieces were written, so it is UTF-8.
    pub(crate) fn finish(self) -> &'o str {
        let written = self.out.get(..self.len).unwrap_or_default();
        core::str::from_utf8(written).unwrap_or_default()
    }
}

impl SliceWriter<'_> {
    /// The next `n` bytes of the output, now counted as written.
    /// Fails, counting nothing, when they do not fit.
    fn take(&mut self, n: usize) -> Result<&mut [u8], fmt::Error> {
        let start = self.len;
        let end = start.checked_add(n).ok_or(fmt::Error)?;
        let piece = self.out.get_mut(start..end).ok_or(fmt::Error)?;
        self.len = end;
        Ok(piece)
    }
}

impl Sink for SliceWriter<'_> {
    fn put(&mut self, s: &str) -> fmt::Result {
        self.take(s.len())?.copy_from_slice(s.as_bytes());
        Ok(())
    }

    /// Escapes straight into the output, after checking that the escaped value fits: its
    /// bound (three bytes a byte) first, its exact length only when the bound does not fit.
    fn put_encoded(&mut self, value: &str) -> fmt::Result {
        if scan::all_bytes(value.as_bytes(), percent::is_unreserved) {
            return self.put(value);
        }
        let rest = self.out.get_mut(self.len..).ok_or(fmt::Error)?;
        let fits = value.len().checked_mul(3).is_some_and(|n| n <= rest.len())
            || percent::encoded_len(value) <= rest.len();
        let written = fits
            .then(|| percent::encode_into(value, rest))
            .flatten()
            .ok_or(fmt::Error)?;
        self.len = self.len.checked_add(written).ok_or(fmt::Error)?;
        Ok(())
    }
}

/// Any `core::fmt::Write` (a `String`, a `heapless::String`).
pub(crate) struct Fmt<'w, W: fmt::Write + ?Sized>(pub(crate) &'w mut W);

impl<W: fmt::Write + ?Sized> Sink for Fmt<'_, W> {
    fn put(&mut self, s: &str) -> fmt::Result {
        self.0.write_str(s)
    }
}

/// Why a render into a buffer failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SinkError {
    /// The output needs `required` bytes.
    BufferTooSmall { required: usize },
    /// The renderer or the sink failed.
    Write,
}

/// Renders into `out` after a sizing pass, so a too-small buffer is left untouched and the
/// error carries the exact size. The sizing pass reads every value; a buffer that holds
/// the [`Bound`] (computed from lengths alone) does without it.
pub(crate) fn write_exact(
    out: &mut [u8],
    render: impl Fn(&mut dyn Sink) -> fmt::Result,
) -> Result<&str, SinkError> {
    let mut bound = Bound::default();
    if render(&mut bound).is_err() || bound.0 > out.len() {
        let mut counter = Counter::default();
        render(&mut counter).map_err(|_| SinkError::Write)?;
        if counter.0 > out.len() {
            return Err(SinkError::BufferTooSmall {
                required: counter.0,
            });
        }
    }
    let mut writer = SliceWriter::new(out);
    render(&mut writer).map_err(|_| SinkError::Write)?;
    Ok(writer.finish())
}

/// Renders into a `heapless::String<N>` after a sizing pass, as [`write_exact`] does.
pub(crate) fn to_heapless<const N: usize>(
    render: impl Fn(&mut dyn Sink) -> fmt::Result,
) -> Result<heapless::String<N>, SinkError> {
    let mut counter = Counter::default();
    render(&mut counter).map_err(|_| SinkError::Write)?;
    if counter.0 > N {
        return Err(SinkError::BufferTooSmall {
            required: counter.0,
        });
    }
    let mut out = heapless::String::new();
    render(&mut Fmt(&mut out)).map_err(|_| SinkError::Write)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value with escapes, in a buffer of exactly its encoded length: the bound (three
    /// bytes a byte) does not fit, the exact length does; one byte less fails unwritten.
    #[test]
    fn slice_writer_escapes_into_an_exact_buffer() {
        let value = "https://b.example/cb";
        let mut exact = [0u8; 28];
        let mut w = SliceWriter::new(&mut exact);
        assert_eq!(w.put_encoded(value), Ok(()));
        assert_eq!(w.finish(), "https%3A%2F%2Fb.example%2Fcb");
        let mut short = [b'x'; 28];
        let mut w = SliceWriter::new(&mut short[..27]);
        assert_eq!(w.put_encoded(value), Err(fmt::Error));
        assert_eq!(w.finish(), "");
        assert_eq!(short, [b'x'; 28]);
    }
}
