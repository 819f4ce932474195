//! The bar at the top (tabs, balance) and the status line at the bottom.

use std::time::Instant;

use super::Command;
use super::widgets::{ago, ago_coarse, ago_next_change};
use crate::app::{App, Tab};

pub fn top_bar_ui(ui: &mut egui::Ui, app: &App, cmds: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.heading("InstaOTP");
        ui.separator();
        for (tab, name) in [
            (Tab::Services, "Services".to_owned()),
            (Tab::Orders, orders_tab_name(app)),
            (Tab::Settings, "Settings".to_owned()),
        ] {
            if ui.selectable_label(app.tab() == tab, name).clicked() {
                cmds.push(Command::SelectTab(tab));
            }
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            balance_ui(ui, app, cmds);
        });
    });
}

fn orders_tab_name(app: &App) -> String {
    let active = app.orders().iter().filter(|o| o.is_active()).count();
    match (app.unseen_codes, active) {
        (0, 0) => "Orders".into(),
        (0, n) => format!("Orders ({n} active)"),
        (c, _) => format!("Orders ({c} new code{})", if c == 1 { "" } else { "s" }),
    }
}

fn balance_ui(ui: &mut egui::Ui, app: &App, cmds: &mut Vec<Command>) {
    let busy = app.worker.is_busy(&crate::worker::Job::Balance);
    if ui
        .add_enabled(!busy, egui::Button::new("⟳ Refresh balance"))
        .on_hover_text("Ask InstaOTP for the balance now")
        .clicked()
    {
        cmds.push(Command::RefreshBalance);
    }
    match &app.balance {
        Some((balance, at)) => {
            let secs = at.elapsed().as_secs();
            ui.label(egui::RichText::new(format!("updated {}", ago_coarse(secs))).weak());
            ui.ctx().request_repaint_after(ago_next_change(secs));
            let low = balance.amount < app.settings().low_balance_threshold;
            let text = egui::RichText::new(format!("Balance: {balance}"))
                .strong()
                .size(16.0);
            if low {
                ui.label(text.color(ui.visuals().warn_fg_color))
                    .on_hover_text("Your balance is below the warning level set in Settings. Top up on the InstaOTP website.");
                ui.label(egui::RichText::new("⚠ Low balance").color(ui.visuals().warn_fg_color));
            } else {
                ui.label(text);
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

pub fn status_line_ui(ui: &mut egui::Ui, app: &App) {
    ui.horizontal(|ui| {
        match app.unreachable_since {
            Some(since) => {
                let secs = Instant::now().duration_since(since).as_secs();
                ui.label(
                    egui::RichText::new(format!(
                        "⚠ InstaOTP cannot be reached (since {}). Check the internet connection; the app keeps trying.",
                        ago(secs)
                    ))
                    .color(ui.visuals().warn_fg_color),
                );
                ui.ctx().request_repaint_after(ago_next_change(secs));
            }
            None if app.conn.is_some() => {
                ui.label(egui::RichText::new("Connected to InstaOTP").weak());
            }
            None => {
                ui.label(egui::RichText::new("Not connected").weak());
            }
        }
        let pending = app.worker.user_pending_count();
        if pending > 0 {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.spinner();
                ui.label(egui::RichText::new("Working…").weak());
            });
        }
    });
}
