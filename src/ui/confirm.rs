//! The confirmation dialog of the session, whichever it is. Enter presses its main button (when
//! that is enabled); Esc, or a click beside it, closes it.

use super::{Shared, ViewState, orders, services};
use crate::app::{Command, Confirm, Session};
use crate::settings::Settings;
use crate::text;

/// What the dialog reads.
pub struct Dialog<'a> {
    pub session: &'a Session,
    pub settings: &'a Settings,
    pub shared: &'a Shared<'a>,
    /// Enter was pressed with no control of the dialog focused.
    pub enter: bool,
    /// Another provider's name, when the dialog is its session's.
    pub provider: Option<&'a str>,
}

/// The height (points) kept for a dialog's buttons and frame under its scrolling body.
const DIALOG_BUTTONS_ROOM: f32 = 150.0;

pub fn confirm_ui(
    ctx: &egui::Context,
    dialog: &Dialog<'_>,
    view: &mut ViewState,
    cmds: &mut Vec<Command>,
) {
    let Dialog {
        session,
        settings,
        shared,
        enter,
        provider,
    } = *dialog;
    let Some(confirm) = session.confirm() else {
        return;
    };
    // One place per kind of dialog: a new one never starts at the size another left.
    let kind = std::mem::discriminant(confirm);
    let id = egui::Id::unique(("confirm", kind));
    // Held at the top, not centred: a dialog that grows (a ticked option, "+" adding the total)
    // grows downwards, and nothing above the pointer moves.
    let top = (ctx.content_rect().height() * 0.08).clamp(8.0, 60.0);
    let area = egui::Modal::default_area(id.with("area"))
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, top));
    let modal = egui::Modal::new(id).area(area).show(ctx, |ui| {
        // One width from the first frame: a row that appears never widens (and so moves) it.
        ui.set_width(460.0_f32.min(ctx.content_rect().width() - 40.0));
        match confirm {
            Confirm::Buy(offer) => {
                let form = &mut view.buy;
                // The body scrolls in a short window (or at a large text size); the buttons
                // stay under it, always in view.
                let room = ctx.content_rect().height() - DIALOG_BUTTONS_ROOM;
                // The full width from the first frame: a body that shrank to its content would
                // move the dialog (and its buttons) while it settles.
                egui::ScrollArea::vertical()
                    .auto_shrink([false, true])
                    .max_height(room.max(80.0))
                    .show(ui, |ui| {
                        services::confirm_buy_ui(
                            ui, session, provider, offer, settings, form, cmds,
                        );
                    });
                ui.add_space(8.0);
                services::confirm_buy_buttons_ui(
                    ui, session, offer, settings, shared, enter, form, cmds,
                );
            }
            Confirm::Cancel(id) => {
                let currency = session.currency(&settings.currency);
                orders::confirm_cancel_ui(ui, session, &currency, id, enter, cmds);
            }
            Confirm::Export => {
                orders::export_dialog_ui(ui, &mut view.orders.export_path, enter, cmds);
            }
            Confirm::DeleteHistory(day) => {
                let tz = shared.time_zone;
                orders::confirm_delete_history_ui(ui, session, *day, tz, enter, cmds);
            }
            Confirm::RemoveKey => remove_key_ui(ui, enter, cmds),
            Confirm::Quit(waiting) => quit_ui(ui, *waiting, enter, cmds),
            Confirm::RestartToUpdate(waiting) => restart_ui(ui, *waiting, enter, cmds),
            Confirm::RemoveProvider { id, name, waiting } => {
                remove_provider_ui(ui, id, name, *waiting, enter, cmds);
            }
        }
    });
    if modal.should_close() {
        cmds.push(Command::CloseDialog);
    }
}

/// The dialog's main button: clicked, or Enter pressed while it is enabled.
pub fn main_button(
    ui: &mut egui::Ui,
    button: egui::Button<'_>,
    enabled: bool,
    enter: bool,
) -> bool {
    let r = ui.add_enabled(enabled, button);
    r.clicked() || (enter && enabled)
}

fn quit_ui(ui: &mut egui::Ui, waiting: usize, enter: bool, cmds: &mut Vec<Command>) {
    ui.heading(text::quit_title(waiting));
    ui.label(text::QUIT_BODY);
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if main_button(ui, egui::Button::new(text::QUIT_ANYWAY), true, enter) {
            cmds.push(Command::QuitConfirmed);
        }
        if ui.button(text::STAY).clicked() {
            cmds.push(Command::CloseDialog);
        }
    });
}

fn restart_ui(ui: &mut egui::Ui, waiting: usize, enter: bool, cmds: &mut Vec<Command>) {
    ui.heading(text::RESTART_TO_UPDATE);
    ui.label(text::restart_with_orders_waiting(waiting));
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if main_button(ui, egui::Button::new(text::RESTART_NOW), true, enter) {
            cmds.push(Command::RestartToUpdateConfirmed);
        }
        if ui.button(text::NOT_NOW).clicked() {
            cmds.push(Command::CloseDialog);
        }
    });
}

fn remove_provider_ui(
    ui: &mut egui::Ui,
    id: &str,
    name: &str,
    waiting: usize,
    enter: bool,
    cmds: &mut Vec<Command>,
) {
    ui.heading(text::remove_provider_title(name));
    ui.label(text::remove_provider_body(name, waiting));
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        // With numbers waiting, Enter alone does not remove it: the button is clicked.
        let main = enter && waiting == 0;
        if main_button(
            ui,
            egui::Button::new(text::remove_provider_button(name)),
            true,
            main,
        ) {
            cmds.push(Command::RemoveProviderConfirmed(id.to_owned()));
        }
        if ui.button(text::KEEP_PROVIDER).clicked() {
            cmds.push(Command::CloseDialog);
        }
    });
}

fn remove_key_ui(ui: &mut egui::Ui, enter: bool, cmds: &mut Vec<Command>) {
    ui.heading(text::REMOVE_KEY_TITLE);
    ui.label(text::REMOVE_KEY_BODY);
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if main_button(ui, egui::Button::new("Remove key"), true, enter) {
            cmds.push(Command::RemoveKeyConfirmed);
        }
        if ui.button("Keep key").clicked() {
            cmds.push(Command::CloseDialog);
        }
    });
}
