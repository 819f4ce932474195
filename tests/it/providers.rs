//! A second provider of the same protocol beside InstaOTP, against two simulators over real
//! HTTP: added in Settings with its key checked and kept in the keychain (never in a file), its
//! offers in the same table with a Provider column, bought from and polled at its own address
//! with its own key, working on while InstaOTP is down, and removed only after asking, without
//! losing its open numbers.

use std::time::Duration;

use crate::common::{TestApp, fast_sim};
use egui_kittest::kittest::Queryable;
use instaotp_desktop::orders::OrderStore;
use instaotp_desktop::sim::{ProviderProfile, Simulator};

const WAIT: Duration = Duration::from_secs(20);
const SECOND_KEY: &str = "second-provider-key";

fn add_backup(t: &mut TestApp, url: &str, key: &str) {
    t.click_tab("Settings");
    if !t.has_text("Add a provider of the same protocol") && !t.has_text("Check the key and add") {
        t.click("Providers");
    }
    if t.has_text("Add a provider of the same protocol") {
        t.click("Add a provider of the same protocol…");
    }
    t.type_into("Name", "Backup");
    t.type_into("API address", url);
    t.type_into("API key", key);
    t.click("Check the key and add");
}

fn backup_ready(t: &mut TestApp) {
    t.run_until("Backup signed in with its offers", WAIT, |h| {
        h.state()
            .provider_sessions()
            .any(|(_, s)| !s.offers().offers().is_empty() && s.can_buy())
    });
}

/// InstaOTP and Backup (whose SMS comes only when a test delivers it), both signed in, Backup's
/// offers listed.
fn with_backup(dir: &std::path::Path) -> (Simulator, Simulator, TestApp) {
    let sim = fast_sim(dir, Duration::from_secs(120), None);
    let second = Simulator::start_provider(ProviderProfile::second(SECOND_KEY)).unwrap();
    second.set_code_delay(None);
    let mut t = TestApp::signed_in(dir, &sim);
    add_backup(&mut t, &second.url(), SECOND_KEY);
    backup_ready(&mut t);
    (sim, second, t)
}

fn backup_orders(t: &TestApp) -> Vec<String> {
    t.app()
        .provider_sessions()
        .flat_map(|(_, s)| s.orders().iter().map(|o| o.order_id.to_string()))
        .collect()
}

/// Every request the second provider got carried its own key; InstaOTP never got that key nor
/// a question about the second provider's order.
fn keys_kept_apart(sim: &Simulator, second: &Simulator, order_id: &str) {
    // The check of the key it refused is the one request with another key.
    let to_second: Vec<_> = second.requests().into_iter().skip(1).collect();
    assert!(!to_second.is_empty());
    for r in &to_second {
        assert_eq!(
            r.params.get("api_key").map(String::as_str),
            Some(SECOND_KEY),
            "{}",
            r.action
        );
    }
    for r in sim.requests() {
        assert_ne!(
            r.params.get("api_key").map(String::as_str),
            Some(SECOND_KEY)
        );
        let about = r.params.get("id").map(String::as_str);
        assert!(
            r.action != "getStatus" || about != Some(order_id),
            "InstaOTP was asked about the second provider's order"
        );
    }
}

