//! Shared test set-up: the app in a kittest harness, over real HTTP to the project's simulator.
#![allow(dead_code)]

use std::path::Path;
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use instaotp_desktop::api::{Offer, Purchase};
use instaotp_desktop::orders::{Millis, Order, OrderState, OrderStore};
use instaotp_desktop::platform::file_dialog::SaveChoice;
use instaotp_desktop::platform::test_doubles::MemoryKeychain;
use instaotp_desktop::platform::test_doubles::RecordingNotifier;
use instaotp_desktop::platform::test_doubles::ScriptedSaveDialog;
use instaotp_desktop::settings::Settings;
use instaotp_desktop::sim::{SimConfig, Simulator};
use instaotp_desktop::{App, AppConfig};
use rust_decimal::Decimal;

pub const KEY: &str = "test-key";

/// One runtime per test binary, as `main` has one.
pub static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("test runtime")
});

pub struct TestApp {
    pub harness: Harness<'static, App>,
    pub keychain: Arc<MemoryKeychain>,
    /// Every desktop notification the app sent.
    pub notifier: Arc<RecordingNotifier>,
    /// The "Save as" dialog; with no answers scripted, the desktop has none.
    pub save_dialog: Arc<ScriptedSaveDialog>,
    pub url: String,
    _enter: tokio::runtime::EnterGuard<'static>,
}

/// Builds the app over `data_dir`, talking to `url`, with `keychain`.
pub fn start_app(data_dir: &Path, url: &str, keychain: Arc<MemoryKeychain>) -> TestApp {
    start_app_with(data_dir, url, keychain, Vec::new())
}

/// As `start_app`, with the answers the "Save as" dialog gives.
pub fn start_app_with(
    data_dir: &Path,
    url: &str,
    keychain: Arc<MemoryKeychain>,
    save_answers: Vec<SaveChoice>,
) -> TestApp {
    start_app_sized(
        data_dir,
        url,
        keychain,
        save_answers,
        egui::vec2(1200.0, 800.0),
    )
}

/// As `start_app_with`, in a window of `size` (points at text size 1.0).
pub fn start_app_sized(
    data_dir: &Path,
    url: &str,
    keychain: Arc<MemoryKeychain>,
    save_answers: Vec<SaveChoice>,
    size: egui::Vec2,
) -> TestApp {
    start_app_configured(data_dir, url, keychain, save_answers, size, |_| {})
}

/// As `start_app_sized`, its configuration changed by `edit` first.
pub fn start_app_configured(
    data_dir: &Path,
    url: &str,
    keychain: Arc<MemoryKeychain>,
    save_answers: Vec<SaveChoice>,
    size: egui::Vec2,
    edit: impl FnOnce(&mut AppConfig),
) -> TestApp {
    let enter = RUNTIME.enter();
    let notifier = RecordingNotifier::new();
    let save_dialog = ScriptedSaveDialog::new(save_answers);
    let mut config = AppConfig::new(data_dir.to_path_buf(), keychain.clone());
    config.notifier = notifier.clone();
    config.save_dialog = save_dialog.clone();
    config.api_url_override = Some(url.to_owned());
    config.request_timeout = Duration::from_secs(2);
    config.retry_backoff = Duration::from_millis(50);
    config.export_dir = Some(data_dir.join("exports"));
    // No test looks for new versions unless it says where.
    config.updates = instaotp_desktop::updates::UpdateSource::default();
    edit(&mut config);
    let harness = Harness::builder()
        .with_size(size)
        // Service names come in many scripts; the test machine may lack their fonts.
        .allow_missing_glyphs()
        .build_eframe(move |cc| App::new(&cc.egui_ctx, config));
    TestApp {
        harness,
        keychain,
        notifier,
        save_dialog,
        url: url.to_owned(),
        _enter: enter,
    }
}

/// Writes settings before the app starts (short timings for tests).
pub fn write_settings(data_dir: &Path, edit: impl FnOnce(&mut Settings)) {
    let mut s = Settings::default();
    edit(&mut s);
    s.save(data_dir).expect("settings written");
}

/// A simulator with short timings, and a data folder whose settings match them.
pub fn fast_sim(data_dir: &Path, lock: Duration, code_delay: Option<Duration>) -> Simulator {
    let config = SimConfig {
        cancel_lock: lock,
        code_delay,
        ..SimConfig::default()
    };
    sim_with(data_dir, config, |_| {})
}

