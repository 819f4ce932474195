//! Orders closed behind the app's back: InstaOTP forgets one (NO_ACTIVATION) or it is cancelled
//! on the website (ALREADY_CANCEL). The order ends in words staff understand, is never asked
//! about again, and the balance is read again so the one shown is the provider's.

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

use std::path::Path;
use std::time::Duration;

use common::{KEY, TestApp, sim_with};
use instaotp_desktop::orders::OrderState;
use instaotp_desktop::sim::{Fault, SimConfig, Simulator};
use rust_decimal::Decimal;

const WAIT: Duration = Duration::from_secs(20);

/// A 1 s cancel lock, codes only when a test delivers them, polls every 3 s.
fn sim(dir: &Path) -> Simulator {
    let config = SimConfig {
        cancel_lock: Duration::from_secs(1),
        code_delay: None,
        ..SimConfig::default()
    };
    sim_with(dir, config, |_| {})
}

/// Buys the first WhatsApp offer and waits until the purchase (and its balance read) is done;
/// returns the order id.
fn buy(t: &mut TestApp, sim: &Simulator) -> String {
    t.buy("whatsapp", "WhatsApp");
    t.run_until("order", WAIT, |h| {
        h.state().orders().iter().any(|o| !o.is_attempt())
    });
    t.run_until("idle", WAIT, |h| h.state().is_idle());
    wait_shown_balance(t, sim);
    t.app().orders()[0].order_id.clone()
}

fn shown_balance(t: &TestApp) -> Option<Decimal> {
    t.app()
        .session()
        .and_then(|s| s.balance.as_ref().map(|(b, _)| b.amount))
}

/// Waits until the top bar shows the simulator's balance, in figures and in words.
fn wait_shown_balance(t: &mut TestApp, sim: &Simulator) {
    let truth = sim.balance(KEY).unwrap();
    t.run_until("the provider's balance shown", WAIT, |h| {
        h.state()
            .session()
            .and_then(|s| s.balance.as_ref())
            .is_some_and(|(b, _)| b.amount == truth)
    });
    let words = format!("Balance: ₹{truth:.2}");
    assert!(t.has_text(&words), "{words} on screen");
}

/// Waits until the app has asked for the balance again (more than `reads` times in all).
fn wait_balance_read(t: &mut TestApp, sim: &Simulator, reads: usize) {
    t.run_until("the balance read again", WAIT, |_| {
        sim.count("getBalance") > reads
    });
    wait_shown_balance(t, sim);
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

/// Whether the log has a `getBalance` after the first `action` about `id` since `since`.
fn balance_read_after(sim: &Simulator, since: usize, action: &str, id: &str) -> bool {
    let log = sim.requests();
    let Some(at) = log
        .iter()
        .enumerate()
        .skip(since)
        .find(|(_, r)| r.action == action && r.params.get("id").map(String::as_str) == Some(id))
        .map(|(i, _)| i)
    else {
        return false;
    };
    log[at + 1..].iter().any(|r| r.action == "getBalance")
}

#[test]
fn an_order_instaotp_forgets_is_closed_by_instaotp_never_polled_again_and_the_balance_read() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path());
    let mut t = TestApp::signed_in(dir.path(), &sim);
    let id = buy(&mut t, &sim);
    let charged = sim.balance(KEY).unwrap();

    // InstaOTP forgets the order (and gives the money back): it now answers NO_ACTIVATION.
    let mark = sim.requests().len();
    let balance_reads = sim.count("getBalance");
    assert!(sim.forget_order(&id, true));
    assert!(sim.balance(KEY).unwrap() > charged);
    t.wait_for_state(&id, OrderState::Gone);
    let ended = sim.requests().len();
    let order = t.app().orders()[0].clone();
    assert!(!order.state.refunded(), "no refund the app did not hear");
    assert!(order.closed_at.is_some());
    t.click_tab("Orders");
    t.wait_for_text("Closed by InstaOTP", WAIT);

    // The balance is read again after the NO_ACTIVATION, and shown as InstaOTP has it.
    wait_balance_read(&mut t, &sim, balance_reads);
    assert!(
        balance_read_after(&sim, mark, "getStatus", &id),
        "a getBalance after the NO_ACTIVATION: {:?}",
        sim.requests()
            .iter()
            .skip(mark)
            .map(|r| r.action.clone())
            .collect::<Vec<_>>()
    );

    // Never asked about again: nothing in two poll intervals after it ended.
    t.run_for(Duration::from_secs(7));
    assert_eq!(asked_about(&sim, ended, &id), Vec::<String>::new());
    let polls = asked_about(&sim, mark, &id);
    assert!(
        !polls.is_empty() && polls.len() <= 2 && polls.iter().all(|a| a == "getStatus"),
        "{polls:?}"
    );
    assert_eq!(t.state_of(&id), OrderState::Gone);

    // Nor after a restart.
    drop(t);
    let mark = sim.requests().len();
    let mut t = TestApp::signed_in(dir.path(), &sim);
    t.run_until("order loaded", WAIT, |h| {
        h.state().orders().iter().any(|o| o.order_id == id)
    });
    t.run_for(Duration::from_millis(3500));
    assert_eq!(t.state_of(&id), OrderState::Gone);
    assert_eq!(asked_about(&sim, mark, &id), Vec::<String>::new());
}

