//! Replace a number that gets no code (opt-in per purchase). A number of the plan that has had no
//! SMS of any kind for the chosen time, and is past the provider's cancel lock, is cancelled; only
//! once InstaOTP confirmed the cancel (the refund) is one number bought on the next server. A code
//! arriving meanwhile, a refusal, an unclear answer, the replacements used up or the spend limit
//! reached end it. Every step is an ordinary cancel or purchase (never repeated).

use crate::app::describe;
use std::time::Instant;

use rust_decimal::Decimal;

use super::App;
use super::batch_buy::{InFlight, Settled};
use crate::api::{Offer, SetAction};
use crate::offers::next_offer;
use crate::orders::{Millis, OrderId, OrderState, now_millis};
use crate::text;
use crate::worker::Job;

/// The most replacements one purchase may make.
pub const MAX_REPLACEMENTS: u8 = 5;

/// The cancel of a replacement waits this much beyond the cancel lock: the app dates a purchase
/// from its attempt, just before the request, and InstaOTP from its sale a moment later, so a
/// cancel sent the instant the lock ends can still be early for InstaOTP (`EARLY_CANCEL_DENIED`).
const LOCK_MARGIN_MS: i64 = 3_000;

/// What the person chose in the confirmation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReplaceOptions {
    /// No code within this long (and the cancel lock over): cancel and replace.
    pub wait_secs: u64,
    /// At most this many replacements.
    pub max: u8,
    /// The replacements together cost at most this much.
    pub spend_limit: Decimal,
    /// No replacement costs more than this (the price ceiling of Settings when bought).
    #[serde(default)]
    pub ceiling: Option<Decimal>,
}

/// Where a number of a plan is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Waiting for its code.
    Watching,
    /// Its cancel is out.
    Cancelling,
    /// Cancelled and refunded; its replacement is still to be bought.
    Due,
}

/// The replacements of one purchase (all its numbers).
#[derive(Debug, Clone)]
pub struct ReplacePlan {
    pub id: u64,
    /// What was bought first: the service and country every replacement keeps.
    pub offer: Offer,
    pub options: ReplaceOptions,
    /// Replacement purchases sent.
    pub used: u8,
    /// What the replacements sent cost (refunds not taken off: the limit is never passed).
    pub spent: Decimal,
    /// The servers each number's line of replacements was bought from, by its newest order.
    pub tried: std::collections::HashMap<String, Vec<String>>,
    /// Where each of the plan's numbers is in its replacement, in the order they got there.
    steps: Vec<(String, Step)>,
    /// "Stop replacing" was pressed.
    pub stopped: bool,
}

impl ReplacePlan {
    pub fn new(id: u64, offer: &Offer, options: ReplaceOptions) -> Self {
        Self {
            id,
            offer: offer.clone(),
            options,
            used: 0,
            spent: Decimal::ZERO,
            tried: std::collections::HashMap::new(),
            steps: Vec::new(),
            stopped: false,
        }
    }

    /// Nothing left to watch, cancel or buy.
    pub fn is_idle(&self) -> bool {
        self.steps.is_empty()
    }

    /// The step `order_id` is at in this plan, if it is in it.
    pub fn step_of(&self, order_id: &str) -> Option<Step> {
        self.steps
            .iter()
            .find(|(id, _)| id == order_id)
            .map(|(_, step)| *step)
    }

    /// The numbers at `step`, in the order they got there.
    pub fn at(&self, step: Step) -> impl Iterator<Item = &str> {
        self.steps
            .iter()
            .filter(move |(_, s)| *s == step)
            .map(|(id, _)| id.as_str())
    }

    /// How many numbers are at `step`.
    pub fn count_at(&self, step: Step) -> usize {
        self.at(step).count()
    }

    /// Moves `order_id` to `step` (last among those there).
    pub fn set_step(&mut self, order_id: &str, step: Step) {
        self.steps.retain(|(id, _)| id != order_id);
        self.steps.push((order_id.to_owned(), step));
    }

    /// Takes `order_id` out of the plan.
    pub fn drop_order(&mut self, order_id: &str) {
        self.steps.retain(|(id, _)| id != order_id);
    }

