//! Orders tab: live orders with their number, code, countdowns and actions; then the history.

use super::Shared;
use super::confirm::main_button;
use super::not_confirmed::not_confirmed_card_ui;
use super::widgets::UnseenParts;
use crate::api::SetAction;
use crate::app::describe;
use crate::app::view::{HISTORY_PAGE, OrdersForm};
use crate::app::{Command, Copied, Session};
use crate::countries::{country_name, dialling_code};
use crate::orders::export::ExportFormat;
use crate::orders::history::{HistoryFilter, HistoryView, Period, date_time, day_of, start_of_day};
use crate::orders::{Millis, Order, OrderState, likely_code};
use crate::settings::Settings;
use crate::text;

/// What the Orders tab reads in one frame.
pub struct OrdersPage<'a> {
    pub session: &'a Session,
    pub history: &'a HistoryView,
    pub settings: &'a Settings,
    pub shared: &'a Shared<'a>,
    pub now: Millis,
    /// What amounts are labelled with.
    pub currency: text::Currency,
}

/// Another provider's orders, shown after InstaOTP's.
pub struct ProviderPage<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub page: OrdersPage<'a>,
}

pub fn orders_ui(
    ui: &mut egui::Ui,
    page: &OrdersPage<'_>,
    others: &[ProviderPage<'_>],
    form: &mut OrdersForm,
    cmds: &mut Vec<Command>,
) {
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let mut unconfirmed: Vec<&Order> = page
                .session
                .orders()
                .iter()
                .filter(|o| o.state == OrderState::NotConfirmed)
                .collect();
            // This key's own cards first: only they can be settled now.
            unconfirmed.sort_by_key(|o| !page.session.is_ours(o));
            super::batch::buying_progress_ui(ui, page.session, &page.currency, cmds);
            for attempt in unconfirmed {
                let form = form
                    .adopt
                    .entry(attempt.order_id.clone())
                    .or_insert_with(|| crate::app::view::AdoptForm::for_attempt(attempt));
                not_confirmed_card_ui(ui, page, attempt, form, cmds);
            }
            for (i, notice) in page.session.notices().iter().enumerate() {
                super::not_confirmed::notice_card_ui(ui, i, notice, cmds);
            }
            if let Some(before) = page.session.unfinished_before() {
                super::not_confirmed::unfinished_card_ui(ui, before, &page.currency, cmds);
            }
            let mut active: Vec<&Order> = page.session.watched_orders().collect();
            // Codes first: a code is what the person came for, never buried under new numbers.
            active.sort_by_key(|o| card_rank(o, page.session.is_ours(o)));
            // Beside other providers' numbers, InstaOTP's say whose they are.
            let words = if others.is_empty() {
                text::active_orders(active.len())
            } else {
                text::provider_orders(text::FIRST_PROVIDER, active.len())
            };
            let heading = active_heading_ui(ui, words, page.settings, cmds);
            let mut parts = UnseenParts::new(ui, &heading);
            let compact = page.settings.compact_orders;
            if active.is_empty() {
                ui.label(text::NO_ACTIVE_ORDERS);
            } else {
                // Countdowns tick once a second, only while they are on screen.
                let to_next_second = 1000 - page.now.rem_euclid(1000);
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(
                        u64::try_from(to_next_second).unwrap_or(1000),
                    ));
            }
            for order in active {
                // Another key's numbers keep their card: it says whose they are.
                if compact && page.session.is_ours(order) {
                    super::order_row::order_row_ui(ui, page, order, cmds);
                    continue;
                }
                let id = egui::Id::unique(("order_card", &order.order_id));
                parts.part_ui(ui, id, |ui| order_card_ui(ui, page, order, cmds));
            }
            ui.add_space(12.0);
            ui.separator();
            for other in others {
                let mut asked = Vec::new();
                provider_orders_ui(ui, other, form, &mut asked);
                cmds.extend(asked.into_iter().map(|c| c.to_provider(other.id)));
            }
            parts.part_ui(ui, egui::Id::unique("history"), |ui| {
                // The history of the provider chosen in it; its commands go to that provider.
                let shown = others
                    .iter()
                    .find(|o| form.history_provider.as_deref() == Some(o.id));
                match shown {
                    Some(other) => {
                        let mut asked = Vec::new();
                        history_ui(ui, &other.page, others, form, &mut asked);
                        cmds.extend(asked.into_iter().map(|c| c.to_provider(other.id)));
                    }
                    None => history_ui(ui, page, others, form, cmds),
                }
            });
        });
}

