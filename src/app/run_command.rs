//! Runs what the screens asked for: connecting and signing out, buying, cancelling, the history's
//! disk work, the demo.

use super::{App, Command, Confirm, Generation, KeyPlace, Session, Stage, Tab, view};
use crate::api::{ApiKey, Offer, SetAction, validate_api_url};
use crate::app::describe;
use crate::orders::export::Replace;
use crate::orders::{Millis, Order, now_millis};
use crate::platform::file_dialog::SaveChoice;
use crate::sim::{DEMO_KEY, SimConfig, Simulator};
use crate::text;
use crate::worker::{AppEvent, Job, SessionEvent};

impl App {
    pub fn run_command(&mut self, command: Command) {
        match command {
            Command::CheckKey(key) => self.check_key(key),
            Command::UseKeyForSession => self.use_key_for_session(),
            Command::StartDemo => self.start_demo(),
            c @ (Command::At { .. }
            | Command::AddProvider { .. }
            | Command::AskRemoveProvider(_)
            | Command::RemoveProviderConfirmed(_)) => self.run_provider_command(c),
            Command::LeaveDemo => self.leave_demo(),
            Command::RemoveKey => self.ask(Confirm::RemoveKey),
            Command::RemoveKeyConfirmed => {
                self.close_dialog();
                self.worker.remove_key(self.config.keychain.clone());
            }
            Command::RefreshBalance => self.refresh_balance(),
            Command::DismissNotice(i) => self.dismiss_notice(i),
            Command::RefreshOffers => self.refresh_offers(),
            Command::AskBuy(offer) => self.ask(Confirm::Buy(offer)),
            Command::AskBuyAgain(order) => self.ask_buy_again(&order),
            Command::Buy(offer, options) => self.buy(offer, options),
            Command::StopBuying => self.stop_buying(),
            Command::StopReplacing(plan) => self.stop_replacing(plan),
            Command::AskCancel(id) => self.ask(Confirm::Cancel(id)),
            Command::Cancel(id) => {
                self.close_dialog();
                self.set_status(id, SetAction::Cancel);
            }
            Command::Finish(id) => {
                self.set_status(id, SetAction::Finish);
            }
            Command::AnotherSms(id) => {
                self.set_status(id, SetAction::AnotherSms);
            }
            Command::CloseDialog => self.close_dialog(),
            Command::Copy { text, what, of } => {
                self.messages.info(describe::copied(what, &text, &of));
                self.ctx.copy_text(text);
            }
            Command::CopyNewestCode => self.copy_newest_code(),
            Command::SelectTab(tab) => self.select_tab(tab),
            Command::ToggleFavourite(key) => self.toggle_favourite(key),
            Command::SetCompactOrders(on) => self.settings.compact_orders = on,
            Command::SetServiceCeiling(service, ceiling) => {
                self.settings.set_service_ceiling(service, ceiling);
            }
            Command::SortBy(column) => self.sort_offers_by(column),
            Command::ApplyApiUrl { url, key_again } => self.apply_api_url(&url, &key_again),
            Command::ResetApiUrl => {
                self.settings.api_url = crate::api::DEFAULT_API_URL.to_owned();
                self.view.settings.api_url = self.settings.api_url.clone();
                self.reconnect();
            }
            Command::EncodingChanged => self.reconnect(),
            Command::OpenLogFolder => self.open_log_folder(),
            Command::TestNotification => self.test_notification(),
            Command::Dismiss(id) => self.messages.dismiss(id),
            Command::AskDeleteHistory(day) => self.ask(Confirm::DeleteHistory(day)),
            Command::DeleteHistoryBefore(before) => self.delete_history_before(before),
            Command::ExportHistory(format) => self.ask_export_path(format),
            Command::ExportHistoryTo(path) => self.export_history(&path),
            Command::OpenWebsite => self.open_website(),
            Command::CheckForUpdates => self.check_for_updates(),
            Command::OpenDownloadPage => self.open_download_page(),
            Command::AdoptAttempt {
                attempt_id,
                order_id,
                phone,
            } => self.adopt_attempt(&attempt_id, &order_id, &phone),
            Command::MarkNotBought(attempt_id) => self.mark_not_bought(&attempt_id),
            Command::LeaveOtherKeyOrder(order_id) => self.leave_other_key_order(&order_id),
            Command::AskQuit(waiting) => self.ask(Confirm::Quit(waiting)),
            Command::QuitConfirmed => self.quit_confirmed(),
            Command::RestartToUpdate => self.restart_to_update(),
            Command::RestartToUpdateConfirmed => self.restart_to_update_confirmed(),
            Command::ResumeUnfinished => self.resume_unfinished(),
            Command::LeaveUnfinished => self.leave_unfinished(),
        }
    }

