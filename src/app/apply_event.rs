//! Applies what the worker delivered, one method per event. Every error is handled here, once:
//! logged and shown in the words of [`crate::text`].

use crate::app::describe;
use std::time::Instant;

use super::after_purchase::{Came, Fallback, Step, Telling, after_purchase};
use super::after_status::{StatusStep, after_status};
use super::batch_buy::{InFlight, Settled};
use super::{App, Command, KeyPlace, Session, Stage, Tab};
use crate::api::{
    ApiError, ApiKey, Balance, Offer, OrderStatus, ProviderError, SetAction, SetStatusReply,
};
use crate::orders::purchase::{PurchaseOutcome, PurchaseResult};
use crate::orders::reconcile::FoundBy;
use crate::orders::{Order, OrderState, StoreError};
use crate::platform::keychain::KeychainError;
use crate::text;
use crate::worker::{AdoptResult, AppEvent, Delivered, Event, OpenedStore, Scope, SessionEvent};

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

impl App {
    pub(crate) fn apply_event(&mut self, delivered: Delivered, ctx: &egui::Context) {
        let Delivered { scope, event } = delivered;
        let current = self.session().map(|s| s.generation);
        let of_now = match scope {
            Scope::Session(generation) => current == Some(generation),
            Scope::App => true,
        };
        match event {
            Event::App(event) => self.apply_app_event(event),
            // Every session job carries its generation (`Worker::spawn_session`).
            Event::Session(event) => {
                if of_now && scope != Scope::App {
                    self.note_delivery_change(&event);
                    self.apply_session_event(event, ctx);
                } else {
                    self.apply_stale_event(event);
                }
            }
            Event::TaskFailed { job, panicked } if of_now => self.task_failed(&job, panicked),
            Event::TaskFailed { job, .. } => {
                tracing::debug!(?job, "a failed task of an earlier session dropped");
            }
        }
    }

    fn apply_app_event(&mut self, event: AppEvent) {
        match event {
            AppEvent::KeyLoaded(result) => self.key_loaded(result),
            AppEvent::KeyChecked { key, result } => self.key_checked(key, result),
            AppEvent::KeySaved { key, result } => self.key_saved(key, result),
            AppEvent::KeyRemoved(result) => self.key_removed(result),
            AppEvent::HistoryExported {
                path,
                count,
                result,
            } => self.history_exported(&path, count, result),
            AppEvent::UpdateChecked(result) => self.update_checked(result),
            AppEvent::UpdateDownloaded(result) => self.update_downloaded(result),
            AppEvent::InstallerStarted(result) => self.installer_started(result),
            AppEvent::SaveDialogClosed => {}
            AppEvent::SaveDialogUnavailable { suggested } => {
                self.save_dialog_unavailable(suggested)
            }
            AppEvent::DemoStarted(started) => self.demo_started(started),
            AppEvent::SettingsSaved(result) => self.settings_saved(result),
            AppEvent::Notified { why, result } => self.notified(why, result),
        }
    }

    fn apply_session_event(&mut self, event: SessionEvent, ctx: &egui::Context) {
        match event {
            SessionEvent::Balance(result) => self.balance_read(result),
            SessionEvent::Offers { result, kept } => {
                if let Some(e) = kept {
                    // Only the copy for the next start is missing: not worth a message.
                    tracing::warn!("offers not kept for the next start: {e}");
                }
                self.offers_read(result);
            }
            SessionEvent::Purchased(outcome) => self.purchased(*outcome),
            SessionEvent::Polled { order_id, result } => self.polled(&order_id, result, ctx),
            SessionEvent::StatusSet {
                order_id,
                action,
                result,
            } => self.status_set(&order_id, action, result),
            SessionEvent::Adopted {
                attempt_id,
                result,
                found_by,
            } => self.adopted(&attempt_id, *result, found_by),
            SessionEvent::ActiveListed {
                result,
                offered,
                store_error,
            } => self.active_listed(result, offered, store_error, ctx),
            SessionEvent::StoreOpened(result) => self.store_opened(result),
            SessionEvent::HistoryDeleted(result) => self.history_deleted(result),
            SessionEvent::Delivery(result) => self.delivery_read(result),
        }
    }