/// Another provider's purchases not confirmed, notices and open numbers, under its name (its
/// history is chosen in the history's Provider filter).
fn provider_orders_ui(
    ui: &mut egui::Ui,
    other: &ProviderPage<'_>,
    form: &mut OrdersForm,
    cmds: &mut Vec<Command>,
) {
    let page = &other.page;
    let session = page.session;
    let unconfirmed: Vec<&Order> = session
        .orders()
        .iter()
        .filter(|o| o.state == OrderState::NotConfirmed && session.is_ours(o))
        .collect();
    let mut active: Vec<&Order> = session.watched_orders().collect();
    if unconfirmed.is_empty() && active.is_empty() && session.notices().is_empty() {
        return;
    }
    ui.heading(text::provider_orders(other.name, active.len()));
    super::batch::buying_progress_ui(ui, session, &page.currency, cmds);
    for attempt in unconfirmed {
        let form = form
            .adopt
            .entry(format!("{}:{}", other.id, attempt.order_id))
            .or_insert_with(|| crate::app::view::AdoptForm::for_attempt(attempt));
        not_confirmed_card_ui(ui, page, attempt, form, cmds);
    }
    for (i, notice) in session.notices().iter().enumerate() {
        super::not_confirmed::notice_card_ui(ui, i, notice, cmds);
    }
    active.sort_by_key(|o| card_rank(o, session.is_ours(o)));
    for order in active {
        let id = egui::Id::unique(("provider_order_card", other.id, &order.order_id));
        ui.push_id(id, |ui| order_card_ui(ui, page, order, cmds));
    }
    ui.add_space(12.0);
    ui.separator();
}

/// "Active orders (3)" and the choice of cards or one line each.
fn active_heading_ui(
    ui: &mut egui::Ui,
    words: String,
    settings: &Settings,
    cmds: &mut Vec<Command>,
) -> egui::Response {
    ui.horizontal_wrapped(|ui| {
        let heading = ui.heading(words);
        let mut compact = settings.compact_orders;
        if ui
            .checkbox(&mut compact, text::COMPACT_ORDERS)
            .on_hover_text(text::COMPACT_ORDERS_HINT)
            .changed()
        {
            cmds.push(Command::SetCompactOrders(compact));
        }
        heading
    })
    .inner
}

fn order_card_ui(ui: &mut egui::Ui, page: &OrdersPage<'_>, order: &Order, cmds: &mut Vec<Command>) {
    let highlighted = page.session.highlight() == Some(order.order_id.as_str());
    let mut frame = egui::Frame::group(ui.style()).inner_margin(10.0);
    if highlighted {
        frame = frame.stroke(egui::Stroke::new(2.0, ui.visuals().selection.bg_fill));
    }
    let ours = page.session.is_ours(order);
    frame.show(ui, |ui| {
        ui.set_width(ui.available_width());
        if !ours {
            // Shown, never touched: the key of this session is not the one that bought it. The
            // person may end it here when that key is gone for good.
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new(text::OTHER_ACCOUNT_SHORT).strong());
                if order.is_watched()
                    && ui
                        .button(text::LEAVE_OTHER_KEY)
                        .on_hover_text(text::LEAVE_OTHER_KEY_HINT)
                        .clicked()
                {
                    cmds.push(Command::LeaveOtherKeyOrder(order.id()));
                }
            });
            ui.disable();
        }
        card_header_ui(ui, order, page.now, &page.currency);
        super::batch::replacement_note_ui(ui, page.session, order);
        card_phone_ui(ui, order, cmds);
        card_code_ui(ui, order, cmds);
        if let Some(raw) = &order.raw_reply {
            ui.label(egui::RichText::new(text::not_understood(raw)).monospace());
        }
        if let Some(problem) = &order.problem {
            ui.label(egui::RichText::new(problem).color(ui.visuals().warn_fg_color));
        }
        card_actions_ui(ui, page, order, cmds);
        card_expiry_ui(ui, page, order);
    });
    ui.add_space(6.0);
}

