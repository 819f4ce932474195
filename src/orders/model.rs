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
}

/// The code to show large and copy from an SMS: the text itself when it is a code, else the first
/// run of 4 to 8 digits in it (an SMS that came as free text), else `None`.
pub fn likely_code(sms: &str) -> Option<String> {
    let trimmed = sms.trim();
    let is_code = |t: &str| (4..=8).contains(&t.len()) && t.chars().all(|c| c.is_ascii_digit());
    if is_code(trimmed) {
        return Some(trimmed.to_owned());
    }
    // Digits split by a dash or a space ("12-34", "123 456") are one code.
    let joined: String = trimmed
        .split(|c: char| !(c.is_ascii_digit() || c == '-' || c == ' '))
        .map(|run| run.trim_matches([' ', '-']).replace(['-', ' '], ""))
        .find(|run| is_code(run))?;
    Some(joined)
}

/// A reply to getStatus that is an SMS sent without the `STATUS_OK:` prefix (some resellers do
/// that): readable text, not a protocol word, with a likely code in it. Anything else (junk, a
/// page, an unknown `STATUS_…` word) stays "not understood" and shown raw.
pub fn is_free_text_sms(reply: &str) -> bool {
    let text = reply.trim();
    let readable = !text.is_empty()
        && !text.starts_with(['<', '{', '['])
        && !text
            .chars()
            .any(|c| c == char::REPLACEMENT_CHARACTER || (c.is_control() && !c.is_whitespace()));
    // `STATUS_NEW:1234`, `SOME_WORD`: a word of the protocol family, not a message.
    let first = text.split([':', ' ']).next().unwrap_or_default();
    let protocol_word = first.len() > 1
        && first
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && first.chars().any(|c| c.is_ascii_uppercase());
    readable && !protocol_word && likely_code(text).is_some()
}

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

    /// Asked about by polling: bought and not ended (a not-confirmed purchase is not).
    pub fn is_watched(&self) -> bool {
        self.state.is_watched()
    }

    /// Applies a `getStatus` answer. `lifetime_ms` tells an expiry from a cancel.
    pub fn apply_status(&mut self, status: &OrderStatus, now: Millis, lifetime_ms: i64) {
        self.last_checked = Some(now);
        self.problem = None;
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
                self.close(
                    if expired {
                        OrderState::Expired
                    } else {
                        OrderState::Cancelled
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
    fn a_code_is_picked_out_of_a_free_text_sms() {
        assert_eq!(likely_code("123456").as_deref(), Some("123456"));
        assert_eq!(likely_code("Your code: 12-34").as_deref(), Some("1234"));
        assert_eq!(
            likely_code("G-482913 is your Google verification code.").as_deref(),
            Some("482913")
        );
        assert_eq!(likely_code("Welcome! Reply STOP to end").as_deref(), None);
        assert_eq!(likely_code("call 123").as_deref(), None);
    }

    #[test]
    fn an_sms_without_its_prefix_is_a_code_and_junk_or_words_are_not() {
        for sms in [
            "Your WhatsApp code is 123-456",
            "482913",
            "G-482913 is your Google verification code.",
        ] {
            assert!(is_free_text_sms(sms), "{sms}");
        }
        for not_sms in [
            "STATUS_SOMETHING_NEW",
            "STATUS_NEW:123456",
            "ERROR_5000",
            "<html>502 Bad Gateway 123456</html>",
            "{\"code\": 123456}",
            "\u{fffd}\u{fffd}ACCESS_ 1234",
            "\u{1b}[31m 123456",
            "Welcome! Reply STOP to end",
            "",
        ] {
            assert!(!is_free_text_sms(not_sms), "{not_sms}");
        }
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
