//! Which sentence tells a domain value: an error, an order's state, a column, a delivery record.
//! The words themselves are in `text`, which knows none of these types; here each value picks
//! its sentence and gives it the figures it needs. Screens and the app call these the way they
//! call `text`.

use crate::api::{ApiError, Balance, Offer, ProviderError, SetAction};
use crate::offers::{Column, OfferDelivery};
use crate::orders::delivery::Record;
use crate::orders::evidence::BalanceEvidence;
use crate::orders::export::ExportFormat;
use crate::orders::history::Period;
use crate::orders::{Order, OrderState};
use crate::platform::keychain::KeychainError;
use crate::platform::notify::NotifyError;
use crate::settings::SettingsWarning;
use crate::text::{self, Currency};
use crate::updates::UpdateError;
use crate::vocab::{Copied, MessageKind, NoReplacement};

/// What an order cost: InstaOTP's charge, or the list price said as such.
pub fn charge(order: &Order, currency: &Currency) -> String {
    match order.charged {
        Some(charged) => text::money(charged, currency),
        // Nothing was charged for a number not bought: its price is only what was asked for.
        None if order.state == OrderState::NotBought => text::money(order.price, currency),
        None => text::list_price(&text::money(order.price, currency)),
    }
}

/// A balance as shown: the amount and currency, or what was sent and a warning when it is
/// outside any real range.
pub fn balance(b: &Balance, currency: &Currency) -> String {
    if b.is_unusual() {
        text::unusual_amount(b)
    } else {
        text::money(b.amount, currency)
    }
}

/// An offer's price as shown: the amount, or what was sent and a warning when it is unusual.
pub fn price(offer: &Offer, currency: &Currency) -> String {
    match &offer.price_sent {
        Some(sent) => text::unusual_amount(sent),
        None if !crate::api::amount::is_usual(offer.price) => text::unusual_amount(&offer.price),
        None => text::money(offer.price, currency),
    }
}

/// Why the key could not go into the keychain.
pub fn keychain_save_failed(e: &KeychainError) -> &'static str {
    match e {
        KeychainError::Unavailable(_) => text::KEYCHAIN_LOCKED_ON_SAVE,
        KeychainError::Failed(_) => text::KEYCHAIN_FAILED,
    }
}

pub fn column(c: Column) -> &'static str {
    match c {
        Column::Service => text::COLUMN_SERVICE,
        Column::Code => text::COLUMN_CODE,
        Column::Country => text::COLUMN_COUNTRY,
        Column::Server => text::COLUMN_SERVER,
        Column::Provider => text::COLUMN_PROVIDER,
        Column::Price => text::COLUMN_PRICE,
        Column::Stock => text::COLUMN_STOCK,
        Column::Delivery => text::COLUMN_DELIVERY,
    }
}

/// The sort picker's shown choice: "Price ⏶" (lowest first) or "Price ⏷".
pub fn sorted_by(c: Column, ascending: bool) -> String {
    text::sorted_by(column(c), ascending)
}

// --- the delivery record -------------------------------------------------------------------------

/// The record's figures, as `text` words them.
fn delivered(r: &Record) -> text::Delivered {
    text::Delivered {
        orders: r.orders,
        got_code: r.got_code,
        median_secs: r.median_secs,
        enough: r.is_shown(),
        fresh: r.fresh,
    }
}

/// The Delivery cell: "11/12 · 40 s", "0/2"; "no record yet" when no number has ended.
pub fn delivery_cell(record: Option<&Record>) -> String {
    text::delivery_cell(record.map(delivered))
}

/// The Delivery cell in words (its tooltip).
pub fn delivery_words(r: &Record) -> String {
    text::delivery_words(&delivered(r))
}

/// The delivery part of an offer row's accessible description (empty when never bought).
pub fn delivery_spoken(d: &OfferDelivery) -> String {
    text::delivery_spoken(d.record.as_ref().map(delivered), d.best_value)
}

/// The confirmation's sentence about the server's record; `None` when never bought there.
pub fn delivery_sentence(server: &str, d: &OfferDelivery) -> Option<String> {
    text::delivery_sentence(server, d.record.as_ref().map(delivered), d.best_value)
}

/// The button offered with a refusal for stock or price: "Buy on server 2 for ₹11.00 instead
/// (got a code 9 of 10)".
pub fn buy_instead(offer: &Offer, price: &str, delivery: &OfferDelivery) -> String {
    text::buy_instead(
        &offer.server,
        price,
        delivery.record.as_ref().map(delivered),
    )
}

