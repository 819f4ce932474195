//! The app shell against the simulator: first run, keychain, settings, demo.

use std::sync::Arc;
use std::time::Duration;

use crate::common::{KEY, TestApp, dead_url, start_app};
use egui_kittest::kittest::Queryable;
use instaotp_desktop::app::{Screen, Tab};
use instaotp_desktop::platform::test_doubles::MemoryKeychain;
use instaotp_desktop::settings::{SETTINGS_FILE, Theme};
use instaotp_desktop::sim::{SimConfig, Simulator};

const WAIT: Duration = Duration::from_secs(10);

fn sim() -> Simulator {
    Simulator::start(SimConfig::default()).expect("simulator")
}

#[test]
fn first_run_with_a_good_key_saves_it_and_shows_the_balance() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let mut t = start_app(dir.path(), &sim.url(), Arc::new(MemoryKeychain::default()));
    t.wait_for_text("Welcome to InstaOTP Desktop", WAIT);
    t.sign_in(KEY);
    assert_eq!(t.keychain.stored().as_deref(), Some(KEY));
    t.wait_for_text("Balance: ₹100.00", WAIT);
    assert!(sim.count("getBalance") >= 1);
}

#[test]
fn a_bad_key_is_refused_in_plain_words_and_not_saved() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let mut t = start_app(dir.path(), &sim.url(), Arc::new(MemoryKeychain::default()));
    t.wait_for_text("Check and save", WAIT);
    t.type_into("API key", "not-a-real-key");
    t.click("Check and save");
    t.wait_for_text("did not accept this key", WAIT);
    assert_eq!(t.app().screen(), Screen::Welcome);
    assert_eq!(t.keychain.stored(), None);
    assert!(!t.has_text("not-a-real-key"), "the key is never echoed");
}

#[test]
fn the_server_down_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = start_app(dir.path(), &dead_url(), Arc::new(MemoryKeychain::default()));
    t.wait_for_text("Check and save", WAIT);
    t.type_into("API key", KEY);
    t.click("Check and save");
    t.wait_for_text("Could not connect to InstaOTP", WAIT);
    assert!(t.has_text("internet connection"));
    assert_eq!(t.app().screen(), Screen::Welcome);
}

#[test]
fn keychain_unavailable_offers_the_key_for_this_session_only() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let mut t = start_app(
        dir.path(),
        &sim.url(),
        Arc::new(MemoryKeychain::unavailable()),
    );
    t.wait_for_text("keychain is not available", WAIT);
    t.type_into("API key", KEY);
    t.click("Check and save");
    t.wait_for_text("Use this key for this session only", WAIT);
    assert!(t.app().holds_typed_key());
    t.click("Use this key for this session only");
    t.run_until("main screen", WAIT, |h| h.state().screen() == Screen::Main);
    // In use for the session: no form keeps a copy of it.
    assert!(
        !t.app().holds_typed_key(),
        "the typed key is still in a form"
    );
    t.click("Settings");
    t.wait_for_text("for this session only", WAIT);
    assert_eq!(t.keychain.stored(), None);
}

#[test]
fn a_saved_key_opens_the_app_directly_and_can_be_removed() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let mut t = TestApp::with_saved_key(dir.path(), &sim.url());
    t.wait_for_text("Balance: ₹100.00", WAIT);
    t.click("Settings");
    assert_eq!(t.app().tab(), Tab::Settings);
    t.click("Remove key");
    t.wait_for_text("Remove the API key?", WAIT);
    // The dialog's button, not the one behind it.
    let buttons = t.harness.query_all_by_label("Remove key").count();
    assert_eq!(buttons, 2);
    t.harness
        .query_all_by_label("Remove key")
        .last()
        .unwrap()
        .click();
    t.run_until("welcome screen", WAIT, |h| {
        h.state().screen() == Screen::Welcome
    });
    assert_eq!(t.keychain.stored(), None);
}

#[test]
fn the_key_can_be_changed_in_settings() {
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
    t.click("Settings");
    t.click("Change key");
    t.type_into("API key", "second-key");
    t.click("Check and save");
    t.wait_for_text("Balance: ₹7.50", WAIT);
    assert_eq!(t.keychain.stored().as_deref(), Some("second-key"));
}

#[test]
fn settings_survive_a_restart_and_hold_no_secret() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    {
        let mut t = TestApp::with_saved_key(dir.path(), &sim.url());
        t.click("Settings");
        t.click("Dark");
        t.click("Copy each new code by itself");
        // Two changes, two writes in the background: wait for the one with both.
        t.run_until("settings saved", WAIT, |h| {
            std::fs::read_to_string(h.state().settings_path())
                .is_ok_and(|s| s.contains("Dark") && s.contains("\"auto_copy_code\": true"))
        });
    }
    let saved = std::fs::read_to_string(dir.path().join(SETTINGS_FILE)).unwrap();
    assert!(
        !saved.contains(KEY),
        "the key is never written to the settings"
    );
    let t = TestApp::with_saved_key(dir.path(), &sim.url());
    assert_eq!(t.app().settings().theme, Theme::Dark);
    assert!(t.app().settings().auto_copy_code);
}