#[test]
fn a_second_provider_sells_beside_instaotp_on_its_own_key_and_is_removed_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let sim = fast_sim(dir.path(), Duration::from_secs(120), None);
    let second = Simulator::start_provider(ProviderProfile::second(SECOND_KEY)).unwrap();
    // Its numbers wait for their code for the whole test.
    second.set_code_delay(None);
    let mut t = TestApp::signed_in(dir.path(), &sim);

    // A key the provider refuses: said with its name, nothing kept.
    add_backup(&mut t, &second.url(), "not-its-key");
    t.wait_for_text("Backup did not accept this key", WAIT);
    assert!(t.app().settings().providers.is_empty());
    assert_eq!(t.keychain.provider_entry("backup").stored(), None);

    // The right key: checked, kept in its own keychain entry, the settings hold only its name
    // and address.
    t.type_into("API key", SECOND_KEY);
    t.click("Check the key and add");
    backup_ready(&mut t);
    assert_eq!(
        t.keychain.provider_entry("backup").stored().as_deref(),
        Some(SECOND_KEY)
    );
    assert_eq!(t.keychain.stored().as_deref(), Some(crate::common::KEY));
    t.run_until("settings saved", WAIT, |h| {
        std::fs::read_to_string(h.state().settings_path()).is_ok_and(|s| s.contains("Backup"))
    });
    let saved = std::fs::read_to_string(t.app().settings_path()).unwrap();
    assert!(!saved.contains(SECOND_KEY));
    assert!(t.has_text("Signed in · balance"), "its state in Settings");

    // One table: both providers' offers, the Provider column, a Provider filter.
    t.click_tab("Services");
    t.type_into("Search", "whatsapp");
    t.wait_for_text("from Backup", WAIT);
    assert!(t.has_text("Buy WhatsApp India server 2 from Backup"));
    assert!(t.has_text("Buy WhatsApp India server 1 from InstaOTP"));
    t.choose("Provider", "Backup");
    t.run_for(Duration::from_millis(200));
    assert!(!t.has_text("from InstaOTP"), "only Backup's rows");
    assert!(t.has_text("from Backup"));
    t.choose("Provider", "All providers");

    // Bought from Backup: the order is Backup's, polled there with Backup's key.
    t.open_buy("whatsapp", "WhatsApp India server 2 from Backup");
    t.confirm_buy();
    t.run_until("bought at Backup", WAIT, |_| second.orders().len() == 1);
    assert!(sim.orders().is_empty(), "nothing bought at InstaOTP");
    let id = second.orders()[0].id.clone();
    t.run_until("its order in Backup's session", WAIT, |h| {
        h.state()
            .provider_sessions()
            .any(|(_, s)| s.orders().iter().any(|o| o.order_id == id))
    });
    t.run_until("polled at Backup", WAIT, |_| {
        second
            .requests()
            .iter()
            .any(|r| r.action == "getStatus" && r.params.get("id") == Some(&id))
    });
    keys_kept_apart(&sim, &second, &id);
    t.click_tab("Orders");
    t.wait_for_text("Backup: 1 open number", WAIT);

    // InstaOTP goes down: its rows are greyed with the reason; Backup keeps selling and polling.
    drop(sim);
    t.click_tab("Services");
    t.click("⟳ Refresh balance");
    t.run_until("InstaOTP unreachable", WAIT, |h| {
        h.state()
            .session()
            .is_some_and(|s| s.unreachable_since().is_some())
    });
    t.wait_for_text(
        "InstaOTP cannot be reached: its offers cannot be bought now.",
        WAIT,
    );
    let polls = second.count("getStatus");
    t.open_buy("whatsapp", "WhatsApp India server 2 from Backup");
    t.confirm_buy();
    t.run_until("a second number at Backup", WAIT, |_| {
        second.orders().len() == 2
    });
    t.run_until("Backup still polled", WAIT, |_| {
        second.count("getStatus") > polls
    });

    // Removing Backup asks first; "Keep it" keeps it.
    t.click_tab("Settings");
    t.click("Remove");
    t.wait_for_text("Remove Backup?", WAIT);
    assert!(t.has_text("2 numbers of Backup still wait for a code"));
    t.click("Keep it");
    assert_eq!(t.app().providers().len(), 1);
    t.click("Remove");
    t.click("Remove Backup");
    t.run_until("Backup removed", WAIT, |h| {
        h.state().providers().is_empty() && h.state().is_idle()
    });
    assert!(t.app().settings().providers.is_empty());
    assert_eq!(t.keychain.provider_entry("backup").stored(), None);
    assert_eq!(
        second.count("setStatus"),
        0,
        "its numbers were not cancelled"
    );

    // Its numbers stay on this computer: added back with the same key, they are followed again.
    let (store, _) =
        OrderStore::open_or_set_aside(&dir.path().join("orders-backup.sqlite")).unwrap();
    assert_eq!(store.load().unwrap().orders.len(), 2);
    drop(store);
    add_backup(&mut t, &second.url(), SECOND_KEY);
    backup_ready(&mut t);
    t.run_until("its numbers back", WAIT, |h| {
        h.state()
            .provider_sessions()
            .any(|(_, s)| s.watched_orders().count() == 2)
    });
    assert!(backup_orders(&t).contains(&id));
}

/// A purchase at Backup whose answer was lost stays on screen until it is settled: Backup is not
/// removed meanwhile, and the person is told why.
#[test]
fn a_provider_with_a_purchase_not_confirmed_is_not_removed() {
    let dir = tempfile::tempdir().unwrap();
    let (_sim, second, mut t) = with_backup(dir.path());
    second.fault_once(
        "getNumber",
        instaotp_desktop::sim::Fault::DropAfterProcessing,
    );
    t.click_tab("Services");
    t.type_into("Search", "whatsapp");
    t.open_buy("whatsapp", "WhatsApp India server 2 from Backup");
    assert!(
        t.has_text("Provider"),
        "the confirmation names the provider"
    );
    t.confirm_buy();
    t.run_until("the purchase not confirmed", WAIT, |h| {
        h.state()
            .provider_sessions()
            .any(|(_, s)| s.not_confirmed() == 1)
    });
    assert_eq!(second.orders().len(), 1, "sold, its answer lost");
    t.click_tab("Settings");
    t.click("Remove");
    t.wait_for_text("Backup has 1 purchase not confirmed", WAIT);
    assert!(!t.has_text("Remove Backup?"), "not even asked");
    assert_eq!(t.app().providers().len(), 1);
    assert_eq!(
        t.keychain.provider_entry("backup").stored().as_deref(),
        Some(SECOND_KEY)
    );
}

