//! What the balance says of a purchase whose answer was lost. A drop is evidence only where
//! nothing else could explain it: other purchases of this app since, refunds, or other desks and
//! the website buying on the same account.

use rust_decimal::Decimal;

use super::{Millis, Order, OrderState};

/// What the card says of the balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BalanceEvidence {
    /// The balance before or now is not known.
    Unknown,
    /// Down by at least the price, and nothing else could explain it.
    ProbablyBought { down: Decimal },
    /// Not down at all, and nothing else could hide a drop.
    ProbablyNotBought,
    /// Down, but by less than the price.
    LessThanThePrice { down: Decimal },
    /// Moved, but other purchases or refunds on the account may explain it: the balance proves
    /// nothing either way.
    OthersMayExplain { down: Decimal },
}

/// What else moved the account's balance since `attempt` was asked for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OtherMoves {
    /// Other purchases of this account by this app since (bought or not confirmed).
    pub purchases: usize,
    /// Orders of this account that ended refunded since.
    pub refunds: usize,
    /// The account is used elsewhere too (other desks, the website): InstaOTP lists open orders
    /// this app did not buy.
    pub used_elsewhere: bool,
}

impl OtherMoves {
    fn any(self) -> bool {
        self.purchases > 0 || self.refunds > 0 || self.used_elsewhere
    }
}

/// What the balance says of `attempt`, given the balance now and what else moved it.
pub fn balance_evidence(
    attempt: &Order,
    now: Option<Decimal>,
    others: OtherMoves,
) -> BalanceEvidence {
    let (Some(before), Some(now)) = (attempt.balance_before, now) else {
        return BalanceEvidence::Unknown;
    };
    let Some(down) = before.checked_sub(now) else {
        return BalanceEvidence::Unknown;
    };
    if others.any() {
        return BalanceEvidence::OthersMayExplain { down };
    }
    if down >= attempt.price {
        BalanceEvidence::ProbablyBought { down }
    } else if down <= Decimal::ZERO {
        BalanceEvidence::ProbablyNotBought
    } else {
        BalanceEvidence::LessThanThePrice { down }
    }
}

/// What InstaOTP charged for `order`, read from the balance: the drop from the balance before
/// the purchase to `after`, read once it was done, where nothing else moved the balance and the
/// drop is near the list price (prices move during the day, but not by half). `None`: the
/// balance cannot tell.
pub fn charge_from_balance(order: &Order, after: Decimal, others: OtherMoves) -> Option<Decimal> {
    let drop = order.balance_before?.checked_sub(after)?;
    let half = order.price / Decimal::TWO;
    let near = drop > Decimal::ZERO && drop >= order.price - half && drop <= order.price + half;
    (!others.any() && near).then_some(drop)
}