    /// Nothing more is watched or bought: only a cancel already out is still answered.
    pub fn stop(&mut self) {
        self.stopped = true;
        self.steps.retain(|(_, step)| *step == Step::Cancelling);
    }

    /// The money the plan may still spend.
    pub fn left(&self) -> Decimal {
        (self.options.spend_limit - self.spent).max(Decimal::ZERO)
    }

    /// Watches `order_id` for its code; its line was bought from `tried` (its server last).
    pub fn watch(&mut self, order_id: &str, tried: Vec<String>) {
        self.set_step(order_id, Step::Watching);
        self.tried.insert(order_id.to_owned(), tried);
    }

    /// The servers the line of `order_id` was bought from.
    fn tried_for(&self, order_id: &str) -> Vec<String> {
        self.tried
            .get(order_id)
            .cloned()
            .unwrap_or_else(|| vec![self.offer.server.clone()])
    }

    /// The offer the replacement of `order_id` would be bought from, when one may be bought:
    /// the lowest `rank` (see [`next_offer`]).
    pub fn next<'a, K: Ord>(
        &self,
        offers: &'a [Offer],
        order_id: &str,
        rank: impl Fn(&Offer) -> K,
    ) -> Result<&'a Offer, NoReplacement> {
        if self.used >= self.options.max {
            return Err(NoReplacement::AllUsed);
        }
        let tried = self.tried_for(order_id);
        // Offers above the price ceiling come last, and are never taken.
        let above = |o: &Offer| self.options.ceiling.is_some_and(|c| o.price > c);
        let next = next_offer(offers, &self.offer, &tried, |o| (above(o), rank(o)))
            .ok_or(NoReplacement::NoServer)?;
        if next.price > self.left() || above(next) {
            return Err(NoReplacement::OverLimit);
        }
        Ok(next)
    }
}

pub use crate::vocab::NoReplacement;

impl App {
    /// Each frame: cancels the plans' numbers that waited too long without any SMS, and buys the
    /// replacements whose cancel InstaOTP confirmed.
    pub(crate) fn replace_tick(&mut self) {
        // Closing: no new cancel, no new purchase; numbers still waiting stay ordinary orders.
        if self.closing_after_purchase {
            return;
        }
        self.cancel_silent_numbers();
        self.buy_due_replacement();
        if let Some(s) = self.session_mut() {
            // A plan ends once idle, unless its batch or its replacement purchase is still out.
            let batch_plan = s.batch.as_ref().and_then(|b| b.plan);
            let buying_for = match &s.in_flight {
                Some(InFlight::Replacement { plan, .. }) => Some(*plan),
                _ => None,
            };
            s.replacing
                .retain(|p| !p.is_idle() || Some(p.id) == batch_plan || Some(p.id) == buying_for);
        }
    }