/// Where an open order's card goes (smaller first): this key's codes ready, then numbers waiting
/// for another SMS, then those waiting for their first; another key's last. Codes in the order
/// they came, so a new code takes its place under those already shown and none of them moves
/// under the pointer; newest first within the other groups (the sort is stable).
fn card_rank(order: &Order, ours: bool) -> (bool, u8, Millis) {
    let (state, came) = match order.state {
        OrderState::CodeReceived => (0, order.code_at.unwrap_or(Millis::MAX)),
        OrderState::WaitingRetry => (1, 0),
        _ => (2, 0),
    };
    (!ours, state, came)
}

fn seconds_since(now: Millis, then: Millis) -> u64 {
    u64::try_from(now.saturating_sub(then) / 1000).unwrap_or(0)
}

fn card_header_ui(ui: &mut egui::Ui, order: &Order, now: Millis, currency: &text::Currency) {
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new(&order.service_name).strong().size(16.0));
        ui.label(format!(
            "· {} · server {} · {}",
            country_name(&order.country),
            order.server,
            describe::charge(order, currency)
        ));
        let bought = text::ago(seconds_since(now, order.bought_at));
        ui.label(egui::RichText::new(format!("· bought {bought}")).weak());
    });
}

fn card_phone_ui(ui: &mut egui::Ui, order: &Order, cmds: &mut Vec<Command>) {
    if order.phone.is_empty() {
        // InstaOTP named the order but not its number.
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(text::NUMBER_ON_WEBSITE).strong());
            if ui.button("Open InstaOTP website").clicked() {
                cmds.push(Command::OpenWebsite);
            }
        });
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(
            // Grouped as the country writes it; copied as InstaOTP gave it.
            egui::RichText::new(text::phone_grouped(&order.phone))
                .size(24.0)
                .monospace()
                .strong(),
        );
        if super::widgets::copy_button_ui(ui, "Copy number", &order.order_id) {
            cmds.push(Command::Copy {
                text: order.phone.clone(),
                what: Copied::Number,
                of: order.service_name.clone(),
            });
        }
        if super::widgets::copy_button_ui(ui, "Copy without country code", &order.order_id) {
            cmds.push(Command::Copy {
                text: order.phone_without_country(dialling_code(&order.country)),
                what: Copied::NumberWithoutCountryCode,
                of: order.service_name.clone(),
            });
        }
    });
}

fn card_code_ui(ui: &mut egui::Ui, order: &Order, cmds: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new(describe::order_state(order.state)).strong());
        if let (Some(sms), OrderState::CodeReceived) = (&order.code, order.state) {
            // An SMS may come as free text: its likely code is shown large and copied.
            let code = likely_code(sms).unwrap_or_else(|| sms.clone());
            ui.label("Code:");
            ui.label(
                egui::RichText::new(&code)
                    .size(26.0)
                    .monospace()
                    .strong()
                    .color(ui.visuals().hyperlink_color),
            );
            if super::widgets::copy_button_ui(ui, "Copy code", &order.order_id) {
                cmds.push(Command::Copy {
                    text: code.clone(),
                    what: Copied::Code,
                    of: order.service_name.clone(),
                });
            }
            if code != *sms {
                ui.label(text::sms_text(sms));
            }
        }
        if let (Some(prev), OrderState::WaitingRetry) = (&order.previous_code, order.state) {
            ui.label(format!("Previous code: {prev}"));
        }
    });
}

/// What an open order's buttons can do now.
pub(super) struct Actions {
    /// A cancel or finish of it is on its way.
    pub busy: bool,
    /// A code is there to use.
    pub has_code: bool,
    /// A code came (also while waiting for another SMS): Finish ends the order, Cancel is gone.
    pub had_code: bool,
    /// Any text at all, even one not understood, may be the SMS: Finish is a way out.
    pub may_finish: bool,
    /// Milliseconds until the cancel lock is over (0: cancel now).
    pub wait: i64,
}

pub(super) fn actions_of(page: &OrdersPage<'_>, order: &Order) -> Actions {
    let busy = page.shared.busy.setting_status_of(&order.order_id);
    let has_code = order.state == OrderState::CodeReceived;
    let had_code = has_code || order.state == OrderState::WaitingRetry;
    let now = page.session.now_for(order, page.now);
    let wait = if had_code {
        0
    } else {
        order.cancel_wait_ms(
            now,
            page.session.cancel_lock_ms(page.settings.cancel_lock_ms()),
        )
    };
    Actions {
        busy,
        has_code,
        had_code,
        may_finish: had_code || order.raw_reply.is_some(),
        wait,
    }
}

