//! Layer 0: the crate's one instant type. Spans are `core::time::Duration`.

use core::time::Duration;

use crate::limits::MAX_UNIX_TIME;

/// An instant: seconds since the Unix epoch, 1970-01-01T00:00:00Z, leap seconds ignored
/// (RFC 7519 §2, "NumericDate"). The one time type of the crate: the current time the caller
/// passes in, the claims `exp`, `iat`, `nbf` and `auth_time`, and the instants it hands back.
/// Spans are [`core::time::Duration`]s.
///
/// A claim may carry a fraction of a second: it is kept as a flag, so that time checks
/// never round a deadline past its true value.
///
/// ```
/// use core::time::Duration;
/// use implicit_grant::UnixTime;
/// let now = UnixTime::from_secs(1_311_280_970);
/// let later = now.saturating_add(Duration::from_secs(3600));
/// assert_eq!(later.as_secs(), 1_311_284_570);
/// assert_eq!(later.duration_since(now), Some(Duration::from_secs(3600)));
/// assert!(now < later);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnixTime {
    secs: u64,
    fraction: bool,
}

impl UnixTime {
    /// A whole number of seconds since the epoch.
    ///
    /// ```
    /// let d = implicit_grant::UnixTime::from_secs(1311281970);
    /// assert_eq!(d.as_secs(), 1311281970);
    /// ```
    #[must_use]
    pub const fn from_secs(secs: u64) -> Self {
        Self {
            secs,
            fraction: false,
        }
    }

    /// The whole seconds since the epoch (the value rounded down).
    ///
    /// ```
    /// assert_eq!(implicit_grant::UnixTime::from_secs(7).as_secs(), 7);
    /// ```
    #[must_use]
    pub const fn as_secs(self) -> u64 {
        self.secs
    }

    /// The instant `span` later, saturating at `u64::MAX` seconds (a fraction is dropped).
    ///
    /// ```
    /// # use {core::time::Duration, implicit_grant::UnixTime};
    /// let t = UnixTime::from_secs(u64::MAX - 1).saturating_add(Duration::from_secs(9));
    /// assert_eq!(t.as_secs(), u64::MAX);
    /// ```
    #[must_use]
    pub const fn saturating_add(self, span: Duration) -> Self {
        Self::from_secs(self.secs.saturating_add(span.as_secs()))
    }

    /// The instant `span` earlier, saturating at the epoch (a fraction is dropped).
    ///
    /// ```
    /// # use {core::time::Duration, implicit_grant::UnixTime};
    /// let t = UnixTime::from_secs(100).saturating_sub(Duration::from_secs(160));
    /// assert_eq!(t, UnixTime::from_secs(0));
    /// ```
    #[must_use]
    pub const fn saturating_sub(self, span: Duration) -> Self {
        Self::from_secs(self.secs.saturating_sub(span.as_secs()))
    }

    /// The whole seconds from `earlier` to `self`; `None` when `earlier` is later.
    ///
    /// ```
    /// # use {core::time::Duration, implicit_grant::UnixTime};
    /// let (a, b) = (UnixTime::from_secs(10), UnixTime::from_secs(70));
    /// assert_eq!(b.duration_since(a), Some(Duration::from_secs(60)));
    /// assert_eq!(a.duration_since(b), None);
    /// ```
    #[must_use]
    pub const fn duration_since(self, earlier: Self) -> Option<Duration> {
        match self.secs.checked_sub(earlier.secs) {
            Some(secs) => Some(Duration::from_secs(secs)),
            None => None,
        }
    }

    /// Whether the value had a non-zero fraction of a second (only a claim can).
    ///
    /// ```
    /// assert!(!implicit_grant::UnixTime::from_secs(7).has_fraction());
    /// ```
    #[must_use]
    pub const fn has_fraction(self) -> bool {
        self.fraction
    }

    /// The value rounded up: for whole seconds `n`, `n < x` ⇔ `n < ceil(x)`.
    pub(crate) const fn ceil(self) -> u64 {
        self.secs.saturating_add(self.fraction as u64)
    }

    /// Reads a JSON number: integers, fractions and exponents (`1.31128197E+9`) alike.
    /// `None` for negative values, values past [`MAX_UNIX_TIME`], or huge exponents.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        if text.starts_with('-') {
            return None;
        }
        let (mantissa, exponent) = match text.find(['e', 'E']) {
            Some(i) => (
                text.get(..i)?,
                parse_exponent(text.get(i.checked_add(1)?..)?)?,
            ),
            None => (text, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        // The value is digits × 10^(exponent − frac.len()), digits = int ++ frac.
        let digits = || int.bytes().chain(frac.bytes()).skip_while(|&b| b == b'0');
        let scale = exponent.checked_sub(i64::try_from(frac.len()).ok()?)?;
        let count = i64::try_from(digits().count()).ok()?;
        // Digits before the decimal point of the value, after scaling.
        let whole = count.checked_add(scale)?;
        if whole > 12 {
            return None;
        }
        let whole_digits = usize::try_from(whole.max(0)).ok()?;
        let mut secs = 0u64;
        let mut fraction = false;
        let padded = digits().map(Some).chain(core::iter::repeat(None));
        for (i, d) in padded.enumerate() {
            if i < whole_digits {
                let d = d.map_or(0, |b| u64::from(b.wrapping_sub(b'0')));
                secs = secs.checked_mul(10)?.checked_add(d)?;
            } else {
                fraction |= d.is_some_and(|b| b != b'0');
                if d.is_none() {
                    break;
                }
            }
        }
        (secs <= MAX_UNIX_TIME.as_secs()).then_some(Self { secs, fraction })
    }
}

/// `[+-]?digits` as an `i64`, refusing more than 6 digits.
fn parse_exponent(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, text.get(1..)?),
        b'+' => (false, text.get(1..)?),
        _ => (false, text),
    };
    if digits.is_empty() || digits.len() > 6 {
        return None;
    }
    let value: i64 = digits.parse().ok()?;
    Some(if negative {
        value.checked_neg()?
    } else {
        value
    })
}
