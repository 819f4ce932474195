//! The card of a purchase that was not confirmed: what was asked for, what the balance did
//! since, and the three ways to resolve it.

use super::orders::OrdersPage;
use crate::app::Command;
use crate::app::describe;
use crate::app::view::AdoptForm;
use crate::countries::country_name;
use crate::orders::Order;
use crate::orders::history::date_time;
use crate::text;

pub fn not_confirmed_card_ui(
    ui: &mut egui::Ui,
    page: &OrdersPage<'_>,
    attempt: &Order,
    form: &mut AdoptForm,
    cmds: &mut Vec<Command>,
) {
    let warn = ui.visuals().warn_fg_color;
    let ours = page.session.is_ours(attempt);
    warning_card_ui(ui, |ui| {
        if !ours {
            // Another key's purchase: adding it would ask InstaOTP with the wrong key, and
            // "not bought" would close what only that account can know about.
            ui.disable();
            ui.label(egui::RichText::new(text::OTHER_ACCOUNT_ATTEMPT).strong());
        }
        ui.label(
            egui::RichText::new(text::NOT_CONFIRMED_TITLE)
                .strong()
                .size(16.0)
                .color(warn),
        );
        ui.label(text::not_confirmed_what(
            &attempt.service_name,
            country_name(&attempt.country),
            &attempt.server,
            &text::money(attempt.price, &page.currency),
            &date_time(attempt.bought_at, page.shared.time_zone),
        ));
        ui.label(text::NOT_CONFIRMED_WHY);
        // The balance shown is this key's account: it says nothing of another's purchase.
        if ours {
            ui.label(egui::RichText::new(balance_line(page, attempt)).strong());
        }
        if let Some(raw) = &attempt.raw_reply {
            ui.label(egui::RichText::new(text::not_understood(raw)).monospace());
        }
        if ours {
            candidates_ui(ui, page, attempt, cmds);
        }
        actions_ui(ui, attempt, form, cmds);
        if form.open {
            adopt_form_ui(ui, page, attempt, form, cmds);
        }
    });
}

/// What the balance did since the purchase was asked for, and what it proves.
fn balance_line(page: &OrdersPage<'_>, attempt: &Order) -> String {
    use crate::orders::evidence::{balance_evidence, other_moves};
    use crate::orders::reconcile::KeyUse;
    let session = page.session;
    let now = session.balance().map(|(b, _)| b.amount);
    let ours = session.orders().iter().filter(|o| session.is_ours(o));
    let key = KeyUse::of(
        session.key_only_here(page.settings.key_only_here),
        session.used_elsewhere(),
    );
    let others = other_moves(attempt, ours, key);
    describe::balance_evidence(balance_evidence(attempt, now, others), &page.currency)
}

/// Open orders of the account that may be this purchase, each with "This one is mine".
fn candidates_ui(
    ui: &mut egui::Ui,
    page: &OrdersPage<'_>,
    attempt: &Order,
    cmds: &mut Vec<Command>,
) {
    let Some(candidates) = page.session.candidates_for(&attempt.order_id) else {
        return;
    };
    ui.label(text::CANDIDATES_INTRO);
    for c in candidates {
        let Some(phone) = &c.phone else { continue };
        ui.horizontal_wrapped(|ui| {
            let when = c
                .bought_at
                .map(|at| date_time(at, page.shared.time_zone))
                .unwrap_or_default();
            let cost = c
                .cost
                .map(|cost| text::money(cost, &page.currency))
                .unwrap_or_default();
            ui.label(text::candidate(phone, &when, &cost));
            if ui
                .button(text::THIS_ONE_IS_MINE)
                .on_hover_text(text::THIS_ONE_IS_MINE_HINT)
                .clicked()
            {
                cmds.push(Command::AdoptAttempt {
                    attempt_id: attempt.id(),
                    order_id: c.order_id.clone(),
                    phone: phone.clone(),
                });
            }
        });
    }
}

fn actions_ui(ui: &mut egui::Ui, attempt: &Order, form: &mut AdoptForm, cmds: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        if ui.button("Open InstaOTP website").clicked() {
            cmds.push(Command::OpenWebsite);
        }
        if ui.button("Add it by order id").clicked() {
            form.open = !form.open;
        }
        if ui.button("It was not bought").clicked() {
            cmds.push(Command::MarkNotBought(attempt.id()));
        }
    });
}

