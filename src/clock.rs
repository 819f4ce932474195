//! The app's two clocks: the computer's date (orders outlive the process, so their times are
//! wall-clock milliseconds) and a monotonic one that ages orders inside a run (see
//! `app::order_clock`). Tests move them as the world would: the date jumps when a person sets
//! the computer's clock, and the monotonic clock runs ahead as if minutes had passed. Both moves
//! are process-wide, so a test that makes them has a test binary of its own.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

static DATE_SHIFT_MS: AtomicI64 = AtomicI64::new(0);
static TIME_PASSED_MS: AtomicU64 = AtomicU64::new(0);

/// The computer's date, in milliseconds since the Unix epoch.
pub fn wall_ms() -> Millis {
    let real = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| {
        Millis::try_from(d.as_millis()).unwrap_or(Millis::MAX)
    });
    real.saturating_add(DATE_SHIFT_MS.load(Ordering::Relaxed))
}

/// A clock the computer's date cannot move, for how long orders have existed.
pub fn monotonic() -> Instant {
    let passed = Duration::from_millis(TIME_PASSED_MS.load(Ordering::Relaxed));
    let now = Instant::now();
    now.checked_add(passed).unwrap_or(now)
}

/// For tests: the computer's clock is set `ms` away from the real date (negative: back).
#[doc(hidden)]
pub fn set_date_shift_for_tests(ms: Millis) {
    DATE_SHIFT_MS.store(ms, Ordering::Relaxed);
}

/// For tests: `d` more passes on the monotonic clock at once.
#[doc(hidden)]
pub fn pass_time_for_tests(d: Duration) {
    let ms = u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
    TIME_PASSED_MS.fetch_add(ms, Ordering::Relaxed);
}

/// For tests: both clocks back to the real ones.
#[doc(hidden)]
pub fn reset_for_tests() {
    DATE_SHIFT_MS.store(0, Ordering::Relaxed);
    TIME_PASSED_MS.store(0, Ordering::Relaxed);
}
