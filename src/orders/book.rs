//! The orders of one session, newest first. Its methods are the only way to change them, so it
//! keeps two facts no caller has to remember: a revision that moves on every change (the history
//! view is worked out again only then) and whether the delivery record must be read again (an
//! order was bought, got a code or ended).

use super::Order;

#[derive(Debug, Default)]
pub struct OrderBook {
    orders: Vec<Order>,
    rev: u64,
    delivery_stale: bool,
}

/// What of an order the delivery record is made of.
fn delivery_facts(order: &Order) -> (bool, Option<&str>, bool) {
    (
        order.is_attempt(),
        order.code.as_deref(),
        order.state.is_final(),
    )
}

impl OrderBook {
    /// The orders read at start (newest first); the delivery record is read for them.
    pub fn new(orders: Vec<Order>) -> Self {
        Self {
            orders,
            rev: 0,
            delivery_stale: true,
        }
    }

    pub fn all(&self) -> &[Order] {
        &self.orders
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Order> {
        self.orders.iter()
    }

    pub fn get(&self, order_id: &str) -> Option<&Order> {
        self.orders.iter().find(|o| o.order_id == order_id)
    }

    /// Moves on with every change of an order.
    pub fn rev(&self) -> u64 {
        self.rev
    }

    /// Every order in place of the ones there were (the orders database was read again).
    pub fn set_all(&mut self, orders: Vec<Order>) {
        self.orders = orders;
        self.changed(true);
    }

    /// Puts `order` on top in place of the row `old_id` (an attempt that became an order). An
    /// older row with the same id stays: providers may use an id again.
    pub fn put_on_top(&mut self, old_id: &str, order: Order) {
        self.orders.retain(|o| o.order_id != old_id);
        self.orders.insert(0, order);
        self.changed(true);
    }

    /// Puts a new row on top (a purchase, its attempt, an order found by its id).
    pub fn add(&mut self, order: Order) {
        self.orders.insert(0, order);
        self.changed(true);
    }

    /// Keeps only the orders `keep` says yes to; returns how many went.
    pub fn retain(&mut self, keep: impl FnMut(&Order) -> bool) -> usize {
        let before = self.orders.len();
        self.orders.retain(keep);
        let gone = before - self.orders.len();
        if gone > 0 {
            self.changed(true);
        }
        gone
    }

    /// Changes the order `order_id` (the first row with it) and returns what `change` returns,
    /// or `None` when there is no such order.
    pub fn update<R>(&mut self, order_id: &str, change: impl FnOnce(&mut Order) -> R) -> Option<R> {
        let i = self.orders.iter().position(|o| o.order_id == order_id)?;
        self.update_at(i, change)
    }

    /// Changes the first order `pick` chooses.
    pub fn update_first<R>(
        &mut self,
        pick: impl Fn(&Order) -> bool,
        change: impl FnOnce(&mut Order) -> R,
    ) -> Option<R> {
        let i = self.orders.iter().position(pick)?;
        self.update_at(i, change)
    }

    /// Changes every order `pick` chooses; returns how many changed.
    pub fn update_each(
        &mut self,
        pick: impl Fn(&Order) -> bool,
        mut change: impl FnMut(&mut Order),
    ) -> usize {
        let picked: Vec<usize> = (0..self.orders.len())
            .filter(|&i| self.orders.get(i).is_some_and(&pick))
            .collect();
        let mut changed = 0;
        for i in picked {
            let rev = self.rev;
            self.update_at(i, &mut change);
            changed += usize::from(self.rev != rev);
        }
        changed
    }

    fn update_at<R>(&mut self, i: usize, change: impl FnOnce(&mut Order) -> R) -> Option<R> {
        let order = self.orders.get_mut(i)?;
        let before = order.clone();
        let out = change(order);
        if *order != before {
            let delivery = delivery_facts(order) != delivery_facts(&before);
            self.changed(delivery);
        }
        Some(out)
    }

    fn changed(&mut self, delivery: bool) {
        self.rev = self.rev.wrapping_add(1);
        self.delivery_stale |= delivery;
    }

    /// Whether the delivery record is to be read again.
    pub fn delivery_stale(&self) -> bool {
        self.delivery_stale
    }

    /// The delivery record is being read: it is up to date with the book until the next change.
    pub fn delivery_read_started(&mut self) {
        self.delivery_stale = false;
    }

    /// Something outside the book changed the record (old history deleted on disk).
    pub fn mark_delivery_stale(&mut self) {
        self.delivery_stale = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::OrderState;
    use crate::orders::test_support;

    fn order(id: &str) -> Order {
        test_support::order(id, "WhatsApp", 1_000)
    }

    fn book() -> OrderBook {
        let mut book = OrderBook::new(vec![order("2"), order("1")]);
        book.delivery_read_started();
        book
    }

    /// Each change against what it does to the revision and to the delivery record.
    #[test]
    fn every_change_moves_the_revision_and_only_delivery_facts_stale_the_record() {
        type Change = fn(&mut OrderBook);
        let rows: [(&str, Change, bool, bool); 9] = [
            (
                "nothing changes",
                |b| {
                    b.update("1", |_| ());
                },
                false,
                false,
            ),
            (
                "unknown id",
                |b| {
                    b.update("9", |o| o.phone = "x".into());
                },
                false,
                false,
            ),
            (
                "a problem shown",
                |b| {
                    b.update("1", |o| o.problem = Some("p".into()));
                },
                true,
                false,
            ),
            (
                "a code came",
                |b| {
                    b.update("1", |o| o.code = Some("1234".into()));
                },
                true,
                true,
            ),
            (
                "it ended",
                |b| {
                    b.update("1", |o| o.close(OrderState::Cancelled, 5));
                },
                true,
                true,
            ),
            ("a purchase", |b| b.add(order("3")), true, true),
            (
                "an attempt became an order",
                |b| b.put_on_top("2", order("4")),
                true,
                true,
            ),
            (
                "old history deleted",
                |b| {
                    b.retain(|o| o.order_id != "1");
                },
                true,
                true,
            ),
            (
                "nothing deleted",
                |b| {
                    b.retain(|_| true);
                },
                false,
                false,
            ),
        ];
        for (what, change, moves, stale) in rows {
            let mut b = book();
            let rev = b.rev();
            change(&mut b);
            assert_eq!(b.rev() != rev, moves, "{what}: revision");
            assert_eq!(b.delivery_stale(), stale, "{what}: delivery record");
        }
    }

    #[test]
    fn a_row_on_top_replaces_its_attempt_and_keeps_an_older_row_of_the_same_id() {
        let mut b = book();
        b.put_on_top("2", order("1"));
        let ids: Vec<&str> = b.iter().map(|o| o.order_id.as_str()).collect();
        assert_eq!(ids, ["1", "1"]);
        assert!(b.get("2").is_none());
    }

    #[test]
    fn update_each_counts_the_orders_it_changed() {
        let mut b = book();
        b.update("1", |o| o.problem = Some("p".into()));
        let changed = b.update_each(|_| true, |o| o.problem = Some("p".into()));
        assert_eq!(changed, 1, "order 1 had the problem already");
    }
}
