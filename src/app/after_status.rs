//! What follows a status answer that changed an order, decided as a plain function of the
//! order before and after: `Session::status_answered` runs the steps in order. Every row is in the
//! table below.

use crate::orders::{Order, OrderState};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StatusStep {
    /// The order is written (state, code or the reply kept changed).
    Save,
    /// A new code: its time is noted on the order's clock and the typical delays learnt again.
    NoteCodeTime,
    /// "Expired, refunded": said, as a passing message.
    SayExpired,
    /// The provider ended it: money may have moved.
    RefreshBalance,
    /// A new code: notification, sound, the tab, automatic copy (`App::code_arrived`).
    TellCode,
}

/// The steps after a status answer turned `before` into `after`; none when nothing a person
/// or the database sees changed.
pub(crate) fn after_status(before: &Order, after: &Order) -> Vec<StatusStep> {
    let changed = after.state != before.state
        || after.code != before.code
        || after.raw_reply != before.raw_reply;
    if !changed {
        return Vec::new();
    }
    let new_code = after.code.is_some() && after.code != before.code;
    let mut steps = vec![StatusStep::Save];
    if new_code {
        steps.push(StatusStep::NoteCodeTime);
    }
    if after.state == OrderState::Expired {
        steps.push(StatusStep::SayExpired);
    }
    if after.state.is_final() {
        steps.push(StatusStep::RefreshBalance);
    }
    if new_code {
        steps.push(StatusStep::TellCode);
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::OrderStatus as S;
    use crate::orders::test_support;
    use StatusStep::{NoteCodeTime, RefreshBalance, Save, SayExpired, TellCode};

    const BOUGHT: i64 = 1_000_000;
    const LIFETIME: i64 = 20 * 60_000;

    /// (the order before: a code, "another SMS" asked; the answer; minutes since the sale) →
    /// the steps.
    #[test]
    fn every_status_answer_row() {
        let rows: Vec<(Option<&str>, S, i64, Vec<StatusStep>)> = vec![
            (None, S::WaitCode, 3, vec![]),
            (
                None,
                S::Code("482913".into()),
                3,
                vec![Save, NoteCodeTime, TellCode],
            ),
            (Some("482913"), S::Code("482913".into()), 3, vec![]),
            (
                Some("482913"),
                S::Code("555555".into()),
                3,
                vec![Save, NoteCodeTime, TellCode],
            ),
            (None, S::Unrecognised("STATUS_MAYBE".into()), 3, vec![Save]),
            (None, S::Cancelled, 3, vec![Save, RefreshBalance]),
            (
                None,
                S::Cancelled,
                25,
                vec![Save, SayExpired, RefreshBalance],
            ),
            // A code was seen: ended with it, never "expired, refunded".
            (Some("482913"), S::Cancelled, 25, vec![Save, RefreshBalance]),
            (Some("482913"), S::WaitRetry("482913".into()), 3, vec![Save]),
        ];
        for (code, answer, minutes, want) in rows {
            let mut before = test_support::order("5", "WhatsApp", BOUGHT);
            before.last_checked = Some(BOUGHT + (minutes - 1) * 60_000);
            if let Some(code) = code {
                before.code = Some(code.to_owned());
                before.state = OrderState::CodeReceived;
            }
            let mut after = before.clone();
            after.apply_status(&answer, BOUGHT + minutes * 60_000, LIFETIME);
            assert_eq!(
                after_status(&before, &after),
                want,
                "{code:?} + {answer:?} after {minutes} min"
            );
        }
    }
}
