//! The random part of the chaos run: purchases through the Services tab, finishes and cancels,
//! closing and starting the app again, the SMS pausing (so some orders expire), all drawn from
//! the seed.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui_kittest::kittest::Queryable;
use instaotp_desktop::app::{Command, Screen, Tab};
use instaotp_desktop::orders::{OrderState, now_millis};
use instaotp_desktop::platform::test_doubles::MemoryKeychain;
use instaotp_desktop::sim::Simulator;

use crate::common::{KEY, TestApp, start_app};

/// How long anything the app is waited for may take; faults make some steps slow (a reply held
/// past the 2 s time-out, reads retried, a 429's pause).
pub const WAIT: Duration = Duration::from_secs(30);

/// The SMS comes this long after the purchase (while the SMS is not paused).
pub const CODE_DELAY: Duration = Duration::from_secs(4);

/// An order is cancelled once this old (the simulator's lock is 1 s), while its SMS has not come.
pub const CANCEL_AFTER_MS: i64 = 1200;

/// The offers bought from: (search, the Buy button's name after "Buy ").
const OFFERS: &[(&str, &str)] = &[
    ("whatsapp", "WhatsApp India server 1"),
    ("whatsapp", "WhatsApp India server 2"),
    ("amazon", "Amazon India server 1"),
    ("paytm", "Paytm India server 1"),
    ("swiggy", "Swiggy India server 1"),
];

/// SplitMix64: the test's own draws, from the seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5EED_5EED_5EED_5EED)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// One click on "Buy for …" and what the app made of it.
#[derive(Debug, Clone)]
pub struct PurchaseRecord {
    /// Just before the confirmation was clicked: a number the simulator sold from then until
    /// the next purchase was sold by this one.
    pub started: Instant,
    /// The order id the app gave it: the provider's, or the attempt's.
    pub app_id: String,
    /// The state it had right after the purchase settled.
    pub outcome: OrderState,
}

/// What the run did, for the figures.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    pub finishes: usize,
    pub cancels: usize,
    pub restarts: usize,
    pub sms_pauses: usize,
}

pub struct Driver<'a> {
    /// The app; `None` only while it is closed for a restart.
    app: Option<TestApp>,
    pub sim: &'a Simulator,
    pub dir: &'a Path,
    pub rng: Rng,
    pub purchases: Vec<PurchaseRecord>,
    pub counts: Counts,
    sms_paused: bool,
}

