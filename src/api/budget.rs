//! One request budget for everything a client sends (polls, balance, offers, purchases and the
//! client's own retries): at most N requests start in any second, and a 429 pauses them all for
//! as long as the provider asked. Shared by every clone of a [`super::Client`].

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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

    /// Counts a request starting at `now`, or says how long to wait first.
    fn try_acquire(&self, now: Instant) -> Option<Duration> {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(until) = s.paused_until.filter(|t| *t > now) {
            return Some(until - now);
        }
        while s
            .recent
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= Duration::from_secs(1))
        {
            s.recent.pop_front();
        }
        if s.recent.len() < self.per_second {
            s.recent.push_back(now);
            return None;
        }
        let oldest = s.recent.front().copied().unwrap_or(now);
        Some((oldest + Duration::from_secs(1)).saturating_duration_since(now))
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

    #[test]
    fn at_most_n_a_second_and_a_pause_stops_all() {
        let budget = RequestBudget::new(4);
        let t0 = Instant::now();
        for _ in 0..4 {
            assert_eq!(budget.try_acquire(t0), None);
        }
        assert_eq!(budget.try_acquire(t0), Some(Duration::from_secs(1)));
        let t1 = t0 + Duration::from_secs(1);
        assert_eq!(budget.try_acquire(t1), None, "a new second");
        budget.pause(Duration::from_secs(30));
        let waited = budget.try_acquire(Instant::now());
        assert!(
            waited.is_some_and(|w| w > Duration::from_secs(29)),
            "{waited:?}"
        );
    }
}
