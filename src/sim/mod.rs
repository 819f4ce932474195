//! A simulator of the InstaOTP `handler_api.php` protocol: a real HTTP server on 127.0.0.1,
//! used by the tests and by the app's demo mode.
//!
//! ```no_run
//! use instaotp_desktop::sim::{SimConfig, Simulator};
//! let sim = Simulator::start(SimConfig::default())?;
//! let url = sim.url(); // http://127.0.0.1:PORT/api/v1/handler_api.php
//! # Ok::<(), std::io::Error>(())
//! ```

mod catalogue;
mod chaos;
mod fault;
mod http;
mod ledger;
mod rate_limit;
mod state;
#[cfg(feature = "test-support")]
mod tls;

#[cfg(feature = "test-support")]
pub use tls::TEST_CA_PEM;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use tokio::sync::oneshot;

pub use catalogue::{SimOffer, default_catalogue, generated_catalogue};
pub use chaos::{Chaos, ChaosReport};
pub use fault::Fault;
pub use ledger::SimLedger;
pub use state::{LoggedRequest, SimOrder, SimOrderState};

use chaos::ChaosState;
use fault::FaultTable;
use state::{Reply, SimState};

/// How often a server's numbers get a code, and how soon: of every 100 numbers sold, `percent`
/// get one, `delay` after the purchase; the others never do. Which ones is fixed (spread
/// evenly), so a test knows the figures: at 90 % the 1st of every 10 gets none, at 30 % the 4th,
/// 7th and 10th get one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerDelivery {
    pub percent: u8,
    pub delay: Duration,
}

impl ServerDelivery {
    /// Whether the number sold `sold` numbers after the rate was set gets a code.
    fn delivers(self, sold: u64) -> bool {
        let p = u64::from(self.percent.min(100));
        (sold + 1) * p / 100 > sold * p / 100
    }
}

/// The api key of [`SimConfig::demo`].
pub const DEMO_KEY: &str = "demo-key";

/// How the simulated provider behaves.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Accounts: api key and starting balance.
    pub accounts: Vec<(String, Decimal)>,
    /// Time from purchase (or from an "another SMS" request) until the SMS code arrives;
    /// `None` = never (use [`Simulator::deliver_code`]).
    pub code_delay: Option<Duration>,
    /// `setStatus` cancel before this long after purchase answers `EARLY_CANCEL_DENIED`.
    pub cancel_lock: Duration,
    /// An order with no code is cancelled and refunded lazily, at the first `getStatus` after this.
    pub expiry: Duration,
    /// Whether `setStatus` also takes the family's numbers (8 cancel, 6 finish, 3 another SMS,
    /// 1 ready); the words `cancel` and `finish` are always accepted.
    pub accept_numeric_status: bool,
    /// The catalogue.
    pub offers: Vec<SimOffer>,
}

impl Default for SimConfig {
    /// One account `"test-key"` with 100.00, code after 5 s, 120 s cancel lock, 20 min expiry,
    /// numeric statuses accepted, the default catalogue.
    fn default() -> Self {
        SimConfig {
            accounts: vec![("test-key".to_owned(), Decimal::new(10000, 2))],
            code_delay: Some(Duration::from_secs(5)),
            cancel_lock: Duration::from_secs(120),
            expiry: Duration::from_secs(20 * 60),
            accept_numeric_status: true,
            offers: default_catalogue(),
        }
    }
}

impl SimConfig {
    /// The demo mode's provider: key [`DEMO_KEY`] with 500.00, code after 20 s,
    /// the real 2 minute cancel lock and 20 minute expiry.
    pub fn demo() -> Self {
        SimConfig {
            accounts: vec![(DEMO_KEY.to_owned(), Decimal::new(50000, 2))],
            code_delay: Some(Duration::from_secs(20)),
            ..SimConfig::default()
        }
    }
}

/// Another provider of the same protocol, for tests and the demo with several at once: a
/// simulator of its own (its own port) with its own accounts, prices, stock, cancel lock,
/// delivery rates and quirks.
#[derive(Debug, Clone)]
pub struct ProviderProfile {
    pub config: SimConfig,
    /// Servers whose numbers get a code only this often ([`Simulator::set_server_delivery`]).
    pub delivery: Vec<(String, ServerDelivery)>,
}

