use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// Largest decimal exponent (position of the most significant digit) we accept. Go's
/// `big.Float`, which Terraform uses, tops out near 10^646456992; we stay a little above
/// that so every number Terraform can send fits, while keeping arithmetic on exponents safe.
const MAX_MAGNITUDE: i64 = 1_000_000_000;

/// An arbitrary-precision cty number: a finite decimal of any length, or ±infinity.
///
/// Values are kept normalised (no leading or trailing zeros, no negative zero), so the
/// derived `==`/`Hash` compare numeric values: `1`, `1.0` and `1e0` are the same number.
/// The canonical text form is [`Display`](fmt::Display): plain decimal for ordinary
/// magnitudes (`42`, `-0.5`), scientific beyond 20 padding zeros (`1e+21`), `+Inf`/`-Inf`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Number(Repr);

#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    /// `(-1)^negative × digits × 10^exponent`; `digits` holds ASCII digits without leading
    /// or trailing zeros and is empty for zero (then `negative` is false and `exponent` 0).
    Finite {
        negative: bool,
        digits: String,
        exponent: i64,
    },
    PosInf,
    NegInf,
}

/// Why a text could not be read as a number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseNumberError {
    #[error("a number cannot be NaN")]
    NaN,
    #[error("{0:?} is not a decimal number")]
    Invalid(String),
    #[error("number {0:?} is too large or too small to represent")]
    OutOfRange(String),
}

impl Number {
    /// Zero.
    pub fn zero() -> Self {
        Number(Repr::Finite {
            negative: false,
            digits: String::new(),
            exponent: 0,
        })
    }

    /// Positive infinity (Terraform can produce it, e.g. `1/0`).
    pub fn infinity() -> Self {
        Number(Repr::PosInf)
    }

    /// Negative infinity.
    pub fn neg_infinity() -> Self {
        Number(Repr::NegInf)
    }

    /// The exact value of `f`, like cty's `NumberFloatVal` (so `0.1` becomes the binary
    /// value 0.1000000000000000055511151231257827021181583404541015625; parse `"0.1"` for
    /// the decimal). NaN is rejected; ±infinity is kept.
    pub fn from_f64(f: f64) -> Result<Self, ParseNumberError> {
        if f.is_nan() {
            return Err(ParseNumberError::NaN);
        }
        if f.is_infinite() {
            return Ok(if f > 0.0 {
                Number::infinity()
            } else {
                Number::neg_infinity()
            });
        }
        let text = format!("{:.*}", exact_fraction_digits(f), f);
        text.parse()
    }

    /// Reads a decimal number: optional sign, digits with an optional fraction and an
    /// optional exponent (`-12.5e3`), or `inf`/`infinity` (any case, optional sign).
    pub fn parse(text: &str) -> Result<Self, ParseNumberError> {
        let invalid = || ParseNumberError::Invalid(truncated(text));
        let bytes = text.as_bytes();
        let (negative, rest) = match bytes.first() {
            Some(b'-') => (true, &bytes[1..]),
            Some(b'+') => (false, &bytes[1..]),
            _ => (false, bytes),
        };
        if rest.eq_ignore_ascii_case(b"inf") || rest.eq_ignore_ascii_case(b"infinity") {
            return Ok(if negative {
                Number::neg_infinity()
            } else {
                Number::infinity()
            });
        }
        if rest.eq_ignore_ascii_case(b"nan") {
            return Err(ParseNumberError::NaN);
        }

        let mut digits = String::new();
        let mut fraction_len: i64 = 0;
        let mut seen_digit = false;
        let mut seen_point = false;
        let mut i = 0;
        while i < rest.len() {
            match rest[i] {
                c @ b'0'..=b'9' => {
                    seen_digit = true;
                    if !(digits.is_empty() && c == b'0') {
                        digits.push(c as char);
                    }
                    if seen_point {
                        fraction_len += 1;
                    }
                }
                b'.' if !seen_point => seen_point = true,
                b'e' | b'E' => break,
                _ => return Err(invalid()),
            }
            i += 1;
        }
        if !seen_digit {
            return Err(invalid());
        }
        let mut exponent: i64 = 0;
        if i < rest.len() {
            let exp = &rest[i + 1..];
            let (exp_negative, exp_digits) = match exp.first() {
                Some(b'-') => (true, &exp[1..]),
                Some(b'+') => (false, &exp[1..]),
                _ => (false, exp),
            };
            if exp_digits.is_empty() || !exp_digits.iter().all(u8::is_ascii_digit) {
                return Err(invalid());
            }
            for &d in exp_digits {
                exponent = exponent
                    .saturating_mul(10)
                    .saturating_add(i64::from(d - b'0'));
            }
            if exp_negative {
                exponent = -exponent;
            }
        }
        // Digits were pushed after skipping leading zeros, but zeros after the point still
        // count toward the fraction length: `0.05` pushes "5" with fraction_len 2.
        Number::from_parts(negative, digits, exponent.saturating_sub(fraction_len))
            .ok_or_else(|| ParseNumberError::OutOfRange(truncated(text)))
    }