    /// Milliseconds until the first watched number of a plan is due for its cancel, so the
    /// window wakes for it even when nothing else happens (`None`: none is waiting).
    pub(crate) fn next_replacement_due_ms(&self, wall: Millis, mono: Instant) -> Option<Millis> {
        let lock_ms = self.cancel_lock_ms();
        let s = self.session()?;
        s.replacing
            .iter()
            .filter(|p| !p.stopped)
            .flat_map(|plan| {
                let wait_ms =
                    i64::try_from(plan.options.wait_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
                plan.at(Step::Watching).filter_map(move |id| {
                    let order = s.order(id)?;
                    let age = s.clock.age_ms(order, wall, mono);
                    let due = wait_ms.max(lock_ms.saturating_add(LOCK_MARGIN_MS));
                    Some(due.saturating_sub(age))
                })
            })
            .filter(|&ms| ms > 0)
            .min()
    }

    /// Sends the cancel of every watched number that has had no SMS for the plan's time, past
    /// the cancel lock, when a replacement can be bought after it.
    fn cancel_silent_numbers(&mut self) {
        let lock_ms = self.cancel_lock_ms();
        let (wall, mono) = (now_millis(), crate::clock::monotonic());
        if self
            .session()
            .is_none_or(|s| s.replacing.iter().all(|p| p.count_at(Step::Watching) == 0))
        {
            return;
        }
        let busy = self.worker.orders_being_set();
        let mut to_cancel = Vec::new();
        let mut not_replaced = Vec::new();
        {
            let Some(s) = self.session_mut() else { return };
            let offer_list = &s.offers;
            let offers = offer_list.offers();
            // Out of the session while the orders are read, put back below.
            let mut plans = std::mem::take(&mut s.replacing);
            for plan in &mut plans {
                let wait_ms =
                    i64::try_from(plan.options.wait_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
                let watching: Vec<String> = plan.at(Step::Watching).map(str::to_owned).collect();
                for id in watching {
                    let Some(order) = s.order(&id) else {
                        plan.drop_order(&id);
                        continue;
                    };
                    if plan.stopped
                        || !order.no_sms_at_all()
                        || !super::session::belongs_to(order, s.account.as_deref())
                    {
                        plan.drop_order(&id);
                        continue;
                    }
                    let now = s.clock.now_for(order, wall, mono);
                    let age = now.saturating_sub(order.bought_at);
                    let due = age >= wait_ms
                        && age >= lock_ms.saturating_add(LOCK_MARGIN_MS)
                        && order.cancel_wait_ms(now, lock_ms) == 0;
                    if !due || busy.contains(id.as_str()) {
                        continue; // watched on
                    }
                    // Never cancel a number that could not be replaced.
                    let pipeline = plan.count_at(Step::Cancelling) + plan.count_at(Step::Due);
                    let planned = plan
                        .used
                        .saturating_add(u8::try_from(pipeline).unwrap_or(u8::MAX));
                    let mut ahead = plan.clone();
                    ahead.used = planned;
                    // The replacements already on their way will spend money too: each counted
                    // at the price of the server this one would go to.
                    let rank = |o: &Offer| offer_list.replacement_rank(o);
                    if let Ok(next) = ahead.next(offers, &id, rank) {
                        let pending = Decimal::from(u64::try_from(pipeline).unwrap_or(u64::MAX));
                        ahead.spent = ahead
                            .spent
                            .saturating_add(next.price.saturating_mul(pending));
                    }
                    match ahead.next(offers, &id, rank) {
                        Ok(_) => {
                            plan.set_step(&id, Step::Cancelling);
                            to_cancel.push(id);
                        }
                        Err(why) => {
                            plan.drop_order(&id);
                            not_replaced.push((order.phone.clone(), why));
                        }
                    }
                }
            }
            s.replacing = plans;
        }
        for (phone, why) in not_replaced {
            tracing::info!(?why, "a number without code is not replaced");
            self.messages.info(describe::not_replaced(&phone, why));
        }
        for id in to_cancel {
            tracing::info!("replace-if-no-code: cancelling a number without SMS");
            if !self.set_status(OrderId::new(id.as_str()), SetAction::Cancel) {
                // Not sent: watched again, so the plan never waits for an answer that can't come.
                self.watch_again(&id);
            }
        }
    }

    pub(crate) fn watch_again(&mut self, order_id: &str) {
        let Some(s) = self.session_mut() else { return };
        if let Some(plan) = s
            .replacing
            .iter_mut()
            .find(|p| p.step_of(order_id) == Some(Step::Cancelling))
        {
            plan.set_step(order_id, Step::Watching);
        }
    }

    /// The cancel of a number of a plan was answered: confirmed and refunded, with no SMS, it is
    /// replaced; otherwise the plan leaves it as it is and says why.
    pub(crate) fn replace_cancel_answered(&mut self, order_id: &str, confirmed: bool) {
        let Some(s) = self.session_mut() else { return };
        let Some(plan) = s
            .replacing
            .iter_mut()
            .find(|p| p.step_of(order_id) == Some(Step::Cancelling))
        else {
            return;
        };
        plan.drop_order(order_id);
        let (stopped, wait_secs) = (plan.stopped, plan.options.wait_secs);
        let plan_id = plan.id;
        let Some(order) = s.order(order_id).cloned() else {
            return;
        };
        let refunded = confirmed && order.state == OrderState::Cancelled && order.code.is_none();
        let phone = order.phone.clone();
        if refunded {
            s.mark_no_code_after(order_id, wait_secs);
            if !stopped && let Some(plan) = s.replacing.iter_mut().find(|p| p.id == plan_id) {
                plan.set_step(order_id, Step::Due);
            }
            return;
        }
        let sentence = if order.code.is_some() || order.raw_reply.is_some() {
            text::code_came_while_cancelling(&phone)
        } else {
            text::cancel_not_confirmed_no_replacement(&phone)
        };
        tracing::info!("replace-if-no-code: cancel not confirmed, not replaced");
        self.messages.info(sentence);
    }

    /// Buys one replacement whose cancel was confirmed, when no other purchase is out.
    fn buy_due_replacement(&mut self) {
        if self.worker.is_busy(&Job::Purchase) {
            return;
        }
        let next = {
            let Some(s) = self.session() else { return };
            if s.batch.is_some() {
                return;
            }
            let Some((plan, old_id)) = s
                .replacing
                .iter()
                .find_map(|p| Some((p, p.at(Step::Due).next()?.to_owned())))
            else {
                return;
            };
            let balance = s.balance.as_ref().map(|(b, _)| b.amount);
            let phone = s
                .order(&old_id)
                .map(|o| o.phone.clone())
                .unwrap_or_default();
            let next = plan
                .next(s.offers.offers(), &old_id, |o| s.offers.replacement_rank(o))
                .cloned();
            (plan.id, old_id, next, balance, phone)
        };
        let (plan_id, old_id, offer, balance, phone) = next;
        if let Some(plan) = self.plan_mut(plan_id) {
            plan.drop_order(&old_id);
        }
        let offer = match offer {
            Ok(offer) => offer,
            Err(why) => {
                self.messages.info(describe::not_replaced(&phone, why));
                return;
            }
        };
        let purpose = InFlight::Replacement {
            plan: plan_id,
            replaces: old_id.clone(),
        };
        if self.send_purchase(&offer, Some(old_id), balance, purpose)
            && let Some(plan) = self.plan_mut(plan_id)
        {
            tracing::info!(server = %offer.server, "replace-if-no-code: buying a replacement");
            plan.used += 1;
            plan.spent += offer.price;
        }
    }

    fn plan_mut(&mut self, id: u64) -> Option<&mut ReplacePlan> {
        self.session_mut()?
            .replacing
            .iter_mut()
            .find(|p| p.id == id)
    }

    /// A replacement purchase ended: linked to the order it replaces and watched in its turn, or
    /// the plan says why there is none.
    pub(crate) fn replacement_settled(&mut self, plan_id: u64, replaces: &str, settled: &Settled) {
        let Some(s) = self.session_mut() else { return };
        let old_phone = s
            .order(replaces)
            .map(|o| o.phone.clone())
            .unwrap_or_default();
        match settled {
            Settled::Bought { order_id, .. } => {
                s.link_replacement(replaces, order_id);
                let (new_phone, server) = s
                    .order(order_id)
                    .map(|o| (o.phone.clone(), o.server.clone()))
                    .unwrap_or_default();
                if let Some(plan) = s.replacing.iter_mut().find(|p| p.id == plan_id) {
                    // The new number carries on its line: the servers tried so far, and its own.
                    let mut tried = plan.tried_for(replaces);
                    plan.tried.remove(replaces);
                    tried.push(server);
                    plan.watch(order_id, tried);
                }
                self.messages
                    .success(text::replaced(&old_phone, &new_phone));
            }
            Settled::Refused { brief, raw, .. } => {
                self.messages
                    .error_raw(text::replacement_refused(&old_phone, brief), raw.clone());
            }
            Settled::Unclear | Settled::NotSent => {
                // The card in Orders (or the message of the purchase) says it; nothing more is
                // bought for this plan.
                if let Some(plan) = s.replacing.iter_mut().find(|p| p.id == plan_id) {
                    plan.stop();
                }
            }
        }
    }

    /// "Stop replacing": nothing more is cancelled or bought for the plan.
    pub(crate) fn stop_replacing(&mut self, plan_id: u64) {
        if let Some(plan) = self.plan_mut(plan_id) {
            tracing::info!("replace-if-no-code stopped by the person");
            plan.stop();
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn offer(server: &str, code: &str, country: &str, cents: i64, qty: u64) -> Offer {
        Offer {
            server: server.into(),
            service_code: code.into(),
            name: code.into(),
            price: Decimal::new(cents, 2),
            price_sent: None,
            qty,
            country: country.into(),
            provider: "1".into(),
        }
    }

    #[test]
    fn the_next_server_is_the_cheapest_untried_one_with_stock_of_the_same_service_and_country() {
        let offers = vec![
            offer("1", "wa", "22", 1250, 5),
            offer("2", "wa", "22", 1100, 0),
            offer("3", "wa", "22", 1199, 9),
            offer("4", "wa", "22", 1199, 9),
            offer("5", "wa", "12", 100, 9),
            offer("6", "tg", "22", 100, 9),
            offer("7", "wa", "22", 1300, 9),
        ];
        let like = &offers[0];
        let tried = vec!["1".to_owned()];
        let next = next_offer(&offers, like, &tried, |o| o.price).unwrap();
        assert_eq!(next.server, "3", "sold out skipped, ties by server");
        let tried = vec!["1".to_owned(), "3".to_owned(), "4".to_owned()];
        assert_eq!(
            next_offer(&offers, like, &tried, |o| o.price)
                .unwrap()
                .server,
            "7"
        );
        // Another ranking (the delivery record's, later) is taken as given.
        let by_server_desc = next_offer(&offers, like, &["1".to_owned()], |o| {
            std::cmp::Reverse(o.server.clone())
        });
        assert_eq!(by_server_desc.unwrap().server, "7");
        let all: Vec<String> = ["1", "3", "4", "7"].map(String::from).to_vec();
        assert!(next_offer(&offers, like, &all, |o| o.price).is_none());
    }

    #[test]
    fn a_plan_keeps_to_its_count_and_its_spend_limit() {
        let offers = vec![
            offer("1", "wa", "22", 1000, 5),
            offer("2", "wa", "22", 1500, 5),
        ];
        let options = ReplaceOptions {
            wait_secs: 60,
            max: 1,
            spend_limit: Decimal::new(1400, 2),
            ceiling: None,
        };
        let mut plan = ReplacePlan::new(1, &offers[0], options);
        plan.watch("a", vec!["1".into()]);
        assert_eq!(
            plan.next(&offers, "a", |o| o.price).unwrap_err(),
            NoReplacement::OverLimit
        );
        plan.options.spend_limit = Decimal::new(1500, 2);
        assert_eq!(plan.next(&offers, "a", |o| o.price).unwrap().server, "2");
        plan.used = 1;
        assert_eq!(
            plan.next(&offers, "a", |o| o.price).unwrap_err(),
            NoReplacement::AllUsed
        );
        plan.used = 0;
        // Each number's line keeps its own servers: another number may still go to server 2.
        plan.watch("b", vec!["1".into(), "2".into()]);
        assert_eq!(
            plan.next(&offers, "b", |o| o.price).unwrap_err(),
            NoReplacement::NoServer
        );
        assert_eq!(plan.next(&offers, "a", |o| o.price).unwrap().server, "2");
    }

    /// The price ceiling: a dearer server is passed over for a cheaper one, and with none under
    /// it no replacement is bought.
    #[test]
    fn a_replacement_never_costs_more_than_the_ceiling() {
        let offers = vec![
            offer("1", "wa", "22", 1000, 5),
            offer("2", "wa", "22", 1300, 5),
            offer("3", "wa", "22", 1400, 5),
        ];
        // (ceiling in paise, the server chosen for the replacement of server 1's number)
        let rows: [(Option<i64>, Result<&str, NoReplacement>); 4] = [
            (None, Ok("3")),
            (Some(1400), Ok("3")),
            (Some(1350), Ok("2")),
            (Some(1200), Err(NoReplacement::OverLimit)),
        ];
        for (ceiling, want) in rows {
            let options = ReplaceOptions {
                wait_secs: 60,
                max: 1,
                spend_limit: Decimal::new(5000, 2),
                ceiling: ceiling.map(|c| Decimal::new(c, 2)),
            };
            let mut plan = ReplacePlan::new(1, &offers[0], options);
            plan.watch("a", vec!["1".into()]);
            // Ranked dearest first, so the ceiling is what turns the choice.
            let got = plan
                .next(&offers, "a", |o| std::cmp::Reverse(o.price))
                .map(|o| o.server.as_str());
            assert_eq!(got, want, "under {ceiling:?}");
        }
    }
}
