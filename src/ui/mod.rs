//! The screens. They draw the state and return [`Command`]s; they never do I/O.

pub mod messages;
pub mod orders;
pub mod services;
pub mod settings;
mod top_bar;
pub mod welcome;
mod widgets;

pub use messages::Messages;

use crate::api::Offer;
use crate::app::{App, Confirm, Screen, Tab};

/// What the user asked for, run by the app after the frame.
#[derive(Debug, Clone)]
pub enum Command {
    CheckKey(String),
    UseKeyForSession,
    StartDemo,
    LeaveDemo,
    RemoveKey,
    RemoveKeyConfirmed,
    RefreshBalance,
    RefreshServices,
    AskBuy(Offer),
    Buy(Offer),
    AskCancel(String),
    Cancel(String),
    Finish(String),
    AnotherSms(String),
    CloseDialog,
    Copy {
        text: String,
        what: &'static str,
    },
    SelectTab(Tab),
    ToggleFavourite(String),
    SortBy(crate::services::Column),
    ApplyApiUrl(String),
    ResetApiUrl,
    EncodingChanged,
    OpenLogFolder,
    Dismiss(u64),
    /// Asks whether to delete the history bought before the start of this day.
    AskDeleteHistory(jiff::civil::Date),
    /// Deletes closed orders bought before this time (epoch milliseconds).
    DeleteHistoryBefore(crate::orders::Millis),
    ExportHistory,
    ExportHistoryTo(String),
}

/// The whole window.
pub fn app_ui(ui: &mut egui::Ui, app: &mut App) -> Vec<Command> {
    let mut cmds = Vec::new();
    if app.is_demo() {
        egui::Panel::top("demo_banner")
            .frame(
                egui::Frame::new()
                    .fill(egui::Color32::from_rgb(0xB0, 0x5A, 0x00))
                    .inner_margin(4.0),
            )
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(
                        egui::RichText::new("DEMO — nothing here is real, no money is spent")
                            .color(egui::Color32::WHITE)
                            .strong(),
                    );
                    if ui.button("Leave demo").clicked() {
                        cmds.push(Command::LeaveDemo);
                    }
                });
            });
    }
    if app.screen() == Screen::Main {
        egui::Panel::top("top_bar").show(ui, |ui| top_bar::top_bar_ui(ui, app, &mut cmds));
    }
    egui::Panel::bottom("status_line").show(ui, |ui| top_bar::status_line_ui(ui, app));
    if !app.messages.list().is_empty() {
        egui::Panel::top("messages")
            .show(ui, |ui| widgets::messages_ui(ui, &app.messages, &mut cmds));
    }
    egui::CentralPanel::default().show(ui, |ui| match app.screen() {
        Screen::Loading => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Opening the system keychain…");
            });
        }
        Screen::Welcome => welcome::welcome_ui(ui, app, &mut cmds),
        Screen::Main => match app.tab() {
            Tab::Services => services::services_ui(ui, app, &mut cmds),
            Tab::Orders => orders::orders_ui(ui, app, &mut cmds),
            Tab::Settings => settings::settings_ui(ui, app, &mut cmds),
        },
    });
    if let Some(confirm) = app.confirm.clone() {
        let ctx = ui.ctx().clone();
        confirm_ui(&ctx, app, &confirm, &mut cmds);
    }
    cmds
}

fn confirm_ui(ctx: &egui::Context, app: &mut App, confirm: &Confirm, cmds: &mut Vec<Command>) {
    let modal = egui::Modal::new(egui::Id::unique("confirm")).show(ctx, |ui| {
        ui.set_max_width(460.0);
        match confirm {
            Confirm::Buy(offer) => services::confirm_buy_ui(ui, app, offer, cmds),
            Confirm::Cancel(id) => orders::confirm_cancel_ui(ui, app, id, cmds),
            Confirm::Export => orders::export_dialog_ui(ui, &mut app.orders_ui.export_path, cmds),
            Confirm::DeleteHistory(day) => orders::confirm_delete_history_ui(ui, app, *day, cmds),
            Confirm::RemoveKey => {
                ui.heading("Remove the API key?");
                ui.label("The key is deleted from this computer's keychain. You will need to paste it again to use the app.");
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Remove key").clicked() {
                        cmds.push(Command::RemoveKeyConfirmed);
                    }
                    if ui.button("Keep key").clicked() {
                        cmds.push(Command::CloseDialog);
                    }
                });
            }
        }
    });
    if modal.should_close() {
        cmds.push(Command::CloseDialog);
    }
}
