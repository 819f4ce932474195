//! How old each order is, on a clock the computer's date cannot move. An order seen in this run
//! (bought, or read from the database at start) is aged by the monotonic clock from then on, so
//! setting the system clock forward or back neither unlocks Cancel early nor cancels orders
//! early. Across a restart the stored purchase time is used, clamped by the order methods so no
//! lock is ever longer than the lock itself.

use std::collections::HashMap;
use std::time::Instant;

use crate::orders::{Millis, Order};

#[derive(Default)]
pub struct OrderClock {
    /// When this run first saw each order, and how old it was then (milliseconds).
    seen: HashMap<String, (Instant, Millis)>,
    /// When this run saw each order's latest code arrive.
    codes: HashMap<String, Instant>,
}

impl OrderClock {
    /// Starts aging `order` on the monotonic clock (once; later calls change nothing).
    pub fn track(&mut self, order: &Order, wall_now: Millis, mono_now: Instant) {
        // Called every frame for every open order: no key is allocated once it is known.
        if !self.seen.contains_key(&order.order_id) {
            let age = wall_now.saturating_sub(order.bought_at).max(0);
            self.seen.insert(order.order_id.clone(), (mono_now, age));
        }
    }

    /// The "now" to measure `order`'s countdowns against: its purchase time plus its age.
    pub fn now_for(&self, order: &Order, wall_now: Millis, mono_now: Instant) -> Millis {
        match self.seen.get(&order.order_id) {
            Some((seen_at, age_then)) => {
                let since = mono_now.saturating_duration_since(*seen_at).as_millis();
                let since = Millis::try_from(since).unwrap_or(Millis::MAX);
                order
                    .bought_at
                    .saturating_add(age_then.saturating_add(since))
            }
            None => wall_now,
        }
    }

    /// The order's latest code came now (auto-finish counts from here).
    pub fn code_came(&mut self, order_id: &str, mono_now: Instant) {
        self.codes.insert(order_id.to_owned(), mono_now);
    }

    /// How long ago the order's latest code came (never negative): on the monotonic clock when
    /// it came in this run, else from its stored time. `None` before a code.
    pub fn code_age_ms(
        &self,
        order: &Order,
        wall_now: Millis,
        mono_now: Instant,
    ) -> Option<Millis> {
        let code_at = order.code_at?;
        Some(match self.codes.get(&order.order_id) {
            Some(at) => Millis::try_from(mono_now.saturating_duration_since(*at).as_millis())
                .unwrap_or(Millis::MAX),
            None => wall_now.saturating_sub(code_at).max(0),
        })
    }

    /// The order's age in milliseconds (never negative).
    pub fn age_ms(&self, order: &Order, wall_now: Millis, mono_now: Instant) -> Millis {
        self.now_for(order, wall_now, mono_now)
            .saturating_sub(order.bought_at)
            .max(0)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::orders::test_support::order;

    const LOCK_MS: i64 = 120_000;

    #[test]
    fn a_clock_set_back_or_forward_changes_no_countdown() {
        let o = order("1", "WA", 1_000_000);
        let mut clock = OrderClock::default();
        let t0 = Instant::now();
        // Seen 10 s after purchase.
        clock.track(&o, 1_010_000, t0);
        let in_30s = t0 + Duration::from_secs(30);
        // The system clock is set an hour back, then a day forward: 40 s old either way.
        for wall in [1_040_000 - 3_600_000, 1_040_000 + 86_400_000] {
            let now = clock.now_for(&o, wall, in_30s);
            assert_eq!(now - o.bought_at, 40_000);
            assert_eq!(o.cancel_wait_ms(now, LOCK_MS), 80_000);
            assert_eq!(clock.age_ms(&o, wall, in_30s), 40_000);
        }
    }

    #[test]
    fn an_order_not_seen_uses_the_stored_time_and_no_lock_is_longer_than_the_lock() {
        let o = order("1", "WA", 1_000_000);
        let clock = OrderClock::default();
        let t0 = Instant::now();
        assert_eq!(clock.now_for(&o, 1_050_000, t0), 1_050_000);
        // The clock is far behind the purchase time: the lock is at most the lock.
        let behind = clock.now_for(&o, 0, t0);
        assert_eq!(o.cancel_wait_ms(behind, LOCK_MS), LOCK_MS);
        assert_eq!(clock.age_ms(&o, 0, t0), 0);
    }

    #[test]
    fn tracking_twice_keeps_the_first_sighting() {
        let o = order("1", "WA", 0);
        let mut clock = OrderClock::default();
        let t0 = Instant::now();
        clock.track(&o, 5_000, t0);
        clock.track(&o, 999_999, t0 + Duration::from_secs(1));
        assert_eq!(clock.age_ms(&o, 0, t0 + Duration::from_secs(2)), 7_000);
    }
}
