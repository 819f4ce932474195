//! The Orders tab's compact view: each open number of this key on one line (service, number,
//! code, the buttons, the time left), so a desk with many numbers sees them all at once.

use super::orders::{OrdersPage, actions_of, cancel_button_ui, expiry_text, finish_button_ui};
use super::widgets::copy_button_ui;
use crate::app::describe;
use crate::app::{Command, Copied};
use crate::orders::{Order, OrderState, likely_code};
use crate::text;

/// The service name's room: longer names are cut (the whole name is in the tooltip).
const SERVICE_WIDTH: f32 = 130.0;

pub fn order_row_ui(
    ui: &mut egui::Ui,
    page: &OrdersPage<'_>,
    order: &Order,
    cmds: &mut Vec<Command>,
) {
    let actions = actions_of(page, order);
    // Wraps only in a window too narrow for the line; the time left is last, so its changing
    // width moves nothing after it.
    ui.horizontal_wrapped(|ui| {
        ui.allocate_ui(
            egui::vec2(SERVICE_WIDTH, ui.spacing().interact_size.y),
            |ui| {
                ui.set_width(SERVICE_WIDTH);
                ui.add(
                    egui::Label::new(egui::RichText::new(&order.service_name).strong()).truncate(),
                )
                .on_hover_text(&order.service_name);
            },
        );
        if order.phone.is_empty() {
            ui.label(text::NUMBER_ON_WEBSITE);
        } else {
            ui.label(
                egui::RichText::new(text::phone_grouped(&order.phone))
                    .monospace()
                    .strong(),
            );
            if copy_button_ui(ui, "Copy number", &order.order_id) {
                cmds.push(Command::Copy {
                    text: order.phone.clone(),
                    what: Copied::Number,
                    of: order.service_name.clone(),
                });
            }
        }
        match (&order.code, order.state) {
            (Some(sms), OrderState::CodeReceived) => {
                let code = likely_code(sms).unwrap_or_else(|| sms.clone());
                ui.label(
                    egui::RichText::new(&code)
                        .size(20.0)
                        .monospace()
                        .strong()
                        .color(ui.visuals().hyperlink_color),
                )
                .on_hover_text(text::sms_text(sms));
                if copy_button_ui(ui, "Copy code", &order.order_id) {
                    cmds.push(Command::Copy {
                        text: code,
                        what: Copied::Code,
                        of: order.service_name.clone(),
                    });
                }
            }
            _ => {
                ui.label(egui::RichText::new(describe::order_state(order.state)).weak());
            }
        }
        if !actions.had_code {
            let lock_secs = page
                .session
                .cancel_lock_secs(page.settings.cancel_lock_ms());
            cancel_button_ui(ui, order, &actions, lock_secs, cmds);
        }
        finish_button_ui(ui, order, &actions, cmds);
        if actions.busy {
            ui.spinner();
        }
        let time = if actions.wait > 0 {
            text::cancel_in(&text::clock(actions.wait))
        } else {
            expiry_text(page, order)
        };
        ui.label(egui::RichText::new(time).weak());
    });
    ui.separator();
}
