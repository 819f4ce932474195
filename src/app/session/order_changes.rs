//! Every change of an order goes through one of these methods: the session changes it in its
//! `OrderBook` and writes it (in the order given, on its writer thread). The app decides when;
//! what a change is and that it is kept are the session's.

use std::time::Instant;

use super::order_queries::Bought;
use super::{Session, belongs_to};
use crate::api::{ApiError, OrderStatus, ProviderError, SetStatusReply};
use crate::app::poller::PollPolicy;
use crate::orders::outcome::{StatusSetOutcome, settle_status_set};
use crate::orders::{Millis, Order, OrderState, now_millis};

impl Session {
    /// Changes the order `order_id` and writes it; returns what `change` returns.
    fn change_and_save<R>(
        &mut self,
        order_id: &str,
        change: impl FnOnce(&mut Order) -> R,
    ) -> Option<(R, Order)> {
        let changed = self
            .book
            .update(order_id, |order| (change(order), order.clone()));
        if let Some((_, order)) = &changed {
            self.save_order(order);
        }
        changed
    }

    /// The orders of the database just opened (newest first).
    pub(in crate::app) fn set_orders(&mut self, orders: Vec<Order>) {
        self.book.set_all(orders);
    }

    /// A purchase started by an earlier session of the same database joins this one: the row
    /// the new session may have read while the purchase was out is replaced.
    pub(in crate::app) fn join_purchase(&mut self, attempt_id: &str, kept: Order) {
        let kept_id = kept.order_id.clone();
        self.book
            .retain(|o| o.order_id != attempt_id && o.order_id != kept_id);
        self.book.add(kept);
    }

    /// A number bought: on top, pointed out; the next balance read may tell what it cost.
    pub(in crate::app) fn add_bought(&mut self, order: &Order) {
        self.reachable();
        self.pending_charge = Some(order.order_id.clone());
        self.highlight = Some(order.order_id.clone());
        self.book.add(order.clone());
    }

    /// A purchase refused: its attempt row stays in the history, "not bought".
    pub(in crate::app) fn keep_not_bought(&mut self, attempt: &Order) {
        self.book.add(attempt.clone());
    }

    /// A purchase not confirmed: its attempt on top, pointed out, and the open orders looked at
    /// `after` from now (the provider may list the sale a moment later).
    pub(in crate::app) fn keep_not_confirmed(
        &mut self,
        attempt: &Order,
        after: std::time::Duration,
    ) {
        self.highlight = Some(attempt.order_id.clone());
        self.book.add(attempt.clone());
        self.next_reconcile = Some(Instant::now() + after);
    }

    /// The order found for a purchase attempt (by its id) takes the attempt's place.
    pub(in crate::app) fn adopt(&mut self, attempt_id: &str, order: Order) {
        self.highlight = Some(order.order_id.clone());
        self.book.put_on_top(attempt_id, order);
    }

    /// A `getStatus` answer: the order before and after (written by the caller's steps only
    /// when something changed, `app::after_status`).
    pub(in crate::app) fn apply_status(
        &mut self,
        order_id: &str,
        status: &OrderStatus,
        lifetime_ms: i64,
    ) -> Option<(Order, Order)> {
        self.reachable();
        self.book.update(order_id, |order| {
            let before = order.clone();
            order.apply_status(status, now_millis(), lifetime_ms);
            (before, order.clone())
        })
    }

    /// A `getStatus` that failed: `problem` is shown on the order. A "not known" ends it only
    /// when said twice a minute apart (written then); returns the order and whether it ended.
    pub(in crate::app) fn apply_poll_failure(
        &mut self,
        order_id: &str,
        e: &ApiError,
        problem: String,
        not_known_yet: &str,
        cancel_lock_ms: i64,
    ) -> Option<(Order, bool)> {
        // On the order's own clock, which a change of the computer's date does not move.
        let now = self.now_for_id(order_id).unwrap_or_else(now_millis);
        let not_known = matches!(e.provider_error(), Some(ProviderError::NoActivation));
        let (ended, order) = self.book.update(order_id, |order| {
            order.problem = Some(problem);
            if let ApiError::Unexpected { text } = e {
                order.raw_reply = Some(text.clone());
            }
            let ended = not_known && order.not_known(now, cancel_lock_ms);
            if not_known && !ended {
                // One answer proves nothing: said as such while the app asks again.
                order.problem = Some(not_known_yet.to_owned());
            }
            (ended, order.clone())
        })?;
        if not_known {
            self.save_order(&order);
        }
        Some((order, ended))
    }

