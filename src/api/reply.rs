//! Turns a reply (HTTP status + body) into a typed value or an [`ApiError`]. Never panics, whatever
//! the bytes.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

use super::error::{ApiError, ProviderError};
use super::types::{Balance, Offer, OrderStatus, Purchase, SetStatusReply};

/// Replies larger than this are refused unread (10,000 offers are about 1.5 MiB).
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// How much of an unexpected reply is kept to be shown.
const EXCERPT_CHARS: usize = 300;
/// The longest order id, phone, code, service name or other single field believed; a longer one
/// makes the reply unexpected.
pub const MAX_FIELD_CHARS: usize = 256;
/// How much of an unusual amount is kept to be shown as sent.
const AMOUNT_CHARS: usize = 48;

pub fn parse_balance(status: u16, body: &[u8]) -> Result<Balance, ApiError> {
    let text = check(status, body)?;
    let Some(rest) = text.strip_prefix("ACCESS_BALANCE:") else {
        return Err(unexpected(&text));
    };
    parse_amount(rest).ok_or_else(|| unexpected(&text))
}

pub fn parse_number(status: u16, body: &[u8]) -> Result<Purchase, ApiError> {
    let text = check(status, body)?;
    let Some(rest) = text.strip_prefix("ACCESS_NUMBER:") else {
        return Err(unexpected(&text));
    };
    match rest.split_once(':') {
        Some((id, phone))
            if !id.trim().is_empty()
                && !phone.trim().is_empty()
                && fits(id.trim())
                && fits(phone.trim()) =>
        {
            Ok(Purchase {
                order_id: id.trim().to_owned(),
                phone: phone.trim().to_owned(),
            })
        }
        // `ACCESS_NUMBER:<id>` (or with an empty number): the id proves the sale and names the
        // order, so it is followed at once; its number is on the website until known.
        None | Some((_, "")) if plausible_id(rest.split(':').next().unwrap_or_default()) => {
            Ok(Purchase {
                order_id: rest.split(':').next().unwrap_or_default().trim().to_owned(),
                phone: String::new(),
            })
        }
        _ => Err(unexpected(&text)),
    }
}

