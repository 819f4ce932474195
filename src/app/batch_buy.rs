//! Several numbers in one go: bought one after another, each through the one purchase path (its
//! attempt row written before its request, never repeated). The next request leaves only after
//! the previous one was bought; a refusal, an unclear answer or Stop ends the run.

use rust_decimal::Decimal;

use super::replace::{ReplaceOptions, ReplacePlan};
use super::{App, Tab};
use crate::api::Offer;
use crate::orders::{Order, now_millis};
use crate::text;

/// The most numbers one confirmation buys.
pub const MAX_QUANTITY: u8 = 20;

/// What the buy confirmation asks for besides the offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuyOptions {
    /// 1 to [`MAX_QUANTITY`].
    pub quantity: u8,
    /// Replace-if-no-code, when the person turned it on (off by default).
    pub replace: Option<ReplaceOptions>,
}

impl Default for BuyOptions {
    fn default() -> Self {
        Self {
            quantity: 1,
            replace: None,
        }
    }
}

/// A run of purchases of one offer.
#[derive(Debug, Clone)]
pub struct Batch {
    pub offer: Offer,
    pub wanted: u8,
    /// Requests sent, the one in flight included.
    pub sent: u8,
    pub bought: u8,
    /// Stop was pressed: no request leaves after the one in flight.
    pub stop: bool,
    /// The balance each attempt records as "before": read at the start, less what was bought.
    pub balance: Option<Decimal>,
    /// The replace-if-no-code plan of these numbers.
    pub plan: Option<u64>,
}

/// What the purchase in flight is for (one at a time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InFlight {
    /// The next number of the session's batch.
    Batch,
    /// A replacement for `replaces`, of plan `plan`.
    Replacement { plan: u64, replaces: String },
}

/// How one purchase ended, as the batch and the replacements need to know it.
#[derive(Debug, Clone)]
pub enum Settled {
    Bought { order_id: String, price: Decimal },
    Refused { brief: String, raw: Option<String> },
    Unclear,
    NotSent,
}

impl App {
    /// Numbers are being bought: a run of several, or a purchase in flight.
    pub fn is_buying(&self) -> bool {
        self.session().is_some_and(|s| s.batch.is_some())
            || self.worker.is_busy(&crate::worker::Job::Purchase)
    }

    /// Buys `options.quantity` numbers of `offer`, one after another.
    pub(crate) fn buy(&mut self, offer: Offer, options: BuyOptions) {
        self.close_dialog_for_buy();
        let quantity = options.quantity.clamp(1, MAX_QUANTITY);
        let Some(s) = self.session() else { return };
        let balance = s.balance.as_ref().map(|(b, _)| b);
        let after = crate::api::amount::balance_after(balance, offer.price);
        if !offer.has_usual_price() || after.is_err() {
            // An amount outside any real range: never bought against.
            tracing::warn!("purchase refused: an unusual amount");
            self.messages.warn(text::UNUSUAL_AMOUNT_REFUSED);
            return;
        }
        if s.store.is_none() {
            self.messages.warn(text::STORE_LOADING);
            return;
        }
        if s.batch.is_some() || self.worker.is_busy(&crate::worker::Job::Purchase) {
            self.messages.warn(text::PURCHASE_IN_FLIGHT);
            return;
        }
        if self.settings.above_ceiling(offer.price) {
            let max = self.settings.max_price.unwrap_or_default();
            let currency = s.currency(&self.settings.currency);
            self.messages
                .warn(text::ceiling_refused(&text::money(max, &currency)));
            return;
        }
        let balance = s.balance.as_ref().map(|(b, _)| b.amount);
        let mut options = options;
        if let Some(replace) = &mut options.replace {
            self.settings.replace_wait_secs = replace.wait_secs;
            replace.ceiling = self.settings.max_price;
        }
        let Some(s) = self.session_mut() else { return };
        let plan = options.replace.map(|replace| {
            s.next_plan_id += 1;
            let id = s.next_plan_id;
            s.replacing.push(ReplacePlan::new(id, &offer, replace));
            id
        });
        s.batch = Some(Batch {
            offer: offer.clone(),
            wanted: quantity,
            sent: 0,
            bought: 0,
            stop: false,
            balance,
            plan,
        });
        tracing::info!(quantity, replace = plan.is_some(), "buying");
        self.send_batch_slot();
    }

