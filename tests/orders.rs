//! Orders against the simulator with short timings: codes, copy, cancel lock, refunds, finish,
//! another SMS, expiry, and resuming after a restart.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{KEY, TestApp, fast_sim, start_app, write_settings};
use egui_kittest::kittest::{NodeT, Queryable};
use instaotp_desktop::api::StatusEncoding;
use instaotp_desktop::keychain::MemoryKeychain;
use instaotp_desktop::orders::OrderState;
use instaotp_desktop::sim::{SimConfig, Simulator};

const WAIT: Duration = Duration::from_secs(15);

fn signed_in(sim: &Simulator, dir: &std::path::Path) -> TestApp {
    TestApp::signed_in(dir, sim)
}

/// Buys the first WhatsApp offer through the confirmation and waits for the order.
fn buy(t: &mut TestApp) -> String {
    t.buy("whatsapp", "WhatsApp");
    t.run_until("order", WAIT, |h| !h.state().orders().is_empty());
    t.app().orders()[0].order_id.clone()
}

fn state_of(t: &TestApp, id: &str) -> OrderState {
    t.app()
        .orders()
        .iter()
        .find(|o| o.order_id == id)
        .map(|o| o.state)
        .expect("order")
}

#[test]
fn a_code_arrives_is_shown_and_copied() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(
        dir.path(),
        Duration::from_secs(120),
        Some(Duration::from_millis(200)),
    );
    let mut t = signed_in(&sim, dir.path());
    let id = buy(&mut t);
    t.run_until("code", WAIT, |h| h.state().orders()[0].code.is_some());
    let code = t.app().orders()[0].code.clone().unwrap();
    let sim_code = match sim.orders().into_iter().find(|o| o.id == id).unwrap().state {
        instaotp_desktop::sim::SimOrderState::CodeReceived(c) => c,
        other => panic!("{other:?}"),
    };
    assert_eq!(code, sim_code);
    t.wait_for_text(&code, WAIT);
    t.click("Copy code");
    let copied = t
        .harness
        .output()
        .platform_output
        .commands
        .iter()
        .any(|c| matches!(c, egui::OutputCommand::CopyText(text) if *text == code));
    assert!(
        copied
            || t.app()
                .message_texts()
                .iter()
                .any(|m| m.contains("Code copied"))
    );
}

#[test]
fn cancel_is_locked_then_refunds() {
    let dir = tempfile::tempdir().unwrap();
    let lock = Duration::from_secs(3);
    let sim = fast_sim(dir.path(), lock, None);
    let mut t = signed_in(&sim, dir.path());
    let before = sim.balance(KEY).unwrap();
    let id = buy(&mut t);
    let bought = Instant::now();
    let cancel = t
        .harness
        .query_all_by_label_contains("Cancel (in")
        .next()
        .expect("locked cancel");
    assert!(cancel.accesskit_node().is_disabled());
    t.run_until("cancel unlocked", WAIT, |h| {
        h.query_by_label("Cancel")
            .is_some_and(|n| !n.accesskit_node().is_disabled())
    });
    assert!(bought.elapsed() >= lock - Duration::from_millis(600));
    t.click("Cancel");
    t.wait_for_text("Cancel this order?", WAIT);
    t.click("Cancel order");
    t.run_until("cancelled", WAIT, |h| {
        h.state().orders()[0].state == OrderState::Cancelled
    });
    assert_eq!(sim.balance(KEY), Some(before));
    // No cancel ever reached the provider before the lock was over.
    let created = sim
        .orders()
        .into_iter()
        .find(|o| o.id == id)
        .unwrap()
        .created;
    for r in sim.requests().iter().filter(|r| r.action == "setStatus") {
        assert!(
            r.at.duration_since(created) >= lock,
            "cancel sent during the lock"
        );
    }
    assert_eq!(state_of(&t, &id), OrderState::Cancelled);
    // The history shows it with its refund, and exports it.
    t.wait_for_text("refunded", WAIT);
    t.click("Export history as CSV");
    t.wait_for_text("Save the history as CSV", WAIT);
    let chosen = dir.path().join("my exports").join("history.csv");
    t.harness.get_by_label("Save as").focus();
    t.harness
        .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    t.type_into("Save as", &chosen.display().to_string());
    t.click("Save");
    t.wait_for_text("History saved as", WAIT);
    let csv = std::fs::read_to_string(&chosen).unwrap();
    assert!(
        csv.lines()
            .nth(1)
            .is_some_and(|l| l.starts_with(&format!("{id},")) && l.contains("Cancelled"))
    );
}

