//! `Session::apply`: what an answer of this session's background work does to the session, and
//! what it leaves for the app to do ([`Effect`]). Every error of a session's request is handled
//! here, once: logged, and said in the words of `text`.

use std::time::Instant;

use super::Session;
use crate::api::{ApiError, Balance, Offer, OrderStatus, ProviderError, SetAction, SetStatusReply};
use crate::app::Command;
use crate::app::after_status::{StatusStep, after_status};
use crate::app::describe;
use crate::app::effect::Effect;
use crate::app::messages::Kind;
use crate::orders::OrderState;
use crate::orders::delivery::Summary;
use crate::orders::outcome::StatusSetOutcome;
use crate::settings::Settings;
use crate::text;
use crate::worker::SessionEvent;

/// What an event is applied with.
pub(crate) struct Inputs<'a> {
    pub settings: &'a Settings,
    /// The window, woken when the orders database's writer finishes a write.
    pub ctx: &'a egui::Context,
    pub now: Instant,
}

/// A message as an effect.
pub(crate) fn say(kind: Kind, words: impl Into<String>) -> Effect {
    Effect::Say {
        kind,
        words: words.into(),
        raw: None,
    }
}

/// A message with InstaOTP's own reply under "Details".
pub(crate) fn say_raw(kind: Kind, words: impl Into<String>, raw: Option<String>) -> Effect {
    Effect::Say {
        kind,
        words: words.into(),
        raw,
    }
}

impl Session {
    /// Applies an answer of this session's background work: changes the session and returns
    /// what the app is to do next, in order.
    pub(crate) fn apply(&mut self, event: SessionEvent, inputs: &Inputs<'_>) -> Vec<Effect> {
        // The delivery record counts orders bought, added or deleted: read again when next shown.
        if matches!(
            event,
            SessionEvent::Purchased(_)
                | SessionEvent::Adopted { .. }
                | SessionEvent::HistoryDeleted(_)
        ) {
            self.mark_delivery_stale();
        }
        let mut effects = Vec::new();
        let out = &mut effects;
        match event {
            SessionEvent::Balance(result) => self.balance_read(result, inputs, out),
            SessionEvent::Offers { result, kept } => {
                if let Some(e) = kept {
                    // Only the copy for the next start is missing: not worth a message.
                    tracing::warn!("offers not kept for the next start: {e}");
                }
                self.offers_read(result, inputs);
            }
            SessionEvent::Purchased(outcome) => self.purchased(*outcome, inputs, out),
            SessionEvent::Polled { order_id, result } => match result {
                Ok(status) => self.status_answered(&order_id, &status, inputs, out),
                Err(e) => self.poll_failed(&order_id, &e, inputs, out),
            },
            SessionEvent::StatusSet {
                order_id,
                action,
                result,
            } => self.status_set(&order_id, action, result, inputs, out),
            SessionEvent::Adopted {
                attempt_id,
                result,
                found_by,
            } => self.adopted(&attempt_id, *result, found_by, out),
            SessionEvent::ActiveListed {
                result,
                offered,
                store_error,
            } => self.active_listed(result, offered, store_error, inputs, out),
            SessionEvent::StoreOpened(result) => self.store_opened(result, inputs, out),
            SessionEvent::HistoryDeleted(result) => match result {
                Ok(n) => out.push(say(Kind::Info, text::history_deleted(n))),
                Err(e) => {
                    tracing::error!("delete history: {e}");
                    out.push(say(Kind::Error, text::history_not_deleted(&e)));
                }
            },
            SessionEvent::Delivery(result) => self.delivery_read(result, inputs.settings),
        }
        effects
    }

    /// Whether InstaOTP could be reached, from how a request failed.
    pub(in crate::app) fn note_reachability(&mut self, e: &ApiError, now: Instant) {
        if e.is_unreachable() {
            self.unreachable_since.get_or_insert(now);
        } else {
            self.reachable();
        }
    }

    /// A notice about money or orders: a card at the top of Orders (shown at once), kept until
    /// dismissed; the same notice is not repeated.
    pub(in crate::app) fn money_notice(&mut self, sentence: String, out: &mut Vec<Effect>) {
        tracing::warn!("notice shown in Orders");
        if !self.notices.contains(&sentence) {
            self.notices.push(sentence);
        }
        out.push(Effect::ShowOrders);
    }

