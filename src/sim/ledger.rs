//! What the simulated provider sold and refunded to one account: the truth an app's history
//! totals are checked against.

use rust_decimal::Decimal;

use super::state::{SimOrder, SimOrderState};

/// The money side of one account's orders.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SimLedger {
    /// Numbers sold to the account.
    pub sold: usize,
    /// Sold and not refunded: the money that went.
    pub spent: Decimal,
    /// Orders refunded (cancelled before a code, or expired).
    pub refunded_orders: usize,
    /// The money that came back.
    pub refunded: Decimal,
}

impl SimLedger {
    /// The ledger of `key` over `orders`.
    pub fn of(orders: &[SimOrder], key: &str) -> Self {
        let mut ledger = SimLedger::default();
        for order in orders.iter().filter(|o| o.key == key) {
            ledger.sold += 1;
            if order.state == (SimOrderState::Cancelled { refunded: true }) {
                ledger.refunded_orders += 1;
                ledger.refunded = ledger.refunded.saturating_add(order.price);
            } else {
                ledger.spent = ledger.spent.saturating_add(order.price);
            }
        }
        ledger
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn order(id: &str, key: &str, cents: i64, state: SimOrderState) -> SimOrder {
        SimOrder {
            id: id.to_owned(),
            key: key.to_owned(),
            service: "wa".to_owned(),
            country: "22".to_owned(),
            server: "1".to_owned(),
            phone: "+910000000000".to_owned(),
            price: Decimal::new(cents, 2),
            state,
            created: Instant::now(),
        }
    }

    #[test]
    fn spent_and_refunded_per_key() {
        let orders = [
            order("1", "a", 1250, SimOrderState::Finished("1".into())),
            order("2", "a", 312, SimOrderState::Cancelled { refunded: true }),
            order("3", "a", 99, SimOrderState::Waiting),
            order("4", "a", 1, SimOrderState::Cancelled { refunded: false }),
            order("5", "b", 5000, SimOrderState::Cancelled { refunded: true }),
        ];
        let a = SimLedger::of(&orders, "a");
        assert_eq!(a.sold, 4);
        assert_eq!(a.spent, Decimal::new(1350, 2));
        assert_eq!((a.refunded_orders, a.refunded), (1, Decimal::new(312, 2)));
        let b = SimLedger::of(&orders, "b");
        assert_eq!(
            (b.sold, b.spent, b.refunded),
            (1, Decimal::ZERO, Decimal::new(5000, 2))
        );
        assert_eq!(SimLedger::of(&orders, "c"), SimLedger::default());
    }
}
