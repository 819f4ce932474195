//! Several numbers at once and replace-if-no-code, against the simulator over real
//! HTTP: never more requests than numbers asked for, a refusal or Stop ends the run before the next
//! request, and a number without any SMS is cancelled only after the lock, replaced only once the
//! refund is confirmed, once, on the next server, within the spend limit.

use std::path::Path;
use std::time::Duration;

use crate::common::{TestApp, frames_over, sim_with};
use egui_kittest::kittest::Queryable;
use instaotp_desktop::orders::OrderState;
use instaotp_desktop::sim::{Fault, SimConfig, SimOrderState, Simulator};

const WAIT: Duration = Duration::from_secs(20);
/// The WhatsApp offers for India: server 1 at 12.50, server 2 at 11.00.
const SERVER_1: &str = "WhatsApp India server 1";

/// A simulator whose codes never come by themselves, a 2 s cancel lock, polls every 3 s, and
/// numbers replaced after 3 s without a code.
fn sim(dir: &Path) -> Simulator {
    let config = SimConfig {
        code_delay: None,
        cancel_lock: Duration::from_secs(2),
        ..SimConfig::default()
    };
    sim_with(dir, config, |s| s.replace_wait_secs = 3)
}

/// The run of purchases is over (no batch, no purchase in flight).
fn done_buying(t: &mut TestApp) {
    t.run_until("the run of purchases to end", WAIT, |h| {
        !h.state().is_buying()
    });
}

fn has_message(t: &TestApp, part: &str) -> bool {
    t.app().message_texts().iter().any(|m| m.contains(part))
}

#[test]
fn five_asked_with_three_in_stock_buys_three_and_sends_no_fifth_request() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path());
    sim.set_stock("wa", "22", "1", 3);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    t.open_buy("whatsapp", SERVER_1);
    t.set_quantity(5.0);
    assert!(t.has_text("You will get 5 numbers"));
    assert!(t.has_text("₹62.50"), "the total for five");
    assert!(t.has_text("Only 3 listed"));
    let label = t.confirm_label();
    assert!(label.contains("5 numbers"), "{label}");
    t.confirm_buy();
    done_buying(&mut t);
    // Three sold, the fourth refused with NO_NUMBERS, no fifth asked.
    assert_eq!(sim.count("getNumber"), 4);
    assert_eq!(sim.orders().len(), 3);
    t.run_for(Duration::from_millis(500));
    assert_eq!(sim.count("getNumber"), 4, "nothing after the refusal");
    let bought = t.app().orders().iter().filter(|o| o.is_watched()).count();
    assert_eq!(bought, 3);
    let refused: Vec<_> = t
        .app()
        .orders()
        .iter()
        .filter(|o| o.state == OrderState::NotBought)
        .collect();
    assert_eq!(refused.len(), 1, "the refused attempt stays in the history");
    assert!(has_message(&t, "3 of 5"), "{:?}", t.app().message_texts());
    t.wait_for_text("3 of 5", WAIT);
}

#[test]
fn stop_ends_the_run_before_the_next_request() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path());
    sim.set_fault("getNumber", Some(Fault::Slow(Duration::from_millis(1200))));
    let mut t = TestApp::signed_in(dir.path(), &sim);
    t.open_buy("whatsapp", SERVER_1);
    t.set_quantity(5.0);
    t.confirm_buy();
    t.click_tab("Orders");
    t.wait_for_text("Buying 1 of 5", WAIT);
    t.run_until("the first request", WAIT, |_| sim.count("getNumber") == 1);
    t.click("Stop buying");
    done_buying(&mut t);
    t.run_for(Duration::from_millis(1500));
    assert_eq!(sim.count("getNumber"), 1, "no request after Stop");
    assert_eq!(sim.orders().len(), 1);
    assert!(
        has_message(&t, "bought 1 of 5"),
        "{:?}",
        t.app().message_texts()
    );
}

#[test]
fn an_unclear_answer_ends_the_run_with_the_not_confirmed_card() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path());
    // The first purchase answers normally; the second is sold, then its reply is a gateway page.
    sim.fault_once("getNumber", Fault::Slow(Duration::ZERO));
    sim.fault_once(
        "getNumber",
        Fault::AfterSale {
            status: 502,
            body: "<html><body><h1>502 Bad Gateway</h1></body></html>".into(),
        },
    );
    let mut t = TestApp::signed_in(dir.path(), &sim);
    t.open_buy("whatsapp", SERVER_1);
    t.set_quantity(4.0);
    t.confirm_buy();
    done_buying(&mut t);
    t.wait_for_text("Purchase not confirmed", WAIT);
    t.run_for(Duration::from_millis(500));
    assert_eq!(
        sim.count("getNumber"),
        2,
        "nothing after the unclear answer"
    );
    assert_eq!(sim.orders().len(), 2, "both were sold");
    assert!(has_message(&t, "1 of 4"), "{:?}", t.app().message_texts());
    assert!(
        !t.app()
            .message_texts()
            .iter()
            .any(|m| m.contains("Could not buy")),
        "never called not bought"
    );
}