/// The provider's status lags behind its website: polls still say "waiting", so the app learns
/// of the change only from its own cancel.
fn status_lags(sim: &Simulator) {
    sim.set_fault(
        "getStatus",
        Some(Fault::Reply {
            status: 200,
            body: "STATUS_WAIT_CODE".into(),
        }),
    );
}

#[test]
fn a_cancel_answered_already_cancel_closes_the_order_and_reads_the_balance() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path());
    let mut t = TestApp::signed_in(dir.path(), &sim);
    let start = sim.balance(KEY).unwrap();
    status_lags(&sim);
    let id = buy(&mut t, &sim);
    assert_eq!(shown_balance(&t), sim.balance(KEY));

    // Cancelled on the website, refunded there; the app still shows it waiting.
    assert!(sim.cancel_order(&id));
    assert_eq!(sim.balance(KEY), Some(start));
    let mark = sim.requests().len();
    let balance_reads = sim.count("getBalance");
    t.cancel_on_its_card();
    t.run_until("closed", WAIT, |h| {
        h.state()
            .orders()
            .iter()
            .any(|o| o.order_id == id && o.state.is_final())
    });
    assert_eq!(t.state_of(&id), OrderState::Cancelled);
    wait_balance_read(&mut t, &sim, balance_reads);
    assert_eq!(shown_balance(&t), Some(start));
    assert!(
        balance_read_after(&sim, mark, "setStatus", &id),
        "a getBalance after it"
    );
    let sets = asked_about(&sim, mark, &id)
        .into_iter()
        .filter(|a| a == "setStatus")
        .count();
    assert_eq!(sets, 1, "one cancel sent");
    // Said as what happened, not as a failure.
    let messages = t.app().message_texts();
    assert!(
        messages.iter().any(|m| m.contains("was already cancelled"))
            && !messages.iter().any(|m| m.contains("Could not")),
        "{messages:?}"
    );
}

#[test]
fn a_cancel_answered_no_activation_closes_the_order_and_reads_the_balance() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path());
    let mut t = TestApp::signed_in(dir.path(), &sim);
    let start = sim.balance(KEY).unwrap();
    status_lags(&sim);
    let id = buy(&mut t, &sim);

    // InstaOTP forgets it and gives the money back; the app still shows it waiting.
    assert!(sim.forget_order(&id, true));
    assert_eq!(sim.balance(KEY), Some(start));
    let mark = sim.requests().len();
    let balance_reads = sim.count("getBalance");
    t.cancel_on_its_card();
    t.wait_for_state(&id, OrderState::Gone);
    assert!(
        !t.state_of(&id).refunded(),
        "no refund the app did not hear"
    );
    wait_balance_read(&mut t, &sim, balance_reads);
    assert_eq!(shown_balance(&t), Some(start));
    assert!(
        balance_read_after(&sim, mark, "setStatus", &id),
        "a getBalance after it"
    );
    t.wait_for_text("Closed by InstaOTP", WAIT);
}

