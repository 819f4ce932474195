//! What a purchase's answer, and an order added by its id, do to the session.

use super::Session;
use super::apply::{Inputs, say, say_raw};
use crate::api::{ApiError, ProviderError};
use crate::app::Command;
use crate::app::after_purchase::{Came, Fallback, Step, Telling, after_purchase};
use crate::app::batch_buy::{InFlight, Settled};
use crate::app::describe;
use crate::app::effect::Effect;
use crate::app::messages::Kind;
use crate::orders::purchase::{PurchaseOutcome, PurchaseResult};
use crate::orders::reconcile::FoundBy;
use crate::orders::{Order, StoreError};
use crate::text;
use crate::worker::AdoptResult;

/// What a purchase step may need to say.
#[derive(Clone, Copy)]
struct Said<'a> {
    attempt: &'a Order,
    /// The row the purchase left: the order, or the attempt.
    row: Option<&'a Order>,
    error: Option<&'a ApiError>,
    not_sent: Option<&'a StoreError>,
    /// "WhatsApp, India".
    place: &'a str,
}

impl Session {
    pub(super) fn purchased(
        &mut self,
        outcome: PurchaseOutcome,
        inputs: &Inputs<'_>,
        out: &mut Vec<Effect>,
    ) {
        let PurchaseOutcome {
            offer,
            attempt,
            result,
            store_error,
            ..
        } = outcome;
        let purpose = self.in_flight.take();
        let telling = match &purpose {
            Some(InFlight::Replacement { .. }) => Telling::Replacement,
            Some(InFlight::Batch) if self.batch.as_ref().is_some_and(|b| b.wanted > 1) => {
                Telling::InRun
            }
            _ => Telling::Alone,
        };
        let place = format!(
            "{}, {}",
            offer.name,
            crate::countries::country_name(&offer.country)
        );
        if let Some(e) = &store_error {
            tracing::error!("a purchase outcome could not be saved: {e}");
            self.money_notice(text::bought_not_saved(e), out);
        }
        let (came, settled) = came_of(&result);
        let fallback = if self.falls_back() {
            Fallback::On
        } else {
            Fallback::Off
        };
        let (error, not_sent) = match &result {
            PurchaseResult::Refused(e) | PurchaseResult::Unclear(e) => (Some(e), None),
            PurchaseResult::NotSent(e) => (None, Some(e)),
            PurchaseResult::Bought(_) => (None, None),
        };
        let row = match &result {
            PurchaseResult::Bought(order) => Some(order.as_ref()),
            PurchaseResult::Refused(_) | PurchaseResult::Unclear(_) => Some(&attempt),
            PurchaseResult::NotSent(_) => None,
        };
        let said = Said {
            attempt: &attempt,
            row,
            error,
            not_sent,
            place: &place,
        };
        for step in after_purchase(came, telling, fallback) {
            self.purchase_step(step, &said, inputs, out);
        }
        match purpose {
            Some(InFlight::Batch) => out.push(Effect::BatchSettled(settled)),
            Some(InFlight::Replacement { plan, replaces }) => {
                out.push(Effect::ReplacementSettled {
                    plan,
                    replaces,
                    settled,
                });
            }
            None => {}
        }
    }

    /// Try-the-next-best is on, with servers left to try.
    pub(in crate::app) fn falls_back(&self) -> bool {
        self.batch
            .as_ref()
            .and_then(|b| b.fallback.as_ref())
            .is_some_and(|f| f.tries_left > 0)
    }