    /// Builds a normalised number from `digits × 10^exponent`, or `None` when out of range.
    fn from_parts(negative: bool, mut digits: String, mut exponent: i64) -> Option<Self> {
        let trailing = digits.len() - digits.trim_end_matches('0').len();
        digits.truncate(digits.len() - trailing);
        if digits.is_empty() {
            return Some(Number::zero());
        }
        exponent = exponent.checked_add(trailing as i64)?;
        let magnitude = exponent.checked_add(digits.len() as i64)?;
        if !(-MAX_MAGNITUDE..=MAX_MAGNITUDE).contains(&magnitude) {
            return None;
        }
        Some(Number(Repr::Finite {
            negative,
            digits,
            exponent,
        }))
    }

    /// True for finite whole numbers.
    pub fn is_integer(&self) -> bool {
        matches!(&self.0, Repr::Finite { exponent, .. } if *exponent >= 0)
    }

    /// True for ±infinity.
    pub fn is_infinite(&self) -> bool {
        matches!(self.0, Repr::PosInf | Repr::NegInf)
    }

    /// The value as `i64` when it is a whole number in range.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_i128().and_then(|v| i64::try_from(v).ok())
    }

    /// The value as `u64` when it is a non-negative whole number in range.
    pub fn as_u64(&self) -> Option<u64> {
        self.as_i128().and_then(|v| u64::try_from(v).ok())
    }

    fn as_i128(&self) -> Option<i128> {
        let Repr::Finite {
            negative,
            digits,
            exponent,
        } = &self.0
        else {
            return None;
        };
        if *exponent < 0 || digits.len() as i64 + exponent > 20 {
            return None;
        }
        let mut value: i128 = 0;
        for d in digits.bytes() {
            value = value * 10 + i128::from(d - b'0');
        }
        for _ in 0..*exponent {
            value *= 10;
        }
        Some(if *negative { -value } else { value })
    }

    /// The nearest `f64` (correctly rounded; ±infinity beyond the `f64` range).
    pub fn as_f64(&self) -> f64 {
        match &self.0 {
            Repr::PosInf => f64::INFINITY,
            Repr::NegInf => f64::NEG_INFINITY,
            Repr::Finite { digits, .. } if digits.is_empty() => 0.0,
            Repr::Finite {
                negative,
                digits,
                exponent,
            } => {
                let sign = if *negative { "-" } else { "" };
                format!("{sign}{digits}e{exponent}")
                    .parse()
                    .expect("normalised digits with an integer exponent always parse as f64")
            }
        }
    }

    /// The value as `f64` only when that is exact (the number is a binary64 value).
    pub fn to_f64_exact(&self) -> Option<f64> {
        match &self.0 {
            Repr::PosInf => Some(f64::INFINITY),
            Repr::NegInf => Some(f64::NEG_INFINITY),
            // No f64 has more than 767 significant decimal digits, nor a magnitude
            // outside 10^-324..10^309, so skip the exact comparison for those.
            Repr::Finite {
                digits, exponent, ..
            } if digits.len() > 767
                || !(-330..=310).contains(&(digits.len() as i64 + exponent)) =>
            {
                None
            }
            Repr::Finite { .. } => {
                let f = self.as_f64();
                (f.is_finite() && Number::from_f64(f).ok().as_ref() == Some(self)).then_some(f)
            }
        }
    }

    fn magnitude_cmp(a: (&str, i64), b: (&str, i64)) -> Ordering {
        let (a_digits, a_exp) = a;
        let (b_digits, b_exp) = b;
        let a_pos = a_digits.len() as i64 + a_exp;
        let b_pos = b_digits.len() as i64 + b_exp;
        a_pos.cmp(&b_pos).then_with(|| a_digits.cmp(b_digits))
    }

    fn sign(&self) -> i8 {
        match &self.0 {
            Repr::PosInf => 1,
            Repr::NegInf => -1,
            Repr::Finite { digits, .. } if digits.is_empty() => 0,
            Repr::Finite { negative: true, .. } => -1,
            Repr::Finite { .. } => 1,
        }
    }
}

