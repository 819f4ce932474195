//! Work that outlives a window: a run of purchases ("Buying 3 of 5…") and replace-if-no-code
//! plans are kept in the orders database while they go on, so that after a restart (a crash, a
//! closed laptop) the app says what was left undone and offers to go on, never doing it unasked.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::batch_buy::Batch;
use super::replace::{ReplaceOptions, ReplacePlan, Step};
use crate::api::Offer;
use crate::orders::Order;

/// A run of purchases not finished when the app stopped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnfinishedBatch {
    pub offer: Offer,
    pub wanted: u8,
    /// Requests sent (the one in flight at the stop included: its card tells how it ended).
    pub sent: u8,
    pub bought: u8,
    pub replace: Option<ReplaceOptions>,
}

impl UnfinishedBatch {
    /// Numbers not asked for yet.
    pub fn left(&self) -> u8 {
        self.wanted.saturating_sub(self.sent)
    }
}

/// A replace-if-no-code plan not finished when the app stopped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnfinishedPlan {
    pub offer: Offer,
    pub options: ReplaceOptions,
    pub used: u8,
    pub spent: Decimal,
    pub tried: HashMap<String, Vec<String>>,
    /// Numbers still watched for their code, or whose cancel was out at the stop.
    pub open: Vec<String>,
    /// Numbers cancelled and refunded whose replacement was not bought yet.
    pub due: Vec<String>,
}

/// Everything left undone, as kept on disk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unfinished {
    #[serde(default)]
    pub batch: Option<UnfinishedBatch>,
    #[serde(default)]
    pub plans: Vec<UnfinishedPlan>,
}

impl Unfinished {
    /// What the session is doing now: the run not stopped with numbers left to ask for, and the
    /// plans not stopped with something left to do.
    pub fn of(batch: Option<&Batch>, plans: &[ReplacePlan]) -> Self {
        let plan_options = |id: Option<u64>| {
            id.and_then(|id| plans.iter().find(|p| p.id == id))
                .map(|p| p.options.clone())
        };
        let batch = batch
            .filter(|b| !b.stop && b.sent < b.wanted)
            .map(|b| UnfinishedBatch {
                offer: b.offer.clone(),
                wanted: b.wanted,
                sent: b.sent,
                bought: b.bought,
                replace: plan_options(b.plan),
            });
        let plans = plans
            .iter()
            .filter(|p| !p.stopped && !p.is_idle())
            .map(|p| UnfinishedPlan {
                offer: p.offer.clone(),
                options: p.options.clone(),
                used: p.used,
                spent: p.spent,
                tried: p.tried.clone(),
                open: p
                    .at(Step::Watching)
                    .chain(p.at(Step::Cancelling))
                    .map(str::to_owned)
                    .collect(),
                due: p.at(Step::Due).map(str::to_owned).collect(),
            })
            .collect();
        Self { batch, plans }
    }

    pub fn is_empty(&self) -> bool {
        self.batch.is_none() && self.plans.is_empty()
    }

    /// This and `later` together (what was left by the last run and is not answered yet, and
    /// what this run is doing).
    pub fn with(mut self, later: Unfinished) -> Self {
        if later.batch.is_some() {
            self.batch = later.batch;
        }
        self.plans.extend(later.plans);
        self
    }
}

impl UnfinishedPlan {
    /// The plan again, after a restart: it watches its numbers that are still open, bought with
    /// this account and without any SMS (a cancel that was out at the stop is not counted as
    /// confirmed: the number is watched again, and cancelled again only if still silent), and
    /// buys the replacements that were due. `None` when nothing of it is left.
    pub fn resume(&self, id: u64, orders: &[Order], account: Option<&str>) -> Option<ReplacePlan> {
        let open = |order_id: &String| {
            orders.iter().any(|o| {
                &o.order_id == order_id
                    && o.is_watched()
                    && o.no_sms_at_all()
                    && super::session::belongs_to(o, account)
            })
        };
        let mut plan = ReplacePlan::new(id, &self.offer, self.options.clone());
        plan.used = self.used;
        plan.spent = self.spent;
        plan.tried = self.tried.clone();
        for id in self.open.iter().filter(|id| open(id)) {
            plan.set_step(id, Step::Watching);
        }
        let ours = |order_id: &String| {
            orders
                .iter()
                .any(|o| &o.order_id == order_id && super::session::belongs_to(o, account))
        };
        for id in self.due.iter().filter(|id| ours(id)) {
            plan.set_step(id, Step::Due);
        }
        (!plan.is_idle()).then_some(plan)
    }
}

impl super::App {
    /// Writes what is left undone when it changed (after every earlier order write), so a
    /// restart can tell it; what the last run left and the person has not answered is kept too.
    pub(crate) fn keep_unfinished(&mut self) {
        let Some(s) = self.session_mut() else { return };
        let idle = s.batch.is_none() && s.replacing.is_empty() && s.unfinished_before.is_none();
        if idle && s.saved_unfinished.is_none() {
            return;
        }
        let (Some(open), Some(account)) = (&s.store, &s.account) else {
            return;
        };
        let now = Unfinished::of(s.batch.as_ref(), &s.replacing);
        let all = s.unfinished_before.clone().unwrap_or_default().with(now);
        let json = if all.is_empty() {
            None
        } else {
            serde_json::to_string(&all).ok()
        };
        if json != s.saved_unfinished {
            open.writer.save_unfinished(account, json.clone());
            s.saved_unfinished = json;
        }
    }

