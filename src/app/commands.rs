//! Runs what the screens asked for.

use super::{App, Confirm, Connection, KeyPlace, Screen, Tab};
use crate::api::{ApiKey, SetAction, validate_api_url};
use crate::file_dialog::SaveChoice;
use crate::orders::export::Replace;
use crate::orders::{OrderStore, now_millis};
use crate::sim::{DEMO_KEY, SimConfig, Simulator};
use crate::ui::Command;
use crate::worker::{Event, Job};

impl App {
    pub fn run(&mut self, command: Command) {
        // Any command may change the orders the history shows.
        self.orders_rev += 1;
        match command {
            Command::CheckKey(text) => self.check_key(text),
            Command::UseKeyForSession => {
                if let Some(key) = self.unsaved_key.take() {
                    self.connect(key, KeyPlace::SessionOnly);
                }
            }
            Command::StartDemo => self.start_demo(),
            Command::LeaveDemo => {
                self.disconnect();
                self.sim = None;
                self.screen = Screen::Loading;
                self.worker.load_key(self.config.keychain.clone());
            }
            Command::RemoveKey => self.confirm = Some(Confirm::RemoveKey),
            Command::RemoveKeyConfirmed => {
                self.confirm = None;
                self.worker.remove_key(self.config.keychain.clone());
            }
            Command::RefreshBalance => {
                if let Some(conn) = &self.conn {
                    self.worker.refresh_balance(&conn.client);
                }
            }
            Command::RefreshServices => {
                if let Some(conn) = &self.conn {
                    self.offers_error = None;
                    self.worker.refresh_services(&conn.client);
                }
            }
            Command::AskBuy(offer) => self.confirm = Some(Confirm::Buy(offer)),
            Command::Buy(offer) => self.buy(offer),
            Command::AskCancel(id) => self.confirm = Some(Confirm::Cancel(id)),
            Command::Cancel(id) => {
                self.confirm = None;
                self.set_status(id, SetAction::Cancel);
            }
            Command::Finish(id) => self.set_status(id, SetAction::Finish),
            Command::AnotherSms(id) => self.set_status(id, SetAction::AnotherSms),
            Command::CloseDialog => self.confirm = None,
            Command::Copy { text, what } => {
                self.ctx.copy_text(text);
                self.messages.info(format!("{what} copied."));
            }
            Command::SelectTab(tab) => {
                if tab == Tab::Orders {
                    self.unseen_codes = 0;
                }
                self.tab = tab;
            }
            Command::ToggleFavourite(key) => {
                if !self.settings.favourites.remove(&key) {
                    self.settings.favourites.insert(key);
                }
                self.offers.refresh(&self.settings.favourites);
            }
            Command::SortBy(column) => self.offers.sort_by(column, &self.settings.favourites),
            Command::ApplyApiUrl(url) => match validate_api_url(&url) {
                Ok(_) => {
                    self.settings.api_url = url.trim().to_owned();
                    self.messages
                        .info("API address saved. It is used from the next connection.");
                    self.reconnect();
                }
                Err(e) => self.messages.error(e.user_message()),
            },
            Command::ResetApiUrl => {
                self.settings.api_url = crate::api::DEFAULT_API_URL.to_owned();
                self.settings_ui.api_url = self.settings.api_url.clone();
                self.reconnect();
            }
            Command::EncodingChanged => self.reconnect(),
            Command::OpenLogFolder => self.open_log_folder(),
            Command::Dismiss(id) => self.messages.dismiss(id),
            Command::AskDeleteHistory(day) => self.confirm = Some(Confirm::DeleteHistory(day)),
            Command::DeleteHistoryBefore(before) => self.delete_history_before(before),
            Command::ExportHistory => self.ask_export_path(),
            Command::ExportHistoryTo(path) => self.export_history(path),
        }
    }

    fn check_key(&mut self, text: String) {
        let key = ApiKey::new(text);
        if key.is_empty() {
            self.welcome.error = Some("Paste your API key first.".into());
            return;
        }
        match self.client_for(self.api_url(), key) {
            Ok(client) => {
                self.welcome.error = None;
                self.unsaved_key = None;
                self.worker.check_key(client);
            }
            Err(e) => self.welcome.error = Some(e.user_message()),
        }
    }

