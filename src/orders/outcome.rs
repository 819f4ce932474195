//! What the provider's answers do to an order, as plain functions: the purchase reply (bought,
//! not bought, not confirmed) and a `setStatus` answer or its failure. The app words them and
//! starts what follows; every row of both is in the tables below.

use crate::api::{ApiError, ProviderError, Purchase, SetStatusReply};

use super::{Millis, Order, OrderState};

/// What a purchase reply proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PurchaseVerdict {
    /// The provider sold a number and named it.
    Bought,
    /// The provider refused in words, or the request provably never left this computer.
    NotBought,
    /// Anything else: the number may have been sold. Never retried; the person settles it.
    NotConfirmed,
}

/// The purchase reply's verdict. Only a refusal in words or a request that never left is "not
/// bought" (`ApiError::is_refusal`); a lost, garbled or unknown answer is "not confirmed".
pub fn purchase_verdict(reply: &Result<Purchase, ApiError>) -> PurchaseVerdict {
    match reply {
        Ok(_) => PurchaseVerdict::Bought,
        Err(e) if e.is_refusal() => PurchaseVerdict::NotBought,
        Err(_) => PurchaseVerdict::NotConfirmed,
    }
}

/// What a `setStatus` answer, or its failure, did to the order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusSetOutcome {
    /// The provider did it (the order applied its reply).
    Done(SetStatusReply),
    /// The order had ended before: closed as this state, with no failure to tell.
    AlreadyEnded(OrderState),
    /// Refused in words, or never sent: nothing happened.
    Refused,
    /// Refused as too early (`EARLY_CANCEL_DENIED`): nothing happened, and the provider's
    /// cancel lock may be longer than the one believed (`learned_cancel_lock`).
    TooEarly,
    /// Sent and the answer lost or not understood: it may have happened; the next poll tells.
    Unclear,
}

/// Applies a `setStatus` answer (or failure) to `order`. `order_now` is the order's own clock
/// (for "not known twice a minute apart"), `wall` the date its end is written with.
pub fn settle_status_set(
    order: &mut Order,
    result: &Result<SetStatusReply, ApiError>,
    order_now: Millis,
    wall: Millis,
    cancel_lock_ms: i64,
) -> StatusSetOutcome {
    let e = match result {
        Ok(reply) => {
            order.apply_set_status(reply, wall);
            return StatusSetOutcome::Done(reply.clone());
        }
        Err(e) => e,
    };
    if matches!(e.provider_error(), Some(ProviderError::EarlyCancelDenied)) {
        return StatusSetOutcome::TooEarly;
    }
    let closed_as = match e.provider_error() {
        Some(ProviderError::AlreadyCancel) => Some(OrderState::Cancelled),
        // Ended only when said twice a minute apart (`Order::not_known`).
        Some(ProviderError::NoActivation) => order
            .not_known(order_now, cancel_lock_ms)
            .then_some(OrderState::Gone),
        _ => None,
    };
    if let Some(state) = closed_as {
        order.close(state, wall);
        return StatusSetOutcome::AlreadyEnded(order.state);
    }
    if e.is_refusal() {
        StatusSetOutcome::Refused
    } else {
        StatusSetOutcome::Unclear
    }
}

/// The cancel lock learnt from an `EARLY_CANCEL_DENIED` to a cancel of an order `age_ms` old,
/// when the lock believed was `current_ms`: the provider's is longer than the order's age, so
/// the next cancel waits a step past it (a quarter of the lock, at least 5 s), never beyond the
/// order's `lifetime_ms`. A refusal within the lock believed, or just after it (a tenth of it,
/// at least 2 s: the provider dates a sale a moment after the app does), teaches nothing.
pub fn learned_cancel_lock(current_ms: i64, age_ms: i64, lifetime_ms: i64) -> i64 {
    let margin = (current_ms / 10).max(2_000);
    if age_ms < current_ms.saturating_add(margin) {
        return current_ms;
    }
    let step = (current_ms / 4).max(5_000);
    age_ms.saturating_add(step).min(lifetime_ms).max(current_ms)
}