/// "Finish", greyed (and saying why on hover) until there is a code to finish with.
pub(super) fn finish_button_ui(
    ui: &mut egui::Ui,
    order: &Order,
    actions: &Actions,
    cmds: &mut Vec<Command>,
) {
    if ui
        .add_enabled(
            actions.may_finish && !actions.busy,
            egui::Button::new("Finish"),
        )
        .on_disabled_hover_text(text::FINISH_AFTER_CODE)
        .clicked()
    {
        cmds.push(Command::Finish(order.id()));
    }
}

fn card_actions_ui(
    ui: &mut egui::Ui,
    page: &OrdersPage<'_>,
    order: &Order,
    cmds: &mut Vec<Command>,
) {
    let settings = page.settings;
    let actions = actions_of(page, order);
    ui.horizontal_wrapped(|ui| {
        if !actions.had_code {
            let lock_secs = page.session.cancel_lock_secs(settings.cancel_lock_ms());
            cancel_button_ui(ui, order, &actions, lock_secs, cmds);
        }
        finish_button_ui(ui, order, &actions, cmds);
        if settings.status_encoding.supports(SetAction::AnotherSms)
            && ui
                .add_enabled(
                    actions.has_code && !actions.busy,
                    egui::Button::new("Another SMS"),
                )
                .clicked()
        {
            cmds.push(Command::AnotherSms(order.id()));
        }
        if ui.button("Buy again").clicked() {
            cmds.push(Command::AskBuyAgain(Box::new(order.clone())));
        }
        if actions.busy {
            ui.spinner();
        }
        if actions.wait > 0 {
            ui.label(egui::RichText::new(text::cancel_in(&text::clock(actions.wait))).weak());
        }
    });
    if actions.had_code {
        // No countdown to a cancel that can never come: why, instead.
        ui.label(egui::RichText::new(text::NO_CANCEL_WITH_CODE).weak());
    }
}

/// "Cancel", greyed while the provider's lock lasts (its countdown said at the end of the row).
pub(super) fn cancel_button_ui(
    ui: &mut egui::Ui,
    order: &Order,
    actions: &Actions,
    lock_secs: u64,
    cmds: &mut Vec<Command>,
) {
    // The button keeps its name (and its width) while the lock counts down: the countdown is
    // said in words at the end of the row, where nothing follows it.
    let r = ui.add_enabled(
        actions.wait == 0 && !actions.busy,
        egui::Button::new("Cancel"),
    );
    if actions.wait > 0 {
        r.clone()
            .on_disabled_hover_text(text::cancel_lock_hint(lock_secs));
    }
    if r.clicked() {
        cmds.push(Command::AskCancel(order.id()));
    }
}

fn card_expiry_ui(ui: &mut egui::Ui, page: &OrdersPage<'_>, order: &Order) {
    let expiry = expiry_text(page, order);
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new(expiry).weak());
        if let Some(at) = order.last_checked {
            let checked = text::ago(seconds_since(page.now, at));
            ui.label(egui::RichText::new(format!("· checked {checked}")).weak());
        }
    });
}

/// "Expires in 12:34", or what an order past its expected end is waiting for.
pub(super) fn expiry_text(page: &OrdersPage<'_>, order: &Order) -> String {
    let lifetime_ms = page.settings.order_lifetime_ms();
    let left = order.expiry_ms(page.session.now_for(order, page.now), lifetime_ms);
    if left > 0 {
        text::expires_in(&text::clock(left))
    } else {
        text::past_expected_end(order.code.is_some()).to_owned()
    }
}

