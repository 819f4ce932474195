//! The eframe app: owns the state, runs the commands the screens return, applies the events the
//! worker delivers, and keeps orders polling whatever tab is shown.

mod commands;
mod events;
mod polling;

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::api::{ApiKey, Balance, Client, ClientConfig, Offer, OrderStatus};
use crate::file_dialog::{SharedSaveDialog, SystemSaveDialog};
use crate::keychain::SharedKeychain;
use crate::notify::{DesktopNotifier, SharedNotifier};
use crate::orders::history::{HistoryFilter, HistoryView};
use crate::orders::{Order, OrderStore};
use crate::services::OfferList;
use crate::settings::Settings;
use crate::sim::Simulator;
use crate::ui::{self, Command, Messages};
use crate::worker::Worker;

/// Everything `main` (or a test) decides before the window opens.
pub struct AppConfig {
    pub data_dir: PathBuf,
    pub keychain: SharedKeychain,
    /// `--api-url` / `INSTAOTP_API_URL`: wins over the address in Settings.
    pub api_url_override: Option<String>,
    /// `--demo`: start straight in the demo.
    pub demo: bool,
    /// The whole-request time limit (tests make it short).
    pub request_timeout: Duration,
    /// The first pause before a read is asked again.
    pub retry_backoff: Duration,
    /// Where history exports go; `None`: the Documents folder (else the data folder).
    pub export_dir: Option<PathBuf>,
    /// When the process started, to log how long the first frame with offers took.
    pub started: Instant,
    /// Where "a code arrived" is announced outside the window.
    pub notifier: SharedNotifier,
    /// The "Save as" dialog of the history export.
    pub save_dialog: SharedSaveDialog,
}

