//! The buy confirmation's own choices: how many numbers, and replace-if-no-code (off by default).

use crate::app::describe;
use rust_decimal::Decimal;

use crate::api::Offer;
use crate::app::Command;
use crate::app::batch_buy::MAX_QUANTITY;
use crate::app::replace::MAX_REPLACEMENTS;
pub use crate::app::view::{ASK_AGAIN_ABOVE, BuyForm, parse_amount};
use crate::offers::{OfferList, next_offer};
use crate::settings::Settings;
use crate::text;

/// The spend limit typed for replacements, when it is an amount.
pub fn spend_limit(form: &BuyForm) -> Option<Decimal> {
    parse_amount(&form.spend_limit)
}

/// The total for `quantity` numbers of `offer` (`None` when it does not fit).
pub fn total(offer: &Offer, quantity: u8) -> Option<Decimal> {
    offer.price.checked_mul(Decimal::from(quantity.max(1)))
}

/// "How many numbers" and what it comes to. Rows of the confirmation's grid.
pub fn quantity_rows_ui(
    ui: &mut egui::Ui,
    form: &mut BuyForm,
    offer: &Offer,
    currency: &text::Currency,
) {
    let label = ui.label(text::QUANTITY);
    let before = form.quantity;
    ui.horizontal(|ui| {
        if ui
            .add_enabled(form.quantity > 1, egui::Button::new("−"))
            .on_hover_text(text::ONE_LESS)
            .clicked()
        {
            form.quantity = form.quantity.saturating_sub(1).max(1);
        }
        // Typed, or changed with − and +: never by dragging (a drag once made it 20).
        ui.add(
            egui::DragValue::new(&mut form.quantity)
                .range(1..=MAX_QUANTITY)
                .speed(0.0),
        )
        .labelled_by(label.id);
        if ui
            .add_enabled(form.quantity < MAX_QUANTITY, egui::Button::new("+"))
            .on_hover_text(text::ONE_MORE)
            .clicked()
        {
            form.quantity = form.quantity.saturating_add(1).min(MAX_QUANTITY);
        }
    });
    if form.quantity != before {
        form.asking_again = false;
    }
    ui.end_row();
    if form.quantity > 1 {
        ui.label(text::TOTAL);
        let shown = total(offer, form.quantity).map_or_else(
            || text::UNUSUAL_AMOUNT.to_owned(),
            |t| text::money(t, currency),
        );
        ui.label(egui::RichText::new(shown).strong());
        ui.end_row();
    }
}

/// "You will get N numbers", and a word when fewer are listed.
pub fn quantity_note_ui(ui: &mut egui::Ui, form: &BuyForm, offer: &Offer) {
    if form.quantity < 2 {
        return;
    }
    ui.label(egui::RichText::new(text::you_will_get(usize::from(form.quantity))).strong());
    if offer.qty < u64::from(form.quantity) {
        ui.label(egui::RichText::new(text::fewer_listed(offer.qty)).weak());
    }
}

/// Replace-if-no-code: off by default; when on, how long to wait, how many times, and the most
/// it may spend.
pub fn replace_options_ui(
    ui: &mut egui::Ui,
    form: &mut BuyForm,
    offer: &Offer,
    offers: &crate::offers::OfferList,
    currency: &text::Currency,
    lock_secs: u64,
) {
    ui.checkbox(&mut form.replace, text::REPLACE_CHECKBOX);
    if !form.replace {
        return;
    }
    // No number can be cancelled before the cancel lock: a shorter wait could not be kept.
    form.wait_secs = form.wait_secs.max(lock_secs);
    let tried = std::slice::from_ref(&offer.server);
    let next = next_offer(offers.offers(), offer, tried, |o| {
        offers.replacement_rank(o)
    });
    ui.indent("replace_options", |ui| {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(text::REPLACE_WAIT);
            wait_picker_ui(ui, form, label.id, lock_secs);
            ui.label(text::REPLACE_WAIT_THEN);
        });
        ui.horizontal(|ui| {
            let label = ui.label(text::REPLACE_AT_MOST);
            ui.add(egui::DragValue::new(&mut form.max_replacements).range(1..=MAX_REPLACEMENTS))
                .labelled_by(label.id);
            ui.label(text::replacements_word(form.max_replacements));
        });
        if !form.spend_limit_typed {
            let limit = next
                .and_then(|n| n.price.checked_mul(Decimal::from(form.max_replacements)))
                .unwrap_or_default();
            form.spend_limit = limit.to_string();
        }
        ui.horizontal(|ui| {
            let label = ui.label(text::SPEND_AT_MOST);
            let r = ui
                .add(egui::TextEdit::singleline(&mut form.spend_limit).desired_width(80.0))
                .labelled_by(label.id);
            if r.changed() {
                form.spend_limit_typed = true;
            }
            match parse_amount(&form.spend_limit) {
                Some(limit) => ui.label(text::spend_limit_words(&text::money(limit, currency))),
                None => ui.label(
                    egui::RichText::new(text::AMOUNT_HINT).color(ui.visuals().error_fg_color),
                ),
            };
        });
        if let (Some(n), Some(limit)) = (next, parse_amount(&form.spend_limit)) {
            ui.label(
                egui::RichText::new(text::replace_sentence(
                    form.wait_secs,
                    &n.server,
                    &text::money(limit, currency),
                ))
                .strong(),
            );
        }
        let next_words = next.map_or_else(
            || text::NO_NEXT_SERVER.to_owned(),
            |n| text::next_server(&n.server, &describe::price(n, currency)),
        );
        ui.label(egui::RichText::new(next_words).weak());
    });
}