fn history_ui(
    ui: &mut egui::Ui,
    page: &OrdersPage<'_>,
    others: &[ProviderPage<'_>],
    form: &mut OrdersForm,
    cmds: &mut Vec<Command>,
) {
    ui.heading("History");
    if !others.is_empty() {
        history_provider_ui(ui, &mut form.history_provider, others);
    }
    history_filter_ui(ui, &mut form.history, page.now, page.shared.time_zone);
    let view = page.history;
    let money = |amount| text::money(amount, &page.currency);
    let not_confirmed = (!view.not_confirmed.is_zero()).then(|| money(view.not_confirmed));
    // Paid is every number bought; Net is what they cost once refunds came back.
    let paid = view.spent.saturating_add(view.refunded);
    ui.label(text::history_totals(
        view.rows.len(),
        &money(paid),
        &money(view.refunded),
        &money(view.spent),
        not_confirmed.as_deref(),
    ));
    // Delivery record: the figures per service for the period chosen.
    super::delivery::history_delivery_ui(ui, &view.delivery);
    history_table_ui(ui, page, form.history_shown);
    if view.rows.len() > form.history_shown {
        let more = (view.rows.len() - form.history_shown).min(HISTORY_PAGE);
        if ui.button(format!("Show {more} more")).clicked() {
            form.history_shown += HISTORY_PAGE;
        }
    }
    ui.add_space(8.0);
    history_actions_ui(ui, page, form, cmds);
}

fn history_table_ui(ui: &mut egui::Ui, page: &OrdersPage<'_>, shown: usize) {
    // Nothing to list: a sentence, not column headers over nothing.
    if page.history.rows.is_empty() {
        ui.label(egui::RichText::new(text::NO_HISTORY_ROWS).weak());
        return;
    }
    let tz = page.shared.time_zone;
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
            for o in page
                .history
                .rows
                .iter()
                .take(shown)
                .filter_map(|&i| page.session.orders().get(i))
            {
                ui.label(date_time(o.bought_at, tz));
                ui.label(&o.service_name);
                ui.label(country_name(&o.country));
                ui.label(text::phone_grouped(&o.phone));
                ui.label(describe::charge(o, &page.currency));
                ui.label(describe::history_state(o, |id| {
                    text::order_called(id, page.session.order(id).map(|o| o.phone.as_str()))
                }));
                ui.label(o.code.as_deref().unwrap_or("—"));
                ui.end_row();
            }
        });
}

/// "Provider: InstaOTP / Backup account": whose history is shown, totalled and exported.
fn history_provider_ui(ui: &mut egui::Ui, shown: &mut Option<String>, others: &[ProviderPage<'_>]) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(text::PROVIDER_COLUMN);
        let name = shown
            .as_deref()
            .and_then(|id| others.iter().find(|o| o.id == id))
            .map_or(text::FIRST_PROVIDER, |o| o.name);
        egui::ComboBox::from_id_salt("history_provider")
            .selected_text(name)
            .show_ui(ui, |ui| {
                ui.selectable_value(shown, None, text::FIRST_PROVIDER);
                for o in others {
                    ui.selectable_value(shown, Some(o.id.to_owned()), o.name);
                }
            })
            .response
            .labelled_by(label.id);
    });
}

fn history_actions_ui(
    ui: &mut egui::Ui,
    page: &OrdersPage<'_>,
    form: &mut OrdersForm,
    cmds: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        let tz = page.shared.time_zone;
        let default_day = day_of(page.now.saturating_sub(90 * 86_400_000), tz);
        let day = form.delete_before.get_or_insert(default_day);
        date_ui(ui, "Delete history before", day);
        let day = *day;
        if ui.button("Delete old history…").clicked() {
            cmds.push(Command::AskDeleteHistory(day));
        }
        let can_export = !page.shared.busy.save_dialog_open && !page.history.rows.is_empty();
        for (format, label) in [
            (ExportFormat::Xlsx, text::EXPORT_XLSX),
            (ExportFormat::Csv, text::EXPORT_CSV),
        ] {
            if ui
                .add_enabled(can_export, egui::Button::new(label))
                .on_hover_text(text::EXPORT_HINT_BUTTON)
                .clicked()
            {
                cmds.push(Command::ExportHistory(format));
            }
        }
    });
}

/// Service, status and date filters of the history.
fn history_filter_ui(
    ui: &mut egui::Ui,
    filter: &mut HistoryFilter,
    now: Millis,
    tz: &jiff::tz::TimeZone,
) {
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Find service");
        ui.add(
            egui::TextEdit::singleline(&mut filter.search)
                .desired_width(160.0)
                .hint_text("any"),
        )
        .labelled_by(l.id);
        state_picker_ui(ui, &mut filter.state);
        period_picker_ui(ui, &mut filter.period, day_of(now, tz));
    });
}

