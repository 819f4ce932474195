//! One session per connection, replaced whole: results of an earlier connection never land in
//! the current one, and a purchase that answers late is never lost.

use std::time::Duration;

use crate::common::{KEY, TestApp};
use egui_kittest::kittest::Queryable;
use instaotp_desktop::app::Screen;
use instaotp_desktop::orders::OrderStore;
use instaotp_desktop::sim::{Fault, SimConfig, Simulator};

const WAIT: Duration = Duration::from_secs(15);

#[test]
fn a_late_balance_of_the_first_key_never_shows_for_the_second() {
    let sim = Simulator::start(SimConfig {
        accounts: vec![
            (KEY.into(), "100".parse().unwrap()),
            ("second-key".into(), "7.50".parse().unwrap()),
        ],
        ..SimConfig::default()
    })
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut t = TestApp::with_saved_key(dir.path(), &sim.url());
    t.wait_for_text("Balance: ₹100.00", WAIT);
    // The first key's balance is asked again and answers only after the key has changed.
    sim.fault_once("getBalance", Fault::Slow(Duration::from_millis(1500)));
    t.click("⟳ Refresh balance");
    t.click("Settings");
    t.click("Change key");
    t.type_into("API key", "second-key");
    t.click("Check and save");
    t.wait_for_text("Balance: ₹7.50", WAIT);
    t.run_until("every request answered", WAIT, |h| h.state().is_idle());
    t.harness.run_steps(3);
    assert!(t.has_text("Balance: ₹7.50"));
    assert!(
        !t.has_text("Balance: ₹100.00"),
        "the first key's balance came back"
    );
}

/// Signed in with the orders open, a purchase sent whose answer takes 1.5 s.
fn buying_slowly() -> (Simulator, tempfile::TempDir, TestApp) {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut t = TestApp::with_saved_key(dir.path(), &sim.url());
    t.wait_for_offers();
    t.run_until("store", WAIT, |h| h.state().can_buy());
    sim.fault_once("getNumber", Fault::Slow(Duration::from_millis(1500)));
    t.open_buy("whatsapp", "WhatsApp");
    t.confirm_buy();
    (sim, dir, t)
}

#[test]
fn a_purchase_that_answers_after_sign_out_is_kept_for_the_next_sign_in() {
    let (sim, dir, mut t) = buying_slowly();
    // Signed out while the purchase is out.
    t.click("Settings");
    t.click("Remove key");
    t.wait_for_text("Remove the API key?", WAIT);
    // The dialog's button, not the one behind it.
    t.harness
        .query_all_by_label("Remove key")
        .last()
        .unwrap()
        .click();
    t.run_until("signed out", WAIT, |h| {
        h.state().screen() == Screen::Welcome
    });
    t.run_until("every request answered", WAIT, |h| h.state().is_idle());
    t.harness.run_steps(3);
    assert_eq!(sim.orders().len(), 1, "one number was sold");
    assert!(
        t.app().orders().is_empty(),
        "nothing shown without a session"
    );
    assert!(
        !t.app()
            .message_texts()
            .iter()
            .any(|m| m.starts_with("Bought")),
        "a purchase of the old session was announced on the Welcome screen"
    );
    // The order is in the database, and back with the next sign-in.
    let stored = OrderStore::open(&dir.path().join("orders.sqlite"))
        .unwrap()
        .load_all()
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].order_id, sim.orders()[0].id);
    t.sign_in(KEY);
    t.run_until("the order is back", WAIT, |h| h.state().orders().len() == 1);
}

#[test]
fn a_purchase_that_answers_after_a_reconnect_joins_the_new_session_once() {
    let (sim, _dir, mut t) = buying_slowly();
    // The same account connects again (the status encoding changed) while the purchase is out.
    t.click("Settings");
    t.click("Advanced (only if InstaOTP tells you so in writing)");
    t.click("As numbers (older InstaOTP servers)");
    t.run_until("every request answered", WAIT, |h| h.state().is_idle());
    t.harness.run_steps(3);
    let ids: Vec<String> = t
        .app()
        .orders()
        .iter()
        .map(|o| o.order_id.clone())
        .collect();
    assert_eq!(
        ids,
        [sim.orders()[0].id.clone()],
        "the order shows exactly once"
    );
}

