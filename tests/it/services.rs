//! The Services tab against the simulator: browse, filter, sort, favourites, buy safely.

use std::sync::Arc;
use std::time::Duration;

use crate::common::{KEY, TestApp, start_app};
use egui_kittest::kittest::{NodeT, Queryable};
use instaotp_desktop::app::Tab;
use instaotp_desktop::orders::OrderState;
use instaotp_desktop::platform::test_doubles::MemoryKeychain;
use instaotp_desktop::sim::{Fault, SimConfig, Simulator};

const WAIT: Duration = Duration::from_secs(10);

fn signed_in(sim: &Simulator, dir: &std::path::Path) -> TestApp {
    TestApp::signed_in(dir, sim)
}

fn sim() -> Simulator {
    Simulator::start(SimConfig::default()).expect("simulator")
}

#[test]
fn search_matches_name_or_code_as_you_type() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let mut t = signed_in(&sim, dir.path());
    let all = t.app().shown_offer_count();
    assert!(all > 10);
    t.type_into("Search", "whatsapp");
    let shown = t.app().shown_offer_count();
    assert!(shown >= 1 && shown < all);
    assert!(
        t.harness
            .query_all_by_label_contains("Buy Telegram")
            .next()
            .is_none()
    );
    assert!(
        t.harness
            .query_all_by_label_contains("Buy WhatsApp")
            .next()
            .is_some()
    );
    t.click("Clear search");
    assert_eq!(t.app().shown_offer_count(), all);
    t.type_into("Search", "TG");
    assert!(
        t.harness
            .query_all_by_label_contains("Buy Telegram")
            .next()
            .is_some()
    );
    assert!(
        t.harness
            .query_all_by_label_contains("Buy WhatsApp")
            .next()
            .is_none()
    );
}

#[test]
fn sorting_by_price_puts_the_cheapest_first_then_reverses() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let mut t = signed_in(&sim, dir.path());
    t.click("Price");
    let prices = t.app().shown_prices();
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");
    t.click("Price ⏶");
    let prices = t.app().shown_prices();
    assert!(prices.windows(2).all(|w| w[0] >= w[1]), "{prices:?}");
}

#[test]
fn sold_out_offers_cannot_be_bought() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let mut t = signed_in(&sim, dir.path());
    let sold_out = sim
        .offers()
        .into_iter()
        .find(|o| o.qty == 0)
        .expect("a sold-out offer");
    // Its row reads "Sold out" to a screen reader, as it shows it greyed.
    t.type_into("Search", &sold_out.name);
    let row = format!(
        "{} ({}), {}, server {}, provider {}, price ₹{}",
        sold_out.name,
        sold_out.id,
        instaotp_desktop::countries::country_name(&sold_out.country),
        sold_out.server,
        sold_out.provider,
        sold_out.price
    );
    let label = t
        .harness
        .query_all_by_label_contains(&row)
        .filter_map(|n| n.accesskit_node().label())
        .next()
        .unwrap_or_else(|| {
            let seen: Vec<_> = t
                .harness
                .query_all_by_label_contains(&sold_out.name)
                .filter_map(|n| n.accesskit_node().label())
                .collect();
            panic!("no row {row:?} among {seen:?}")
        });
    assert!(label.ends_with("Sold out"), "{label}");
    // A sold-out row has no Buy that works: a greyed one, or "Other server…" (the next best).
    let disabled = t
        .harness
        .query_all_by_label_contains("Buy ")
        .filter(|n| n.accesskit_node().is_disabled())
        .count();
    let elsewhere = t
        .harness
        .query_all_by_label_contains("Other server…")
        .count();
    assert!(
        disabled + elsewhere >= 1,
        "sold-out rows cannot be bought as they are"
    );
    let own = format!(
        "Buy {} {} server {}",
        sold_out.name,
        instaotp_desktop::countries::country_name(&sold_out.country),
        sold_out.server
    );
    assert!(
        t.harness
            .query_all_by_label(&own)
            .all(|n| n.accesskit_node().is_disabled()),
        "{own} is not a working button"
    );
    assert!(t.has_text("Sold out"));
}

