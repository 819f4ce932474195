//! Orders reach an end: finished automatically some minutes after the code when asked for, ended
//! "with a code" (not refunded) once past the lifetime, and never polled again after they end,
//! across a restart.

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

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{KEY, TestApp, sim_with, start_app};
use instaotp_desktop::orders::{OrderState, OrderStore};
use instaotp_desktop::platform::test_doubles::MemoryKeychain;
use instaotp_desktop::sim::{SimConfig, Simulator};

const WAIT: Duration = Duration::from_secs(15);

fn sim(
    dir: &std::path::Path,
    edit: impl FnOnce(&mut instaotp_desktop::settings::Settings),
) -> Simulator {
    let config = SimConfig {
        cancel_lock: Duration::from_secs(1),
        code_delay: Some(Duration::ZERO),
        ..SimConfig::default()
    };
    sim_with(dir, config, edit)
}

/// Buys one number and waits for its code; returns its id.
fn buy_until_code(t: &mut TestApp) -> String {
    t.run_until("store", WAIT, |h| h.state().can_buy());
    t.buy("whatsapp", "WhatsApp");
    t.run_until("code", WAIT, |h| {
        h.state().orders().first().is_some_and(|o| o.code.is_some())
    });
    t.app().orders()[0].order_id.clone()
}

/// Moves the stored times of an order back by `ms` (as if the app had been closed that long).
fn age_order(dir: &std::path::Path, id: &str, ms: i64) {
    // The closed app's order writer may still be finishing its last write of this order.
    std::thread::sleep(Duration::from_secs(1));
    let store = OrderStore::open(&dir.join("orders.sqlite")).unwrap();
    let mut order = store
        .load_all()
        .unwrap()
        .into_iter()
        .find(|o| o.order_id == id)
        .unwrap();
    order.bought_at -= ms;
    order.code_at = order.code_at.map(|t| t - ms);
    store.save(&order).unwrap();
}

/// Requests about `id` since request number `since`.
fn asked_about(sim: &Simulator, since: usize, id: &str) -> Vec<String> {
    sim.requests()
        .iter()
        .skip(since)
        .filter(|r| r.params.get("id").map(String::as_str) == Some(id))
        .map(|r| r.action.clone())
        .collect()
}

fn restart(dir: &std::path::Path, sim: &Simulator) -> TestApp {
    start_app(dir, &sim.url(), Arc::new(MemoryKeychain::with_key(KEY)))
}

#[test]
fn an_order_is_finished_automatically_minutes_after_its_code() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path(), |s| s.auto_finish_minutes = Some(2));
    let id = {
        let mut t = TestApp::signed_in(dir.path(), &sim);
        let id = buy_until_code(&mut t);
        // Right after the code: not yet.
        t.harness.run_steps(5);
        assert!(asked_about(&sim, 0, &id).iter().all(|a| a != "setStatus"));
        id
    };
    // The code came three minutes ago: the next start finishes it, once.
    age_order(dir.path(), &id, 3 * 60_000);
    let mut t = restart(dir.path(), &sim);
    t.run_until("finished", WAIT, |h| {
        h.state()
            .orders()
            .iter()
            .any(|o| o.order_id == id && o.state == OrderState::Finished)
    });
    let sets = asked_about(&sim, 0, &id)
        .into_iter()
        .filter(|a| a == "setStatus")
        .count();
    assert_eq!(sets, 1, "finished once");
}

#[test]
fn an_order_with_a_code_ends_after_its_lifetime_and_is_never_polled_again() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path(), |s| s.poll_interval_secs = 3);
    let id = {
        let mut t = TestApp::signed_in(dir.path(), &sim);
        buy_until_code(&mut t)
    };
    // Past its lifetime (20 min) and the grace (10 min), nobody pressed Finish.
    age_order(dir.path(), &id, 31 * 60_000);
    let mut t = restart(dir.path(), &sim);
    t.run_until("ended with its code", WAIT, |h| {
        h.state()
            .orders()
            .iter()
            .any(|o| o.order_id == id && o.state == OrderState::EndedWithCode)
    });
    assert!(
        !t.app().orders()[0].state.refunded(),
        "a code is never refunded"
    );
    drop(t);

    // Ended: a new start never asks about it again.
    let mark = sim.requests().len();
    let mut t = restart(dir.path(), &sim);
    t.run_until("orders loaded", WAIT, |h| !h.state().orders().is_empty());
    let until = Instant::now() + Duration::from_secs(7);
    t.run_until("two poll intervals", Duration::from_secs(10), |_| {
        Instant::now() > until
    });
    assert_eq!(asked_about(&sim, mark, &id), Vec::<String>::new());
    let stored = OrderStore::open(&dir.path().join("orders.sqlite"))
        .unwrap()
        .load_all()
        .unwrap();
    assert_eq!(stored[0].state, OrderState::EndedWithCode);
}