/// Counts what else of this app moved the balance since `attempt` was asked for: `orders` are
/// the account's orders (the attempt among them or not).
pub fn other_moves<'a>(
    attempt: &Order,
    orders: impl IntoIterator<Item = &'a Order>,
    key: crate::orders::reconcile::KeyUse,
) -> OtherMoves {
    // A purchase asked for just before this one may have been charged after its balance read.
    const BEFORE_MS: Millis = 60_000;
    let since = attempt.bought_at.saturating_sub(BEFORE_MS);
    let mut moves = OtherMoves {
        used_elsewhere: key == crate::orders::reconcile::KeyUse::Shared,
        ..OtherMoves::default()
    };
    for o in orders {
        if o.order_id == attempt.order_id || o.state == OrderState::NotBought {
            continue;
        }
        if o.bought_at >= since {
            moves.purchases += 1;
        }
        if o.state.refunded() && o.closed_at.is_some_and(|at| at >= attempt.bought_at) {
            moves.refunds += 1;
        }
    }
    moves
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::reconcile::KeyUse;
    use crate::orders::test_support;

    const T: Millis = 1_795_000_000_000;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    /// Every row: balance before, now, what else moved it → what the card says.
    #[test]
    fn a_drop_is_evidence_only_where_nothing_else_explains_it() {
        let mut attempt = test_support::attempt("wa", T);
        attempt.price = d("12.50");
        let alone = OtherMoves::default();
        let shared = OtherMoves {
            used_elsewhere: true,
            ..alone
        };
        let two_unclear = OtherMoves {
            purchases: 1,
            ..alone
        };
        let refund = OtherMoves {
            refunds: 1,
            ..alone
        };
        use BalanceEvidence::*;
        let rows = [
            (
                Some("100"),
                Some("87.50"),
                alone,
                ProbablyBought { down: d("12.50") },
            ),
            (
                Some("100"),
                Some("80"),
                alone,
                ProbablyBought { down: d("20") },
            ),
            (Some("100"), Some("100"), alone, ProbablyNotBought),
            (
                Some("100"),
                Some("95"),
                alone,
                LessThanThePrice { down: d("5") },
            ),
            (
                Some("100"),
                Some("87.50"),
                shared,
                OthersMayExplain { down: d("12.50") },
            ),
            (
                Some("100"),
                Some("87.50"),
                two_unclear,
                OthersMayExplain { down: d("12.50") },
            ),
            (
                Some("100"),
                Some("100"),
                refund,
                OthersMayExplain { down: d("0") },
            ),
            (
                Some("100"),
                Some("100"),
                shared,
                OthersMayExplain { down: d("0") },
            ),
            (None, Some("87.50"), alone, Unknown),
            (Some("100"), None, alone, Unknown),
        ];
        for (before, now, others, want) in rows {
            attempt.balance_before = before.map(d);
            let got = balance_evidence(&attempt, now.map(d), others);
            assert_eq!(got, want, "{before:?} → {now:?} with {others:?}");
        }
    }

    /// Every row: balance before, after, what else moved it → the charge read from it.
    #[test]
    fn the_charge_is_the_balance_drop_only_where_nothing_else_moved_it() {
        let mut order = test_support::order("1", "wa", T);
        order.price = d("12.50");
        let alone = OtherMoves::default();
        let shared = OtherMoves {
            used_elsewhere: true,
            ..alone
        };
        let rows = [
            (Some("100"), "87.50", alone, Some("12.50")),
            (Some("100"), "86.20", alone, Some("13.80")),
            (Some("100"), "90.00", alone, Some("10.00")),
            // Two purchases' worth, nothing at all, or up: not this purchase's charge alone.
            (Some("100"), "75.00", alone, None),
            (Some("100"), "100", alone, None),
            (Some("100"), "101", alone, None),
            (Some("100"), "87.50", shared, None),
            (None, "87.50", alone, None),
        ];
        for (before, after, others, want) in rows {
            order.balance_before = before.map(d);
            assert_eq!(
                charge_from_balance(&order, d(after), others),
                want.map(d),
                "{before:?} → {after} with {others:?}"
            );
        }
    }

    #[test]
    fn other_purchases_and_refunds_since_are_counted() {
        let attempt = test_support::attempt("wa", T);
        let mut second = test_support::attempt("wa", T + 30_000);
        second.order_id = "attempt-2".into();
        let mut earlier = test_support::order("1", "wa", T - 10 * 60_000);
        earlier.close(OrderState::Cancelled, T + 5_000);
        let mut not_bought = test_support::attempt("wa", T + 1_000);
        not_bought.order_id = "attempt-3".into();
        not_bought.state = OrderState::NotBought;
        let moves = other_moves(
            &attempt,
            [&attempt, &second, &earlier, &not_bought],
            KeyUse::OnlyHere,
        );
        assert_eq!(
            moves,
            OtherMoves {
                purchases: 1,
                refunds: 1,
                used_elsewhere: false
            }
        );
        assert_eq!(
            other_moves(&attempt, [&attempt], KeyUse::Shared).purchases,
            0
        );
    }
}
