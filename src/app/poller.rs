//! When to ask InstaOTP about each active order: the interval from Settings, a shared limit on
//! request rate, back-off after failures, and a wake-up only when a poll is due. Pure state with
//! the clock passed in, so it is tested without a window or a network.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::{Duration, Instant};

use crate::api::OrderStatus;
use crate::orders::Order;

/// At most this many status requests start in any one second, over all orders.
const MAX_POLLS_PER_SECOND: usize = 4;
/// The longest pause between two polls of one order after repeated failures.
const MAX_BACKOFF: Duration = Duration::from_secs(120);
/// How soon to look again when a poll is due but cannot start yet.
const RECHECK: Duration = Duration::from_millis(250);
/// An order with a code is watched this slowly, for a second SMS.
pub const CODE_WATCH: Duration = Duration::from_secs(30);
/// How long past its lifetime an order stays open before the app ends it (with a code) or
/// watches it slowly (without one: InstaOTP closes it and refunds).
pub const GRACE_MS: i64 = 10 * 60 * 1000;
/// An order past its lifetime and the grace, still without a code, is asked this often...
const OVERDUE_WATCH: Duration = Duration::from_secs(60);
/// ...until this long past its lifetime; then never again (nothing is polled for ever).
const GIVE_UP_MS: i64 = 24 * 60 * 60 * 1000;

/// How often orders are asked about.
#[derive(Debug, Clone, Copy)]
pub struct PollPolicy {
    /// The interval from Settings, for orders waiting for their first code.
    pub interval: Duration,
    /// The order lifetime from Settings.
    pub lifetime_ms: i64,
}

impl PollPolicy {
    /// The pause between two polls of an order this old, or `None` when it is not polled.
    pub fn base_interval(&self, order: &Order, age_ms: i64) -> Option<Duration> {
        let past_lifetime = age_ms.saturating_sub(self.lifetime_ms);
        match (order.code.is_some(), past_lifetime) {
            (true, past) if past > GRACE_MS => None,
            (true, _) => Some(CODE_WATCH.max(self.interval)),
            (false, past) if past > GIVE_UP_MS => None,
            (false, past) if past > GRACE_MS => Some(OVERDUE_WATCH.max(self.interval)),
            (false, _) => Some(self.interval),
        }
    }

    /// An order with a code past its lifetime and the grace: the app ends it.
    pub fn is_overdue_with_code(&self, order: &Order, age_ms: i64) -> bool {
        order.code.is_some() && age_ms.saturating_sub(self.lifetime_ms) > GRACE_MS
    }
}

#[derive(Default)]
pub struct Poller {
    /// The last status each order answered, so an unchanged answer does not wake the window.
    pub last_status: HashMap<String, OrderStatus>,
    next_poll: HashMap<String, Instant>,
    failures: HashMap<String, u32>,
    recent: VecDeque<Instant>,
    paused_until: Option<Instant>,
    /// Orders the auto-cancel option already tried, so it asks once.
    auto_cancelled: HashSet<String>,
    /// When auto-finish last asked to finish each order.
    auto_finished: HashMap<String, Instant>,
}

/// What to do now: the orders to ask about, and when to look again.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PollPlan {
    pub start: Vec<String>,
    pub wake: Option<Instant>,
}