/// Numbers of fractional digits needed to print `f` exactly.
fn exact_fraction_digits(f: f64) -> usize {
    let bits = f.to_bits();
    let exp_bits = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1u64 << 52) - 1);
    let (mantissa, exp2) = if exp_bits == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), exp_bits - 1075)
    };
    if mantissa == 0 {
        return 0;
    }
    let exp2 = exp2 + i64::from(mantissa.trailing_zeros());
    if exp2 >= 0 { 0 } else { (-exp2) as usize }
}

fn truncated(text: &str) -> String {
    match text.char_indices().nth(64) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

impl Ord for Number {
    /// Numeric order; `-Inf` < every finite number < `+Inf`.
    fn cmp(&self, other: &Self) -> Ordering {
        let by_sign = self.sign().cmp(&other.sign());
        if by_sign != Ordering::Equal {
            return by_sign;
        }
        match (&self.0, &other.0) {
            (
                Repr::Finite {
                    negative,
                    digits: a,
                    exponent: ae,
                },
                Repr::Finite {
                    digits: b,
                    exponent: be,
                    ..
                },
            ) => {
                if a.is_empty() {
                    return Ordering::Equal;
                }
                let order = Number::magnitude_cmp((a, *ae), (b, *be));
                if *negative { order.reverse() } else { order }
            }
            (Repr::PosInf, Repr::PosInf) | (Repr::NegInf, Repr::NegInf) => Ordering::Equal,
            (Repr::PosInf, _) | (_, Repr::NegInf) => Ordering::Greater,
            (Repr::NegInf, _) | (_, Repr::PosInf) => Ordering::Less,
        }
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (negative, digits, exponent) = match &self.0 {
            Repr::PosInf => return f.write_str("+Inf"),
            Repr::NegInf => return f.write_str("-Inf"),
            Repr::Finite { digits, .. } if digits.is_empty() => return f.write_str("0"),
            Repr::Finite {
                negative,
                digits,
                exponent,
            } => (*negative, digits.as_str(), *exponent),
        };
        if negative {
            f.write_str("-")?;
        }
        let point = digits.len() as i64 + exponent;
        if (0..=20).contains(&exponent) {
            f.write_str(digits)?;
            (0..exponent).try_for_each(|_| f.write_str("0"))
        } else if exponent < 0 && point > 0 {
            let (int, frac) = digits.split_at(point as usize);
            write!(f, "{int}.{frac}")
        } else if exponent < 0 && point >= -20 {
            f.write_str("0.")?;
            (0..-point).try_for_each(|_| f.write_str("0"))?;
            f.write_str(digits)
        } else {
            let (first, rest) = digits.split_at(1);
            let exp10 = point - 1;
            let sign = if exp10 < 0 { '-' } else { '+' };
            let point_rest = if rest.is_empty() { "" } else { "." };
            write!(
                f,
                "{first}{point_rest}{rest}e{sign}{}",
                exp10.unsigned_abs()
            )
        }
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({self})")
    }
}

impl FromStr for Number {
    type Err = ParseNumberError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Number::parse(text)
    }
}

impl From<i64> for Number {
    fn from(v: i64) -> Self {
        v.to_string()
            .parse()
            .expect("an i64 in decimal is a valid number")
    }
}

impl From<i32> for Number {
    fn from(v: i32) -> Self {
        Number::from(i64::from(v))
    }
}

impl From<u64> for Number {
    fn from(v: u64) -> Self {
        v.to_string()
            .parse()
            .expect("a u64 in decimal is a valid number")
    }
}

impl TryFrom<f64> for Number {
    type Error = ParseNumberError;

