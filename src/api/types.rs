//! What the provider's replies mean, as typed values.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The account balance as `getBalance` gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Balance {
    /// Zero when the amount could not be read as a number at all (see [`Balance::is_unusual`]).
    pub amount: Decimal,
    /// A currency sign or code when the provider sends one next to the amount (`54.00 INR`).
    pub currency: Option<String>,
    /// The amount as the provider wrote it (bounded), shown when it is unusual.
    sent: String,
    unusual: bool,
}

impl Balance {
    /// A balance read from a plain decimal number; unusual when outside [`super::amount::is_usual`].
    pub fn new(amount: Decimal, currency: Option<String>, sent: impl Into<String>) -> Self {
        Self {
            amount,
            currency,
            sent: sent.into(),
            unusual: !super::amount::is_usual(amount),
        }
    }

    /// A balance written in a form no real account has (an exponent, more digits than a
    /// number holds): kept as sent, never computed with.
    pub fn unusual(amount: Decimal, currency: Option<String>, sent: impl Into<String>) -> Self {
        Self {
            unusual: true,
            ..Self::new(amount, currency, sent)
        }
    }

    /// True when no real account has this balance: buying against it is refused.
    pub fn is_unusual(&self) -> bool {
        self.unusual
    }
}

impl std::fmt::Display for Balance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.unusual {
            // As sent; `app::describe::balance` says that it is unusual.
            return write!(f, "{}", self.sent);
        }
        match &self.currency {
            Some(c) => write!(f, "{} {c}", self.amount),
            None => write!(f, "{}", self.amount),
        }
    }
}

/// One line of `getService`: a service on a server in a country at a price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    /// The server key, sent back as it was received.
    pub server: String,
    /// The service code (`wa`, `tg`, ...), sent back as it was received; `Order` has the same
    /// name for it.
    #[serde(alias = "code")]
    pub service_code: String,
    pub name: String,
    /// The price as a number; for an unusual one (see `price_sent`) a stand-in never bought at.
    pub price: Decimal,
    /// The price exactly as InstaOTP sent it, when it is outside any real range or not a plain
    /// number (exponent form, 28 digits, negative): shown as sent, never bought at.
    #[serde(default)]
    pub price_sent: Option<String>,
    pub qty: u64,
    /// A numeric id (`22`) or a name (`India`), sent back as it was received.
    pub country: String,
    pub provider: String,
}

impl Offer {
    /// The price is one a real offer has: it can be bought at.
    pub fn has_usual_price(&self) -> bool {
        self.price_sent.is_none() && super::amount::is_usual(self.price)
    }

    pub fn sold_out(&self) -> bool {
        self.qty == 0
    }
}

/// The reply to `getNumber`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purchase {
    pub order_id: String,
    pub phone: String,
}

/// The reply to `getStatus`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderStatus {
    WaitCode,
    /// Another SMS was asked for; the previous code is given.
    WaitRetry(String),
    WaitResend,
    Code(String),
    Cancelled,
    /// A reply that is no known word, kept raw to be shown as it is (some resellers send the SMS
    /// text itself).
    Unrecognised(String),
}

/// What `setStatus` can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetAction {
    Cancel,
    Finish,
    AnotherSms,
    Ready,
}

/// How `setStatus` spells its `status` parameter: a property of the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum StatusEncoding {
    /// InstaOTP's own words: `cancel`, `finish`.
    #[default]
    Words,
    /// The protocol family's numbers: `8` cancel, `6` finish, `3` another SMS, `1` ready.
    Numbers,
}

impl StatusEncoding {
    /// The parameter value, or `None` where this encoding has no way to say it.
    pub fn encode(self, action: SetAction) -> Option<&'static str> {
        match (self, action) {
            (Self::Words, SetAction::Cancel) => Some("cancel"),
            (Self::Words, SetAction::Finish) => Some("finish"),
            (Self::Words, _) => None,
            (Self::Numbers, SetAction::Cancel) => Some("8"),
            (Self::Numbers, SetAction::Finish) => Some("6"),
            (Self::Numbers, SetAction::AnotherSms) => Some("3"),
            (Self::Numbers, SetAction::Ready) => Some("1"),
        }
    }

    pub fn supports(self, action: SetAction) -> bool {
        self.encode(action).is_some()
    }
}

/// The reply to `setStatus`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetStatusReply {
    Cancelled,
    Finished,
    RetryRequested,
    Ready,
}
