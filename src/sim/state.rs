//! Pure protocol logic of the simulator: accounts, catalogue and orders.
//!
//! Nothing here does I/O or reads the clock: every call takes `now` explicitly,
//! so the logic is unit-testable without sleeping.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use rust_decimal::Decimal;

use super::SimConfig;
use super::catalogue::{SimOffer, mix, phone_for};

/// The life of a simulated order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimOrderState {
    /// Bought, no SMS yet.
    Waiting,
    /// The SMS arrived with this code.
    CodeReceived(String),
    /// Another SMS was asked for; `previous` is the last code received.
    WaitingRetry {
        /// The last code received before the retry.
        previous: String,
    },
    /// Finished (`setStatus` finish) with this last code.
    Finished(String),
    /// Cancelled by the user or expired; `refunded` tells whether the price went back.
    Cancelled {
        /// Whether the price was refunded.
        refunded: bool,
    },
}

/// A snapshot of one simulated order.
#[derive(Clone, Debug)]
pub struct SimOrder {
    /// The order id (numeric string, increasing from 100001).
    pub id: String,
    /// The api key that bought it.
    pub key: String,
    /// The service code.
    pub service: String,
    /// The country, as the offer gives it.
    pub country: String,
    /// The server the offer was listed under.
    pub server: String,
    /// The phone number handed out.
    pub phone: String,
    /// The price charged.
    pub price: Decimal,
    /// Where the order is in its life.
    pub state: SimOrderState,
    /// When it was bought.
    pub created: Instant,
}

/// One request as the server logged it.
#[derive(Clone, Debug)]
pub struct LoggedRequest {
    /// The `action` parameter (empty when missing).
    pub action: String,
    /// All query parameters, `api_key` included.
    pub params: BTreeMap<String, String>,
    /// When the request was received.
    pub at: Instant,
}

/// A protocol reply: always HTTP 200, either plain text or JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Reply {
    /// `true` when `body` is JSON (`getService`).
    pub json: bool,
    /// The reply body.
    pub body: String,
}

impl Reply {
    fn text(body: impl Into<String>) -> Self {
        Reply {
            json: false,
            body: body.into(),
        }
    }
}

struct OrderRecord {
    order: SimOrder,
    /// Purchase time, or the time another SMS was asked for: the code is due `code_delay` after it.
    waiting_since: Instant,
    /// Sequence number of the order, seeds its phone and codes.
    seq: u64,
    /// How many codes were generated for this order.
    codes: u64,
}

/// A `setStatus` value, after decoding words and (optionally) family numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum StatusRequest {
    Cancel,
    Finish,
    Retry,
    Ready,
}

/// The whole protocol state of the simulator.
pub(crate) struct SimState {
    accounts: HashMap<String, Decimal>,
    offers: Vec<SimOffer>,
    orders: Vec<OrderRecord>,
    next_seq: u64,
    code_delay: Option<Duration>,
    cancel_lock: Duration,
    expiry: Duration,
    accept_numeric_status: bool,
}

/// `start + d <= now`, false when the sum overflows.
fn reached(start: Instant, d: Duration, now: Instant) -> bool {
    start.checked_add(d).is_some_and(|t| now >= t)
}

fn param<'a>(params: &'a BTreeMap<String, String>, name: &str) -> Option<&'a str> {
    params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// Server keys sort numerically when numeric, then the others by text.
fn server_sort_key(server: &str) -> (u8, u64, String) {
    match server.parse::<u64>() {
        Ok(n) if server.bytes().all(|b| b.is_ascii_digit()) => (0, n, server.to_owned()),
        _ => (1, 0, server.to_owned()),
    }
}