/// A simulator with this configuration, and settings that match it (its cancel lock, polls every
/// 3 s), changed further by `edit`, written before the app starts.
pub fn sim_with(data_dir: &Path, config: SimConfig, edit: impl FnOnce(&mut Settings)) -> Simulator {
    let lock = config.cancel_lock;
    let sim = Simulator::start(config).expect("simulator");
    write_settings(data_dir, |s| {
        s.cancel_lock_secs = lock.as_secs();
        s.poll_interval_secs = 3;
        edit(s);
    });
    sim
}

/// As `sim_with`, over HTTPS with the test CA (which the app then trusts, and only it).
pub fn https_sim_with(
    data_dir: &Path,
    config: SimConfig,
    edit: impl FnOnce(&mut Settings),
) -> Simulator {
    let lock = config.cancel_lock;
    let sim = Simulator::start_https(config).expect("HTTPS simulator");
    assert!(sim.url().starts_with("https://127.0.0.1:"), "{}", sim.url());
    write_settings(data_dir, |s| {
        s.cancel_lock_secs = lock.as_secs();
        s.poll_interval_secs = 3;
        edit(s);
    });
    sim
}

/// The offer the seeded orders were bought from.
pub fn test_offer(name: &str) -> Offer {
    Offer {
        server: "1".into(),
        service_code: name.to_lowercase(),
        name: name.into(),
        price: "12.50".parse().expect("price"),
        price_sent: None,
        qty: 1,
        country: "22".into(),
        provider: "1".into(),
    }
}

/// Writes closed orders into the data folder's database before the app starts:
/// (service name, bought at, final state).
pub fn seed_history(data_dir: &Path, orders: &[(&str, Millis, OrderState)]) {
    let store = OrderStore::open(&data_dir.join("orders.sqlite")).expect("orders database");
    for (i, &(name, bought_at, state)) in orders.iter().enumerate() {
        let purchase = Purchase {
            order_id: format!("old-{i}"),
            phone: format!("+91900000{i:04}"),
        };
        let mut o = Order::new(&test_offer(name), purchase, bought_at);
        o.close(state, bought_at + 60_000);
        store.save(&o).expect("order saved");
    }
}

impl TestApp {
    pub fn app(&self) -> &App {
        self.harness.state()
    }

