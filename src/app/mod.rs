//! The eframe app: owns the state, runs the commands the screens return, applies the events the
//! worker delivers, and keeps orders polling whatever tab is shown.
//!
//! State is in three parts: [`Settings`] (persisted), the [`Session`] of the current connection
//! (replaced whole), and the screens' view state ([`view::ViewState`]). Runtime pieces
//! (the worker and its promises, the demo's simulator) sit beside them.

mod after_purchase;
mod after_status;
mod apply_event;
pub mod batch_buy;
pub mod busy;
mod command;
mod delivery;
pub mod describe;
mod effect;
mod messages;
mod notifications;
mod opened_again;
mod order_clock;
pub mod poll_driver;
mod poller;
pub mod providers;
mod reconcile;
pub mod replace;
mod run_command;
pub mod session;
mod timed_wake;
pub mod unfinished;
pub mod update_check;
pub mod view;
mod watch;

use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use command::{Command, Confirm, Copied};
pub use messages::{Entry as ActivityEntry, Kind as MessageKind, Message, Messages};
pub use poller::{PollPlan, PollPolicy, Poller, Turn};
pub use session::{Generation, KeyPlace, Session};

use crate::api::{ApiKey, Client, ClientConfig};
use crate::orders::Order;
use crate::platform::file_dialog::{SharedSaveDialog, SystemSaveDialog};
use crate::platform::keychain::SharedKeychain;
use crate::platform::notify::{DesktopNotifier, SharedNotifier};
use crate::settings::Settings;
use crate::sim::Simulator;
use crate::worker::{Job, Worker};
use view::ViewState;

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
    /// This app's hold on the data folder (`None` in tests, or where it cannot be locked).
    pub instance: Option<crate::platform::single_instance::Instance>,
    /// Where the release feed is and its key (set when a release is built; tests set their own).
    pub updates: crate::updates::UpdateSource,
    /// A newer version is downloaded and installed by the app (Windows), not only told of.
    pub install_in_place: bool,
    /// Starts a verified installer (`platform::installer`; tests record the call instead).
    pub run_installer: crate::platform::installer::SharedInstaller,
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
            instance: None,
            updates: crate::updates::UpdateSource::built_in(),
            install_in_place: cfg!(windows),
            run_installer: crate::platform::installer::system(),
        }
    }
}

/// Which screen is shown.
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

/// Where the app is: signed in is a type, so there is no session without a connection.
pub enum Stage {
    Loading,
    Welcome,
    SignedIn(Box<Session>),
}

pub struct App {
    ctx: egui::Context,
    /// Persisted; edited directly by the Settings screen.
    pub(crate) settings: Settings,
    saved_settings: Settings,
    pub(crate) config: AppConfig,
    pub(crate) worker: Worker,
    pub(crate) stage: Stage,
    next_generation: u64,
    /// The demo's simulator, while the demo runs.
    sim: Option<Simulator>,
    pub(crate) messages: Messages,
    pub(crate) view: ViewState,
    /// A key that was accepted but could not go into the keychain.
    pub(crate) unsaved_key: Option<ApiKey>,
    applied_visuals: Option<(crate::settings::Theme, f32)>,
    /// The window's title as last set (it counts the codes ready).
    shown_title: Option<String>,
    /// The first frame that showed offers was logged.
    first_offers_logged: bool,
    /// The window was asked to close while a purchase was out: it closes once the answer is in.
    closing_after_purchase: bool,
    /// A later start asked for the window at this time, and it has not been seen focused since.
    raise_asked: Option<Instant>,
    /// Frames drawn since the start (logged at debug level, for measurements and tests).
    frames: u64,
    pub(crate) time_zone: jiff::tz::TimeZone,
    /// The input time of the last thing the person did in the window (a key, a click, the mouse).
    last_input: f64,
    /// The orders database was opened once: the first tab was chosen.
    start_tab_chosen: bool,
    /// Why desktop notifications cannot be shown here, in words (Settings shows it).
    pub(crate) notifications_problem: Option<String>,
    /// What the last look for a newer version found.
    pub(crate) updates: update_check::Updates,
    /// Providers of the same protocol added besides InstaOTP (`app::providers`).
    pub(crate) providers: Vec<providers::Provider>,
    /// The provider whose session is in front now (`App::with_provider`); InstaOTP's session
    /// sits in its place meanwhile.
    in_front: Option<usize>,
}