/// Each provider's history is its own: chosen in the history's Provider list, totalled and
/// exported with that provider's orders only (through the app's own "Save as" dialog too).
#[test]
fn the_history_and_its_export_are_chosen_by_provider() {
    let dir = tempfile::tempdir().unwrap();
    let (_sim, second, mut t) = with_backup(dir.path());
    t.click_tab("Services");
    t.type_into("Search", "whatsapp");
    t.open_buy("whatsapp", "WhatsApp India server 2 from Backup");
    t.confirm_buy();
    t.run_until("bought at Backup", WAIT, |_| second.orders().len() == 1);
    let id = second.orders()[0].id.clone();
    second.deliver_code(&id, "482913");
    t.click_tab("Orders");
    t.wait_for_text("482913", WAIT);
    t.click("Finish");
    t.run_until("finished at Backup", WAIT, |h| {
        h.state().provider_sessions().any(|(_, s)| {
            s.orders()
                .iter()
                .any(|o| o.order_id == id && !o.is_watched())
        })
    });
    // InstaOTP's history first: nothing there.
    t.wait_for_text("0 orders", WAIT);
    t.choose("Provider", "Backup");
    t.wait_for_text("1 order", WAIT);
    t.click("Export history as CSV");
    t.wait_for_text("Save the history as CSV", WAIT);
    let chosen = dir.path().join("backup.csv");
    t.harness.get_by_label("Save as").focus();
    t.harness
        .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    t.type_into("Save as", &chosen.display().to_string());
    t.click("Save");
    t.wait_for_text("1 order saved as", WAIT);
    let csv = std::fs::read_to_string(&chosen).unwrap();
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.contains(&id) && csv.contains("482913"), "{csv}");
}

/// InstaOTP has no numbers left on the server chosen, and Backup sells the same WhatsApp number
/// for less than InstaOTP's other servers: the message offers Backup's, and one confirmation buys
/// one number there.
#[test]
fn the_next_best_number_can_be_another_providers() {
    let dir = tempfile::tempdir().unwrap();
    let (sim, second, mut t) = with_backup(dir.path());
    sim.fault_once(
        "getNumber",
        instaotp_desktop::sim::Fault::Reply {
            status: 200,
            body: "NO_NUMBERS".into(),
        },
    );
    t.click_tab("Services");
    t.type_into("Search", "whatsapp");
    t.open_buy("whatsapp", "WhatsApp India server 1 from InstaOTP");
    t.confirm_buy();
    t.wait_for_text("Buy from Backup on server 2 for ₹9.90 instead", WAIT);
    assert!(sim.orders().is_empty() && second.orders().is_empty());
    t.click("Buy from Backup on server 2 for ₹9.90 instead");
    t.wait_for_text("Buy this number?", WAIT);
    assert!(t.confirm_label().contains("₹9.90"), "{}", t.confirm_label());
    assert!(
        t.harness.query_all_by_label("Backup").next().is_some(),
        "the confirmation names Backup"
    );
    t.confirm_buy();
    t.run_until("bought at Backup", WAIT, |_| second.orders().len() == 1);
    t.run_for(Duration::from_millis(300));
    assert!(sim.orders().is_empty(), "nothing at InstaOTP");
    assert_eq!(second.count("getNumber"), 1, "one number for one click");
}

/// A sold-out row of InstaOTP's offers Backup's number where that is the best (Telegram in India:
/// InstaOTP's server 2 at ₹9.50, Backup's at ₹8.55): "Other server…" says whose it is and opens
/// Backup's confirmation.
#[test]
fn a_sold_out_row_offers_another_providers_number_when_it_is_the_best() {
    let dir = tempfile::tempdir().unwrap();
    let (sim, second, mut t) = with_backup(dir.path());
    t.click_tab("Services");
    t.type_into("Search", "telegram");
    let hint = "Sold out here. Backup has it on server 2 for ₹8.55";
    t.wait_for_text(hint, WAIT);
    t.harness
        .query_all_by_label_contains(hint)
        .next()
        .unwrap()
        .click();
    t.harness.run_steps(2);
    t.wait_for_text("Buy this number?", WAIT);
    assert!(t.confirm_label().contains("₹8.55"), "{}", t.confirm_label());
    assert!(t.harness.query_all_by_label("Backup").next().is_some());
    t.confirm_buy();
    t.run_until("bought at Backup", WAIT, |_| second.orders().len() == 1);
    assert!(sim.orders().is_empty());
    assert_eq!(second.orders()[0].server, "2");
}