    pub(crate) fn connect(&mut self, key: ApiKey, key_place: KeyPlace) {
        let url = match key_place {
            KeyPlace::Demo => self.sim.as_ref().map(Simulator::url).unwrap_or_default(),
            _ => self.api_url(),
        };
        let client = match self.client_for(url, key) {
            Ok(c) => c,
            Err(e) => {
                self.messages.error(e.user_message());
                self.screen = Screen::Welcome;
                return;
            }
        };
        self.disconnect();
        self.worker.refresh_balance(&client);
        self.worker.refresh_services(&client);
        self.conn = Some(Connection {
            client,
            key_place,
            store: None,
        });
        self.screen = Screen::Main;
        // Demo orders live in their own database: they never mix with real ones.
        let file = if key_place == KeyPlace::Demo {
            "orders-demo.sqlite"
        } else {
            "orders.sqlite"
        };
        let path = self.config.data_dir.join(file);
        self.worker.spawn_blocking(Job::Disk, move || {
            Event::StoreOpened(
                OrderStore::open(&path)
                    .and_then(|s| s.load_all().map(|orders| Box::new((s, orders))))
                    .map_err(|e| e.to_string()),
            )
        });
    }

    /// Builds the client again after a change of address or encoding, keeping the key.
    fn reconnect(&mut self) {
        let Some(conn) = &self.conn else { return };
        if conn.key_place == KeyPlace::Demo {
            return;
        }
        let key = conn.client.config().key.clone();
        let place = conn.key_place;
        self.connect(key, place);
    }

    pub(crate) fn disconnect(&mut self) {
        self.conn = None;
        self.balance = None;
        self.unreachable_since = None;
        self.orders.clear();
        self.last_status.clear();
        self.offers
            .set_offers(Vec::new(), &self.settings.favourites);
        self.offers_loaded = None;
        self.highlight = None;
        self.unseen_codes = 0;
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
        if self.worker.is_busy(&Job::StartDemo) {
            return;
        }
        self.worker.spawn_blocking(Job::StartDemo, move || {
            Event::DemoStarted(
                Simulator::start(config)
                    .map(Box::new)
                    .map_err(|e| e.to_string()),
            )
        });
    }

    pub(crate) fn demo_started(&mut self, started: Result<Box<Simulator>, String>) {
        if self.conn.is_some() {
            // A key was accepted while the demo was starting: that session stays.
            return;
        }
        match started {
            Ok(sim) => {
                self.sim = Some(*sim);
                self.connect(ApiKey::new(DEMO_KEY), KeyPlace::Demo);
                self.messages
                    .info("Demo started: nothing here is real and no money is spent.");
            }
            Err(e) => self
                .messages
                .error(format!("The demo could not start ({e}).")),
        }
    }

    fn buy(&mut self, offer: crate::api::Offer) {
        self.confirm = None;
        let Some(conn) = &self.conn else { return };
        let balance = self.balance.as_ref().map(|(b, _)| b);
        if let Err(e) = crate::api::amount::balance_after(balance, offer.price) {
            self.messages.warn(e.to_string());
            return;
        }
        let Some(store) = conn.store.clone() else {
            self.messages
                .warn("Your orders are still loading; try again in a moment.");
            return;
        };
        if !self.worker.buy(&conn.client, Some(store), offer) {
            self.messages
                .warn("A purchase is already in progress. Wait for its result.");
        }
    }

    fn set_status(&mut self, order_id: String, action: SetAction) {
        let Some(conn) = &self.conn else { return };
        let Some(order) = self.orders.iter().find(|o| o.order_id == order_id) else {
            return;
        };
        if self.worker.is_busy(&Job::SetStatus(order_id.clone())) {
            return;
        }
        // The provider's lock: a cancel is never sent before it is over.
        if action == SetAction::Cancel
            && order.cancel_wait_ms(now_millis(), self.settings.cancel_lock_secs as i64 * 1000) > 0
        {
            self.messages.warn("This order can be cancelled 2 minutes after purchase. The button unlocks when that time has passed.");
            return;
        }
        self.worker.set_status(&conn.client, order_id, action);
    }