/// Opens the confirmation of server 1's WhatsApp with replace-if-no-code on.
fn buy_with_replacement(t: &mut TestApp, spend_limit: Option<&str>) {
    t.open_buy("whatsapp", SERVER_1);
    assert!(!t.has_text("If no code comes within"), "off by default");
    t.click("Replace a number that gets no code");
    // The dialog grows by the replacement's rows ("Balance after (at worst)" among them) and
    // settles a frame later.
    t.harness.run_steps(2);
    assert!(t.has_text("If no code comes within"));
    assert!(t.has_text("next server would be server 2"));
    // In one sentence, and what the balance may come to.
    assert!(
        t.has_text("If a number gets no code in 3 seconds, it is cancelled (the money comes back) and one more is bought on server 2"),
        "the one sentence"
    );
    assert!(t.has_text("Balance after (at worst)"));
    if let Some(limit) = spend_limit {
        t.harness.get_by_label("Spend at most").focus();
        t.harness
            .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        t.type_into("Spend at most", limit);
    }
    t.confirm_buy();
}

#[test]
fn a_number_without_code_is_cancelled_after_the_lock_and_replaced_once_on_the_next_server() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path());
    sim.never_deliver_on("1", true);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    buy_with_replacement(&mut t, None);
    // Balance reads are slow from now on: the one asked for after the refund is still on its
    // way when the replacement is bought, and says the balance before the replacement's charge.
    sim.set_fault("getBalance", Some(Fault::Slow(Duration::from_millis(1500))));
    t.run_until("the replacement", WAIT, |h| {
        h.state().orders().iter().any(|o| o.replaces.is_some())
    });
    let requests = sim.requests();
    let first = &sim.orders()[0];
    assert_eq!(first.server, "1");
    assert_eq!(first.state, SimOrderState::Cancelled { refunded: true });
    let cancel = requests
        .iter()
        .find(|r| r.action == "setStatus")
        .expect("a cancel");
    assert!(
        cancel.at.duration_since(first.created) >= Duration::from_secs(2),
        "never before the cancel lock"
    );
    let buys: Vec<_> = requests
        .iter()
        .filter(|r| r.action == "getNumber")
        .collect();
    assert_eq!(buys.len(), 2);
    assert_eq!(buys[1].params["server"], "2", "the next server");
    assert!(
        buys[1].at > cancel.at,
        "bought after the cancel was answered"
    );
    // The replacement links to the number it replaces, and the history says why.
    let replacement = t
        .app()
        .orders()
        .iter()
        .find(|o| o.replaces.is_some())
        .unwrap()
        .clone();
    assert_eq!(replacement.replaces.as_deref(), Some(first.id.as_str()));
    let old = t
        .app()
        .orders()
        .iter()
        .find(|o| o.order_id == first.id)
        .unwrap()
        .clone();
    assert_eq!(old.state, OrderState::Cancelled);
    assert_eq!(
        old.replaced_by.as_deref(),
        Some(replacement.order_id.as_str())
    );
    // The balance shown is read after the replacement's charge, not the one after the refund.
    let truth = sim.balance(crate::common::KEY).unwrap();
    t.run_until(
        "the balance after the replacement",
        Duration::from_secs(5),
        |h| {
            h.state()
                .session()
                .and_then(|s| s.balance())
                .is_some_and(|(b, _)| b.amount == truth)
        },
    );
    t.click_tab("Orders");
    let called = instaotp_desktop::text::phone_grouped(&first.phone);
    t.wait_for_text(&format!("Replaces {called}"), WAIT);
    t.wait_for_text("no code within 3 seconds, replaced by +91", WAIT);
    // One replacement allowed: the replacement, silent too, is left as it is.
    t.run_for(Duration::from_secs(6));
    assert_eq!(
        sim.count("getNumber"),
        2,
        "never more than the replacements allowed"
    );
    assert_eq!(sim.count("setStatus"), 1);
    assert!(
        has_message(&t, "not replaced"),
        "{:?}",
        t.app().message_texts()
    );
}

