//! The random part of the chaos run, all drawn from the seed: purchases through the Services tab
//! of two desks (two apps, each with its own data folder and address, on one key), finishes and
//! cancels, closing a desk's app and starting it again, the SMS pausing (so some orders expire),
//! purchases and cancels on the website, prices that move, and TLS handshakes that fail.
//!
//! Each desk runs on a thread of its own, as on a computer of its own: its frames go on (polls,
//! countdowns) while the driver works the other desk. The driver works one desk at a time, the
//! two in turn.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use egui_kittest::kittest::Queryable;
use instaotp_desktop::app::{Command, Screen, Tab};
use instaotp_desktop::orders::{OrderState, now_millis};
use instaotp_desktop::platform::test_doubles::MemoryKeychain;
use instaotp_desktop::sim::Simulator;
use rust_decimal::Decimal;

use crate::common::{KEY, TestApp, start_app};

/// How long anything the app is waited for may take; faults make some steps slow (a reply held
/// past the 2 s time-out, reads retried, a 429's pause).
pub const WAIT: Duration = Duration::from_secs(30);

/// The SMS comes this long after the purchase (while the SMS is not paused).
pub const CODE_DELAY: Duration = Duration::from_secs(4);

/// An order is cancelled once this old (the simulator's lock is 1 s), while its SMS has not come.
pub const CANCEL_AFTER_MS: i64 = 1200;

/// A desk not being driven draws a frame this often, as an idle window woken by its timers.
const IDLE_FRAME: Duration = Duration::from_millis(50);

/// The desks: the name each goes by, which is also the first part of its address's path.
pub const DESKS: [&str; 2] = ["desk-a", "desk-b"];

/// The country of every offer bought from (India).
pub const COUNTRY: &str = "22";

/// An offer the desks and the website buy from.
#[derive(Debug, Clone, Copy)]
pub struct ChaosOffer {
    /// What a person types in the search field.
    pub search: &'static str,
    /// The Buy button's name after "Buy ".
    pub button: &'static str,
    /// The simulator's service code and server.
    pub service: &'static str,
    pub server: &'static str,
}

/// The offers bought from.
pub const OFFERS: &[ChaosOffer] = &[
    ChaosOffer {
        search: "whatsapp",
        button: "WhatsApp India server 1",
        service: "wa",
        server: "1",
    },
    ChaosOffer {
        search: "whatsapp",
        button: "WhatsApp India server 2",
        service: "wa",
        server: "2",
    },
    ChaosOffer {
        search: "amazon",
        button: "Amazon India server 1",
        service: "am",
        server: "1",
    },
    ChaosOffer {
        search: "paytm",
        button: "Paytm India server 1",
        service: "pm",
        server: "1",
    },
    ChaosOffer {
        search: "swiggy",
        button: "Swiggy India server 1",
        service: "sw",
        server: "1",
    },
];

/// The address of desk `name`: the simulator's, with `/api/v1/` replaced by `/<name>/` (the
/// simulator answers any path that ends in `handler_api.php`), so its log tells the desks apart.
pub fn desk_url(sim: &Simulator, name: &str) -> String {
    let url = sim.url().replace("/api/v1/", &format!("/{name}/"));
    assert!(url.ends_with(&format!("/{name}/handler_api.php")), "{url}");
    url
}

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
    /// Just before the confirmation was clicked: a number the simulator sold to a desk from then
    /// until the next purchase (of either desk) was sold by this one.
    pub started: Instant,
    /// The order id the app gave it: the provider's, or the attempt's.
    pub app_id: String,
    /// The state it had right after the purchase settled.
    pub outcome: OrderState,
}

/// What the driver did to one desk, for the figures.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    pub finishes: usize,
    pub cancels: usize,
    pub restarts: usize,
}

/// What happened on the account outside the desks, for the figures and the checks.
#[derive(Debug, Default, Clone)]
pub struct World {
    /// Orders bought on the website (their ids): no desk may follow them.
    pub website_orders: Vec<String>,
    /// Purchases on the website that InstaOTP refused (the word).
    pub website_refused: Vec<String>,
    /// Website orders closed on the website (refunded when no code had come).
    pub website_cancels: usize,
    /// Prices set anew (each one different from the price before).
    pub price_changes: usize,
    /// TLS handshakes made to fail (the next connection of either desk).
    pub handshake_failures: usize,
    pub sms_pauses: usize,
}

/// One desk: its app, data folder and address, and what was done to it. Lives on its thread.
pub struct Desk {
    pub name: &'static str,
    pub dir: PathBuf,
    pub url: String,
    /// The app; `None` before the first start and while it is closed for a restart.
    app: Option<TestApp>,
    pub purchases: Vec<PurchaseRecord>,
    pub counts: Counts,
}

