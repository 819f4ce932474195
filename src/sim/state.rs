//! Pure protocol logic of the simulator: accounts, catalogue and orders.
//!
//! Nothing here does I/O or reads the clock: every call takes `now` explicitly,
//! so the logic is unit-testable without sleeping.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use serde::Serialize;

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
    /// The path of the request line, without the query (`/api/v1/handler_api.php`), as UTF-8
    /// (invalid bytes replaced): tells apart clients that use different addresses.
    pub path: String,
    /// All query parameters, `api_key` included.
    pub params: BTreeMap<String, String>,
    /// When the request was received.
    pub at: Instant,
    /// The `Referer` header, when the client sent one (it never should).
    pub referer: Option<String>,
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
    /// Bought on a server that never delivers: no code comes by itself.
    silent: bool,
    /// This order's SMS delay when its server has a delivery rate set (`None` inside: never).
    delay: Option<Option<Duration>>,
    /// InstaOTP no longer knows it ([`SimState::forget_order`]): `NO_ACTIVATION` to everything.
    forgotten: bool,
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
    /// Whether `getActiveActivations` is answered (the family action InstaOTP does not list).
    active_offered: bool,
    /// An instant and the Unix milliseconds it was, to give purchase times in wall-clock time.
    wall_origin: Option<(Instant, i64)>,
    /// Servers whose numbers never receive a code by themselves.
    silent_servers: std::collections::HashSet<String>,
    /// Servers with a delivery rate of their own, and how many numbers each sold since.
    server_delivery: HashMap<String, (super::ServerDelivery, u64)>,
    /// For this long after its sale an order is not known yet (`NO_ACTIVATION`), as some
    /// providers' replicas lag.
    unknown_for: Duration,
    /// An SMS is answered as this text, `{code}` replaced, without `STATUS_OK:` (resellers'
    /// free text: `AMAZON: {code} is your code`).
    sms_text: Option<String>,
    /// Order ids count from 100001 for each account on its own, so two accounts have the same.
    ids_per_account: bool,
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

/// One offer as `getService` lists it: every value a string, as InstaOTP sends them.
#[derive(Serialize)]
struct OfferJson<'a> {
    id: &'a str,
    service: &'a str,
    price: String,
    qty: String,
    country: &'a str,
    provider: &'a str,
}

impl<'a> OfferJson<'a> {
    fn of(o: &'a SimOffer) -> Self {
        OfferJson {
            id: &o.id,
            service: &o.name,
            price: o.price.to_string(),
            qty: o.qty.to_string(),
            country: &o.country,
            provider: &o.provider,
        }
    }
}