/// As [`buy_instead`], another provider's offer.
pub fn buy_instead_from(
    provider: &str,
    offer: &Offer,
    price: &str,
    delivery: &OfferDelivery,
) -> String {
    text::buy_instead_from(
        provider,
        &offer.server,
        price,
        delivery.record.as_ref().map(delivered),
    )
}

pub fn other_provider_hint(provider: &str, offer: &Offer, price: &str) -> String {
    text::other_provider_hint(provider, &offer.server, price)
}

pub fn other_server_hint(offer: &Offer, price: &str) -> String {
    text::other_server_hint(&offer.server, price)
}

// --- orders --------------------------------------------------------------------------------------

/// The state of an order in a few words (cards, history, the CSV export).
pub fn order_state(state: OrderState) -> &'static str {
    match state {
        OrderState::Waiting => text::STATE_WAITING,
        OrderState::CodeReceived => text::STATE_CODE_RECEIVED,
        OrderState::WaitingRetry => text::STATE_WAITING_RETRY,
        OrderState::Finished => text::STATE_FINISHED,
        OrderState::Cancelled => text::STATE_CANCELLED,
        OrderState::Expired => text::STATE_EXPIRED,
        OrderState::Gone => text::STATE_GONE,
        OrderState::EndedRefundUnconfirmed => text::STATE_ENDED_REFUND_UNCONFIRMED,
        OrderState::EndedWithCode => text::STATE_ENDED_WITH_CODE,
        OrderState::NotConfirmed => text::STATE_NOT_CONFIRMED,
        OrderState::NotBought => text::STATE_NOT_BOUGHT,
    }
}

/// An order's state as the history shows it: "Not bought (by you)" when the person said so.
pub fn order_state_of(order: &Order) -> &'static str {
    if order.by_user && order.state == OrderState::NotBought {
        text::STATE_NOT_BOUGHT_BY_YOU
    } else {
        order_state(order.state)
    }
}

/// The history's status of an order, with why it was replaced or what it replaces; `called`
/// names another order (by its number: `text::order_called`).
pub fn history_state(order: &Order, called: impl Fn(&str) -> String) -> String {
    let state = order_state_of(order);
    match (
        &order.replaced_by,
        order.no_code_after_secs,
        &order.replaces,
    ) {
        (Some(new), Some(secs), _) => text::replaced_after(state, secs, &called(new)),
        (None, Some(secs), _) => text::no_code_within(state, secs),
        (_, None, Some(old)) => text::replaces(state, &called(old)),
        _ => state.to_owned(),
    }
}

pub fn period(p: Period) -> &'static str {
    match p {
        Period::All => text::PERIOD_ALL,
        Period::LastDay => text::PERIOD_LAST_DAY,
        Period::LastWeek => text::PERIOD_LAST_WEEK,
        Period::LastMonth => text::PERIOD_LAST_MONTH,
        Period::Between { .. } => text::PERIOD_BETWEEN,
    }
}

/// The title of the "Save as" dialog of an export.
pub fn export_title(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Csv => text::EXPORT_TITLE_CSV,
        ExportFormat::Xlsx => text::EXPORT_TITLE_XLSX,
    }
}

/// What the balance did since a purchase was asked for, and what that proves.
pub fn balance_evidence(evidence: BalanceEvidence, currency: &Currency) -> String {
    let money = |down| text::money(down, currency);
    match evidence {
        BalanceEvidence::Unknown => text::BALANCE_SINCE_UNKNOWN.to_owned(),
        BalanceEvidence::ProbablyBought { down } => text::balance_probably_bought(&money(down)),
        BalanceEvidence::ProbablyNotBought => text::BALANCE_PROBABLY_NOT_BOUGHT.to_owned(),
        BalanceEvidence::LessThanThePrice { down } => {
            text::balance_down_less_than_price(&money(down))
        }
        BalanceEvidence::OthersMayExplain { down } if down > rust_decimal::Decimal::ZERO => {
            text::balance_down_others_may_explain(&money(down))
        }
        BalanceEvidence::OthersMayExplain { .. } => text::BALANCE_OTHERS_MAY_HIDE.to_owned(),
    }
}

/// What a status change does, as a verb ("Could not cancel …").
fn status_verb(action: SetAction) -> &'static str {
    match action {
        SetAction::Cancel => text::VERB_CANCEL,
        SetAction::Finish => text::VERB_FINISH,
        SetAction::AnotherSms => text::VERB_ANOTHER_SMS,
        SetAction::Ready => text::VERB_CONFIRM,
    }
}

/// InstaOTP refused the change, or it never left this computer: nothing happened.
pub fn status_change_failed(action: SetAction, what: &str, message: &str) -> String {
    text::status_change_failed(status_verb(action), what, message)
}

