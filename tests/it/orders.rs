//! Orders against the simulator with short timings: codes, copy, cancel lock, refunds, finish,
//! another SMS, expiry, and resuming after a restart.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::{
    KEY, TestApp, fast_sim, seed_history, sim_with, start_app, start_app_with, write_settings,
};
use egui_kittest::kittest::{NodeT, Queryable};
use instaotp_desktop::api::StatusEncoding;
use instaotp_desktop::app::Tab;
use instaotp_desktop::orders::OrderState;
use instaotp_desktop::orders::history::{date_time, local_time_zone};
use instaotp_desktop::orders::now_millis;
use instaotp_desktop::platform::file_dialog::SaveChoice;
use instaotp_desktop::platform::test_doubles::MemoryKeychain;
use instaotp_desktop::sim::{Fault, SimConfig, Simulator};

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
                .any(|m| m.starts_with("Copied ") && m.contains("(WhatsApp)"))
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
    t.wait_for_text("You can cancel in", WAIT);
    let cancel = t.harness.query_by_label("Cancel").expect("locked cancel");
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
    assert_eq!(t.state_of(&id), OrderState::Cancelled);
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
    t.wait_for_text("1 order saved as", WAIT);
    let csv = std::fs::read_to_string(&chosen).unwrap();
    assert!(
        csv.lines()
            .nth(1)
            // The id is kept as text (a leading `'`), so a spreadsheet does not turn it into a number.
            .is_some_and(|l| l.starts_with(&format!("'{id},")) && l.contains("Cancelled"))
    );
    // The app's own dialog never replaces a file: the same name again is refused, in words.
    t.click("Export history as CSV");
    t.wait_for_text("Save the history as CSV", WAIT);
    t.harness.get_by_label("Save as").focus();
    t.harness
        .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    t.type_into("Save as", &chosen.display().to_string());
    t.click("Save");
    t.wait_for_text("already exists", WAIT);
    assert_eq!(std::fs::read_to_string(&chosen).unwrap(), csv);
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
    assert_eq!(t.state_of(&id), OrderState::Finished);
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
    // Waiting for another SMS is no dead end: Finish ends it with the earlier code, and a
    // number that got a code offers no Cancel.
    let finish = t.harness.get_by_label("Finish");
    assert!(!finish.accesskit_node().is_disabled());
    assert!(t.harness.query_by_label_contains("Cancel").is_none());
    sim.deliver_code(&id, "777000");
    t.run_until("new code", WAIT, |h| {
        h.state().orders()[0].code.as_deref() == Some("777000")
    });
    assert_eq!(t.state_of(&id), OrderState::CodeReceived);
}

