//! The provider's rate limit, as a runtime switch of the simulator: at most N requests in any
//! second; above it, HTTP 429 with `Retry-After` (whole seconds) and nothing processed. Pure
//! state with the clock passed in.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(1);

#[derive(Debug)]
pub(crate) struct RateLimit {
    per_second: usize,
    /// When the requests let through in the last second arrived.
    recent: VecDeque<Instant>,
    /// How many requests were refused.
    pub refused: usize,
}

impl RateLimit {
    pub fn new(per_second: usize) -> Self {
        Self {
            per_second: per_second.max(1),
            recent: VecDeque::new(),
            refused: 0,
        }
    }

    /// Lets a request arriving at `now` through, or says how long until one would be (a refused
    /// request does not count against the limit).
    pub fn admit(&mut self, now: Instant) -> Result<(), Duration> {
        while self
            .recent
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= WINDOW)
        {
            self.recent.pop_front();
        }
        if self.recent.len() < self.per_second {
            self.recent.push_back(now);
            return Ok(());
        }
        self.refused += 1;
        let oldest = self.recent.front().copied().unwrap_or(now);
        Err((oldest + WINDOW).saturating_duration_since(now))
    }
}

/// `Retry-After` in whole seconds, rounded up, at least 1.
pub(crate) fn retry_after_secs(wait: Duration) -> u64 {
    wait.as_millis()
        .div_ceil(1000)
        .max(1)
        .try_into()
        .unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n_in_any_second_then_a_wait_until_the_oldest_leaves() {
        let mut limit = RateLimit::new(4);
        let t0 = Instant::now();
        for i in 0..4 {
            assert_eq!(limit.admit(t0 + Duration::from_millis(100 * i)), Ok(()));
        }
        let at = t0 + Duration::from_millis(500);
        assert_eq!(limit.admit(at), Err(Duration::from_millis(500)));
        assert_eq!(limit.refused, 1);
        assert_eq!(
            limit.admit(t0 + Duration::from_secs(1)),
            Ok(()),
            "the first left"
        );
        assert_eq!(retry_after_secs(Duration::from_millis(500)), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(1500)), 2);
    }
}
