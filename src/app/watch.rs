//! Keeps the orders of the session watched whatever tab is shown: tells the polling task what to
//! poll and applies its answers, and cancels orders without SMS when the option is on.

use std::time::{Duration, Instant};

use super::App;
use super::poll_driver::Inputs;
use super::poller::PollPolicy;
use crate::api::SetAction;
use crate::orders::now_millis;
use crate::worker::Job;
use crate::worker::{Delivered, Scope};

impl App {
    /// Tells the polling task what to poll (the session's own watched orders, their ages, the
    /// list's state) and applies the answers it brought. The window is not woken to poll.
    pub(crate) fn sync_polling(&mut self, ctx: &egui::Context) {
        let answers = self
            .session()
            .map(|s| s.polling.answers())
            .unwrap_or_default();
        for event in answers {
            let Some(generation) = self.session().map(|s| s.generation) else {
                return;
            };
            let scope = Scope::Session(generation);
            let event = crate::worker::Event::Session(event);
            self.apply_event(Delivered { scope, event }, ctx);
        }
        let policy = self.poll_policy();
        let busy = self.worker.orders_being_set();
        let open_for = policy.lifetime_ms.saturating_add(super::poller::GRACE_MS);
        let super::Stage::SignedIn(session) = &self.stage else {
            return;
        };
        let (now, wall, aged) = (Instant::now(), now_millis(), crate::clock::monotonic());
        let targets = session.poll_targets(now, wall, aged);
        let list_access = match (&session.store, &session.account) {
            (Some(open), Some(account)) => Some((open.store.clone(), account.clone())),
            _ => None,
        };
        let attempts_waiting = session.findable_attempts(wall, open_for).next().is_some();
        session.polling.update(Inputs {
            targets,
            policy,
            busy,
            list_access,
            offered: session.active_offered,
            attempts_waiting,
        });
    }

    /// The cancel lock kept now: InstaOTP's usual, or this provider's longer one once learnt.
    pub(crate) fn cancel_lock_ms(&self) -> i64 {
        let setting = self.settings.cancel_lock_ms();
        self.session()
            .map_or(setting, |s| s.cancel_lock_ms(setting))
    }

    pub(crate) fn poll_policy(&self) -> PollPolicy {
        PollPolicy {
            interval: Duration::from_secs(u64::from(self.settings.poll_interval_secs)),
            lifetime_ms: self.settings.order_lifetime_ms(),
            rate: self
                .session()
                .map_or(4, |s| s.client.config().requests_per_second),
        }
    }

    /// An order with a code that nobody finished, past its lifetime and a grace period, ends
    /// "with a code" (never refunded) and is not asked about again. An order of another key (or
    /// address), which this session may not ask about, ends past its lifetime and the grace too,
    /// its refund not confirmed.
    pub(crate) fn end_overdue_orders(&mut self) {
        let policy = self.poll_policy();
        let Some(s) = self.session_mut() else { return };
        let (wall, mono) = (now_millis(), crate::clock::monotonic());
        s.end_overdue(&policy, wall, mono);
    }

    /// With the option on, finishes an order some minutes after its code arrived: sent once,
    /// asked again a poll interval later if the reply was lost, never before a code.
    pub(crate) fn auto_finish(&mut self) {
        let Some(minutes) = self.settings.auto_finish_minutes else {
            return;
        };
        let after_ms = i64::from(minutes).saturating_mul(60_000);
        let interval = self.poll_policy().interval;
        let (wall, mono, aged) = (now_millis(), Instant::now(), crate::clock::monotonic());
        let busy: Vec<crate::orders::OrderId> = {
            let Some(s) = self.session() else { return };
            s.codes_older_than(after_ms, wall, aged)
                .into_iter()
                .filter(|id| !self.worker.is_busy(&Job::SetStatus(id.clone())))
                .collect()
        };
        for id in busy {
            let ask = self
                .session_mut()
                .is_some_and(|s| s.polling.lock().poller.may_auto_finish(&id, mono, interval));
            if ask {
                tracing::info!("auto-finish of an order with a code");
                self.set_status(id, SetAction::Finish);
            }
        }
    }

    /// With the option on, cancels an order that got no SMS at all (no code, no text) a set time
    /// before it expires: asked again a poll interval later until InstaOTP answers.
    pub(crate) fn auto_cancel(&mut self) {
        if !self.settings.auto_cancel {
            return;
        }
        let now = now_millis();
        let mono = Instant::now();
        let interval = self.poll_policy().interval;
        let lock_ms = self.cancel_lock_ms();
        let lifetime_ms = self.settings.order_lifetime_ms();
        let before_ms = i64::from(self.settings.auto_cancel_minutes_before).saturating_mul(60_000);
        let busy = self.worker.orders_being_set();
        let Some(s) = self.session_mut() else { return };
        let due: Vec<crate::orders::OrderId> = s
            .due_for_auto_cancel(now, lock_ms, lifetime_ms, before_ms)
            .into_iter()
            .filter(|id| !busy.contains(id))
            .filter(|id| s.polling.lock().poller.may_auto_cancel(id, mono, interval))
            .collect();
        for id in due {
            tracing::info!("auto-cancel of an order without SMS");
            // Not `Command::Cancel`: that closes the dialog the person may be using.
            self.set_status(id, SetAction::Cancel);
        }
    }
}