#[test]
fn a_replacement_over_the_spend_limit_is_never_started_so_nothing_is_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path());
    sim.never_deliver_on("1", true);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    buy_with_replacement(&mut t, Some("5"));
    t.run_until("the reason", WAIT, |h| {
        h.state()
            .message_texts()
            .iter()
            .any(|m| m.contains("spend limit"))
    });
    assert_eq!(sim.count("setStatus"), 0);
    assert_eq!(sim.count("getNumber"), 1);
}

#[test]
fn three_silent_numbers_with_money_for_one_replacement_cancel_only_one() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path());
    sim.never_deliver_on("1", true);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    t.open_buy("whatsapp", SERVER_1);
    t.set_quantity(3.0);
    t.click("Replace a number that gets no code");
    t.harness.get_by_label("At most").set_value_accesskit(3.0);
    t.harness.run_steps(2);
    // Server 2 sells at 11.00: the limit pays for one replacement, not three.
    t.harness.get_by_label("Spend at most").focus();
    t.harness
        .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    t.type_into("Spend at most", "11");
    t.confirm_buy();
    t.run_until("the replacement", WAIT, |h| {
        h.state().orders().iter().any(|o| o.replaces.is_some())
    });
    // Long enough for the other two to have been due as well.
    t.run_for(Duration::from_secs(4));
    assert_eq!(
        sim.count("setStatus"),
        1,
        "only the number that can be replaced is cancelled"
    );
    assert_eq!(sim.count("getNumber"), 4, "three, and one replacement");
    assert!(
        t.app()
            .message_texts()
            .iter()
            .any(|m| m.contains("spend limit")),
        "{:?}",
        t.app().message_texts()
    );
}

#[test]
fn the_window_wakes_itself_to_replace_a_number_while_nothing_else_changes() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path());
    sim.never_deliver_on("1", true);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    buy_with_replacement(&mut t, None);
    t.run_until("the number", WAIT, |h| !h.state().orders().is_empty());
    // On Services nothing ticks: only the app's own wake-up can bring the cancel (due 5 s after
    // the purchase: the 2 s lock, 3 s margin and a 3 s wait).
    t.click_tab("Services");
    t.run_until("idle", WAIT, |h| h.state().is_idle());
    let frames = frames_over(&mut t, Duration::from_secs(8));
    assert_eq!(
        sim.count("setStatus"),
        1,
        "cancelled on time ({frames} frames)"
    );
    assert!(
        frames < 40,
        "{frames} frames: the window did not rest meanwhile"
    );
}

#[test]
fn a_code_arriving_during_the_cancel_stops_the_replacement() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path());
    sim.never_deliver_on("1", true);
    // The cancel is held a moment at InstaOTP; the SMS comes meanwhile.
    sim.fault_once("setStatus", Fault::Late(Duration::from_millis(1500)));
    let mut t = TestApp::signed_in(dir.path(), &sim);
    buy_with_replacement(&mut t, None);
    t.run_until("the cancel", WAIT, |_| sim.count("setStatus") == 1);
    let id = sim.orders()[0].id.clone();
    sim.deliver_code(&id, "482913");
    t.run_until("the code", WAIT, |h| {
        h.state()
            .orders()
            .iter()
            .any(|o| o.code.as_deref() == Some("482913"))
    });
    t.run_for(Duration::from_secs(3));
    assert_eq!(sim.count("getNumber"), 1, "no replacement");
    assert_eq!(
        sim.orders()[0].state,
        SimOrderState::CodeReceived("482913".into())
    );
    assert!(
        t.app()
            .message_texts()
            .iter()
            .any(|m| m.contains("not replaced") || m.contains("no other number was bought")),
        "{:?}",
        t.app().message_texts()
    );
}