    fn close_dialog_for_buy(&mut self) {
        if let Some(s) = self.session_mut() {
            s.confirm = None;
        }
    }

    /// Sends the batch's next request.
    fn send_batch_slot(&mut self) {
        let Some(batch) = self.session().and_then(|s| s.batch.clone()) else {
            return;
        };
        if self.send_purchase(&batch.offer, None, batch.balance, InFlight::Batch) {
            if let Some(b) = self.session_mut().and_then(|s| s.batch.as_mut()) {
                b.sent += 1;
            }
        } else {
            if let Some(s) = self.session_mut() {
                s.batch = None;
            }
            self.messages.warn(text::PURCHASE_IN_FLIGHT);
        }
    }

    /// Starts one purchase: its attempt row (with the order it replaces) is written before the
    /// request leaves. `false` when another purchase is in flight (nothing was sent).
    pub(crate) fn send_purchase(
        &mut self,
        offer: &Offer,
        replaces: Option<String>,
        balance_before: Option<Decimal>,
        purpose: InFlight,
    ) -> bool {
        let Some(s) = self.session() else {
            return false;
        };
        let Some(open) = &s.store else {
            return false;
        };
        let (generation, client, store) = (s.generation, s.client.clone(), open.store.clone());
        let mut attempt = Order::attempt(offer, now_millis(), balance_before);
        attempt.account = s.account.clone();
        attempt.replaces = replaces;
        let sent = self
            .worker
            .buy(generation, &client, store, offer.clone(), attempt);
        if sent && let Some(s) = self.session_mut() {
            s.in_flight = Some(purpose);
        }
        sent
    }

    /// Stop was pressed: no request leaves after the one in flight.
    pub(crate) fn stop_buying(&mut self) {
        if let Some(b) = self.session_mut().and_then(|s| s.batch.as_mut()) {
            tracing::info!(sent = b.sent, wanted = b.wanted, "stop buying");
            b.stop = true;
        }
    }

    /// After a purchase of the batch: the next request, or the end of the run and what it got.
    pub(crate) fn batch_purchase_settled(&mut self, settled: &Settled) {
        let closing = self.closing_after_purchase;
        let ended = {
            let Some(s) = self.session_mut() else { return };
            let Some(batch) = s.batch.as_mut() else {
                return;
            };
            let mut go_on = false;
            let mut watch = None;
            if let Settled::Bought { order_id, price } = settled {
                batch.bought += 1;
                batch.balance = batch.balance.and_then(|b| b.checked_sub(*price));
                watch = batch.plan.map(|plan| (plan, order_id.clone()));
                go_on = !batch.stop && batch.sent < batch.wanted && !closing;
            }
            if let Some((plan, order_id)) = watch
                && let Some(plan) = s.replacing.iter_mut().find(|p| p.id == plan)
            {
                let server = plan.offer.server.clone();
                plan.watch(&order_id, vec![server]);
            }
            if go_on { None } else { s.batch.take() }
        };
        match ended {
            None => self.send_batch_slot(),
            Some(batch) => self.batch_ended(&batch, settled),
        }
    }

    /// Says how a run of several numbers ended (a single purchase says it the usual way).
    fn batch_ended(&mut self, batch: &Batch, settled: &Settled) {
        tracing::info!(bought = batch.bought, wanted = batch.wanted, "buying ended");
        if batch.wanted < 2 {
            return;
        }
        let place = format!(
            "{}, {}",
            batch.offer.name,
            crate::countries::country_name(&batch.offer.country)
        );
        let (bought, wanted) = (usize::from(batch.bought), usize::from(batch.wanted));
        match settled {
            Settled::Bought { .. } if bought == wanted => {
                self.messages.success(text::batch_done(bought, &place));
            }
            Settled::Bought { .. } => {
                self.messages
                    .info(text::batch_stopped_by_you(bought, wanted, &place));
            }
            Settled::Refused { brief, raw } => {
                self.messages.error_raw(
                    text::batch_refused(bought, wanted, &place, brief),
                    raw.clone(),
                );
            }
            Settled::Unclear => {
                self.messages
                    .warn(text::batch_unclear(bought, wanted, &place));
            }
            Settled::NotSent => {
                self.messages
                    .warn(text::batch_not_sent(bought, wanted, &place));
            }
        }
        if bought > 0 {
            self.view.tab = Tab::Orders;
        }
    }
}