fn adopt_form_ui(
    ui: &mut egui::Ui,
    page: &OrdersPage<'_>,
    attempt: &Order,
    form: &mut AdoptForm,
    cmds: &mut Vec<Command>,
) {
    ui.label(egui::RichText::new(text::ADOPT_HINT).weak());
    let checking = page.shared.busy.adopting(&attempt.order_id);
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Order id");
        ui.add(
            egui::TextEdit::singleline(&mut form.order_id)
                .id_salt(("adopt_id", &attempt.order_id))
                .desired_width(140.0),
        )
        .labelled_by(l.id);
        let l = ui.label("Number (optional)");
        ui.add(
            egui::TextEdit::singleline(&mut form.phone)
                .id_salt(("adopt_phone", &attempt.order_id))
                .desired_width(140.0),
        )
        .labelled_by(l.id);
        let can_check = !checking && !form.order_id.trim().is_empty();
        if ui
            .add_enabled(can_check, egui::Button::new("Check and add"))
            .clicked()
        {
            form.error = None;
            cmds.push(Command::AdoptAttempt {
                attempt_id: attempt.id(),
                order_id: form.order_id.clone(),
                phone: form.phone.clone(),
            });
        }
        if checking {
            ui.spinner();
        }
    });
    if let Some(error) = &form.error {
        ui.label(egui::RichText::new(error).color(ui.visuals().error_fg_color));
    }
}

/// A notice about money or orders (an order not saved, a damaged orders file): a card like the
/// one above, kept until the person says they have read it.
pub fn notice_card_ui(ui: &mut egui::Ui, index: usize, notice: &str, cmds: &mut Vec<Command>) {
    let warn = ui.visuals().warn_fg_color;
    warning_card_ui(ui, |ui| {
        ui.label(egui::RichText::new(text::NOTICE_TITLE).strong().color(warn));
        ui.label(notice);
        if ui.button(text::NOTICE_DISMISS).clicked() {
            cmds.push(Command::DismissNotice(index));
        }
    });
}

/// What the last run left undone (a run of purchases, replace-if-no-code), with "Go on" and
/// "Leave it".
pub fn unfinished_card_ui(
    ui: &mut egui::Ui,
    before: &crate::app::unfinished::Unfinished,
    currency: &text::Currency,
    cmds: &mut Vec<Command>,
) {
    let warn = ui.visuals().warn_fg_color;
    warning_card_ui(ui, |ui| {
        ui.label(
            egui::RichText::new(text::UNFINISHED_TITLE)
                .strong()
                .color(warn),
        );
        if let Some(b) = &before.batch {
            ui.label(text::unfinished_batch(
                &b.offer.name,
                country_name(&b.offer.country),
                &b.offer.server,
                b.bought,
                b.wanted,
                b.left(),
                &text::money(b.offer.price, currency),
            ));
        }
        for p in &before.plans {
            ui.label(text::unfinished_plan(
                &p.offer.name,
                p.open.len(),
                p.due.len(),
            ));
        }
        ui.label(egui::RichText::new(text::UNFINISHED_NOTHING_MORE).weak());
        ui.horizontal_wrapped(|ui| {
            if ui
                .button(text::UNFINISHED_GO_ON)
                .on_hover_text(text::UNFINISHED_GO_ON_HINT)
                .clicked()
            {
                cmds.push(Command::ResumeUnfinished);
            }
            if ui.button(text::UNFINISHED_LEAVE).clicked() {
                cmds.push(Command::LeaveUnfinished);
            }
        });
    });
}

/// The frame of every card that stays until it is answered: the warning colour, the full width,
/// a little room below.
fn warning_card_ui(ui: &mut egui::Ui, add_contents: impl FnOnce(&mut egui::Ui)) {
    let warn = ui.visuals().warn_fg_color;
    egui::Frame::group(ui.style())
        .inner_margin(10.0)
        .stroke(egui::Stroke::new(2.0, warn))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            add_contents(ui);
        });
    ui.add_space(6.0);
}
