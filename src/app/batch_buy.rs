//! Several numbers in one go: bought one after another, each through the one purchase path (its
//! attempt row written before its request, never repeated). The next request leaves only after
//! the previous one was bought; a refusal, an unclear answer or Stop ends the run.

use crate::app::describe;
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
    /// "If this server has no numbers, try the next best", up to this price for one number
    /// (off by default).
    pub fallback: Option<Decimal>,
}

impl Default for BuyOptions {
    fn default() -> Self {
        Self {
            quantity: 1,
            replace: None,
            fallback: None,
        }
    }
}

/// The most other servers one purchase tries when a server has no numbers.
pub const FALLBACK_TRIES: u8 = 3;

/// Try-the-next-best of a run: at most [`FALLBACK_TRIES`] other servers, one request at a time,
/// each at most `max_price`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fallback {
    pub max_price: Decimal,
    pub tries_left: u8,
    /// The servers asked so far, the first one included.
    pub tried: Vec<String>,
}

/// After a purchase of a run was refused: the offer to try next, when the refusal was for stock
/// or price and the fallback may go on (tries left, a server not yet asked, under its price
/// and the ceiling). Anything else (bought, unclear, not sent, refused for another reason) ends
/// the trying.
pub fn fallback_next<'a>(
    offers: &'a crate::offers::OfferList,
    refused: &Offer,
    settled: &Settled,
    fallback: &Fallback,
    ceiling: Option<Decimal>,
) -> Option<&'a Offer> {
    let Settled::Refused { stock: true, .. } = settled else {
        return None;
    };
    if fallback.tries_left == 0 {
        return None;
    }
    let limit = ceiling.map_or(fallback.max_price, |c| c.min(fallback.max_price));
    offers.next_best_excluding(refused, &fallback.tried, Some(limit))
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
    /// Try-the-next-best, when the person turned it on.
    pub fallback: Option<Fallback>,
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
    Bought {
        order_id: String,
        price: Decimal,
    },
    /// `stock`: refused for stock or price (another server may have it).
    Refused {
        brief: String,
        raw: Option<String>,
        stock: bool,
    },
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
        if self.settings.above_ceiling(&offer) {
            let max = self
                .settings
                .ceiling_for(&offer.service_code)
                .unwrap_or_default();
            let currency = s.currency(&self.settings.currency);
            self.messages
                .warn(text::ceiling_refused(&text::money(max, &currency)));
            return;
        }
        let balance = s.balance.as_ref().map(|(b, _)| b.amount);
        let mut options = options;
        if let Some(replace) = &mut options.replace {
            self.settings.replace_wait_secs = replace.wait_secs;
            replace.ceiling = self.settings.ceiling_for(&offer.service_code);
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
            fallback: options.fallback.map(|max_price| Fallback {
                max_price,
                tries_left: FALLBACK_TRIES,
                tried: vec![offer.server.clone()],
            }),
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

    /// The run's purchase was refused for stock or price and it may try another server: the
    /// next offer is sent in its place (one request at a time, each with its own attempt row).
    /// `true` when one was sent.
    fn try_next_best(&mut self, settled: &Settled) -> bool {
        if self.closing_after_purchase {
            return false;
        }
        let ceiling = self
            .session()
            .and_then(|s| s.batch.as_ref())
            .and_then(|b| self.settings.ceiling_for(&b.offer.service_code));
        let Some(s) = self.session() else {
            return false;
        };
        let Some(batch) = s.batch.as_ref().filter(|b| !b.stop) else {
            return false;
        };
        let Some(fallback) = &batch.fallback else {
            return false;
        };
        let Some(next) =
            fallback_next(&s.offers, &batch.offer, settled, fallback, ceiling).cloned()
        else {
            return false;
        };
        let currency = s.currency(&self.settings.currency);
        let said = text::trying_next_best(
            &batch.offer.server,
            &next.server,
            &describe::price(&next, &currency),
        );
        let Some(b) = self.session_mut().and_then(|s| s.batch.as_mut()) else {
            return false;
        };
        // The refused request filled no slot: the next one takes it.
        b.sent = b.sent.saturating_sub(1);
        b.offer = next.clone();
        if let Some(f) = b.fallback.as_mut() {
            f.tries_left -= 1;
            f.tried.push(next.server.clone());
        }
        tracing::info!(server = %next.server, "trying the next best server");
        self.messages.info(said);
        self.send_batch_slot();
        true
    }

    /// After a purchase of the batch: the next request, or the end of the run and what it got.
    pub(crate) fn batch_purchase_settled(&mut self, settled: &Settled) {
        if self.try_next_best(settled) {
            return;
        }
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
                // The number's line of servers: where it was bought, and (after trying the next
                // best) every server already asked, so no replacement goes back to one of them.
                let tried = batch
                    .fallback
                    .as_ref()
                    .map_or_else(|| vec![batch.offer.server.clone()], |f| f.tried.clone());
                watch = batch.plan.map(|plan| (plan, order_id.clone(), tried));
                go_on = !batch.stop && batch.sent < batch.wanted && !closing;
            }
            if let Some((plan, order_id, tried)) = watch
                && let Some(plan) = s.replacing.iter_mut().find(|p| p.id == plan)
            {
                plan.watch(&order_id, tried);
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
        // Try-the-next-best ran out of servers: said once, with every server asked.
        if let (Some(fallback), Settled::Refused { stock: true, .. }) = (&batch.fallback, settled)
            && batch.bought == 0
        {
            let place = format!(
                "{}, {}",
                batch.offer.name,
                crate::countries::country_name(&batch.offer.country)
            );
            // Stopped by the person while servers were being tried: said as such.
            let sentence = if batch.stop {
                text::stopped_trying_servers(&place, &fallback.tried)
            } else {
                text::no_server_had_numbers(&place, &fallback.tried)
            };
            self.messages.error(sentence);
            return;
        }
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
            Settled::Refused { brief, raw, stock } => {
                self.messages.error_raw(
                    text::batch_refused(bought, wanted, &place, brief),
                    raw.clone(),
                );
                // The rest is not a dead end: another server, one number a click.
                if *stock {
                    self.offer_next_best(&batch.offer);
                }
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn offer(server: &str, price: i64) -> Offer {
        Offer {
            server: server.into(),
            service_code: "wa".into(),
            name: "WhatsApp".into(),
            price: Decimal::new(price, 2),
            price_sent: None,
            qty: 5,
            country: "22".into(),
            provider: "1".into(),
        }
    }

    fn refused(stock: bool) -> Settled {
        Settled::Refused {
            brief: String::new(),
            raw: None,
            stock,
        }
    }

    /// Every way a refusal can go on, or not: (what happened, tries left, servers asked,
    /// ceiling, the fallback's price limit in paise) → the server asked next.
    #[test]
    fn the_fallback_goes_on_only_after_a_refusal_for_stock_within_its_tries_and_prices() {
        let mut list = crate::offers::OfferList::default();
        list.set_offers(
            vec![
                offer("1", 1250),
                offer("2", 1100),
                offer("3", 1199),
                offer("4", 1500),
            ],
            &Default::default(),
        );
        let first = list.offers()[0].clone();
        let bought = Settled::Bought {
            order_id: "1".into(),
            price: Decimal::ONE,
        };
        let tried = |s: &[&str]| s.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        type Row = (
            Settled,
            u8,
            Vec<String>,
            Option<i64>,
            i64,
            Option<&'static str>,
        );
        let rows: [Row; 9] = [
            (refused(true), 3, tried(&["1"]), None, 1250, Some("2")),
            (refused(true), 2, tried(&["1", "2"]), None, 1250, Some("3")),
            (refused(true), 1, tried(&["1", "2", "3"]), None, 1250, None), // 4 is dearer
            (
                refused(true),
                1,
                tried(&["1", "2", "3"]),
                None,
                1500,
                Some("4"),
            ),
            (refused(true), 0, tried(&["1"]), None, 1500, None), // no tries left
            (refused(true), 3, tried(&["1"]), Some(1050), 1500, None), // ceiling below all
            (refused(false), 3, tried(&["1"]), None, 1500, None), // refused for another reason
            (Settled::Unclear, 3, tried(&["1"]), None, 1500, None),
            (bought, 3, tried(&["1"]), None, 1500, None),
        ];
        for (settled, tries_left, tried, ceiling, max, want) in rows {
            let fallback = Fallback {
                max_price: Decimal::new(max, 2),
                tries_left,
                tried: tried.clone(),
            };
            let ceiling = ceiling.map(|c| Decimal::new(c, 2));
            let got = fallback_next(&list, &first, &settled, &fallback, ceiling);
            assert_eq!(
                got.map(|o| o.server.as_str()),
                want,
                "{settled:?} tries {tries_left} asked {tried:?} ceiling {ceiling:?} up to {max}"
            );
        }
    }
}
