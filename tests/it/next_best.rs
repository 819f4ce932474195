//! Never a dead end: a purchase refused for stock offers the best other server in one click, a
//! sold-out row offers it too, and the price ceiling of Settings keeps dearer offers from being
//! bought, against the simulator over real HTTP.

use std::time::Duration;

use crate::common::{TestApp, fast_sim};
use egui_kittest::kittest::{NodeT, Queryable};
use instaotp_desktop::sim::Fault;
use rust_decimal::Decimal;

const WAIT: Duration = Duration::from_secs(20);

/// The next purchase is answered NO_NUMBERS (stock listed, none left at the provider).
fn no_numbers_once(sim: &instaotp_desktop::sim::Simulator) {
    sim.fault_once(
        "getNumber",
        Fault::Reply {
            status: 200,
            body: "NO_NUMBERS".into(),
        },
    );
}

fn sold_on(sim: &instaotp_desktop::sim::Simulator) -> Vec<String> {
    sim.orders().into_iter().map(|o| o.server).collect()
}

/// Server 1 answers NO_NUMBERS: the message offers server 2 (the cheapest other WhatsApp in
/// India), its button opens the usual confirmation, and one confirmation buys one number there.
#[test]
fn no_numbers_offers_the_next_best_server_and_one_confirmation_buys_it() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    no_numbers_once(&sim);
    t.buy("whatsapp", "WhatsApp India server 1");
    t.wait_for_text("Buy on server 2 for ₹11.00 instead", WAIT);
    assert_eq!(sim.count("getNumber"), 1);
    assert!(sim.orders().is_empty(), "nothing sold");
    t.click("Buy on server 2 for ₹11.00 instead");
    t.wait_for_text("Buy this number?", WAIT);
    assert_eq!(sim.count("getNumber"), 1, "the click only asks");
    assert!(
        t.confirm_label().contains("₹11.00"),
        "{}",
        t.confirm_label()
    );
    t.confirm_buy();
    t.run_until("bought on server 2", WAIT, |_| sim.orders().len() == 1);
    t.run_for(Duration::from_millis(500));
    assert_eq!(sold_on(&sim), ["2"]);
    assert_eq!(sim.count("getNumber"), 2, "one number for one click");
}

/// A run of five stops at the fourth for NO_NUMBERS: its message offers the next best server too,
/// and the click asks for one number there, never the rest of the run.
#[test]
fn a_run_stopped_for_stock_offers_the_next_best_server_for_one_number() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    sim.set_stock("wa", "22", "1", 3);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    t.open_buy("whatsapp", "WhatsApp India server 1");
    t.set_quantity(5.0);
    t.confirm_buy();
    t.wait_for_text("Bought 3 of 5 numbers", WAIT);
    t.wait_for_text("Buy on server 2 for ₹11.00 instead", WAIT);
    assert_eq!(sim.count("getNumber"), 4, "three sold, the fourth refused");
    t.click("Buy on server 2 for ₹11.00 instead");
    t.wait_for_text("Buy this number?", WAIT);
    assert_eq!(sim.count("getNumber"), 4, "the click only asks");
    let label = t.confirm_label();
    assert!(
        label.contains("₹11.00") && !label.contains("numbers"),
        "{label}"
    );
    t.confirm_buy();
    t.run_until("bought on server 2", WAIT, |_| sim.orders().len() == 4);
    t.run_for(Duration::from_millis(500));
    assert_eq!(sold_on(&sim), ["1", "1", "1", "2"]);
    assert_eq!(sim.count("getNumber"), 5, "one number for one click");
}

/// A sold-out row says where else to buy: "Other server…" opens the confirmation of the next
/// best offer, never buys by itself.
#[test]
fn a_sold_out_row_opens_the_confirmation_of_the_next_best_server() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    sim.set_stock("wa", "22", "1", 0);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    t.harness.get_by_label("Search").focus();
    t.type_into("Search", "whatsapp");
    let other = t
        .harness
        .query_all_by_label_contains("Other server…")
        .next()
        .expect("the sold-out row offers another server");
    let name = other.accesskit_node().label().unwrap_or_default();
    assert!(name.contains("Server 2 has it for ₹11.00"), "{name}");
    other.click();
    t.wait_for_text("Buy this number?", WAIT);
    assert!(t.confirm_label().contains("₹11.00"));
    assert_eq!(sim.count("getNumber"), 0);
    t.confirm_buy();
    t.run_until("bought", WAIT, |_| sim.orders().len() == 1);
    assert_eq!(sold_on(&sim), ["2"]);
}

