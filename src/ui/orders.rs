//! Orders tab: live orders with their number, code, countdowns and actions; then the history.

use super::Command;
use super::widgets::{UnseenParts, ago, clock};
use crate::api::SetAction;
use crate::app::App;
use crate::countries::{country_name, dialling_code};
use crate::orders::history::{HistoryFilter, Period, date_time, day_of, start_of_day};
use crate::orders::{Order, OrderState, now_millis};
use crate::worker::Job;

pub struct OrdersForm {
    pub history: HistoryFilter,
    /// How many history rows are laid out (newest first); "Show more" adds a page.
    pub history_shown: usize,
    /// "Delete history before" this day; `None` until shown (then 90 days ago).
    pub delete_before: Option<jiff::civil::Date>,
    /// The file the save dialog offers.
    pub export_path: String,
}

impl Default for OrdersForm {
    fn default() -> Self {
        Self {
            history: HistoryFilter::default(),
            history_shown: HISTORY_PAGE,
            delete_before: None,
            export_path: String::new(),
        }
    }
}

/// History rows laid out at a time: every shown row costs layout in every frame.
const HISTORY_PAGE: usize = 50;

pub fn orders_ui(ui: &mut egui::Ui, app: &mut App, cmds: &mut Vec<Command>) {
    let now = now_millis();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let active: Vec<&Order> = app.orders().iter().filter(|o| o.is_active()).collect();
            let heading = ui.heading(format!("Active orders ({})", active.len()));
            let mut parts = UnseenParts::new(ui, &heading);
            if active.is_empty() {
                ui.label("No active orders. Buy a number in the Services tab.");
            } else {
                // Countdowns tick once a second, only while they are on screen.
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(
                        1000 - (now % 1000) as u64,
                    ));
            }
            for order in &active {
                let id = egui::Id::unique(("order_card", &order.order_id));
                parts.part_ui(ui, id, |ui| order_card_ui(ui, app, order, now, cmds));
            }
            drop(active);
            ui.add_space(12.0);
            ui.separator();
            parts.part_ui(ui, egui::Id::unique("history"), |ui| {
                history_ui(ui, app, now, cmds);
            });
        });
}

fn order_card_ui(ui: &mut egui::Ui, app: &App, order: &Order, now: i64, cmds: &mut Vec<Command>) {
    let settings = app.settings();
    let lock_ms = settings.cancel_lock_secs as i64 * 1000;
    let lifetime_ms = settings.order_lifetime_secs as i64 * 1000;
    let busy = app.worker.is_busy(&Job::SetStatus(order.order_id.clone()));
    let highlighted = app.highlight.as_deref() == Some(order.order_id.as_str());
    let mut frame = egui::Frame::group(ui.style()).inner_margin(10.0);
    if highlighted {
        frame = frame.stroke(egui::Stroke::new(2.0, ui.visuals().selection.bg_fill));
    }
    frame.show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(&order.service_name).strong().size(16.0));
            ui.label(format!(
                "· {} · server {} · {}",
                country_name(&order.country),
                order.server,
                order.price
            ));
            ui.label(
                egui::RichText::new(format!(
                    "· bought {}",
                    ago(((now - order.bought_at).max(0) / 1000) as u64)
                ))
                .weak(),
            );
        });
        ui.horizontal_wrapped(|ui| {
            ui.label(
                egui::RichText::new(&order.phone)
                    .size(24.0)
                    .monospace()
                    .strong(),
            );
            if ui.button("Copy number").clicked() {
                cmds.push(Command::Copy {
                    text: order.phone.clone(),
                    what: "Number",
                });
            }
            if ui.button("Copy without country code").clicked() {
                cmds.push(Command::Copy {
                    text: order.phone_without_country(dialling_code(&order.country)),
                    what: "Number without country code",
                });
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(order.state.label()).strong());
            match &order.code {
                Some(code) if order.state == OrderState::CodeReceived => {
                    ui.label("Code:");
                    ui.label(
                        egui::RichText::new(code)
                            .size(26.0)
                            .monospace()
                            .strong()
                            .color(ui.visuals().hyperlink_color),
                    );
                    if ui.button("Copy code").clicked() {
                        cmds.push(Command::Copy {
                            text: code.clone(),
                            what: "Code",
                        });
                    }
                }
                _ => {}
            }
            if let (Some(prev), OrderState::WaitingRetry) = (&order.previous_code, order.state) {
                ui.label(format!("Previous code: {prev}"));
            }
        });
        if let Some(raw) = &order.raw_reply {
            ui.label(
                egui::RichText::new(format!("InstaOTP replied (not understood): {raw}"))
                    .monospace(),
            );
        }
        if let Some(problem) = &order.problem {
            ui.label(egui::RichText::new(problem).color(ui.visuals().warn_fg_color));
        }
        ui.horizontal_wrapped(|ui| {
            let wait = order.cancel_wait_ms(now, lock_ms);
            let cancel_text = if wait > 0 {
                format!("Cancel (in {})", clock(wait))
            } else {
                "Cancel".to_owned()
            };
            let can_cancel = wait == 0 && !busy && order.state != OrderState::CodeReceived;
            let r = ui.add_enabled(can_cancel, egui::Button::new(cancel_text));
            if wait > 0 {
                r.clone()
                    .on_disabled_hover_text("InstaOTP allows a cancel 2 minutes after purchase.");
            }
            if r.clicked() {
                cmds.push(Command::AskCancel(order.order_id.clone()));
            }
            let has_code = order.state == OrderState::CodeReceived;
            if ui
                .add_enabled(has_code && !busy, egui::Button::new("Finish"))
                .clicked()
            {
                cmds.push(Command::Finish(order.order_id.clone()));
            }
            if settings.status_encoding.supports(SetAction::AnotherSms)
                && ui
                    .add_enabled(has_code && !busy, egui::Button::new("Another SMS"))
                    .clicked()
            {
                cmds.push(Command::AnotherSms(order.order_id.clone()));
            }
            if ui.button("Buy again").clicked() {
                if let Some(offer) = app.offers.offers().iter().find(|o| {
                    o.code == order.service_code
                        && o.country == order.country
                        && o.server == order.server
                }) {
                    cmds.push(Command::AskBuy(offer.clone()));
                } else {
                    cmds.push(Command::AskBuy(offer_of(order)));
                }
            }
            if busy {
                ui.spinner();
            }
        });
        ui.horizontal_wrapped(|ui| {
            let left = order.expiry_ms(now, lifetime_ms);
            let expiry = if left > 0 {
                format!("Expires in {}", clock(left))
            } else {
                "Past its expected end: waiting for InstaOTP to close it".to_owned()
            };
            ui.label(egui::RichText::new(expiry).weak());
            if let Some(at) = order.last_checked {
                ui.label(
                    egui::RichText::new(format!(
                        "· checked {}",
                        ago(((now - at).max(0) / 1000) as u64)
                    ))
                    .weak(),
                );
            }
        });
    });
    ui.add_space(6.0);
}

