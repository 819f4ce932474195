//! The keyboard shortcuts: Ctrl+F the search, Ctrl+1/2/3 the tabs, Enter confirms and Esc closes
//! a confirmation, Ctrl+Shift+C copies the newest code; Settings lists them.

use std::time::Duration;

use crate::common::{TestApp, fast_sim};
use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use instaotp_desktop::app::Tab;

const WAIT: Duration = Duration::from_secs(15);

/// Presses `key` with `modifiers`; returns what the frame of the key-down put on the clipboard.
fn press(t: &mut TestApp, modifiers: Modifiers, key: Key) -> Vec<String> {
    let event = |pressed| egui::Event::Key {
        key,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers,
    };
    t.harness.event(event(true));
    t.harness.step();
    let copied = t
        .harness
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
        .collect();
    t.harness.event(event(false));
    t.harness.step();
    t.harness.step();
    copied
}

#[test]
fn ctrl_1_2_3_show_the_tabs_and_ctrl_f_the_search() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    assert_eq!(t.app().tab(), Tab::Services);
    press(&mut t, Modifiers::COMMAND, Key::Num2);
    assert_eq!(t.app().tab(), Tab::Orders);
    press(&mut t, Modifiers::COMMAND, Key::Num3);
    assert_eq!(t.app().tab(), Tab::Settings);
    // Settings lists the shortcuts.
    assert!(t.has_text("Ctrl+Shift+C: copy the newest code"));
    press(&mut t, Modifiers::COMMAND, Key::Num1);
    assert_eq!(t.app().tab(), Tab::Services);
    assert!(!t.harness.get_by_label("Search").is_focused());
    press(&mut t, Modifiers::COMMAND, Key::Num3);
    press(&mut t, Modifiers::COMMAND, Key::F);
    assert_eq!(t.app().tab(), Tab::Services);
    assert!(t.harness.get_by_label("Search").is_focused());
    // Typing now searches.
    t.harness.event(egui::Event::Text("telegr".into()));
    t.harness.run_steps(3);
    assert!(t.has_text("Buy Telegram"));
    assert!(!t.has_text("Buy WhatsApp"));
}

#[test]
fn enter_confirms_a_purchase_and_esc_closes_it() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    // Esc: closed, nothing bought.
    t.open_buy("whatsapp", "WhatsApp");
    press(&mut t, Modifiers::NONE, Key::Escape);
    assert!(!t.has_text("Buy this number?"));
    t.harness.run_steps(5);
    assert_eq!(sim.count("getNumber"), 0);
    assert!(t.app().orders().is_empty());
    // From the keyboard: Enter on the focused Buy button opens the dialog, Enter again buys
    // (the button behind the dialog lets the focus go).
    let buy = t
        .harness
        .query_all_by_label_contains("Buy WhatsApp")
        .next()
        .unwrap();
    buy.focus();
    t.harness.run_steps(2);
    press(&mut t, Modifiers::NONE, Key::Enter);
    assert!(t.has_text("Buy this number?"));
    press(&mut t, Modifiers::NONE, Key::Enter);
    assert!(!t.has_text("Buy this number?"));
    t.run_until("order", WAIT, |h| !h.state().orders().is_empty());
    assert_eq!(sim.count("getNumber"), 1);
    assert_eq!(t.app().orders().len(), 1);
}

#[test]
fn ctrl_shift_c_copies_the_newest_code() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    // No code yet: said so, nothing copied.
    let copied = press(&mut t, Modifiers::COMMAND | Modifiers::SHIFT, Key::C);
    assert!(copied.is_empty(), "{copied:?}");
    assert!(t.has_text("No code has arrived yet"));
    let first = buy_and_deliver(&mut t, &sim, "111111");
    let second = buy_and_deliver(&mut t, &sim, "222222");
    assert_ne!(first, second);
    t.click_tab("Services");
    let copied = press(&mut t, Modifiers::COMMAND | Modifiers::SHIFT, Key::C);
    assert_eq!(copied, ["222222"]);
    assert!(
        t.app()
            .activity_texts()
            .iter()
            .any(|m| m == "Copied 222222 (WhatsApp)."),
        "{:?}",
        t.app().activity_texts()
    );
}

