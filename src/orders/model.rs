//! An order as the app keeps it, and how provider replies change it.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::api::{Offer, OrderStatus, Purchase, SetStatusReply};

/// Milliseconds since the Unix epoch: orders outlive the process, so wall-clock time.
pub use crate::clock::Millis;

/// The computer's date (see [`crate::clock`]).
pub fn now_millis() -> Millis {
    crate::clock::wall_ms()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderState {
    Waiting,
    CodeReceived,
    /// Another SMS was asked for.
    WaitingRetry,
    Finished,
    Cancelled,
    /// Cancelled by the provider after its lifetime, money refunded.
    Expired,
    /// The provider no longer knows the order.
    Gone,
    /// The provider ended it with no code seen here, but the app was not looking for a while
    /// (closed, or InstaOTP out of reach): an SMS may have come meanwhile, so the refund is not
    /// counted. The balance, read again, tells.
    EndedRefundUnconfirmed,
    /// A code came, nobody pressed Finish, and the order ended (closed by the provider, or its
    /// lifetime and a grace period passed). Not refunded.
    EndedWithCode,
    /// A purchase was asked for and no clear answer came: the number may have been sold. Stays
    /// until the person resolves it (adds it by order id, or says it was not bought).
    NotConfirmed,
    /// The provider refused the purchase, or the person said it was not bought.
    NotBought,
}

impl OrderState {
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Finished
                | Self::Cancelled
                | Self::Expired
                | Self::Gone
                | Self::EndedRefundUnconfirmed
                | Self::EndedWithCode
                | Self::NotBought
        )
    }

    /// A number the provider is asked about: bought, and not ended.
    pub fn is_watched(self) -> bool {
        matches!(
            self,
            Self::Waiting | Self::CodeReceived | Self::WaitingRetry
        )
    }

    /// The money came back.
    pub fn refunded(self) -> bool {
        matches!(self, Self::Cancelled | Self::Expired)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub order_id: String,
    pub phone: String,
    pub service_code: String,
    pub service_name: String,
    pub country: String,
    pub server: String,
    pub provider: String,
    pub price: Decimal,
    pub bought_at: Millis,
    pub state: OrderState,
    pub code: Option<String>,
    /// The code before "another SMS" was asked for.
    pub previous_code: Option<String>,
    /// The last reply that was not understood, shown raw.
    pub raw_reply: Option<String>,
    pub last_checked: Option<Millis>,
    pub closed_at: Option<Millis>,
    /// The last problem with this order, in plain words.
    pub problem: Option<String>,
    /// The balance when the purchase was asked for (purchase attempts), to tell later whether
    /// the money went.
    #[serde(default)]
    pub balance_before: Option<Decimal>,
    /// Closed by the person (a purchase they said was not bought).
    #[serde(default)]
    pub by_user: bool,
    /// When the current code arrived (for "finish automatically N minutes after the code").
    #[serde(default)]
    pub code_at: Option<Millis>,
    /// When the first code arrived (the delivery record's "time to code"; `code_at` moves on
    /// with "another SMS"). `None` for orders saved before it was recorded: `code_at` then.
    #[serde(default)]
    pub first_code_at: Option<Millis>,
    /// The account that bought it (`account::account_of`); `None` for orders saved before
    /// accounts were recorded, which any account follows.
    #[serde(default)]
    pub account: Option<String>,
    /// Bought to replace this order, which got no code (replace-if-no-code).
    #[serde(default)]
    pub replaces: Option<String>,
    /// Cancelled by the app because no code came within this many seconds, to be replaced.
    #[serde(default)]
    pub no_code_after_secs: Option<u64>,
    /// The order bought in its place.
    #[serde(default)]
    pub replaced_by: Option<String>,
    /// When InstaOTP first answered `NO_ACTIVATION` about it, since its last real answer.
    #[serde(default)]
    pub unknown_since: Option<Millis>,
    /// What InstaOTP charged, when it said so (`activationCost` in its list of open orders) or
    /// the balance showed it (`orders::evidence::charge_from_balance`); `price` is the list's.
    #[serde(default)]
    pub charged: Option<Decimal>,
    /// Where it is kept in the orders database when its id was already taken there (an id
    /// InstaOTP used again, or another account's): `<id>@<bought at>`. `None`: under its id.
    #[serde(default)]
    pub row_key: Option<String>,
}

/// A look at an order this long after the one before it may have missed an SMS (the app was
/// closed, or InstaOTP out of reach): an end InstaOTP reports then is not counted as a refund.
pub const UNSEEN_GAP_MS: Millis = 5 * 60_000;

