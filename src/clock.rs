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

/// A clock the computer's date cannot move, for how long orders have existed. It counts the time
/// the computer was asleep, as the provider's clock does (see [`steady_now`]).
pub fn monotonic() -> Instant {
    let passed = Duration::from_millis(TIME_PASSED_MS.load(Ordering::Relaxed));
    let now = steady_now();
    now.checked_add(passed).unwrap_or(now)
}

/// Now, on a clock that runs on while the computer sleeps. On Linux `Instant` stops during a
/// suspend (CLOCK_MONOTONIC), so a countdown would resume where it stopped while the order kept
/// ageing at InstaOTP: the boot-time clock is used instead, counted from the first call.
#[cfg(target_os = "linux")]
fn steady_now() -> Instant {
    use std::sync::LazyLock;
    static ORIGIN: LazyLock<(Instant, Duration)> = LazyLock::new(|| (Instant::now(), boot_time()));
    let (at, boot) = *ORIGIN;
    at.checked_add(boot_time().saturating_sub(boot))
        .unwrap_or_else(Instant::now)
}

/// Time since boot, sleep included.
#[cfg(target_os = "linux")]
fn boot_time() -> Duration {
    let ts = rustix::time::clock_gettime(rustix::time::ClockId::Boottime);
    let secs = u64::try_from(ts.tv_sec).unwrap_or(0);
    let nanos = u32::try_from(ts.tv_nsec).unwrap_or(0).min(999_999_999);
    Duration::new(secs, nanos)
}

#[cfg(not(target_os = "linux"))]
fn steady_now() -> Instant {
    Instant::now()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The steady clock advances with real time (it cannot be put to sleep here: that it counts
    /// a suspend is CLOCK_BOOTTIME's promise, not measured).
    #[test]
    fn the_steady_clock_advances_with_real_time() {
        let (steady, real) = (steady_now(), Instant::now());
        std::thread::sleep(Duration::from_millis(50));
        let moved = steady_now().saturating_duration_since(steady);
        let real_moved = real.elapsed();
        assert!(moved >= Duration::from_millis(50), "{moved:?}");
        assert!(
            moved <= real_moved + Duration::from_millis(20),
            "{moved:?} vs {real_moved:?}"
        );
    }
}
