//! Applies what the worker delivered: the app's own events here, one method each; a session's
//! answers through `Session::apply`, whose effects the app then runs (`app/effect.rs`). Every
//! error is handled once: logged and shown in the words of [`crate::text`].

use crate::app::describe;
use std::time::Instant;

use super::batch_buy::InFlight;
use super::session::Inputs;
use super::{App, KeyPlace, Stage, Tab};
use crate::api::{ApiError, ApiKey, Balance};
use crate::orders::purchase::{PurchaseOutcome, PurchaseResult};
use crate::orders::{Order, StoreError};
use crate::platform::keychain::KeychainError;
use crate::text;
use crate::worker::{AppEvent, Delivered, Event, Scope, SessionEvent};

impl App {
    pub(crate) fn apply_event(&mut self, delivered: Delivered, ctx: &egui::Context) {
        let Delivered { scope, event } = delivered;
        let current = self.session().map(|s| s.generation);
        if let Scope::Session(generation) = scope
            && current != Some(generation)
            && let Some(index) = self.provider_of_generation(generation)
        {
            // Another provider's answer: applied with its session in front.
            let delivered = Delivered { scope, event };
            self.with_provider(index, |app| app.apply_event(delivered, ctx));
            return;
        }
        let of_now = match scope {
            Scope::Session(generation) => current == Some(generation),
            Scope::App => true,
        };
        match event {
            Event::App(event) => self.apply_app_event(event),
            // Every session job carries its generation (`Worker::spawn_session`).
            Event::Session(event) => {
                if of_now && scope != Scope::App {
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
            AppEvent::ProviderKeyLoaded { entry, result } => {
                self.provider_key_loaded(entry, result)
            }
            AppEvent::ProviderChecked { entry, key, result } => {
                self.provider_checked(entry, key, result)
            }
            AppEvent::ProviderKeySaved { entry, key, result } => {
                self.provider_key_saved(entry, key, result)
            }
            AppEvent::ProviderKeyRemoved { name, result } => {
                self.provider_key_removed(&name, result)
            }
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

    /// A session's answer: the session applies it (`Session::apply`) and the app does what it
    /// returns.
    fn apply_session_event(&mut self, event: SessionEvent, ctx: &egui::Context) {
        let Stage::SignedIn(session) = &mut self.stage else {
            return;
        };
        let inputs = Inputs {
            settings: &self.settings,
            ctx,
            now: Instant::now(),
        };
        let effects = session.apply(event, &inputs);
        self.run_effects(effects, ctx);
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

    /// Refused for stock or price: the best other offer for the same service and country (under
    /// the price ceiling) is offered with the message just said, one click from its confirmation
    /// (for one number): another server of the same provider, or another provider's offer where
    /// that is better (only a provider whose prices are in the same currency, that can sell now).
    pub(crate) fn offer_next_best(&mut self, refused: &crate::api::Offer) {
        let ceiling = self.settings.ceiling_for(&refused.service_code);
        let setting = self.settings.currency.clone();
        let Some(here) = self.session() else { return };
        let currency = here.currency(&setting);
        let front = self.front_provider();
        // (whose, its session, its offer) with the offer's rank; the refused offer's own first.
        let mut candidates = Vec::new();
        if let Some(next) = here.offers.next_best(refused, ceiling) {
            candidates.push(((front, here, next), here.offers.instead_rank(next)));
        }
        for (whose, s) in self.sessions_behind() {
            let sells = s.can_buy() && s.unreachable_since().is_none();
            if !sells || s.currency(&setting) != currency {
                continue;
            }
            // Another provider's servers are its own: none of them was tried.
            if let Some(next) = s.offers.next_best_excluding(refused, &[], ceiling) {
                candidates.push(((whose, s, next), s.offers.instead_rank(next)));
            }
        }
        let Some((whose, s, next)) = super::providers::pick_instead(candidates) else {
            return;
        };
        let price = describe::price(next, &currency);
        let delivery = s.offers.delivery_of(next);
        let label = if whose.map(|e| &e.id) == front.map(|e| &e.id) {
            describe::buy_instead(next, &price, &delivery)
        } else {
            let name = whose.map_or(text::FIRST_PROVIDER, |e| e.name.as_str());
            describe::buy_instead_from(name, next, &price, &delivery)
        };
        let provider = whose.map(|e| e.id.clone());
        let next = next.clone();
        self.messages.offer_instead(label, next, provider);
    }

    /// A notice about money or orders: a card at the top of Orders (shown at once), kept until
    /// dismissed (`Session::money_notice`). Without a session, a problem message.
    pub(crate) fn money_notice(&mut self, sentence: String) {
        let mut effects = Vec::new();
        match self.session_mut() {
            Some(s) => s.money_notice(sentence, &mut effects),
            None => {
                tracing::warn!("notice said as a message (no session)");
                self.messages.error(sentence);
            }
        }
        let ctx = self.ctx.clone();
        self.run_effects(effects, &ctx);
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

    pub(crate) fn code_arrived(&mut self, order: &Order, ctx: &egui::Context) {
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

    fn settings_saved(&mut self, result: std::io::Result<()>) {
        if let Err(e) = result {
            tracing::error!("settings: {e}");
            self.messages.error(text::settings_not_saved(&e));
        }
    }
}
