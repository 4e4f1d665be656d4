//! `core::fmt::Write` sinks: count what a formatter writes, or write into a caller slice.

use core::fmt;

/// Counts bytes and writes nothing: the sizing pass.
#[derive(Default)]
pub(crate) struct Counter(pub(crate) usize);

impl fmt::Write for Counter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 = self.0.checked_add(s.len()).ok_or(fmt::Error)?;
        Ok(())
    }
}

/// Writes into a caller slice; fails (without writing) on the first chunk that does not fit.
pub(crate) struct SliceWriter<'o> {
    out: &'o mut [u8],
    len: usize,
}

impl<'o> SliceWriter<'o> {
    pub(crate) fn new(out: &'o mut [u8]) -> Self {
        Self { out, len: 0 }
    }

    /// The written prefix. Only `&str` chunks were written, so it is UTF-8.
    pub(crate) fn finish(self) -> &'o str {
        let written = self.out.get(..self.len).unwrap_or_default();
        core::str::from_utf8(written).unwrap_or_default()
    }
}

impl fmt::Write for SliceWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        let dst = self.out.get_mut(self.len..end).ok_or(fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Formats `render` into `out` after a counting pass, so a too-small buffer is left untouched
/// and the error carries the exact size.
pub(crate) fn write_exact(
    out: &mut [u8],
    render: impl Fn(&mut dyn fmt::Write) -> Result<(), crate::Error>,
) -> Result<&str, crate::Error> {
    let mut counter = Counter::default();
    render(&mut counter)?;
    if counter.0 > out.len() {
        return Err(crate::Error::BufferTooSmall {
            required: counter.0,
        });
    }
    let mut writer = SliceWriter::new(out);
    render(&mut writer)?;
    Ok(writer.finish())
}