/// Runs frames in real time for `d`.
pub fn run_for(t: &mut TestApp, d: Duration) {
    let start = Instant::now();
    while start.elapsed() < d {
        t.harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Starts the app over `dir` with the key saved, talking to `url`, and waits until it can buy
/// from listed offers (pressing Retry when a fault kept the offers away).
pub fn start(dir: &std::path::Path, url: &str) -> TestApp {
    let mut t = start_app(dir, url, Arc::new(MemoryKeychain::with_key(KEY)));
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
                    .is_some_and(|s| s.offers_error().is_some())
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

impl Desk {
    fn new(name: &'static str, dir: PathBuf, url: String) -> Self {
        Desk {
            name,
            dir,
            url,
            app: None,
            purchases: Vec::new(),
            counts: Counts::default(),
        }
    }

    /// The running app.
    pub fn t(&mut self) -> &mut TestApp {
        self.app.as_mut().expect("the app is running")
    }

    /// Starts the app (the first time, or again after [`Desk::close`]).
    pub fn start(&mut self) {
        assert!(self.app.is_none(), "{}: one app per desk", self.name);
        self.app = Some(start(&self.dir, &self.url));
    }

    /// One frame, as the window draws when nobody works it.
    fn idle(&mut self) {
        if let Some(t) = self.app.as_mut() {
            t.harness.step();
        }
    }

    /// Closes the app and starts it again over the same data folder. A cancel or finish may still
    /// be on its way, as when staff close the window: its answer is lost, the order is not.
    pub fn restart(&mut self) {
        // One app at a time: the old one goes before the new one starts.
        self.app = None;
        self.start();
        self.counts.restarts += 1;
    }

    /// Buys `offer` through the Services tab and waits for the app to settle the purchase
    /// (an order, "not bought", or a "not confirmed" card).
    pub fn purchase(&mut self, offer: ChaosOffer) {
        let (search, button) = (offer.search, offer.button);
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
                t.app()
                    .session()
                    .map(|s| s.offers_error().map(str::to_owned)),
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

    /// Finishes an order that has its code (`pick` chooses which), as its Finish button does.
    pub fn finish_one(&mut self, pick: u64) {
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
        let id = with_code[(pick % with_code.len() as u64) as usize].clone();
        self.t()
            .harness
            .state_mut()
            .run_command(Command::Finish(id.as_str().into()));
        self.t().harness.run_steps(2);
        self.counts.finishes += 1;
    }

    /// Cancels an order still waiting for its SMS, past the cancel lock (`pick` chooses which):
    /// its Cancel button, then "Cancel order" in the confirmation.
    pub fn cancel_one(&mut self, pick: u64) {
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
        let id = waiting[(pick % waiting.len() as u64) as usize].clone();
        self.t()
            .harness
            .state_mut()
            .run_command(Command::AskCancel(id.as_str().into()));
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

    /// A confirmation dialog is open.
    fn dialog_open(&mut self) -> bool {
        self.t()
            .app()
            .session()
            .is_some_and(|s| s.confirm().is_some())
    }
}

/// What a desk's thread runs: a step the driver asked for.
type Job<'a> = Box<dyn FnOnce(&mut Desk) + Send + 'a>;

/// The driver's end of a desk's thread.
pub struct DeskHandle<'a> {
    pub name: &'static str,
    jobs: mpsc::Sender<Job<'a>>,
}

impl<'scope> DeskHandle<'scope> {
    /// Starts the thread of desk `name` (its app is started by [`Desk::start`], as a job): it runs
    /// the jobs it is sent, and a frame every [`IDLE_FRAME`] between them, until the handle goes.
    pub fn spawn<'env>(
        scope: &'scope std::thread::Scope<'scope, 'env>,
        name: &'static str,
        dir: PathBuf,
        url: String,
    ) -> Self {
        let (jobs, inbox) = mpsc::channel::<Job<'scope>>();
        std::thread::Builder::new()
            .name(name.to_owned())
            .spawn_scoped(scope, move || {
                let mut desk = Desk::new(name, dir, url);
                loop {
                    match inbox.recv_timeout(IDLE_FRAME) {
                        Ok(job) => job(&mut desk),
                        Err(mpsc::RecvTimeoutError::Timeout) => desk.idle(),
                        // The driver is done: the app closes here, on its own thread.
                        Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    }
                }
            })
            .expect("a desk's thread");
        DeskHandle { name, jobs }
    }

    /// Sends `f` to the desk; its result (or its panic) comes on the receiver, see [`answer`].
    pub fn ask<R: Send + 'scope>(
        &self,
        f: impl FnOnce(&mut Desk) -> R + Send + 'scope,
    ) -> mpsc::Receiver<std::thread::Result<R>> {
        let (reply, answer) = mpsc::channel();
        let job: Job<'scope> = Box::new(move |desk| {
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| f(desk)));
            let _gone = reply.send(result);
        });
        self.jobs
            .send(job)
            .unwrap_or_else(|_| panic!("{}: its thread ended", self.name));
        answer
    }

    /// Runs `f` on the desk and waits for its result; a panic there (a failed check) goes on here.
    pub fn call<R: Send + 'scope>(&self, f: impl FnOnce(&mut Desk) -> R + Send + 'scope) -> R {
        answer(self.name, &self.ask(f))
    }
}

/// The result of a job sent with [`DeskHandle::ask`]; its panic goes on here.
pub fn answer<R>(name: &str, rx: &mpsc::Receiver<std::thread::Result<R>>) -> R {
    match rx.recv() {
        Ok(Ok(r)) => r,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => panic!("{name}: its thread ended"),
    }
}

