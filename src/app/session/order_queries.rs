//! What the app asks of the session's orders to decide when to act: what to poll, what is due
//! for auto-finish or auto-cancel, what is overdue, which purchases not confirmed may still be
//! found. Read only; the changes are in `order_changes.rs`.

use std::collections::HashSet;
use std::time::Instant;

use super::Session;
use crate::app::poll_driver::Target;
use crate::app::poller::{GRACE_MS, PollPolicy};
use crate::orders::reconcile::findable;
use crate::orders::{Millis, Order, OrderId, OrderState};

/// An order as (id, bought at): ids alone may repeat across days.
pub(in crate::app) type Bought = (String, Millis);

impl Session {
    /// This session's open orders: bought with its key (or at its address), not ended.
    pub(in crate::app) fn watched_ours(&self) -> impl Iterator<Item = &Order> {
        self.book
            .iter()
            .filter(|o| o.is_watched() && self.is_ours(o))
    }

    /// What the polling task is to ask about, each with its age on the monotonic clock.
    pub(in crate::app) fn poll_targets(
        &self,
        now: Instant,
        wall: Millis,
        aged: Instant,
    ) -> Vec<Target> {
        self.watched_ours()
            .map(|o| Target {
                order: o.clone(),
                seen_at: now,
                age_ms: self.clock.age_ms(o, wall, aged),
            })
            .collect()
    }

    /// Purchases of this key not confirmed that may still be among the open orders (bought
    /// less than `open_for` ago).
    pub(in crate::app) fn findable_attempts(
        &self,
        wall: Millis,
        open_for: i64,
    ) -> impl Iterator<Item = &Order> {
        self.book
            .iter()
            .filter(move |o| self.is_ours(o) && findable(o, wall, open_for))
    }

    /// Every order id the session follows (any key), so a listed order it has is not a
    /// candidate for a purchase not confirmed.
    pub(in crate::app) fn followed_ids(&self) -> HashSet<&str> {
        self.book.iter().map(|o| o.order_id.as_str()).collect()
    }

    /// Whether anything is open: a number waiting, or a purchase not confirmed.
    pub(in crate::app) fn has_open_orders(&self) -> bool {
        self.book
            .iter()
            .any(|o| o.is_watched() || o.state == OrderState::NotConfirmed)
    }

    /// Orders of this key whose code came at least `after_ms` ago (on a clock the computer's
    /// date cannot move), for auto-finish.
    pub(in crate::app) fn codes_older_than(
        &self,
        after_ms: i64,
        wall: Millis,
        aged: Instant,
    ) -> Vec<OrderId> {
        self.book
            .iter()
            .filter(|o| o.state == OrderState::CodeReceived && self.is_ours(o))
            .filter(|o| {
                self.clock
                    .code_age_ms(o, wall, aged)
                    .is_some_and(|age| age >= after_ms)
            })
            .map(Order::id)
            .collect()
    }

    /// Orders of this key without any SMS, past the cancel lock and within `before_ms` of their
    /// end, for auto-cancel. Asked until InstaOTP answers, but not for ever: past its lifetime
    /// and the grace, InstaOTP closes (and refunds) it anyway.
    pub(in crate::app) fn due_for_auto_cancel(
        &self,
        wall: Millis,
        lock_ms: i64,
        lifetime_ms: i64,
        before_ms: i64,
    ) -> Vec<OrderId> {
        self.book
            .iter()
            .filter(|o| o.no_sms_at_all() && self.is_ours(o))
            .filter(|o| {
                let now = self.now_for(o, wall);
                let open = now.saturating_sub(o.bought_at) < lifetime_ms.saturating_add(GRACE_MS);
                open && o.cancel_wait_ms(now, lock_ms) == 0
                    && o.expiry_ms(now, lifetime_ms) <= before_ms
            })
            .map(Order::id)
            .collect()
    }

    /// Open orders past their time: (of another key past the grace, of this key with a code
    /// past its lifetime and the grace), each as (id, bought at).
    pub(in crate::app) fn overdue(
        &self,
        policy: &PollPolicy,
        wall: Millis,
        mono: Instant,
    ) -> (Vec<Bought>, Vec<Bought>) {
        let pick = |ours: bool| {
            self.book
                .iter()
                .filter(|o| o.is_watched() && self.is_ours(o) == ours)
                .filter(|o| {
                    let age = self.clock.age_ms(o, wall, mono);
                    if ours {
                        policy.is_overdue_with_code(o, age)
                    } else {
                        policy.is_past_grace(age)
                    }
                })
                .map(|o| (o.order_id.clone(), o.bought_at))
                .collect()
        };
        (pick(false), pick(true))
    }

    /// The polling learns again how long codes take here (after a code came).
    pub(in crate::app) fn learn_typical_delays(&mut self) {
        let typical = crate::app::poller::typical_delays(self.book.iter());
        self.polling.lock().poller.set_typical(typical);
    }
}