/// The request went out and its answer was lost: the change may have happened.
pub fn status_change_unclear(action: SetAction, what: &str, message: &str) -> String {
    text::status_change_unclear(status_verb(action), what, message)
}

/// What was copied, said with its value and its service: "Copied 540802 (Telegram)."
pub fn copied(what: Copied, value: &str, of: &str) -> String {
    match what {
        Copied::Number => text::copied_number(value, of),
        Copied::NumberWithoutCountryCode => text::copied_without_country_code(value, of),
        Copied::Code => text::copied_code(value, of),
    }
}

pub fn not_replaced(phone: &str, why: NoReplacement) -> String {
    let why = match why {
        NoReplacement::AllUsed => text::NOT_REPLACED_ALL_USED,
        NoReplacement::NoServer => text::NOT_REPLACED_NO_SERVER,
        NoReplacement::OverLimit => text::NOT_REPLACED_OVER_LIMIT,
    };
    text::not_replaced(phone, why)
}

/// The word before a message, by its kind.
pub fn message_title(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Info => text::MESSAGE_INFO,
        MessageKind::Success => text::MESSAGE_SUCCESS,
        MessageKind::Warning => text::MESSAGE_WARNING,
        MessageKind::Error => text::MESSAGE_ERROR,
    }
}

// --- the computer, settings, updates ----------------------------------------------------------

/// Desktop notifications cannot be shown on this computer (no service, or turned off). In words
/// only: the system's own error goes to the log.
pub fn notifications_unavailable(e: &NotifyError) -> String {
    let why = match e {
        NotifyError::Service(_) => text::NO_NOTIFICATION_SERVICE.to_owned(),
        NotifyError::Unsupported => text::NO_KNOWN_NOTIFICATION_SERVICE.to_owned(),
        NotifyError::TurnedOff(where_) => text::notifications_turned_off(where_),
    };
    text::notifications_unavailable(&why)
}

pub fn settings_warning(w: &SettingsWarning) -> String {
    match w {
        SettingsWarning::Unreadable {
            kept_as: Some(path),
        } => text::settings_unreadable_kept(path),
        SettingsWarning::Unreadable { kept_as: None } => text::SETTINGS_UNREADABLE.to_owned(),
        SettingsWarning::NotOpened(kind) => text::settings_not_opened(kind),
    }
}

pub fn update_check_failed(e: &UpdateError) -> String {
    match e {
        UpdateError::NotConfigured => text::UPDATES_NOT_BUILT_IN,
        UpdateError::Unreachable(_) => text::UPDATE_UNREACHABLE,
        UpdateError::BadSignature | UpdateError::NotAFeed => text::UPDATE_FEED_IGNORED,
        UpdateError::Incomplete { .. } => text::UPDATE_INCOMPLETE,
        UpdateError::WrongFile => text::UPDATE_WRONG_FILE,
        UpdateError::Disk(_) => text::UPDATE_NOT_SAVED,
    }
    .to_owned()
}

/// The browser could not open the provider's website: where to go by hand.
pub fn website_not_opened(e: &dyn std::fmt::Display) -> String {
    text::website_not_opened(e, crate::api::WEBSITE)
}

// --- InstaOTP's answers --------------------------------------------------------------------------

/// As [`api_error`], without the reply itself: for a message that shows the reply apart, once,
/// under "Details".
pub fn api_error_brief(e: &ApiError) -> String {
    match e {
        ApiError::HttpStatus { status, .. } if *status >= 500 => text::server_problem(*status),
        ApiError::HttpStatus { status, .. } => text::http_error(*status),
        ApiError::Unexpected { .. } => text::REPLY_NOT_UNDERSTOOD.to_owned(),
        ApiError::Provider {
            error: ProviderError::Unknown(_),
            ..
        } => text::UNKNOWN_WORD_BRIEF.to_owned(),
        _ => api_error(e),
    }
}