impl Poller {
    /// Picks the orders whose poll is due: those waiting for their first code first, those with
    /// a code slowly, ended ones never. `age_ms` tells an order's age (monotonic, see
    /// `OrderClock`); `in_flight` whether it already has a request out.
    pub fn plan<'a>(
        &mut self,
        now: Instant,
        orders: impl Iterator<Item = &'a Order>,
        policy: &PollPolicy,
        age_ms: impl Fn(&Order) -> i64,
        in_flight: impl Fn(&str) -> bool,
    ) -> PollPlan {
        while self
            .recent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
        {
            self.recent.pop_front();
        }
        let paused = self.paused_until.filter(|t| *t > now);
        let mut plan = PollPlan {
            start: Vec::new(),
            wake: paused,
        };
        let mut watched: Vec<(&Order, Duration)> = orders
            .filter(|o| o.is_watched())
            .filter_map(|o| policy.base_interval(o, age_ms(o)).map(|every| (o, every)))
            .collect();
        // Codes are what staff wait for: orders without one take the rate limit first.
        watched.sort_by_key(|(o, _)| o.code.is_some());
        for (order, every) in watched {
            let id = &order.order_id;
            let due = *self.next_poll.entry(id.clone()).or_insert(now);
            if in_flight(id) {
                // An unchanged answer does not wake the window: look again when the next is due.
                plan.wake_at(due.max(now + RECHECK));
                continue;
            }
            let can_start = paused.is_none() && self.recent.len() < MAX_POLLS_PER_SECOND;
            if due <= now && can_start {
                self.recent.push_back(now);
                let failures = self.failures.get(id).copied().unwrap_or(0).min(6);
                let pause = (every * 2u32.pow(failures)).min(MAX_BACKOFF.max(every));
                self.next_poll.insert(id.clone(), now + pause);
                plan.start.push(id.clone());
            } else {
                plan.wake_at(if due <= now { now + RECHECK } else { due });
            }
        }
        plan
    }

    /// A poll answered: the next one comes at the normal interval.
    pub fn succeeded(&mut self, order_id: &str, status: OrderStatus) {
        self.failures.remove(order_id);
        self.last_status.insert(order_id.to_owned(), status);
    }

    /// A poll failed: that order waits longer each time; a rate limit pauses every poll for
    /// as long as the provider asked.
    pub fn failed(&mut self, order_id: &str, pause: Option<Duration>, now: Instant) {
        if let Some(pause) = pause {
            self.paused_until = Some(now + pause);
        }
        *self.failures.entry(order_id.to_owned()).or_default() += 1;
    }

    /// Auto-finish may ask for `order_id` now: the first time, or again one poll interval after
    /// an ask whose reply was lost.
    pub fn may_auto_finish(&mut self, order_id: &str, now: Instant, interval: Duration) -> bool {
        match self.auto_finished.get(order_id) {
            Some(at) if now.saturating_duration_since(*at) < interval => false,
            _ => {
                self.auto_finished.insert(order_id.to_owned(), now);
                true
            }
        }
    }

    /// True the first time auto-cancel is about to act on `order_id`.
    pub fn first_auto_cancel(&mut self, order_id: &str) -> bool {
        self.auto_cancelled.insert(order_id.to_owned())
    }
}