    /// Runs frames in real time for `d` (for what must not happen meanwhile).
    pub fn run_for(&mut self, d: Duration) {
        let start = Instant::now();
        while start.elapsed() < d {
            self.harness.step();
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Runs frames (in real time) until `cond` holds; fails the test after `timeout`.
    pub fn run_until(
        &mut self,
        what: &str,
        timeout: Duration,
        mut cond: impl FnMut(&Harness<'static, App>) -> bool,
    ) {
        let start = Instant::now();
        loop {
            self.harness.step();
            if cond(&self.harness) {
                self.harness.step();
                return;
            }
            assert!(
                start.elapsed() < timeout,
                "timed out after {timeout:?} waiting for {what}; messages: {:?}",
                self.app().message_texts()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for a widget whose label contains `text`.
    pub fn wait_for_text(&mut self, text: &str, timeout: Duration) {
        let t = text.to_owned();
        self.run_until(&format!("text {text:?}"), timeout, move |h| {
            h.query_all_by_label_contains(&t).next().is_some()
        });
    }

    pub fn has_text(&self, text: &str) -> bool {
        self.harness
            .query_all_by_label_contains(text)
            .next()
            .is_some()
    }

    pub fn click(&mut self, label: &str) {
        self.harness.get_by_label(label).click();
        self.harness.step();
        self.harness.step();
    }

    /// Clicks the tab whose name starts with `name` ("Orders (1 active)").
    /// Turns the mouse wheel where the pointer is (negative: down the page), one frame.
    pub fn scroll(&mut self, dy: f32) {
        self.harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, dy),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        });
        self.harness.step();
    }

    /// Opens the drop-down list labelled `label` and picks `choice`.
    pub fn choose(&mut self, label: &str, choice: &str) {
        let combo = self
            .harness
            .query_all_by_label(label)
            .find(|n| n.accesskit_node().role() == egui::accesskit::Role::ComboBox)
            .expect("drop-down list");
        combo.click();
        self.harness.run_steps(2);
        self.click(choice);
        self.harness.run_steps(2);
    }

    pub fn click_tab(&mut self, name: &str) {
        let tab = self
            .harness
            .query_all_by_label_contains(name)
            .find(|n| {
                n.accesskit_node()
                    .label()
                    .is_some_and(|l| l.starts_with(name))
            })
            .expect("tab");
        tab.click();
        self.harness.step();
        self.harness.step();
    }

    /// Types into the field with this accessible label.
    pub fn type_into(&mut self, label: &str, text: &str) {
        let field = self.harness.get_by_label(label);
        field.focus();
        field.type_text(text);
        self.harness.step();
        self.harness.step();
    }

    /// Signs in with the key on the welcome screen and waits for the main screen.
    pub fn sign_in(&mut self, key: &str) {
        self.wait_for_text("Check and save", Duration::from_secs(5));
        self.type_into("API key", key);
        self.click("Check and save");
        self.run_until("main screen", Duration::from_secs(10), |h| {
            h.state().screen() == instaotp_desktop::app::Screen::Main
        });
    }

    /// The state of the order `id` (the test fails when there is none).
    pub fn state_of(&self, id: &str) -> OrderState {
        self.app()
            .orders()
            .iter()
            .find(|o| o.order_id == id)
            .map(|o| o.state)
            .unwrap_or_else(|| panic!("no order {id}"))
    }

    /// Waits until the order `id` is in `state`.
    pub fn wait_for_state(&mut self, id: &str, state: OrderState) {
        self.run_until(&format!("{id} {state:?}"), Duration::from_secs(20), |h| {
            h.state()
                .orders()
                .iter()
                .any(|o| o.order_id == id && o.state == state)
        });
    }

    /// Presses Cancel on the only open order once its lock is over, and confirms.
    pub fn cancel_on_its_card(&mut self) {
        self.click_tab("Orders");
        self.run_until("cancel unlocked", Duration::from_secs(20), |h| {
            h.query_by_label("Cancel")
                .is_some_and(|n| !n.accesskit_node().is_disabled())
        });
        self.click("Cancel");
        self.wait_for_text("Cancel this order?", Duration::from_secs(20));
        self.click("Cancel order");
    }

    /// Signs in with another key from Settings ("Change key", then "Check and save"), and waits
    /// until the new key's session has replaced the old one: until then the old session still
    /// answers every question a test asks (its offers, its orders, `can_buy`).
    pub fn change_key(&mut self, key: &str) {
        let before = self.app().session().map(|s| s.generation());
        self.click_tab("Settings");
        self.click("Change key");
        self.type_into("API key", key);
        self.click("Check and save");
        self.run_until("signed in with the new key", Duration::from_secs(15), |h| {
            let now = h.state().session().map(|s| s.generation());
            now.is_some() && now != before
        });
    }

    /// Started with a key already in the keychain, on the main screen.
    pub fn with_saved_key(data_dir: &Path, url: &str) -> TestApp {
        let mut t = start_app(data_dir, url, Arc::new(MemoryKeychain::with_key(KEY)));
        t.run_until("main screen", Duration::from_secs(15), |h| {
            h.state().screen() == instaotp_desktop::app::Screen::Main
        });
        t
    }

    /// Signed in with a saved key, offers listed and the orders database open.
    pub fn signed_in(data_dir: &Path, sim: &Simulator) -> TestApp {
        Self::signed_in_sized(data_dir, sim, egui::vec2(1200.0, 800.0))
    }

    /// As `signed_in`, in a window of `size`.
    pub fn signed_in_sized(data_dir: &Path, sim: &Simulator, size: egui::Vec2) -> TestApp {
        let keychain = Arc::new(MemoryKeychain::with_key(KEY));
        let mut t = start_app_sized(data_dir, &sim.url(), keychain, Vec::new(), size);
        t.run_until("main screen", Duration::from_secs(15), |h| {
            h.state().screen() == instaotp_desktop::app::Screen::Main
        });
        let wait = Duration::from_secs(15);
        t.wait_for_offers();
        t.run_until("orders database open", wait, |h| h.state().can_buy());
        t
    }

    /// Opens the purchase confirmation of the first offer whose Buy button names `service`,
    /// after searching for `search` in the Services tab.
    pub fn open_buy(&mut self, search: &str, service: &str) {
        if self.app().tab() != instaotp_desktop::app::Tab::Services {
            self.click_tab("Services");
        }
        self.harness.get_by_label("Search").focus();
        self.harness
            .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        self.type_into("Search", search);
        let button = format!("Buy {service}");
        self.harness
            .query_all_by_label_contains(&button)
            .next()
            .unwrap_or_else(|| panic!("no {button:?} button"))
            .click();
        self.wait_for_text("Buy this number?", Duration::from_secs(10));
    }

    /// Runs frames until the widget whose name contains `label` is in the same place in two
    /// frames running (at most 30 frames).
    pub fn settle(&mut self, label: &str) {
        let mut last = None;
        for _ in 0..30 {
            self.harness.step();
            let now = self
                .harness
                .query_all_by_label_contains(label)
                .next()
                .map(|n| n.rect());
            if now.is_some() && now == last {
                return;
            }
            last = now;
        }
    }

    /// The accessible name of the dialog's "Buy for …" button.
    pub fn confirm_label(&self) -> String {
        self.harness
            .query_all_by_label_contains("Buy for ")
            .next()
            .and_then(|n| n.accesskit_node().label())
            .expect("the confirmation's Buy button")
    }

    /// Clicks the dialog's "Buy for …" button.
    pub fn confirm_buy(&mut self) {
        // The dialog's scrolling body takes a few frames to settle after it opened or grew (a
        // ticked option adds rows), and the button under it with it: wait until it stays put.
        self.settle("Buy for ");
        let label = self.confirm_label();
        self.click(&label);
    }

    /// "How many numbers" in the open buy confirmation.
    pub fn set_quantity(&mut self, n: f64) {
        self.harness
            .get_by_label("How many numbers")
            .set_value_accesskit(n);
        self.harness.run_steps(2);
    }

    /// Buys the first offer for `service` through the confirmation (the reply may still be on
    /// its way).
    pub fn buy(&mut self, search: &str, service: &str) {
        self.open_buy(search, service);
        self.confirm_buy();
    }

    /// Waits until the offers are listed, nothing is in flight and the offer table has its
    /// widths: before measuring a screen where the offers may come after what was waited for.
    pub fn settle_offers(&mut self) {
        self.wait_for_offers();
        self.run_until("nothing in flight", Duration::from_secs(20), |h| {
            h.state().is_idle()
        });
        self.settle("Buy WhatsApp");
    }

    /// Waits for the offers to be listed (on screen when Services is shown: a start with orders
    /// still open shows Orders).
    pub fn wait_for_offers(&mut self) {
        self.run_until("offers", Duration::from_secs(10), |h| {
            let on_services = h.state().tab() == instaotp_desktop::app::Tab::Services;
            h.state().shown_offer_count() > 0
                && (!on_services
                    || h.query_all_by_label_contains("Buy WhatsApp")
                        .next()
                        .is_some())
        });
    }
}

pub fn shown_balance(t: &TestApp) -> Option<Decimal> {
    t.app()
        .session()
        .and_then(|s| s.balance().map(|(b, _)| b.amount))
}

/// Waits until the top bar shows the simulator's balance, in figures and in words.
pub fn wait_shown_balance(t: &mut TestApp, sim: &Simulator) {
    let truth = sim.balance(KEY).unwrap();
    t.run_until(
        "the provider's balance shown",
        Duration::from_secs(20),
        |h| {
            h.state()
                .session()
                .and_then(|s| s.balance())
                .is_some_and(|(b, _)| b.amount == truth)
        },
    );
    let words = format!("Balance: ₹{truth:.2}");
    assert!(t.has_text(&words), "{words} on screen");
}

/// Waits until the app has asked for the balance again (more than `reads` times in all).
pub fn wait_balance_read(t: &mut TestApp, sim: &Simulator, reads: usize) {
    t.run_until("the balance read again", Duration::from_secs(20), |_| {
        sim.count("getBalance") > reads
    });
    wait_shown_balance(t, sim);
}

/// Whether the log has a `getBalance` after the first `action` about `id` since `since`.
pub fn balance_read_after(sim: &Simulator, since: usize, action: &str, id: &str) -> bool {
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

/// An address on 127.0.0.1 where nothing listens.
pub fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}/api/v1/handler_api.php")
}

/// Every file under `dir`, in any sub-folder.
pub fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Frames painted over `window`, as an event loop would paint them: a frame only when the app
/// asked for one (a repaint, or a repaint after a delay).
pub fn frames_over(t: &mut TestApp, window: Duration) -> u32 {
    let start = Instant::now();
    let end = start + window;
    // egui's clock follows the real one here, as in the window (kittest's own moves a fixed step
    // a frame, so a note due to fade in 4 s would take 16 frames of sleeping to go).
    let egui_start = t.harness.ctx.input(|i| i.time);
    let mut frames = 0;
    loop {
        let delay = t.harness.output().viewport_output[&egui::ViewportId::ROOT].repaint_delay;
        let now = Instant::now();
        if now >= end {
            break;
        }
        // No faster than a 60 Hz display paints (a spinner asks for "now" every frame).
        let wait = delay.max(Duration::from_millis(16)).min(end - now);
        std::thread::sleep(wait);
        if Instant::now() >= end && delay > wait {
            break;
        }
        t.harness.input_mut().time = Some(egui_start + start.elapsed().as_secs_f64());
        t.harness.step();
        frames += 1;
    }
    // Back to kittest's steps, on from where the real clock left egui's.
    t.harness.input_mut().time = None;
    frames
}