/// A run of purchases and its replace-if-no-code plan outlive the window. The app stops half-way
/// (a crash, a closed laptop): at the next start a card says what was left undone, and nothing is
/// bought or cancelled until the person says "Go on"; then the silent number is watched again
/// (cancelled and replaced as planned) and the numbers still to buy are shown in the usual
/// confirmation, already set to how many are left.
#[test]
fn a_run_cut_by_a_restart_is_said_and_goes_on_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path());
    sim.never_deliver_on("1", true);
    sim.set_fault("getNumber", Some(Fault::Slow(Duration::from_millis(1500))));
    {
        let mut t = TestApp::signed_in(dir.path(), &sim);
        t.open_buy("whatsapp", SERVER_1);
        t.set_quantity(4.0);
        t.click("Replace a number that gets no code");
        t.harness.run_steps(2);
        t.confirm_buy();
        t.run_until("one bought, the second on its way", WAIT, |h| {
            sim.count("getNumber") == 2 && h.state().orders().iter().any(|o| !o.is_attempt())
        });
    }
    // The app is gone, and with it its order writer, joined: its last writes are on disk.
    sim.set_fault("getNumber", None);
    let first = sim.orders()[0].id.clone();

    let mut t = TestApp::signed_in(dir.path(), &sim);
    t.click_tab("Orders");
    t.wait_for_text("Left undone when the app was closed", WAIT);
    assert!(t.has_text("1 bought, 2 not asked for yet"), "the run said");
    assert!(t.has_text("1 number still watched"), "the plan said");
    t.run_for(Duration::from_secs(6));
    assert_eq!(sim.count("getNumber"), 2, "nothing bought unasked");
    assert_eq!(sim.count("setStatus"), 0, "nothing cancelled unasked");

    t.click("Go on");
    t.wait_for_text("Buy 2 numbers?", WAIT);
    assert_eq!(
        t.app().session().unwrap().replacing().len(),
        1,
        "the plan again"
    );
    assert!(!t.has_text("Left undone when the app was closed"));
    assert!(
        t.confirm_label().contains("(2 numbers)"),
        "{}",
        t.confirm_label()
    );
    // The silent first number is cancelled (past the lock and the wait) and replaced.
    t.run_until("the first number replaced", WAIT, |h| {
        !h.state().is_buying()
            && h.state()
                .orders()
                .iter()
                .any(|o| o.replaces.as_deref() == Some(first.as_str()))
    });
    t.confirm_buy();
    t.run_until("the two left bought", WAIT, |_| sim.count("getNumber") >= 5);
    let cancels: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.action == "setStatus")
        .filter_map(|r| r.params.get("id").cloned())
        .collect();
    assert!(cancels.contains(&first), "{cancels:?}");
}

/// Quantity without accidents: − and + change it one at a time, the title says how many, and
/// more than five numbers at once are asked about a second time (Enter included) before anything
/// is sent.
#[test]
fn many_numbers_at_once_are_asked_about_twice() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path());
    // Slow sales, so the run is still going when Stop is pressed on a busy machine.
    sim.set_fault("getNumber", Some(Fault::Slow(Duration::from_millis(800))));
    let mut t = TestApp::signed_in(dir.path(), &sim);
    t.open_buy("whatsapp", SERVER_1);
    t.click("+");
    t.click("+");
    t.wait_for_text("Buy 3 numbers?", WAIT);
    t.click("−");
    t.wait_for_text("Buy 2 numbers?", WAIT);
    t.set_quantity(8.0);
    t.wait_for_text("Buy 8 numbers?", WAIT);
    t.confirm_buy();
    t.wait_for_text("Buy all 8?", WAIT);
    t.run_for(Duration::from_secs(1));
    assert_eq!(sim.count("getNumber"), 0, "nothing sent on the first press");
    // Back to the numbers; Enter on the first press asks again too.
    t.click("Back");
    assert!(!t.has_text("Buy all 8?"));
    t.harness.key_press(egui::Key::Enter);
    t.harness.run_steps(2);
    t.wait_for_text("Buy all 8?", WAIT);
    assert_eq!(sim.count("getNumber"), 0);
    t.click("Yes, buy 8 numbers");
    t.run_until("the first sent", WAIT, |_| sim.count("getNumber") >= 1);
    t.click_tab("Orders");
    t.wait_for_text("Stop buying", WAIT);
    t.click("Stop buying");
    done_buying(&mut t);
    assert!(sim.count("getNumber") < 8, "Stop ended the run early");
}

/// The dialog grows downwards: "+" adding the total, and a ticked option adding its rows, leave
/// "+" where the pointer is (a second click once landed on the Total row).
#[test]
fn the_buy_dialog_grows_downwards_and_plus_stays_under_the_pointer() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(dir.path());
    let mut t = TestApp::signed_in(dir.path(), &sim);
    t.open_buy("whatsapp", SERVER_1);
    t.settle("+");
    let plus = |t: &TestApp| t.harness.get_by_label("+").rect();
    let before = plus(&t);
    t.click("+");
    t.settle("Buy for ");
    assert!(t.has_text("Buy 2 numbers?"));
    assert_eq!(plus(&t), before, "+ moved after a click on it");
    t.click("Replace a number that gets no code");
    t.settle("Buy for ");
    assert_eq!(plus(&t), before, "+ moved when an option opened below it");
}
