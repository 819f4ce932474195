//! In Orders: several numbers being bought ("Buying 3 of 5…", Stop), the replace-if-no-code plans
//! at work, and the links between a number and the one that replaced it.

use crate::app::replace::Step;
use crate::app::{Command, Session};
use crate::orders::Order;
use crate::text;

/// The run of purchases and the replacement plans, above the orders.
pub fn buying_progress_ui(
    ui: &mut egui::Ui,
    session: &Session,
    currency: &text::Currency,
    cmds: &mut Vec<Command>,
) {
    // A single purchase shows as it always did (the Buy button waits); several show their run.
    if let Some(batch) = session.batch().filter(|b| b.wanted > 1) {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.spinner();
                let (sent, wanted) = (usize::from(batch.sent), usize::from(batch.wanted));
                if batch.stop {
                    ui.label(text::stopping_after(sent, wanted));
                } else {
                    ui.label(egui::RichText::new(text::buying_progress(sent, wanted)).strong());
                }
                if ui
                    .add_enabled(!batch.stop, egui::Button::new(text::STOP_BUYING))
                    .on_hover_text(text::STOP_BUYING_HINT)
                    .clicked()
                {
                    cmds.push(Command::StopBuying);
                }
            });
        });
        ui.add_space(6.0);
    }
    for plan in session.replacing().iter().filter(|p| !p.stopped) {
        ui.horizontal_wrapped(|ui| {
            ui.label(text::replace_plan_line(
                plan.options.wait_secs,
                usize::from(plan.used),
                usize::from(plan.options.max),
                &text::money(plan.spent, currency),
                &text::money(plan.options.spend_limit, currency),
            ));
            if ui.button(text::STOP_REPLACING).clicked() {
                cmds.push(Command::StopReplacing(plan.id));
            }
        });
    }
}

/// On an order's card: the order it replaces, and that it will be replaced without a code.
pub fn replacement_note_ui(ui: &mut egui::Ui, session: &Session, order: &Order) {
    if let Some(old) = &order.replaces {
        let replaced = session.order(old);
        let reason = replaced.and_then(|o| o.no_code_after_secs);
        let called = text::order_called(old, replaced.map(|o| o.phone.as_str()));
        ui.label(egui::RichText::new(text::replaces_order(&called, reason)).strong());
    }
    let watched = session
        .replacing()
        .iter()
        .find(|p| p.step_of(&order.order_id) == Some(Step::Watching) && p.used < p.options.max);
    if let Some(plan) = watched {
        ui.label(egui::RichText::new(text::will_be_replaced(plan.options.wait_secs)).weak());
    }
    if session.replacing().iter().any(|p| {
        matches!(
            p.step_of(&order.order_id),
            Some(Step::Cancelling | Step::Due)
        )
    }) {
        ui.label(egui::RichText::new(text::REPLACING_NOW).weak());
    }
}