    fn quit_confirmed(&mut self) {
        self.close_dialog();
        self.ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }

    fn dismiss_notice(&mut self, i: usize) {
        if let Some(s) = self.session_mut()
            && i < s.notices.len()
        {
            s.notices.remove(i);
        }
    }

    fn sort_offers_by(&mut self, column: Option<crate::offers::Column>) {
        let favourites = self.settings.favourites.clone();
        if let Some(s) = self.session_mut() {
            match column {
                Some(column) => s.offers.sort_by(column, &favourites),
                None => s.offers.sort_usual(&favourites),
            }
        }
    }

    fn ask(&mut self, confirm: Confirm) {
        if let Confirm::Buy(_) = &confirm {
            // Each confirmation starts with one number and no replacements.
            self.view.buy = view::BuyForm::new(&self.settings);
        }
        if let Some(s) = self.session_mut() {
            s.confirm = Some(confirm);
        }
    }

    pub(crate) fn close_dialog(&mut self) {
        if let Some(s) = self.session_mut() {
            s.confirm = None;
        }
    }

    fn copy_newest_code(&mut self) {
        match self.session().and_then(Session::newest_code) {
            Some((code, of)) => self.run_command(Command::Copy {
                text: code,
                what: super::Copied::Code,
                of,
            }),
            None => self.messages.info(text::NO_CODE_TO_COPY),
        }
    }

    pub(crate) fn select_tab(&mut self, tab: Tab) {
        if tab == Tab::Orders
            && let Some(s) = self.session_mut()
        {
            s.unseen_codes = 0;
        }
        self.view.tab = tab;
    }

    fn toggle_favourite(&mut self, key: String) {
        if !self.settings.favourites.remove(&key) {
            self.settings.favourites.insert(key);
        }
        let favourites = self.settings.favourites.clone();
        if let Some(s) = self.session_mut() {
            s.offers.refresh(&favourites);
        }
        for s in self.provider_sessions_mut() {
            s.offers.refresh(&favourites);
        }
    }

    fn apply_api_url(&mut self, url: &str, key_again: &ApiKey) {
        let elsewhere = crate::api::host_of(url) != crate::api::host_of(&self.settings.api_url);
        let key_matches = self.session().is_some_and(|s| {
            !key_again.is_empty() && s.client.config().key.expose() == key_again.expose()
        });
        if elsewhere && !key_matches && validate_api_url(url).is_ok() {
            // The key goes to another place only when the person typed it again.
            self.messages.error(text::API_URL_KEY_AGAIN);
            return;
        }
        match validate_api_url(url) {
            Ok(_) => {
                self.settings.api_url = url.trim().to_owned();
                self.messages.info(text::API_URL_SAVED);
                self.reconnect();
            }
            Err(e) => {
                if e == crate::api::ApiError::UrlWithExtras {
                    // What was typed may hold the key: it does not stay on screen either.
                    self.view.settings.api_url = self.settings.api_url.clone();
                }
                self.messages.error(describe::api_error(&e));
            }
        }
    }

    /// A key accepted but not kept in the keychain, used until the app closes.
    fn use_key_for_session(&mut self) {
        if let Some(key) = self.unsaved_key.take() {
            self.view.clear_key_forms();
            self.connect(key, KeyPlace::SessionOnly);
        }
    }

    fn check_key(&mut self, key: ApiKey) {
        if key.is_empty() {
            self.view.welcome.error = Some(text::PASTE_KEY_FIRST.into());
            return;
        }
        match self.client_for(self.api_url(), key) {
            Ok(client) => {
                self.view.welcome.error = None;
                self.unsaved_key = None;
                self.worker.check_key(client);
            }
            Err(e) => self.view.welcome.error = Some(describe::api_error(&e)),
        }
    }

