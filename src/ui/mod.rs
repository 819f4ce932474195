//! The screens. They draw and return [`Command`]s; they never do I/O.
//!
//! The rule: a screen edits view state directly (its own form, which tab is shown, the
//! settings a person changes); anything with an effect (I/O, money, another screen's state) is a
//! `Command`, run by the app after the frame. Screens read the [`Session`] and never change it.

mod batch;
pub mod buy_options;
mod confirm;
mod delivery;
mod keys;
mod messages;
mod not_confirmed;
mod offer_columns;
mod offer_sources;
mod order_row;
pub mod orders;
mod providers;
pub mod services;
pub mod settings;
mod top_bar;
pub mod welcome;
pub mod widgets;

pub use crate::app::view::ViewState;
use crate::app::{App, AppConfig, Command, Screen, Session, Stage, Tab};
use crate::settings::Settings;
use crate::text;

/// What every screen may read besides the session.
pub struct Shared<'a> {
    /// What is in flight.
    pub busy: crate::app::busy::Busy,
    pub config: &'a AppConfig,
    pub time_zone: &'a jiff::tz::TimeZone,
    /// A key was accepted but could not be saved: it can be used for this session only.
    pub has_unsaved_key: bool,
    /// Why desktop notifications cannot be shown here, in words.
    pub notifications_problem: Option<&'a str>,
    /// What the last look for a newer version found.
    pub updates: &'a crate::app::update_check::Updates,
    /// The providers added besides InstaOTP, signed in or not.
    pub providers: &'a [crate::app::providers::Provider],
    /// What is in flight for each of them (same order as `providers`).
    pub provider_busy: &'a [crate::app::busy::Busy],
    /// The history of the provider chosen in Orders' history, when it is not InstaOTP's.
    pub provider_history: Option<&'a crate::orders::history::HistoryView>,
}

/// The window's frames: eframe asks the app first (`logic`), then for the screens (`ui`).
impl eframe::App for App {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.tick(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }
}

impl App {
    /// One frame of the window: draw, then run what the screens asked for.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.begin_frame(&ctx);
        let commands = app_ui(ui, self);
        self.end_frame(&ctx, commands);
    }
}

/// The history of the provider the Orders tab's history shows, when it is another provider
/// (worked out before the frame: its session keeps the result until its orders change).
fn chosen_history(
    providers: &mut [crate::app::providers::Provider],
    view: &ViewState,
    tz: &jiff::tz::TimeZone,
) -> Option<crate::orders::history::HistoryView> {
    let id = view.orders.history_provider.as_deref()?;
    if view.tab != Tab::Orders {
        return None;
    }
    let provider = providers.iter_mut().find(|p| p.entry().id == id)?;
    provider.history_view(&view.orders.history, crate::orders::now_millis(), tz)
}

/// The whole window.
fn app_ui(ui: &mut egui::Ui, app: &mut App) -> Vec<Command> {
    let mut cmds = Vec::new();
    let screen = app.screen();
    let App {
        settings,
        config,
        worker,
        stage,
        messages,
        view,
        unsaved_key,
        time_zone,
        notifications_problem,
        updates,
        providers,
        ..
    } = app;
    let provider_busy = crate::app::busy::Busy::of_providers(worker, providers);
    let provider_history = chosen_history(providers, view, time_zone);
    let shared = Shared {
        busy: crate::app::busy::Busy::of(worker),
        config,
        time_zone,
        has_unsaved_key: unsaved_key.is_some(),
        notifications_problem: notifications_problem.as_deref(),
        updates,
        providers,
        provider_busy: &provider_busy,
        provider_history: provider_history.as_ref(),
    };
    let mut session = match stage {
        Stage::SignedIn(session) => Some(&mut **session),
        _ => None,
    };
    let sessions = session.as_deref().map(|s| keys::Sessions::of(s, providers));
    let enter = keys::shortcuts(ui.ctx(), sessions.as_ref(), view, &mut cmds);
    if session.as_ref().is_some_and(|s| s.is_demo()) {
        demo_banner_ui(ui, &mut cmds);
    }
    if let Some(s) = session.as_deref() {
        egui::Panel::top("top_bar").show(ui, |ui| {
            let bar = top_bar::TopBar {
                session: s,
                tab: view.tab,
                settings,
                shared: &shared,
                messages,
            };
            top_bar::top_bar_ui(ui, &bar, &mut cmds);
        });
    }
    egui::Panel::bottom("status_line").show(ui, |ui| {
        top_bar::status_line_ui(ui, session.as_deref(), &shared, &mut cmds)
    });
    egui::CentralPanel::default().show(ui, |ui| match (screen, session.as_deref_mut()) {
        (Screen::Main, Some(s)) => main_ui(ui, s, view, settings, &shared, &mut cmds),
        (Screen::Welcome, _) => welcome::welcome_ui(ui, &mut view.welcome, &shared, &mut cmds),
        _ => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(text::OPENING_KEYCHAIN);
            });
        }
    });
    // Notes float above the page, in a corner of their own: a note appearing or fading never
    // moves what is under the pointer.
    if !messages.list().is_empty() {
        let tz = shared.time_zone;
        messages::toasts_ui(ui.ctx(), messages, tz, &mut view.all_messages, &mut cmds);
    }
    if let Some(s) = session {
        let dialog = confirm::Dialog {
            session: s,
            settings,
            shared: &shared,
            enter,
            provider: None,
        };
        dialog_ui(ui.ctx(), &dialog, view, &mut cmds);
    }
    widgets::focus_ring_ui(ui.ctx());
    cmds
}