#[test]
fn expiry_refunds_and_closes_the_order() {
    let dir = tempfile::tempdir().unwrap();
    let config = SimConfig {
        code_delay: None,
        expiry: Duration::from_secs(2),
        ..SimConfig::default()
    };
    let sim = sim_with(dir.path(), config, |s| s.order_lifetime_secs = 2);
    let mut t = signed_in(&sim, dir.path());
    let before = sim.balance(KEY).unwrap();
    buy(&mut t);
    t.run_until("expired", WAIT, |h| {
        h.state().orders()[0].state == OrderState::Expired
    });
    assert_eq!(sim.balance(KEY), Some(before));
    t.wait_for_text("expired without an SMS", WAIT);
    // The refund moved money: the balance is read again and shown as InstaOTP has it.
    t.run_until("the refunded balance shown", WAIT, |h| {
        h.state()
            .session()
            .and_then(|s| s.balance())
            .is_some_and(|(b, _)| Some(b.amount) == sim.balance(KEY))
    });
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
    // A number still open: the app opens on Orders.
    assert_eq!(t.app().tab(), Tab::Orders);
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
    // Lifetime 62 s, cancel 1 minute before: due 2 s after purchase.
    let sim = sim_with(
        dir.path(),
        SimConfig {
            code_delay: None,
            cancel_lock: Duration::from_secs(1),
            ..SimConfig::default()
        },
        |s| {
            s.order_lifetime_secs = 62;
            s.auto_cancel = true;
            s.auto_cancel_minutes_before = 1;
        },
    );
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

/// Auto-cancel on, due `lifetime_secs - 60` s after purchase (1 minute before), polls every 3 s.
fn auto_cancel_sim(dir: &std::path::Path, lifetime_secs: u64) -> Simulator {
    sim_with(
        dir,
        SimConfig {
            code_delay: None,
            cancel_lock: Duration::from_secs(1),
            ..SimConfig::default()
        },
        |s| {
            s.order_lifetime_secs = lifetime_secs;
            s.auto_cancel = true;
            s.auto_cancel_minutes_before = 1;
        },
    )
}

#[test]
fn auto_cancel_asks_again_when_its_first_ask_got_no_answer() {
    let dir = tempfile::tempdir().unwrap();
    let sim = auto_cancel_sim(dir.path(), 62);
    let mut t = signed_in(&sim, dir.path());
    let before = sim.balance(KEY).unwrap();
    // The first cancel never reaches InstaOTP's books: the connection drops.
    sim.fault_once("setStatus", Fault::Drop);
    let id = buy(&mut t);
    t.run_until("auto-cancelled", WAIT, |h| {
        h.state().orders()[0].state == OrderState::Cancelled
    });
    assert_eq!(sim.count("setStatus"), 2, "asked again after the lost one");
    assert_eq!(sim.balance(KEY), Some(before));
    assert_eq!(t.state_of(&id), OrderState::Cancelled);
}

#[test]
fn auto_cancel_leaves_the_dialog_the_person_is_using_open() {
    let dir = tempfile::tempdir().unwrap();
    // Due 5 s after the purchase.
    let sim = auto_cancel_sim(dir.path(), 65);
    let mut t = signed_in(&sim, dir.path());
    let id = buy(&mut t);
    // The person is choosing the next number when the first one is cancelled.
    t.open_buy("whatsapp", "WhatsApp");
    t.run_until("auto-cancelled", WAIT, |h| {
        h.state().orders()[0].state == OrderState::Cancelled
    });
    assert_eq!(t.state_of(&id), OrderState::Cancelled);
    assert!(
        t.has_text("Buy this number?"),
        "the dialog in use stays open"
    );
    assert_eq!(sim.count("getNumber"), 1, "and nothing was bought by it");
}

#[test]
fn an_sms_sent_as_free_text_shows_its_code_is_never_auto_cancelled_and_finishes() {
    let dir = tempfile::tempdir().unwrap();
    // Due 5 s after purchase: the first poll (within 3 s) brings the SMS before.
    let sim = auto_cancel_sim(dir.path(), 65);
    let mut t = signed_in(&sim, dir.path());
    // This reseller sends the SMS itself, without `STATUS_OK:`.
    sim.set_fault(
        "getStatus",
        Some(Fault::Reply {
            status: 200,
            body: "Your WhatsApp code is 482-913. Do not share it.".into(),
        }),
    );
    let id = buy(&mut t);
    t.run_until("the SMS", WAIT, |h| h.state().orders()[0].code.is_some());
    t.wait_for_text("482913", WAIT);
    assert!(t.has_text("SMS: Your WhatsApp code is 482-913. Do not share it."));
    assert_eq!(t.state_of(&id), OrderState::CodeReceived);
    // Past the moment auto-cancel would have acted (5 s after purchase).
    t.run_for(Duration::from_secs(6));
    assert_eq!(
        sim.count("setStatus"),
        0,
        "an order with an SMS is never auto-cancelled"
    );
    // InstaOTP's books have the SMS too, so it takes the Finish.
    sim.deliver_code(&id, "482913");
    sim.set_fault("getStatus", None);
    t.click("Finish");
    t.run_until("finished", WAIT, |h| {
        h.state().orders()[0].state == OrderState::Finished
    });
}

#[test]
fn a_reply_not_understood_leaves_finish_as_a_way_out_and_stops_auto_cancel() {
    let dir = tempfile::tempdir().unwrap();
    let sim = auto_cancel_sim(dir.path(), 65);
    let mut t = signed_in(&sim, dir.path());
    sim.set_fault(
        "getStatus",
        Some(Fault::Reply {
            status: 200,
            body: "STATUS_SOMETHING_NEW".into(),
        }),
    );
    let id = buy(&mut t);
    t.run_until("the reply", WAIT, |h| {
        h.state().orders()[0].raw_reply.is_some()
    });
    t.wait_for_text("STATUS_SOMETHING_NEW", WAIT);
    t.run_for(Duration::from_secs(6));
    assert_eq!(
        sim.count("setStatus"),
        0,
        "some text came: not auto-cancelled"
    );
    assert_eq!(t.state_of(&id), OrderState::Waiting);
    let finish = t.harness.get_by_label("Finish");
    assert!(!finish.accesskit_node().is_disabled());
}

#[test]
fn old_history_is_deleted_before_a_date_after_a_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(
        dir.path(),
        Duration::from_secs(120),
        Some(Duration::from_millis(50)),
    );
    let now = now_millis();
    seed_history(
        dir.path(),
        &[
            ("WhatsApp", now - 100 * DAY, OrderState::Finished),
            ("Telegram", now - 95 * DAY, OrderState::Cancelled),
            ("WhatsApp", now - 10 * DAY, OrderState::Finished),
        ],
    );
    let mut t = signed_in(&sim, dir.path());
    t.run_until("history loaded", WAIT, |h| h.state().orders().len() == 3);
    // An active order is never deleted, however old the date.
    buy(&mut t);
    t.run_until("bought", WAIT, |h| h.state().orders().len() == 4);
    t.click_tab("Orders");
    t.wait_for_text("3 orders", WAIT);

    // The date starts 90 days back: the two older orders are offered for deletion.
    t.click("Delete old history…");
    t.wait_for_text("Delete 2 orders from the history?", WAIT);
    t.click("Keep them");
    t.harness.run_steps(2);
    assert_eq!(t.app().orders().len(), 4, "nothing deleted when kept");

    t.click("Delete old history…");
    t.click("Delete 2 orders");
    t.wait_for_text("2 old orders deleted from the history.", WAIT);
    assert_eq!(t.app().orders().len(), 2);
    assert!(t.app().orders().iter().any(|o| o.is_active()));

    // Gone from the database too: a restart shows the same.
    drop(t);
    let mut t = signed_in(&sim, dir.path());
    t.run_until("orders loaded", WAIT, |h| h.state().orders().len() == 2);
    t.harness.run_steps(5);
    assert_eq!(t.app().orders().len(), 2);
}