/// Status requests for `order_id` sent with `key` since request number `since`.
fn status_requests(sim: &Simulator, since: usize, order_id: &str, key: &str) -> usize {
    sim.requests()
        .iter()
        .skip(since)
        .filter(|r| r.action == "getStatus" || r.action == "setStatus")
        .filter(|r| r.params.get("id").map(String::as_str) == Some(order_id))
        .filter(|r| r.params.get("api_key").map(String::as_str) == Some(key))
        .count()
}

#[test]
fn orders_of_one_key_are_never_asked_about_with_another() {
    let dir = tempfile::tempdir().unwrap();
    let config = SimConfig {
        accounts: vec![
            (KEY.into(), "100".parse().unwrap()),
            ("second-key".into(), "50".parse().unwrap()),
        ],
        code_delay: None,
        ..SimConfig::default()
    };
    let sim = crate::common::sim_with(dir.path(), config, |s| s.poll_interval_secs = 3);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    t.buy("whatsapp", "WhatsApp");
    t.run_until("bought", WAIT, |h| !h.state().orders().is_empty());
    let id = t.app().orders()[0].order_id.clone();
    t.run_until("polled with its own key", WAIT, |_| {
        status_requests(&sim, 0, &id, KEY) > 0
    });

    t.change_key("second-key");
    t.wait_for_text("Balance: ₹50.00", WAIT);
    t.run_until("orders open", WAIT, |h| h.state().can_buy());
    let mark = sim.requests().len();
    // Two poll intervals and more: the first key's order is shown, never asked about.
    let until = std::time::Instant::now() + Duration::from_secs(7);
    t.run_until("time passes", Duration::from_secs(10), |_| {
        std::time::Instant::now() > until
    });
    assert_eq!(status_requests(&sim, mark, &id, "second-key"), 0);
    assert_eq!(t.app().orders().len(), 1);
    assert!(t.app().orders()[0].is_active(), "nothing closed it");
    t.click_tab("Orders");
    t.wait_for_text("Bought with another key", WAIT);

    // The first key back: its order is followed again.
    let mark = sim.requests().len();
    t.change_key(KEY);
    t.run_until("followed again", WAIT, |_| {
        status_requests(&sim, mark, &id, KEY) > 0
    });
}

/// The viewport commands of the last frame.
fn commands(t: &TestApp) -> Vec<egui::ViewportCommand> {
    t.harness
        .output()
        .viewport_output
        .values()
        .flat_map(|v| v.commands.iter().cloned())
        .collect()
}

#[test]
fn closing_while_buying_waits_for_the_answer_then_closes() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut t = TestApp::signed_in(dir.path(), &sim);
    sim.fault_once("getNumber", Fault::Slow(Duration::from_millis(1200)));
    t.buy("whatsapp", "WhatsApp");
    // The window is asked to close while the purchase is out.
    t.harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    t.harness.step();
    assert!(
        commands(&t)
            .iter()
            .any(|c| matches!(c, egui::ViewportCommand::CancelClose)),
        "the close waits"
    );
    t.wait_for_text("Finishing a purchase", WAIT);
    let mut closed = false;
    t.run_until("closed after the answer", WAIT, |h| {
        closed |= h
            .output()
            .viewport_output
            .values()
            .flat_map(|v| v.commands.iter())
            .any(|c| matches!(c, egui::ViewportCommand::Close));
        closed
    });
    // The order was settled before the window went.
    assert_eq!(t.app().orders().len(), 1);
    assert!(!t.app().orders()[0].is_attempt());
}
