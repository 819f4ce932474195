//! When to ask InstaOTP about the active orders: one `getActiveActivations` for all of them where
//! the provider answers it, else one `getStatus` each; orders waiting for their first code first
//! (those nearest their typical delivery time sooner), orders with a code slowly, ended ones
//! never; never more than the shared request budget lets start; back-off after failures, reset
//! for every order once anything succeeds again or the computer wakes from sleep. Pure state with
//! the clock passed in, so it is tested without a window or a network.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::{Duration, Instant};

use crate::api::OrderStatus;
use crate::api::Room;
use crate::api::active::Offered;
use crate::orders::{Millis, Order};

/// The longest pause between two polls of one order after repeated failures.
const MAX_BACKOFF: Duration = Duration::from_secs(120);
/// How soon to look again when a poll is due but cannot start yet.
const RECHECK: Duration = Duration::from_millis(250);
/// An order with a code is watched at most this often, for a second SMS...
pub const CODE_WATCH: Duration = Duration::from_secs(60);
/// ...and all of them together take at most one request in this many of the budget.
const CODE_SHARE: u32 = 10;
/// How long past its lifetime an order stays open before the app ends it (with a code) or
/// watches it slowly (without one: InstaOTP closes it and refunds).
pub const GRACE_MS: i64 = 10 * 60 * 1000;
/// An order past its lifetime and the grace, still without a code, is asked this often...
const OVERDUE_WATCH: Duration = Duration::from_secs(60);
/// ...until this long past its lifetime; then only once in each run of the app (and again after
/// an outage or a sleep), so an app started after a long weekend still learns how it ended,
/// and nothing is polled for ever.
const GIVE_UP_MS: i64 = 24 * 60 * 60 * 1000;
/// A frame this much later than asked for, or the wall clock running this much ahead of the
/// monotonic one between two frames: the computer slept (or the app was stopped).
pub const CLOCK_JUMP: Duration = Duration::from_secs(30);
/// After this many failed lists in a row, orders are asked one by one until a list answers.
const LIST_FAILURES_BEFORE_FALLBACK: u32 = 2;

/// How often orders are asked about.
#[derive(Debug, Clone, Copy)]
pub struct PollPolicy {
    /// The interval from Settings, for orders waiting for their first code.
    pub interval: Duration,
    /// The order lifetime from Settings.
    pub lifetime_ms: i64,
    /// Requests a second the provider allows (the shared budget's).
    pub rate: usize,
}

impl PollPolicy {
    /// The pause between two polls of an order this old, or `None` when it is not polled.
    /// `with_code` orders with a code are watched (they share one tenth of the budget).
    pub fn base_interval(&self, order: &Order, age_ms: i64, with_code: usize) -> Option<Duration> {
        let past_lifetime = age_ms.saturating_sub(self.lifetime_ms);
        match (order.code.is_some(), past_lifetime) {
            (true, past) if past > GRACE_MS => None,
            (true, _) => Some(
                CODE_WATCH
                    .max(self.interval)
                    .max(self.code_share(with_code)),
            ),
            (false, past) if past > GIVE_UP_MS => None,
            (false, past) if past > GRACE_MS => Some(OVERDUE_WATCH.max(self.interval)),
            (false, _) => Some(self.interval),
        }
    }

    /// The pause that keeps `with_code` orders within their share of the budget.
    fn code_share(&self, with_code: usize) -> Duration {
        let rate = u32::try_from(self.rate.max(1)).unwrap_or(u32::MAX);
        let n = u32::try_from(with_code).unwrap_or(u32::MAX);
        Duration::from_secs(1).saturating_mul(n.saturating_mul(CODE_SHARE)) / rate
    }

    /// An order without a code so far past its lifetime that it is no longer watched, only
    /// looked at once in a run.
    pub fn is_given_up(&self, order: &Order, age_ms: i64) -> bool {
        order.code.is_none() && age_ms.saturating_sub(self.lifetime_ms) > GIVE_UP_MS
    }

    /// Past its lifetime and the grace.
    pub fn is_past_grace(&self, age_ms: i64) -> bool {
        age_ms.saturating_sub(self.lifetime_ms) > GRACE_MS
    }

    /// An order with a code past its lifetime and the grace: the app ends it.
    pub fn is_overdue_with_code(&self, order: &Order, age_ms: i64) -> bool {
        order.code.is_some() && age_ms.saturating_sub(self.lifetime_ms) > GRACE_MS
    }
}