#[test]
fn a_long_history_is_shown_a_page_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let history: Vec<_> = (0..60)
        .map(|i| ("WhatsApp", 1_000 + i, OrderState::Finished))
        .collect();
    seed_history(dir.path(), &history);
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

#[test]
fn without_a_notification_service_the_app_says_so_and_still_shows_the_code() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim_with(dir.path(), quiet_sim(), |_| {});
    let mut t = signed_in(&sim, dir.path());
    // Wine, a server edition of Windows, a desktop without a notification daemon.
    t.notifier.set_unavailable(true);
    let id = buy(&mut t);
    sim.deliver_code(&id, "482913");
    t.run_until("code", WAIT, |h| h.state().orders()[0].code.is_some());
    let said = "Notifications cannot be shown on this computer";
    t.run_until("the missing service said", WAIT, |h| {
        h.state().message_texts().iter().any(|m| m.contains(said))
    });
    assert!(t.notifier.sent().is_empty());
    t.click_tab("Settings");
    t.wait_for_text(
        "Notifications cannot be shown on this computer: this system has no notification service the app knows. When a code arrives, the app's taskbar button flashes instead.",
        WAIT,
    );
    // Once the service is back, the test notification goes through and the note in Settings
    // goes away (the message above stays until dismissed, as problems do).
    let shown = t.harness.query_all_by_label_contains(said).count();
    t.notifier.set_unavailable(false);
    t.click("Send a test notification");
    t.run_until("test sent", WAIT, |h| {
        h.state()
            .message_texts()
            .iter()
            .any(|m| m.starts_with("Test notification sent"))
    });
    assert_eq!(t.notifier.sent().len(), 1);
    assert_eq!(t.notifier.sent()[0].summary, "InstaOTP Desktop: test");
    t.harness.run_steps(2);
    let after = t.harness.query_all_by_label_contains(said).count();
    assert_eq!(after, shown - 1, "the note in Settings is gone");
}