impl AppConfig {
    pub fn new(data_dir: PathBuf, keychain: SharedKeychain) -> Self {
        Self {
            data_dir,
            keychain,
            api_url_override: None,
            demo: false,
            request_timeout: Duration::from_secs(30),
            retry_backoff: Duration::from_millis(500),
            export_dir: None,
            started: Instant::now(),
            notifier: std::sync::Arc::new(DesktopNotifier),
            save_dialog: std::sync::Arc::new(SystemSaveDialog),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Reading the key from the keychain.
    Loading,
    Welcome,
    Main,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Services,
    Orders,
    Settings,
}

/// Where the key of the current session is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPlace {
    Keychain,
    SessionOnly,
    Demo,
}

pub struct Connection {
    pub client: Client,
    pub key_place: KeyPlace,
    /// `None` until the orders database is open.
    pub store: Option<OrderStore>,
}

/// What a confirmation dialog is about.
#[derive(Debug, Clone)]
pub enum Confirm {
    Buy(Offer),
    Cancel(String),
    RemoveKey,
    /// Where to save the history as CSV.
    Export,
    /// Delete the history bought before this day.
    DeleteHistory(jiff::civil::Date),
}

pub struct App {
    ctx: egui::Context,
    pub(crate) settings: Settings,
    saved_settings: Settings,
    pub(crate) config: AppConfig,
    pub(crate) worker: Worker,
    pub(crate) screen: Screen,
    pub(crate) tab: Tab,
    pub(crate) conn: Option<Connection>,
    sim: Option<Simulator>,
    pub(crate) balance: Option<(Balance, Instant)>,
    pub(crate) unreachable_since: Option<Instant>,
    pub(crate) offers: OfferList,
    pub(crate) offers_loaded: Option<Instant>,
    pub(crate) offers_error: Option<String>,
    /// Every order, newest first.
    pub(crate) orders: Vec<Order>,
    pub(crate) last_status: HashMap<String, OrderStatus>,
    next_poll: HashMap<String, Instant>,
    poll_failures: HashMap<String, u32>,
    recent_polls: VecDeque<Instant>,
    polls_paused_until: Option<Instant>,
    /// Orders the auto-cancel option already tried, so it asks once.
    auto_cancelled: std::collections::HashSet<String>,
    pub(crate) messages: Messages,
    pub(crate) welcome: ui::welcome::WelcomeForm,
    pub(crate) services_ui: ui::services::ServicesForm,
    pub(crate) orders_ui: ui::orders::OrdersForm,
    pub(crate) settings_ui: ui::settings::SettingsForm,
    pub(crate) confirm: Option<Confirm>,
    pub(crate) highlight: Option<String>,
    pub(crate) unseen_codes: usize,
    /// A key that was accepted but could not go into the keychain.
    pub(crate) unsaved_key: Option<ApiKey>,
    applied_visuals: Option<(crate::settings::Theme, f32)>,
    /// The first frame that showed offers was logged.
    first_offers_logged: bool,
    /// Counts frames in which orders may have changed (an event or a command was handled).
    orders_rev: u64,
    history: HistoryCache,
    pub(crate) time_zone: jiff::tz::TimeZone,
}

/// The history view with what it was computed from.
#[derive(Default)]
struct HistoryCache {
    key: Option<(HistoryFilter, u64, i64)>,
    view: HistoryView,
}

impl App {
    pub fn new(ctx: &egui::Context, config: AppConfig) -> Self {
        tracing::info!(
            ms = config.started.elapsed().as_millis() as u64,
            "window ready, app created"
        );
        // Read here, not on the worker: the first frame needs the theme and text size, and the
        // file is one small read from the local disk (the keychain and the orders database,
        // which can block, are opened on the worker).
        let (settings, warning) = Settings::load(&config.data_dir);
        let mut app = Self {
            ctx: ctx.clone(),
            saved_settings: settings.clone(),
            settings,
            worker: Worker::new(ctx.clone()),
            screen: Screen::Loading,
            tab: Tab::Services,
            conn: None,
            sim: None,
            balance: None,
            unreachable_since: None,
            offers: OfferList::default(),
            offers_loaded: None,
            offers_error: None,
            orders: Vec::new(),
            last_status: HashMap::new(),
            next_poll: HashMap::new(),
            poll_failures: HashMap::new(),
            recent_polls: VecDeque::new(),
            polls_paused_until: None,
            auto_cancelled: Default::default(),
            messages: Messages::default(),
            welcome: Default::default(),
            services_ui: Default::default(),
            orders_ui: Default::default(),
            settings_ui: Default::default(),
            confirm: None,
            highlight: None,
            unseen_codes: 0,
            unsaved_key: None,
            applied_visuals: None,
            first_offers_logged: false,
            orders_rev: 0,
            history: HistoryCache::default(),
            time_zone: crate::orders::history::local_time_zone(),
            config,
        };
        if let Some(w) = warning {
            app.messages.warn(w);
        }
        app.settings_ui.api_url = app.settings.api_url.clone();
        if app.config.demo {
            app.run(Command::StartDemo);
        } else {
            app.worker.load_key(app.config.keychain.clone());
        }
        app
    }

    pub fn screen(&self) -> Screen {
        self.screen
    }

    pub fn tab(&self) -> Tab {
        self.tab
    }

    pub fn orders(&self) -> &[Order] {
        &self.orders
    }

    /// The closed orders the history filter keeps, with their totals; computed again only when
    /// the orders, the filter or (for "last N days") the minute change.
    pub(crate) fn history_view(&mut self) -> &HistoryView {
        let now = crate::orders::now_millis();
        let filter = &self.orders_ui.history;
        let key = (filter.clone(), self.orders_rev, now / 60_000);
        if self.history.key.as_ref() != Some(&key) {
            self.history.view = HistoryView::new(&self.orders, filter, now, &self.time_zone);
            self.history.key = Some(key);
        }
        &self.history.view
    }

    /// The messages on screen, oldest first.
    pub fn message_texts(&self) -> Vec<String> {
        self.messages.texts()
    }

    /// A purchase can be started: connected and the orders database open.
    pub fn can_buy(&self) -> bool {
        self.conn.as_ref().is_some_and(|c| c.store.is_some())
    }

    /// How many offers the table shows now.
    pub fn shown_offer_count(&self) -> usize {
        self.offers.rows().len()
    }

    /// The shown offers' prices, in table order.
    pub fn shown_prices(&self) -> Vec<rust_decimal::Decimal> {
        self.offers
            .rows()
            .iter()
            .map(|&i| self.offers.offers()[i].price)
            .collect()
    }