/// What the world looks like when the poller plans.
#[derive(Debug, Clone, Copy)]
pub struct Turn {
    pub now: Instant,
    /// The wall clock at `now`, to notice a sleep the monotonic clock did not count.
    pub wall_ms: Millis,
    /// What the shared request budget lets start now.
    pub room: Room,
    /// Whether the account's provider lists open orders (`getActiveActivations`).
    pub list: Offered,
    /// A list request is out.
    pub list_in_flight: bool,
}

#[derive(Default)]
pub struct Poller {
    /// The last status each order answered, so an unchanged answer does not wake the window.
    pub last_status: HashMap<String, OrderStatus>,
    next_poll: HashMap<String, Instant>,
    failures: HashMap<String, u32>,
    /// When the polls of the last second started (the budget counts them only once sent).
    recent: VecDeque<Instant>,
    paused_until: Option<Instant>,
    /// After an outage or a sleep: every waiting order is due at the next plan.
    poll_all_now: bool,
    /// The last plan: when it ran, on both clocks, and when it asked to be woken.
    last_turn: Option<(Instant, Millis, Option<Instant>)>,
    next_list: Option<Instant>,
    list_failures: u32,
    /// Orders the last list did not name: asked one by one.
    unlisted: HashSet<String>,
    /// How long after purchase the code usually comes, by service (the app's own history).
    typical: HashMap<String, Duration>,
    /// When auto-cancel last asked to cancel each order.
    auto_cancelled: HashMap<String, Instant>,
    /// When auto-finish last asked to finish each order.
    auto_finished: HashMap<String, Instant>,
    /// Given-up orders (see [`PollPolicy::is_given_up`]) already looked at in this run.
    looked_once: HashSet<String>,
}

/// What to do now: the orders to ask about one by one, whether to ask for the list of all, and
/// when to look again.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PollPlan {
    pub start: Vec<String>,
    /// Ask for `getActiveActivations`: it answers for every listed order.
    pub list: bool,
    pub wake: Option<Instant>,
}