#[test]
fn a_code_notifies_with_sound_asks_for_attention_and_counts_on_the_tab() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim_with(dir.path(), quiet_sim(), |s| s.sound = true);
    let mut t = signed_in(&sim, dir.path());
    let id = buy(&mut t);
    // Looking at another tab when the SMS comes.
    t.click_tab("Services");
    sim.deliver_code(&id, "482913");
    let mut attention = false;
    let mut titled = false;
    t.run_until("code", WAIT, |h| {
        let commands: Vec<egui::ViewportCommand> = h
            .output()
            .viewport_output
            .values()
            .flat_map(|v| v.commands.iter().cloned())
            .collect();
        attention |= commands
            .iter()
            .any(|c| matches!(c, egui::ViewportCommand::RequestUserAttention(_)));
        titled |= commands.iter().any(|c| {
            matches!(c, egui::ViewportCommand::Title(t) if t == "1 code ready — InstaOTP Desktop")
        });
        h.state().orders()[0].code.is_some()
    });
    assert!(attention, "the window asked for attention");
    t.wait_for_text("Orders (1 code ready)", WAIT);
    // Said where the person looks, on the tab they are on.
    assert!(
        t.app()
            .message_texts()
            .iter()
            .any(|m| m.contains("Code 482913 arrived for WhatsApp")),
        "{:?}",
        t.app().message_texts()
    );
    assert!(titled, "the window's title (the taskbar) says it");
    // The notification is sent from a worker thread.
    let start = Instant::now();
    while t.notifier.sent().is_empty() && start.elapsed() < WAIT {
        t.harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    let sent = t.notifier.sent();
    assert_eq!(sent.len(), 1, "one notification: {sent:?}");
    assert!(sent[0].summary.contains("WhatsApp") && sent[0].summary.contains("482913"));
    assert!(sent[0].body.contains(&t.app().orders()[0].phone));
    assert!(sent[0].sound, "sound asked for, as set in Settings");
    // The tab counts the codes ready until they are used: Finish clears it.
    t.click_tab("Orders (1 code ready)");
    t.click("Finish");
    t.run_until("no code ready", WAIT, |h| {
        h.query_all_by_label_contains("code ready").next().is_none()
    });
}

#[test]
fn a_code_arriving_while_nobody_is_at_the_window_opens_orders() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim_with(dir.path(), quiet_sim(), |_| {});
    let mut t = signed_in(&sim, dir.path());
    let id = buy(&mut t);
    t.click_tab("Services");
    // The window loses the focus (the person went to another program).
    t.harness.input_mut().focused = false;
    t.harness.run_steps(2);
    assert_eq!(t.app().tab(), Tab::Services);
    sim.deliver_code(&id, "482913");
    t.run_until("code", WAIT, |h| h.state().orders()[0].code.is_some());
    assert_eq!(t.app().tab(), Tab::Orders);
    t.wait_for_text("482913", WAIT);
    assert!(t.has_text("Orders (1 code ready)"));
}

#[test]
fn an_order_with_a_code_says_why_it_cannot_be_cancelled_instead_of_a_countdown() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim_with(dir.path(), quiet_sim(), |_| {});
    let mut t = signed_in(&sim, dir.path());
    let id = buy(&mut t);
    t.wait_for_text("You can cancel in ", WAIT);
    assert!(!t.has_text("can no longer be cancelled"));
    sim.deliver_code(&id, "482913");
    t.wait_for_text("482913", WAIT);
    assert!(
        t.harness
            .query_all_by_label_contains("You can cancel in ")
            .next()
            .is_none(),
        "a countdown to a cancel that cannot come"
    );
    assert!(t.harness.query_by_label("Cancel").is_none());
    assert!(t.has_text("A code has arrived, so this number can no longer be cancelled"));
    assert!(t.has_text("Finish"));
}