/// The sentence shown to staff about a failed call: what happened and what to do next.
pub fn api_error(e: &ApiError) -> String {
    match e {
        ApiError::Provider { error, details } => {
            let sentence = provider_error(error);
            match details {
                Some(d) if !d.is_empty() => text::provider_says(&sentence, d),
                _ => sentence,
            }
        }
        ApiError::RateLimited {
            retry_after: Some(wait),
        } => text::rate_limited_for(wait.as_secs()),
        ApiError::Paused { left } => {
            text::paused_not_sent(i64::try_from(left.as_millis()).unwrap_or(i64::MAX))
        }
        ApiError::RateLimited { retry_after: None } => text::RATE_LIMITED.to_owned(),
        ApiError::Redirect { host } => text::redirected_to(host),
        ApiError::HttpStatus { status, excerpt } if *status >= 500 => {
            text::it_said(&text::server_problem(*status), excerpt)
        }
        ApiError::HttpStatus { status, excerpt } => {
            text::it_said(&text::http_error(*status), excerpt)
        }
        ApiError::Unexpected { text: reply } => {
            text::the_reply_was(text::REPLY_NOT_UNDERSTOOD, reply)
        }
        ApiError::Empty => text::EMPTY_REPLY.to_owned(),
        ApiError::TooLarge { .. } => text::REPLY_TOO_LARGE.to_owned(),
        ApiError::Timeout => text::TIMED_OUT.to_owned(),
        ApiError::Connect(_) => text::NOT_CONNECTED_TO_PROVIDER.to_owned(),
        ApiError::Dns(_) => text::SERVER_NOT_FOUND.to_owned(),
        ApiError::Tls(_) => text::NOT_SECURE.to_owned(),
        ApiError::Transport(_) => text::CONNECTION_BROKE.to_owned(),
        ApiError::InvalidUrl(_) => text::ADDRESS_INVALID.to_owned(),
        ApiError::InsecureUrl => text::ADDRESS_NOT_HTTPS.to_owned(),
        ApiError::UrlWithExtras => text::ADDRESS_WITH_EXTRAS.to_owned(),
    }
}

/// InstaOTP's refusal, word by word.
fn provider_error(error: &ProviderError) -> String {
    let sentence = match error {
        ProviderError::NoApiKey | ProviderError::BadKey => text::KEY_REFUSED,
        ProviderError::BadParams => text::REFUSED_BAD_PARAMS,
        ProviderError::BadAction => text::REFUSED_BAD_ACTION,
        ProviderError::BadService => text::REFUSED_BAD_SERVICE,
        ProviderError::BadStatus => text::REFUSED_BAD_STATUS,
        ProviderError::InvalidStatus => text::REFUSED_INVALID_STATUS,
        ProviderError::NoServices => text::REFUSED_NO_SERVICES,
        ProviderError::NoActivation => text::REFUSED_NO_ACTIVATION,
        ProviderError::AlreadyCancel => text::REFUSED_ALREADY_CANCEL,
        ProviderError::EarlyCancelDenied => text::REFUSED_EARLY_CANCEL,
        ProviderError::ErrorSql => text::REFUSED_ERROR_SQL,
        ProviderError::NoNumbers => text::REFUSED_NO_NUMBERS,
        ProviderError::NoBalance => text::REFUSED_NO_BALANCE,
        ProviderError::Banned(until) if until.is_empty() => text::REFUSED_BANNED,
        ProviderError::Banned(until) => return text::refused_banned_until(until),
        ProviderError::WrongMaxPrice(min) => return text::refused_wrong_max_price(min),
        ProviderError::TryAgain => text::REFUSED_TRY_AGAIN,
        ProviderError::RateLimit => text::REFUSED_RATE_LIMIT,
        ProviderError::Unknown(word) => return text::refused_unknown_word(word),
    };
    sentence.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_was_copied_is_said_with_its_value_and_service() {
        assert_eq!(
            copied(Copied::Code, "540802", "Telegram"),
            "Copied 540802 (Telegram)."
        );
        assert_eq!(
            copied(Copied::Number, "+918619205141", "WhatsApp"),
            "Copied +91 86192 05141 (WhatsApp)."
        );
        assert_eq!(
            copied(Copied::NumberWithoutCountryCode, "8619205141", ""),
            "Copied 8619205141 without the country code."
        );
    }

    #[test]
    fn a_refusal_keeps_what_instaotp_added_and_an_unknown_word_is_shown_raw() {
        let e = ApiError::Provider {
            error: ProviderError::NoNumbers,
            details: Some("server 2".into()),
        };
        assert_eq!(
            api_error(&e),
            format!("{} (InstaOTP says: server 2)", text::REFUSED_NO_NUMBERS)
        );
        let e = ApiError::Provider {
            error: ProviderError::Unknown("MAINTENANCE".into()),
            details: None,
        };
        assert!(api_error(&e).contains("\"MAINTENANCE\""));
        assert_eq!(api_error_brief(&e), text::UNKNOWN_WORD_BRIEF);
        let e = ApiError::HttpStatus {
            status: 502,
            excerpt: "Bad gateway".into(),
        };
        assert_eq!(
            api_error(&e),
            "InstaOTP's server has a problem (error 502). Try again in a few minutes. It said: Bad gateway"
        );
    }
}