impl ProviderProfile {
    /// A second provider with the account `key` (250.00): every price 20 % dearer on server 1
    /// and 10 % cheaper elsewhere, server 1's WhatsApp sold out and the sold-out rows back in
    /// stock, a 60 s cancel lock, only the words `cancel`/`finish` for `setStatus` (no family
    /// numbers), and server 2 delivering a code to half its numbers.
    pub fn second(key: &str) -> Self {
        let offers = default_catalogue()
            .into_iter()
            .map(|mut o| {
                let percent = if o.server == "1" { 120 } else { 90 };
                o.price = (o.price * Decimal::from(percent) / Decimal::from(100)).round_dp(2);
                o.qty = match (o.server.as_str(), o.id.as_str(), o.qty) {
                    ("1", "wa", _) => 0,
                    (_, _, 0) => 25,
                    (_, _, qty) => qty,
                };
                o
            })
            .collect();
        Self {
            config: SimConfig {
                accounts: vec![(key.to_owned(), Decimal::new(25000, 2))],
                cancel_lock: Duration::from_secs(60),
                accept_numeric_status: false,
                offers,
                ..SimConfig::default()
            },
            delivery: vec![(
                "2".to_owned(),
                ServerDelivery {
                    percent: 50,
                    delay: Duration::from_secs(5),
                },
            )],
        }
    }
}

/// Locks a mutex, recovering it if a panicking thread poisoned it.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// What the server task and the handle share.
pub(crate) struct Shared {
    state: Mutex<SimState>,
    faults: Mutex<FaultTable>,
    /// The chaos mode, when on, and what it did (kept after it is turned off).
    chaos: Mutex<(Option<ChaosState>, ChaosReport)>,
    log: Mutex<Vec<LoggedRequest>>,
    /// The provider's rate limit, when on ([`Simulator::limit_rate`]).
    rate_limit: Mutex<Option<rate_limit::RateLimit>>,
    /// How many of the next TLS handshakes fail ([`Simulator::fail_handshakes`]).
    failing_handshakes: Mutex<usize>,
}

impl Shared {
    /// Whether the handshake of the connection arriving now is to fail.
    #[cfg_attr(not(feature = "test-support"), allow(dead_code))]
    fn take_handshake_failure(&self) -> bool {
        let mut left = lock(&self.failing_handshakes);
        let fail = *left > 0;
        *left = left.saturating_sub(1);
        fail
    }

    fn log(&self, request: LoggedRequest) {
        lock(&self.log).push(request);
    }

    /// The fault for a request of `action`: one set by the test first, else the chaos mode's.
    fn take_fault(&self, action: &str) -> Option<Fault> {
        lock(&self.faults).take(action).or_else(|| {
            let mut chaos = lock(&self.chaos);
            let (state, report) = &mut *chaos;
            state.as_mut().and_then(|s| s.next(action, report))
        })
    }

    /// `Some(seconds)` when the rate limit refuses a request arriving now.
    fn rate_limited(&self) -> Option<u64> {
        let mut limit = lock(&self.rate_limit);
        let wait = limit.as_mut()?.admit(Instant::now()).err()?;
        Some(rate_limit::retry_after_secs(wait))
    }

    fn process(&self, params: &std::collections::BTreeMap<String, String>) -> Reply {
        lock(&self.state).handle(params, Instant::now())
    }
}

/// A running simulator. Dropping it shuts the server down.
pub struct Simulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    https: bool,
}

impl Simulator {
    /// Binds 127.0.0.1 on a free port and serves on its own thread with its own tokio runtime,
    /// so it works from plain tests, from inside other runtimes and from the GUI.
    pub fn start(config: SimConfig) -> std::io::Result<Simulator> {
        Self::start_with(config, None)
    }