/// An order id as providers give them: letters, digits, `-` or `_`, at most 64 characters.
fn plausible_id(id: &str) -> bool {
    let id = id.trim();
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

pub fn parse_status(status: u16, body: &[u8]) -> Result<OrderStatus, ApiError> {
    let text = check(status, body)?;
    let (word, value) = match text.split_once(':') {
        Some((w, v)) => (w, Some(v.trim().to_owned())),
        None => (text.as_str(), None),
    };
    // A code longer than any SMS code; free text (below) is kept as a bounded excerpt instead.
    if matches!(word, "STATUS_OK" | "STATUS_WAIT_RETRY")
        && value.as_deref().is_some_and(|v| !fits(v))
    {
        return Err(unexpected(&text));
    }
    Ok(match (word, value) {
        ("STATUS_WAIT_CODE", None) => OrderStatus::WaitCode,
        ("STATUS_WAIT_RESEND", None) => OrderStatus::WaitResend,
        ("STATUS_CANCEL", None) => OrderStatus::Cancelled,
        ("STATUS_OK", Some(code)) if !code.is_empty() => OrderStatus::Code(code),
        ("STATUS_WAIT_RETRY", Some(code)) => OrderStatus::WaitRetry(code),
        // A status-like word we do not know, or free text (some resellers send the SMS itself,
        // sometimes after a sender id in capitals, `AMAZON: 482913 …`): kept raw so the user
        // can read it, and its code picked out by the order.
        _ if word.starts_with("STATUS_")
            || !is_word(word)
            || super::sms::is_free_text_sms(&text) =>
        {
            OrderStatus::Unrecognised(excerpt(&text))
        }
        _ => return Err(unexpected(&text)),
    })
}

pub fn parse_set_status(status: u16, body: &[u8]) -> Result<SetStatusReply, ApiError> {
    let text = check(status, body)?;
    match text.as_str() {
        "ACCESS_CANCEL" => Ok(SetStatusReply::Cancelled),
        "ACCESS_ACTIVATION" => Ok(SetStatusReply::Finished),
        "ACCESS_RETRY_GET" => Ok(SetStatusReply::RetryRequested),
        "ACCESS_READY" => Ok(SetStatusReply::Ready),
        _ => Err(unexpected(&text)),
    }
}

/// `getService`: a JSON object keyed by server, each value a list of offers. Offers that cannot be
/// read (no code, no valid price) are skipped rather than failing the whole list.
pub fn parse_services(status: u16, body: &[u8]) -> Result<Vec<Offer>, ApiError> {
    let text = check(status, body)?;
    let value: Value = serde_json::from_str(&text).map_err(|_| unexpected(&text))?;
    let mut offers: Vec<Offer> = Vec::new();
    match &value {
        Value::Object(servers) => {
            for (server, list) in servers {
                for item in entries(list) {
                    offers.extend(offer_from_json(server, item));
                }
            }
        }
        Value::Array(list) => {
            for item in list {
                let server = item.get("server").and_then(text_of).unwrap_or_default();
                offers.extend(offer_from_json(&server, item));
            }
        }
        _ => return Err(unexpected(&text)),
    }
    let too_long = offers.iter().any(|o| {
        [&o.server, &o.service_code, &o.name, &o.country, &o.provider]
            .iter()
            .any(|f| !fits(f))
    });
    if too_long {
        return Err(unexpected(&text));
    }
    Ok(offers)
}

/// The checks every reply goes through first: HTTP status, JSON error envelope, error words.
/// Returns the trimmed text of a reply that is neither.
pub(super) fn check(status: u16, body: &[u8]) -> Result<String, ApiError> {
    let text = String::from_utf8_lossy(body);
    let text = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if status == 429 {
        return Err(ApiError::RateLimited {
            retry_after: super::retry_after::from_json(text),
        });
    }
    if let Some(err) = envelope(text) {
        return Err(err);
    }
    if !(200..300).contains(&status) {
        if let Some(error) = ProviderError::from_reply(text) {
            return Err(ApiError::provider(error));
        }
        return Err(ApiError::HttpStatus {
            status,
            excerpt: readable_excerpt(text),
        });
    }
    if text.is_empty() {
        return Err(ApiError::Empty);
    }
    if let Some(error) = ProviderError::from_reply(text) {
        return Err(ApiError::provider(error));
    }
    Ok(text.to_owned())
}

/// `{"title": "BAD_KEY", "details": "..."}` as some providers of the family send it.
fn envelope(text: &str) -> Option<ApiError> {
    if !text.starts_with('{') || !text.contains("\"title\"") {
        return None;
    }
    let value: Value = serde_json::from_str(text).ok()?;
    let title = value.get("title")?.as_str()?.trim();
    let details = value
        .get("details")
        .and_then(|d| d.as_str())
        .map(excerpt)
        .filter(|d| !d.is_empty());
    let error = ProviderError::from_reply(title)
        .or_else(|| is_word(title).then(|| ProviderError::Unknown(title.to_owned())))?;
    Some(ApiError::Provider { error, details })
}

/// A reply that is not what the action answers: an unknown error word, or anything else.
pub(super) fn unexpected(text: &str) -> ApiError {
    let word = text.split(':').next().unwrap_or_default();
    if is_word(word) {
        ApiError::provider(ProviderError::Unknown(excerpt(text)))
    } else {
        ApiError::Unexpected {
            text: excerpt(text),
        }
    }
}

/// An all-capitals protocol word such as `NO_NUMBERS`.
fn is_word(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase())
        && s.len() <= 64
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Not longer than [`MAX_FIELD_CHARS`].
pub(super) fn fits(field: &str) -> bool {
    field.chars().nth(MAX_FIELD_CHARS).is_none()
}

/// `54.00`, `54.00 INR`, `₹54.00`, `1,054.00`. An amount in exponent form or too long for a
/// number is kept as sent and marked unusual.
fn parse_amount(s: &str) -> Option<Balance> {
    let s = s.trim();
    let start = s.find(|c: char| c.is_ascii_digit() || c == '-')?;
    let (len, exponent) = number_len(s.get(start..)?);
    let token = s.get(start..start + len)?;
    if !token.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let number: String = token.chars().filter(|c| *c != ',').collect();
    let currency = format!("{} {}", s.get(..start)?, s.get(start + len..)?);
    let currency = currency.trim();
    if !fits(currency) {
        return None;
    }
    let currency = (!currency.is_empty()).then(|| excerpt(currency));
    let sent = bounded(token, AMOUNT_CHARS);
    if exponent {
        let amount = Decimal::from_scientific(&number).unwrap_or_default();
        return Some(Balance::unusual(amount, currency, sent));
    }
    Some(match Decimal::from_str(&number) {
        Ok(amount) => Balance::new(amount, currency, sent),
        Err(_) => Balance::unusual(Decimal::ZERO, currency, sent),
    })
}

/// The length of the number at the start of `s` (digits, `.`, `,`, signs, one exponent) and
/// whether it has an exponent (`1e5`, `2E-3`).
fn number_len(s: &str) -> (usize, bool) {
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut exponent = false;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii_digit() || matches!(b, b'.' | b',' | b'-' | b'+') {
            i += 1;
            continue;
        }
        if matches!(b, b'e' | b'E') && !exponent {
            let mut j = i + 1;
            if bytes.get(j).is_some_and(|b| matches!(b, b'+' | b'-')) {
                j += 1;
            }
            if bytes.get(j).is_some_and(u8::is_ascii_digit) {
                exponent = true;
                i = j;
                continue;
            }
        }
        break;
    }
    (i, exponent)
}