#[test]
fn finish_after_the_code() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(
        dir.path(),
        Duration::from_secs(120),
        Some(Duration::from_millis(100)),
    );
    let mut t = signed_in(&sim, dir.path());
    let id = buy(&mut t);
    t.run_until("code", WAIT, |h| h.state().orders()[0].code.is_some());
    t.click("Finish");
    t.run_until("finished", WAIT, |h| {
        h.state().orders()[0].state == OrderState::Finished
    });
    assert_eq!(state_of(&t, &id), OrderState::Finished);
    t.wait_for_text("finished", WAIT);
}

#[test]
fn another_sms_keeps_the_previous_code_until_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(
        dir.path(),
        Duration::from_secs(120),
        Some(Duration::from_millis(100)),
    );
    write_settings(dir.path(), |s| {
        s.poll_interval_secs = 3;
        s.status_encoding = StatusEncoding::Numbers;
    });
    let mut t = signed_in(&sim, dir.path());
    let id = buy(&mut t);
    t.run_until("code", WAIT, |h| h.state().orders()[0].code.is_some());
    let first = t.app().orders()[0].code.clone().unwrap();
    t.click("Another SMS");
    t.run_until("retry", WAIT, |h| {
        h.state().orders()[0].state == OrderState::WaitingRetry
    });
    t.wait_for_text(&format!("Previous code: {first}"), WAIT);
    sim.deliver_code(&id, "777000");
    t.run_until("new code", WAIT, |h| {
        h.state().orders()[0].code.as_deref() == Some("777000")
    });
    assert_eq!(state_of(&t, &id), OrderState::CodeReceived);
}

#[test]
fn expiry_refunds_and_closes_the_order() {
    let dir = tempfile::tempdir().unwrap();
    let sim = Simulator::start(SimConfig {
        code_delay: None,
        expiry: Duration::from_secs(2),
        ..SimConfig::default()
    })
    .unwrap();
    write_settings(dir.path(), |s| {
        s.poll_interval_secs = 3;
        s.order_lifetime_secs = 2;
    });
    let mut t = signed_in(&sim, dir.path());
    let before = sim.balance(KEY).unwrap();
    buy(&mut t);
    t.run_until("expired", WAIT, |h| {
        h.state().orders()[0].state == OrderState::Expired
    });
    assert_eq!(sim.balance(KEY), Some(before));
    t.wait_for_text("expired without an SMS", WAIT);
}

#[test]
fn a_new_app_over_the_same_data_resumes_a_half_done_order() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let id = {
        let mut t = signed_in(&sim, dir.path());
        buy(&mut t)
    };
    sim.deliver_code(&id, "424242");
    let mut t = start_app(
        dir.path(),
        &sim.url(),
        Arc::new(MemoryKeychain::with_key(KEY)),
    );
    t.run_until("order back", WAIT, |h| {
        h.state().orders().iter().any(|o| o.order_id == id)
    });
    t.run_until("code after restart", WAIT, |h| {
        h.state().orders()[0].code.as_deref() == Some("424242")
    });
    t.click_tab("Orders");
    t.wait_for_text("424242", WAIT);
}

