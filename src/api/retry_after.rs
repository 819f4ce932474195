//! How long a 429 asks the app to wait: the `Retry-After` header (seconds or an HTTP date) or the
//! JSON `retry_after_seconds` some providers of the family send.

use std::time::Duration;

use serde_json::Value;

/// The longest wait taken from a server; a larger one (or a date years ahead) is cut to this, so a
/// hostile or mistaken reply stops the app for minutes, not an hour.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(5 * 60);

/// `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`, seen at `now`.
pub fn from_header(value: &str, now: jiff::Timestamp) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // All digits but too many for a u64 is still "a very long time".
        let secs = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(bounded(secs));
    }
    static PARSER: jiff::fmt::rfc2822::DateTimeParser = jiff::fmt::rfc2822::DateTimeParser::new();
    let at = PARSER.parse_timestamp(value).ok()?;
    let secs = at.as_second().saturating_sub(now.as_second()).max(0);
    Some(bounded(secs.unsigned_abs()))
}

/// `{"title": "RATE_LIMIT", "retry_after_seconds": 30}` (a number or a numeric string).
pub fn from_json(body: &str) -> Option<Duration> {
    if !body.trim_start().starts_with('{') {
        return None;
    }
    let value: Value = serde_json::from_str(body).ok()?;
    let secs = match value.get("retry_after_seconds")? {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    if !secs.is_finite() || secs < 0.0 {
        return None;
    }
    // Whole seconds, rounded up; `as` saturates for anything past u64.
    #[expect(clippy::cast_possible_truncation, reason = "saturating on purpose")]
    let whole = secs.ceil() as u64;
    Some(bounded(whole))
}

fn bounded(secs: u64) -> Duration {
    Duration::from_secs(secs).min(MAX_RETRY_AFTER)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> jiff::Timestamp {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn seconds_dates_and_json() {
        let now = at("2015-10-21T07:27:00Z");
        assert_eq!(from_header(" 7 ", now), Some(Duration::from_secs(7)));
        assert_eq!(
            from_header("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            from_header("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO),
            "a date already past"
        );
        assert_eq!(
            from_header("99999999999999999999999", now),
            Some(MAX_RETRY_AFTER)
        );
        assert_eq!(
            from_header("Thu, 01 Jan 2099 00:00:00 GMT", now),
            Some(MAX_RETRY_AFTER)
        );
        assert_eq!(from_header("soon", now), None);
        assert_eq!(from_header("-5", now), None);
        assert_eq!(
            from_json(r#"{"title":"RATE_LIMIT","retry_after_seconds":30}"#),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            from_json(r#"{"retry_after_seconds":"2.5"}"#),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            from_json(r#"{"retry_after_seconds":1e300}"#),
            Some(MAX_RETRY_AFTER)
        );
        assert_eq!(from_json(r#"{"retry_after_seconds":-1}"#), None);
        assert_eq!(from_json(r#"{"title":"RATE_LIMIT"}"#), None);
        assert_eq!(from_json("RATE_LIMIT"), None);
    }
}
