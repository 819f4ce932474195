//! The bar at the top (tabs, balance) and the status line at the bottom.

use crate::app::describe;
use std::time::Instant;

use super::Shared;
use super::widgets::ago_next_change;
use crate::app::busy::Busy;
use crate::app::{Command, Messages, Session, Tab};
use crate::settings::Settings;
use crate::text;

/// What the top bar reads.
pub struct TopBar<'a> {
    pub session: &'a Session,
    pub tab: Tab,
    pub settings: &'a Settings,
    pub shared: &'a Shared<'a>,
    pub messages: &'a Messages,
}

pub fn top_bar_ui(ui: &mut egui::Ui, bar: &TopBar<'_>, cmds: &mut Vec<Command>) {
    let TopBar {
        session,
        tab,
        settings,
        shared,
        messages,
    } = *bar;
    // One row when it all fits; in a narrow window (or at a large text size) the balance goes
    // to a second row rather than over the tabs. The choice follows the window's width only, so
    // nothing moves while the width stays.
    let one_row = ui.available_width() >= ONE_ROW_WIDTH;
    ui.horizontal(|ui| {
        ui.heading("InstaOTP");
        ui.separator();
        tabs_ui(ui, session, shared, tab, cmds);
        if one_row {
            ui.separator();
            super::messages::activity_ui(ui, messages, shared.time_zone);
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                balance_ui(ui, session, settings, &shared.busy, cmds);
            });
        }
    });
    if !one_row {
        ui.horizontal(|ui| {
            super::messages::activity_ui(ui, messages, shared.time_zone);
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                balance_ui(ui, session, settings, &shared.busy, cmds);
            });
        });
    }
}

/// The width (points) from which the tabs and the balance share one row.
const ONE_ROW_WIDTH: f32 = 900.0;

fn tabs_ui(
    ui: &mut egui::Ui,
    session: &Session,
    shared: &Shared<'_>,
    tab: Tab,
    cmds: &mut Vec<Command>,
) {
    // Every provider's numbers: a code at the second provider is as urgent as one at InstaOTP.
    let all =
        || std::iter::once(session).chain(shared.providers.iter().filter_map(|p| p.session()));
    let codes = all().map(Session::codes_ready).sum();
    let open = all().map(|s| s.watched_orders().count()).sum();
    let orders = text::orders_tab(codes, open);
    for (this, name) in [
        (Tab::Services, "Services".to_owned()),
        (Tab::Orders, orders),
        (Tab::Settings, "Settings".to_owned()),
    ] {
        let mut name = egui::RichText::new(name);
        let mut min = egui::Vec2::ZERO;
        if this == Tab::Orders {
            if codes > 0 {
                // Codes waiting to be used: seen from across the room.
                name = name.strong().color(ui.visuals().warn_fg_color);
            }
            // Room for its longest name, so the tabs after it never move when it changes.
            min.x = orders_tab_width(ui);
        }
        if ui
            .add(egui::Button::selectable(tab == this, name).min_size(min))
            .clicked()
        {
            cmds.push(Command::SelectTab(this));
        }
    }
}

/// The width of the Orders tab with its longest name ("Orders (20 codes ready)", bold).
fn orders_tab_width(ui: &egui::Ui) -> f32 {
    let font = egui::TextStyle::Button.resolve(ui.style());
    let longest = text::orders_tab(usize::from(crate::app::batch_buy::MAX_QUANTITY) * 9, 0);
    let width = ui
        .painter()
        .layout_no_wrap(longest, font, egui::Color32::WHITE)
        .size()
        .x;
    // Bold text is a little wider; and the button's own padding.
    width * 1.08 + 2.0 * ui.spacing().button_padding.x
}