/// How long after a first `NO_ACTIVATION` a second one ends an order: one alone proves nothing
/// (a fresh order is not known for its first seconds where a provider's replicas lag).
pub const UNKNOWN_CONFIRM_MS: Millis = 60_000;

pub use crate::api::sms::{is_free_text_sms, likely_code};

/// Order ids of purchase attempts start with this; the provider's ids are numbers.
pub const ATTEMPT_PREFIX: &str = "attempt-";

/// An order id as a person may paste it from the website: letters, digits, `-` or `_`, at most
/// 64 characters (the provider's are numbers).
pub fn plausible_order_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && !id.starts_with(ATTEMPT_PREFIX)
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl Order {
    pub fn new(offer: &Offer, purchase: Purchase, now: Millis) -> Self {
        Self {
            order_id: purchase.order_id,
            phone: purchase.phone,
            service_code: offer.service_code.clone(),
            service_name: offer.name.clone(),
            country: offer.country.clone(),
            server: offer.server.clone(),
            provider: offer.provider.clone(),
            price: offer.price,
            bought_at: now,
            state: OrderState::Waiting,
            code: None,
            previous_code: None,
            raw_reply: None,
            last_checked: None,
            closed_at: None,
            problem: None,
            balance_before: None,
            by_user: false,
            code_at: None,
            first_code_at: None,
            account: None,
            replaces: None,
            no_code_after_secs: None,
            replaced_by: None,
            unknown_since: None,
            charged: None,
            row_key: None,
        }
    }

    /// The row written before a purchase is asked for: the promise that the money it may cost
    /// is accounted for. It becomes the order, or "not bought", or stays "not confirmed".
    pub fn attempt(offer: &Offer, now: Millis, balance_before: Option<Decimal>) -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let purchase = Purchase {
            order_id: format!("{ATTEMPT_PREFIX}{now}-{}-{n}", std::process::id()),
            phone: String::new(),
        };
        let mut attempt = Self::new(offer, purchase, now);
        attempt.state = OrderState::NotConfirmed;
        attempt.balance_before = balance_before;
        attempt
    }

    /// No SMS of any kind has come: no code, no text, no earlier code (replace-if-no-code
    /// cancels only such an order).
    pub fn no_sms_at_all(&self) -> bool {
        self.state == OrderState::Waiting
            && self.code.is_none()
            && self.previous_code.is_none()
            && self.raw_reply.is_none()
            && self.code_at.is_none()
    }

    pub fn is_attempt(&self) -> bool {
        self.order_id.starts_with(ATTEMPT_PREFIX)
    }

    /// The order an attempt turned out to be: the provider's id and number, the attempt's offer
    /// and time.
    pub fn adopted(&self, purchase: Purchase) -> Self {
        let mut order = self.clone();
        order.order_id = purchase.order_id;
        order.phone = purchase.phone;
        order.state = OrderState::Waiting;
        order.closed_at = None;
        order.problem = None;
        order.raw_reply = None;
        order
    }

    pub fn is_active(&self) -> bool {
        !self.state.is_final()
    }

    /// Its key in the orders database.
    pub fn key(&self) -> &str {
        self.row_key.as_deref().unwrap_or(&self.order_id)
    }

    /// What the number cost: what InstaOTP charged where known, else the list price.
    pub fn charge(&self) -> Decimal {
        self.charged.unwrap_or(self.price)
    }

    /// Its id, to travel in commands, jobs and events.
    pub fn id(&self) -> super::OrderId {
        super::OrderId::new(self.order_id.as_str())
    }

    /// Asked about by polling: bought and not ended (a not-confirmed purchase is not).
    pub fn is_watched(&self) -> bool {
        self.state.is_watched()
    }

    /// InstaOTP answered `NO_ACTIVATION` about this order at `now`. It ends as "no longer known"
    /// only when InstaOTP says so again at least [`UNKNOWN_CONFIRM_MS`] after the first time, and
    /// never within the cancel lock after its sale; `true` when it ended.
    pub fn not_known(&mut self, now: Millis, cancel_lock_ms: i64) -> bool {
        match self.unknown_since {
            _ if self.state.is_final() => false,
            Some(first)
                if now - first >= UNKNOWN_CONFIRM_MS && now - self.bought_at >= cancel_lock_ms =>
            {
                self.close(OrderState::Gone, now);
                true
            }
            Some(_) => false,
            None => {
                self.unknown_since = Some(now);
                false
            }
        }
    }

    /// Applies a `getStatus` answer. `lifetime_ms` tells an expiry from a cancel.
    pub fn apply_status(&mut self, status: &OrderStatus, now: Millis, lifetime_ms: i64) {
        let looked_last = self.last_checked.unwrap_or(self.bought_at);
        self.last_checked = Some(now);
        self.problem = None;
        self.unknown_since = None;
        if self.state.is_final() {
            return;
        }
        match status {
            OrderStatus::WaitCode | OrderStatus::WaitResend => {}
            OrderStatus::Code(code) => {
                let same_as_before = self.state == OrderState::WaitingRetry
                    && self.previous_code.as_deref() == Some(code.as_str());
                if !same_as_before {
                    if self.code.as_deref() != Some(code.as_str()) {
                        self.code_at = Some(now);
                        if self.first_code_at.is_none() {
                            self.first_code_at = Some(now);
                        }
                    }
                    self.code = Some(code.clone());
                    self.state = OrderState::CodeReceived;
                }
                self.raw_reply = None;
            }
            OrderStatus::WaitRetry(previous) => {
                if !previous.is_empty() {
                    self.previous_code = Some(previous.clone());
                }
                self.state = OrderState::WaitingRetry;
            }
            OrderStatus::Cancelled => {
                let expired = now - self.bought_at >= lifetime_ms;
                let unseen = now - looked_last >= UNSEEN_GAP_MS;
                self.close(
                    match (expired, unseen) {
                        // A code may have come while nobody looked: no refund is counted.
                        (_, true) if self.code.is_none() => OrderState::EndedRefundUnconfirmed,
                        (true, _) => OrderState::Expired,
                        (false, _) => OrderState::Cancelled,
                    },
                    now,
                );
            }
            // An SMS without its prefix: a code like any other (shown with its text).
            OrderStatus::Unrecognised(raw) if is_free_text_sms(raw) => {
                self.apply_status(&OrderStatus::Code(raw.trim().to_owned()), now, lifetime_ms);
            }
            OrderStatus::Unrecognised(raw) => self.raw_reply = Some(raw.clone()),
        }
    }

    /// Applies a `setStatus` answer.
    pub fn apply_set_status(&mut self, reply: &SetStatusReply, now: Millis) {
        self.problem = None;
        match reply {
            SetStatusReply::Cancelled => self.close(OrderState::Cancelled, now),
            SetStatusReply::Finished => self.close(OrderState::Finished, now),
            SetStatusReply::RetryRequested => {
                self.previous_code = self.code.clone().or(self.previous_code.take());
                self.state = OrderState::WaitingRetry;
            }
            SetStatusReply::Ready => {}
        }
    }

    /// Ends the order. An order that got a code is never refunded: a cancel or expiry of it
    /// ends it "with a code".
    pub fn close(&mut self, state: OrderState, now: Millis) {
        let refund = matches!(state, OrderState::Cancelled | OrderState::Expired);
        self.state = if refund && self.code.is_some() {
            OrderState::EndedWithCode
        } else {
            state
        };
        self.closed_at = Some(now);
    }

    /// Milliseconds until a cancel is allowed (0 once it is).
    /// Never longer than the lock itself, whatever the clock says.
    pub fn cancel_wait_ms(&self, now: Millis, lock_ms: i64) -> i64 {
        self.bought_at
            .saturating_add(lock_ms)
            .saturating_sub(now)
            .clamp(0, lock_ms.max(0))
    }

    /// Milliseconds until the provider's expected expiry (0 once past).
    /// Never longer than the lifetime itself, whatever the clock says.
    pub fn expiry_ms(&self, now: Millis, lifetime_ms: i64) -> i64 {
        self.bought_at
            .saturating_add(lifetime_ms)
            .saturating_sub(now)
            .clamp(0, lifetime_ms.max(0))
    }

    /// Seconds from purchase to the first code, when one came (and the clock did not go back).
    pub fn seconds_to_code(&self) -> Option<i64> {
        self.first_code_at
            .or(self.code_at)
            .filter(|&at| at >= self.bought_at)
            .map(|at| (at - self.bought_at) / 1000)
    }

    /// The phone without its country code, for forms that ask for it apart.
    pub fn phone_without_country(&self, country_code: Option<&str>) -> String {
        let digits: String = self.phone.chars().filter(char::is_ascii_digit).collect();
        match country_code {
            Some(cc) if digits.starts_with(cc) && digits.len() > cc.len() + 6 => {
                digits[cc.len()..].to_owned()
            }
            _ if digits.len() > 10 => digits[digits.len() - 10..].to_owned(),
            _ => digits,
        }
    }
}