impl Poller {
    /// Picks what to ask now. `age_ms` tells an order's age (monotonic, see `OrderClock`);
    /// `in_flight` whether it already has a request out.
    pub fn plan<'a>(
        &mut self,
        turn: Turn,
        orders: impl Iterator<Item = &'a Order>,
        policy: &PollPolicy,
        age_ms: impl Fn(&Order) -> i64,
        in_flight: impl Fn(&str) -> bool,
    ) -> PollPlan {
        let now = turn.now;
        if self.slept(turn) {
            tracing::info!("the clock jumped (the computer slept?): every waiting order now");
            self.reset();
        }
        while self
            .recent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
        {
            self.recent.pop_front();
        }
        let watched: Vec<(&Order, i64)> = orders
            .filter(|o| o.is_watched())
            .map(|o| (o, age_ms(o)))
            .collect();
        let with_code = watched.iter().filter(|(o, _)| o.code.is_some()).count();
        let watched: Vec<(&Order, i64, Duration)> = watched
            .into_iter()
            .filter_map(|(o, age)| {
                let last_look =
                    policy.is_given_up(o, age) && !self.looked_once.contains(&o.order_id);
                policy
                    .base_interval(o, age, with_code)
                    .or_else(|| last_look.then_some(OVERDUE_WATCH))
                    .map(|every| (o, age, every))
            })
            .collect();
        if std::mem::take(&mut self.poll_all_now) {
            for (order, _, _) in watched.iter().filter(|(o, _, _)| o.code.is_none()) {
                self.next_poll.insert(order.order_id.clone(), now);
            }
            self.next_list = Some(now);
        }
        let mut plan = PollPlan::default();
        let mut room = self.room(turn, policy);
        let batched = turn.list != Offered::No
            && self.list_failures < LIST_FAILURES_BEFORE_FALLBACK
            && !watched.is_empty();
        if batched {
            self.plan_list(turn, &watched, policy, &mut room, &mut plan);
        }
        // One by one: every order without a list, else those the last list did not name.
        let mut due: Vec<(&Order, i64, Duration, Instant)> = Vec::new();
        for &(order, age, every) in &watched {
            let id = &order.order_id;
            // A given-up order's last look is its own request: the list may not answer at all.
            if batched && !self.unlisted.contains(id) && !policy.is_given_up(order, age) {
                continue;
            }
            let at = *self.next_poll.entry(id.clone()).or_insert(now);
            if in_flight(id) {
                // An unchanged answer does not wake the window: look again when the next is due.
                plan.wake_at(at.max(now + RECHECK));
            } else if at > now {
                plan.wake_at(at);
            } else {
                due.push((order, age, every, at));
            }
        }
        // Codes are what staff wait for: orders without one first, those nearest their typical
        // delivery time before the others, then the longest overdue.
        due.sort_by_key(|(o, age, _, at)| (o.code.is_some(), self.priority(o, *age, *at, policy)));
        for (order, _, every, _) in due {
            if room.free == 0 {
                plan.wake_at(room.next.unwrap_or(now + RECHECK));
                break;
            }
            room.free -= 1;
            self.recent.push_back(now);
            let id = &order.order_id;
            let failures = self.failures.get(id).copied().unwrap_or(0).min(6);
            let pause = (every * 2u32.pow(failures)).min(MAX_BACKOFF.max(every));
            self.next_poll.insert(id.clone(), now + pause);
            plan.wake_at(now + pause);
            plan.start.push(id.clone());
        }
        self.note_last_looks(&watched, policy, &plan);
        self.last_turn = Some((now, turn.wall_ms, plan.wake));
        plan
    }

    /// Given-up orders this plan asks about are not asked again in this run.
    fn note_last_looks(
        &mut self,
        watched: &[(&Order, i64, Duration)],
        policy: &PollPolicy,
        plan: &PollPlan,
    ) {
        for (order, age, _) in watched {
            if plan.start.contains(&order.order_id) && policy.is_given_up(order, *age) {
                self.looked_once.insert(order.order_id.clone());
            }
        }
    }

    /// The list: due every interval while an order waits for its code, slowly when all have one.
    fn plan_list(
        &mut self,
        turn: Turn,
        watched: &[(&Order, i64, Duration)],
        policy: &PollPolicy,
        room: &mut Room,
        plan: &mut PollPlan,
    ) {
        let now = turn.now;
        let due = *self.next_list.get_or_insert(now);
        if turn.list_in_flight {
            plan.wake_at(due.max(now + RECHECK));
        } else if due > now {
            plan.wake_at(due);
        } else if room.free == 0 {
            plan.wake_at(room.next.unwrap_or(now + RECHECK));
        } else {
            room.free -= 1;
            self.recent.push_back(now);
            let waiting = watched.iter().any(|(o, _, _)| o.code.is_none());
            let every = if waiting {
                policy.interval
            } else {
                CODE_WATCH.max(policy.interval)
            };
            let pause = (every * 2u32.pow(self.list_failures.min(6))).min(MAX_BACKOFF.max(every));
            self.next_list = Some(now + pause);
            plan.wake_at(now + pause);
            plan.list = true;
        }
    }

    /// What may start now: the budget's room, less the polls this poller started that the
    /// budget has not counted yet, nothing while paused.
    fn room(&self, turn: Turn, policy: &PollPolicy) -> Room {
        let now = turn.now;
        if let Some(until) = self.paused_until.filter(|t| *t > now) {
            return Room {
                free: 0,
                next: Some(until),
            };
        }
        let own = policy.rate.max(1).saturating_sub(self.recent.len());
        let own_next = self.recent.front().map(|t| *t + Duration::from_secs(1));
        Room {
            free: turn.room.free.min(own),
            next: match (turn.room.free, own) {
                (0, _) => turn.room.next,
                (_, 0) => own_next,
                _ => None,
            },
        }
    }

    /// Sort key among due orders: an order near its typical delivery time counts as due one
    /// interval earlier.
    fn priority(&self, order: &Order, age_ms: i64, due: Instant, policy: &PollPolicy) -> Instant {
        let Some(typical) = self.typical.get(&order.service_code) else {
            return due;
        };
        let typical_ms = i64::try_from(typical.as_millis()).unwrap_or(i64::MAX);
        let near_ms = (typical_ms / 2).max(i64::try_from(policy.interval.as_millis()).unwrap_or(0));
        if (age_ms - typical_ms).abs() <= near_ms {
            due.checked_sub(policy.interval).unwrap_or(due)
        } else {
            due
        }
    }

    /// The frame came far later than asked for, or the wall clock ran far ahead of the monotonic
    /// one since the last plan: the computer slept.
    fn slept(&self, turn: Turn) -> bool {
        let Some((mono, wall, asked)) = self.last_turn else {
            return false;
        };
        let late = asked.is_some_and(|at| turn.now > at + CLOCK_JUMP);
        let mono_ms = Millis::try_from(turn.now.saturating_duration_since(mono).as_millis())
            .unwrap_or(Millis::MAX);
        let jump_ms = Millis::try_from(CLOCK_JUMP.as_millis()).unwrap_or(Millis::MAX);
        let wall_ahead = turn.wall_ms.saturating_sub(wall).saturating_sub(mono_ms) > jump_ms;
        late || wall_ahead
    }

    /// Back-off forgotten for every order, every waiting order due now.
    fn reset(&mut self) {
        self.failures.clear();
        self.list_failures = 0;
        self.paused_until = None;
        self.poll_all_now = true;
        // The last look may have been lost with the connection: one more.
        self.looked_once.clear();
    }

    /// A request (any: a poll, the balance, the offers) succeeded: after failures, the back-off
    /// of every order is forgotten and the waiting ones are asked at once.
    pub fn request_succeeded(&mut self) {
        if !self.failures.is_empty() || self.list_failures > 0 {
            self.reset();
        }
    }

    /// A poll answered.
    pub fn succeeded(&mut self, order_id: &str, status: OrderStatus) {
        self.request_succeeded();
        self.last_status.insert(order_id.to_owned(), status);
    }

    /// A poll failed: that order waits longer each time. A rate limit is no failure of the
    /// order: every poll pauses as long as the provider asked, then this one is due again.
    pub fn failed(&mut self, order_id: &str, pause: Option<Duration>, now: Instant) {
        match pause {
            Some(pause) => {
                self.pause(now + pause);
                self.next_poll.insert(order_id.to_owned(), now);
            }
            None => *self.failures.entry(order_id.to_owned()).or_default() += 1,
        }
    }

    /// A list answered: the orders it named are answered for; the others (`named` false) are
    /// asked one by one.
    pub fn listed(&mut self, order_id: &str, named: bool) {
        if named {
            self.unlisted.remove(order_id);
        } else {
            self.unlisted.insert(order_id.to_owned());
        }
    }

    /// A list answered at all.
    pub fn list_succeeded(&mut self) {
        self.request_succeeded();
    }

    /// A list failed: asked again later, and after a second failure orders are asked one by one
    /// meanwhile.
    pub fn list_failed(&mut self, pause: Option<Duration>, now: Instant) {
        match pause {
            Some(pause) => {
                self.pause(now + pause);
                self.next_list = Some(now);
            }
            None => self.list_failures += 1,
        }
    }

    fn pause(&mut self, until: Instant) {
        self.paused_until = Some(self.paused_until.map_or(until, |t| t.max(until)));
    }

    /// How long after purchase codes usually come, by service code.
    pub fn set_typical(&mut self, typical: HashMap<String, Duration>) {
        self.typical = typical;
    }

    /// Auto-finish may ask for `order_id` now: the first time, or again one poll interval after
    /// an ask whose reply was lost.
    pub fn may_auto_finish(&mut self, order_id: &str, now: Instant, interval: Duration) -> bool {
        may_ask(&mut self.auto_finished, order_id, now, interval)
    }

    /// Auto-cancel may ask for `order_id` now: the first time, or again one poll interval after
    /// an ask that got no answer (lost, or a fault): it keeps asking until InstaOTP answers.
    pub fn may_auto_cancel(&mut self, order_id: &str, now: Instant, interval: Duration) -> bool {
        may_ask(&mut self.auto_cancelled, order_id, now, interval)
    }
}