    /// Starts a new session with `key`, replacing the current one whole.
    pub(crate) fn connect(&mut self, key: ApiKey, key_place: KeyPlace) {
        let url = match key_place {
            KeyPlace::Demo => self.sim.as_ref().map(Simulator::url).unwrap_or_default(),
            _ => self.api_url(),
        };
        let client = match self.client_for(url, key) {
            Ok(c) => c,
            Err(e) => {
                self.messages.error(describe::api_error(&e));
                self.stage = Stage::Welcome;
                return;
            }
        };
        self.next_generation += 1;
        let generation = Generation(self.next_generation);
        self.worker.start_session(generation);
        // Demo orders live in their own database: they never mix with real ones.
        let file = if key_place == KeyPlace::Demo {
            "orders-demo.sqlite"
        } else {
            "orders.sqlite"
        };
        let store_path = self.config.data_dir.join(file);
        self.worker.refresh_balance(generation, &client);
        // The offers are asked for once the orders database is open (a few milliseconds): the
        // ones kept there show first, and the new ones are kept there.
        self.worker.open_store(
            generation,
            store_path.clone(),
            client.config().key.clone(),
            client.config().api_url.clone(),
        );
        let polling = super::poll_driver::Polling::start(
            self.ctx.clone(),
            client.clone(),
            self.poll_policy(),
        );
        let session = Session::new(generation, client, key_place, store_path, polling);
        self.stage = Stage::SignedIn(Box::new(session));
        // The other providers sign in beside it (not in the demo).
        if key_place == KeyPlace::Demo {
            self.sign_out_providers();
        } else {
            self.start_providers();
        }
    }

    /// Builds the client again after a change of address or encoding, keeping the key.
    fn reconnect(&mut self) {
        let Some(s) = self.session() else { return };
        if s.key_place == KeyPlace::Demo {
            return;
        }
        let key = s.client.config().key.clone();
        let place = s.key_place;
        self.connect(key, place);
    }

    /// Ends the session (its pending results are dropped when they come) and shows Welcome.
    pub(crate) fn sign_out(&mut self) {
        self.stage = Stage::Welcome;
        self.sign_out_providers();
        self.unsaved_key = None;
    }

    fn leave_demo(&mut self) {
        self.stage = Stage::Loading;
        self.sim = None;
        self.worker.load_key(self.config.keychain.clone());
    }