/// The offer an order was bought from, for "Buy again" when the offer list has not loaded.
fn offer_of(order: &Order) -> crate::api::Offer {
    crate::api::Offer {
        server: order.server.clone(),
        code: order.service_code.clone(),
        name: order.service_name.clone(),
        price: order.price,
        qty: 1,
        country: order.country.clone(),
        provider: order.provider.clone(),
    }
}

fn history_ui(ui: &mut egui::Ui, app: &mut App, now: i64, cmds: &mut Vec<Command>) {
    ui.heading("History");
    history_filter_ui(ui, app, now);
    let view = app.history_view().clone();
    let n = view.rows.len();
    ui.label(format!(
        "{n} order{} · spent {} · refunded {}",
        if n == 1 { "" } else { "s" },
        money(view.spent),
        money(view.refunded)
    ));
    let tz = &app.time_zone;
    egui::Grid::new("history")
        .striped(true)
        .num_columns(7)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for title in [
                "Bought", "Service", "Country", "Number", "Price", "Status", "Code",
            ] {
                ui.label(egui::RichText::new(title).strong());
            }
            ui.end_row();
            for o in view
                .rows
                .iter()
                .take(app.orders_ui.history_shown)
                .filter_map(|&i| app.orders().get(i))
            {
                ui.label(date_time(o.bought_at, tz));
                ui.label(&o.service_name);
                ui.label(country_name(&o.country));
                ui.label(&o.phone);
                ui.label(o.price.to_string());
                ui.label(o.state.label());
                ui.label(o.code.as_deref().unwrap_or("—"));
                ui.end_row();
            }
        });
    if view.rows.len() > app.orders_ui.history_shown {
        let more = (view.rows.len() - app.orders_ui.history_shown).min(HISTORY_PAGE);
        if ui.button(format!("Show {more} more")).clicked() {
            app.orders_ui.history_shown += HISTORY_PAGE;
        }
    }
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        let default_day = day_of(now - 90 * 86_400_000, &app.time_zone);
        let day = app.orders_ui.delete_before.get_or_insert(default_day);
        date_ui(ui, "Delete history before", day);
        let day = *day;
        if ui.button("Delete old history…").clicked() {
            cmds.push(Command::AskDeleteHistory(day));
        }
        let exporting = app.worker.is_busy(&Job::SaveDialog);
        if ui
            .add_enabled(
                !exporting && !view.rows.is_empty(),
                egui::Button::new("Export history as CSV"),
            )
            .on_hover_text("Saves the orders listed above, as filtered")
            .clicked()
        {
            cmds.push(Command::ExportHistory);
        }
    });
}

/// An amount with at least two decimals and never fewer than the provider sent: totals are not
/// rounded.
fn money(amount: rust_decimal::Decimal) -> String {
    let mut amount = amount;
    if amount.scale() < 2 {
        amount.rescale(2);
    }
    amount.to_string()
}