    fn try_from(v: f64) -> Result<Self, Self::Error> {
        Number::from_f64(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(text: &str) -> Number {
        text.parse().unwrap()
    }

    #[test]
    fn equal_values_written_differently_are_equal() {
        assert_eq!(n("1"), n("1.0"));
        assert_eq!(n("1"), n("1e0"));
        assert_eq!(n("1"), Number::from(1i64));
        assert_eq!(n("100"), n("1e2"));
        assert_eq!(n("0.05"), n("5e-2"));
        assert_eq!(n("-0"), Number::zero());
        assert_eq!(n("000123.4500"), n("123.45"));
        assert_ne!(n("1"), n("1.0000000000000000000000000001"));
    }

    #[test]
    fn canonical_text_is_plain_for_ordinary_magnitudes() {
        assert_eq!(n("42").to_string(), "42");
        assert_eq!(n("-12.50").to_string(), "-12.5");
        assert_eq!(n("0.001").to_string(), "0.001");
        assert_eq!(n("1e20").to_string(), "100000000000000000000");
        assert_eq!(n("1e21").to_string(), "1e+21");
        assert_eq!(n("-1.5e-30").to_string(), "-1.5e-30");
        assert_eq!(
            n("123456789012345678901234567890").to_string(),
            "123456789012345678901234567890"
        );
        assert_eq!(n("inf").to_string(), "+Inf");
        assert_eq!(n("-Infinity").to_string(), "-Inf");
    }

    #[test]
    fn canonical_text_parses_back_to_the_same_number() {
        for text in [
            "0",
            "7",
            "-3.25",
            "1e+300",
            "1.5e-300",
            "0.000000000000000000001",
        ] {
            let number = n(text);
            assert_eq!(n(&number.to_string()), number, "{text}");
        }
    }

    #[test]
    fn parse_rejects_nan_and_garbage() {
        assert_eq!(Number::parse("NaN"), Err(ParseNumberError::NaN));
        assert!(Number::from_f64(f64::NAN).is_err());
        for bad in [
            "", "-", ".", "1.2.3", "1e", "1e+", "abc", "1,5", " 1", "1 ", "0x10", "e5",
        ] {
            assert!(Number::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(matches!(
            Number::parse("1e99999999999999999999"),
            Err(ParseNumberError::OutOfRange(_))
        ));
        assert_eq!(n("0e99999999999999999999"), Number::zero());
    }

    #[test]
    fn integer_conversions_check_range() {
        assert_eq!(n("9223372036854775807").as_i64(), Some(i64::MAX));
        assert_eq!(n("9223372036854775808").as_i64(), None);
        assert_eq!(n("9223372036854775808").as_u64(), Some(1u64 << 63));
        assert_eq!(n("-1").as_u64(), None);
        assert_eq!(n("2.5").as_i64(), None);
        assert_eq!(n("1e30").as_i64(), None);
        assert_eq!(n("12e3").as_i64(), Some(12000));
    }

    #[test]
    fn floats_convert_exactly() {
        assert_eq!(Number::from_f64(0.5).unwrap(), n("0.5"));
        assert_eq!(
            Number::from_f64(0.1).unwrap().to_string(),
            "0.1000000000000000055511151231257827021181583404541015625"
        );
        assert_eq!(n("0.1").as_f64(), 0.1);
        assert_eq!(n("0.1").to_f64_exact(), None);
        assert_eq!(n("0.5").to_f64_exact(), Some(0.5));
        assert_eq!(Number::from_f64(0.1).unwrap().to_f64_exact(), Some(0.1));
        assert_eq!(
            Number::from_f64(f64::MIN_POSITIVE / 3.0)
                .unwrap()
                .to_f64_exact(),
            Some(f64::MIN_POSITIVE / 3.0)
        );
        assert_eq!(n("1e400").as_f64(), f64::INFINITY);
        assert_eq!(n("1e400").to_f64_exact(), None);
        assert_eq!(Number::from_f64(f64::INFINITY).unwrap(), Number::infinity());
    }

    #[test]
    fn ordering_is_numeric() {
        let mut numbers = [
            n("10"),
            n("-Inf"),
            n("9.99"),
            n("-10"),
            n("0"),
            n("+Inf"),
            n("-0.5"),
            n("1e-5"),
        ];
        numbers.sort();
        let texts: Vec<String> = numbers.iter().map(Number::to_string).collect();
        assert_eq!(
            texts,
            ["-Inf", "-10", "-0.5", "0", "0.00001", "9.99", "10", "+Inf"]
        );
    }
}