#[test]
fn with_notifications_and_sound_off_a_code_sends_no_notification() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim_with(dir.path(), quiet_sim(), |s| {
        s.notifications = false;
        s.sound = false;
    });
    let mut t = signed_in(&sim, dir.path());
    let id = buy(&mut t);
    sim.deliver_code(&id, "777111");
    t.wait_for_text("777111", WAIT);
    t.run_for(Duration::from_millis(300));
    assert!(t.notifier.sent().is_empty(), "{:?}", t.notifier.sent());
}

const DAY: i64 = 86_400_000;

/// The provider's 2-minute lock, and no SMS until the test delivers one.
fn quiet_sim() -> SimConfig {
    SimConfig {
        cancel_lock: Duration::from_secs(120),
        code_delay: None,
        ..SimConfig::default()
    }
}

#[test]
fn the_history_shows_dates_and_filters_between_two_dates() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let now = now_millis();
    seed_history(
        dir.path(),
        &[
            ("WhatsApp", now - DAY / 24, OrderState::Finished),
            ("Telegram", now - 3 * DAY, OrderState::Cancelled),
            ("WhatsApp", now - 10 * DAY, OrderState::Expired),
            ("Telegram", now - 40 * DAY, OrderState::Finished),
        ],
    );
    let mut t = signed_in(&sim, dir.path());
    t.run_until("history loaded", WAIT, |h| h.state().orders().len() == 4);
    t.click_tab("Orders");
    t.wait_for_text(
        "4 orders · Paid ₹50.00 · Refunded ₹25.00 · Net ₹25.00",
        WAIT,
    );
    // Calendar dates in the user's time zone, not "N hours ago".
    let tz = local_time_zone();
    for days in [3, 40] {
        let shown = date_time(now - days * DAY, &tz);
        assert!(t.has_text(&shown), "{shown} shown");
    }

    // "Between dates" starts with the last 7 days: today and 3 days ago.
    t.choose("Period", "Between dates");
    t.wait_for_text(
        "2 orders · Paid ₹25.00 · Refunded ₹12.50 · Net ₹12.50",
        WAIT,
    );
    // Move the start a month back with the date picker: 10 days ago comes in, 40 does not.
    t.harness.get_by_label("From").click();
    t.harness.run_steps(3);
    t.harness.get_by_label("<<").click();
    t.harness.run_steps(2);
    t.click("Save");
    t.wait_for_text(
        "3 orders · Paid ₹37.50 · Refunded ₹25.00 · Net ₹12.50",
        WAIT,
    );
    // Filters combine: the service as well.
    t.type_into("Find service", "tele");
    t.wait_for_text("1 order · Paid ₹12.50 · Refunded ₹12.50 · Net ₹0.00", WAIT);
}

#[test]
fn the_system_save_dialog_decides_where_the_filtered_history_goes() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let now = now_millis();
    seed_history(
        dir.path(),
        &[
            ("WhatsApp", now - DAY / 24, OrderState::Finished),
            ("Telegram", now - 2 * DAY, OrderState::Cancelled),
            ("WhatsApp", now - 3 * DAY, OrderState::Expired),
        ],
    );
    let chosen = dir.path().join("chosen by the user.csv");
    let mut t = start_app_with(
        dir.path(),
        &sim.url(),
        Arc::new(MemoryKeychain::with_key(KEY)),
        vec![SaveChoice::Cancelled, SaveChoice::Chosen(chosen.clone())],
    );
    t.run_until("history loaded", WAIT, |h| h.state().orders().len() == 3);
    t.click_tab("Orders");
    t.wait_for_text("3 orders", WAIT);

    // Cancelled in the system dialog: nothing saved, nothing said, no second dialog.
    t.click("Export history as CSV");
    t.run_until("dialog answered", WAIT, |h| h.state().is_idle());
    t.harness.run_steps(2);
    assert_eq!(t.save_dialog.asked().len(), 1);
    let suggested = &t.save_dialog.asked()[0];
    assert_eq!(
        suggested.parent(),
        Some(dir.path().join("exports").as_path())
    );
    assert!(
        suggested
            .file_name()
            .is_some_and(|n| n.to_string_lossy().ends_with(".csv"))
    );
    assert!(!t.has_text("Save the history as CSV"));
    assert!(
        t.app().message_texts().is_empty(),
        "{:?}",
        t.app().message_texts()
    );
    assert!(!chosen.exists());

    // Only WhatsApp orders, then saved where the dialog said.
    t.type_into("Find service", "whatsapp");
    t.wait_for_text("2 orders", WAIT);
    t.click("Export history as CSV");
    t.wait_for_text("2 orders saved as", WAIT);
    let csv = std::fs::read_to_string(&chosen).unwrap();
    assert_eq!(csv.lines().count(), 3, "header and two orders:\n{csv}");
    assert!(csv.lines().skip(1).all(|l| l.contains("WhatsApp")), "{csv}");
}