    /// A `setStatus` answer or failure (`orders::outcome::settle_status_set`), written when it
    /// changed the order.
    pub(in crate::app) fn settle_status_set(
        &mut self,
        order_id: &str,
        result: &Result<SetStatusReply, ApiError>,
        cancel_lock_ms: i64,
    ) -> Option<(StatusSetOutcome, Order)> {
        let wall = now_millis();
        let order_now = self.now_for_id(order_id).unwrap_or(wall);
        let (outcome, order) = self.book.update(order_id, |order| {
            let outcome = settle_status_set(order, result, order_now, wall, cancel_lock_ms);
            (outcome, order.clone())
        })?;
        if matches!(
            outcome,
            StatusSetOutcome::Done(_) | StatusSetOutcome::AlreadyEnded(_)
        ) {
            self.save_order(&order);
        }
        Some((outcome, order))
    }

    /// `EARLY_CANCEL_DENIED` to a cancel of `order_id`: the provider's lock is longer than the
    /// one believed (`lock_ms`); the next cancel of any order waits past it. Returns the lock
    /// kept from now.
    pub(in crate::app) fn learn_cancel_lock(
        &mut self,
        order_id: &str,
        lock_ms: i64,
        lifetime_ms: i64,
    ) -> i64 {
        let Some(order) = self.order(order_id) else {
            return lock_ms;
        };
        let age = self
            .now_for(order, now_millis())
            .saturating_sub(order.bought_at);
        let learned = crate::orders::outcome::learned_cancel_lock(lock_ms, age, lifetime_ms);
        if learned > lock_ms {
            tracing::info!(
                learned_ms = learned,
                "this provider's cancel lock is longer"
            );
            self.learned_cancel_lock_ms = Some(learned);
        }
        learned
    }

    /// What the provider charged for an order, kept in place of the list price.
    pub(in crate::app) fn set_charged(&mut self, order_id: &str, charged: rust_decimal::Decimal) {
        self.change_and_save(order_id, |order| order.charged = Some(charged));
    }

    /// What InstaOTP charged for the order just bought, where the balance read after it can
    /// tell (nothing else moved the balance): kept with the order in place of the list price.
    pub(in crate::app) fn charge_from_balance(&mut self, id: &str, balance: rust_decimal::Decimal) {
        use crate::orders::evidence::{charge_from_balance, other_moves};
        let Some(order) = self.order(id).filter(|o| o.charged.is_none()) else {
            return;
        };
        let ours = self.book.iter().filter(|o| self.is_ours(o));
        // What the app saw only: the setting is a promise about the future, not about this charge.
        let key = crate::orders::reconcile::KeyUse::of(true, self.used_elsewhere);
        let others = other_moves(order, ours, key);
        let Some(charged) = charge_from_balance(order, balance, others) else {
            return;
        };
        self.set_charged(id, charged);
    }

    /// What the provider's list of open orders says of this session's watched orders: the
    /// charge (`activationCost`) and a phone the sale did not name. Returns how many changed.
    pub(in crate::app) fn apply_listed(
        &mut self,
        active: &[crate::api::active::ActiveActivation],
    ) -> usize {
        let account = self.account.clone();
        let ours = |o: &Order| o.is_watched() && belongs_to(o, account.as_deref());
        let mut changed = Vec::new();
        self.book.update_each(ours, |order| {
            let Some(listed) = active.iter().find(|a| a.order_id == order.order_id) else {
                return;
            };
            let cost = listed
                .cost
                .filter(|c| crate::api::amount::is_usual(*c) && *c >= rust_decimal::Decimal::ZERO);
            let mut change = false;
            if cost.is_some() && order.charged != cost {
                order.charged = cost;
                change = true;
            }
            if let Some(phone) = listed.phone.as_ref().filter(|_| order.phone.is_empty()) {
                order.phone.clone_from(phone);
                change = true;
            }
            if change {
                changed.push(order.clone());
            }
        });
        for order in &changed {
            self.save_order(order);
        }
        changed.len()
    }