/// A JSON object whose keys keep the order of the list.
struct OrderedMap<'a, V>(&'a [(&'a str, V)]);

impl<V: Serialize> Serialize for OrderedMap<'_, V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
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
            active_offered: false,
            wall_origin: None,
            silent_servers: std::collections::HashSet::new(),
            server_delivery: HashMap::new(),
            unknown_for: Duration::ZERO,
            sms_text: None,
            ids_per_account: false,
        }
    }

    /// For `d` after its sale an order answers `NO_ACTIVATION` (zero: known at once).
    pub fn unknown_for(&mut self, d: Duration) {
        self.unknown_for = d;
    }

    /// SMS answered as free text: `Some("AMAZON: {code} is your code")`; `None`: `STATUS_OK:`.
    pub fn sms_as_text(&mut self, template: Option<String>) {
        self.sms_text = template;
    }

    /// Order ids counted per account (the same ids on two accounts), or across all (`false`).
    pub fn ids_per_account(&mut self, on: bool) {
        self.ids_per_account = on;
    }

    /// Sets the price of one offer: the list shows it and the next sale charges it.
    pub fn set_price(&mut self, service: &str, country: &str, server: &str, price: Decimal) {
        for o in self
            .offers
            .iter_mut()
            .filter(|o| o.id == service && o.country == country && o.server == server)
        {
            o.price = price;
        }
    }

    /// A purchase made on the website (or by another program) on account `key`: the order id,
    /// or the refusal word.
    pub fn buy_on_website(
        &mut self,
        key: &str,
        service: &str,
        country: &str,
        server: &str,
        now: Instant,
    ) -> Result<String, String> {
        let params: BTreeMap<String, String> = [
            ("service", service),
            ("country", country),
            ("server", server),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let reply = self.get_number(key, &params, now).body;
        match reply.strip_prefix("ACCESS_NUMBER:") {
            Some(rest) => Ok(rest.split(':').next().unwrap_or_default().to_owned()),
            None => Err(reply),
        }
    }

    /// The id of the next order of `key`.
    fn next_id(&mut self, key: &str) -> (u64, String) {
        let seq = self.next_seq;
        self.next_seq += 1;
        if !self.ids_per_account {
            return (seq, seq.to_string());
        }
        let n = self.orders.iter().filter(|r| r.order.key == key).count() as u64;
        (seq, (100_001 + n).to_string())
    }

    /// Answers `getActiveActivations` from now on (or `BAD_ACTION` again, as InstaOTP's doc).
    pub fn offer_active_activations(&mut self, on: bool) {
        self.active_offered = on;
    }

    /// Numbers bought from now on on `server` never get a code by themselves (`false`: they do).
    pub fn never_deliver_on(&mut self, server: &str, silent: bool) {
        if silent {
            self.silent_servers.insert(server.to_owned());
        } else {
            self.silent_servers.remove(server);
        }
    }

    /// Ties the simulator's instants to wall-clock time: `at` was `unix_ms`.
    pub fn set_wall_origin(&mut self, at: Instant, unix_ms: i64) {
        self.wall_origin = Some((at, unix_ms));
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
            Some("getActiveActivations") if self.active_offered => self.active(&key, now),
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
        // Servers in the order above (numeric first), which a JSON map would not keep.
        let servers: Vec<(&str, Vec<OfferJson<'_>>)> = by_server
            .iter()
            .map(|((_, _, server), offers)| {
                (
                    server.as_str(),
                    offers.iter().map(|o| OfferJson::of(o)).collect(),
                )
            })
            .collect();
        let body = serde_json::to_string(&OrderedMap(&servers)).unwrap_or_default();
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
        // A family provider's price limit: refused when the number now costs more.
        if let Some(max) = param(params, "maxPrice").and_then(|m| m.parse::<Decimal>().ok())
            && offer.price > max
        {
            return Reply::text(format!("WRONG_MAX_PRICE:{}", offer.price));
        }
        let balance = self.accounts.entry(key.to_owned()).or_insert(Decimal::ZERO);
        let Some(after) = balance
            .checked_sub(offer.price)
            .filter(|b| !b.is_sign_negative())
        else {
            return Reply::text("NO_BALANCE");
        };
        *balance = after;
        offer.qty -= 1;
        let offer = offer.clone();
        let (seq, id) = self.next_id(key);
        let order = SimOrder {
            id,
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
        let silent = self.silent_servers.contains(&order.server);
        let delay = self
            .server_delivery
            .get_mut(&order.server)
            .map(|(d, sold)| {
                let delivers = d.delivers(*sold);
                *sold += 1;
                delivers.then_some(d.delay)
            });
        self.orders.push(OrderRecord {
            order,
            waiting_since: now,
            seq,
            codes: 0,
            silent,
            delay,
            forgotten: false,
        });
        Reply::text(reply)
    }

    fn get_status(&mut self, key: &str, id: &str, now: Instant) -> String {
        let (code_delay, expiry) = (self.code_delay, self.expiry);
        let sms_text = self.sms_text.clone();
        let Some(rec) = self.record_mut(key, id, now) else {
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
            SimOrderState::CodeReceived(code) | SimOrderState::Finished(code) => match sms_text {
                Some(template) => template.replace("{code}", code),
                None => format!("STATUS_OK:{code}"),
            },
            SimOrderState::WaitingRetry { previous } => format!("STATUS_WAIT_RETRY:{previous}"),
            SimOrderState::Cancelled { .. } => "STATUS_CANCEL".to_owned(),
        }
    }

    /// The family's list of every open order of `key`, as SMS-Activate sends it (ids and costs as
    /// strings, purchase time as `YYYY-MM-DD HH:MM:SS` UTC).
    fn active(&mut self, key: &str, now: Instant) -> Reply {
        let ids: Vec<String> = self
            .orders
            .iter()
            .filter(|r| r.order.key == key)
            .map(|r| r.order.id.clone())
            .collect();
        let mut list = Vec::new();
        let wall_origin = self.wall_origin;
        for id in ids {
            // Through getStatus, so expiry and refunds happen as they would there.
            let _status = self.get_status(key, &id, now);
            let Some(rec) = self.record_mut(key, &id, now) else {
                continue;
            };
            let sms = match &rec.order.state {
                SimOrderState::Waiting | SimOrderState::WaitingRetry { .. } => None,
                SimOrderState::CodeReceived(code) => Some(code.clone()),
                SimOrderState::Finished(_) | SimOrderState::Cancelled { .. } => continue,
            };
            let time = wall_origin.and_then(|(at, ms)| {
                let offset =
                    i64::try_from(rec.order.created.checked_duration_since(at)?.as_millis());
                let ts = jiff::Timestamp::from_millisecond(ms.saturating_add(offset.ok()?)).ok()?;
                Some(ts.strftime("%Y-%m-%d %H:%M:%S").to_string())
            });
            let o = &rec.order;
            list.push(serde_json::json!({
                "activationId": o.id,
                "serviceCode": o.service,
                "phoneNumber": o.phone.trim_start_matches('+'),
                "activationCost": o.price.to_string(),
                "activationStatus": if sms.is_some() { "2" } else { "1" },
                "smsCode": sms,
                "smsText": null,
                "activationTime": time,
                "countryCode": o.country,
                "canGetAnotherSms": "1",
            }));
        }
        if list.is_empty() {
            return Reply {
                json: true,
                body: r#"{"status":"error","error":"NO_ACTIVATIONS"}"#.to_owned(),
            };
        }
        let body = serde_json::json!({"status": "success", "activeActivations": list});
        Reply {
            json: true,
            body: body.to_string(),
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
        let Some(rec) = self.record_mut(key, id, now) else {
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

    /// The order `id` of account `key`, once the provider knows it (see [`SimState::unknown_for`]).
    fn record_mut(&mut self, key: &str, id: &str, now: Instant) -> Option<&mut OrderRecord> {
        let unknown_for = self.unknown_for;
        self.orders.iter_mut().find(|r| {
            r.order.id == id
                && r.order.key == key
                && !r.forgotten
                && reached(r.order.created, unknown_for, now)
        })
    }

    /// The order is closed on the website, behind the client's back: refunded when no code came
    /// (as InstaOTP does), else closed with its code and not refunded. Then `getStatus` answers
    /// `STATUS_CANCEL` and `setStatus` `ALREADY_CANCEL`. `false` when there is no such open order.
    pub fn cancel_order(&mut self, id: &str, now: Instant) -> bool {
        let (code_delay, expiry) = (self.code_delay, self.expiry);
        let Some(rec) = self
            .orders
            .iter_mut()
            .find(|r| r.order.id == id && !r.forgotten)
        else {
            return false;
        };
        advance(rec, code_delay, expiry, now);
        let refunded = match rec.order.state {
            SimOrderState::Waiting => true,
            SimOrderState::CodeReceived(_) | SimOrderState::WaitingRetry { .. } => false,
            SimOrderState::Finished(_) | SimOrderState::Cancelled { .. } => return false,
        };
        rec.order.state = SimOrderState::Cancelled { refunded };
        if refunded {
            let (owner, price) = (rec.order.key.clone(), rec.order.price);
            self.refund(&owner, price);
        }
        true
    }

    /// InstaOTP forgets the order: from now on `getStatus` and `setStatus` answer
    /// `NO_ACTIVATION` for it and `getActiveActivations` leaves it out. With `refund`, an order
    /// without a code is first cancelled and refunded. It stays in [`SimState::orders`] (the
    /// ledger still counts the sale). `false` when there is no such order.
    pub fn forget_order(&mut self, id: &str, refund: bool, now: Instant) -> bool {
        if refund {
            self.cancel_order(id, now);
        }
        match self.orders.iter_mut().find(|r| r.order.id == id) {
            Some(rec) => {
                rec.forgotten = true;
                true
            }
            None => false,
        }
    }

    fn refund(&mut self, key: &str, price: Decimal) {
        let balance = self.accounts.entry(key.to_owned()).or_insert(Decimal::ZERO);
        *balance = balance.saturating_add(price);
    }

    /// The balance of an account, `None` for an unknown key.
    pub fn balance(&self, key: &str) -> Option<Decimal> {
        self.accounts.get(key).copied()
    }

    /// Sets (or creates) an account's balance.
    pub fn set_balance(&mut self, key: &str, balance: Decimal) {
        self.accounts.insert(key.to_owned(), balance);
    }

    /// Sets the stock of one offer (unknown offers are left alone).
    pub fn set_stock(&mut self, service: &str, country: &str, server: &str, qty: u64) {
        for o in self
            .offers
            .iter_mut()
            .filter(|o| o.id == service && o.country == country && o.server == server)
        {
            o.qty = qty;
        }
    }

    /// Changes the SMS delay; it applies to every order still waiting.
    pub fn set_code_delay(&mut self, delay: Option<Duration>) {
        self.code_delay = delay;
    }

    /// From now on, numbers sold on `server` get a code as `delivery` says.
    pub fn set_server_delivery(&mut self, server: &str, delivery: super::ServerDelivery) {
        self.server_delivery
            .insert(server.to_owned(), (delivery, 0));
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
    // A server with a delivery rate decides per order (`SimState::set_server_delivery`); a server
    // that never delivers gives no code by itself.
    let Some(delay) = rec.delay.unwrap_or(code_delay).filter(|_| !rec.silent) else {
        return;
    };
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
mod tests;