/// The offer an order was bought from, as the order remembers it ("Buy again" before the offer
/// list has loaded).
impl From<&Order> for Offer {
    fn from(order: &Order) -> Self {
        Offer {
            server: order.server.clone(),
            service_code: order.service_code.clone(),
            name: order.service_name.clone(),
            price: order.price,
            price_sent: None,
            qty: 1,
            country: order.country.clone(),
            provider: order.provider.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order() -> Order {
        crate::orders::test_support::order("42", "WhatsApp", 1_000)
    }

    #[test]
    fn code_then_retry_then_new_code() {
        let mut o = order();
        o.apply_status(&OrderStatus::WaitCode, 2_000, 60_000);
        assert_eq!(o.state, OrderState::Waiting);
        o.apply_status(&OrderStatus::Code("123456".into()), 3_000, 60_000);
        assert_eq!(
            (o.state, o.code.as_deref()),
            (OrderState::CodeReceived, Some("123456"))
        );
        o.apply_set_status(&SetStatusReply::RetryRequested, 4_000);
        assert_eq!(o.state, OrderState::WaitingRetry);
        o.apply_status(&OrderStatus::Code("123456".into()), 5_000, 60_000);
        assert_eq!(
            o.state,
            OrderState::WaitingRetry,
            "the old code is not a new SMS"
        );
        o.apply_status(&OrderStatus::Code("654321".into()), 6_000, 60_000);
        assert_eq!(
            (o.state, o.code.as_deref()),
            (OrderState::CodeReceived, Some("654321"))
        );
        assert_eq!(o.previous_code.as_deref(), Some("123456"));
    }

    #[test]
    fn provider_cancel_after_lifetime_is_expiry() {
        let mut o = order();
        o.apply_status(&OrderStatus::Cancelled, 30_000, 60_000);
        assert_eq!(o.state, OrderState::Cancelled);
        let mut o = order();
        o.apply_status(&OrderStatus::Cancelled, 61_000, 60_000);
        assert_eq!(o.state, OrderState::Expired);
        assert!(o.state.refunded() && !o.is_active());
        o.apply_status(&OrderStatus::Code("1".into()), 62_000, 60_000);
        assert_eq!(o.state, OrderState::Expired, "final states do not change");
    }

    #[test]
    fn an_order_with_a_code_is_never_refunded() {
        // Closed by the provider (STATUS_CANCEL) after a code: ended with it, not refunded.
        let mut o = order();
        o.apply_status(&OrderStatus::Code("1234".into()), 2_000, 60_000);
        o.apply_status(&OrderStatus::Cancelled, 30_000, 60_000);
        assert_eq!(o.state, OrderState::EndedWithCode);
        assert!(!o.state.refunded());
        // Expired after a code, or an ALREADY_CANCEL / ACCESS_CANCEL answered for one: the same.
        let mut o = order();
        o.apply_status(&OrderStatus::Code("1234".into()), 2_000, 60_000);
        o.apply_status(&OrderStatus::Cancelled, 90_000, 60_000);
        assert_eq!(o.state, OrderState::EndedWithCode);
        let mut o = order();
        o.apply_status(&OrderStatus::Code("1234".into()), 2_000, 60_000);
        o.apply_set_status(&SetStatusReply::Cancelled, 3_000);
        assert_eq!(o.state, OrderState::EndedWithCode);
        // Without a code the provider's cancel is a refund.
        let mut o = order();
        o.apply_set_status(&SetStatusReply::Cancelled, 3_000);
        assert!(o.state.refunded());
    }

    #[test]
    fn an_attempt_becomes_the_order_or_stays_unwatched() {
        let offer = Offer::from(&order());
        let attempt = Order::attempt(&offer, 5_000, Some(rust_decimal::Decimal::new(10_000, 2)));
        assert!(attempt.is_attempt() && attempt.is_active() && !attempt.is_watched());
        assert_eq!(attempt.state, OrderState::NotConfirmed);
        let bought = attempt.adopted(Purchase {
            order_id: "99".into(),
            phone: "+91".into(),
        });
        assert!(!bought.is_attempt() && bought.is_watched());
        assert_eq!(
            (bought.bought_at, bought.price),
            (attempt.bought_at, attempt.price)
        );
        assert!(plausible_order_id("12345") && !plausible_order_id(&attempt.order_id));
        assert!(!plausible_order_id("") && !plausible_order_id("12 34"));
    }

    #[test]
    fn an_sms_without_its_prefix_is_a_code_and_protocol_words_are_not() {
        let mut o = order();
        o.apply_status(
            &OrderStatus::Unrecognised("Your code is 4821, do not share it".into()),
            2_000,
            1_200_000,
        );
        assert_eq!(o.state, OrderState::CodeReceived);
        assert_eq!(
            o.code.as_deref(),
            Some("Your code is 4821, do not share it")
        );
        assert!(o.raw_reply.is_none() && !o.no_sms_at_all());
        // Ended later by InstaOTP: it had a code, so it is not refunded.
        o.apply_status(&OrderStatus::Cancelled, 3_000, 1_200_000);
        assert_eq!(o.state, OrderState::EndedWithCode);

        let mut o = order();
        o.apply_status(
            &OrderStatus::Unrecognised("STATUS_NEW".into()),
            2_000,
            1_200_000,
        );
        assert_eq!(o.state, OrderState::Waiting);
        assert_eq!(o.raw_reply.as_deref(), Some("STATUS_NEW"));
        // Some text came: auto-cancel and replacement leave it alone.
        assert!(!o.no_sms_at_all());
    }

    /// Every row: (when it was bought, earlier NO_ACTIVATION at, asked at) → ended?
    #[test]
    fn no_activation_ends_an_order_only_when_said_twice_a_minute_apart_after_the_lock() {
        let lock = 120_000;
        let rows: [(Millis, Option<Millis>, Millis, bool); 7] = [
            // The very first look after the sale: never.
            (0, None, 3_000, false),
            // The first NO_ACTIVATION, long after the lock: only noted.
            (0, None, 600_000, false),
            // Said again a minute later, past the lock: ended.
            (0, Some(600_000), 660_000, true),
            // Said again within the minute: not yet.
            (0, Some(600_000), 630_000, false),
            // A minute apart, but still within the cancel lock after the sale: not yet.
            (0, Some(10_000), 70_000, false),
            // A minute apart and past the lock.
            (0, Some(10_000), 130_000, true),
            // Asked once per start after a weekend: the second look at the next start ends it.
            (0, Some(86_400_000), 3 * 86_400_000, true),
        ];
        for (bought_at, first, now, ended) in rows {
            let mut o = order();
            o.bought_at = bought_at;
            o.unknown_since = first;
            assert_eq!(o.not_known(now, lock), ended, "{first:?} {now}");
            assert_eq!(o.state == OrderState::Gone, ended);
            assert_eq!(o.unknown_since, first.or(Some(now)));
        }
        // A real answer in between starts the count again.
        let mut o = order();
        assert!(!o.not_known(200_000, lock));
        o.apply_status(&OrderStatus::WaitCode, 230_000, 1_200_000);
        assert_eq!(o.unknown_since, None);
        assert!(!o.not_known(270_000, lock), "the first of a new count");
    }

    /// Every row: minutes since the look before, minutes since the sale, a code seen → the end.
    #[test]
    fn instaotp_ending_an_order_is_a_refund_only_when_the_app_was_looking() {
        let lifetime = 20 * 60_000;
        let rows = [
            (0, 3, false, OrderState::Cancelled),
            (0, 25, false, OrderState::Expired),
            (4, 25, false, OrderState::Expired),
            // The app was closed (or InstaOTP out of reach) for a while: not counted refunded.
            (6, 25, false, OrderState::EndedRefundUnconfirmed),
            (
                3 * 24 * 60,
                3 * 24 * 60 + 1,
                false,
                OrderState::EndedRefundUnconfirmed,
            ),
            // A code was seen: ended with it, never refunded.
            (6, 25, true, OrderState::EndedWithCode),
        ];
        for (since_look, since_sale, code, want) in rows {
            let now: Millis = 10_000_000_000;
            let mut o = order();
            o.bought_at = now - since_sale * 60_000;
            o.last_checked = Some(now - since_look * 60_000);
            if code {
                o.code = Some("123456".into());
                o.state = OrderState::CodeReceived;
            }
            o.apply_status(&OrderStatus::Cancelled, now, lifetime);
            assert_eq!(
                o.state, want,
                "{since_look} min since the last look, {since_sale} since the sale"
            );
            assert!(!o.state.refunded() || want.refunded());
        }
    }

    #[test]
    fn countdowns_and_phone() {
        let o = order();
        assert_eq!(o.cancel_wait_ms(1_000, 120_000), 120_000);
        assert_eq!(o.cancel_wait_ms(200_000, 120_000), 0);
        assert_eq!(o.expiry_ms(1_000 + 60_000, 1_200_000), 1_140_000);
        assert_eq!(o.phone_without_country(Some("91")), "9876543210");
        assert_eq!(o.phone_without_country(None), "9876543210");
    }
}