#[test]
fn favourites_are_pinned_and_kept_after_a_restart() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    {
        let mut t = signed_in(&sim, dir.path());
        let pin = t
            .harness
            .query_all_by_label_contains("Pin to top: Telegram")
            .next()
            .expect("pin button");
        pin.click();
        t.harness.step();
        t.harness.step();
        assert!(
            t.app()
                .settings()
                .favourites
                .iter()
                .any(|k| k.ends_with("|tg"))
        );
        assert!(t.app().shown_offer_names()[0].contains("Telegram"));
        t.run_until("settings saved", WAIT, |h| {
            std::fs::read_to_string(h.state().settings_path()).is_ok_and(|s| s.contains("|tg"))
        });
    }
    let mut t = signed_in(&sim, dir.path());
    t.harness.step();
    assert!(t.app().shown_offer_names()[0].contains("Telegram"));
    assert!(
        t.harness
            .query_by_label_contains("Unpin: Telegram")
            .is_some()
    );
}

#[test]
fn buying_shows_the_order_and_the_balance_drops() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let mut t = signed_in(&sim, dir.path());
    t.open_buy("whatsapp", "WhatsApp");
    assert!(t.has_text("Balance after"));
    t.confirm_buy();
    t.run_until("order", WAIT, |h| !h.state().orders().is_empty());
    assert_eq!(t.app().tab(), Tab::Orders);
    let order = t.app().orders()[0].clone();
    assert_eq!(order.state, OrderState::Waiting);
    t.wait_for_text(&instaotp_desktop::text::phone_grouped(&order.phone), WAIT);
    let price = order.price;
    assert_eq!(
        sim.balance(KEY),
        Some("100".parse::<rust_decimal::Decimal>().unwrap() - price)
    );
    t.wait_for_text(&format!("Balance: ₹{}", sim.balance(KEY).unwrap()), WAIT);
    assert_eq!(sim.count("getNumber"), 1);
}

#[test]
fn a_double_click_buys_exactly_once() {
    let sim = sim();
    sim.set_fault("getNumber", Some(Fault::Slow(Duration::from_millis(500))));
    let dir = tempfile::tempdir().unwrap();
    let mut t = signed_in(&sim, dir.path());
    t.open_buy("whatsapp", "WhatsApp");
    let label = t.confirm_label();
    let button = t.harness.get_by_label(&label);
    button.click();
    button.click();
    t.harness.step();
    // An impatient second try from the table while the first is in flight.
    if let Some(again) = t.harness.query_all_by_label_contains("Buy WhatsApp").next() {
        again.click();
    }
    t.harness.step();
    t.harness.step();
    if let Some(confirm) = t.harness.query_all_by_label_contains("Buy for ").next() {
        confirm.click();
    }
    t.run_until("order", WAIT, |h| !h.state().orders().is_empty());
    t.run_until("idle", WAIT, |h| {
        h.state().is_idle() || h.state().orders().len() > 1
    });
    t.run_for(Duration::from_millis(700));
    assert_eq!(sim.count("getNumber"), 1);
    assert_eq!(t.app().orders().len(), 1);
}

#[test]
fn no_balance_is_explained() {
    let sim = sim();
    sim.set_balance(KEY, "0.10".parse().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let mut t = signed_in(&sim, dir.path());
    t.open_buy("whatsapp", "WhatsApp");
    assert!(t.has_text("not enough"));
    t.confirm_buy();
    t.wait_for_text("balance is too low", WAIT);
    // A clear refusal: the attempt is in the history as "not bought", nothing else.
    let orders = t.app().orders();
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].state, OrderState::NotBought);
    assert!(!orders[0].by_user);
}