/// Runs `f` on every desk at once and waits for all of them, in desk order.
pub fn on_every_desk<'scope, R: Send + 'scope>(
    desks: &[DeskHandle<'scope>],
    f: impl Fn(&mut Desk) -> R + Send + Clone + 'scope,
) -> Vec<R> {
    let pending: Vec<_> = desks.iter().map(|d| d.ask(f.clone())).collect();
    desks
        .iter()
        .zip(&pending)
        .map(|(d, rx)| answer(d.name, rx))
        .collect()
}

pub struct Driver<'a> {
    pub sim: &'a Simulator,
    pub desks: Vec<DeskHandle<'a>>,
    pub rng: Rng,
    pub world: World,
    /// Purchases made by all desks.
    pub purchases: usize,
    /// The desk the next step for a desk goes to.
    turn: usize,
    sms_paused: bool,
    /// The price each offer had before any change: changes stay within 15 % of it, so a desk
    /// that listed an earlier price still sees the charge as near its list price.
    base_prices: HashMap<(&'static str, &'static str), Decimal>,
}

impl<'a> Driver<'a> {
    pub fn new(sim: &'a Simulator, desks: Vec<DeskHandle<'a>>, rng: Rng) -> Self {
        Driver {
            sim,
            desks,
            rng,
            world: World::default(),
            purchases: 0,
            turn: 0,
            sms_paused: false,
            base_prices: HashMap::new(),
        }
    }

    /// The desk whose turn it is; the turn passes to the other.
    fn next_desk(&mut self) -> &DeskHandle<'a> {
        let i = self.turn;
        self.turn = (self.turn + 1) % self.desks.len();
        &self.desks[i]
    }

    /// Random steps until `purchases` purchases were made by the desks together.
    pub fn run(&mut self, purchases: usize) {
        while self.purchases < purchases {
            match self.rng.below(100) {
                0..=44 => {
                    let offer = OFFERS[self.rng.below(OFFERS.len())];
                    self.next_desk().call(move |d| d.purchase(offer));
                    self.purchases += 1;
                }
                45..=57 => {
                    let pick = self.rng.next();
                    self.next_desk().call(move |d| d.finish_one(pick));
                }
                58..=68 => {
                    let pick = self.rng.next();
                    self.next_desk().call(move |d| d.cancel_one(pick));
                }
                69..=72 => self.next_desk().call(Desk::restart),
                73..=75 => self.toggle_sms(),
                76..=79 => self.website(),
                80..=82 => self.move_a_price(),
                83 => {
                    // The next connection of either desk fails its TLS handshake: no request.
                    self.sim.fail_handshakes(1);
                    self.world.handshake_failures += 1;
                }
                _ => {
                    // Both desks draw their frames meanwhile.
                    let ms = 100 + self.rng.below(700) as u64;
                    std::thread::sleep(Duration::from_millis(ms));
                }
            }
        }
        if self.sms_paused {
            self.toggle_sms();
        }
    }

    /// Someone buys a number on the website, or (one time in four) closes one bought there.
    fn website(&mut self) {
        if self.rng.below(4) == 0 && !self.world.website_orders.is_empty() {
            let i = self.rng.below(self.world.website_orders.len());
            let id = self.world.website_orders[i].clone();
            self.world.website_cancels += usize::from(self.sim.cancel_order(&id));
            return;
        }
        let offer = OFFERS[self.rng.below(OFFERS.len())];
        match self
            .sim
            .buy_on_website(KEY, offer.service, COUNTRY, offer.server)
        {
            Ok(id) => self.world.website_orders.push(id),
            Err(word) => self.world.website_refused.push(word),
        }
    }

    /// InstaOTP sets a new price on an offer the desks buy from: the desks' lists show the old
    /// one until they list the offers again (at a start), and the next sale charges the new one.
    fn move_a_price(&mut self) {
        let offer = OFFERS[self.rng.below(OFFERS.len())];
        let Some(now) =
            self.sim.offers().into_iter().find(|o| {
                o.id == offer.service && o.country == COUNTRY && o.server == offer.server
            })
        else {
            panic!("no offer {offer:?} in the simulator");
        };
        let base = *self
            .base_prices
            .entry((offer.service, offer.server))
            .or_insert(now.price);
        let percent = Decimal::from(85 + self.rng.below(31) as u64);
        let price = (base * percent / Decimal::ONE_HUNDRED).round_dp(2);
        if price != now.price && price > Decimal::ZERO {
            self.sim
                .set_price(offer.service, COUNTRY, offer.server, price);
            self.world.price_changes += 1;
        }
    }

    /// Pauses the SMS (waiting orders then expire, refunded) or lets it come again.
    fn toggle_sms(&mut self) {
        self.sms_paused = !self.sms_paused;
        let delay = (!self.sms_paused).then_some(CODE_DELAY);
        self.sim.set_code_delay(delay);
        if self.sms_paused {
            self.world.sms_pauses += 1;
        }
    }
}