/// At most `max` characters, `…` when cut.
fn bounded(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

fn entries(list: &Value) -> Vec<&Value> {
    match list {
        Value::Array(items) => items.iter().collect(),
        Value::Object(map) => map.values().filter(|v| v.is_object()).collect(),
        _ => Vec::new(),
    }
}

fn offer_from_json(server: &str, item: &Value) -> Option<Offer> {
    let field = |name: &str| item.get(name).and_then(text_of);
    let code = field("id").filter(|c| !c.is_empty())?;
    let sent = field("price")?;
    let sent = sent.trim();
    // A plain decimal in a real range is the price; anything else is kept as sent, marked
    // unusual and never bought at (a bounded excerpt: fields are limited in length already).
    let looks_numeric = sent
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    let (price, price_sent) = match Decimal::from_str(sent) {
        // A price in exponent form is no price a real offer is written with.
        Ok(p) if super::amount::is_usual(p) && !sent.contains(['e', 'E']) => (p, None),
        Ok(p) => (p, Some(sent.to_owned())),
        // An exponent form or a number beyond Decimal: kept as sent. Not a number at all: the
        // offer is unreadable and skipped, as before.
        Err(_) if looks_numeric && !sent.is_empty() => (
            Decimal::from_scientific(sent).unwrap_or(Decimal::ZERO),
            Some(sent.chars().take(40).collect::<String>()),
        ),
        Err(_) => return None,
    };
    let qty = field("qty")
        .or_else(|| field("count"))
        .and_then(|q| q.trim().parse::<f64>().ok())
        .filter(|q| q.is_finite() && *q > 0.0)
        // `as` saturates: a stock too large for u64 reads as the largest, never wraps.
        .map_or(0, |q| {
            #[expect(clippy::cast_possible_truncation, reason = "saturating on purpose")]
            let whole = q as u64;
            whole
        });
    Some(Offer {
        server: server.to_owned(),
        name: field("service")
            .or_else(|| field("name"))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| code.clone()),
        service_code: code,
        price,
        price_sent,
        qty,
        country: field("country").unwrap_or_default(),
        provider: field("provider").unwrap_or_default(),
    })
}

/// A JSON string or number as text.
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// At most [`EXCERPT_CHARS`] characters, control characters made visible.
pub fn excerpt(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(EXCERPT_CHARS)
        .map(|c| {
            if c.is_control() && c != '\n' {
                '�'
            } else {
                c
            }
        })
        .collect();
    if text.chars().nth(EXCERPT_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// An excerpt of an error page: the text of an HTML page without its tags.
fn readable_excerpt(text: &str) -> String {
    let mut plain = String::with_capacity(text.len().min(4096));
    let mut in_tag = false;
    for c in text.chars().take(20_000) {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                plain.push(' ');
            }
            _ if !in_tag => plain.push(c),
            _ => {}
        }
    }
    let collapsed = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    excerpt(&collapsed)
}

#[cfg(test)]
mod tests;
