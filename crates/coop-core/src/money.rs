//! Money as integer cents, and the one way coop splits an amount into parts.

use serde::Serialize;

/// An amount in the co-op's currency, in cents. Never a float.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Money(pub i64);

impl Money {
    pub fn cents(self) -> i64 {
        self.0
    }

    /// Parses a decimal amount such as `100000.00`, `-12.5` or `7`: at most two decimals.
    pub fn parse(s: &str) -> Result<Money, String> {
        let t = s.trim();
        let err = || format!("{s:?} is not an amount (expected digits with up to two decimals, e.g. 1234.50)");
        let (neg, digits) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        let whole: i64 = whole.parse().map_err(|_| err())?;
        let frac_cents: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| err())? * 10,
            _ => frac.parse().map_err(|_| err())?,
        };
        let cents = whole.checked_mul(100).and_then(|c| c.checked_add(frac_cents)).ok_or_else(err)?;
        Ok(Money(if neg { -cents } else { cents }))
    }

    /// `1234.50`: the plain decimal form used in CSV and ledger exports.
    pub fn to_decimal(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", a / 100, a % 100)
    }
}

/// Splits `total` cents into parts proportional to `weights` by the largest-remainder method.
///
/// Each part gets the floor of its exact share; the cents left over go one each to the parts
/// with the largest remainders, ties to the lowest index (callers order parts by member id,
/// so ties go to the lowest member id). The parts always sum exactly to `total`. With no
/// positive weight there is nothing to divide by, and `None` is returned.
pub fn split_largest_remainder(total: i64, weights: &[u64]) -> Option<Vec<i64>> {
    let sum: u128 = weights.iter().map(|&w| w as u128).sum();
    if sum == 0 {
        return None;
    }
    let magnitude = total.unsigned_abs() as u128;
    let mut parts: Vec<u128> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(weights.len());
    for (i, &w) in weights.iter().enumerate() {
        let exact = magnitude * w as u128;
        parts.push(exact / sum);
        remainders.push((exact % sum, i));
    }
    let mut left = magnitude - parts.iter().sum::<u128>();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    let sign = if total < 0 { -1 } else { 1 };
    Some(parts.into_iter().map(|p| sign * p as i64).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parse_and_print() {
        assert_eq!(Money::parse("100000.00").unwrap(), Money(10_000_000));
        assert_eq!(Money::parse("-12.5").unwrap(), Money(-1250));
        assert_eq!(Money::parse("7").unwrap(), Money(700));
        assert!(Money::parse("1.234").is_err());
        assert!(Money::parse("1,000").is_err());
        assert!(Money::parse("").is_err());
        assert_eq!(Money(-1250).to_decimal(), "-12.50");
        assert_eq!(Money(5).to_decimal(), "0.05");
    }

    #[test]
    fn largest_remainder_hand_case() {
        // 100.00 in three equal parts: 33.34, 33.33, 33.33 (the odd cent to the lowest index).
        assert_eq!(split_largest_remainder(10_000, &[1, 1, 1]).unwrap(), vec![3334, 3333, 3333]);
        // 10 cents by 1:2:3 -> exact 1.67, 3.33, 5.00 -> 2, 3, 5.
        assert_eq!(split_largest_remainder(10, &[1, 2, 3]).unwrap(), vec![2, 3, 5]);
        assert_eq!(split_largest_remainder(-10, &[1, 1, 1]).unwrap(), vec![-4, -3, -3]);
        assert_eq!(split_largest_remainder(10, &[0, 0]), None);
    }

    proptest! {
        #[test]
        fn parts_sum_exactly_and_stay_within_a_cent(total in -10_000_000_000i64..10_000_000_000, weights in prop::collection::vec(0u64..1_000_000, 1..40)) {
            prop_assume!(weights.iter().any(|&w| w > 0));
            let parts = split_largest_remainder(total, &weights).unwrap();
            prop_assert_eq!(parts.iter().sum::<i64>(), total);
            let sum: f64 = weights.iter().map(|&w| w as f64).sum();
            for (p, &w) in parts.iter().zip(&weights) {
                let exact = total as f64 * w as f64 / sum;
                prop_assert!((*p as f64 - exact).abs() < 1.0 + 1e-6);
            }
        }
    }
}
