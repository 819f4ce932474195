//! The confirmation dialog of the session, whichever it is.

use super::{Shared, ViewState, orders, services};
use crate::app::{Command, Confirm, Session};
use crate::settings::Settings;
use crate::text;

pub fn confirm_ui(
    ctx: &egui::Context,
    session: &Session,
    view: &mut ViewState,
    settings: &Settings,
    shared: &Shared<'_>,
    cmds: &mut Vec<Command>,
) {
    let Some(confirm) = &session.confirm else {
        return;
    };
    let modal = egui::Modal::new(egui::Id::unique("confirm")).show(ctx, |ui| {
        ui.set_max_width(460.0);
        match confirm {
            Confirm::Buy(offer) => {
                services::confirm_buy_ui(ui, session, offer, settings, shared, cmds);
            }
            Confirm::Cancel(id) => {
                let currency = session.currency(&settings.currency);
                orders::confirm_cancel_ui(ui, session, &currency, id, cmds);
            }
            Confirm::Export => orders::export_dialog_ui(ui, &mut view.orders.export_path, cmds),
            Confirm::DeleteHistory(day) => {
                orders::confirm_delete_history_ui(ui, session, *day, shared.time_zone, cmds);
            }
            Confirm::RemoveKey => remove_key_ui(ui, cmds),
        }
    });
    if modal.should_close() {
        cmds.push(Command::CloseDialog);
    }
}

fn remove_key_ui(ui: &mut egui::Ui, cmds: &mut Vec<Command>) {
    ui.heading(text::REMOVE_KEY_TITLE);
    ui.label(text::REMOVE_KEY_BODY);
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