/// The lifetime is InstaOTP's (20 minutes), not a setting a person could get wrong: the
/// countdown follows it and Settings has no control for it.
#[test]
fn the_expiry_countdown_follows_instaotps_lifetime_which_is_not_a_setting() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let mut t = signed_in(&sim, dir.path());
    buy(&mut t);
    t.wait_for_text("Expires in 19:", WAIT);
    t.click_tab("Settings");
    t.click("Advanced (only if InstaOTP tells you so in writing)");
    t.harness.run_steps(2);
    assert!(
        t.has_text("InstaOTP's address"),
        "the advanced part is open"
    );
    assert!(!t.has_text("expire"), "no lifetime control");
    assert!(!t.has_text("lock"), "no cancel-lock control");
}

#[test]
fn a_long_list_of_active_orders_scrolls_to_the_last_and_reads_whole() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    // 20 live orders at the simulator, saved as the app saves a purchase.
    let client = instaotp_desktop::api::Client::new(instaotp_desktop::api::ClientConfig::new(
        sim.url(),
        instaotp_desktop::api::ApiKey::new(KEY),
    ))
    .unwrap();
    let store =
        instaotp_desktop::orders::OrderStore::open(&dir.path().join("orders.sqlite")).unwrap();
    let offer = crate::common::test_offer("WhatsApp");
    sim.set_balance(KEY, 10_000.into());
    let mut phones = Vec::new();
    for i in 0..20 {
        let p = crate::common::RUNTIME
            .block_on(client.buy("wa", "22", "1"))
            .unwrap();
        phones.push(p.phone.clone());
        let mut o = instaotp_desktop::orders::Order::new(&offer, p, now_millis() - i * 1000);
        o.service_code = "wa".into();
        store.save(&o).unwrap();
    }
    drop(store);
    let mut t = signed_in(&sim, dir.path());
    t.run_until("orders loaded", WAIT, |h| h.state().orders().len() == 20);
    t.click_tab("Orders");
    t.harness.run_steps(3);
    // Newest first. kittest reads the page as a screen reader does, so every card is there even
    // far below the visible area (without one, unseen cards are skipped: ui::widgets tests).
    // The phones as the cards show them, grouped.
    let (first, last) = (
        &instaotp_desktop::text::phone_grouped(&phones[0]),
        &instaotp_desktop::text::phone_grouped(&phones[19]),
    );
    assert!(t.has_text(first));
    assert!(t.has_text(last), "a screen reader gets every card");
    let last_card = |t: &TestApp| t.harness.get_by_label(last).rect();
    assert!(
        last_card(&t).top() > 800.0,
        "the last card starts below the window"
    );
    // Scrolling down brings it into the window.
    t.harness.hover_at(egui::pos2(600.0, 400.0));
    for _ in 0..60 {
        t.scroll(-200.0);
        if last_card(&t).bottom() < 800.0 {
            break;
        }
    }
    assert!(
        last_card(&t).bottom() < 800.0,
        "the last card is reached by scrolling"
    );
    // Further down, the history below the cards.
    for _ in 0..10 {
        t.scroll(-200.0);
    }
    t.harness.run_steps(3);
    assert!(t.has_text("Export history as CSV"));
}