    /// An event for a session that has been replaced. A purchase is never dropped: the order
    /// (or the "not confirmed" attempt) is already in its account's database, and joins the
    /// current session when that is the same database.
    fn apply_stale_event(&mut self, event: SessionEvent) {
        let SessionEvent::Purchased(outcome) = event else {
            tracing::debug!(?event, "event of an earlier session dropped");
            return;
        };
        let PurchaseOutcome {
            attempt,
            result,
            store_path,
            ..
        } = *outcome;
        let attempt_id = attempt.order_id.clone();
        let kept = match result {
            PurchaseResult::Bought(order) => *order,
            PurchaseResult::Unclear(_) | PurchaseResult::Refused(_) => attempt,
            PurchaseResult::NotSent(_) => return,
        };
        match self.session_mut() {
            Some(s) if s.store_path == store_path => {
                tracing::info!("a purchase of an earlier session joins this one");
                // The new session may have read the attempt row while the purchase was out.
                s.join_purchase(&attempt_id, kept);
            }
            _ => tracing::info!("a purchase of an earlier session is kept in its own orders"),
        }
    }

    fn key_loaded(&mut self, result: Result<Option<ApiKey>, KeychainError>) {
        match result {
            Ok(Some(key)) => self.connect(key, KeyPlace::Keychain),
            Ok(None) => self.stage = Stage::Welcome,
            Err(e) => {
                tracing::warn!("keychain: {e}");
                self.view.welcome.error = Some(text::KEYCHAIN_LOCKED_ON_LOAD.to_owned());
                self.stage = Stage::Welcome;
            }
        }
    }

    fn key_checked(&mut self, key: ApiKey, result: Result<Balance, ApiError>) {
        match result {
            Ok(_) => self.worker.save_key(self.config.keychain.clone(), key),
            Err(e) => {
                tracing::info!("key check failed: {e}");
                let sentence = describe::api_error(&e);
                self.view.welcome.error = Some(sentence.clone());
                if self.session().is_some() {
                    self.messages.error(sentence);
                }
            }
        }
    }

    fn key_saved(&mut self, key: ApiKey, result: Result<(), KeychainError>) {
        match result {
            Ok(()) => {
                self.view.clear_key_forms();
                self.unsaved_key = None;
                self.messages.info(text::KEY_SAVED);
                self.connect(key, KeyPlace::Keychain);
            }
            Err(e) => {
                tracing::warn!("keychain save: {e}");
                let sentence = describe::keychain_save_failed(&e);
                self.view.welcome.error = Some(sentence.to_owned());
                self.unsaved_key = Some(key);
                if self.session().is_some() {
                    self.messages.error(sentence);
                }
            }
        }
    }

    fn key_removed(&mut self, result: Result<(), KeychainError>) {
        match result {
            Ok(()) => {
                self.sign_out();
                self.messages.info(text::KEY_REMOVED);
            }
            Err(e) => {
                tracing::warn!("keychain delete: {e}");
                self.messages.error(describe::keychain_save_failed(&e));
            }
        }
    }

    fn balance_read(&mut self, result: Result<Balance, ApiError>) {
        let again = self
            .session_mut()
            .is_some_and(|s| std::mem::take(&mut s.balance_again));
        // Where other desks or the website may buy on the key, a drop is not this desk's charge.
        let key_only_here = self.settings.key_only_here;
        match result {
            Ok(balance) => {
                if let Some(s) = self.session_mut() {
                    s.reachable();
                    // A read that left before the last money event cannot tell the charge; the
                    // first read after it is the only one that may (and only with the key used
                    // here alone): a later one never takes the question over.
                    if !balance.is_unusual() && !again {
                        let pending = s.pending_charge.take();
                        if let Some(id) = pending.filter(|_| key_only_here) {
                            s.charge_from_balance(&id, balance.amount);
                        }
                    }
                    if s.balance.is_none() {
                        tracing::info!("the key was accepted: first balance read");
                    }
                    s.balance = Some((balance, Instant::now()));
                }
            }
            Err(e) => self.read_failed("Balance", &e),
        }
        if again {
            self.run_command(Command::RefreshBalance);
        }
    }

    fn offers_read(&mut self, result: Result<Vec<Offer>, ApiError>) {
        let favourites = self.settings.favourites.clone();
        let Some(s) = self.session_mut() else { return };
        match result {
            Ok(offers) => {
                s.reachable();
                s.offers.set_offers(offers, &favourites);
                s.offers_loaded = Some(Instant::now());
                s.offers_as_of = None;
                s.offers_error = None;
            }
            Err(e) => {
                tracing::warn!("offers: {e}");
                note_unreachable(s, &e);
                s.offers_error = Some(describe::api_error(&e));
            }
        }
    }