/// No input for this long (seconds) and the window is not in use, even with the focus: staff
/// leave it open on a second screen, or walk away from it.
const IDLE_AFTER_SECS: f64 = 120.0;

impl App {
    pub fn new(ctx: &egui::Context, config: AppConfig) -> Self {
        tracing::info!(
            ms = u64::try_from(config.started.elapsed().as_millis()).unwrap_or(u64::MAX),
            "window ready, app created"
        );
        // Read here, not on the worker: the first frame needs the theme and text size, and the
        // file is one small read from the local disk (the keychain and the orders database,
        // which can block, are opened on the worker).
        let (settings, warning) = Settings::load(&config.data_dir);
        let mut app = Self {
            ctx: ctx.clone(),
            saved_settings: settings.clone(),
            view: ViewState::new(&settings),
            settings,
            worker: Worker::new(ctx.clone()),
            stage: Stage::Loading,
            next_generation: 0,
            sim: None,
            messages: Messages::default(),
            unsaved_key: None,
            applied_visuals: None,
            shown_title: None,
            first_offers_logged: false,
            closing_after_purchase: false,
            raise_asked: None,
            last_input: 0.0,
            start_tab_chosen: false,
            notifications_problem: None,
            updates: update_check::Updates::default(),
            providers: Vec::new(),
            in_front: None,
            frames: 0,
            time_zone: crate::orders::history::local_time_zone(),
            config,
        };
        if let Some(w) = warning {
            app.messages
                .warn(crate::app::describe::settings_warning(&w));
        }
        app.tell_after_update();
        if let Some(instance) = &app.config.instance {
            instance.attach(ctx);
        }
        app.check_notifications();
        if app.config.demo {
            app.run_command(Command::StartDemo);
        } else {
            app.worker.load_key(app.config.keychain.clone());
        }
        app
    }

    pub fn screen(&self) -> Screen {
        match self.stage {
            Stage::Loading => Screen::Loading,
            Stage::Welcome => Screen::Welcome,
            Stage::SignedIn(_) => Screen::Main,
        }
    }

    /// The current session, when signed in.
    pub fn session(&self) -> Option<&Session> {
        match &self.stage {
            Stage::SignedIn(session) => Some(session),
            _ => None,
        }
    }

    pub(crate) fn session_mut(&mut self) -> Option<&mut Session> {
        match &mut self.stage {
            Stage::SignedIn(session) => Some(session),
            _ => None,
        }
    }

    #[cfg(any(test, feature = "test-support"))]
    pub fn tab(&self) -> Tab {
        self.view.tab
    }

    /// The orders of the current session, newest first.
    pub fn orders(&self) -> &[Order] {
        self.session().map_or(&[], |s| s.orders())
    }

    /// Everything said that is still kept: the Activity list, then the problems on screen that
    /// it no longer holds, oldest first.
    #[cfg(any(test, feature = "test-support"))]
    pub fn message_texts(&self) -> Vec<String> {
        let mut all = self.activity_texts();
        let not_in_activity: Vec<String> = self
            .messages
            .texts()
            .into_iter()
            .filter(|t| !all.contains(t))
            .collect();
        all.extend(not_in_activity);
        all
    }

    /// The messages under the top bar now, oldest first (faded confirmations are gone).
    #[cfg(any(test, feature = "test-support"))]
    pub fn shown_messages(&self) -> &[Message] {
        self.messages.list()
    }

    /// The texts of the Activity list, oldest first.
    pub fn activity_texts(&self) -> Vec<String> {
        self.messages.activity().map(|e| e.text.clone()).collect()
    }

    /// A purchase can be started: connected and the orders database open.
    pub fn can_buy(&self) -> bool {
        self.session().is_some_and(Session::can_buy)
    }

    /// How many offers the table shows now.
    pub fn shown_offer_count(&self) -> usize {
        self.session().map_or(0, |s| s.offers.rows().len())
    }

    /// The shown offers' prices, in table order.
    #[cfg(any(test, feature = "test-support"))]
    pub fn shown_prices(&self) -> Vec<rust_decimal::Decimal> {
        self.session()
            .map(|s| s.offers.shown().map(|o| o.price).collect())
            .unwrap_or_default()
    }

    /// The shown offers' names, in table order.
    #[cfg(any(test, feature = "test-support"))]
    pub fn shown_offer_names(&self) -> Vec<String> {
        self.session()
            .map(|s| s.offers.shown().map(|o| o.name.clone()).collect())
            .unwrap_or_default()
    }