/// "Never pay more than ₹12.00", typed in Settings: server 1 (₹12.50) can no longer be bought
/// from its row or from "Buy again", nor offered instead; server 2 (₹11.00) can.
#[test]
fn the_price_ceiling_keeps_dearer_offers_from_being_bought() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    t.buy("whatsapp", "WhatsApp India server 1");
    // The app has the answer too (a number bought shows Orders: after that, not during).
    t.run_until("bought before the ceiling", WAIT, |h| {
        sim.orders().len() == 1 && !h.state().is_buying()
    });
    t.run_for(Duration::from_millis(300));
    t.click_tab("Settings");
    t.type_into("Never pay more than", "12");
    t.harness.run_steps(2);
    assert_eq!(t.app().settings().max_price, Some(Decimal::new(12, 0)));

    t.click_tab("Services");
    t.harness.get_by_label("Search").focus();
    t.harness
        .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    t.type_into("Search", "whatsapp");
    let dear = t.harness.get_by_label("Buy WhatsApp India server 1");
    assert!(dear.accesskit_node().is_disabled(), "above the ceiling");
    dear.click();
    t.harness.run_steps(3);
    assert!(
        !t.has_text("Buy this number?"),
        "a greyed Buy opens nothing"
    );
    let cheap = t.harness.get_by_label("Buy WhatsApp India server 2");
    assert!(!cheap.accesskit_node().is_disabled());

    // "Buy again" on the order from server 1: the confirmation says why and cannot buy.
    t.click_tab("Orders");
    t.click("Buy again");
    t.wait_for_text("Buy this number?", WAIT);
    assert!(t.has_text("Above your limit of ₹12.00 for one number"));
    t.settle("Buy for ");
    let buy = t.harness.get_by_label_contains("Buy for ₹12.50");
    assert!(buy.accesskit_node().is_disabled());
    buy.click();
    t.harness.key_press(egui::Key::Enter);
    t.run_for(Duration::from_millis(500));
    assert_eq!(sim.count("getNumber"), 1, "nothing sent above the ceiling");
    t.harness.key_press(egui::Key::Escape);
    t.harness.run_steps(2);

    // Refused for stock on server 2: nothing dearer than the ceiling is offered instead (server 3
    // at ₹11.99 is, server 1 at ₹12.50 is not).
    no_numbers_once(&sim);
    t.buy("whatsapp", "WhatsApp India server 2");
    t.wait_for_text("instead", WAIT);
    assert!(t.has_text("Buy on server 3 for ₹11.99 instead"));
    assert!(!t.has_text("Buy on server 1"));
    assert_eq!(sim.count("getNumber"), 2);
    assert_eq!(sim.orders().len(), 1);
}

/// "If this server has no numbers, try the next best": servers 1 and 2 have none, server 3 has.
/// One confirmation buys exactly one number, on server 3, asking one server at a time; no
/// "buy instead" button is offered while the app tries by itself.
#[test]
fn the_fallback_buys_exactly_one_number_across_three_servers_two_of_them_empty() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    for _ in 0..2 {
        no_numbers_once(&sim);
    }
    t.open_buy("whatsapp", "WhatsApp India server 1");
    t.click("If this server has no numbers, try the next best");
    t.harness.run_steps(2);
    // The limit starts at the dearer of this offer and its next best: ₹12.50.
    let limit = t.harness.get_by_label("up to");
    assert_eq!(limit.value().as_deref(), Some("12.50"));
    t.confirm_buy();
    t.run_until("bought", WAIT, |h| {
        sim.orders().len() == 1 && !h.state().is_buying()
    });
    t.run_for(Duration::from_millis(500));
    assert_eq!(sold_on(&sim), ["3"], "bought on the third server asked");
    let asked: Vec<String> = sim
        .requests()
        .into_iter()
        .filter(|r| r.action == "getNumber")
        .filter_map(|r| r.params.get("server").cloned())
        .collect();
    assert_eq!(
        asked,
        ["1", "2", "3"],
        "one server at a time, the next best each time"
    );
    assert!(
        t.app()
            .message_texts()
            .iter()
            .any(|m| m.contains("trying server 2"))
    );
    assert!(
        !t.has_text("instead"),
        "no second way to buy while the app tries"
    );
    // The two refused attempts are in the history as not bought; one order is open.
    let open = t.app().orders().iter().filter(|o| o.is_active()).count();
    assert_eq!(open, 1);
}

/// A limit for one service, typed in its confirmation: kept in Settings, it greys this offer
/// there and then, and other WhatsApp offers under it stay buyable; other services keep the
/// overall limit (none here).
#[test]
fn a_limit_for_one_service_is_set_in_its_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    t.open_buy("whatsapp", "WhatsApp India server 1");
    t.type_into("Never pay more than this for one WhatsApp number:", "12");
    t.harness.run_steps(3);
    assert_eq!(
        t.app().settings().max_price_by_service.get("wa"),
        Some(&Decimal::new(12, 0))
    );
    assert!(t.has_text("Above your limit of ₹12.00 for one number"));
    t.settle("Buy for ");
    assert!(
        t.harness
            .get_by_label_contains("Buy for ₹12.50")
            .accesskit_node()
            .is_disabled()
    );
    t.harness.key_press(egui::Key::Escape);
    t.harness.run_steps(2);
    let cheap = t.harness.get_by_label("Buy WhatsApp India server 2");
    assert!(!cheap.accesskit_node().is_disabled());
    let dear = t.harness.get_by_label("Buy WhatsApp India server 1");
    assert!(dear.accesskit_node().is_disabled());
    assert_eq!(
        t.app().settings().max_price,
        None,
        "the overall limit is untouched"
    );
    assert_eq!(sim.count("getNumber"), 0);
}

/// Every server empty: try-the-next-best says so once, naming the servers asked, and nothing was
/// bought; no refusal of each server on its own, and no "buy instead" button.
#[test]
fn when_no_server_has_numbers_the_fallback_says_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let mut t = TestApp::signed_in(dir.path(), &sim);
    for _ in 0..3 {
        no_numbers_once(&sim);
    }
    t.open_buy("whatsapp", "WhatsApp India server 1");
    t.click("If this server has no numbers, try the next best");
    t.harness.run_steps(2);
    t.confirm_buy();
    t.wait_for_text("servers 1, 2, 3 had no numbers", WAIT);
    t.run_until("the run over", WAIT, |h| !h.state().is_buying());
    assert_eq!(sim.count("getNumber"), 3);
    assert!(sim.orders().is_empty());
    let said = t.app().message_texts();
    assert!(
        !said.iter().any(|m| m.contains("sold out")),
        "no refusal of each server on its own: {said:?}"
    );
    assert!(!t.has_text("instead"));
}