#[test]
fn buy_again_goes_through_the_same_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let mut t = signed_in(&sim, dir.path());
    buy(&mut t);
    t.click("Buy again");
    t.wait_for_text("Buy this number?", WAIT);
    assert_eq!(
        sim.count("getNumber"),
        1,
        "nothing is bought before the confirmation"
    );
    t.confirm_buy();
    t.run_until("second order", WAIT, |h| h.state().orders().len() == 2);
    let orders = t.app().orders();
    assert_eq!(orders[0].service_code, orders[1].service_code);
    assert_eq!(orders[0].server, orders[1].server);
    assert_eq!(sim.count("getNumber"), 2);
}

#[test]
fn the_auto_cancel_option_refunds_an_order_without_sms_before_it_expires() {
    let dir = tempfile::tempdir().unwrap();
    let sim = Simulator::start(SimConfig {
        code_delay: None,
        cancel_lock: Duration::from_secs(1),
        ..SimConfig::default()
    })
    .unwrap();
    // Lifetime 62 s, cancel 1 minute before: due 2 s after purchase.
    write_settings(dir.path(), |s| {
        s.poll_interval_secs = 3;
        s.cancel_lock_secs = 1;
        s.order_lifetime_secs = 62;
        s.auto_cancel = true;
        s.auto_cancel_minutes_before = 1;
    });
    let mut t = signed_in(&sim, dir.path());
    let before = sim.balance(KEY).unwrap();
    let id = buy(&mut t);
    t.run_until("auto-cancelled", WAIT, |h| {
        h.state().orders()[0].state == OrderState::Cancelled
    });
    assert_eq!(sim.balance(KEY), Some(before));
    let created = sim
        .orders()
        .into_iter()
        .find(|o| o.id == id)
        .unwrap()
        .created;
    let cancels: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.action == "setStatus")
        .collect();
    assert_eq!(cancels.len(), 1, "asked once");
    assert!(
        cancels[0].at.duration_since(created) >= Duration::from_secs(1),
        "not during the lock"
    );
}

#[test]
fn old_history_can_be_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(
        dir.path(),
        Duration::from_secs(120),
        Some(Duration::from_millis(50)),
    );
    let mut t = signed_in(&sim, dir.path());
    buy(&mut t);
    t.run_until("code", WAIT, |h| h.state().orders()[0].code.is_some());
    t.click("Finish");
    t.run_until("finished", WAIT, |h| !h.state().orders()[0].is_active());
    // Orders older than 1 day: none yet, so the finished one stays.
    t.harness
        .get_by_label("Delete history older than (days)")
        .focus();
    t.click("Delete old history");
    t.wait_for_text("0 old orders deleted", WAIT);
    assert_eq!(t.app().orders().len(), 1);
}

#[test]
fn a_long_history_is_shown_a_page_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let store =
        instaotp_desktop::orders::OrderStore::open(&dir.path().join("orders.sqlite")).unwrap();
    let offer = instaotp_desktop::api::Offer {
        server: "1".into(),
        code: "wa".into(),
        name: "WhatsApp".into(),
        price: "12.50".parse().unwrap(),
        qty: 1,
        country: "22".into(),
        provider: "1".into(),
    };
    for i in 0..60 {
        let p = instaotp_desktop::api::Purchase {
            order_id: format!("old-{i}"),
            phone: format!("+91900000{i:04}"),
        };
        let mut o = instaotp_desktop::orders::Order::new(&offer, p, 1_000 + i);
        o.close(OrderState::Finished, 2_000 + i);
        store.save(&o).unwrap();
    }
    drop(store);
    let mut t = signed_in(&sim, dir.path());
    t.run_until("history loaded", WAIT, |h| h.state().orders().len() == 60);
    t.click_tab("Orders");
    t.wait_for_text("60 orders", WAIT);
    // 50 rows are laid out; the button offers the last 10 and goes once they are shown.
    t.harness.get_by_label("Show 10 more").scroll_to_me();
    t.harness.run_steps(3);
    t.click("Show 10 more");
    t.harness.run_steps(2);
    assert!(!t.has_text("Show 10 more"), "all 60 rows shown");
}
