//! Finds purchases that got no clear answer among the account's open orders on InstaOTP, where
//! the provider lists them (`getActiveActivations`, asked once per account; an account without
//! it is never asked again), and follows them without the person looking them up.

use std::time::{Duration, Instant};

use super::poller::GRACE_MS;
use super::{App, Stage};
use crate::api::active::Offered;
use crate::orders::now_millis;
use crate::worker::Job;

/// After a purchase without a clear answer, the first look (the provider may list the sale a
/// moment later).
pub const FIRST_LOOK: Duration = Duration::from_secs(3);
/// How often to look again while a purchase is still not confirmed.
pub const LOOK_EVERY: Duration = Duration::from_secs(30);

impl App {
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
}
