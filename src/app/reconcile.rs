//! Finds purchases that got no clear answer among the account's open orders on InstaOTP, where
//! the provider lists them (`getActiveActivations`, asked once per account; an account without
//! it is never asked again), and follows them without the person looking them up.

use std::time::{Duration, Instant};

use super::poller::GRACE_MS;
use super::{App, Stage};
use crate::api::ApiError;
use crate::api::active::{ActiveActivation, Offered};
use crate::orders::reconcile::{FoundBy, KeyUse, match_attempts};
use crate::orders::{StoreError, now_millis};
use crate::worker::Job;

/// After a purchase without a clear answer, the first look (the provider may list the sale a
/// moment later).
pub const FIRST_LOOK: Duration = Duration::from_secs(3);
/// How often to look again while a purchase is still not confirmed.
pub const LOOK_EVERY: Duration = Duration::from_secs(30);

impl App {
    /// What the list says of every watched order: its code, or that it is still waiting; an
    /// order the list does not name is asked about on its own (it may have ended).
    fn follow_listed(&mut self, active: &[ActiveActivation], ctx: &egui::Context) {
        let Some(s) = self.session_mut() else { return };
        // What InstaOTP says it charged (`activationCost`) replaces the list price, and the
        // number of an order InstaOTP sold without naming it is filled in.
        s.apply_listed(active);
        let watched: Vec<String> = s.watched_ours().map(|o| o.order_id.clone()).collect();
        for id in watched {
            if let Some(listed) = active.iter().find(|a| a.order_id == id) {
                let status = listed.status();
                self.poll_answered(&id, status, ctx);
            }
        }
    }

    /// While purchases of this account wait unconfirmed and may still be open, asks for the
    /// open orders now and then.
    pub(crate) fn look_for_unconfirmed(&mut self, ctx: &egui::Context) {
        let open_for = self.settings.order_lifetime_ms().saturating_add(GRACE_MS);
        let Stage::SignedIn(s) = &mut self.stage else {
            return;
        };
        let (Some(open), Some(account)) = (&s.store, &s.account) else {
            return;
        };
        if s.active_offered == Offered::No || self.worker.is_busy(&Job::ListActive) {
            return;
        }
        let wall = now_millis();
        let waiting = s.findable_attempts(wall, open_for).next().is_some();
        if !waiting {
            return;
        }
        let now = Instant::now();
        if let Some(at) = s.next_reconcile.filter(|at| *at > now) {
            ctx.request_repaint_after(at - now);
            return;
        }
        s.next_reconcile = Some(now + LOOK_EVERY);
        let (store, account) = (open.store.clone(), account.clone());
        self.worker
            .list_active(s.generation, &s.client, store, account, s.active_offered);
    }

    pub(crate) fn active_listed(
        &mut self,
        result: Result<Vec<ActiveActivation>, ApiError>,
        offered: Offered,
        store_error: Option<StoreError>,
        ctx: &egui::Context,
    ) {
        if let Some(e) = store_error {
            tracing::warn!("whether open orders are listed was not remembered: {e}");
        }
        let lifetime_ms = self.settings.order_lifetime_ms();
        let open_for = lifetime_ms.saturating_add(GRACE_MS);
        let key_only_here = self.settings.key_only_here;
        let Stage::SignedIn(s) = &mut self.stage else {
            return;
        };
        if offered != Offered::Unknown {
            s.active_offered = offered;
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
                    s.unreachable_since.get_or_insert_with(Instant::now);
                }
                return;
            }
        };
        s.reachable();
        // A list from polling answers the look-up too: no list of its own for a while.
        s.next_reconcile = Some(Instant::now() + LOOK_EVERY);
        self.follow_listed(&active, ctx);
        let Stage::SignedIn(s) = &mut self.stage else {
            return;
        };
        let Some(open) = &s.store else { return };
        let wall = now_millis();
        let followed = s.followed_ids();
        let attempts = s.findable_attempts(wall, open_for);
        let found = match_attempts(
            attempts,
            &active,
            &followed,
            KeyUse::of(key_only_here, false),
        );
        s.used_elsewhere |= active
            .iter()
            .any(|a| !followed.contains(a.order_id.as_str()));
        // Several candidates, or one that could be another purchase's: the card lists them
        // and the person says which, if any, is theirs.
        s.candidates = found.choose.into_iter().collect();
        for (attempt_id, purchase) in found.adopt {
            let Some(attempt) = s.order(&attempt_id).cloned() else {
                continue;
            };
            if self.worker.is_busy(&Job::Adopt(attempt.id())) {
                continue; // the person is adding it by its id right now
            }
            tracing::info!("a purchase not confirmed is among the open orders");
            self.worker.adopt(
                s.generation,
                &s.client,
                open.store.clone(),
                attempt,
                purchase,
                lifetime_ms,
                FoundBy::OpenOrders,
            );
        }
    }
}