#[test]
fn the_demo_runs_with_a_banner_and_its_own_orders() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = start_app(dir.path(), &dead_url(), Arc::new(MemoryKeychain::default()));
    t.wait_for_text("Try the demo", WAIT);
    t.click("Try the demo");
    t.run_until("demo", WAIT, |h| h.state().is_demo());
    t.wait_for_text("DEMO", WAIT);
    t.wait_for_text("Balance: ₹500.00", WAIT);
    t.wait_for_offers();
    // The status line does not call the demo InstaOTP.
    t.wait_for_text("The demo: a pretend InstaOTP on this computer", WAIT);
    assert!(!t.has_text("Connected to InstaOTP"));
    assert!(dir.path().join("orders-demo.sqlite").exists());
    assert!(!dir.path().join("orders.sqlite").exists());
}

#[test]
fn an_idle_window_asks_for_no_repaints() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let mut t = TestApp::with_saved_key(dir.path(), &sim.url());
    t.wait_for_offers();
    t.run_until("idle", WAIT, |h| h.state().is_idle());
    t.harness.step();
    t.harness.step();
    let delay = t.harness.output().viewport_output[&egui::ViewportId::ROOT].repaint_delay;
    // Only the "updated …" labels may ask, at most once a minute.
    assert!(
        delay >= Duration::from_secs(10),
        "repaint asked after {delay:?}"
    );
    for tab in ["Orders", "Settings", "Services"] {
        t.click_tab(tab);
        // A new screen may take a frame or two to lay itself out; then it must settle.
        t.harness.run_steps(5);
        let delay = t.harness.output().viewport_output[&egui::ViewportId::ROOT].repaint_delay;
        assert!(
            delay >= Duration::from_secs(10),
            "{tab}: repaint asked after {delay:?}"
        );
    }
}

#[test]
fn every_control_has_a_name_on_every_screen() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let mut t = start_app(dir.path(), &sim.url(), Arc::new(MemoryKeychain::default()));
    t.wait_for_text("Check and save", WAIT);
    t.harness.run_steps(3);
    t.harness.check_accessibility();
    t.sign_in(KEY);
    t.wait_for_offers();
    t.run_until("store", WAIT, |h| h.state().can_buy());
    t.harness.run_steps(3);
    t.harness.check_accessibility();
    t.open_buy("whatsapp", "WhatsApp");
    t.harness.check_accessibility();
    t.confirm_buy();
    t.run_until("order", WAIT, |h| !h.state().orders().is_empty());
    for tab in ["Orders", "Settings", "Services"] {
        t.click_tab(tab);
        t.harness.run_steps(3);
        t.harness.check_accessibility();
    }
    t.click_tab("Settings");
    t.click("Change key");
    t.click("Advanced (only if InstaOTP tells you so in writing)");
    t.harness.run_steps(3);
    t.harness.check_accessibility();
}

#[test]
fn the_welcome_screen_works_from_the_keyboard() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let mut t = start_app(dir.path(), &sim.url(), Arc::new(MemoryKeychain::default()));
    t.wait_for_text("Check and save", WAIT);
    let mut presses = 0;
    while !t.harness.get_by_label("API key").is_focused() {
        t.harness.key_press(egui::Key::Tab);
        t.harness.step();
        presses += 1;
        assert!(presses < 10, "Tab never reached the key field");
    }
    t.harness.event(egui::Event::Text(KEY.into()));
    t.harness.step();
    t.harness.key_press(egui::Key::Enter);
    t.harness.step();
    t.run_until("main screen", WAIT, |h| h.state().screen() == Screen::Main);
    assert_eq!(t.keychain.stored().as_deref(), Some(KEY));
}

#[test]
fn the_api_address_must_be_https_unless_on_this_computer() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let mut t = TestApp::with_saved_key(dir.path(), &sim.url());
    t.click("Settings");
    t.click("Advanced (only if InstaOTP tells you so in writing)");
    t.harness.get_by_label("InstaOTP's address").focus();
    t.harness
        .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    t.type_into(
        "InstaOTP's address",
        "http://example.com/api/handler_api.php",
    );
    t.click("Save address");
    t.wait_for_text("must start with https://", WAIT);
    assert_eq!(
        t.app().settings().api_url,
        instaotp_desktop::api::DEFAULT_API_URL
    );
    t.harness.get_by_label("InstaOTP's address").focus();
    t.harness
        .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    t.type_into(
        "InstaOTP's address",
        "https://staging.example.com/api/handler_api.php",
    );
    // Another host gets the key: said with its name, and not without the key typed again.
    assert!(t.has_text("Your API key will be sent to staging.example.com"));
    t.click("Save address");
    t.wait_for_text("type your API key again under the address", WAIT);
    assert_eq!(
        t.app().settings().api_url,
        instaotp_desktop::api::DEFAULT_API_URL
    );
    t.type_into("Type your API key again", "not-the-key");
    t.click("Save address");
    t.harness.run_steps(2);
    assert_eq!(
        t.app().settings().api_url,
        instaotp_desktop::api::DEFAULT_API_URL,
        "a wrong key sends nothing elsewhere"
    );
    assert!(!t.app().holds_typed_key(), "the typed key is not kept");
    t.type_into("Type your API key again", KEY);
    t.click("Save address");
    t.run_until("saved", WAIT, |h| {
        h.state().settings().api_url.starts_with("https://staging.")
    });
    assert!(!t.app().holds_typed_key(), "the typed key is not kept");
}