fn json_str(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

impl SimState {
    /// A fresh state from a configuration.
    pub fn new(config: &SimConfig) -> Self {
        SimState {
            accounts: config.accounts.iter().cloned().collect(),
            offers: config.offers.clone(),
            orders: Vec::new(),
            next_seq: 100_001,
            code_delay: config.code_delay,
            cancel_lock: config.cancel_lock,
            expiry: config.expiry,
            accept_numeric_status: config.accept_numeric_status,
        }
    }

    /// Answers one API request.
    pub fn handle(&mut self, params: &BTreeMap<String, String>, now: Instant) -> Reply {
        let Some(key) = param(params, "api_key") else {
            return Reply::text("NO_API_KEY");
        };
        if !self.accounts.contains_key(key) {
            return Reply::text("BAD_KEY");
        }
        let key = key.to_owned();
        match params.get("action").map(String::as_str) {
            Some("getBalance") => {
                let balance = self.balance(&key).unwrap_or(Decimal::ZERO);
                Reply::text(format!("ACCESS_BALANCE:{:.2}", balance.round_dp(2)))
            }
            Some("getService") => {
                self.get_service(param(params, "server"), param(params, "country"))
            }
            Some("getNumber") => self.get_number(&key, params, now),
            Some("getStatus") => match param(params, "id") {
                None => Reply::text("BAD_PARAMS"),
                Some(id) => Reply::text(self.get_status(&key, id, now)),
            },
            Some("setStatus") => match (param(params, "id"), param(params, "status")) {
                (Some(id), Some(status)) => Reply::text(self.set_status(&key, id, status, now)),
                _ => Reply::text("BAD_PARAMS"),
            },
            _ => Reply::text("BAD_ACTION"),
        }
    }

    fn get_service(&self, server: Option<&str>, country: Option<&str>) -> Reply {
        let mut by_server: BTreeMap<(u8, u64, String), Vec<&SimOffer>> = BTreeMap::new();
        for offer in &self.offers {
            if server.is_some_and(|s| s != offer.server)
                || country.is_some_and(|c| c != offer.country)
            {
                continue;
            }
            by_server
                .entry(server_sort_key(&offer.server))
                .or_default()
                .push(offer);
        }
        if by_server.is_empty() {
            return Reply::text("NO_SERVICES");
        }
        let mut body = String::from("{");
        for (i, ((_, _, server), offers)) in by_server.iter().enumerate() {
            if i > 0 {
                body.push(',');
            }
            body.push_str(&json_str(server));
            body.push_str(":[");
            for (j, o) in offers.iter().enumerate() {
                if j > 0 {
                    body.push(',');
                }
                body.push_str(&format!(
                    "{{\"id\":{},\"service\":{},\"price\":{},\"qty\":{},\"country\":{},\"provider\":{}}}",
                    json_str(&o.id),
                    json_str(&o.name),
                    json_str(&o.price.to_string()),
                    json_str(&o.qty.to_string()),
                    json_str(&o.country),
                    json_str(&o.provider),
                ));
            }
            body.push(']');
        }
        body.push('}');
        Reply { json: true, body }
    }

    fn get_number(&mut self, key: &str, params: &BTreeMap<String, String>, now: Instant) -> Reply {
        let (Some(service), Some(country), Some(server)) = (
            param(params, "service"),
            param(params, "country"),
            param(params, "server"),
        ) else {
            return Reply::text("BAD_PARAMS");
        };
        let Some(offer) = self
            .offers
            .iter_mut()
            .find(|o| o.id == service && o.country == country && o.server == server)
        else {
            return Reply::text("BAD_SERVICE");
        };
        if offer.qty == 0 {
            return Reply::text("NO_NUMBERS");
        }
        let balance = self.accounts.entry(key.to_owned()).or_insert(Decimal::ZERO);
        if *balance < offer.price {
            return Reply::text("NO_BALANCE");
        }
        *balance -= offer.price;
        offer.qty -= 1;
        let seq = self.next_seq;
        self.next_seq += 1;
        let order = SimOrder {
            id: seq.to_string(),
            key: key.to_owned(),
            service: offer.id.clone(),
            country: offer.country.clone(),
            server: offer.server.clone(),
            phone: phone_for(&offer.country, seq),
            price: offer.price,
            state: SimOrderState::Waiting,
            created: now,
        };
        let reply = format!("ACCESS_NUMBER:{}:{}", order.id, order.phone);
        self.orders.push(OrderRecord {
            order,
            waiting_since: now,
            seq,
            codes: 0,
        });
        Reply::text(reply)
    }

    fn get_status(&mut self, key: &str, id: &str, now: Instant) -> String {
        let (code_delay, expiry) = (self.code_delay, self.expiry);
        let Some(rec) = self.record_mut(key, id) else {
            return "NO_ACTIVATION".to_owned();
        };
        advance(rec, code_delay, expiry, now);
        if rec.order.state == SimOrderState::Waiting && reached(rec.order.created, expiry, now) {
            rec.order.state = SimOrderState::Cancelled { refunded: true };
            let (owner, price) = (rec.order.key.clone(), rec.order.price);
            self.refund(&owner, price);
            return "STATUS_CANCEL".to_owned();
        }
        match &rec.order.state {
            SimOrderState::Waiting => "STATUS_WAIT_CODE".to_owned(),
            SimOrderState::CodeReceived(code) | SimOrderState::Finished(code) => {
                format!("STATUS_OK:{code}")
            }
            SimOrderState::WaitingRetry { previous } => format!("STATUS_WAIT_RETRY:{previous}"),
            SimOrderState::Cancelled { .. } => "STATUS_CANCEL".to_owned(),
        }
    }

    fn parse_status(&self, status: &str) -> Option<StatusRequest> {
        if status.eq_ignore_ascii_case("cancel") {
            return Some(StatusRequest::Cancel);
        }
        if status.eq_ignore_ascii_case("finish") {
            return Some(StatusRequest::Finish);
        }
        if !self.accept_numeric_status {
            return None;
        }
        match status {
            "8" => Some(StatusRequest::Cancel),
            "6" => Some(StatusRequest::Finish),
            "3" => Some(StatusRequest::Retry),
            "1" => Some(StatusRequest::Ready),
            _ => None,
        }
    }

    fn set_status(&mut self, key: &str, id: &str, status: &str, now: Instant) -> String {
        let request = self.parse_status(status);
        let (code_delay, expiry, lock) = (self.code_delay, self.expiry, self.cancel_lock);
        let Some(rec) = self.record_mut(key, id) else {
            return "NO_ACTIVATION".to_owned();
        };
        let Some(request) = request else {
            return "INVALID_STATUS".to_owned();
        };
        advance(rec, code_delay, expiry, now);
        let state = rec.order.state.clone();
        match request {
            StatusRequest::Cancel => {
                if matches!(state, SimOrderState::Cancelled { .. }) {
                    return "ALREADY_CANCEL".to_owned();
                }
                if !reached(rec.order.created, lock, now) {
                    return "EARLY_CANCEL_DENIED".to_owned();
                }
                if state != SimOrderState::Waiting {
                    return "BAD_STATUS".to_owned();
                }
                rec.order.state = SimOrderState::Cancelled { refunded: true };
                let (owner, price) = (rec.order.key.clone(), rec.order.price);
                self.refund(&owner, price);
                "ACCESS_CANCEL".to_owned()
            }
            StatusRequest::Finish => match state {
                SimOrderState::Cancelled { .. } => "ALREADY_CANCEL".to_owned(),
                SimOrderState::Waiting => "BAD_STATUS".to_owned(),
                SimOrderState::CodeReceived(code)
                | SimOrderState::WaitingRetry { previous: code }
                | SimOrderState::Finished(code) => {
                    rec.order.state = SimOrderState::Finished(code);
                    "ACCESS_ACTIVATION".to_owned()
                }
            },
            StatusRequest::Retry => match state {
                SimOrderState::CodeReceived(code) => {
                    rec.order.state = SimOrderState::WaitingRetry { previous: code };
                    rec.waiting_since = now;
                    "ACCESS_RETRY_GET".to_owned()
                }
                _ => "BAD_STATUS".to_owned(),
            },
            StatusRequest::Ready => "ACCESS_READY".to_owned(),
        }
    }

    fn record_mut(&mut self, key: &str, id: &str) -> Option<&mut OrderRecord> {
        self.orders
            .iter_mut()
            .find(|r| r.order.id == id && r.order.key == key)
    }

    fn refund(&mut self, key: &str, price: Decimal) {
        *self.accounts.entry(key.to_owned()).or_insert(Decimal::ZERO) += price;
    }

    /// The balance of an account, `None` for an unknown key.
    pub fn balance(&self, key: &str) -> Option<Decimal> {
        self.accounts.get(key).copied()
    }

    /// Sets (or creates) an account's balance.
    pub fn set_balance(&mut self, key: &str, balance: Decimal) {
        self.accounts.insert(key.to_owned(), balance);
    }

    /// Changes the SMS delay; it applies to every order still waiting.
    pub fn set_code_delay(&mut self, delay: Option<Duration>) {
        self.code_delay = delay;
    }

    /// Snapshots of all orders, with codes that are due by `now` delivered.
    pub fn orders(&mut self, now: Instant) -> Vec<SimOrder> {
        let (code_delay, expiry) = (self.code_delay, self.expiry);
        self.orders
            .iter_mut()
            .map(|rec| {
                advance(rec, code_delay, expiry, now);
                rec.order.clone()
            })
            .collect()
    }

    /// The offers as they are now (quantities go down with purchases).
    pub fn offers(&self) -> Vec<SimOffer> {
        self.offers.clone()
    }

    /// An SMS with `code` arrives now for the order `id` (ignored for finished or cancelled orders).
    pub fn deliver_code(&mut self, id: &str, code: &str) {
        if let Some(rec) = self.orders.iter_mut().find(|r| r.order.id == id) {
            match rec.order.state {
                SimOrderState::Waiting
                | SimOrderState::WaitingRetry { .. }
                | SimOrderState::CodeReceived(_) => {
                    rec.order.state = SimOrderState::CodeReceived(code.to_owned());
                }
                SimOrderState::Finished(_) | SimOrderState::Cancelled { .. } => {}
            }
        }
    }
}

/// Delivers the SMS of a waiting order when `code_delay` has passed since it started waiting,
/// provided the code came before the order expired.
fn advance(rec: &mut OrderRecord, code_delay: Option<Duration>, expiry: Duration, now: Instant) {
    let waiting = matches!(
        rec.order.state,
        SimOrderState::Waiting | SimOrderState::WaitingRetry { .. }
    );
    let Some(delay) = code_delay else { return };
    if !waiting || !reached(rec.waiting_since, delay, now) {
        return;
    }
    if rec.order.state == SimOrderState::Waiting {
        let due = rec.waiting_since.checked_add(delay);
        let end = rec.order.created.checked_add(expiry);
        if let (Some(due), Some(end)) = (due, end)
            && due >= end
        {
            return; // the order expired before its SMS came
        }
    }
    let previous = match &rec.order.state {
        SimOrderState::WaitingRetry { previous } => Some(previous.clone()),
        _ => None,
    };
    let mut code = generate_code(rec.seq, rec.codes);
    rec.codes += 1;
    if previous.as_deref() == Some(code.as_str()) {
        code = generate_code(rec.seq, rec.codes);
        rec.codes += 1;
    }
    rec.order.state = SimOrderState::CodeReceived(code);
}

/// A deterministic 6-digit code.
fn generate_code(seq: u64, n: u64) -> String {
    format!("{:06}", mix(seq.wrapping_mul(1_000_003) ^ n) % 1_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "test-key";

    fn config() -> SimConfig {
        SimConfig {
            accounts: vec![
                (KEY.to_owned(), Decimal::new(10000, 2)),
                ("other".to_owned(), Decimal::new(5000, 2)),
            ],
            code_delay: Some(Duration::from_secs(5)),
            ..SimConfig::default()
        }
    }

    fn q(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn call(
        s: &mut SimState,
        key: &str,
        action: &str,
        extra: &[(&str, &str)],
        now: Instant,
    ) -> String {
        let mut p = q(extra);
        p.insert("api_key".into(), key.into());
        p.insert("action".into(), action.into());
        s.handle(&p, now).body
    }

    /// Buys `vk` in India on server 1 (3.12) and returns the order id.
    fn buy(s: &mut SimState, now: Instant) -> String {
        let r = call(
            s,
            KEY,
            "getNumber",
            &[("service", "vk"), ("country", "22"), ("server", "1")],
            now,
        );
        assert!(r.starts_with("ACCESS_NUMBER:"), "{r}");
        r.split(':').nth(1).map(str::to_owned).unwrap_or_default()
    }

    fn secs(t: Instant, s: u64) -> Instant {
        t + Duration::from_secs(s)
    }

    #[test]
    fn keys_and_actions() {
        let mut s = SimState::new(&config());
        let t = Instant::now();
        assert_eq!(
            s.handle(&q(&[("action", "getBalance")]), t).body,
            "NO_API_KEY"
        );
        assert_eq!(
            s.handle(&q(&[("api_key", ""), ("action", "getBalance")]), t)
                .body,
            "NO_API_KEY"
        );
        assert_eq!(call(&mut s, "nope", "getBalance", &[], t), "BAD_KEY");
        assert_eq!(call(&mut s, KEY, "getFoo", &[], t), "BAD_ACTION");
        assert_eq!(s.handle(&q(&[("api_key", KEY)]), t).body, "BAD_ACTION");
        assert_eq!(
            call(&mut s, KEY, "getBalance", &[], t),
            "ACCESS_BALANCE:100.00"
        );
        s.set_balance(KEY, Decimal::new(54, 0));
        assert_eq!(
            call(&mut s, KEY, "getBalance", &[], t),
            "ACCESS_BALANCE:54.00"
        );
    }

    #[test]
    fn services_json_and_filters() {
        let mut s = SimState::new(&config());
        let t = Instant::now();
        let r = s.handle(&q(&[("api_key", KEY), ("action", "getService")]), t);
        assert!(r.json);
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        let first = &v["1"][0];
        assert_eq!(first["id"], "vk");
        assert_eq!(first["service"], "Вконтакте/VKConnect");
        assert_eq!(first["price"], "3.12");
        assert_eq!(first["qty"], "1052");
        assert_eq!(first["country"], "22");
        assert_eq!(first["provider"], "1");
        assert!(r.body.find("\"1\":").unwrap() < r.body.find("\"2\":").unwrap());
        let r = call(&mut s, KEY, "getService", &[("server", "3")], t);
        let v: serde_json::Value = serde_json::from_str(&r).unwrap();
        assert_eq!(v.as_object().unwrap().len(), 1);
        assert_eq!(v["3"][0]["country"], "India");
        let r = call(
            &mut s,
            KEY,
            "getService",
            &[("country", "22"), ("server", "2")],
            t,
        );
        let v: serde_json::Value = serde_json::from_str(&r).unwrap();
        assert!(
            v["2"]
                .as_array()
                .unwrap()
                .iter()
                .all(|o| o["country"] == "22")
        );
        assert_eq!(
            call(&mut s, KEY, "getService", &[("country", "999")], t),
            "NO_SERVICES"
        );
    }

    #[test]
    fn purchase_charges_and_code_arrives() {
        let mut s = SimState::new(&config());
        let t = Instant::now();
        let id = buy(&mut s, t);
        assert_eq!(id, "100001");
        assert_eq!(s.balance(KEY), Some(Decimal::new(9688, 2)));
        assert_eq!(s.offers()[0].qty, 1051);
        let o = &s.orders(t)[0];
        assert!(o.phone.starts_with("+91") && o.phone.len() == 13);
        assert_eq!(buy(&mut s, t), "100002");
        assert_eq!(
            call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 4)),
            "STATUS_WAIT_CODE"
        );
        let r = call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 5));
        let code = r.strip_prefix("STATUS_OK:").unwrap();
        assert_eq!(code.len(), 6);
        assert!(code.bytes().all(|b| b.is_ascii_digit()));
        // Stable afterwards.
        assert_eq!(
            call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 60)),
            r
        );
    }

    #[test]
    fn bad_params_service_sold_out_no_balance() {
        let mut s = SimState::new(&config());
        let t = Instant::now();
        assert_eq!(
            call(
                &mut s,
                KEY,
                "getNumber",
                &[("service", "vk"), ("country", "22")],
                t
            ),
            "BAD_PARAMS"
        );
        assert_eq!(
            call(
                &mut s,
                KEY,
                "getNumber",
                &[("service", "zz"), ("country", "22"), ("server", "1")],
                t
            ),
            "BAD_SERVICE"
        );
        assert_eq!(
            call(
                &mut s,
                KEY,
                "getNumber",
                &[("service", "tg"), ("country", "22"), ("server", "1")],
                t
            ),
            "NO_NUMBERS"
        );
        s.set_balance(KEY, Decimal::new(311, 2));
        assert_eq!(
            call(
                &mut s,
                KEY,
                "getNumber",
                &[("service", "vk"), ("country", "22"), ("server", "1")],
                t
            ),
            "NO_BALANCE"
        );
        assert_eq!(s.balance(KEY), Some(Decimal::new(311, 2)));
        assert!(s.orders(t).is_empty());
        s.set_balance(KEY, Decimal::new(312, 2));
        buy(&mut s, t);
        assert_eq!(s.balance(KEY), Some(Decimal::ZERO));
        assert_eq!(call(&mut s, KEY, "getStatus", &[], t), "BAD_PARAMS");
        assert_eq!(
            call(&mut s, KEY, "setStatus", &[("id", "100001")], t),
            "BAD_PARAMS"
        );
    }

    #[test]
    fn cancel_lock_refund_and_already_cancel() {
        let mut s = SimState::new(&SimConfig {
            code_delay: None,
            ..config()
        });
        let t = Instant::now();
        let id = buy(&mut s, t);
        let cancel = [("id", id.as_str()), ("status", "cancel")];
        assert_eq!(
            call(&mut s, KEY, "setStatus", &cancel, secs(t, 119)),
            "EARLY_CANCEL_DENIED"
        );
        assert_eq!(
            call(&mut s, KEY, "setStatus", &cancel, secs(t, 120)),
            "ACCESS_CANCEL"
        );
        assert_eq!(s.balance(KEY), Some(Decimal::new(10000, 2)));
        assert_eq!(
            s.orders(t)[0].state,
            SimOrderState::Cancelled { refunded: true }
        );
        assert_eq!(
            call(&mut s, KEY, "setStatus", &cancel, secs(t, 121)),
            "ALREADY_CANCEL"
        );
        assert_eq!(
            call(
                &mut s,
                KEY,
                "setStatus",
                &[("id", &id), ("status", "8")],
                secs(t, 121)
            ),
            "ALREADY_CANCEL"
        );
        assert_eq!(
            call(
                &mut s,
                KEY,
                "setStatus",
                &[("id", &id), ("status", "finish")],
                secs(t, 121)
            ),
            "ALREADY_CANCEL"
        );
        assert_eq!(
            call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 122)),
            "STATUS_CANCEL"
        );
        assert_eq!(
            s.balance(KEY),
            Some(Decimal::new(10000, 2)),
            "refunded once only"
        );
    }

    #[test]
    fn cancel_after_code_and_finish() {
        let mut s = SimState::new(&config());
        let t = Instant::now();
        let id = buy(&mut s, t);
        let set = |s: &mut SimState, st: &str, at| {
            call(s, KEY, "setStatus", &[("id", &id), ("status", st)], at)
        };
        assert_eq!(set(&mut s, "finish", secs(t, 1)), "BAD_STATUS");
        assert_eq!(set(&mut s, "cancel", secs(t, 130)), "BAD_STATUS");
        assert_eq!(set(&mut s, "finish", secs(t, 131)), "ACCESS_ACTIVATION");
        let r = call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 132));
        assert!(r.starts_with("STATUS_OK:"), "{r}");
        assert!(matches!(s.orders(t)[0].state, SimOrderState::Finished(_)));
        assert_eq!(set(&mut s, "cancel", secs(t, 133)), "BAD_STATUS");
        assert_eq!(s.balance(KEY), Some(Decimal::new(9688, 2)));
    }

    #[test]
    fn expiry_refunds_lazily() {
        let mut s = SimState::new(&SimConfig {
            code_delay: None,
            expiry: Duration::from_secs(1200),
            ..config()
        });
        let t = Instant::now();
        let id = buy(&mut s, t);
        assert_eq!(
            call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 1199)),
            "STATUS_WAIT_CODE"
        );
        // Not refunded until someone asks.
        assert_eq!(s.orders(secs(t, 1300))[0].state, SimOrderState::Waiting);
        assert_eq!(s.balance(KEY), Some(Decimal::new(9688, 2)));
        assert_eq!(
            call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 1300)),
            "STATUS_CANCEL"
        );
        assert_eq!(s.balance(KEY), Some(Decimal::new(10000, 2)));
        assert_eq!(
            call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 1301)),
            "STATUS_CANCEL"
        );
        assert_eq!(s.balance(KEY), Some(Decimal::new(10000, 2)));
    }

    #[test]
    fn code_later_than_expiry_never_comes() {
        let mut s = SimState::new(&SimConfig {
            code_delay: Some(Duration::from_secs(30)),
            expiry: Duration::from_secs(20),
            ..config()
        });
        let t = Instant::now();
        let id = buy(&mut s, t);
        assert_eq!(
            call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 40)),
            "STATUS_CANCEL"
        );
    }

    #[test]
    fn retry_gives_new_code() {
        let mut s = SimState::new(&config());
        let t = Instant::now();
        let id = buy(&mut s, t);
        let retry = [("id", id.as_str()), ("status", "3")];
        assert_eq!(
            call(&mut s, KEY, "setStatus", &retry, secs(t, 1)),
            "BAD_STATUS"
        );
        let first = call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 6));
        let first = first.strip_prefix("STATUS_OK:").unwrap().to_owned();
        assert_eq!(
            call(&mut s, KEY, "setStatus", &retry, secs(t, 10)),
            "ACCESS_RETRY_GET"
        );
        assert_eq!(
            call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 14)),
            format!("STATUS_WAIT_RETRY:{first}")
        );
        let second = call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 15));
        let second = second.strip_prefix("STATUS_OK:").unwrap().to_owned();
        assert_ne!(first, second);
        assert_eq!(second.len(), 6);
        // Words are always accepted, numbers only when enabled.
        assert_eq!(
            call(
                &mut s,
                KEY,
                "setStatus",
                &[("id", &id), ("status", "1")],
                secs(t, 16)
            ),
            "ACCESS_READY"
        );
        assert_eq!(
            call(
                &mut s,
                KEY,
                "setStatus",
                &[("id", &id), ("status", "7")],
                secs(t, 16)
            ),
            "INVALID_STATUS"
        );
        s.accept_numeric_status = false;
        assert_eq!(
            call(&mut s, KEY, "setStatus", &retry, secs(t, 16)),
            "INVALID_STATUS"
        );
        assert_eq!(
            call(
                &mut s,
                KEY,
                "setStatus",
                &[("id", &id), ("status", "finish")],
                secs(t, 16)
            ),
            "ACCESS_ACTIVATION"
        );
    }

    #[test]
    fn deliver_code_and_wrong_key() {
        let mut s = SimState::new(&SimConfig {
            code_delay: None,
            ..config()
        });
        let t = Instant::now();
        let id = buy(&mut s, t);
        assert_eq!(
            call(&mut s, "other", "getStatus", &[("id", &id)], t),
            "NO_ACTIVATION"
        );
        assert_eq!(
            call(
                &mut s,
                "other",
                "setStatus",
                &[("id", &id), ("status", "finish")],
                t
            ),
            "NO_ACTIVATION"
        );
        assert_eq!(
            call(&mut s, KEY, "getStatus", &[("id", "42")], t),
            "NO_ACTIVATION"
        );
        assert_eq!(
            call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 600)),
            "STATUS_WAIT_CODE"
        );
        s.deliver_code(&id, "123456");
        assert_eq!(
            call(&mut s, KEY, "getStatus", &[("id", &id)], secs(t, 601)),
            "STATUS_OK:123456"
        );
        // A delay set later applies to a waiting order.
        let id2 = buy(&mut s, t);
        s.set_code_delay(Some(Duration::ZERO));
        assert!(call(&mut s, KEY, "getStatus", &[("id", &id2)], t).starts_with("STATUS_OK:"));
    }
}