/// The open confirmation: InstaOTP's session's, else another provider's.
fn dialog_ui(
    ctx: &egui::Context,
    first: &confirm::Dialog<'_>,
    view: &mut ViewState,
    cmds: &mut Vec<Command>,
) {
    if first.session.confirm().is_some() {
        confirm::confirm_ui(ctx, first, view, cmds);
    } else {
        other_provider_dialog_ui(ctx, first, view, cmds);
    }
}

/// The confirmation another provider's session asks for (one dialog at a time): its commands
/// go to that provider.
fn other_provider_dialog_ui(
    ctx: &egui::Context,
    first: &confirm::Dialog<'_>,
    view: &mut ViewState,
    cmds: &mut Vec<Command>,
) {
    let asking = first.shared.providers.iter().find_map(|p| {
        let s = p.session()?;
        s.confirm().is_some().then_some((p.entry(), s))
    });
    let Some((entry, session)) = asking else {
        return;
    };
    let id = entry.id.as_str();
    let dialog = confirm::Dialog {
        session,
        provider: Some(&entry.name),
        ..*first
    };
    let mut asked = Vec::new();
    confirm::confirm_ui(ctx, &dialog, view, &mut asked);
    cmds.extend(asked.into_iter().map(|c| c.to_provider(id)));
}

fn main_ui(
    ui: &mut egui::Ui,
    session: &mut Session,
    view: &mut ViewState,
    settings: &mut Settings,
    shared: &Shared<'_>,
    cmds: &mut Vec<Command>,
) {
    match view.tab {
        Tab::Services => {
            services::services_ui(ui, session, &mut view.services, settings, shared, cmds);
        }
        Tab::Orders => {
            let now = crate::orders::now_millis();
            let history = session
                .history_view(&view.orders.history, now, shared.time_zone)
                .clone();
            let page = orders::OrdersPage {
                session,
                history: &history,
                settings,
                shared,
                now,
                currency: session.currency(&settings.currency),
            };
            let empty = crate::orders::history::HistoryView::default();
            let shown = view.orders.history_provider.clone();
            // Each provider's cards read what is in flight for its own session.
            let their_shared: Vec<Shared<'_>> = shared
                .provider_busy
                .iter()
                .map(|busy| Shared {
                    busy: busy.clone(),
                    ..*shared
                })
                .collect();
            let others: Vec<orders::ProviderPage<'_>> = shared
                .providers
                .iter()
                .zip(&their_shared)
                .filter_map(|(p, their)| {
                    let s = p.session()?;
                    let chosen = shown.as_deref() == Some(p.entry().id.as_str());
                    Some(orders::ProviderPage {
                        id: &p.entry().id,
                        name: &p.entry().name,
                        page: orders::OrdersPage {
                            session: s,
                            history: shared.provider_history.filter(|_| chosen).unwrap_or(&empty),
                            settings,
                            shared: their,
                            now,
                            currency: s.currency(&settings.currency),
                        },
                    })
                })
                .collect();
            orders::orders_ui(ui, &page, &others, &mut view.orders, cmds);
        }
        Tab::Settings => {
            let welcome_error = view.welcome.error.as_deref();
            settings::settings_ui(
                ui,
                settings,
                &mut view.settings,
                welcome_error,
                session,
                shared,
                cmds,
            );
        }
    }
}

fn demo_banner_ui(ui: &mut egui::Ui, cmds: &mut Vec<Command>) {
    egui::Panel::top("demo_banner")
        .frame(
            egui::Frame::new()
                .fill(egui::Color32::from_rgb(0xB0, 0x5A, 0x00))
                .inner_margin(4.0),
        )
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(
                    egui::RichText::new(text::DEMO_BANNER)
                        .color(egui::Color32::WHITE)
                        .strong(),
                );
                if ui.button("Leave demo").clicked() {
                    cmds.push(Command::LeaveDemo);
                }
            });
        });
}