    /// The shown offers' names, in table order.
    pub fn shown_offer_names(&self) -> Vec<String> {
        self.offers
            .rows()
            .iter()
            .map(|&i| self.offers.offers()[i].name.clone())
            .collect()
    }

    /// Every problem the window shows in words now: messages, the offers' error, each order's
    /// problem, and the status line when InstaOTP cannot be reached.
    pub fn visible_problems(&self) -> Vec<String> {
        let mut all = self.messages.texts();
        all.extend(self.offers_error.clone());
        all.extend(self.orders.iter().filter_map(|o| o.problem.clone()));
        all.extend(self.orders.iter().filter_map(|o| {
            o.raw_reply
                .as_ref()
                .map(|r| format!("InstaOTP replied (not understood): {r}"))
        }));
        if self.unreachable_since.is_some() {
            all.push("InstaOTP cannot be reached".to_owned());
        }
        all
    }

    /// Where the settings are saved.
    pub fn settings_path(&self) -> PathBuf {
        self.config.data_dir.join(crate::settings::SETTINGS_FILE)
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn is_demo(&self) -> bool {
        self.conn
            .as_ref()
            .is_some_and(|c| c.key_place == KeyPlace::Demo)
    }

    /// The demo's simulator, while the demo runs.
    pub fn simulator(&self) -> Option<&Simulator> {
        self.sim.as_ref()
    }

    /// Nothing in flight.
    pub fn is_idle(&self) -> bool {
        self.worker.is_idle()
    }

    /// The API address in use: the command line's, else the one in Settings.
    pub(crate) fn api_url(&self) -> String {
        self.config
            .api_url_override
            .clone()
            .unwrap_or_else(|| self.settings.api_url.clone())
    }

    pub(crate) fn client_for(
        &self,
        api_url: String,
        key: ApiKey,
    ) -> Result<Client, crate::api::ApiError> {
        let mut cfg = ClientConfig::new(api_url, key);
        cfg.encoding = self.settings.status_encoding;
        cfg.timeout = self.config.request_timeout;
        cfg.connect_timeout = self.config.request_timeout.min(Duration::from_secs(10));
        cfg.retry_backoff = self.config.retry_backoff;
        Client::new(cfg)
    }

    fn apply_visuals(&mut self, ctx: &egui::Context) {
        let wanted = (self.settings.theme, self.settings.text_scale);
        if self.applied_visuals == Some(wanted) {
            return;
        }
        self.applied_visuals = Some(wanted);
        ctx.set_theme(match self.settings.theme {
            crate::settings::Theme::System => egui::ThemePreference::System,
            crate::settings::Theme::Light => egui::ThemePreference::Light,
            crate::settings::Theme::Dark => egui::ThemePreference::Dark,
        });
        ctx.set_zoom_factor(self.settings.text_scale);
    }

    /// Saves settings whenever they differ from what was last saved (off the UI thread).
    fn save_settings_if_changed(&mut self) {
        if self.settings == self.saved_settings {
            return;
        }
        self.saved_settings = self.settings.clone();
        let settings = self.settings.clone();
        let dir = self.config.data_dir.clone();
        self.worker
            .spawn_blocking(crate::worker::Job::SaveSettings, move || {
                crate::worker::Event::SettingsSaved(settings.save(&dir).map_err(|e| e.to_string()))
            });
    }

    /// Background work that goes on whatever is shown: events, polling, saving.
    fn background(&mut self, ctx: &egui::Context) {
        for event in self.worker.poll() {
            self.apply(event, ctx);
            self.orders_rev += 1;
        }
        self.schedule_polls(ctx);
        self.auto_cancel();
        self.save_settings_if_changed();
    }
}

impl eframe::App for App {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.background(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.apply_visuals(&ctx);
        let quit = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::Q);
        if ctx.input_mut(|i| i.consume_shortcut(&quit)) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        let commands = ui::app_ui(ui, self);
        if !self.first_offers_logged && !self.offers.rows().is_empty() {
            self.first_offers_logged = true;
            let ms = self.config.started.elapsed().as_millis() as u64;
            tracing::info!(
                ms,
                offers = self.offers.rows().len(),
                "first frame with offers"
            );
        }
        for command in commands {
            self.run(command);
        }
    }
}