    /// Every problem the window shows in words now: warnings and errors (with the replies under
    /// their "Details"), the offers' error, each order's problem, and the status line when
    /// InstaOTP cannot be reached.
    #[cfg(any(test, feature = "test-support"))]
    pub fn visible_problems(&self) -> Vec<String> {
        // Problems only: confirmations fade and are not problems.
        let problems = self.messages.list().iter().filter(|m| !m.kind.fades());
        let mut all: Vec<String> = problems.clone().map(|m| m.text.clone()).collect();
        all.extend(problems.filter_map(|m| m.raw.clone()));
        if let Some(s) = self.session() {
            all.extend(s.offers_error.clone());
            all.extend(s.notices.clone());
            all.extend(
                s.orders()
                    .iter()
                    .filter(|o| o.state == crate::orders::OrderState::NotConfirmed)
                    .map(|o| format!("{}: {}", crate::text::NOT_CONFIRMED_TITLE, o.service_name)),
            );
            all.extend(s.orders().iter().filter_map(|o| o.problem.clone()));
            all.extend(
                s.orders()
                    .iter()
                    .filter_map(|o| o.raw_reply.as_deref().map(crate::text::not_understood)),
            );
            if s.unreachable_since.is_some() {
                all.push("InstaOTP cannot be reached".to_owned());
            }
        }
        all
    }

    /// A key typed into a form is still held there (it should not be once it is in use).
    #[cfg(any(test, feature = "test-support"))]
    pub fn holds_typed_key(&self) -> bool {
        !self.view.welcome.key.is_empty()
            || !self.view.settings.new_key.is_empty()
            || !self.view.settings.api_url_key.is_empty()
            || !self.view.settings.new_provider_key.is_empty()
    }

    /// Where the settings are saved.
    #[cfg(any(test, feature = "test-support"))]
    pub fn settings_path(&self) -> PathBuf {
        self.config.data_dir.join(crate::settings::SETTINGS_FILE)
    }

    #[cfg(any(test, feature = "test-support"))]
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn is_demo(&self) -> bool {
        self.session().is_some_and(Session::is_demo)
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

    /// The title the taskbar shows says how many codes are ready, so a code is seen even when
    /// the window is behind others.
    fn show_title(&mut self, ctx: &egui::Context) {
        let codes = self.session().map_or(0, Session::codes_ready)
            + self
                .provider_sessions()
                .map(|(_, s)| s.codes_ready())
                .sum::<usize>();
        let title = crate::text::window_title(codes);
        if self.shown_title.as_ref() != Some(&title) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.shown_title = Some(title);
        }
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
        // Scroll bars that take their own room and always show: nothing is drawn under them,
        // and a person sees there is more below.
        ctx.all_styles_mut(|style| style.spacing.scroll = egui::style::ScrollStyle::solid());
    }

    /// Saves settings whenever they differ from what was last saved (off the UI thread).
    fn save_settings_if_changed(&mut self) {
        if self.settings == self.saved_settings {
            return;
        }
        self.saved_settings = self.settings.clone();
        let settings = self.settings.clone();
        let dir = self.config.data_dir.clone();
        // Taken here, in the order of the changes: the writes may run in any order.
        let ticket = Settings::save_ticket(&dir);
        self.worker.spawn_app_blocking(Job::SaveSettings, move || {
            let saved = settings.save_as_of(&dir, ticket).map(|_| ());
            crate::worker::AppEvent::SettingsSaved(saved)
        });
    }

    /// Background work that goes on whatever is shown: events, polling, saving.
    fn background(&mut self, ctx: &egui::Context) {
        self.note_input(ctx);
        for delivered in self.worker.poll() {
            self.apply_event(delivered, ctx);
        }
        self.session_background(ctx);
        for index in 0..self.providers.len() {
            self.with_provider(index, |app| app.session_background(ctx));
        }
        self.update_tick();
        self.save_settings_if_changed();
    }

    /// What a session's orders need whatever is shown: polls, timed cancels and finishes,
    /// replacements, the delivery record (run for every provider's session).
    fn session_background(&mut self, ctx: &egui::Context) {
        self.report_failed_writes();
        self.refresh_delivery();
        if let Some(s) = self.session_mut() {
            s.track_orders(crate::orders::now_millis(), crate::clock::monotonic());
        }
        self.end_overdue_orders();
        self.sync_polling(ctx);
        self.look_for_unconfirmed(ctx);
        self.auto_cancel();
        self.replace_tick();
        self.keep_unfinished();
        self.auto_finish();
        self.wake_for_timed_actions(ctx);
    }