/// Codes first: a number whose code came is shown above newer numbers still waiting, so the code
/// is never buried under new purchases.
#[test]
fn a_card_with_a_code_goes_above_newer_numbers_still_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim_with(dir.path(), quiet_sim(), |_| {});
    let mut t = signed_in(&sim, dir.path());
    let first = buy(&mut t);
    t.buy("paytm", "Paytm");
    t.run_until("two orders", WAIT, |h| {
        h.state()
            .orders()
            .iter()
            .filter(|o| !o.is_attempt())
            .count()
            == 2
    });
    let phone_of = |t: &TestApp, id: &str| {
        t.app()
            .orders()
            .iter()
            .find(|o| o.order_id == id)
            .unwrap()
            .phone
            .clone()
    };
    let second = t.app().orders()[0].order_id.clone();
    let y_of = |t: &TestApp, phone: &str| {
        t.harness
            .query_all_by_label(&instaotp_desktop::text::phone_grouped(phone))
            .next()
            .map(|n| n.rect().min.y)
            .unwrap()
    };
    t.click_tab("Orders");
    let (p1, p2) = (phone_of(&t, &first), phone_of(&t, &second));
    assert!(
        y_of(&t, &p2) < y_of(&t, &p1),
        "newest first while both wait"
    );
    sim.deliver_code(&first, "135790");
    t.wait_for_text("135790", WAIT);
    assert!(
        y_of(&t, &p1) < y_of(&t, &p2),
        "the code above the newer number"
    );
    // A second code takes its place under the first: the first card does not move.
    t.harness.run_steps(3);
    let first_y = y_of(&t, &p1);
    sim.deliver_code(&second, "246801");
    t.wait_for_text("246801", WAIT);
    t.harness.run_steps(3);
    assert_eq!(
        y_of(&t, &p1),
        first_y,
        "the first code's card stayed where it was"
    );
    assert!(y_of(&t, &p2) > first_y, "the newer code under it");
}

/// Many numbers at once, one line each: five bought, all five on screen without scrolling, the
/// code copied from its line, and the choice kept after a restart.
#[test]
fn one_line_each_shows_five_numbers_at_once_and_copies_a_code_from_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    {
        let mut t = signed_in(&sim, dir.path());
        t.open_buy("whatsapp", "WhatsApp");
        t.set_quantity(5.0);
        t.confirm_buy();
        t.run_until("five bought", WAIT, |h| {
            h.state()
                .orders()
                .iter()
                .filter(|o| !o.is_attempt())
                .count()
                == 5
                && !h.state().is_buying()
        });
        let id = t.app().orders()[2].order_id.clone();
        sim.deliver_code(&id, "774411");
        t.click_tab("Orders");
        t.wait_for_text("774411", WAIT);
        t.click("One line each");
        t.harness.run_steps(3);
        let screen = t.harness.ctx.content_rect();
        let phones: Vec<egui::Rect> = t
            .harness
            .query_all_by_label("Copy number")
            .map(|n| n.rect())
            .collect();
        assert_eq!(phones.len(), 5, "one line per number");
        assert!(
            phones.iter().all(|r| screen.contains_rect(*r)),
            "all five on screen: {phones:?}"
        );
        t.click("Copy code");
        let copied = t
            .harness
            .output()
            .platform_output
            .commands
            .iter()
            .any(|c| matches!(c, egui::OutputCommand::CopyText(text) if text == "774411"));
        assert!(
            copied || t.app().message_texts().iter().any(|m| m.contains("774411")),
            "the code copied"
        );
        assert!(t.has_text("Copied ✓"));
        t.run_until("settings saved", WAIT, |_| {
            std::fs::read_to_string(dir.path().join("settings.json"))
                .is_ok_and(|s| s.contains("\"compact_orders\": true"))
        });
    }
    let mut t = signed_in(&sim, dir.path());
    t.click_tab("Orders");
    t.wait_for_text("774411", WAIT);
    assert_eq!(t.harness.query_all_by_label("Copy number").count(), 5);
    assert!(t.app().settings().compact_orders, "kept after a restart");
}