    /// As [`Simulator::start`], over HTTPS with a certificate of the test CA, which every client
    /// built afterwards in this process trusts (test builds only; nothing else is trusted then).
    #[cfg(feature = "test-support")]
    pub fn start_https(config: SimConfig) -> std::io::Result<Simulator> {
        crate::api::trust_test_ca(TEST_CA_PEM);
        Self::start_with(config, Some(tls::acceptor()?))
    }

    /// Starts a provider of `profile` on a port of its own.
    pub fn start_provider(profile: ProviderProfile) -> std::io::Result<Simulator> {
        let sim = Self::start(profile.config)?;
        for (server, delivery) in profile.delivery {
            sim.set_server_delivery(&server, delivery);
        }
        Ok(sim)
    }

    fn start_with(config: SimConfig, tls: Option<http::Tls>) -> std::io::Result<Simulator> {
        let https = tls.is_some();
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let listener = {
            let _guard = runtime.enter();
            tokio::net::TcpListener::from_std(listener)?
        };
        let mut state = SimState::new(&config);
        let unix_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        state.set_wall_origin(std::time::Instant::now(), unix_ms);
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            faults: Mutex::new(FaultTable::default()),
            chaos: Mutex::new((None, ChaosReport::default())),
            log: Mutex::new(Vec::new()),
            rate_limit: Mutex::new(None),
            failing_handshakes: Mutex::new(0),
        });
        let (shutdown, stop) = oneshot::channel::<()>();
        let server_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name(format!("instaotp-sim-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(async move {
                    tokio::select! {
                        _ = http::serve(listener, server_shared, tls) => {}
                        _ = stop => {}
                    }
                });
                // Dropping the runtime here cancels connections still in progress.
            })?;
        Ok(Simulator {
            shared,
            addr,
            shutdown: Some(shutdown),
            thread: Some(thread),
            https,
        })
    }

    /// The endpoint: `http://127.0.0.1:PORT/api/v1/handler_api.php` (`https://` when started
    /// with [`Simulator::start_https`]).
    pub fn url(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}/api/v1/handler_api.php", self.addr)
    }

    /// The TLS handshakes of the next `n` connections fail (the server hangs up after the
    /// client's hello): no request reaches the server.
    pub fn fail_handshakes(&self, n: usize) {
        *lock(&self.shared.failing_handshakes) = n;
    }

    /// Answers the family action `getActiveActivations` (off: `BAD_ACTION`, as InstaOTP's doc).
    pub fn offer_active_activations(&self, on: bool) {
        lock(&self.shared.state).offer_active_activations(on);
    }

    /// Enforces a provider rate limit from now on: at most `per_second` requests in any second,
    /// above it HTTP 429 with `Retry-After` and nothing processed (`None`: no limit).
    pub fn limit_rate(&self, per_second: Option<usize>) {
        *lock(&self.shared.rate_limit) = per_second.map(rate_limit::RateLimit::new);
    }

    /// How many requests the rate limit refused (since it was last switched on).
    pub fn rate_limited_count(&self) -> usize {
        lock(&self.shared.rate_limit)
            .as_ref()
            .map_or(0, |limit| limit.refused)
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Sets (`Some`) or clears (`None`) a fault for every request of `action`
    /// (`"*"` = every action) until cleared.
    pub fn set_fault(&self, action: &str, fault: Option<Fault>) {
        lock(&self.shared.faults).set(action, fault);
    }

    /// A fault for the next request of `action` only (`"*"` = the next request of any action).
    /// Several calls queue several faults. One-shot faults come before persistent ones.
    pub fn fault_once(&self, action: &str, fault: Fault) {
        lock(&self.shared.faults).once(action, fault);
    }

    /// Turns the seeded chaos mode on (`Some`, its report starting afresh) or off (`None`, the
    /// report kept): a fault from every kind on a share of the requests that have no fault set
    /// by [`Simulator::set_fault`] or [`Simulator::fault_once`].
    pub fn set_chaos(&self, chaos: Option<Chaos>) {
        let mut guard = lock(&self.shared.chaos);
        match chaos {
            Some(c) => *guard = (Some(ChaosState::new(c)), ChaosReport::default()),
            None => guard.0 = None,
        }
    }

    /// What the chaos mode did since it was last turned on.
    pub fn chaos_report(&self) -> ChaosReport {
        lock(&self.shared.chaos).1.clone()
    }

    /// What account `key` was sold and refunded (codes already due are delivered first).
    pub fn ledger(&self, key: &str) -> SimLedger {
        SimLedger::of(&self.orders(), key)
    }

    /// Every request received so far, faulted or not, in order.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        lock(&self.shared.log).clone()
    }

    /// How many requests of `action` were received (faulted ones count too).
    pub fn count(&self, action: &str) -> usize {
        lock(&self.shared.log)
            .iter()
            .filter(|r| r.action == action)
            .count()
    }

    /// The balance of an account, `None` for an unknown key.
    pub fn balance(&self, key: &str) -> Option<Decimal> {
        lock(&self.shared.state).balance(key)
    }

    /// Sets the balance of an account, creating the account if the key is new.
    pub fn set_balance(&self, key: &str, balance: Decimal) {
        lock(&self.shared.state).set_balance(key, balance);
    }

    /// Snapshots of all orders (codes already due are delivered first).
    pub fn orders(&self) -> Vec<SimOrder> {
        lock(&self.shared.state).orders(Instant::now())
    }

    /// The catalogue as it is now (quantities go down with purchases).
    pub fn offers(&self) -> Vec<SimOffer> {
        lock(&self.shared.state).offers()
    }

    /// An SMS with `code` arrives now for the order, whatever `code_delay` says
    /// (ignored for finished or cancelled orders).
    pub fn deliver_code(&self, order_id: &str, code: &str) {
        lock(&self.shared.state).deliver_code(order_id, code);
    }

    /// Closes the order on the website, behind the app's back: refunded when no code came, else
    /// ended with its code and not refunded. The next `getStatus` answers `STATUS_CANCEL`, a
    /// `setStatus` `ALREADY_CANCEL`. `false` when there is no such open order.
    pub fn cancel_order(&self, order_id: &str) -> bool {
        lock(&self.shared.state).cancel_order(order_id, Instant::now())
    }

    /// InstaOTP forgets the order: `getStatus` and `setStatus` answer `NO_ACTIVATION` for it from
    /// now on. With `refund`, an order without a code is cancelled and refunded first. The sale
    /// stays in [`Simulator::orders`] and the ledger. `false` when there is no such order.
    pub fn forget_order(&self, order_id: &str, refund: bool) -> bool {
        lock(&self.shared.state).forget_order(order_id, refund, Instant::now())
    }

    /// Numbers bought from now on on `server` never get a code by themselves (a server that
    /// never delivers); `false` undoes it. [`Simulator::deliver_code`] still delivers one.
    pub fn never_deliver_on(&self, server: &str, silent: bool) {
        lock(&self.shared.state).never_deliver_on(server, silent);
    }

    /// For `d` after its sale an order answers `NO_ACTIVATION` (zero, the default: known at
    /// once), as a provider whose replicas lag does.
    pub fn unknown_for(&self, d: Duration) {
        lock(&self.shared.state).unknown_for(d);
    }

    /// SMS answered as free text without `STATUS_OK:`, `{code}` replaced
    /// (`Some("AMAZON: {code} is your code")`); `None`: as the doc says.
    pub fn sms_as_text(&self, template: Option<&str>) {
        lock(&self.shared.state).sms_as_text(template.map(str::to_owned));
    }

    /// Order ids counted per account, so two accounts get the same ids (`false`: one count).
    pub fn ids_per_account(&self, on: bool) {
        lock(&self.shared.state).ids_per_account(on);
    }

    /// Sets the price of one offer: the list shows it from now on and the next sale charges it
    /// (a client that listed before sees the old price).
    pub fn set_price(&self, service: &str, country: &str, server: &str, price: Decimal) {
        lock(&self.shared.state).set_price(service, country, server, price);
    }

    /// A purchase on account `key` made elsewhere (the website, another program): the order id,
    /// or the word the provider refused with.
    pub fn buy_on_website(
        &self,
        key: &str,
        service: &str,
        country: &str,
        server: &str,
    ) -> Result<String, String> {
        lock(&self.shared.state).buy_on_website(key, service, country, server, Instant::now())
    }

    /// Sets how many numbers an offer has left (`qty` of `getService`; 0: `NO_NUMBERS`).
    pub fn set_stock(&self, service: &str, country: &str, server: &str, qty: u64) {
        lock(&self.shared.state).set_stock(service, country, server, qty);
    }

    /// Changes the SMS delay; it applies to orders already waiting too.
    pub fn set_code_delay(&self, delay: Option<Duration>) {
        lock(&self.shared.state).set_code_delay(delay);
    }

    /// Numbers sold on `server` from now on get a code as `delivery` says (instead of the
    /// configured SMS delay).
    pub fn set_server_delivery(&self, server: &str, delivery: ServerDelivery) {
        lock(&self.shared.state).set_server_delivery(server, delivery);
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _unused = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _unused = thread.join();
        }
    }
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator")
            .field("addr", &self.addr)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpStream;

    fn fast_config() -> SimConfig {
        SimConfig {
            code_delay: Some(Duration::from_millis(150)),
            cancel_lock: Duration::from_millis(100),
            expiry: Duration::from_secs(60),
            ..SimConfig::default()
        }
    }

    /// Sends raw bytes, returns everything the server sent back until it closed.
    fn raw(sim: &Simulator, request: &[u8]) -> Vec<u8> {
        let mut s = TcpStream::connect(sim.addr()).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s.write_all(request).unwrap();
        // Half-close, as a client that sent everything would; the server then cannot wait for more.
        let _unused = s.shutdown(std::net::Shutdown::Write);
        let mut out = Vec::new();
        let _unused = s.read_to_end(&mut out);
        out
    }

    /// Splits a reply into status, head text and body.
    fn split(reply: &[u8]) -> (u16, String, Vec<u8>) {
        let end = reply.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8(reply[..end].to_vec()).unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, head, reply[end + 4..].to_vec())
    }

    fn get(sim: &Simulator, query: &str) -> (u16, String) {
        let req =
            format!("GET /api/v1/handler_api.php?{query} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        let (status, _, body) = split(&raw(sim, req.as_bytes()));
        (status, String::from_utf8(body).unwrap())
    }

    fn content_length(head: &str) -> usize {
        head.lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .unwrap()
            .parse()
            .unwrap()
    }

    const BUY: &str = "api_key=test-key&action=getNumber&service=vk&country=22&server=1";

    #[test]
    fn balance_services_and_a_whole_order() {
        let sim = Simulator::start(fast_config()).unwrap();
        assert!(sim.url().starts_with("http://127.0.0.1:"));
        assert!(sim.url().ends_with("/api/v1/handler_api.php"));
        assert_eq!(
            get(&sim, "api_key=test-key&action=getBalance"),
            (200, "ACCESS_BALANCE:100.00".into())
        );
        assert_eq!(get(&sim, "action=getBalance").1, "NO_API_KEY");
        assert_eq!(get(&sim, "api_key=x&action=getBalance").1, "BAD_KEY");
        let (status, json) = get(&sim, "api_key=test-key&action=getService&country=22");
        assert_eq!(status, 200);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["1"][0]["service"], "Вконтакте/VKConnect");

        let (_, r) = get(&sim, BUY);
        let mut parts = r.split(':');
        assert_eq!(parts.next(), Some("ACCESS_NUMBER"));
        let id = parts.next().unwrap().to_owned();
        assert!(parts.next().unwrap().starts_with("+91"));
        assert_eq!(sim.balance("test-key"), Some(Decimal::new(9688, 2)));
        let status = format!("api_key=test-key&action=getStatus&id={id}");
        assert_eq!(get(&sim, &status).1, "STATUS_WAIT_CODE");
        std::thread::sleep(Duration::from_millis(200));
        assert!(get(&sim, &status).1.starts_with("STATUS_OK:"));
        let finish = format!("api_key=test-key&action=setStatus&id={id}&status=finish");
        assert_eq!(get(&sim, &finish).1, "ACCESS_ACTIVATION");
        assert_eq!(sim.count("getStatus"), 2);
        assert_eq!(sim.requests().len(), 8);
        assert_eq!(sim.requests()[4].params["service"], "vk");
        assert!(matches!(sim.orders()[0].state, SimOrderState::Finished(_)));
    }

    #[test]
    fn http_edge_cases_do_not_break_the_server() {
        let sim = Simulator::start(fast_config()).unwrap();
        let (status, _, body) = split(&raw(
            &sim,
            b"GET /other.php?action=getBalance HTTP/1.1\r\n\r\n",
        ));
        assert_eq!(status, 404);
        assert!(body.starts_with(b"<!DOCTYPE html>"));
        assert_eq!(split(&raw(&sim, b"NONSENSE\r\n\r\n")).0, 400);
        let mut huge = b"GET /api/v1/handler_api.php HTTP/1.1\r\nX-Big: ".to_vec();
        huge.extend(std::iter::repeat_n(b'a', 20 * 1024));
        huge.extend_from_slice(b"\r\n\r\n");
        assert_eq!(split(&raw(&sim, &huge)).0, 400);
        let reply = raw(
            &sim,
            b"GET /api/v1/handler_api.php?api_key=\xff\xfe&action=%ff HTTP/1.1\r\n\r\n",
        );
        assert_eq!(split(&reply).0, 200);
        assert!(raw(&sim, b"GET /api/v1/handler_api.php?").is_empty());
        // Absolute-form target and a dropped request line still leave the server working.
        let (status, _, body) =
            split(&raw(&sim, b"GET http://x/api/v1/handler_api.php?api_key=test-key&action=getBalance HTTP/1.1\r\n\r\n"));
        assert_eq!(
            (status, body.as_slice()),
            (200, &b"ACCESS_BALANCE:100.00"[..])
        );
        assert_eq!(get(&sim, "api_key=test-key&action=nope").1, "BAD_ACTION");
    }

    #[test]
    fn drop_and_drop_after_processing() {
        let sim = Simulator::start(fast_config()).unwrap();
        sim.fault_once("getNumber", Fault::Drop);
        let req = format!("GET /api/v1/handler_api.php?{BUY} HTTP/1.1\r\n\r\n");
        assert!(raw(&sim, req.as_bytes()).is_empty());
        assert_eq!(sim.balance("test-key"), Some(Decimal::new(10000, 2)));
        assert!(sim.orders().is_empty());
        sim.fault_once("getNumber", Fault::DropAfterProcessing);
        assert!(raw(&sim, req.as_bytes()).is_empty());
        assert_eq!(sim.balance("test-key"), Some(Decimal::new(9688, 2)));
        assert_eq!(sim.orders().len(), 1);
        assert_eq!(sim.count("getNumber"), 2);
        // The fault was for one request only.
        assert!(get(&sim, BUY).1.starts_with("ACCESS_NUMBER:"));
    }

    #[test]
    fn truncated_garbage_huge_and_others() {
        let sim = Simulator::start(fast_config()).unwrap();
        sim.fault_once("getBalance", Fault::Truncated);
        let reply = raw(
            &sim,
            b"GET /api/v1/handler_api.php?api_key=test-key&action=getBalance HTTP/1.1\r\n\r\n",
        );
        let (status, head, body) = split(&reply);
        assert_eq!(status, 200);
        assert!(content_length(&head) > body.len());
        assert!(b"ACCESS_BALANCE:100.00".starts_with(&body));

        sim.set_fault("*", Some(Fault::Garbage));
        let req =
            b"GET /api/v1/handler_api.php?api_key=test-key&action=getBalance HTTP/1.1\r\n\r\n";
        let (status, _, body) = split(&raw(&sim, req));
        assert_eq!(status, 200);
        assert!(String::from_utf8(body).is_err());
        sim.set_fault("*", None);

        sim.fault_once("getBalance", Fault::Huge(1_000_000));
        let (_, head, body) = split(&raw(&sim, req));
        assert_eq!((content_length(&head), body.len()), (1_000_000, 1_000_000));

        sim.fault_once("getBalance", Fault::TooManyRequests);
        let (status, _, body) = split(&raw(&sim, req));
        assert_eq!(status, 429);
        assert_eq!(
            body,
            br#"{"title":"RATE_LIMIT","details":"Too many requests"}"#
        );

        sim.fault_once("getNumber", Fault::ServerError);
        assert_eq!(get(&sim, BUY).0, 500);
        sim.fault_once("getNumber", Fault::Empty);
        assert_eq!(get(&sim, BUY), (200, String::new()));
        sim.fault_once(
            "getNumber",
            Fault::Reply {
                status: 401,
                body: r#"{"title":"BAD_KEY"}"#.into(),
            },
        );
        assert_eq!(get(&sim, BUY), (401, r#"{"title":"BAD_KEY"}"#.into()));
        assert_eq!(
            sim.balance("test-key"),
            Some(Decimal::new(10000, 2)),
            "nothing was processed"
        );

        sim.fault_once("getBalance", Fault::Slow(Duration::from_millis(100)));
        let started = Instant::now();
        assert_eq!(
            get(&sim, "api_key=test-key&action=getBalance").1,
            "ACCESS_BALANCE:100.00"
        );
        assert!(started.elapsed() >= Duration::from_millis(100));
        assert_eq!(sim.count("getBalance"), 5);
    }

    #[test]
    fn chaos_faults_requests_and_the_ledger_follows_sales_and_refunds() {
        let sim = Simulator::start(fast_config()).unwrap();
        let mut chaos = Chaos::new(9, 100);
        chaos.slow = Duration::from_millis(10);
        chaos.huge_bytes = 1000;
        sim.set_chaos(Some(chaos));
        let req = format!("GET /api/v1/handler_api.php?{BUY} HTTP/1.1\r\n\r\n");
        for _ in 0..40 {
            let _reply = raw(&sim, req.as_bytes());
        }
        let report = sim.chaos_report();
        assert_eq!((report.requests, report.faults()), (40, 40));
        assert_eq!(report.on_purchase, report.by_kind);
        // Only the faults that process the request sold a number, each charged.
        let sold = sim.ledger("test-key");
        assert!(sold.sold > 0 && sold.sold < 40, "{sold:?}");
        assert_eq!(
            sim.balance("test-key").unwrap(),
            Decimal::new(10000, 2) - sold.spent
        );
        sim.set_chaos(None);
        assert!(get(&sim, BUY).1.starts_with("ACCESS_NUMBER:"));
        assert_eq!(sim.chaos_report().requests, 40, "kept, not counting");
        // A fault set by the test comes first.
        sim.set_chaos(Some(Chaos::new(9, 0)));
        sim.fault_once("getBalance", Fault::Empty);
        assert_eq!(
            get(&sim, "api_key=test-key&action=getBalance"),
            (200, String::new())
        );
        assert_eq!(sim.chaos_report().requests, 0);

        std::thread::sleep(Duration::from_millis(150));
        let id = sim.orders()[0].id.clone();
        let before = sim.ledger("test-key");
        let cancel = format!("api_key=test-key&action=setStatus&id={id}&status=cancel");
        let _reply = get(&sim, &cancel);
        let after = sim.ledger("test-key");
        if after.refunded_orders == 1 {
            assert_eq!(after.spent, before.spent - after.refunded);
        } else {
            assert_eq!(after, before, "a code came first: not refunded");
        }
        assert_eq!(after.sold, before.sold);
        assert!(sim.ledger("other").sold == 0);
    }

    #[test]
    fn works_inside_another_runtime_and_shuts_down() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let addr = rt.block_on(async {
            let sim = Simulator::start(fast_config()).unwrap();
            sim.set_balance("k2", Decimal::new(5, 1));
            assert_eq!(
                get(&sim, "api_key=k2&action=getBalance").1,
                "ACCESS_BALANCE:0.50"
            );
            sim.addr()
        });
        // Dropped: the port no longer answers.
        assert!(TcpStream::connect(addr).is_err());
        let demo = SimConfig::demo();
        assert_eq!(demo.accounts[0].0, DEMO_KEY);
    }
}