    /// A number cancelled for having no SMS after `secs`: said so on the order.
    pub(in crate::app) fn mark_no_code_after(&mut self, order_id: &str, secs: u64) {
        self.change_and_save(order_id, |order| order.no_code_after_secs = Some(secs));
    }

    /// The order `replaces` was replaced by `new_id`.
    pub(in crate::app) fn link_replacement(&mut self, replaces: &str, new_id: &str) {
        self.change_and_save(replaces, |old| old.replaced_by = Some(new_id.to_owned()));
    }

    /// The person leaves an open order of another key (or address): it ends here, refund not
    /// confirmed. Only such an order.
    pub(in crate::app) fn leave_other_key_order(&mut self, order_id: &str) {
        let account = self.account.clone();
        let pick = |o: &Order| {
            o.order_id == order_id && o.is_watched() && !belongs_to(o, account.as_deref())
        };
        let left = self.book.update_first(pick, |order| {
            end_as_other_keys(order, now_millis());
            order.by_user = true;
            order.clone()
        });
        if let Some(order) = left {
            self.save_order(&order);
        }
    }

    /// The person says a not-confirmed purchase of this key was not bought.
    pub(in crate::app) fn mark_not_bought(&mut self, attempt_id: &str) {
        let account = self.account.clone();
        let pick = |o: &Order| {
            o.order_id == attempt_id
                && o.state == OrderState::NotConfirmed
                && belongs_to(o, account.as_deref())
        };
        let closed = self.book.update_first(pick, |attempt| {
            attempt.close(OrderState::NotBought, now_millis());
            attempt.by_user = true;
            attempt.clone()
        });
        if let Some(attempt) = closed {
            self.save_order(&attempt);
        }
    }

    /// Closed orders bought before `before` leave the list (the database deletes them too).
    pub(in crate::app) fn forget_history_before(&mut self, before: Millis) {
        self.book.retain(|o| o.is_active() || o.bought_at >= before);
    }

    /// Ends the open orders past their time (`Session::overdue`): one of another key (or
    /// address) past its lifetime and the grace, its refund not confirmed; one of this key with a
    /// code past them, "with a code" (never refunded). Each is written.
    pub(in crate::app) fn end_overdue(&mut self, policy: &PollPolicy, wall: Millis, mono: Instant) {
        let (others, overdue) = self.overdue(policy, wall, mono);
        if others.is_empty() && overdue.is_empty() {
            return;
        }
        let picked = |among: Vec<Bought>| {
            move |o: &Order| {
                among
                    .iter()
                    .any(|(id, at)| *id == o.order_id && *at == o.bought_at)
            }
        };
        self.end_orders(picked(others), |order| {
            end_as_other_keys(order, wall);
            tracing::info!("an order of another key ended after its lifetime");
        });
        self.end_orders(picked(overdue), |order| {
            order.close(OrderState::EndedWithCode, wall);
            tracing::info!("an order with a code ended after its lifetime");
        });
    }

    /// Ends, and writes, the watched orders `pick` chooses with `end`; returns them.
    fn end_orders(
        &mut self,
        pick: impl Fn(&Order) -> bool,
        mut end: impl FnMut(&mut Order),
    ) -> Vec<Order> {
        let mut ended = Vec::new();
        self.book.update_each(
            |o| o.is_watched() && pick(o),
            |order| {
                end(order);
                ended.push(order.clone());
            },
        );
        for order in &ended {
            self.save_order(order);
        }
        ended
    }

    /// Whether the delivery record is to be read again, and that a read starts now.
    pub(in crate::app) fn delivery_stale(&self) -> bool {
        self.book.delivery_stale()
    }

    pub(in crate::app) fn delivery_read_started(&mut self) {
        self.book.delivery_read_started();
    }

    /// Something changed the record outside the orders (a purchase written by the worker, old
    /// history deleted on disk).
    pub(in crate::app) fn mark_delivery_stale(&mut self) {
        self.book.mark_delivery_stale();
    }
}

/// Ends an open order this session may not ask about (bought with another key or at another
/// address): with its code where one was seen, else "refund not confirmed", said as such.
fn end_as_other_keys(order: &mut Order, now: Millis) {
    let state = if order.code.is_some() {
        OrderState::EndedWithCode
    } else {
        OrderState::EndedRefundUnconfirmed
    };
    order.close(state, now);
    order.problem = Some(crate::text::ENDED_OTHER_KEY.to_owned());
}
