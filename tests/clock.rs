//! Time that can be trusted: countdowns, the cancel lock, auto-cancel, auto-finish and the end
//! of an order with a code follow a clock the computer's date cannot move. The test moves the
//! app's clocks (`instaotp_desktop::clock`): the date jumps forward and back as when a person
//! sets the computer's clock, and the monotonic clock runs ahead as if minutes had passed. The
//! simulator keeps real time. The clocks are process-wide: these tests have a binary of their
//! own (in the shared `it` binary they aged every other test's orders) and run one at a time.

// Tests and tools may unwrap, index and panic: a failure here is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap
)]

mod common;

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::common::{TestApp, sim_with};
use egui_kittest::kittest::{NodeT, Queryable};
use instaotp_desktop::clock;
use instaotp_desktop::orders::OrderState;
use instaotp_desktop::settings::Settings;
use instaotp_desktop::sim::{SimConfig, Simulator};

const WAIT: Duration = Duration::from_secs(20);
const MINUTE: Duration = Duration::from_secs(60);
const DAY_MS: i64 = 24 * 60 * 60 * 1000;
const HOUR_MS: i64 = 60 * 60 * 1000;

/// One test at a time moves the clocks; each starts and ends on the real ones.
static CLOCKS: Mutex<()> = Mutex::new(());

struct RealClocksAfter {
    _one_at_a_time: MutexGuard<'static, ()>,
}

impl Drop for RealClocksAfter {
    fn drop(&mut self) {
        clock::reset_for_tests();
    }
}

fn take_clocks() -> RealClocksAfter {
    let guard = CLOCKS.lock().unwrap_or_else(PoisonError::into_inner);
    clock::reset_for_tests();
    RealClocksAfter {
        _one_at_a_time: guard,
    }
}

/// A simulator with a 1 s cancel lock (its own clock is the real one), and the app's settings:
/// a 2 minute lock, a 20 minute lifetime, changed further by `edit`.
fn sim(
    dir: &std::path::Path,
    code_delay: Option<Duration>,
    edit: impl FnOnce(&mut Settings),
) -> Simulator {
    let config = SimConfig {
        cancel_lock: Duration::from_secs(1),
        code_delay,
        ..SimConfig::default()
    };
    sim_with(dir, config, |s| {
        s.cancel_lock_secs = 120;
        s.order_lifetime_secs = 20 * 60;
        edit(s);
    })
}

/// Buys WhatsApp and waits until the order is shown on Orders; returns its id.
fn buy(t: &mut TestApp) -> String {
    t.buy("whatsapp", "WhatsApp");
    t.run_until("bought", WAIT, |h| {
        h.state().orders().iter().any(|o| !o.is_attempt())
    });
    t.click_tab("Orders");
    t.app().orders()[0].order_id.clone()
}

/// The seconds a countdown on screen shows: "Expires in 19:58" → 1198.
fn shown_secs(t: &TestApp, prefix: &str) -> u64 {
    let label = t
        .harness
        .query_all_by_label_contains(prefix)
        .filter_map(|n| {
            let n = n.accesskit_node();
            n.label().or_else(|| n.value())
        })
        .find(|l| l.contains(prefix))
        .unwrap_or_else(|| {
            let all: Vec<String> = t
                .harness
                .query_all_by_label_contains("")
                .filter_map(|n| n.accesskit_node().label())
                .collect();
            panic!("no {prefix:?} on screen: {all:?}")
        });
    let rest = &label[label.find(prefix).unwrap() + prefix.len()..];
    let clock: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ':')
        .collect();
    let (m, s) = clock
        .split_once(':')
        .unwrap_or_else(|| panic!("no m:ss in {label:?}"));
    m.parse::<u64>().unwrap() * 60 + s.parse::<u64>().unwrap()
}

fn set_status_sent(sim: &Simulator, id: &str) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.action == "setStatus")
        .filter(|r| r.params.get("id").map(String::as_str) == Some(id))
        .count()
}

fn cancel_enabled(h: &egui_kittest::Harness<'static, instaotp_desktop::App>) -> bool {
    h.query_by_label("Cancel")
        .is_some_and(|n| !n.accesskit_node().is_disabled())
}