#[cfg(test)]
mod lock_tests {
    use super::*;

    /// (the lock believed, the order's age when refused, its lifetime) → the lock learnt.
    #[test]
    fn an_early_cancel_refusal_lengthens_the_lock_past_the_orders_age() {
        let rows = [
            // InstaOTP's usual 2 minutes, refused at 2:15: waits 30 s more.
            (120_000, 135_000, 1_200_000, 165_000),
            // Refused at 2:05: the sale was dated a moment later there; nothing learnt.
            (120_000, 125_000, 1_200_000, 120_000),
            // A short lock believed: at least 5 s more.
            (1_000, 3_200, 1_200_000, 8_200),
            // Refused again later: it grows from there.
            (165_000, 185_000, 1_200_000, 226_250),
            // Never past the order's lifetime.
            (1_000_000, 1_150_000, 1_200_000, 1_200_000),
            // Refused before the lock believed was over (another desk's click): nothing learnt.
            (120_000, 60_000, 1_200_000, 120_000),
        ];
        for (current, age, lifetime, want) in rows {
            assert_eq!(
                learned_cancel_lock(current, age, lifetime),
                want,
                "{current} {age} {lifetime}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::orders::test_support;

    fn word(error: ProviderError) -> ApiError {
        ApiError::provider(error)
    }

    /// Every kind of reply a purchase can get, and what it proves.
    #[test]
    fn every_purchase_reply_has_one_verdict() {
        use PurchaseVerdict::{Bought, NotBought, NotConfirmed};
        let sold = Purchase {
            order_id: "77".into(),
            phone: "+919876543210".into(),
        };
        let rows: Vec<(Result<Purchase, ApiError>, PurchaseVerdict)> = vec![
            (Ok(sold), Bought),
            (Err(word(ProviderError::NoNumbers)), NotBought),
            (Err(word(ProviderError::NoBalance)), NotBought),
            (Err(word(ProviderError::BadKey)), NotBought),
            (Err(word(ProviderError::BadService)), NotBought),
            (Err(word(ProviderError::Banned("2027".into()))), NotBought),
            (
                Err(word(ProviderError::WrongMaxPrice("12".into()))),
                NotBought,
            ),
            (Err(word(ProviderError::TryAgain)), NotBought),
            (Err(word(ProviderError::RateLimit)), NotBought),
            (Err(ApiError::RateLimited { retry_after: None }), NotBought),
            (
                Err(ApiError::Paused {
                    left: Duration::from_secs(3),
                }),
                NotBought,
            ),
            (Err(ApiError::Connect("refused".into())), NotBought),
            (Err(ApiError::Dns("no such host".into())), NotBought),
            (Err(ApiError::Tls("handshake refused".into())), NotBought),
            (Err(ApiError::InvalidUrl("x".into())), NotBought),
            (Err(ApiError::InsecureUrl), NotBought),
            (Err(ApiError::UrlWithExtras), NotBought),
            // The request may have been sold: nothing here proves it was not.
            (Err(word(ProviderError::ErrorSql)), NotConfirmed),
            (
                Err(word(ProviderError::Unknown("SOLD_MAYBE".into()))),
                NotConfirmed,
            ),
            (Err(ApiError::Timeout), NotConfirmed),
            (Err(ApiError::Transport("reset".into())), NotConfirmed),
            (Err(ApiError::Empty), NotConfirmed),
            (Err(ApiError::TooLarge { limit: 1 }), NotConfirmed),
            (
                Err(ApiError::Unexpected {
                    text: "<html>".into(),
                }),
                NotConfirmed,
            ),
            (
                Err(ApiError::HttpStatus {
                    status: 502,
                    excerpt: "Bad gateway".into(),
                }),
                NotConfirmed,
            ),
            (
                Err(ApiError::Redirect {
                    host: "elsewhere.example".into(),
                }),
                NotConfirmed,
            ),
        ];
        for (reply, want) in rows {
            assert_eq!(purchase_verdict(&reply), want, "{reply:?}");
        }
    }

    const LOCK: i64 = 120_000;
    const BOUGHT: Millis = 1_000_000;

    /// An order bought at `BOUGHT`, with a code where asked.
    fn order(code: bool, unknown_since: Option<Millis>) -> Order {
        let mut o = test_support::order("5", "WhatsApp", BOUGHT);
        if code {
            o.code = Some("123456".into());
            o.state = OrderState::CodeReceived;
        }
        o.unknown_since = unknown_since;
        o
    }

    type Answer = Result<SetStatusReply, ApiError>;
    /// The answer, a code seen, a first "not known" (minutes before), what it did, the state.
    type Row = (Answer, bool, Option<i64>, StatusSetOutcome, OrderState);

    /// Every `setStatus` row: the answer, the order before (a code, a first "not known"), and
    /// what it did: the outcome and the order's state after.
    #[test]
    #[allow(clippy::too_many_lines)] // one row per answer, as rustfmt lays them out
    fn every_set_status_answer_row() {
        use OrderState::{
            Cancelled, CodeReceived, EndedWithCode, Finished, Gone, Waiting, WaitingRetry,
        };
        use SetStatusReply as R;
        use StatusSetOutcome::{AlreadyEnded, Done, Refused, TooEarly, Unclear};
        let said = |e: ProviderError| Err(word(e));
        let paused = ApiError::Paused {
            left: Duration::from_secs(9),
        };
        let garbled = ApiError::Unexpected {
            text: "MAYBE".into(),
        };
        let rows: Vec<Row> = vec![
            (Ok(R::Cancelled), false, None, Done(R::Cancelled), Cancelled),
            // A code came in between: never refunded.
            (
                Ok(R::Cancelled),
                true,
                None,
                Done(R::Cancelled),
                EndedWithCode,
            ),
            (Ok(R::Finished), true, None, Done(R::Finished), Finished),
            (
                Ok(R::RetryRequested),
                true,
                None,
                Done(R::RetryRequested),
                WaitingRetry,
            ),
            (Ok(R::Ready), false, None, Done(R::Ready), Waiting),
            (
                said(ProviderError::AlreadyCancel),
                false,
                None,
                AlreadyEnded(Cancelled),
                Cancelled,
            ),
            (
                said(ProviderError::AlreadyCancel),
                true,
                None,
                AlreadyEnded(EndedWithCode),
                EndedWithCode,
            ),
            // Not known once proves nothing; twice a minute apart, the order is gone.
            (
                said(ProviderError::NoActivation),
                false,
                None,
                Refused,
                Waiting,
            ),
            (
                said(ProviderError::NoActivation),
                false,
                Some(61),
                AlreadyEnded(Gone),
                Gone,
            ),
            (
                said(ProviderError::NoActivation),
                false,
                Some(30),
                Refused,
                Waiting,
            ),
            (
                said(ProviderError::EarlyCancelDenied),
                false,
                None,
                TooEarly,
                Waiting,
            ),
            (
                said(ProviderError::BadStatus),
                true,
                None,
                Refused,
                CodeReceived,
            ),
            (Err(paused), false, None, Refused, Waiting),
            (
                Err(ApiError::Connect("refused".into())),
                false,
                None,
                Refused,
                Waiting,
            ),
            (Err(ApiError::Timeout), false, None, Unclear, Waiting),
            (
                Err(ApiError::Transport("reset".into())),
                false,
                None,
                Unclear,
                Waiting,
            ),
            (Err(garbled), true, None, Unclear, CodeReceived),
            (said(ProviderError::ErrorSql), false, None, Unclear, Waiting),
        ];
        let later = BOUGHT + 10 * 60_000;
        for (result, code, unknown_secs_before, want, state) in rows {
            let mut o = order(code, unknown_secs_before.map(|s| later - s * 1000));
            let got = settle_status_set(&mut o, &result, later, later, LOCK);
            let case =
                format!("{result:?}, code {code}, not known {unknown_secs_before:?} s before");
            assert_eq!(got, want, "{case}");
            assert_eq!(o.state, state, "{case}");
            assert_eq!(o.closed_at.is_some(), state.is_final(), "{case}");
        }
    }
}

/// Every `getStatus` answer against the order it reaches, as a table: `Order::apply_status`
/// decides, this checks every row.
#[cfg(test)]
mod get_status_tests {
    use crate::api::OrderStatus as S;
    use crate::orders::test_support;
    use crate::orders::{Millis, Order, OrderState};

    const BOUGHT: Millis = 1_000_000;
    const LIFETIME: i64 = 20 * 60_000;

    /// An order in `state`, with a code where it has one, last looked at a minute ago.
    fn order(state: OrderState) -> Order {
        let mut o = test_support::order("5", "WhatsApp", BOUGHT);
        if matches!(state, OrderState::CodeReceived | OrderState::WaitingRetry) {
            o.code = Some("111111".into());
        }
        if state == OrderState::WaitingRetry {
            o.previous_code = Some("111111".into());
        }
        o.state = state;
        o
    }

    /// The state before, the answer, minutes since the sale → the state after, the code shown,
    /// a raw reply kept.
    type Row = (OrderState, S, i64, OrderState, Option<&'static str>, bool);

    #[test]
    #[allow(clippy::too_many_lines)] // one row per answer, as rustfmt lays them out
    fn every_get_status_answer_row() {
        use OrderState::{
            Cancelled, CodeReceived, EndedWithCode, Expired, Finished, Waiting, WaitingRetry,
        };
        let text_sms = "AMAZON: 482913 is your code";
        let rows: Vec<Row> = vec![
            (Waiting, S::WaitCode, 3, Waiting, None, false),
            (Waiting, S::WaitResend, 3, Waiting, None, false),
            (
                Waiting,
                S::Code("482913".into()),
                3,
                CodeReceived,
                Some("482913"),
                false,
            ),
            // An SMS sent as free text is a code like any other, shown with its text.
            (
                Waiting,
                S::Unrecognised(text_sms.into()),
                3,
                CodeReceived,
                Some(text_sms),
                false,
            ),
            // A word nobody knows: kept raw and shown, the order stays as it was.
            (
                Waiting,
                S::Unrecognised("STATUS_MAYBE".into()),
                3,
                Waiting,
                None,
                true,
            ),
            (
                Waiting,
                S::Unrecognised("<html>".into()),
                3,
                Waiting,
                None,
                true,
            ),
            (Waiting, S::Cancelled, 3, Cancelled, None, false),
            (Waiting, S::Cancelled, 25, Expired, None, false),
            (
                CodeReceived,
                S::Cancelled,
                3,
                EndedWithCode,
                Some("111111"),
                false,
            ),
            (
                CodeReceived,
                S::WaitRetry("111111".into()),
                3,
                WaitingRetry,
                Some("111111"),
                false,
            ),
            // After "another SMS", the old code again is not a new one.
            (
                WaitingRetry,
                S::Code("111111".into()),
                3,
                WaitingRetry,
                Some("111111"),
                false,
            ),
            (
                WaitingRetry,
                S::Code("222222".into()),
                3,
                CodeReceived,
                Some("222222"),
                false,
            ),
            // An ended order is not reopened by a late answer.
            (
                Finished,
                S::Code("333333".into()),
                3,
                Finished,
                Some("111111"),
                false,
            ),
            (Cancelled, S::WaitCode, 3, Cancelled, None, false),
        ];
        for (before, answer, minutes, after, code, raw) in rows {
            let mut o = order(before);
            if before == Finished {
                o.code = Some("111111".into());
            }
            if before.is_final() {
                o.closed_at = Some(BOUGHT);
            }
            let now = BOUGHT + minutes * 60_000;
            o.last_checked = Some(now - 60_000);
            o.apply_status(&answer, now, LIFETIME);
            let case = format!("{before:?} + {answer:?} after {minutes} min");
            assert_eq!(o.state, after, "{case}");
            assert_eq!(o.code.as_deref(), code, "{case}");
            assert_eq!(o.raw_reply.is_some(), raw, "{case}");
            assert_eq!(o.last_checked, Some(now), "{case}: looked at now");
        }
    }
}