    fn open_log_folder(&mut self) {
        let dir = self.config.data_dir.join("logs");
        let opener = if cfg!(target_os = "windows") {
            "explorer"
        } else if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        };
        if let Err(e) = std::process::Command::new(opener).arg(&dir).spawn() {
            self.messages.warn(format!(
                "The folder could not be opened ({e}). The logs are in {}",
                dir.display()
            ));
        }
    }

    /// Asks where to save the history: the system's "Save as" dialog (off the UI thread), or the
    /// app's own when this desktop has none. Offers a new file name in the Documents folder. The
    /// rows are the ones the history shows when Export is clicked.
    fn ask_export_path(&mut self) {
        if self.worker.is_busy(&Job::SaveDialog) {
            return;
        }
        let dir = self.config.export_dir.clone().unwrap_or_else(|| {
            directories::UserDirs::new()
                .and_then(|d| d.document_dir().map(|p| p.to_path_buf()))
                .unwrap_or_else(|| self.config.data_dir.join("exports"))
        });
        let suggested = crate::orders::export::suggested_path(&dir, now_millis(), &self.time_zone);
        let history = self.shown_history();
        let dialog = self.config.save_dialog.clone();
        self.worker.spawn_blocking(Job::SaveDialog, move || {
            match dialog.save_as("Save the history as CSV", &suggested) {
                // The system dialog has already asked before replacing a file.
                SaveChoice::Chosen(path) => export_event(&path, &history, Replace::Yes),
                SaveChoice::Cancelled => Event::SaveDialogClosed,
                SaveChoice::Unavailable => Event::SaveDialogUnavailable { suggested },
            }
        });
    }

    pub(crate) fn save_dialog_unavailable(&mut self, suggested: std::path::PathBuf) {
        if self.confirm.is_none() {
            self.orders_ui.export_path = suggested.display().to_string();
            self.confirm = Some(Confirm::Export);
        }
    }

    /// Saves the history as the app's own save dialog says; an existing file is never replaced.
    fn export_history(&mut self, path: String) {
        self.confirm = None;
        let history = self.shown_history();
        let path = std::path::PathBuf::from(path.trim());
        self.worker.spawn_blocking(Job::Disk, move || {
            export_event(&path, &history, Replace::No)
        });
    }

    /// The orders the history shows now, its filter applied.
    fn shown_history(&mut self) -> Vec<crate::orders::Order> {
        let rows = self.history_view().rows.clone();
        rows.into_iter()
            .filter_map(|i| self.orders.get(i).cloned())
            .collect()
    }

    fn delete_history_before(&mut self, before: crate::orders::Millis) {
        self.confirm = None;
        let Some(store) = self.conn.as_ref().and_then(|c| c.store.clone()) else {
            return;
        };
        self.orders
            .retain(|o| o.is_active() || o.bought_at >= before);
        self.worker.spawn_blocking(Job::Disk, move || {
            Event::DiskDone(
                store
                    .delete_closed_before(before)
                    .map(|n| {
                        let orders = if n == 1 { "order" } else { "orders" };
                        format!("{n} old {orders} deleted from the history.")
                    })
                    .map_err(|e| e.to_string()),
            )
        });
    }
}

/// Writes the CSV and says how it went, in words.
fn export_event(
    path: &std::path::Path,
    history: &[crate::orders::Order],
    replace: Replace,
) -> Event {
    let count = history.len();
    Event::DiskDone(
        crate::orders::export::export_to(path, history, replace)
            .map(|()| {
                let orders = if count == 1 { "order" } else { "orders" };
                format!("{count} {orders} saved as {}", path.display())
            })
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => format!(
                    "{} already exists. Export again and choose another name.",
                    path.display()
                ),
                _ => format!(
                    "The history could not be saved as {} ({e}). Choose another folder.",
                    path.display()
                ),
            }),
    )
}