fn balance_ui(
    ui: &mut egui::Ui,
    session: &Session,
    settings: &Settings,
    busy: &Busy,
    cmds: &mut Vec<Command>,
) {
    let busy = busy.reading_balance;
    if ui
        .add_enabled(!busy, egui::Button::new("⟳ Refresh balance"))
        .on_hover_text("Ask InstaOTP for the balance now")
        .clicked()
    {
        cmds.push(Command::RefreshBalance);
    }
    match session.balance() {
        Some((balance, at)) => {
            let secs = at.elapsed().as_secs();
            ui.label(egui::RichText::new(format!("updated {}", text::ago_coarse(secs))).weak());
            ui.ctx().request_repaint_after(ago_next_change(secs));
            let low = balance.amount < settings.low_balance_threshold;
            let currency = session.currency(&settings.currency);
            let line = text::balance_line(&describe::balance(balance, &currency));
            let amount = egui::RichText::new(&line).strong().size(16.0);
            // However long the figure InstaOTP sends, it is cut to the room left, never drawn
            // over the tabs; the whole of it is in the tooltip.
            if low {
                let warn = ui.visuals().warn_fg_color;
                ui.label(egui::RichText::new("⚠ Low balance").color(warn));
                ui.add(egui::Label::new(amount.color(warn)).truncate())
                    .on_hover_text(format!("{line}\n{}", text::BALANCE_LOW_HINT));
            } else {
                ui.add(egui::Label::new(amount).truncate())
                    .on_hover_text(&line);
            }
        }
        None if busy => {
            ui.spinner();
            ui.label("Balance: checking…");
        }
        None => {
            ui.label("Balance: unknown");
        }
    }
}

pub fn status_line_ui(
    ui: &mut egui::Ui,
    session: Option<&Session>,
    shared: &Shared<'_>,
    cmds: &mut Vec<Command>,
) {
    // Wraps in a narrow window (or at a large text size) rather than cutting a line off.
    ui.horizontal_wrapped(|ui| {
        let demo = session.is_some_and(Session::is_demo);
        match session.map(|s| s.unreachable_since()) {
            Some(Some(since)) => {
                let secs = Instant::now().duration_since(since).as_secs();
                ui.label(
                    egui::RichText::new(text::unreachable_since(&text::ago(secs)))
                        .color(ui.visuals().warn_fg_color),
                );
                ui.ctx().request_repaint_after(ago_next_change(secs));
            }
            // The demo is never called InstaOTP: nothing there is real.
            Some(None) if demo => {
                ui.label(egui::RichText::new(text::CONNECTED_DEMO).weak());
            }
            Some(None) => {
                ui.label(egui::RichText::new(text::CONNECTED).weak());
            }
            None => {
                ui.label(egui::RichText::new(text::NOT_CONNECTED).weak());
            }
        }
        // InstaOTP asked the app to slow down: nothing is sent until then, said with its clock.
        if let Some(left) = session.and_then(|s| s.paused_for(Instant::now())) {
            ui.separator();
            let ms = i64::try_from(left.as_millis()).unwrap_or(i64::MAX);
            ui.label(
                egui::RichText::new(text::slowed_down(&text::clock(ms)))
                    .color(ui.visuals().warn_fg_color),
            );
            let to_next_second = u64::from(left.subsec_millis()).max(1);
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(to_next_second));
        }
        // A newer version: a quiet line, never a dialog in the way of work.
        match &shared.updates.status {
            crate::app::update_check::UpdateStatus::Ready { release, .. } => {
                ui.separator();
                ui.label(egui::RichText::new(text::update_ready(&release.version)).weak());
                if ui
                    .small_button(text::RESTART_TO_UPDATE)
                    .on_hover_text(text::RESTART_TO_UPDATE_HINT)
                    .clicked()
                {
                    cmds.push(Command::RestartToUpdate);
                }
            }
            crate::app::update_check::UpdateStatus::Available(release) => {
                ui.separator();
                ui.label(egui::RichText::new(text::update_available(&release.version)).weak());
                if ui.small_button(text::OPEN_DOWNLOAD_PAGE).clicked() {
                    cmds.push(Command::OpenDownloadPage);
                }
            }
            _ => {}
        }
        // Last on the line: appearing and going, it moves nothing before it.
        if shared.busy.someone_waits {
            ui.separator();
            ui.spinner();
            ui.label(egui::RichText::new(text::WORKING).weak());
        }
    });
}
