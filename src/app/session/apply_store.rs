//! What the opened orders database and the account's list of open orders do to the session.

use super::Session;
use super::apply::Inputs;
use crate::api::ApiError;
use crate::api::active::{ActiveActivation, Offered};
use crate::app::effect::Effect;
use crate::app::poller::GRACE_MS;
use crate::app::reconcile::LOOK_EVERY;
use crate::orders::reconcile::{FoundBy, KeyUse, match_attempts};
use crate::orders::{StoreError, now_millis};
use crate::text;
use crate::worker::OpenedStore;

impl Session {
    pub(super) fn store_opened(
        &mut self,
        result: Result<Box<OpenedStore>, StoreError>,
        inputs: &Inputs<'_>,
        out: &mut Vec<Effect>,
    ) {
        match result {
            Ok(opened) => {
                let OpenedStore {
                    store,
                    orders,
                    unreadable,
                    set_aside,
                    saved_offers,
                    account,
                    active_offered,
                    unfinished,
                } = *opened;
                if let Some(path) = set_aside {
                    self.money_notice(text::orders_set_aside(&path), out);
                }
                if unreadable > 0 {
                    self.money_notice(text::orders_from_newer_version(unreadable), out);
                }
                let ctx = inputs.ctx.clone();
                let wake = move || ctx.request_repaint();
                let writer = crate::orders::OrderWriter::start(wake, store.clone());
                if let Some((at, offers)) = saved_offers
                    && self.offers_loaded.is_none()
                {
                    self.offers.set_offers(offers, &inputs.settings.favourites);
                    self.offers_as_of = Some(at);
                }
                let active = orders.iter().filter(|o| o.is_active()).count();
                if active > 0 {
                    tracing::info!(active, "resuming orders");
                }
                self.store = Some(super::OpenStore { store, writer });
                self.account = Some(account);
                self.polling
                    .lock()
                    .poller
                    .set_typical(crate::app::poller::typical_delays(orders.iter()));
                self.set_orders(orders);
                self.active_offered = active_offered;
                // What the last run left undone: said on a card, done again only if asked.
                self.saved_unfinished = unfinished.clone();
                self.unfinished_before = unfinished
                    .and_then(|json| {
                        serde_json::from_str::<crate::app::unfinished::Unfinished>(&json).ok()
                    })
                    .filter(|u| !u.is_empty());
                out.push(Effect::ChooseStartTab);
            }
            Err(e) => {
                tracing::error!("orders database: {e}");
                self.money_notice(text::orders_not_opened(&e), out);
            }
        }
        out.push(Effect::RefreshOffers);
    }

    /// The account's open orders, as InstaOTP lists them: what they say of the orders followed
    /// here, and whether a purchase not confirmed is among them.
    pub(super) fn active_listed(
        &mut self,
        result: Result<Vec<ActiveActivation>, ApiError>,
        offered: Offered,
        store_error: Option<StoreError>,
        inputs: &Inputs<'_>,
        out: &mut Vec<Effect>,
    ) {
        if let Some(e) = store_error {
            tracing::warn!("whether open orders are listed was not remembered: {e}");
        }
        let lifetime_ms = inputs.settings.order_lifetime_ms();
        let open_for = lifetime_ms.saturating_add(GRACE_MS);
        if offered != Offered::Unknown {
            self.active_offered = offered;
        }
        let active = match result {
            Ok(active) => active,
            Err(e) if offered == Offered::No => {
                tracing::info!("InstaOTP does not list open orders ({e}): not asked again");
                return;
            }
            Err(e) => {
                tracing::info!("open orders not listed this time: {e}");
                if e.is_unreachable() {
                    self.unreachable_since.get_or_insert(inputs.now);
                }
                return;
            }
        };
        self.reachable();
        // A list from polling answers the look-up too: no list of its own for a while.
        self.next_reconcile = Some(inputs.now + LOOK_EVERY);
        self.follow_listed(&active, inputs, out);
        if self.store.is_none() {
            return;
        }
        let wall = now_millis();
        let followed = self.followed_ids();
        let attempts = self.findable_attempts(wall, open_for);
        let found = match_attempts(
            attempts,
            &active,
            &followed,
            KeyUse::of(self.key_only_here(inputs.settings.key_only_here), false),
        );
        self.used_elsewhere |= active
            .iter()
            .any(|a| !followed.contains(a.order_id.as_str()));
        // Several candidates, or one that could be another purchase's: the card lists them
        // and the person says which, if any, is theirs.
        self.candidates = found.choose.into_iter().collect();
        for (attempt_id, purchase) in found.adopt {
            if let Some(attempt) = self.order(&attempt_id).cloned() {
                out.push(Effect::Adopt {
                    attempt,
                    purchase,
                    lifetime_ms,
                    found_by: FoundBy::OpenOrders,
                });
            }
        }
    }

    /// What InstaOTP says it charged (`activationCost`) replaces the list price, the number of
    /// an order sold without naming it is filled in, and each followed order takes its status.
    fn follow_listed(
        &mut self,
        active: &[ActiveActivation],
        inputs: &Inputs<'_>,
        out: &mut Vec<Effect>,
    ) {
        self.apply_listed(active);
        let watched: Vec<String> = self.watched_ours().map(|o| o.order_id.clone()).collect();
        for id in watched {
            if let Some(listed) = active.iter().find(|a| a.order_id == id) {
                self.status_answered(&id, &listed.status(), inputs, out);
            }
        }
    }
}