#[test]
fn the_computers_clock_set_forward_or_back_moves_no_countdown_and_cancels_nothing() {
    let _clocks = take_clocks();
    let dir = tempfile::tempdir().unwrap();
    // Auto-cancel 15 minutes before the end: due 5 minutes after the purchase.
    let sim = sim(dir.path(), None, |s| {
        s.auto_cancel = true;
        s.auto_cancel_minutes_before = 15;
    });
    let mut t = TestApp::signed_in(dir.path(), &sim);
    let id = buy(&mut t);
    t.wait_for_text("You can cancel in ", WAIT);
    let lock = shown_secs(&t, "You can cancel in ");
    let expires = shown_secs(&t, "Expires in ");
    assert!((110..=120).contains(&lock), "{lock}");
    assert!((1190..=1200).contains(&expires), "{expires}");

    // The date a day ahead, then an hour behind the real one: the countdowns go on as before,
    // Cancel stays locked no longer than the lock, and nothing is cancelled.
    for shift in [DAY_MS, -HOUR_MS] {
        clock::set_date_shift_for_tests(shift);
        t.run_for(Duration::from_secs(2));
        let now_lock = shown_secs(&t, "You can cancel in ");
        let now_expires = shown_secs(&t, "Expires in ");
        assert!(
            now_lock <= lock && now_lock + 10 >= lock,
            "clock moved {shift} ms: cancel lock {lock} s → {now_lock} s"
        );
        assert!(
            now_expires <= expires && now_expires + 10 >= expires,
            "clock moved {shift} ms: expiry {expires} s → {now_expires} s"
        );
        assert!(
            !cancel_enabled(&t.harness),
            "clock moved {shift} ms: Cancel unlocked early"
        );
        assert_eq!(
            set_status_sent(&sim, &id),
            0,
            "clock moved {shift} ms: cancelled"
        );
        assert_eq!(t.state_of(&id), OrderState::Waiting);
    }

    // Two minutes pass for real (the monotonic clock): Cancel unlocks, still no auto-cancel.
    clock::pass_time_for_tests(2 * MINUTE);
    t.run_until("cancel unlocked", WAIT, cancel_enabled);
    t.run_for(Duration::from_secs(1));
    assert_eq!(
        set_status_sent(&sim, &id),
        0,
        "auto-cancelled before its time"
    );
    let expires_now = shown_secs(&t, "Expires in ");
    assert!((1060..=1080).contains(&expires_now), "{expires_now}");

    // Three minutes more: auto-cancel is due, asked once, and InstaOTP refunds.
    clock::pass_time_for_tests(3 * MINUTE + Duration::from_secs(5));
    t.wait_for_state(&id, OrderState::Cancelled);
    assert_eq!(set_status_sent(&sim, &id), 1);
}

#[test]
fn an_order_with_a_code_ends_with_it_after_its_lifetime_while_the_app_runs() {
    let _clocks = take_clocks();
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path(), Some(Duration::from_millis(300)), |_| {});
    let mut t = TestApp::signed_in(dir.path(), &sim);
    let id = buy(&mut t);
    t.run_until("code", WAIT, |h| {
        h.state().orders()[0].state == OrderState::CodeReceived
    });
    // A date far behind changes nothing: the order is not ended early, nor kept for longer.
    clock::set_date_shift_for_tests(-DAY_MS);
    t.run_for(Duration::from_secs(1));
    assert_eq!(t.state_of(&id), OrderState::CodeReceived);

    // Its lifetime (20 min) passes, not yet the grace after it: still open, still watched.
    clock::pass_time_for_tests(21 * MINUTE);
    t.run_for(Duration::from_secs(1));
    assert_eq!(t.state_of(&id), OrderState::CodeReceived);
    t.wait_for_text(
        "Past its expected end. If you used the code, press Finish",
        WAIT,
    );

    // And the grace: it ends "with a code" by itself, never refunded, never asked about again.
    clock::pass_time_for_tests(10 * MINUTE);
    t.run_until("ended with a code", WAIT, |h| {
        h.state().orders()[0].state == OrderState::EndedWithCode
    });
    let order = t.app().orders()[0].clone();
    assert!(!order.state.refunded());
    assert_eq!(order.code.as_deref().map(str::is_empty), Some(false));
    assert_eq!(set_status_sent(&sim, &id), 0, "nothing was pressed");
    let mark = sim.requests().len();
    t.run_for(Duration::from_secs(7));
    let asked = sim
        .requests()
        .iter()
        .skip(mark)
        .filter(|r| r.params.get("id").map(String::as_str) == Some(id.as_str()))
        .count();
    assert_eq!(asked, 0, "polled after it ended");
    t.wait_for_text("Ended with a code", WAIT);
}

