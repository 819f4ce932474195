//! Amounts of money the provider sends: which are believable, and the arithmetic on them, which
//! never panics whatever the provider sent.

use rust_decimal::Decimal;
use thiserror::Error;

use super::types::Balance;

/// No balance or price of a real account reaches a million million.
const MAX_USUAL: Decimal = Decimal::from_parts(0xD4A5_1000, 0xE8, 0, false, 0);
/// More decimals than any currency or per-unit price uses.
const MAX_USUAL_SCALE: u32 = 8;

/// A purchase the app refuses because an amount is not believable.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("an amount outside any real range")]
pub struct UnusualAmount;

/// True for an amount a real balance or price can be: not negative, below a million million,
/// at most 8 decimals.
pub fn is_usual(amount: Decimal) -> bool {
    !amount.is_sign_negative() && amount < MAX_USUAL && amount.scale() <= MAX_USUAL_SCALE
}

/// The balance after buying at `price`, or the refusal when either amount is unusual. `None`
/// balance (not known yet) checks the price alone.
pub fn balance_after(
    balance: Option<&Balance>,
    price: Decimal,
) -> Result<Option<Decimal>, UnusualAmount> {
    if !is_usual(price) {
        return Err(UnusualAmount);
    }
    let Some(balance) = balance else {
        return Ok(None);
    };
    if balance.is_unusual() {
        return Err(UnusualAmount);
    }
    balance
        .amount
        .checked_sub(price)
        .map(Some)
        .ok_or(UnusualAmount)
}

/// `a + b`, or `None` when the sum does not fit (only amounts far outside [`is_usual`] get there).
pub fn add(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_add(b)
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use proptest::prelude::*;

    use super::*;

    fn balance(amount: Decimal) -> Balance {
        Balance::new(amount, None, amount.to_string())
    }

    #[test]
    fn the_limits() {
        assert_eq!(MAX_USUAL, Decimal::from(1_000_000_000_000_i64));
        assert!(is_usual(Decimal::ZERO));
        assert!(is_usual(
            Decimal::from_str("999999999999.99999999").unwrap_or_default()
        ));
        assert!(!is_usual(Decimal::from_str("-0.01").unwrap_or_default()));
        assert!(!is_usual(MAX_USUAL));
        assert!(!is_usual(
            Decimal::from_str("0.000000001").unwrap_or_default()
        ));
        assert!(!is_usual(Decimal::MAX));
    }

    fn any_decimal() -> impl Strategy<Value = Decimal> {
        (
            any::<u32>(),
            any::<u32>(),
            any::<u32>(),
            any::<bool>(),
            0u32..=28,
        )
            .prop_map(|(lo, mid, hi, neg, scale)| Decimal::from_parts(lo, mid, hi, neg, scale))
    }

    proptest! {
        /// Any pair from the whole Decimal range: no panic; unusual amounts are refused, usual
        /// ones give the exact difference.
        #[test]
        fn balance_minus_price_never_panics(b in any_decimal(), p in any_decimal()) {
            let result = balance_after(Some(&balance(b)), p);
            if is_usual(b) && is_usual(p) {
                prop_assert_eq!(result, Ok(Some(b - p)));
            } else {
                prop_assert_eq!(result, Err(UnusualAmount));
            }
            let _ = add(b, p);
        }
    }
}
