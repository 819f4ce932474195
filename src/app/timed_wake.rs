//! Auto-cancel, auto-finish, replace-if-no-code and the end of an overdue order act at a time,
//! not on an answer. The
//! polling task wakes the window only for answers, so the window asks to be woken for the first
//! of these itself.

use std::time::Duration;

use super::App;
use super::poller::GRACE_MS;
use crate::orders::{Millis, OrderState, now_millis};

impl App {
    pub(crate) fn wake_for_timed_actions(&self, ctx: &egui::Context) {
        let Some(s) = self.session() else { return };
        let (wall, mono) = (now_millis(), crate::clock::monotonic());
        let lifetime_ms = self.settings.order_lifetime_ms();
        let lock_ms = self.cancel_lock_ms();
        let cancel_before_ms =
            i64::from(self.settings.auto_cancel_minutes_before).saturating_mul(60_000);
        let finish_after_ms = self
            .settings
            .auto_finish_minutes
            .map(|m| i64::from(m).saturating_mul(60_000));
        let retry_ms = i64::from(self.settings.poll_interval_secs).saturating_mul(1000);
        let mut first: Option<Millis> = None;
        let mut at = |wait: Millis| {
            if wait > 0 {
                first = Some(first.map_or(wait, |f| f.min(wait)));
            }
        };
        for o in s.watched_ours() {
            let now = s.clock.now_for(o, wall, mono);
            if o.code.is_some() {
                at(o.expiry_ms(now, lifetime_ms).saturating_add(GRACE_MS + 1));
            }
            let open = now.saturating_sub(o.bought_at) < lifetime_ms.saturating_add(GRACE_MS);
            if self.settings.auto_cancel && o.no_sms_at_all() && open {
                let lock = o.cancel_wait_ms(now, lock_ms);
                let expiry = o
                    .expiry_ms(now, lifetime_ms)
                    .saturating_sub(cancel_before_ms);
                let wait = lock.max(expiry);
                // Past due: the ask is out or got no answer; asked again an interval on.
                at(if wait > 0 { wait } else { retry_ms });
            }
            if let (Some(after), Some(code_age), OrderState::CodeReceived) =
                (finish_after_ms, s.clock.code_age_ms(o, wall, mono), o.state)
            {
                let wait = after.saturating_sub(code_age);
                // Past due: the ask is out or its reply was lost; asked again an interval on.
                at(if wait > 0 { wait } else { retry_ms });
            }
        }
        if let Some(ms) = self.next_replacement_due_ms(wall, mono) {
            at(ms);
        }
        if let Some(ms) = first {
            let ms = u64::try_from(ms).unwrap_or(u64::MAX);
            ctx.request_repaint_after(Duration::from_millis(ms));
        }
    }
}
