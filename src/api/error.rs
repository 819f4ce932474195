//! Everything that can go wrong with a call. The sentences staff read about each are in
//! `crate::text`, outside the protocol layer.

use std::time::Duration;

use thiserror::Error;

/// How long polls pause after a rate limit that did not say how long.
pub const DEFAULT_RATE_LIMIT_PAUSE: Duration = Duration::from_secs(15);

/// An error word the provider answered with (`BAD_KEY`, `NO_BALANCE`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderError {
    NoApiKey,
    BadKey,
    BadParams,
    BadAction,
    BadService,
    BadStatus,
    InvalidStatus,
    NoServices,
    NoActivation,
    AlreadyCancel,
    EarlyCancelDenied,
    ErrorSql,
    NoNumbers,
    NoBalance,
    /// `BANNED:'<until>'`: the account is blocked until the given time.
    Banned(String),
    /// `WRONG_MAX_PRICE:<min>`.
    WrongMaxPrice(String),
    TryAgain,
    RateLimit,
    /// Any other all-capitals word: kept as received.
    Unknown(String),
}

impl ProviderError {
    /// Recognises an error reply such as `BAD_KEY` or `BANNED:'2026-01-01'`. `None` when `text` is not
    /// an error word at all.
    pub fn from_reply(text: &str) -> Option<Self> {
        let (word, rest) = match text.split_once(':') {
            Some((w, r)) => (w.trim(), Some(r.trim())),
            None => (text.trim(), None),
        };
        let arg = || {
            rest.unwrap_or_default()
                .trim_matches(['\'', '"'])
                .to_owned()
        };
        let known = match word {
            "NO_API_KEY" => Self::NoApiKey,
            "BAD_KEY" => Self::BadKey,
            "BAD_PARAMS" => Self::BadParams,
            "BAD_ACTION" => Self::BadAction,
            "BAD_SERVICE" => Self::BadService,
            "BAD_STATUS" => Self::BadStatus,
            "INVALID_STATUS" => Self::InvalidStatus,
            "NO_SERVICES" => Self::NoServices,
            "NO_ACTIVATION" => Self::NoActivation,
            "ALREADY_CANCEL" => Self::AlreadyCancel,
            "EARLY_CANCEL_DENIED" => Self::EarlyCancelDenied,
            "ERROR_SQL" => Self::ErrorSql,
            "NO_NUMBERS" => Self::NoNumbers,
            "NO_BALANCE" => Self::NoBalance,
            "BANNED" => Self::Banned(arg()),
            "WRONG_MAX_PRICE" => Self::WrongMaxPrice(arg()),
            "TRY_AGAIN" => Self::TryAgain,
            "RATE_LIMIT" => Self::RateLimit,
            _ => return None,
        };
        Some(known)
    }

    /// The word as the provider spells it.
    pub fn word(&self) -> &str {
        match self {
            Self::NoApiKey => "NO_API_KEY",
            Self::BadKey => "BAD_KEY",
            Self::BadParams => "BAD_PARAMS",
            Self::BadAction => "BAD_ACTION",
            Self::BadService => "BAD_SERVICE",
            Self::BadStatus => "BAD_STATUS",
            Self::InvalidStatus => "INVALID_STATUS",
            Self::NoServices => "NO_SERVICES",
            Self::NoActivation => "NO_ACTIVATION",
            Self::AlreadyCancel => "ALREADY_CANCEL",
            Self::EarlyCancelDenied => "EARLY_CANCEL_DENIED",
            Self::ErrorSql => "ERROR_SQL",
            Self::NoNumbers => "NO_NUMBERS",
            Self::NoBalance => "NO_BALANCE",
            Self::Banned(_) => "BANNED",
            Self::WrongMaxPrice(_) => "WRONG_MAX_PRICE",
            Self::TryAgain => "TRY_AGAIN",
            Self::RateLimit => "RATE_LIMIT",
            Self::Unknown(word) => word,
        }
    }
}

/// Why a call did not give the answer the app asked for.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ApiError {
    #[error("provider error {}", .error.word())]
    Provider {
        error: ProviderError,
        /// The `details` of a JSON error envelope, when there was one.
        details: Option<String>,
    },
    #[error("HTTP 429: too many requests")]
    RateLimited {
        /// What the server asked for (`Retry-After` or `retry_after_seconds`), bounded.
        retry_after: Option<Duration>,
    },
    /// The address answered with a redirect the app does not follow (another origin, or https
    /// to http): the key is never sent there.
    #[error("redirect to {host}")]
    Redirect { host: String },
    #[error("HTTP {status}: {excerpt}")]
    HttpStatus { status: u16, excerpt: String },
    #[error("unexpected reply: {text}")]
    Unexpected { text: String },
    #[error("the reply was empty")]
    Empty,
    #[error("the reply was larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("no reply within the time limit")]
    Timeout,
    #[error("could not connect: {0}")]
    Connect(String),
    #[error("the name of the server could not be found: {0}")]
    Dns(String),
    /// The secure connection could not be set up (before the request was written).
    #[error("secure connection failed: {0}")]
    Tls(String),
    #[error("the connection broke: {0}")]
    Transport(String),
    #[error("the API address is not valid: {0}")]
    InvalidUrl(String),
    #[error("plain http is only allowed to this computer")]
    InsecureUrl,
    /// Not sent: the app is waiting out a "too many requests" for this much longer. A purchase or
    /// a cancel never waits behind such a pause unseen.
    #[error("not sent: paused after too many requests, {} s left", .left.as_secs())]
    Paused { left: Duration },
    /// The address carries a query, a fragment or a user (never echoed: a key may be in it).
    #[error("the API address has a query, a fragment or a user name")]
    UrlWithExtras,
}