/// Service, status and date filters of the history.
fn history_filter_ui(ui: &mut egui::Ui, app: &mut App, now: i64) {
    let today = day_of(now, &app.time_zone);
    let filter = &mut app.orders_ui.history;
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Find service");
        ui.add(
            egui::TextEdit::singleline(&mut filter.search)
                .desired_width(160.0)
                .hint_text("any"),
        )
        .labelled_by(l.id);
        let l = ui.label("Status");
        egui::ComboBox::from_id_salt("history_state")
            .selected_text(filter.state.map_or("Any", |s| s.label()))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut filter.state, None, "Any");
                for s in [
                    OrderState::Finished,
                    OrderState::Cancelled,
                    OrderState::Expired,
                    OrderState::Gone,
                ] {
                    ui.selectable_value(&mut filter.state, Some(s), s.label());
                }
            })
            .response
            .labelled_by(l.id);
        let l = ui.label("Period");
        // "Between dates" starts as the last 7 days, which the user then moves.
        let between = match filter.period {
            p @ Period::Between { .. } => p,
            _ => Period::Between {
                from: today
                    .checked_sub(jiff::Span::new().days(6))
                    .unwrap_or(today),
                to: today,
            },
        };
        egui::ComboBox::from_id_salt("history_period")
            .selected_text(filter.period.label())
            .show_ui(ui, |ui| {
                for p in [
                    Period::All,
                    Period::LastDay,
                    Period::LastWeek,
                    Period::LastMonth,
                    between,
                ] {
                    ui.selectable_value(&mut filter.period, p, p.label());
                }
            })
            .response
            .labelled_by(l.id);
        if let Period::Between { from, to } = &mut filter.period {
            date_ui(ui, "From", from);
            date_ui(ui, "To", to);
        }
    });
}

/// A labelled date with a calendar; the label also keeps each picker's state apart.
fn date_ui(ui: &mut egui::Ui, label: &str, day: &mut jiff::civil::Date) {
    let l = ui.label(label);
    ui.add(
        egui_extras::DatePickerButton::new(day)
            .id_salt(label)
            .calendar_week(false),
    )
    .labelled_by(l.id);
}

/// Confirms deleting the history bought before `day`, saying how many orders go.
pub fn confirm_delete_history_ui(
    ui: &mut egui::Ui,
    app: &App,
    day: jiff::civil::Date,
    cmds: &mut Vec<Command>,
) {
    let before = start_of_day(day, &app.time_zone);
    let count = app
        .orders()
        .iter()
        .filter(|o| !o.is_active() && o.bought_at < before)
        .count();
    let day = day.strftime("%Y-%m-%d");
    if count == 0 {
        ui.heading("Nothing to delete");
        ui.label(format!("No order in the history was bought before {day}."));
        ui.add_space(8.0);
        if ui.button("Close").clicked() {
            cmds.push(Command::CloseDialog);
        }
        return;
    }
    let orders = if count == 1 { "order" } else { "orders" };
    ui.heading(format!("Delete {count} {orders} from the history?"));
    ui.label(format!(
        "The {orders} bought before {day} are removed from this computer for good. \
         Export the history first if you need a copy. Active orders are never deleted."
    ));
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if ui.button(format!("Delete {count} {orders}")).clicked() {
            cmds.push(Command::DeleteHistoryBefore(before));
        }
        if ui.button("Keep them").clicked() {
            cmds.push(Command::CloseDialog);
        }
    });
}

pub fn confirm_cancel_ui(ui: &mut egui::Ui, app: &App, order_id: &str, cmds: &mut Vec<Command>) {
    let order = app.orders().iter().find(|o| o.order_id == order_id);
    ui.heading("Cancel this order?");
    if let Some(o) = order {
        ui.label(format!(
            "{} · {} · {}",
            o.service_name,
            country_name(&o.country),
            o.phone
        ));
        ui.label(format!(
            "The price ({}) comes back to your balance when no SMS was received.",
            o.price
        ));
    }
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if ui.button("Cancel order").clicked() {
            cmds.push(Command::Cancel(order_id.to_owned()));
        }
        if ui.button("Keep order").clicked() {
            cmds.push(Command::CloseDialog);
        }
    });
}

/// The save dialog of the history export: where the CSV file goes.
pub fn export_dialog_ui(ui: &mut egui::Ui, path: &mut String, cmds: &mut Vec<Command>) {
    ui.heading("Save the history as CSV");
    ui.label("The file opens in any spreadsheet. Change the folder or the name if you like.");
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        let l = ui.label("Save as");
        ui.add(egui::TextEdit::singleline(path).desired_width(520.0))
            .labelled_by(l.id);
    });
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if ui
            .add_enabled(!path.trim().is_empty(), egui::Button::new("Save"))
            .clicked()
        {
            cmds.push(Command::ExportHistoryTo(path.clone()));
        }
        if ui.button("Don't save").clicked() {
            cmds.push(Command::CloseDialog);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::money;

    #[test]
    fn totals_keep_every_decimal_and_show_at_least_two() {
        let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap_or_default();
        assert_eq!(money(d("0")), "0.00");
        assert_eq!(money(d("25")), "25.00");
        assert_eq!(money(d("12.5")), "12.50");
        assert_eq!(money(d("0.125")), "0.125");
    }
}