#[test]
fn a_lost_purchase_reply_is_unknown_state_and_never_retried() {
    let sim = sim();
    sim.fault_once("getNumber", Fault::DropAfterProcessing);
    let dir = tempfile::tempdir().unwrap();
    let mut t = signed_in(&sim, dir.path());
    let balance_calls = sim.count("getBalance");
    t.open_buy("whatsapp", "WhatsApp");
    t.confirm_buy();
    // Sold, then the reply was lost: not "failed", a card that stays until resolved.
    t.wait_for_text("Purchase not confirmed", WAIT);
    assert!(t.has_text("Do not buy it again until you know."));
    assert!(
        !t.app()
            .message_texts()
            .iter()
            .any(|m| m.contains("Could not buy"))
    );
    t.run_until("balance refreshed", WAIT, |_| {
        sim.count("getBalance") > balance_calls
    });
    // The key may be used elsewhere (the default): the drop is said, but proves nothing.
    t.wait_for_text("other purchases on this account", WAIT);
    assert!(!t.has_text("it probably went through"));
    t.run_for(Duration::from_millis(500));
    assert_eq!(sim.count("getNumber"), 1, "a purchase is never retried");
}

#[test]
fn garbage_from_the_provider_is_shown_raw_with_a_retry() {
    let sim = sim();
    sim.set_fault(
        "getService",
        Some(Fault::Reply {
            status: 200,
            body: "<html>Maintenance until noon</html>".into(),
        }),
    );
    let dir = tempfile::tempdir().unwrap();
    let mut t = start_app(
        dir.path(),
        &sim.url(),
        Arc::new(MemoryKeychain::with_key(KEY)),
    );
    t.wait_for_text("Maintenance until noon", WAIT);
    sim.set_fault("getService", None);
    t.click("Retry");
    t.wait_for_offers();
}

#[test]
fn prices_and_the_balance_carry_a_currency_never_a_bare_number() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let mut t = signed_in(&sim, dir.path());
    // ₹ by default: InstaOTP accounts are in Indian rupees.
    t.wait_for_text("Balance: ₹100.00", WAIT);
    t.open_buy("whatsapp", "WhatsApp");
    let label = t.confirm_label();
    assert!(label.starts_with("Buy for ₹"), "{label}");
    t.click("Don't buy");

    // Another currency in Settings.
    t.click_tab("Settings");
    t.harness.get_by_label("Currency of prices").focus();
    t.harness
        .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    t.type_into("Currency of prices", "USD");
    t.click_tab("Services");
    t.wait_for_text("Balance: 100.00 USD", WAIT);
    t.open_buy("whatsapp", "WhatsApp");
    let label = t.confirm_label();
    assert!(label.ends_with(" USD"), "{label}");
    t.click("Don't buy");

    // The provider's own currency, when it sends one, wins over the setting.
    sim.fault_once(
        "getBalance",
        Fault::Reply {
            status: 200,
            body: "ACCESS_BALANCE:54.00 INR".into(),
        },
    );
    t.click("⟳ Refresh balance");
    t.wait_for_text("Balance: 54.00 INR", WAIT);
    t.open_buy("whatsapp", "WhatsApp");
    let label = t.confirm_label();
    assert!(label.ends_with(" INR"), "{label}");
}

/// Typing a search and clearing it moves no row: the bar keeps its room ("Clear search" is
/// always there, greyed when there is nothing to clear), so the table never jumps under the
/// pointer. At the window size staff use most and at the smallest.
#[test]
fn typing_and_clearing_a_search_moves_no_row() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let mut t = signed_in(&sim, dir.path());
    for size in [egui::vec2(1100.0, 720.0), egui::vec2(800.0, 600.0)] {
        t.harness.set_size(size);
        t.harness.run_steps(3);
        let header = |t: &TestApp| {
            t.harness
                .query_all_by_label_contains("Delivery")
                .next()
                .map(|n| n.rect())
                .unwrap()
        };
        let before = header(&t);
        t.type_into("Search", "whatsapp");
        t.harness.run_steps(2);
        assert_eq!(header(&t), before, "{size:?}: typing moved the table");
        t.click("Clear search");
        t.harness.run_steps(2);
        assert_eq!(header(&t), before, "{size:?}: clearing moved the table");
    }
}
