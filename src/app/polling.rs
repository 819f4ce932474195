//! Keeps every active order polled at the interval from Settings, whatever tab is shown: a
//! shared limit on request rate, back-off after failures, and a wake-up only when one is due.

use std::time::{Duration, Instant};

use super::App;
use crate::worker::Job;

/// At most this many status requests start in any one second, over all orders.
const MAX_POLLS_PER_SECOND: usize = 4;
/// The longest pause between two polls of one order after repeated failures.
const MAX_BACKOFF: Duration = Duration::from_secs(120);

impl App {
    pub(crate) fn schedule_polls(&mut self, ctx: &egui::Context) {
        let Some(conn) = &self.conn else { return };
        let now = Instant::now();
        while self
            .recent_polls
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
        {
            self.recent_polls.pop_front();
        }
        let paused = self.polls_paused_until.filter(|t| *t > now);
        let interval = Duration::from_secs(u64::from(self.settings.poll_interval_secs));
        let mut wake: Option<Instant> = paused;
        for order in self.orders.iter().filter(|o| o.is_active()) {
            let id = &order.order_id;
            if self.worker.is_busy(&Job::Poll(id.clone()))
                || self.worker.is_busy(&Job::SetStatus(id.clone()))
            {
                // An unchanged answer does not wake the window: look again when the next is due.
                let at = self
                    .next_poll
                    .get(id)
                    .copied()
                    .unwrap_or(now)
                    .max(now + Duration::from_millis(250));
                wake = Some(wake.map_or(at, |w| w.min(at)));
                continue;
            }
            let due = *self.next_poll.entry(id.clone()).or_insert(now);
            let can_start = paused.is_none() && self.recent_polls.len() < MAX_POLLS_PER_SECOND;
            if due <= now && can_start {
                self.worker
                    .poll_order(&conn.client, id.clone(), self.last_status.get(id).cloned());
                self.recent_polls.push_back(now);
                let failures = self.poll_failures.get(id).copied().unwrap_or(0).min(6);
                let pause = (interval * 2u32.pow(failures)).min(MAX_BACKOFF.max(interval));
                self.next_poll.insert(id.clone(), now + pause);
            } else {
                let at = if due <= now {
                    now + Duration::from_millis(250)
                } else {
                    due
                };
                wake = Some(wake.map_or(at, |w| w.min(at)));
            }
        }
        if let Some(at) = wake {
            ctx.request_repaint_after(at.saturating_duration_since(now));
        }
    }

    /// With the option on, cancels an order that got no SMS a set time before it expires (once).
    pub(crate) fn auto_cancel(&mut self) {
        if !self.settings.auto_cancel || self.conn.is_none() {
            return;
        }
        let now = crate::orders::now_millis();
        let lock_ms = self.settings.cancel_lock_secs as i64 * 1000;
        let lifetime_ms = self.settings.order_lifetime_secs as i64 * 1000;
        let before_ms = i64::from(self.settings.auto_cancel_minutes_before) * 60_000;
        let due: Vec<String> = self
            .orders
            .iter()
            .filter(|o| o.state == crate::orders::OrderState::Waiting && o.code.is_none())
            .filter(|o| {
                o.cancel_wait_ms(now, lock_ms) == 0 && o.expiry_ms(now, lifetime_ms) <= before_ms
            })
            .filter(|o| !self.auto_cancelled.contains(&o.order_id))
            .map(|o| o.order_id.clone())
            .collect();
        for id in due {
            tracing::info!("auto-cancel of an order without SMS");
            self.auto_cancelled.insert(id.clone());
            self.run(crate::ui::Command::Cancel(id));
        }
    }

    /// A poll answered: the next one comes at the normal interval.
    pub(crate) fn poll_ok(&mut self, order_id: &str) {
        self.poll_failures.remove(order_id);
    }

    /// A poll failed: that order waits longer each time; a rate limit pauses every poll.
    pub(crate) fn poll_failed(&mut self, order_id: &str, pause: Option<Duration>) {
        if let Some(pause) = pause {
            self.polls_paused_until = Some(Instant::now() + pause);
        }
        *self.poll_failures.entry(order_id.to_owned()).or_default() += 1;
    }
}