#[test]
fn finish_answered_already_cancel_after_a_code_ends_it_with_the_code_not_refunded() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path());
    let mut t = TestApp::signed_in(dir.path(), &sim);
    let id = buy(&mut t, &sim);
    sim.deliver_code(&id, "246810");
    t.run_until("code", WAIT, |h| {
        h.state().orders()[0].code.as_deref() == Some("246810")
    });
    let charged = sim.balance(KEY).unwrap();

    // Closed on the website after its code: not refunded there; the app has not heard.
    status_lags(&sim);
    assert!(sim.cancel_order(&id));
    assert_eq!(sim.balance(KEY), Some(charged));
    let mark = sim.requests().len();
    let balance_reads = sim.count("getBalance");
    t.click_tab("Orders");
    t.click("Finish");
    t.run_until("ended", WAIT, |h| {
        h.state()
            .orders()
            .iter()
            .any(|o| o.order_id == id && o.state.is_final())
    });
    assert_eq!(t.state_of(&id), OrderState::EndedWithCode);
    assert!(!t.state_of(&id).refunded(), "a code is never refunded");
    wait_balance_read(&mut t, &sim, balance_reads);
    assert_eq!(shown_balance(&t), Some(charged));
    assert!(
        balance_read_after(&sim, mark, "setStatus", &id),
        "a getBalance after it"
    );
    t.wait_for_text("Ended with a code", WAIT);
}

#[test]
fn an_order_instaotp_closes_after_its_code_ends_with_the_code_by_itself() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path());
    let mut t = TestApp::signed_in(dir.path(), &sim);
    let id = buy(&mut t, &sim);
    sim.deliver_code(&id, "135790");
    t.run_until("code", WAIT, |h| {
        h.state().orders()[0].code.as_deref() == Some("135790")
    });
    let charged = sim.balance(KEY).unwrap();
    // Its time is over at InstaOTP, which closes it (no refund: a code came). Nobody presses a
    // button: the open-orders list no longer names it, so its status is asked.
    assert!(sim.cancel_order(&id));
    t.run_until("ended by itself", WAIT, |h| {
        h.state()
            .orders()
            .iter()
            .any(|o| o.order_id == id && o.state.is_final())
    });
    assert_eq!(t.state_of(&id), OrderState::EndedWithCode);
    assert!(!t.state_of(&id).refunded(), "a code is never refunded");
    assert_eq!(sim.count("setStatus"), 0);
    assert_eq!(sim.balance(KEY), Some(charged));
    t.wait_for_text("Ended with a code", WAIT);
}

#[test]
fn a_cancel_refunded_by_instaotp_reads_the_balance_and_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path());
    let mut t = TestApp::signed_in(dir.path(), &sim);
    let start = sim.balance(KEY).unwrap();
    let id = buy(&mut t, &sim);
    assert!(
        shown_balance(&t) < Some(start),
        "the purchase is shown charged"
    );
    let mark = sim.requests().len();
    let balance_reads = sim.count("getBalance");
    t.cancel_on_its_card();
    t.wait_for_state(&id, OrderState::Cancelled);
    assert_eq!(sim.balance(KEY), Some(start), "InstaOTP refunded it");
    wait_balance_read(&mut t, &sim, balance_reads);
    assert_eq!(shown_balance(&t), Some(start));
    assert!(
        balance_read_after(&sim, mark, "setStatus", &id),
        "a getBalance after the ACCESS_CANCEL"
    );
}

#[test]
fn an_order_cancelled_on_the_website_before_a_code_is_refunded_and_the_balance_read() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path());
    let mut t = TestApp::signed_in(dir.path(), &sim);
    let start = sim.balance(KEY).unwrap();
    let id = buy(&mut t, &sim);
    let mark = sim.requests().len();
    let balance_reads = sim.count("getBalance");
    // Cancelled on the website: the next poll answers STATUS_CANCEL, and no code came.
    assert!(sim.cancel_order(&id));
    t.run_until("cancelled", WAIT, |h| {
        h.state()
            .orders()
            .iter()
            .any(|o| o.order_id == id && o.state.is_final())
    });
    let order = t.app().orders()[0].clone();
    assert_eq!(order.state, OrderState::Cancelled);
    assert!(order.state.refunded());
    wait_balance_read(&mut t, &sim, balance_reads);
    assert_eq!(shown_balance(&t), Some(start));
    assert!(
        balance_read_after(&sim, mark, "getStatus", &id),
        "a getBalance after the STATUS_CANCEL"
    );
    let sets = asked_about(&sim, mark, &id)
        .into_iter()
        .filter(|a| a == "setStatus")
        .count();
    assert_eq!(sets, 0, "the app itself cancelled nothing");
}