impl PollPlan {
    fn wake_at(&mut self, at: Instant) {
        self.wake = Some(self.wake.map_or(at, |w| w.min(at)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::test_support::order;

    const INTERVAL: Duration = Duration::from_secs(5);
    const LIFETIME_MS: i64 = 20 * 60 * 1000;
    const POLICY: PollPolicy = PollPolicy {
        interval: INTERVAL,
        lifetime_ms: LIFETIME_MS,
    };

    #[test]
    fn at_most_four_polls_start_in_a_second_and_the_rest_wait() {
        let orders: Vec<_> = (0..6).map(|i| order(&i.to_string(), "WA", 0)).collect();
        let mut poller = Poller::default();
        let t0 = Instant::now();
        let plan = poller.plan(t0, orders.iter(), &POLICY, |_| 0, |_| false);
        assert_eq!(plan.start, ["0", "1", "2", "3"]);
        assert_eq!(plan.wake, Some(t0 + RECHECK));
        let t1 = t0 + Duration::from_secs(1);
        let plan = poller.plan(t1, orders.iter(), &POLICY, |_| 0, |_| false);
        assert_eq!(plan.start, ["4", "5"]);
    }

    #[test]
    fn failures_back_off_and_a_rate_limit_pauses_everything() {
        let orders = [order("a", "WA", 0), order("b", "WA", 0)];
        let mut poller = Poller::default();
        let t0 = Instant::now();
        assert_eq!(
            poller
                .plan(t0, orders.iter(), &POLICY, |_| 0, |_| false)
                .start
                .len(),
            2
        );
        poller.failed("a", None, t0);
        // "a" was planned for t0 + 5 s before it failed; the failure doubles the next pause.
        let t1 = t0 + INTERVAL;
        assert_eq!(
            poller
                .plan(t1, orders.iter(), &POLICY, |_| 0, |_| false)
                .start,
            ["a", "b"]
        );
        let plan = poller.plan(t1 + INTERVAL, orders.iter(), &POLICY, |_| 0, |_| false);
        assert_eq!(plan.start, ["b"], "a waits 10 s after one failure");
        poller.failed("b", Some(Duration::from_secs(15)), t1 + INTERVAL);
        let plan = poller.plan(t1 + INTERVAL * 3, orders.iter(), &POLICY, |_| 0, |_| false);
        assert!(plan.start.is_empty(), "paused by the rate limit");
        assert!(plan.wake.is_some());
    }

    #[test]
    fn an_order_with_a_request_out_is_not_asked_again_and_ended_orders_never() {
        let mut ended = order("done", "WA", 0);
        ended.close(crate::orders::OrderState::Finished, 1);
        let orders = [order("busy", "WA", 0), ended];
        let mut poller = Poller::default();
        let plan = poller.plan(
            Instant::now(),
            orders.iter(),
            &POLICY,
            |_| 0,
            |id| id == "busy",
        );
        assert!(plan.start.is_empty());
        assert!(plan.wake.is_some(), "looks again once the request is back");
    }

    #[test]
    fn waiting_orders_go_first_a_code_is_watched_slowly_and_nothing_for_ever() {
        let mut with_code = order("code", "WA", 0);
        with_code.code = Some("1234".into());
        with_code.state = crate::orders::OrderState::CodeReceived;
        let waiting: Vec<_> = (0..4).map(|i| order(&format!("w{i}"), "WA", 0)).collect();
        let mut orders = vec![with_code.clone()];
        orders.extend(waiting);
        let mut poller = Poller::default();
        let t0 = Instant::now();
        let plan = poller.plan(t0, orders.iter(), &POLICY, |_| 0, |_| false);
        assert_eq!(
            plan.start,
            ["w0", "w1", "w2", "w3"],
            "the code waits its turn"
        );
        let t1 = t0 + Duration::from_secs(1);
        assert_eq!(
            poller
                .plan(t1, orders.iter(), &POLICY, |_| 0, |_| false)
                .start,
            ["code"]
        );
        // Every 5 s for the waiting ones, every 30 s for the one with a code.
        let mut asked = std::collections::HashMap::<String, u32>::new();
        for s in 2..62 {
            let plan = poller.plan(
                t0 + Duration::from_secs(s),
                orders.iter(),
                &POLICY,
                |_| 0,
                |_| false,
            );
            for id in plan.start {
                *asked.entry(id).or_default() += 1;
            }
        }
        assert_eq!(asked.get("code"), Some(&2));
        assert!(
            asked.get("w0").is_some_and(|n| (11..=13).contains(n)),
            "{asked:?}"
        );

        let policy = POLICY;
        assert_eq!(policy.base_interval(&with_code, 0), Some(CODE_WATCH));
        let past_grace = LIFETIME_MS + GRACE_MS + 1;
        assert_eq!(policy.base_interval(&with_code, past_grace), None);
        assert!(policy.is_overdue_with_code(&with_code, past_grace));
        assert_eq!(
            policy.base_interval(&orders[1], past_grace),
            Some(OVERDUE_WATCH)
        );
        assert_eq!(
            policy.base_interval(&orders[1], LIFETIME_MS + GIVE_UP_MS + 1),
            None
        );
        let mut fresh = Poller::default();
        let plan = fresh.plan(
            t0,
            orders.iter(),
            &POLICY,
            |_| LIFETIME_MS + GIVE_UP_MS + 1,
            |_| false,
        );
        assert!(
            plan.start.is_empty() && plan.wake.is_none(),
            "given up: never asked"
        );
    }
}
