//! One request budget for everything a client sends (polls, balance, offers, purchases and the
//! client's own retries): at most N requests start in any second (and a margin), and a 429 pauses
//! them all for as long as the provider asked. Shared by every clone of a [`super::Client`].

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the budget lets start now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Room {
    pub free: usize,
    /// When one may start, when none may now.
    pub next: Option<Instant>,
}

impl Room {
    /// No limit: for callers without a budget.
    pub const OPEN: Room = Room {
        free: usize::MAX,
        next: None,
    };
}

/// The second the limit counts over, with a margin: the provider counts a request when it
/// arrives, a little after it left here, and a request that left 1 s after another may arrive less
/// than 1 s after it (measured: a 429 now and then with no margin).
pub const WINDOW: Duration = Duration::from_millis(1100);

#[derive(Clone, Debug)]
pub struct RequestBudget {
    per_second: usize,
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    /// When the requests of the last second started.
    recent: VecDeque<Instant>,
    paused_until: Option<Instant>,
}

impl RequestBudget {
    pub fn new(per_second: usize) -> Self {
        Self {
            per_second: per_second.max(1),
            state: Arc::default(),
        }
    }

    /// Waits until a request may start, and counts it.
    pub async fn acquire(&self) {
        while let Some(wait) = self.try_acquire(Instant::now()) {
            tokio::time::sleep(wait).await;
        }
    }

    /// Waits until a request may start (a second's share of the budget at most) and counts it;
    /// during a "too many requests" pause, says how long it still lasts instead of waiting.
    pub async fn acquire_unless_paused(&self) -> Result<(), Duration> {
        loop {
            if let Some(left) = self.paused_for(Instant::now()) {
                return Err(left);
            }
            match self.try_acquire(Instant::now()) {
                None => return Ok(()),
                Some(wait) => tokio::time::sleep(wait).await,
            }
        }
    }

    /// Counts a request starting at `now`, or says how long to wait first.
    fn try_acquire(&self, now: Instant) -> Option<Duration> {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(until) = s.paused_until.filter(|t| *t > now) {
            return Some(until - now);
        }
        while s
            .recent
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= WINDOW)
        {
            s.recent.pop_front();
        }
        if s.recent.len() < self.per_second {
            s.recent.push_back(now);
            return None;
        }
        let oldest = s.recent.front().copied().unwrap_or(now);
        Some((oldest + WINDOW).saturating_duration_since(now))
    }

    /// How many requests may start at `now` without waiting, and when the next one may when none
    /// can (a 429 pause included). Counts nothing: the poller asks before it sends.
    pub fn room(&self, now: Instant) -> Room {
        let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(until) = s.paused_until.filter(|t| *t > now) {
            return Room {
                free: 0,
                next: Some(until),
            };
        }
        let in_window: Vec<Instant> = s
            .recent
            .iter()
            .copied()
            .filter(|t| now.saturating_duration_since(*t) < WINDOW)
            .collect();
        let free = self.per_second.saturating_sub(in_window.len());
        let next = (free == 0)
            .then(|| in_window.first().map(|t| *t + WINDOW))
            .flatten();
        Room { free, next }
    }

    /// Counts a request starting at `now` (tests that drive the clock by hand).
    #[cfg(test)]
    pub fn take_at(&self, now: Instant) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.recent.push_back(now);
    }

    /// The most requests that start in any second.
    pub fn per_second(&self) -> usize {
        self.per_second
    }

    /// How long the pause after a "too many requests" still lasts at `now`, if one does.
    pub fn paused_for(&self, now: Instant) -> Option<Duration> {
        let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.paused_until
            .filter(|t| *t > now)
            .map(|t| t.saturating_duration_since(now))
    }

    /// The provider said "too many requests": nothing starts for `wait`.
    pub fn pause(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.paused_until = Some(s.paused_until.map_or(until, |t| t.max(until)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_persons_action_is_refused_during_a_pause_never_held_behind_it() {
        let budget = RequestBudget::new(4);
        assert_eq!(budget.acquire_unless_paused().await, Ok(()));
        budget.pause(Duration::from_secs(300));
        let started = Instant::now();
        let left = budget.acquire_unless_paused().await.unwrap_err();
        assert!(started.elapsed() < Duration::from_millis(100), "at once");
        assert!(left > Duration::from_secs(290) && left <= Duration::from_secs(300));
    }

    #[test]
    fn at_most_n_a_second_and_a_pause_stops_all() {
        let budget = RequestBudget::new(4);
        let t0 = Instant::now();
        for _ in 0..4 {
            assert_eq!(budget.try_acquire(t0), None);
        }
        assert_eq!(budget.try_acquire(t0), Some(WINDOW));
        let t1 = t0 + WINDOW;
        assert_eq!(budget.try_acquire(t1), None, "a new second");
        assert_eq!(budget.room(t1).free, 3);
        budget.pause(Duration::from_secs(30));
        let waited = budget.try_acquire(Instant::now());
        assert!(
            waited.is_some_and(|w| w > Duration::from_secs(29)),
            "{waited:?}"
        );
        let room = budget.room(Instant::now());
        assert_eq!(room.free, 0, "paused");
        assert!(
            room.next
                .is_some_and(|t| t > Instant::now() + Duration::from_secs(29))
        );
    }
}