    fn purchased(&mut self, outcome: PurchaseOutcome) {
        let PurchaseOutcome {
            offer,
            attempt,
            result,
            store_error,
            ..
        } = outcome;
        let purpose = self.session_mut().and_then(|s| s.in_flight.take());
        let telling = match &purpose {
            Some(InFlight::Replacement { .. }) => Telling::Replacement,
            Some(InFlight::Batch)
                if self
                    .session()
                    .and_then(|s| s.batch.as_ref())
                    .is_some_and(|b| b.wanted > 1) =>
            {
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
            self.money_notice(text::bought_not_saved(e));
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
            self.purchase_step(step, &said);
        }
        match purpose {
            Some(InFlight::Batch) => self.batch_purchase_settled(&settled),
            Some(InFlight::Replacement { plan, replaces }) => {
                self.replacement_settled(plan, &replaces, &settled);
            }
            None => {}
        }
    }

    /// Does one step of what follows a purchase (`after_purchase`).
    fn purchase_step(&mut self, step: Step, said: &Said<'_>) {
        let Said {
            attempt,
            row,
            error,
            not_sent,
            place,
        } = *said;
        match step {
            Step::NoteReachability => {
                if let (Some(s), Some(e)) = (self.session_mut(), error) {
                    note_unreachable(s, e);
                }
            }
            Step::AddBought => {
                if let (Some(s), Some(order)) = (self.session_mut(), row) {
                    s.add_bought(order);
                }
            }
            Step::KeepNotBought => {
                if let (Some(s), Some(row)) = (self.session_mut(), row) {
                    s.keep_not_bought(row);
                }
            }
            Step::KeepNotConfirmed => {
                if let (Some(s), Some(row)) = (self.session_mut(), row) {
                    s.keep_not_confirmed(row, super::reconcile::FIRST_LOOK);
                }
            }
            Step::SayBought => {
                let phone = row.map(|o| o.phone.as_str()).unwrap_or_default();
                self.messages.success(text::bought(place, phone));
            }
            Step::SayRefused => {
                if let Some(e) = error {
                    self.messages.error_raw(
                        text::purchase_failed(place, &describe::api_error_brief(e)),
                        e.raw_reply(),
                    );
                }
            }
            Step::OfferNextBest => {
                if error.is_some_and(ApiError::is_out_of_stock_or_price) {
                    self.offer_next_best(&crate::api::Offer::from(attempt));
                }
            }
            Step::SayNotSent => {
                if let Some(e) = not_sent {
                    self.messages.error(text::purchase_not_sent(e));
                }
            }
            Step::ShowOrders => self.view.tab = Tab::Orders,
            Step::RefreshBalance => self.run_command(Command::RefreshBalance),
        }
    }

    /// Refused for stock or price: the best other server for the same service and country (under
    /// the price ceiling) is offered with the message just said, one click from its confirmation
    /// (for one number).
    pub(crate) fn offer_next_best(&mut self, refused: &crate::api::Offer) {
        let ceiling = self.settings.ceiling_for(&refused.service_code);
        let currency = self.settings.currency.clone();
        let Some(s) = self.session() else { return };
        let Some(next) = s.offers.next_best(refused, ceiling).cloned() else {
            return;
        };
        let delivery = s.offers.delivery_of(&next);
        let currency = s.currency(&currency);
        let label = describe::buy_instead(&next, &describe::price(&next, &currency), &delivery);
        self.messages.offer_instead(label, next);
    }

    fn adopted(&mut self, attempt_id: &str, result: AdoptResult, found_by: FoundBy) {
        match result {
            AdoptResult::Adopted(order) => {
                let order = *order;
                let Some(s) = self.session_mut() else { return };
                let phone = order.phone.clone();
                let what = format!(
                    "{}, {}",
                    order.service_name,
                    crate::countries::country_name(&order.country)
                );
                s.adopt(attempt_id, order);
                self.view.orders.adopt.remove(attempt_id);
                if found_by == FoundBy::OpenOrders {
                    self.messages
                        .success(text::found_in_open_orders(&what, &phone));
                } else {
                    self.messages.success(text::adopted(&phone));
                }
                self.run_command(Command::RefreshBalance);
            }
            AdoptResult::Refused(e) if found_by == FoundBy::OpenOrders => {
                // Listed as open a moment ago, unknown now: looked for again later.
                tracing::info!("an order of the open list was not adopted: {e}");
            }
            AdoptResult::Refused(e) => {
                tracing::info!("order id not adopted: {e}");
                let sentence = match e.provider_error() {
                    Some(ProviderError::NoActivation) => text::ADOPT_UNKNOWN_ID.to_owned(),
                    _ => describe::api_error(&e),
                };
                self.view
                    .orders
                    .adopt
                    .entry(attempt_id.to_owned())
                    .or_default()
                    .error = Some(sentence);
            }
            AdoptResult::NotSaved(e) => {
                tracing::error!("adopted order not saved: {e}");
                self.money_notice(text::order_not_saved(&e));
            }
        }
    }

    /// A notice about money or orders: a card at the top of Orders (shown at once), kept until
    /// dismissed; the same notice is not repeated. Without a session, a problem message.
    fn money_notice(&mut self, sentence: String) {
        tracing::warn!("notice shown in Orders");
        match self.session_mut() {
            Some(s) => {
                if !s.notices.contains(&sentence) {
                    s.notices.push(sentence);
                }
                self.view.tab = Tab::Orders;
            }
            None => self.messages.error(sentence),
        }
    }

    /// A task that ended without its result: a bug. Said in words; a purchase is then read back
    /// from the orders database, where its attempt row says "not confirmed".
    fn task_failed(&mut self, job: &crate::worker::Job, panicked: bool) {
        tracing::error!(?job, panicked, "a background task ended without a result");
        if *job == crate::worker::Job::Purchase {
            // No more numbers after a purchase whose end is unknown.
            if let Some(s) = self.session_mut() {
                s.batch = None;
                if let Some(InFlight::Replacement { plan, .. }) = s.in_flight.take() {
                    s.replacing.retain(|p| p.id != plan);
                }
            }
            self.money_notice(text::PURCHASE_TASK_FAILED.to_owned());
            self.reopen_orders();
        } else if !matches!(job, crate::worker::Job::Poll(_)) {
            if let crate::worker::Job::SetStatus(order_id) = job {
                // A replacement waiting for this cancel is told it was not confirmed.
                self.replace_cancel_answered(order_id, false);
            }
            self.messages.error(text::TASK_FAILED);
        }
    }

    /// Reads the orders database again (after a purchase whose task failed: its attempt row is
    /// there).
    fn reopen_orders(&mut self) {
        let Some(s) = self.session() else { return };
        let (generation, path, key, api_url) = (
            s.generation,
            s.store_path.clone(),
            s.client.config().key.clone(),
            s.client.config().api_url.clone(),
        );
        self.worker.open_store(generation, path, key, api_url);
    }

    /// A failed background read: shown once, not repeated on every retry.
    fn read_failed(&mut self, what: &str, e: &ApiError) {
        tracing::warn!("{what}: {e}");
        let Some(s) = self.session_mut() else { return };
        note_unreachable(s, e);
        if !e.is_unreachable() {
            self.messages.error_raw(
                text::read_failed(what, &describe::api_error_brief(e)),
                e.raw_reply(),
            );
        }
    }

    fn polled(
        &mut self,
        order_id: &str,
        result: Result<OrderStatus, ApiError>,
        ctx: &egui::Context,
    ) {
        match result {
            Ok(status) => self.poll_answered(order_id, status, ctx),
            Err(e) => self.poll_failed(order_id, &e),
        }
    }

    pub(crate) fn poll_answered(
        &mut self,
        order_id: &str,
        status: OrderStatus,
        ctx: &egui::Context,
    ) {
        let lifetime_ms = self.settings.order_lifetime_ms();
        let Some(s) = self.session_mut() else { return };
        s.reachable();
        let Some((before, order)) = s.apply_status(order_id, &status, lifetime_ms) else {
            return;
        };
        for step in after_status(&before, &order) {
            self.status_step(step, &order, ctx);
        }
    }

    /// Does one step of what follows a status answer (`after_status`).
    fn status_step(&mut self, step: StatusStep, order: &Order, ctx: &egui::Context) {
        match step {
            StatusStep::Save => {
                if let Some(s) = self.session_mut() {
                    s.save_order(order);
                }
            }
            StatusStep::NoteCodeTime => {
                if let Some(s) = self.session_mut() {
                    s.clock
                        .code_came(&order.order_id, crate::clock::monotonic());
                    s.learn_typical_delays();
                }
            }
            StatusStep::SayExpired => self
                .messages
                .info(text::expired_refunded(&order.service_name, &order.phone)),
            StatusStep::RefreshBalance => self.run_command(Command::RefreshBalance),
            StatusStep::TellCode => self.code_arrived(order, ctx),
        }
    }

    fn poll_failed(&mut self, order_id: &str, e: &ApiError) {
        tracing::info!("status of an order: {e}");
        let lock_ms = self.cancel_lock_ms();
        let Some(s) = self.session_mut() else { return };
        let not_known = matches!(e.provider_error(), Some(ProviderError::NoActivation));
        let problem = describe::api_error(e);
        let Some((_, ended)) =
            s.apply_poll_failure(order_id, e, problem, text::NOT_KNOWN_YET, lock_ms)
        else {
            return;
        };
        if not_known {
            if ended {
                self.run_command(Command::RefreshBalance);
            }
            return;
        }
        note_unreachable(s, e);
    }

    fn code_arrived(&mut self, order: &Order, ctx: &egui::Context) {
        let sms = order.code.clone().unwrap_or_default();
        let code = crate::orders::likely_code(&sms).unwrap_or(sms);
        if self.settings.notifications || self.settings.sound {
            let (summary, body) = text::code_notification(&order.service_name, &code, &order.phone);
            self.notify_code(summary, body);
        }
        if self.view.tab != Tab::Orders {
            if self.window_in_use(ctx) {
                // The person is busy on another tab: said where they look, and the tab's name
                // counts the codes ready.
                if let Some(s) = self.session_mut() {
                    s.unseen_codes += 1;
                }
                self.messages
                    .info(text::code_arrived_elsewhere(&order.service_name, &code));
            } else {
                // Nobody at the window: it shows the code when they come back.
                self.select_tab(Tab::Orders);
            }
        }
        ctx.send_viewport_cmd(egui::ViewportCommand::RequestUserAttention(
            egui::UserAttentionType::Informational,
        ));
        if self.settings.auto_copy_code {
            ctx.copy_text(code);
            self.messages.info(text::CODE_COPIED_AUTOMATICALLY);
        }
    }

    fn status_set(
        &mut self,
        order_id: &str,
        action: SetAction,
        result: Result<SetStatusReply, ApiError>,
    ) {
        let Some(order) = self.session().and_then(|s| s.order(order_id)) else {
            return;
        };
        let what = text::order_what(&order.service_name, &order.phone);
        // Only InstaOTP's "cancelled" is a confirmed refund (replace-if-no-code waits for it).
        let confirmed = matches!(result, Ok(SetStatusReply::Cancelled));
        let cancellable_later = self.apply_status_set(order_id, action, result, &what);
        if action == SetAction::Cancel {
            // A longer lock learnt, short of the order's lifetime: nothing happened, and a
            // replacement plan watches the number again, to cancel it past that lock.
            if cancellable_later {
                self.watch_again(order_id);
            } else {
                self.replace_cancel_answered(order_id, confirmed);
            }
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
    ) -> bool {
        use crate::orders::outcome::StatusSetOutcome;
        let what = what.to_owned();
        let lock_ms = self.cancel_lock_ms();
        let lifetime_ms = self.settings.order_lifetime_ms();
        let Some(s) = self.session_mut() else {
            return false;
        };
        let Some((outcome, _)) = s.settle_status_set(order_id, &result, lock_ms) else {
            return false;
        };
        if let Err(e) = &result {
            tracing::warn!("set status: {e}");
            note_unreachable(s, e);
        }
        if outcome == StatusSetOutcome::TooEarly && action == SetAction::Cancel {
            // This provider's lock is longer: no cancel of any order before it is over.
            let learned = s.learn_cancel_lock(order_id, lock_ms, lifetime_ms);
            if learned > lock_ms {
                let wait = u64::try_from(learned / 1000).unwrap_or(0);
                self.messages.warn(text::cancel_lock_longer(&what, wait));
                return learned < lifetime_ms;
            }
        }
        let (brief, raw) = match &result {
            Err(e) => (describe::api_error_brief(e), e.raw_reply()),
            Ok(_) => (String::new(), None),
        };
        match outcome {
            StatusSetOutcome::Done(reply) => self.status_changed(&reply, &what),
            StatusSetOutcome::AlreadyEnded(state) => {
                self.run_command(Command::RefreshBalance);
                // Not a failure: the order was closed before; said as it ended.
                if state == OrderState::Gone {
                    self.messages.info(text::no_longer_known(&what));
                } else {
                    self.messages.info(text::already_cancelled(
                        &what,
                        state == OrderState::Cancelled,
                    ));
                }
            }
            // Refused, or never sent: nothing happened.
            StatusSetOutcome::Refused | StatusSetOutcome::TooEarly => self
                .messages
                .error_raw(describe::status_change_failed(action, &what, &brief), raw),
            // Sent, answer lost: it may have happened; the next poll tells.
            StatusSetOutcome::Unclear => self
                .messages
                .warn_raw(describe::status_change_unclear(action, &what, &brief), raw),
        }
        false
    }

    fn status_changed(&mut self, reply: &SetStatusReply, what: &str) {
        match reply {
            SetStatusReply::Cancelled => {
                self.messages.success(text::cancelled(what));
                self.run_command(Command::RefreshBalance);
            }
            SetStatusReply::Finished => self.messages.success(text::finished(what)),
            SetStatusReply::RetryRequested => self.messages.info(text::another_sms_asked(what)),
            SetStatusReply::Ready => {}
        }
    }

    fn store_opened(&mut self, result: Result<Box<OpenedStore>, StoreError>) {
        match result {
            Ok(opened) => {
                let OpenedStore {
                    store,
                    orders,
                    unreadable,
                    set_aside,
                    saved_offers,
                    account,
                    active_offered,
                    unfinished,
                } = *opened;
                if let Some(path) = set_aside {
                    self.money_notice(text::orders_set_aside(&path));
                }
                if unreadable > 0 {
                    self.money_notice(text::orders_from_newer_version(unreadable));
                }
                let ctx = self.ctx.clone();
                let wake = move || ctx.request_repaint();
                let writer = crate::orders::OrderWriter::start(wake, store.clone());
                let favourites = self.settings.favourites.clone();
                let Some(s) = self.session_mut() else { return };
                if let Some((at, offers)) = saved_offers
                    && s.offers_loaded.is_none()
                {
                    s.offers.set_offers(offers, &favourites);
                    s.offers_as_of = Some(at);
                }
                let active = orders.iter().filter(|o| o.is_active()).count();
                if active > 0 {
                    tracing::info!(active, "resuming orders");
                }
                s.store = Some(super::session::OpenStore { store, writer });
                s.account = Some(account);
                s.polling
                    .lock()
                    .poller
                    .set_typical(super::poller::typical_delays(orders.iter()));
                s.set_orders(orders);
                s.active_offered = active_offered;
                // What the last run left undone: said on a card, done again only if asked.
                s.saved_unfinished = unfinished.clone();
                s.unfinished_before = unfinished
                    .and_then(|json| {
                        serde_json::from_str::<super::unfinished::Unfinished>(&json).ok()
                    })
                    .filter(|u| !u.is_empty());
                self.choose_start_tab();
            }
            Err(e) => {
                tracing::error!("orders database: {e}");
                self.money_notice(text::orders_not_opened(&e));
            }
        }
        self.refresh_offers();
    }

    /// Writes of the order writer that failed since the last frame.
    pub(crate) fn report_failed_writes(&mut self) {
        let failures = self
            .session()
            .and_then(|s| s.store.as_ref())
            .map(|open| open.writer.failures())
            .unwrap_or_default();
        for e in failures {
            self.order_not_saved(&e);
        }
    }

    fn order_not_saved(&mut self, e: &StoreError) {
        tracing::error!("an order could not be saved: {e}");
        self.money_notice(text::order_not_saved(e));
    }

    fn history_exported(
        &mut self,
        path: &std::path::Path,
        count: usize,
        result: std::io::Result<()>,
    ) {
        match result {
            Ok(()) => self.messages.info(text::exported(count, path)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                self.messages.error(text::export_exists(path));
            }
            Err(e) => {
                tracing::warn!("export: {e}");
                self.messages.error(text::export_failed(path, &e));
            }
        }
    }

    fn history_deleted(&mut self, result: Result<usize, StoreError>) {
        match result {
            Ok(n) => self.messages.info(text::history_deleted(n)),
            Err(e) => {
                tracing::error!("delete history: {e}");
                self.messages.error(text::history_not_deleted(&e));
            }
        }
    }

    fn settings_saved(&mut self, result: std::io::Result<()>) {
        if let Err(e) = result {
            tracing::error!("settings: {e}");
            self.messages.error(text::settings_not_saved(&e));
        }
    }
}

fn note_unreachable(session: &mut Session, e: &ApiError) {
    if e.is_unreachable() {
        session.unreachable_since.get_or_insert_with(Instant::now);
    } else {
        session.reachable();
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