    /// A failed background read: shown once, not repeated on every retry.
    fn read_failed(&mut self, what: &str, e: &ApiError, now: Instant, out: &mut Vec<Effect>) {
        tracing::warn!("{what}: {e}");
        self.note_reachability(e, now);
        if !e.is_unreachable() {
            out.push(say_raw(
                Kind::Error,
                text::read_failed(what, &describe::api_error_brief(e)),
                e.raw_reply(),
            ));
        }
    }

    fn balance_read(
        &mut self,
        result: Result<Balance, ApiError>,
        inputs: &Inputs<'_>,
        out: &mut Vec<Effect>,
    ) {
        let again = std::mem::take(&mut self.balance_again);
        match result {
            Ok(balance) => {
                self.reachable();
                // A read that left before the last money event cannot tell the charge; the
                // first read after it is the only one that may (and only with the key used here
                // alone, where other desks or the website cannot explain a drop): a later one
                // never takes the question over.
                if !balance.is_unusual() && !again {
                    let pending = self.pending_charge.take();
                    if let Some(id) =
                        pending.filter(|_| self.key_only_here(inputs.settings.key_only_here))
                    {
                        self.charge_from_balance(&id, balance.amount);
                    }
                }
                if self.balance.is_none() {
                    tracing::info!("the key was accepted: first balance read");
                }
                self.balance = Some((balance, inputs.now));
            }
            Err(e) => self.read_failed("Balance", &e, inputs.now, out),
        }
        if again {
            out.push(Effect::Run(Command::RefreshBalance));
        }
    }

    fn offers_read(&mut self, result: Result<Vec<Offer>, ApiError>, inputs: &Inputs<'_>) {
        match result {
            Ok(offers) => {
                self.reachable();
                self.offers.set_offers(offers, &inputs.settings.favourites);
                self.offers_loaded = Some(inputs.now);
                self.offers_as_of = None;
                self.offers_error = None;
            }
            Err(e) => {
                tracing::warn!("offers: {e}");
                self.note_reachability(&e, inputs.now);
                self.offers_error = Some(describe::api_error(&e));
            }
        }
    }

    fn delivery_read(
        &mut self,
        result: Result<Box<Summary>, crate::orders::StoreError>,
        settings: &Settings,
    ) {
        match result {
            Ok(summary) => self.offers.set_delivery(*summary, &settings.favourites),
            // Only the figures are missing: the offers and orders are as they were.
            Err(e) => tracing::warn!("delivery record not read: {e}"),
        }
    }

    /// A status InstaOTP gave for an order (asked for, or in the list of open orders): the
    /// order changes, and what follows is done in order (`after_status`).
    pub(in crate::app) fn status_answered(
        &mut self,
        order_id: &str,
        status: &OrderStatus,
        inputs: &Inputs<'_>,
        out: &mut Vec<Effect>,
    ) {
        let lifetime_ms = inputs.settings.order_lifetime_ms();
        self.reachable();
        let Some((before, order)) = self.apply_status(order_id, status, lifetime_ms) else {
            return;
        };
        for step in after_status(&before, &order) {
            match step {
                StatusStep::Save => self.save_order(&order),
                StatusStep::NoteCodeTime => {
                    self.clock
                        .code_came(&order.order_id, crate::clock::monotonic());
                    self.learn_typical_delays();
                }
                StatusStep::SayExpired => out.push(say(
                    Kind::Info,
                    text::expired_refunded(&order.service_name, &order.phone),
                )),
                StatusStep::RefreshBalance => out.push(Effect::Run(Command::RefreshBalance)),
                StatusStep::TellCode => out.push(Effect::TellCode(order.clone())),
            }
        }
    }

    fn poll_failed(
        &mut self,
        order_id: &str,
        e: &ApiError,
        inputs: &Inputs<'_>,
        out: &mut Vec<Effect>,
    ) {
        tracing::info!("status of an order: {e}");
        let lock_ms = self.cancel_lock_ms(inputs.settings.cancel_lock_ms());
        let not_known = matches!(e.provider_error(), Some(ProviderError::NoActivation));
        let problem = describe::api_error(e);
        let Some((_, ended)) =
            self.apply_poll_failure(order_id, e, problem, text::NOT_KNOWN_YET, lock_ms)
        else {
            return;
        };
        if not_known {
            if ended {
                out.push(Effect::Run(Command::RefreshBalance));
            }
            return;
        }
        self.note_reachability(e, inputs.now);
    }

