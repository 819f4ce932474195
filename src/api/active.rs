//! `getActiveActivations`: every open order of the account in one reply. The InstaOTP doc does
//! not list this family action, so the app asks once per account whether it is offered (see
//! [`Offered`]) and reads it tolerantly: ids and costs as strings or numbers, `smsCode` null, a
//! string or a list.

use rust_decimal::Decimal;
use serde_json::Value;

use super::reply;
use super::{ApiError, OrderStatus, ProviderError};

/// One open order as the provider lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveActivation {
    pub order_id: String,
    pub service_code: Option<String>,
    pub phone: Option<String>,
    pub country: Option<String>,
    pub cost: Option<Decimal>,
    /// The last SMS code the provider picked out.
    pub sms_code: Option<String>,
    /// The SMS as text, when the provider sent it (some send only this).
    pub sms_text: Option<String>,
    /// When it was bought, in milliseconds since the epoch, when the reply says so in a form
    /// that can be read: Unix seconds or milliseconds, RFC 3339, or `YYYY-MM-DD HH:MM:SS`
    /// (read as UTC; the provider's time zone is not documented).
    pub bought_at: Option<i64>,
}

/// What the app knows of an account's `getActiveActivations`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Offered {
    /// Not asked yet (or no clear answer yet).
    #[default]
    Unknown,
    Yes,
    /// The provider answered `BAD_ACTION` or something that is not the family's list: never
    /// asked again for this account.
    No,
}

impl Offered {
    /// What a failed call says about the action: a clear answer that is not the list means "not
    /// offered"; a failure on the way (time-out, 5xx, rate limit) says nothing.
    pub fn from_error(error: &ApiError) -> Self {
        match error {
            ApiError::Provider {
                error: ProviderError::BadAction | ProviderError::Unknown(_),
                ..
            }
            | ApiError::Unexpected { .. }
            | ApiError::Empty => Self::No,
            ApiError::HttpStatus { status, .. } if (400..500).contains(status) => Self::No,
            _ => Self::Unknown,
        }
    }

    /// As kept in the orders database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::Yes => "yes",
            Self::No => "no",
        }
    }

    pub fn from_stored(s: &str) -> Self {
        match s {
            "yes" => Self::Yes,
            "no" => Self::No,
            _ => Self::Unknown,
        }
    }
}

/// The reply to `getActiveActivations`. "No open orders" (`NO_ACTIVATIONS`, bare or in a JSON
/// error) is an empty list; entries without an id are skipped.
pub fn parse_active(status: u16, body: &[u8]) -> Result<Vec<ActiveActivation>, ApiError> {
    let text = reply::check(status, body)?;
    if text == "NO_ACTIVATIONS" {
        return Ok(Vec::new());
    }
    let value: Value = serde_json::from_str(&text).map_err(|_| reply::unexpected(&text))?;
    if value.get("error").and_then(Value::as_str) == Some("NO_ACTIVATIONS") {
        return Ok(Vec::new());
    }
    let list = match value.get("activeActivations") {
        Some(Value::Array(list)) => list,
        // Some providers key the list by id.
        Some(Value::Object(map)) => &map.values().cloned().collect::<Vec<_>>(),
        _ => return Err(reply::unexpected(&text)),
    };
    let active: Vec<ActiveActivation> = list.iter().filter_map(activation).collect();
    let too_long = active.iter().any(|a| {
        std::iter::once(&a.order_id)
            .chain(a.service_code.iter())
            .chain(a.phone.iter())
            .chain(a.country.iter())
            .any(|f| !reply::fits(f))
    });
    if too_long {
        return Err(reply::unexpected(&text));
    }
    Ok(active)
}

fn activation(item: &Value) -> Option<ActiveActivation> {
    let field = |name: &str| item.get(name).and_then(scalar).filter(|s| !s.is_empty());
    Some(ActiveActivation {
        order_id: field("activationId")?,
        service_code: field("serviceCode"),
        phone: field("phoneNumber"),
        country: field("countryCode"),
        cost: field("activationCost").and_then(|c| c.parse().ok()),
        sms_code: sms(item.get("smsCode")),
        sms_text: sms(item.get("smsText")),
        bought_at: item.get("activationTime").and_then(time_of),
    })
}

impl ActiveActivation {
    /// What the list says of the order, as `getStatus` would: the code; an SMS that came only as
    /// text (or a "code" longer than any code), kept raw for the person to read; or waiting.
    pub fn status(&self) -> OrderStatus {
        match (&self.sms_code, &self.sms_text) {
            (Some(code), _) if reply::fits(code) => OrderStatus::Code(code.clone()),
            (Some(text), _) | (None, Some(text)) => OrderStatus::Unrecognised(text.clone()),
            (None, None) => OrderStatus::WaitCode,
        }
    }
}