#[test]
fn auto_finish_counts_its_minutes_on_a_clock_the_date_cannot_move() {
    let _clocks = take_clocks();
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path(), Some(Duration::from_millis(300)), |s| {
        s.auto_finish_minutes = Some(3);
    });
    let mut t = TestApp::signed_in(dir.path(), &sim);
    let id = buy(&mut t);
    t.run_until("code", WAIT, |h| {
        h.state().orders()[0].state == OrderState::CodeReceived
    });
    // The date a day ahead: three minutes have not passed, nothing is finished.
    clock::set_date_shift_for_tests(DAY_MS);
    t.run_for(Duration::from_secs(2));
    assert_eq!(set_status_sent(&sim, &id), 0, "finished on the date's word");
    assert_eq!(t.state_of(&id), OrderState::CodeReceived);
    // Two minutes: not yet.
    clock::pass_time_for_tests(2 * MINUTE);
    t.run_for(Duration::from_secs(1));
    assert_eq!(set_status_sent(&sim, &id), 0, "finished early");
    // Three: finished, once.
    clock::pass_time_for_tests(MINUTE + Duration::from_secs(1));
    t.run_until("finished", WAIT, |h| {
        h.state().orders()[0].state == OrderState::Finished
    });
    assert_eq!(set_status_sent(&sim, &id), 1);
}

/// One NO_ACTIVATION proves nothing (a provider whose replicas lag does not know a fresh order
/// for its first seconds): the order stays open. InstaOTP saying it again a minute later, past the
/// cancel lock, ends it "Closed by InstaOTP", not refunded, the balance read again, and it is
/// never asked about again.
#[test]
fn no_activation_ends_an_order_only_when_said_again_a_minute_later_past_the_lock() {
    let _clocks = take_clocks();
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path(), None, |_| {});
    sim.unknown_for(Duration::from_secs(8));
    let mut t = TestApp::signed_in(dir.path(), &sim);
    let id = buy(&mut t);
    let noted = |h: &egui_kittest::Harness<'static, instaotp_desktop::App>, noted: bool| {
        h.state()
            .orders()
            .iter()
            .any(|o| o.order_id == id && o.unknown_since.is_some() == noted)
    };
    t.run_until("a first NO_ACTIVATION noted", WAIT, |h| noted(h, true));
    assert_eq!(
        t.state_of(&id),
        OrderState::Waiting,
        "the first look after the sale"
    );
    t.run_until("known to InstaOTP", WAIT, |h| noted(h, false));
    assert_eq!(t.state_of(&id), OrderState::Waiting);

    // InstaOTP forgets the order (and gives the money back).
    let balance_reads = sim.count("getBalance");
    assert!(sim.forget_order(&id, true));
    t.run_until("NO_ACTIVATION noted again", WAIT, |h| noted(h, true));
    t.run_for(Duration::from_secs(7));
    assert_eq!(
        t.state_of(&id),
        OrderState::Waiting,
        "said again within the minute"
    );
    clock::pass_time_for_tests(3 * MINUTE);
    t.wait_for_state(&id, OrderState::Gone);
    let order = t.app().orders()[0].clone();
    assert!(!order.state.refunded(), "no refund the app did not hear");
    t.wait_for_text("Closed by InstaOTP", WAIT);
    crate::common::wait_balance_read(&mut t, &sim, balance_reads);

    // Never asked about again.
    let ended = sim.requests().len();
    t.run_for(Duration::from_secs(7));
    let asked = sim
        .requests()
        .iter()
        .skip(ended)
        .filter(|r| r.params.get("id") == Some(&id))
        .count();
    assert_eq!(asked, 0);
}
