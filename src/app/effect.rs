//! What a session's event leaves for the app to do once the session has changed itself
//! (`Session::apply`): words to say, screens to show, requests to start, and the runs of
//! purchases (several numbers, replacements) to carry on. The session decides; the app does.

use super::batch_buy::Settled;
use super::messages::Kind;
use super::{App, Command, Tab};
use crate::api::{Offer, Purchase};
use crate::orders::Order;
use crate::orders::reconcile::FoundBy;

#[derive(Debug)]
pub(crate) enum Effect {
    /// A message in the corner: its kind, its words, and InstaOTP's own reply under "Details".
    Say {
        kind: Kind,
        words: String,
        raw: Option<String>,
    },
    /// With the message just said: the best other server for this refused offer, one click
    /// from its confirmation.
    OfferNextBest(Offer),
    /// Orders is shown (numbers were bought, or a notice about money or orders was added).
    ShowOrders,
    /// A command, as if a screen had asked for it (reading the balance again, say).
    Run(Command),
    /// An order's code came: a notification, the window's attention, the copy.
    TellCode(Order),
    /// A purchase of a run of several numbers settled: the run goes on or ends.
    BatchSettled(Settled),
    /// A replacement's purchase settled.
    ReplacementSettled {
        plan: u64,
        replaces: String,
        settled: Settled,
    },
    /// A cancel was refused as too early and a longer lock learnt: the replacement plan of this
    /// order watches it again.
    WatchAgain(String),
    /// The answer to a replacement's cancel (confirmed as refunded, or not).
    ReplaceCancelAnswered { order_id: String, confirmed: bool },
    /// "Add it by order id" worked: its form goes.
    AdoptFormDone(String),
    /// "Add it by order id" was refused: said in its form.
    AdoptFormError { attempt_id: String, words: String },
    /// A purchase not confirmed was found among the open orders: it is added by its id.
    Adopt {
        attempt: Order,
        purchase: Purchase,
        lifetime_ms: i64,
        found_by: FoundBy,
    },
    /// The orders were read for the first time: Orders is shown when numbers are open.
    ChooseStartTab,
    /// The offers are asked for again.
    RefreshOffers,
}

impl App {
    /// Does what a session's event left to do, in order.
    pub(crate) fn run_effects(&mut self, effects: Vec<Effect>, ctx: &egui::Context) {
        for effect in effects {
            self.run_effect(effect, ctx);
        }
    }

    fn run_effect(&mut self, effect: Effect, ctx: &egui::Context) {
        match effect {
            Effect::Say { kind, words, raw } => self.messages.push(kind, words, raw),
            Effect::OfferNextBest(refused) => self.offer_next_best(&refused),
            Effect::ShowOrders => self.view.tab = Tab::Orders,
            Effect::Run(command) => self.run_command(command),
            Effect::TellCode(order) => self.code_arrived(&order, ctx),
            Effect::BatchSettled(settled) => self.batch_purchase_settled(&settled),
            Effect::ReplacementSettled {
                plan,
                replaces,
                settled,
            } => self.replacement_settled(plan, &replaces, &settled),
            Effect::WatchAgain(order_id) => self.watch_again(&order_id),
            Effect::ReplaceCancelAnswered {
                order_id,
                confirmed,
            } => self.replace_cancel_answered(&order_id, confirmed),
            Effect::AdoptFormDone(attempt_id) => {
                self.view.orders.adopt.remove(&attempt_id);
            }
            Effect::AdoptFormError { attempt_id, words } => {
                self.view.orders.adopt.entry(attempt_id).or_default().error = Some(words);
            }
            Effect::Adopt {
                attempt,
                purchase,
                lifetime_ms,
                found_by,
            } => self.adopt_found(attempt, purchase, lifetime_ms, found_by),
            Effect::ChooseStartTab => self.choose_start_tab(),
            Effect::RefreshOffers => self.refresh_offers(),
        }
    }

    /// Adds a purchase found among the open orders by its id, unless the person is adding it
    /// by hand right now.
    fn adopt_found(
        &mut self,
        attempt: Order,
        purchase: Purchase,
        lifetime_ms: i64,
        found_by: FoundBy,
    ) {
        if self
            .worker
            .is_busy(&crate::worker::Job::Adopt(attempt.id()))
        {
            return;
        }
        let super::Stage::SignedIn(s) = &self.stage else {
            return;
        };
        let Some(open) = &s.store else { return };
        tracing::info!("a purchase not confirmed is among the open orders");
        self.worker.adopt(
            s.generation,
            &s.client,
            open.store.clone(),
            attempt,
            purchase,
            lifetime_ms,
            found_by,
        );
    }
}