    /// Closing while a purchase is out waits for its answer (at most the request time-out), so
    /// the order, or the "not confirmed" attempt, is settled on disk before the app goes.
    fn finish_purchase_before_closing(&mut self, ctx: &egui::Context) {
        let buying = self.worker.is_busy(&Job::Purchase);
        if buying && ctx.input(|i| i.viewport().close_requested()) {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            if !self.closing_after_purchase {
                tracing::info!("close asked while buying: waiting for the answer");
                self.closing_after_purchase = true;
                // Stays until the window closes: a note that faded would look like a hang.
                self.messages.warn(crate::text::FINISHING_PURCHASE);
            }
        } else if self.closing_after_purchase && !buying {
            self.closing_after_purchase = false;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// Shows the offers the Services form asks for (the rows are worked out only on a change).
    fn apply_offer_filter(&mut self, ctx: &egui::Context) {
        let filter = self.view.services.filter();
        if self.filter_provider_offers(&filter) {
            ctx.request_repaint();
        }
        let Stage::SignedIn(session) = &mut self.stage else {
            return;
        };
        if session.offers.filter() != &filter {
            session.offers.set_filter(filter, &self.settings.favourites);
            ctx.request_repaint();
        }
    }

    /// Logs once how long the first frame with offers took to come.
    fn log_first_offers(&mut self) {
        let shown = self.shown_offer_count();
        if !self.first_offers_logged && shown > 0 {
            self.first_offers_logged = true;
            let ms = u64::try_from(self.config.started.elapsed().as_millis()).unwrap_or(u64::MAX);
            tracing::info!(ms, offers = shown, "first frame with offers");
        }
    }
}

impl App {
    /// Before a frame is drawn (eframe's `logic`): the window brought forward when the app was
    /// opened again, what came back from the background, a close waiting for a purchase.
    pub fn tick(&mut self, ctx: &egui::Context) {
        self.come_forward_when_opened_again(ctx);
        self.background(ctx);
        self.finish_purchase_before_closing(ctx);
    }

    /// Before the screens draw a frame: the style and the window's title.
    pub fn begin_frame(&mut self, ctx: &egui::Context) {
        self.frames += 1;
        tracing::debug!(frame = self.frames, tab = ?self.view.tab, "frame");
        self.apply_visuals(ctx);
        self.show_title(ctx);
    }

    /// After the screens drew a frame: runs what they asked for.
    pub fn end_frame(&mut self, ctx: &egui::Context, commands: Vec<Command>) {
        self.apply_offer_filter(ctx);
        self.log_first_offers();
        for command in commands {
            self.run_command(command);
        }
        // A confirmation fades: one frame when it dims, one when it goes, then none.
        if let Some(wait) = self.messages.next_change() {
            ctx.request_repaint_after(wait);
        }
    }

    /// Lets faded confirmations go and notes when the person last did something in the window.
    fn note_input(&mut self, ctx: &egui::Context) {
        let (now, used) = ctx.input(|i| {
            let used = i.events.iter().any(|e| {
                matches!(
                    e,
                    egui::Event::Key { .. }
                        | egui::Event::Text(_)
                        | egui::Event::PointerButton { .. }
                        | egui::Event::PointerMoved(_)
                        | egui::Event::MouseWheel { .. }
                        | egui::Event::Touch { .. }
                        | egui::Event::Copy
                        | egui::Event::Cut
                        | egui::Event::Paste(_)
                )
            });
            (i.time, used)
        });
        self.messages.tick(now);
        if used {
            self.last_input = now;
        }
    }

    /// The person is at the window: it has the focus and was used in the last minutes.
    pub(crate) fn window_in_use(&self, ctx: &egui::Context) -> bool {
        ctx.input(|i| i.focused && i.time - self.last_input < IDLE_AFTER_SECS)
    }

    /// The first time the orders are read after the app starts: numbers still open (or a
    /// purchase not confirmed) open the app on Orders, unless another tab was chosen already.
    pub(crate) fn choose_start_tab(&mut self) {
        if std::mem::replace(&mut self.start_tab_chosen, true) {
            return;
        }
        let open = self.session().is_some_and(Session::has_open_orders);
        if open && self.view.tab == Tab::Services {
            self.select_tab(Tab::Orders);
        }
    }
}