    /// "Leave it": what the last run left undone stays undone, and is no longer kept.
    pub(crate) fn leave_unfinished(&mut self) {
        if let Some(s) = self.session_mut() {
            s.unfinished_before = None;
        }
    }

    /// "Go on": the plans watch their numbers again, and the rest of the run is offered in the
    /// usual confirmation (never bought unasked).
    pub(crate) fn resume_unfinished(&mut self) {
        let Some(s) = self.session_mut() else { return };
        let Some(before) = s.unfinished_before.take() else {
            return;
        };
        for plan in &before.plans {
            let id = s.next_plan_id + 1;
            if let Some(resumed) = plan.resume(id, s.orders(), s.account.as_deref()) {
                s.next_plan_id = id;
                s.replacing.push(resumed);
            }
        }
        let Some(batch) = before.batch.filter(|b| b.left() > 0) else {
            return;
        };
        // The offer as listed now, when it still is (its price may have moved).
        let offer = s
            .offers
            .offers()
            .iter()
            .find(|o| {
                o.service_code == batch.offer.service_code
                    && o.country == batch.offer.country
                    && o.server == batch.offer.server
            })
            .cloned()
            .unwrap_or_else(|| batch.offer.clone());
        self.run_command(super::Command::AskBuy(offer));
        let form = &mut self.view.buy;
        form.quantity = batch.left();
        if let Some(replace) = batch.replace {
            form.replace = true;
            form.wait_secs = replace.wait_secs;
            form.max_replacements = replace.max;
            form.spend_limit = replace.spend_limit.to_string();
            form.spend_limit_typed = true;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::orders::{OrderState, test_support};

    fn options() -> ReplaceOptions {
        ReplaceOptions {
            wait_secs: 60,
            max: 2,
            spend_limit: Decimal::new(3000, 2),
            ceiling: None,
        }
    }

    fn batch(wanted: u8, sent: u8, stop: bool) -> Batch {
        Batch {
            offer: Offer::from(&test_support::order("x", "WhatsApp", 0)),
            wanted,
            sent,
            bought: sent.saturating_sub(1),
            stop,
            balance: None,
            plan: None,
            fallback: None,
        }
    }

    /// Every row: a run of purchases → what is kept of it.
    #[test]
    fn a_run_is_kept_only_while_numbers_are_left_to_ask_for() {
        let rows = [
            (batch(5, 2, false), Some(3)),
            (batch(5, 5, false), None),
            (batch(5, 2, true), None),
            (batch(1, 0, false), Some(1)),
        ];
        for (b, left) in rows {
            let kept = Unfinished::of(Some(&b), &[]);
            assert_eq!(
                kept.batch.as_ref().map(UnfinishedBatch::left),
                left,
                "{b:?}"
            );
        }
        assert!(Unfinished::of(None, &[]).is_empty());
    }

    /// Every row: a number of the plan as it is after the restart → watched again?
    #[test]
    fn a_resumed_plan_watches_only_its_numbers_still_open_and_silent() {
        let offer = Offer::from(&test_support::order("x", "WhatsApp", 0));
        let mut plan = ReplacePlan::new(7, &offer, options());
        for id in ["1", "2", "3"] {
            plan.set_step(id, Step::Watching);
        }
        plan.set_step("4", Step::Cancelling);
        plan.set_step("5", Step::Due);
        plan.used = 1;
        let kept = Unfinished::of(None, &[plan]);
        let saved: Unfinished =
            serde_json::from_str(&serde_json::to_string(&kept).unwrap()).unwrap();
        assert_eq!(saved, kept);
        let order = |id: &str, state: OrderState, code: Option<&str>, account: &str| {
            let mut o = test_support::order(id, "WhatsApp", 0);
            o.state = state;
            o.code = code.map(str::to_owned);
            o.account = Some(account.to_owned());
            o
        };
        let orders = [
            order("1", OrderState::Waiting, None, "us"),
            // A code came while the app was closed: not replaced.
            order("2", OrderState::CodeReceived, Some("1234"), "us"),
            // Ended meanwhile.
            order("3", OrderState::EndedRefundUnconfirmed, None, "us"),
            // Its cancel was out at the stop, answer unknown: watched again.
            order("4", OrderState::Waiting, None, "us"),
            order("5", OrderState::Cancelled, None, "us"),
        ];
        let resumed = saved.plans[0].resume(9, &orders, Some("us")).unwrap();
        assert_eq!(resumed.id, 9);
        let at = |step| resumed.at(step).collect::<Vec<_>>();
        assert_eq!(at(Step::Watching), ["1", "4"]);
        assert!(at(Step::Cancelling).is_empty());
        assert_eq!(at(Step::Due), ["5"]);
        assert_eq!(resumed.used, 1);
        // Signed in with another key: its numbers are not this session's to cancel or replace.
        assert!(saved.plans[0].resume(9, &orders, Some("them")).is_none());
    }
}