/// True (and noted) when `order_id` was never asked, or last asked an `interval` ago or more.
fn may_ask(
    asked: &mut HashMap<String, Instant>,
    order_id: &str,
    now: Instant,
    interval: Duration,
) -> bool {
    match asked.get(order_id) {
        Some(at) if now.saturating_duration_since(*at) < interval => false,
        _ => {
            asked.insert(order_id.to_owned(), now);
            true
        }
    }
}

impl PollPlan {
    fn wake_at(&mut self, at: Instant) {
        self.wake = Some(self.wake.map_or(at, |w| w.min(at)));
    }
}

/// How long after purchase the code usually came, by service: the median of the last 20 orders
/// of each service that got one.
pub fn typical_delays<'a>(orders: impl Iterator<Item = &'a Order>) -> HashMap<String, Duration> {
    let mut by_service: HashMap<&str, Vec<(Millis, Millis)>> = HashMap::new();
    for o in orders {
        if let Some(code_at) = o.code_at
            && code_at >= o.bought_at
        {
            by_service
                .entry(o.service_code.as_str())
                .or_default()
                .push((o.bought_at, code_at - o.bought_at));
        }
    }
    by_service
        .into_iter()
        .filter_map(|(service, mut seen)| {
            seen.sort_unstable_by_key(|(bought, _)| std::cmp::Reverse(*bought));
            seen.truncate(20);
            let mut delays: Vec<Millis> = seen.into_iter().map(|(_, d)| d).collect();
            delays.sort_unstable();
            let median = *delays.get(delays.len() / 2)?;
            let median = Duration::from_millis(u64::try_from(median).ok()?);
            Some((service.to_owned(), median))
        })
        .collect()
}

#[cfg(test)]
mod tests;