impl ApiError {
    /// A provider error word.
    pub fn provider(error: ProviderError) -> Self {
        Self::Provider {
            error,
            details: None,
        }
    }

    pub fn provider_error(&self) -> Option<&ProviderError> {
        match self {
            Self::Provider { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The provider clearly did not sell (or the request never left this computer): a purchase
    /// that failed so is "not bought". Anything else (a time-out, a broken connection, a 5xx or
    /// HTML page, a reply cut off or not understood) may hide a sale.
    pub fn is_refusal(&self) -> bool {
        match self {
            Self::Provider { error, .. } => {
                !matches!(error, ProviderError::ErrorSql | ProviderError::Unknown(_))
            }
            Self::RateLimited { .. }
            | Self::Connect(_)
            | Self::Dns(_)
            | Self::Tls(_)
            | Self::InvalidUrl(_)
            | Self::InsecureUrl
            | Self::UrlWithExtras
            | Self::Paused { .. } => true,
            _ => false,
        }
    }

    /// The provider refused a purchase for stock or price (`NO_NUMBERS`, `WRONG_MAX_PRICE`): the
    /// same service may be bought on another server.
    pub fn is_out_of_stock_or_price(&self) -> bool {
        matches!(
            self.provider_error(),
            Some(ProviderError::NoNumbers | ProviderError::WrongMaxPrice(_))
        )
    }

    /// The reply behind an error the app did not understand, to keep and show as it came.
    pub fn raw_reply(&self) -> Option<String> {
        match self {
            Self::Unexpected { text } => Some(text.clone()),
            Self::HttpStatus { excerpt, .. } => Some(excerpt.clone()),
            Self::Provider {
                error: ProviderError::Unknown(word),
                ..
            } => Some(word.clone()),
            _ => None,
        }
    }

    /// True when the request may have reached the provider but its answer was lost: the outcome of
    /// a purchase is then unknown and must not be retried.
    pub fn reply_lost(&self) -> bool {
        matches!(self, Self::Timeout | Self::Transport(_) | Self::Empty)
    }

    /// True for a failure to reach the provider at all (network or provider down).
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            Self::Timeout | Self::Connect(_) | Self::Dns(_) | Self::Tls(_) | Self::Transport(_)
        ) || matches!(self, Self::HttpStatus { status, .. } if *status >= 500)
    }

    /// Worth asking again after a pause (reads only; a purchase is never retried).
    pub fn is_transient(&self) -> bool {
        match self {
            // A rate limit (a 429 or the provider's word) is not asked again by the client: the
            // whole request budget waits as long as it was told.
            Self::Timeout | Self::Connect(_) | Self::Transport(_) => true,
            Self::HttpStatus { status, .. } => *status >= 500,
            Self::Provider { error, .. } => {
                matches!(error, ProviderError::ErrorSql | ProviderError::TryAgain)
            }
            _ => false,
        }
    }

    /// How long every poll pauses after this error: what a 429 asked for, a default for the
    /// provider's "slow down" words; `None` for any other error.
    pub fn retry_pause(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after } => {
                Some(retry_after.unwrap_or(DEFAULT_RATE_LIMIT_PAUSE))
            }
            Self::Provider {
                error: ProviderError::RateLimit | ProviderError::ErrorSql | ProviderError::TryAgain,
                ..
            } => Some(DEFAULT_RATE_LIMIT_PAUSE),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(reply: &str) -> ApiError {
        ApiError::provider(
            ProviderError::from_reply(reply)
                .unwrap_or_else(|| ProviderError::Unknown(reply.to_owned())),
        )
    }

    #[test]
    fn every_refusal_word_is_a_refusal() {
        for reply in [
            "NO_API_KEY",
            "BAD_KEY",
            "BAD_PARAMS",
            "BAD_ACTION",
            "BAD_SERVICE",
            "NO_NUMBERS",
            "NO_BALANCE",
            "BANNED:'2026-12-31 23:59:59'",
            "WRONG_MAX_PRICE:15.00",
            "TRY_AGAIN",
            "RATE_LIMIT",
        ] {
            assert!(word(reply).is_refusal(), "{reply}");
        }
        assert!(ApiError::RateLimited { retry_after: None }.is_refusal());
        // Never left this computer.
        assert!(ApiError::Connect("refused".into()).is_refusal());
        assert!(ApiError::Dns("no such host".into()).is_refusal());
        assert!(ApiError::InsecureUrl.is_refusal());
    }

    #[test]
    fn anything_that_may_hide_a_sale_is_not_a_refusal() {
        let unclear = [
            word("ERROR_SQL"),
            word("SERVER_BUSY"),
            ApiError::HttpStatus {
                status: 502,
                excerpt: "<html>Bad Gateway</html>".into(),
            },
            ApiError::HttpStatus {
                status: 500,
                excerpt: String::new(),
            },
            ApiError::Unexpected {
                text: "ACCESS_NUMBER:123".into(),
            },
            ApiError::Empty,
            ApiError::TooLarge { limit: 1 << 20 },
            ApiError::Timeout,
            ApiError::Transport("reset".into()),
            ApiError::Redirect {
                host: "elsewhere.example".into(),
            },
        ];
        for e in unclear {
            assert!(!e.is_refusal(), "{e}");
        }
    }

    #[test]
    fn an_unknown_word_is_kept_as_it_came() {
        let e = word("SERVER_BUSY");
        assert_eq!(e.raw_reply().as_deref(), Some("SERVER_BUSY"));
        assert_eq!(word("BAD_KEY").raw_reply(), None);
    }
}