/// The Excel export, read back with a spreadsheet library: ids, phones and codes are text as
/// they were (no quote shown, a leading 0 or + kept), a name that looks like a formula is text,
/// money is numbers that add up to the totals row and to what the history shows, dates are dates.
#[test]
fn the_excel_export_has_typed_cells_that_add_up_to_the_history_totals() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    use instaotp_desktop::api::Purchase;
    use instaotp_desktop::orders::{Order, OrderStore};
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let now = now_millis();
    let store = OrderStore::open(&dir.path().join("orders.sqlite")).unwrap();
    let rows = [
        (
            "007",
            "=HYPERLINK(\"http://x\")",
            "+919876543210",
            OrderState::Finished,
            Some("012345"),
        ),
        (
            "100002",
            "Telegram",
            "0123456789",
            OrderState::Cancelled,
            None,
        ),
        (
            "100003",
            "WhatsApp",
            "+447700900123",
            OrderState::Finished,
            Some("998877"),
        ),
    ];
    for (i, (id, name, phone, state, code)) in rows.iter().enumerate() {
        let purchase = Purchase {
            order_id: (*id).into(),
            phone: (*phone).into(),
        };
        let bought = now - 3_600_000 * (i64::try_from(i).unwrap() + 1);
        let mut o = Order::new(&crate::common::test_offer(name), purchase, bought);
        o.code = code.map(str::to_owned);
        o.close(*state, bought + 60_000);
        store.save(&o).unwrap();
    }
    let chosen = dir.path().join("history.xlsx");
    let mut t = start_app_with(
        dir.path(),
        &sim.url(),
        Arc::new(MemoryKeychain::with_key(KEY)),
        vec![SaveChoice::Chosen(chosen.clone())],
    );
    t.run_until("history loaded", WAIT, |h| h.state().orders().len() == 3);
    t.click_tab("Orders");
    t.wait_for_text(
        "3 orders · Paid ₹37.50 · Refunded ₹12.50 · Net ₹25.00",
        WAIT,
    );
    t.click("Export history for Excel");
    t.wait_for_text("3 orders saved as", WAIT);
    assert!(
        t.save_dialog.asked()[0]
            .extension()
            .is_some_and(|e| e == "xlsx"),
        "the dialog offers an .xlsx name"
    );

    let mut book: Xlsx<_> = open_workbook(&chosen).expect("a workbook Excel can open");
    let sheet = book.worksheet_range("Orders").unwrap();
    let cell = |r: u32, c: u32| sheet.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(0, 0), Data::String("Order id".into()));
    assert_eq!(cell(0, 8), Data::String("Paid".into()));
    let row_of = |id: &str| {
        (1..=3)
            .find(|r| cell(*r, 0) == Data::String(id.into()))
            .unwrap_or_else(|| panic!("no row for order {id}"))
    };
    let first = row_of("007");
    assert_eq!(
        cell(first, 3),
        Data::String("=HYPERLINK(\"http://x\")".into()),
        "text, not a formula"
    );
    assert_eq!(cell(first, 7), Data::String("+919876543210".into()));
    assert_eq!(
        cell(first, 13),
        Data::String("012345".into()),
        "the code keeps its 0"
    );
    assert_eq!(cell(row_of("100002"), 7), Data::String("0123456789".into()));
    assert!(
        matches!(cell(first, 1), Data::DateTime(_)),
        "a date: {:?}",
        cell(first, 1)
    );
    let formulas = book.worksheet_formula("Orders").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formula anywhere"
    );
    // Money: numbers, and the totals row adds them up as the history does.
    let number = |v: Data| match v {
        Data::Float(f) => f,
        Data::Int(i) => i as f64,
        other => panic!("not a number: {other:?}"),
    };
    let total_row = 4;
    assert_eq!(cell(total_row, 0), Data::String("Total".into()));
    for (col, want) in [(8, 37.5), (9, 12.5), (10, 25.0)] {
        let sum: f64 = (1..=3).map(|r| number(cell(r, col))).sum();
        assert!((sum - want).abs() < 1e-9, "column {col}: {sum}");
        assert!((number(cell(total_row, col)) - want).abs() < 1e-9);
    }
    assert_eq!(
        number(cell(row_of("100002"), 9)),
        12.5,
        "the refund of the cancelled one"
    );
}

/// An empty history says so in a sentence, not with column headers over nothing.
#[test]
fn an_empty_history_says_so_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let mut t = signed_in(&sim, dir.path());
    t.click_tab("Orders");
    t.wait_for_text("No order in the history matches this choice.", WAIT);
    assert!(!t.has_text("Bought"), "no column headers");
}