/// Runs frames in real time for `d`.
pub fn run_for(t: &mut TestApp, d: Duration) {
    let start = Instant::now();
    while start.elapsed() < d {
        t.harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Starts the app over `dir` with the key saved, and waits until it can buy from listed offers
/// (pressing Retry when a fault kept the offers away).
pub fn start(dir: &Path, sim: &Simulator) -> TestApp {
    let mut t = start_app(dir, &sim.url(), Arc::new(MemoryKeychain::with_key(KEY)));
    t.run_until("main screen", WAIT, |h| h.state().screen() == Screen::Main);
    t.run_until("orders database open", WAIT, |h| h.state().can_buy());
    ensure_offers(&mut t);
    t
}

/// Waits for the offers; a fault that outlasted the retries leaves an error with a Retry button.
fn ensure_offers(t: &mut TestApp) {
    let start = Instant::now();
    loop {
        t.run_until("offers or their error", WAIT, |h| {
            h.state().shown_offer_count() > 0
                || h.state()
                    .session()
                    .is_some_and(|s| s.offers_error.is_some())
        });
        if t.app().shown_offer_count() > 0 {
            return;
        }
        assert!(start.elapsed() < WAIT, "offers never came");
        if t.app().tab() != Tab::Services {
            t.click_tab("Services");
        }
        t.click("Retry");
    }
}

impl<'a> Driver<'a> {
    pub fn new(t: TestApp, sim: &'a Simulator, dir: &'a Path, rng: Rng) -> Self {
        Driver {
            app: Some(t),
            sim,
            dir,
            rng,
            purchases: Vec::new(),
            counts: Counts::default(),
            sms_paused: false,
        }
    }

    /// The running app.
    pub fn t(&mut self) -> &mut TestApp {
        self.app.as_mut().expect("the app is running")
    }

    /// Random steps until `purchases` purchases were made.
    pub fn run(&mut self, purchases: usize) {
        while self.purchases.len() < purchases {
            match self.rng.below(100) {
                0..=49 => self.purchase(),
                50..=64 => self.finish_one(),
                65..=76 => self.cancel_one(),
                77..=81 => self.restart(),
                82..=85 => self.toggle_sms(),
                _ => {
                    let ms = 100 + self.rng.below(700) as u64;
                    run_for(self.t(), Duration::from_millis(ms));
                }
            }
        }
        if self.sms_paused {
            self.toggle_sms();
        }
    }

    /// Buys one offer through the Services tab and waits for the app to settle the purchase
    /// (an order, "not bought", or a "not confirmed" card).
    fn purchase(&mut self) {
        let (search, button) = OFFERS[self.rng.below(OFFERS.len())];
        let before = self.t().app().orders().len();
        let t = self.t();
        if t.app().tab() != Tab::Services {
            t.click_tab("Services");
        }
        // Searches as a person does: select what the field holds, type over it (again, when a
        // dialog that was closing kept the keys from the field).
        let start = Instant::now();
        while t.harness.get_by_label("Search").value().as_deref() != Some(search) {
            assert!(start.elapsed() < WAIT, "the search field takes no text");
            t.harness.get_by_label("Search").focus();
            t.harness.run_steps(2);
            t.harness
                .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
            t.harness.run_steps(1);
            t.harness.get_by_label("Search").type_text(search);
            // The filter applies in the next frames: the rows move.
            t.harness.run_steps(3);
        }
        let button = format!("Buy {button}");
        let start = Instant::now();
        while t
            .harness
            .query_all_by_label_contains(&button)
            .next()
            .is_none()
        {
            let search_text = t.harness.get_by_label("Search").value();
            assert!(
                start.elapsed() < WAIT,
                "no {button:?}: search {search_text:?}, offers {:?}, error {:?}, tab {:?}",
                t.app().shown_offer_names(),
                t.app().session().map(|s| s.offers_error.clone()),
                t.app().tab()
            );
            t.harness.step();
            std::thread::sleep(Duration::from_millis(20));
        }
        // A code that arrives meanwhile may bring Orders to the front (the window is not in use
        // under the test harness): the click then lands on no button, and a person clicks again.
        let start = Instant::now();
        loop {
            if t.app().tab() != Tab::Services {
                t.click_tab("Services");
            }
            if let Some(buy) = t.harness.query_all_by_label_contains(&button).next() {
                buy.click();
            }
            let clicked = Instant::now();
            while !t.has_text("Buy this number?") && clicked.elapsed() < Duration::from_secs(3) {
                t.harness.step();
                std::thread::sleep(Duration::from_millis(20));
            }
            if t.has_text("Buy this number?") {
                // As `wait_for_text`: one frame more, the dialog laid out where it stays.
                t.harness.step();
                break;
            }
            assert!(
                start.elapsed() < WAIT,
                "no confirmation after clicking {button:?}; tab {:?}",
                t.app().tab()
            );
        }
        let started = Instant::now();
        self.t().confirm_buy();
        // A click the modal did not take leaves it open (a Buy closes it at once): again.
        for _ in 0..5 {
            if !self.dialog_open() {
                break;
            }
            self.t().confirm_buy();
        }
        self.t().run_until("the purchase settled", WAIT, |h| {
            h.state().orders().len() > before
        });
        let order = self.t().app().orders()[0].clone();
        self.purchases.push(PurchaseRecord {
            started,
            app_id: order.order_id.clone(),
            outcome: order.state,
        });
    }

    /// Finishes a random order that has its code, as its Finish button does.
    fn finish_one(&mut self) {
        let with_code: Vec<String> = self
            .t()
            .app()
            .orders()
            .iter()
            .filter(|o| o.state == OrderState::CodeReceived)
            .map(|o| o.order_id.clone())
            .collect();
        if with_code.is_empty() {
            return;
        }
        let id = with_code[self.rng.below(with_code.len())].clone();
        self.t()
            .harness
            .state_mut()
            .run_command(Command::Finish(id));
        self.t().harness.run_steps(2);
        self.counts.finishes += 1;
    }

    /// Cancels a random order still waiting for its SMS, past the cancel lock: its Cancel button,
    /// then "Cancel order" in the confirmation.
    fn cancel_one(&mut self) {
        let now = now_millis();
        let waiting: Vec<String> = self
            .t()
            .app()
            .orders()
            .iter()
            .filter(|o| o.state == OrderState::Waiting && now - o.bought_at > CANCEL_AFTER_MS)
            .map(|o| o.order_id.clone())
            .collect();
        if waiting.is_empty() {
            return;
        }
        let id = waiting[self.rng.below(waiting.len())].clone();
        self.t()
            .harness
            .state_mut()
            .run_command(Command::AskCancel(id));
        self.t().wait_for_text("Cancel order", WAIT);
        self.t().click("Cancel order");
        // A click the modal did not take leaves it open: again (a second cancel is refused while
        // the first is out).
        for _ in 0..5 {
            if !self.dialog_open() {
                break;
            }
            self.t().click("Cancel order");
        }
        assert!(!self.dialog_open(), "the cancel dialog stays open");
        self.counts.cancels += 1;
    }

    /// Closes the app and starts it again over the same data folder. A cancel or finish may still
    /// be on its way, as when staff close the window: its answer is lost, the order is not.
    pub fn restart(&mut self) {
        // One app at a time: the old one goes before the new one starts.
        self.app = None;
        self.app = Some(start(self.dir, self.sim));
        self.counts.restarts += 1;
    }

    /// A confirmation dialog is open.
    fn dialog_open(&mut self) -> bool {
        self.t()
            .app()
            .session()
            .is_some_and(|s| s.confirm.is_some())
    }

    /// Pauses the SMS (waiting orders then expire, refunded) or lets it come again.
    fn toggle_sms(&mut self) {
        self.sms_paused = !self.sms_paused;
        let delay = (!self.sms_paused).then_some(CODE_DELAY);
        self.sim.set_code_delay(delay);
        if self.sms_paused {
            self.counts.sms_pauses += 1;
        }
    }
}