/// Buys a number and waits for `code` to arrive on it; returns the order's id.
fn buy_and_deliver(t: &mut TestApp, sim: &instaotp_desktop::sim::Simulator, code: &str) -> String {
    let before = t.app().orders().len();
    t.buy("whatsapp", "WhatsApp");
    t.run_until("order", WAIT, |h| h.state().orders().len() > before);
    let id = t.app().orders()[0].order_id.clone();
    sim.deliver_code(&id, code);
    let wanted = code.to_owned();
    t.run_until("code", WAIT, |h| {
        h.state()
            .orders()
            .iter()
            .any(|o| o.order_id == id && o.code.as_deref() == Some(wanted.as_str()))
    });
    id
}

/// Whether the last frames asked the window to close.
fn asked_to_close(t: &TestApp) -> bool {
    t.harness
        .output()
        .viewport_output
        .values()
        .flat_map(|v| v.commands.iter())
        .any(|c| matches!(c, egui::ViewportCommand::Close))
}

/// Ctrl+Q with a number waiting for its code asks first; "Stay" keeps the window, "Quit" closes
/// it. Enter in the search opens the first offer's confirmation (it never buys by itself).
#[test]
fn ctrl_q_with_a_number_waiting_asks_first_and_enter_in_the_search_opens_the_first_offer() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    t.harness.get_by_label("Search").focus();
    t.type_into("Search", "whatsapp");
    t.harness.key_press(Key::Enter);
    t.harness.run_steps(2);
    t.wait_for_text("Buy this number?", WAIT);
    assert!(t.has_text("WhatsApp (wa)"), "the first offer shown");
    assert_eq!(
        sim.count("getNumber"),
        0,
        "nothing bought by Enter in the search"
    );
    t.confirm_buy();
    t.run_until("bought", WAIT, |h| {
        h.state().orders().iter().any(|o| !o.is_attempt())
    });

    press(&mut t, Modifiers::COMMAND, Key::Q);
    t.wait_for_text("Quit with 1 number waiting for a code?", WAIT);
    assert!(!asked_to_close(&t));
    t.click("Stay");
    assert!(!t.has_text("Quit with 1 number waiting for a code?"));
    assert!(!asked_to_close(&t));
    press(&mut t, Modifiers::COMMAND, Key::Q);
    t.wait_for_text("Quit with 1 number waiting for a code?", WAIT);
    t.harness.get_by_label("Quit").click();
    t.harness.step();
    assert!(asked_to_close(&t), "Quit closes the window");
}

/// From the search, Tab reaches the first Buy in a few presses: the column headers take clicks
/// only (the "Sort by" list is their one keyboard stop). Wherever the focus is, a ring is drawn
/// around it.
#[test]
fn tab_from_the_search_reaches_buy_past_one_sort_stop_with_a_ring_around_each_stop() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    t.harness.get_by_label("Search").focus();
    t.harness.run_steps(2);
    let headers = [
        "Service", "Code", "Country", "Server", "Provider", "Price", "Stock",
    ];
    let mut stops = Vec::new();
    for _ in 0..15 {
        press(&mut t, Modifiers::NONE, Key::Tab);
        let focused = t
            .harness
            .query_all(egui_kittest::kittest::By::new().predicate(|n| n.is_focused()))
            .next()
            .expect("something has the focus");
        let name = focused.accesskit_node().label().unwrap_or_default();
        let ring = instaotp_desktop::ui::widgets::focus_ring_rect(&t.harness.ctx)
            .expect("a ring is drawn");
        assert!(
            ring.contains_rect(focused.rect().shrink(1.0)),
            "the ring {ring:?} goes round {name:?} at {:?}",
            focused.rect()
        );
        let is_button = focused.accesskit_node().role() == egui::accesskit::Role::Button;
        assert!(
            !(is_button && headers.iter().any(|h| name.starts_with(h))),
            "a column header took a Tab stop: {stops:?} {name:?}"
        );
        stops.push(name.clone());
        if name.starts_with("Buy ") {
            break;
        }
    }
    assert!(
        stops.last().is_some_and(|s| s.starts_with("Buy ")),
        "no Buy within 15 Tabs: {stops:?}"
    );
    assert!(stops.iter().any(|s| s == "Sort by"), "{stops:?}");
    assert!(stops.len() <= 10, "{} Tabs: {stops:?}", stops.len());
}