/// A string or a number, as text.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `null`, a string, or a list of them (the last one is the newest).
fn sms(v: Option<&Value>) -> Option<String> {
    let text = match v? {
        Value::Array(list) => list.iter().rev().find_map(scalar)?,
        other => scalar(other)?,
    };
    (!text.is_empty()).then(|| reply::excerpt(&text))
}

fn time_of(v: &Value) -> Option<i64> {
    let text = scalar(v)?;
    if let Ok(n) = text.parse::<i64>() {
        // Seconds until the year 5138, milliseconds after.
        return Some(if n < 100_000_000_000 {
            n.saturating_mul(1000)
        } else {
            n
        });
    }
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Some(ts.as_millisecond());
    }
    let civil = text.parse::<jiff::civil::DateTime>().ok()?;
    let zoned = civil.to_zoned(jiff::tz::TimeZone::UTC).ok()?;
    Some(zoned.timestamp().as_millisecond())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_family_list_is_read_whatever_its_field_types() {
        let body = br#"{"status":"success","activeActivations":[
            {"activationId":"100001","serviceCode":"wa","phoneNumber":"919876543210",
             "activationCost":"12.50","activationStatus":"4","smsCode":null,"smsText":null,
             "activationTime":"2026-11-30 10:00:00","countryCode":"22","canGetAnotherSms":"1"},
            {"activationId":100002,"serviceCode":"tg","phoneNumber":79001234567,
             "activationCost":7,"smsCode":["1111","2222"],"activationTime":1795000000},
            {"serviceCode":"no id"}]}"#;
        let list = parse_active(200, body).unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].order_id, "100001");
        assert_eq!(list[0].cost, Some(Decimal::new(1250, 2)));
        assert_eq!(list[0].status(), OrderStatus::WaitCode);
        assert_eq!(list[0].country.as_deref(), Some("22"));
        let civil: jiff::Timestamp = "2026-11-30T10:00:00Z".parse().unwrap();
        assert_eq!(list[0].bought_at, Some(civil.as_millisecond()));
        assert_eq!(list[1].order_id, "100002");
        assert_eq!(list[1].phone.as_deref(), Some("79001234567"));
        assert_eq!(list[1].status(), OrderStatus::Code("2222".into()));
        assert_eq!(list[1].bought_at, Some(1_795_000_000_000));
    }

    #[test]
    fn an_sms_that_came_only_as_text_is_kept_raw_not_taken_for_a_code() {
        let body = br#"{"status":"success","activeActivations":[
            {"activationId":"1","smsCode":null,"smsText":"Your code is 4821, do not share it"}]}"#;
        let list = parse_active(200, body).unwrap();
        assert_eq!(
            list[0].status(),
            OrderStatus::Unrecognised("Your code is 4821, do not share it".into())
        );
    }

    #[test]
    fn no_open_orders_is_an_empty_list() {
        assert!(parse_active(200, b"NO_ACTIVATIONS").unwrap().is_empty());
        let json = br#"{"status":"error","error":"NO_ACTIVATIONS"}"#;
        assert!(parse_active(200, json).unwrap().is_empty());
    }

    #[test]
    fn bad_action_or_anything_else_means_not_offered() {
        for body in [
            &b"BAD_ACTION"[..],
            b"<html>nope</html>",
            b"",
            br#"{"status":"success"}"#,
            b"SOMETHING_NEW",
        ] {
            let e = parse_active(200, body).unwrap_err();
            assert_eq!(Offered::from_error(&e), Offered::No, "{body:?}");
        }
        let e = parse_active(200, b"BAD_ACTION").unwrap_err();
        assert_eq!(e.provider_error(), Some(&ProviderError::BadAction));
    }

    #[test]
    fn a_failure_on_the_way_says_nothing() {
        for e in [
            ApiError::Timeout,
            ApiError::Transport("reset".into()),
            ApiError::RateLimited { retry_after: None },
            ApiError::provider(ProviderError::RateLimit),
            ApiError::provider(ProviderError::BadKey),
            ApiError::HttpStatus {
                status: 502,
                excerpt: "Bad gateway".into(),
            },
        ] {
            assert_eq!(Offered::from_error(&e), Offered::Unknown, "{e}");
        }
    }

    #[test]
    fn stored_answers_round_trip() {
        for o in [Offered::Unknown, Offered::Yes, Offered::No] {
            assert_eq!(Offered::from_stored(o.as_str()), o);
        }
    }
}