    fn status_set(
        &mut self,
        order_id: &str,
        action: SetAction,
        result: Result<SetStatusReply, ApiError>,
        inputs: &Inputs<'_>,
        out: &mut Vec<Effect>,
    ) {
        let Some(order) = self.order(order_id) else {
            return;
        };
        let what = text::order_what(&order.service_name, &order.phone);
        // Only InstaOTP's "cancelled" is a confirmed refund (replace-if-no-code waits for it).
        let confirmed = matches!(result, Ok(SetStatusReply::Cancelled));
        let cancellable_later = self.apply_status_set(order_id, action, result, &what, inputs, out);
        if action == SetAction::Cancel {
            // A longer lock learnt, short of the order's lifetime: nothing happened, and a
            // replacement plan watches the number again, to cancel it past that lock.
            out.push(if cancellable_later {
                Effect::WatchAgain(order_id.to_owned())
            } else {
                Effect::ReplaceCancelAnswered {
                    order_id: order_id.to_owned(),
                    confirmed,
                }
            });
        }
    }

    /// Applies a `setStatus` answer to the order and says it; `true` when a cancel refused as
    /// too early taught a longer lock that still leaves time to cancel the number.
    fn apply_status_set(
        &mut self,
        order_id: &str,
        action: SetAction,
        result: Result<SetStatusReply, ApiError>,
        what: &str,
        inputs: &Inputs<'_>,
        out: &mut Vec<Effect>,
    ) -> bool {
        let lock_ms = self.cancel_lock_ms(inputs.settings.cancel_lock_ms());
        let lifetime_ms = inputs.settings.order_lifetime_ms();
        let Some((outcome, _)) = self.settle_status_set(order_id, &result, lock_ms) else {
            return false;
        };
        if let Err(e) = &result {
            tracing::warn!("set status: {e}");
            self.note_reachability(e, inputs.now);
        }
        if outcome == StatusSetOutcome::TooEarly && action == SetAction::Cancel {
            // This provider's lock is longer: no cancel of any order before it is over.
            let learned = self.learn_cancel_lock(order_id, lock_ms, lifetime_ms);
            if learned > lock_ms {
                let wait = u64::try_from(learned / 1000).unwrap_or(0);
                out.push(say(Kind::Warning, text::cancel_lock_longer(what, wait)));
                return learned < lifetime_ms;
            }
        }
        let (brief, raw) = match &result {
            Err(e) => (describe::api_error_brief(e), e.raw_reply()),
            Ok(_) => (String::new(), None),
        };
        match outcome {
            StatusSetOutcome::Done(reply) => status_changed(&reply, what, out),
            StatusSetOutcome::AlreadyEnded(state) => {
                out.push(Effect::Run(Command::RefreshBalance));
                // Not a failure: the order was closed before; said as it ended.
                let words = if state == OrderState::Gone {
                    text::no_longer_known(what)
                } else {
                    text::already_cancelled(what, state == OrderState::Cancelled)
                };
                out.push(say(Kind::Info, words));
            }
            // Refused, or never sent: nothing happened.
            StatusSetOutcome::Refused | StatusSetOutcome::TooEarly => out.push(say_raw(
                Kind::Error,
                describe::status_change_failed(action, what, &brief),
                raw,
            )),
            // Sent, answer lost: it may have happened; the next poll tells.
            StatusSetOutcome::Unclear => out.push(say_raw(
                Kind::Warning,
                describe::status_change_unclear(action, what, &brief),
                raw,
            )),
        }
        false
    }
}

fn status_changed(reply: &SetStatusReply, what: &str, out: &mut Vec<Effect>) {
    match reply {
        SetStatusReply::Cancelled => {
            out.push(say(Kind::Success, text::cancelled(what)));
            out.push(Effect::Run(Command::RefreshBalance));
        }
        SetStatusReply::Finished => out.push(say(Kind::Success, text::finished(what))),
        SetStatusReply::RetryRequested => out.push(say(Kind::Info, text::another_sms_asked(what))),
        SetStatusReply::Ready => {}
    }
}
