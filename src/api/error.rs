//! Everything that can go wrong with a call, and the sentence staff read about it.

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

    fn message(&self) -> String {
        match self {
            Self::NoApiKey => "No API key was sent. Enter your API key in Settings.".into(),
            Self::BadKey => "InstaOTP did not accept the API key. Copy it again from your InstaOTP account page and paste it in Settings.".into(),
            Self::BadParams => "InstaOTP said the request was incomplete. Refresh the offers and try again.".into(),
            Self::BadAction => "InstaOTP did not recognise the request. The app may be out of date, or the API address in Settings may be wrong.".into(),
            Self::BadService => "This offer is no longer available. Refresh the offers and choose again.".into(),
            Self::BadStatus => "InstaOTP refused this change for the order in its current state. Refresh and check the order.".into(),
            Self::InvalidStatus => "InstaOTP did not accept the way the app asks to cancel or finish. Try the other \"status encoding\" in Settings.".into(),
            Self::NoServices => "InstaOTP has no offers for this choice right now. Try another server or country, or refresh later.".into(),
            Self::NoActivation => "InstaOTP does not know this order any more. It may have been closed on the website.".into(),
            Self::AlreadyCancel => "This order was already cancelled.".into(),
            Self::EarlyCancelDenied => "An order can only be cancelled 2 minutes after it was bought. Wait a little and try again.".into(),
            Self::ErrorSql => "InstaOTP's database had a problem. Wait a minute and try again.".into(),
            Self::NoNumbers => "This offer is sold out. Choose another server or country, or try again later.".into(),
            Self::NoBalance => "Your balance is too low for this purchase. Top up your InstaOTP account, then try again.".into(),
            Self::Banned(until) if until.is_empty() => "InstaOTP has blocked this account. Contact InstaOTP support.".into(),
            Self::Banned(until) => format!("InstaOTP has blocked this account until {until}. Contact InstaOTP support."),
            Self::WrongMaxPrice(min) => format!("The price changed; the lowest price now is {min}. Refresh the offers and try again."),
            Self::TryAgain => "InstaOTP asked to try again in a moment.".into(),
            Self::RateLimit => "Too many requests in a short time. The app will slow down; try again in a minute.".into(),
            Self::Unknown(word) => format!("InstaOTP answered with \"{word}\", which this app does not know. Try again later, or tell support what it said."),
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
    #[error("secure connection failed: {0}")]
    Tls(String),
    #[error("the connection broke: {0}")]
    Transport(String),
    #[error("the API address is not valid: {0}")]
    InvalidUrl(String),
    #[error("plain http is only allowed to this computer")]
    InsecureUrl,
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

    /// True when the request may have reached the provider but its answer was lost: the outcome of
    /// a purchase is then unknown and must not be retried.
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
            | Self::InsecureUrl => true,
            _ => false,
        }
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
            // A 429 is not asked again by the client: the caller waits as long as it was told.
            Self::Timeout | Self::Connect(_) | Self::Transport(_) => true,
            Self::HttpStatus { status, .. } => *status >= 500,
            Self::Provider { error, .. } => matches!(
                error,
                ProviderError::ErrorSql | ProviderError::TryAgain | ProviderError::RateLimit
            ),
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

    /// The sentence shown to staff: what happened and what to do next.
    pub fn user_message(&self) -> String {
        match self {
            Self::Provider { error, details } => {
                let msg = error.message();
                match details {
                    Some(d) if !d.is_empty() => format!("{msg} (InstaOTP says: {d})"),
                    _ => msg,
                }
            }
            Self::RateLimited { retry_after: Some(wait) } => format!(
                "InstaOTP asked the app to slow down (too many requests). The app waits {} seconds before asking again.",
                wait.as_secs()
            ),
            Self::RateLimited { retry_after: None } => "InstaOTP asked the app to slow down (too many requests). Wait a minute; the app asks again on its own.".into(),
            Self::Redirect { host } => format!(
                "InstaOTP's address answered with a redirect to {host}. Check the API address in Settings."
            ),
            Self::HttpStatus { status, excerpt } if *status >= 500 => format!(
                "InstaOTP's server has a problem (error {status}). Try again in a few minutes. It said: {excerpt}"
            ),
            Self::HttpStatus { status, excerpt } => format!(
                "InstaOTP answered with error {status}. Check the API address in Settings. It said: {excerpt}"
            ),
            Self::Unexpected { text } => format!(
                "InstaOTP sent a reply this app does not understand. Try again later. The reply was: {text}"
            ),
            Self::Empty => "InstaOTP sent an empty reply. Try again in a moment.".into(),
            Self::TooLarge { .. } => "InstaOTP sent a reply far larger than expected, so the app ignored it. Try again later.".into(),
            Self::Timeout => "InstaOTP did not answer in time. Check your internet connection and try again.".into(),
            Self::Connect(_) => "Could not connect to InstaOTP. Check your internet connection; if it works, InstaOTP may be down, so try again later.".into(),
            Self::Dns(_) => "InstaOTP's server could not be found. Check your internet connection and the API address in Settings.".into(),
            Self::Tls(_) => "A secure connection to InstaOTP could not be made. Check the computer's date and time, or ask your IT support.".into(),
            Self::Transport(_) => "The connection to InstaOTP broke before the answer arrived. Check your internet connection and try again.".into(),
            Self::InvalidUrl(_) => "The API address in Settings is not a valid web address. Correct it or reset it to the default.".into(),
            Self::InsecureUrl => "The API address must start with https:// (plain http is only allowed for this computer). Correct it in Settings.".into(),
        }
    }
}