    fn start_demo(&mut self) {
        let mut config = SimConfig::demo();
        // For screenshots and measurements: a demo with a large generated catalogue.
        if let Some(n) = std::env::var("INSTAOTP_DEMO_OFFERS")
            .ok()
            .and_then(|n| n.parse().ok())
        {
            config.offers = crate::sim::generated_catalogue(n);
        }
        // For measurements of frames while orders wait: how long demo codes take.
        if let Some(secs) = std::env::var("INSTAOTP_DEMO_CODE_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
        {
            config.code_delay = Some(std::time::Duration::from_secs(secs));
        }
        if self.worker.is_busy(&Job::StartDemo) {
            return;
        }
        self.worker.spawn_app_blocking(Job::StartDemo, move || {
            AppEvent::DemoStarted(Simulator::start(config).map(Box::new))
        });
    }

    pub(crate) fn demo_started(&mut self, started: std::io::Result<Box<Simulator>>) {
        if self.session().is_some() {
            // A key was accepted while the demo was starting: that session stays.
            return;
        }
        match started {
            Ok(sim) => {
                self.sim = Some(*sim);
                self.connect(ApiKey::new(DEMO_KEY), KeyPlace::Demo);
                self.messages.info(text::DEMO_STARTED);
            }
            Err(e) => {
                tracing::error!("demo: {e}");
                self.messages.error(text::demo_failed(&e));
            }
        }
    }

    /// Reads the balance. A read already on its way may have left before the money event that
    /// asks for this one: it is asked again when that read is back.
    fn refresh_balance(&mut self) {
        let busy = self.worker.is_busy(&Job::Balance);
        if let Some(s) = self.session_mut() {
            if busy {
                s.balance_again = true;
                return;
            }
            let (generation, client) = (s.generation, s.client.clone());
            self.worker.refresh_balance(generation, &client);
        }
    }

    pub(crate) fn refresh_offers(&mut self) {
        if let Some(s) = self.session_mut() {
            s.offers_error = None;
            let (generation, client) = (s.generation, s.client.clone());
            let store = s.store.as_ref().map(|open| open.store.clone());
            self.worker.refresh_offers(generation, &client, store);
        }
    }

    /// "Buy again": the offer as the list has it now, or as it was when the list is not loaded.
    fn ask_buy_again(&mut self, order: &Order) {
        let offer = self
            .session()
            .and_then(|s| s.offers.offer_of(order).cloned())
            .unwrap_or_else(|| Offer::from(order));
        self.ask(Confirm::Buy(offer));
    }

    /// Sends a cancel, finish or "another SMS" for the order; false when it was not sent (said
    /// why, or another change of it is already out).
    pub(crate) fn set_status(
        &mut self,
        order_id: crate::orders::OrderId,
        action: SetAction,
    ) -> bool {
        let lock_ms = self.cancel_lock_ms();
        let lock_secs = u64::try_from(lock_ms / 1000).unwrap_or(0);
        let Some(s) = self.session() else {
            return false;
        };
        let Some(order) = s.order(&order_id) else {
            return false;
        };
        if self.worker.is_busy(&Job::SetStatus(order_id.clone())) {
            return false;
        }
        if !s.is_ours(order) {
            // Never with the wrong key: its answer (NO_ACTIVATION) could close the order.
            self.messages.warn(text::OTHER_ACCOUNT);
            return false;
        }
        // The provider's lock: a cancel is never sent before it is over.
        let now = s.now_for(order, now_millis());
        if action == SetAction::Cancel && order.cancel_wait_ms(now, lock_ms) > 0 {
            self.messages.warn(text::cancel_locked(lock_secs));
            return false;
        }
        let (generation, client) = (s.generation, s.client.clone());
        self.worker
            .set_status(generation, &client, order_id, action);
        true
    }

    fn open_log_folder(&mut self) {
        let dir = self.config.data_dir.join("logs");
        if let Err(e) = crate::platform::open::open(dir.as_os_str()) {
            tracing::warn!("open log folder: {e}");
            self.messages.warn(text::log_folder_not_opened(&e, &dir));
        }
    }

    fn open_website(&mut self) {
        if let Err(e) = crate::platform::open::open(crate::api::WEBSITE.as_ref()) {
            tracing::warn!("open website: {e}");
            self.messages.warn(describe::website_not_opened(&e));
        }
    }

    /// "Add it by order id": the provider is asked about the id; the order is followed when it
    /// knows it.
    fn adopt_attempt(&mut self, attempt_id: &str, order_id: &str, phone: &str) {
        let lifetime_ms = self.settings.order_lifetime_ms();
        let order_id = order_id.trim();
        if !crate::orders::plausible_order_id(order_id) {
            self.view
                .orders
                .adopt
                .entry(attempt_id.to_owned())
                .or_default()
                .error = Some(text::ADOPT_BAD_ID.to_owned());
            return;
        }
        let Some(s) = self.session() else { return };
        let (Some(attempt), Some(open)) = (s.order(attempt_id), &s.store) else {
            return;
        };
        if !s.is_ours(attempt) {
            // The card offers nothing then; a command from elsewhere changes nothing either.
            return;
        }
        if s.order(order_id).is_some() {
            self.view
                .orders
                .adopt
                .entry(attempt_id.to_owned())
                .or_default()
                .error = Some(text::ADOPT_ALREADY_FOLLOWED.to_owned());
            return;
        }
        let purchase = crate::api::Purchase {
            order_id: order_id.to_owned(),
            phone: phone.trim().to_owned(),
        };
        let (generation, client, store) = (s.generation, s.client.clone(), open.store.clone());
        let attempt = attempt.clone();
        self.worker.adopt(
            generation,
            &client,
            store,
            attempt,
            purchase,
            lifetime_ms,
            crate::orders::reconcile::FoundBy::Person,
        );
    }

    fn leave_other_key_order(&mut self, order_id: &str) {
        if let Some(s) = self.session_mut() {
            s.leave_other_key_order(order_id);
        }
    }

    fn mark_not_bought(&mut self, attempt_id: &str) {
        if let Some(s) = self.session_mut() {
            s.mark_not_bought(attempt_id);
        }
    }

    /// Asks where to save the history: the system's "Save as" dialog (off the UI thread), or the
    /// app's own when this desktop has none. Offers a new file name in the Documents folder. The
    /// rows are the ones the history shows when Export is clicked.
    fn ask_export_path(&mut self, format: crate::orders::export::ExportFormat) {
        if self.worker.is_busy(&Job::SaveDialog) {
            return;
        }
        if self.session().is_none() {
            return;
        }
        let dir = self.config.export_dir.clone().unwrap_or_else(|| {
            directories::UserDirs::new()
                .and_then(|d| d.document_dir().map(|p| p.to_path_buf()))
                .unwrap_or_else(|| self.config.data_dir.join("exports"))
        });
        let suggested =
            crate::orders::export::suggested_path(&dir, now_millis(), &self.time_zone, format);
        let history = self.shown_history();
        let currency = self.export_currency();
        let dialog = self.config.save_dialog.clone();
        // App-wide: a file written after a sign-out is still reported.
        self.worker.spawn_app_blocking(Job::SaveDialog, move || {
            match dialog.save_as(describe::export_title(format), &suggested) {
                // The system dialog has already asked before replacing a file.
                SaveChoice::Chosen(path) => export(path, &history, Replace::Yes, &currency),
                SaveChoice::Cancelled => AppEvent::SaveDialogClosed,
                SaveChoice::Unavailable => AppEvent::SaveDialogUnavailable { suggested },
            }
        });
    }

    pub(crate) fn save_dialog_unavailable(&mut self, suggested: std::path::PathBuf) {
        // The app's own dialog belongs to the provider whose history is shown: the file it
        // names gets that provider's rows.
        let shown = self.view.orders.history_provider.clone();
        let index = shown.and_then(|id| self.providers.iter().position(|p| p.entry().id == id));
        if let Some(index) = index
            && self
                .with_provider(index, |app| app.own_save_dialog(suggested.clone()))
                .is_some()
        {
            return;
        }
        self.own_save_dialog(suggested);
    }

    /// Opens the app's own "Save as" dialog in the session in front.
    fn own_save_dialog(&mut self, suggested: std::path::PathBuf) {
        let Some(s) = self.session_mut() else { return };
        if s.confirm.is_none() {
            s.confirm = Some(Confirm::Export);
            self.view.orders.export_path = suggested.display().to_string();
        }
    }

    /// Saves the history as the app's own save dialog says; an existing file is never replaced.
    fn export_history(&mut self, path: &str) {
        self.close_dialog();
        let history = self.shown_history();
        let currency = self.export_currency();
        let path = std::path::PathBuf::from(path.trim());
        self.worker.spawn_app_blocking(Job::ExportHistory, move || {
            export(path, &history, Replace::No, &currency)
        });
    }

    /// The currency amounts are shown with in a workbook, as on screen.
    fn export_currency(&self) -> String {
        let setting = &self.settings.currency;
        self.session()
            .map_or_else(
                || text::Currency::new(None, setting),
                |s| s.currency(setting),
            )
            .as_str()
            .to_owned()
    }

    /// The orders the history shows now, its filter applied.
    fn shown_history(&mut self) -> Vec<Order> {
        let filter = self.view.orders.history.clone();
        let tz = self.time_zone.clone();
        self.session_mut()
            .map(|s| s.shown_history(&filter, now_millis(), &tz))
            .unwrap_or_default()
    }

    fn delete_history_before(&mut self, before: Millis) {
        self.close_dialog();
        let Some(s) = self.session_mut() else { return };
        let Some(store) = s.store.as_ref().map(|open| open.store.clone()) else {
            return;
        };
        s.forget_history_before(before);
        let generation = s.generation;
        self.worker
            .spawn_session_blocking(generation, Job::DeleteHistory, move || {
                SessionEvent::HistoryDeleted(store.delete_closed_before(before))
            });
    }
}

/// Writes the file (CSV, or a workbook when its name ends in .xlsx).
fn export(
    path: std::path::PathBuf,
    history: &[Order],
    replace: Replace,
    currency: &str,
) -> AppEvent {
    let words = crate::orders::export::Words {
        status: describe::order_state_of,
        currency,
    };
    let result = crate::orders::export::export_to(&path, history, replace, words);
    AppEvent::HistoryExported {
        path,
        count: history.len(),
        result,
    }
}