    /// Does one step of what follows a purchase (`after_purchase`).
    fn purchase_step(
        &mut self,
        step: Step,
        said: &Said<'_>,
        inputs: &Inputs<'_>,
        out: &mut Vec<Effect>,
    ) {
        let Said {
            attempt,
            row,
            error,
            not_sent,
            place,
        } = *said;
        match step {
            Step::NoteReachability => {
                if let Some(e) = error {
                    self.note_reachability(e, inputs.now);
                }
            }
            Step::AddBought => {
                if let Some(order) = row {
                    self.add_bought(order);
                }
            }
            Step::KeepNotBought => {
                if let Some(row) = row {
                    self.keep_not_bought(row);
                }
            }
            Step::KeepNotConfirmed => {
                if let Some(row) = row {
                    self.keep_not_confirmed(row, crate::app::reconcile::FIRST_LOOK);
                }
            }
            Step::SayBought => {
                let phone = row.map(|o| o.phone.as_str()).unwrap_or_default();
                out.push(say(Kind::Success, text::bought(place, phone)));
            }
            Step::SayRefused => {
                if let Some(e) = error {
                    out.push(say_raw(
                        Kind::Error,
                        text::purchase_failed(place, &describe::api_error_brief(e)),
                        e.raw_reply(),
                    ));
                }
            }
            Step::OfferNextBest => {
                if error.is_some_and(ApiError::is_out_of_stock_or_price) {
                    out.push(Effect::OfferNextBest(crate::api::Offer::from(attempt)));
                }
            }
            Step::SayNotSent => {
                if let Some(e) = not_sent {
                    out.push(say(Kind::Error, text::purchase_not_sent(e)));
                }
            }
            Step::ShowOrders => out.push(Effect::ShowOrders),
            Step::RefreshBalance => out.push(Effect::Run(Command::RefreshBalance)),
        }
    }

    pub(super) fn adopted(
        &mut self,
        attempt_id: &str,
        result: AdoptResult,
        found_by: FoundBy,
        out: &mut Vec<Effect>,
    ) {
        match result {
            AdoptResult::Adopted(order) => {
                let order = *order;
                let phone = order.phone.clone();
                let what = format!(
                    "{}, {}",
                    order.service_name,
                    crate::countries::country_name(&order.country)
                );
                self.adopt(attempt_id, order);
                out.push(Effect::AdoptFormDone(attempt_id.to_owned()));
                let words = if found_by == FoundBy::OpenOrders {
                    text::found_in_open_orders(&what, &phone)
                } else {
                    text::adopted(&phone)
                };
                out.push(say(Kind::Success, words));
                out.push(Effect::Run(Command::RefreshBalance));
            }
            AdoptResult::Refused(e) if found_by == FoundBy::OpenOrders => {
                // Listed as open a moment ago, unknown now: looked for again later.
                tracing::info!("an order of the open list was not adopted: {e}");
            }
            AdoptResult::Refused(e) => {
                tracing::info!("order id not adopted: {e}");
                let words = match e.provider_error() {
                    Some(ProviderError::NoActivation) => text::ADOPT_UNKNOWN_ID.to_owned(),
                    _ => describe::api_error(&e),
                };
                out.push(Effect::AdoptFormError {
                    attempt_id: attempt_id.to_owned(),
                    words,
                });
            }
            AdoptResult::NotSaved(e) => {
                tracing::error!("adopted order not saved: {e}");
                self.money_notice(text::order_not_saved(&e), out);
            }
        }
    }
}

/// What a purchase came to, for what follows (`after_purchase`) and for the run it is part of.
fn came_of(result: &PurchaseResult) -> (Came, Settled) {
    match result {
        PurchaseResult::Bought(order) => (
            Came::Bought,
            Settled::Bought {
                order_id: order.order_id.clone(),
                price: order.price,
            },
        ),
        PurchaseResult::Refused(e) => {
            tracing::info!("purchase refused: {e}");
            let stock = e.is_out_of_stock_or_price();
            let settled = Settled::Refused {
                brief: describe::api_error_brief(e),
                raw: e.raw_reply(),
                stock,
            };
            (Came::Refused { stock }, settled)
        }
        PurchaseResult::Unclear(e) => {
            tracing::warn!("purchase not confirmed: {e}");
            (Came::Unclear, Settled::Unclear)
        }
        PurchaseResult::NotSent(e) => {
            tracing::error!("purchase attempt not recorded: {e}");
            (Came::NotSent, Settled::NotSent)
        }
    }
}