fn state_picker_ui(ui: &mut egui::Ui, state: &mut Option<OrderState>) {
    let l = ui.label("Status");
    egui::ComboBox::from_id_salt("history_state")
        .selected_text(state.map_or("Any", describe::order_state))
        .show_ui(ui, |ui| {
            ui.selectable_value(state, None, "Any");
            for s in [
                OrderState::Finished,
                OrderState::Cancelled,
                OrderState::Expired,
                OrderState::EndedWithCode,
                OrderState::Gone,
                OrderState::EndedRefundUnconfirmed,
                OrderState::NotBought,
            ] {
                ui.selectable_value(state, Some(s), describe::order_state(s));
            }
        })
        .response
        .labelled_by(l.id);
}

fn period_picker_ui(ui: &mut egui::Ui, period: &mut Period, today: jiff::civil::Date) {
    let l = ui.label("Period");
    // "Between dates" starts as the last 7 days, which the user then moves.
    let between = match *period {
        p @ Period::Between { .. } => p,
        _ => Period::Between {
            from: today
                .checked_sub(jiff::Span::new().days(6))
                .unwrap_or(today),
            to: today,
        },
    };
    egui::ComboBox::from_id_salt("history_period")
        .selected_text(describe::period(*period))
        .show_ui(ui, |ui| {
            for p in [
                Period::All,
                Period::LastDay,
                Period::LastWeek,
                Period::LastMonth,
                between,
            ] {
                ui.selectable_value(period, p, describe::period(p));
            }
        })
        .response
        .labelled_by(l.id);
    if let Period::Between { from, to } = period {
        date_ui(ui, "From", from);
        date_ui(ui, "To", to);
    }
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
    session: &Session,
    day: jiff::civil::Date,
    tz: &jiff::tz::TimeZone,
    enter: bool,
    cmds: &mut Vec<Command>,
) {
    let before = start_of_day(day, tz);
    let count = session
        .orders()
        .iter()
        .filter(|o| !o.is_active() && o.bought_at < before)
        .count();
    let day = day.strftime("%Y-%m-%d").to_string();
    if count == 0 {
        ui.heading(text::NOTHING_TO_DELETE);
        ui.label(text::nothing_bought_before(&day));
        ui.add_space(8.0);
        if main_button(ui, egui::Button::new("Close"), true, enter) {
            cmds.push(Command::CloseDialog);
        }
        return;
    }
    ui.heading(text::delete_history_title(count));
    ui.label(text::delete_history_body(count, &day));
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        let button = egui::Button::new(text::delete_history_button(count));
        if main_button(ui, button, true, enter) {
            cmds.push(Command::DeleteHistoryBefore(before));
        }
        if ui.button(text::keep_history(count)).clicked() {
            cmds.push(Command::CloseDialog);
        }
    });
}

pub fn confirm_cancel_ui(
    ui: &mut egui::Ui,
    session: &Session,
    currency: &text::Currency,
    order_id: &str,
    enter: bool,
    cmds: &mut Vec<Command>,
) {
    let order = session.order(order_id);
    ui.heading(text::CANCEL_TITLE);
    if let Some(o) = order {
        ui.label(format!(
            "{} · {} · {}",
            o.service_name,
            country_name(&o.country),
            text::phone_grouped(&o.phone)
        ));
        ui.label(text::cancel_refund(&text::money(o.charge(), currency)));
    }
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if main_button(ui, egui::Button::new("Cancel order"), true, enter) {
            cmds.push(Command::Cancel(order_id.into()));
        }
        if ui.button("Keep order").clicked() {
            cmds.push(Command::CloseDialog);
        }
    });
}

/// The save dialog of the history export: where the CSV file goes.
pub fn export_dialog_ui(
    ui: &mut egui::Ui,
    path: &mut String,
    enter: bool,
    cmds: &mut Vec<Command>,
) {
    let format = ExportFormat::of_path(std::path::Path::new(path.trim()));
    ui.heading(describe::export_title(format));
    ui.label(text::EXPORT_HINT);
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        let l = ui.label("Save as");
        // As wide as the dialog, never past its edge (where the name was cut off).
        ui.add(egui::TextEdit::singleline(path).desired_width(ui.available_width()))
            .labelled_by(l.id);
    });
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if main_button(
            ui,
            egui::Button::new("Save"),
            !path.trim().is_empty(),
            enter,
        ) {
            cmds.push(Command::ExportHistoryTo(path.clone()));
        }
        if ui.button("Don't save").clicked() {
            cmds.push(Command::CloseDialog);
        }
    });
}