/// The usual waits, and the one in use when it is another (from the settings file).
fn wait_picker_ui(ui: &mut egui::Ui, form: &mut BuyForm, label: egui::Id, lock_secs: u64) {
    // Only waits that can be kept: none shorter than the cancel lock.
    let mut choices: Vec<u64> = [1, 2, 3, 5, 10, 15, 20]
        .map(|m| m * 60)
        .into_iter()
        .filter(|&secs| secs >= lock_secs)
        .collect();
    if !choices.contains(&form.wait_secs) {
        choices.push(form.wait_secs);
        choices.sort_unstable();
    }
    egui::ComboBox::from_id_salt("replace_wait")
        .selected_text(text::duration(form.wait_secs))
        .show_ui(ui, |ui| {
            for secs in choices {
                ui.selectable_value(&mut form.wait_secs, secs, text::duration(secs));
            }
        })
        .response
        .labelled_by(label);
}

/// "If this server has no numbers, try the next best, up to ₹[ ]": off by default; ticked, the
/// limit starts at the dearer of this offer and its next best.
pub fn fallback_ui(
    ui: &mut egui::Ui,
    form: &mut BuyForm,
    offer: &Offer,
    offers: &OfferList,
    ceiling: Option<Decimal>,
) {
    ui.horizontal_wrapped(|ui| {
        let r = ui
            .checkbox(&mut form.fallback, text::FALLBACK_CHECKBOX)
            .on_hover_text(text::fallback_hint(crate::app::batch_buy::FALLBACK_TRIES));
        if r.changed() && form.fallback && form.fallback_limit.is_empty() {
            let next = offers
                .next_best(offer, ceiling)
                .map_or(offer.price, |o| o.price);
            form.fallback_limit = next.max(offer.price).to_string();
        }
        if form.fallback {
            let l = ui.label(text::FALLBACK_UP_TO);
            ui.add(egui::TextEdit::singleline(&mut form.fallback_limit).desired_width(70.0))
                .labelled_by(l.id);
            if parse_amount(&form.fallback_limit).is_none() {
                ui.label(egui::RichText::new(text::AMOUNT_HINT).color(ui.visuals().error_fg_color));
            }
        }
    });
}

/// "Never pay more than [ ] for one WhatsApp number": this service's own ceiling, kept in
/// Settings as soon as it is typed (empty: the overall one, or none).
pub fn service_ceiling_ui(
    ui: &mut egui::Ui,
    form: &mut BuyForm,
    offer: &Offer,
    settings: &Settings,
    cmds: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        let l = ui.label(text::service_ceiling_label(&offer.name));
        let own = settings.max_price_by_service.get(&offer.service_code);
        let typed = form
            .service_ceiling
            .get_or_insert_with(|| own.map(ToString::to_string).unwrap_or_default());
        let hint = settings
            .max_price
            .map_or_else(|| text::NO_LIMIT.to_owned(), |m| m.to_string());
        let r = ui
            .add(
                egui::TextEdit::singleline(typed)
                    .desired_width(70.0)
                    .hint_text(hint),
            )
            .labelled_by(l.id)
            .on_hover_text(text::SERVICE_CEILING_HINT);
        let trimmed = typed.trim();
        let parsed = parse_amount(trimmed);
        if r.changed() {
            let code = offer.service_code.clone();
            if trimmed.is_empty() {
                cmds.push(Command::SetServiceCeiling(code, None));
            } else if parsed.is_some() {
                cmds.push(Command::SetServiceCeiling(code, parsed));
            }
        }
        if !trimmed.is_empty() && parsed.is_none() {
            ui.label(egui::RichText::new(text::AMOUNT_HINT).color(ui.visuals().error_fg_color));
        }
    });
}

/// "Buy for …" (the total and how many when several) and "Don't buy".
#[allow(clippy::too_many_arguments)] // the dialog's inputs, each used once
pub fn buy_buttons_ui(
    ui: &mut egui::Ui,
    offer: &Offer,
    form: &mut BuyForm,
    price: &str,
    currency: &text::Currency,
    free: bool,
    enter: bool,
    cmds: &mut Vec<Command>,
) {
    let options = form.options();
    let cost = total(offer, form.quantity)
        .filter(|_| offer.has_usual_price())
        .map(|cost| text::money(cost, currency));
    let enabled = free && offer.has_usual_price() && options.is_some();
    if form.asking_again {
        // Many numbers at once: asked a second time, in words that say how many.
        let n = usize::from(form.quantity);
        ui.label(
            egui::RichText::new(text::buy_many_again(n, cost.as_deref().unwrap_or(price))).strong(),
        );
        ui.horizontal(|ui| {
            if super::confirm::main_button(
                ui,
                egui::Button::new(text::yes_buy_many(n)),
                enabled,
                enter,
            ) && let Some(options) = options
            {
                cmds.push(Command::Buy(offer.clone(), options));
            }
            if ui.button(text::BACK).clicked() {
                form.asking_again = false;
            }
        });
        return;
    }
    ui.horizontal(|ui| {
        let label = match &cost {
            Some(cost) if form.quantity > 1 => text::buy_many_for(cost, usize::from(form.quantity)),
            _ => text::buy_for(price),
        };
        if super::confirm::main_button(ui, egui::Button::new(label), enabled, enter)
            && let Some(options) = options
        {
            if form.quantity > ASK_AGAIN_ABOVE {
                form.asking_again = true;
            } else {
                cmds.push(Command::Buy(offer.clone(), options));
            }
        }
        if ui.button("Don't buy").clicked() {
            cmds.push(Command::CloseDialog);
        }
    });
}
