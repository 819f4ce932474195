//! Settings tab: the key, the provider, polling, alerts, look.

use super::Command;
use super::welcome::key_entry_ui;
use crate::api::StatusEncoding;
use crate::app::{App, KeyPlace};
use crate::settings::{POLL_SECS_RANGE, Theme};
use crate::worker::Job;

#[derive(Default)]
pub struct SettingsForm {
    pub changing_key: bool,
    pub new_key: String,
    pub show_key: bool,
    pub api_url: String,
    pub threshold: Option<String>,
}

pub fn settings_ui(ui: &mut egui::Ui, app: &mut App, cmds: &mut Vec<Command>) {
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.set_max_width(640.0);
            key_section_ui(ui, app, cmds);
            ui.separator();
            alerts_section_ui(ui, app);
            ui.separator();
            look_section_ui(ui, app);
            ui.separator();
            provider_section_ui(ui, app, cmds);
            ui.separator();
            ui.heading("Help");
            ui.horizontal(|ui| {
                if ui.button("Open log folder").clicked() {
                    cmds.push(Command::OpenLogFolder);
                }
                ui.label(
                    egui::RichText::new(format!("Data folder: {}", app.config.data_dir.display()))
                        .weak(),
                );
            });
        });
}

fn key_section_ui(ui: &mut egui::Ui, app: &mut App, cmds: &mut Vec<Command>) {
    ui.heading("Your API key");
    let place = app.conn.as_ref().map(|c| c.key_place);
    ui.label(match place {
        Some(KeyPlace::Keychain) => "Your key is saved in this computer's system keychain.",
        Some(KeyPlace::SessionOnly) => "Your key is used for this session only; it is not saved.",
        Some(KeyPlace::Demo) => "The demo uses a pretend key.",
        None => "No key.",
    });
    if place == Some(KeyPlace::Demo) {
        return;
    }
    let checking = app.worker.is_busy(&Job::CheckKey) || app.worker.is_busy(&Job::SaveKey);
    ui.horizontal(|ui| {
        if ui.button("Change key").clicked() {
            app.settings_ui.changing_key = !app.settings_ui.changing_key;
        }
        if place == Some(KeyPlace::Keychain)
            && ui
                .add_enabled(
                    !app.worker.is_busy(&Job::RemoveKey),
                    egui::Button::new("Remove key"),
                )
                .clicked()
        {
            cmds.push(Command::RemoveKey);
        }
    });
    if app.settings_ui.changing_key {
        let form = &mut app.settings_ui;
        key_entry_ui(
            ui,
            &mut form.new_key,
            &mut form.show_key,
            checking,
            "settings",
            cmds,
        );
        if let Some(error) = &app.welcome.error {
            ui.label(egui::RichText::new(error).color(ui.visuals().error_fg_color));
        }
        if app.unsaved_key.is_some() && ui.button("Use this key for this session only").clicked() {
            cmds.push(Command::UseKeyForSession);
        }
    }
}

fn alerts_section_ui(ui: &mut egui::Ui, app: &mut App) {
    let s = &mut app.settings;
    ui.heading("Orders and alerts");
    ui.horizontal(|ui| {
        let l = ui.label("Check orders every (seconds)");
        ui.add(egui::Slider::new(
            &mut s.poll_interval_secs,
            POLL_SECS_RANGE,
        ))
        .labelled_by(l.id);
    });
    ui.checkbox(&mut s.notifications, "Notify me when a code arrives");
    ui.checkbox(&mut s.sound, "Play a sound when a code arrives");
    ui.checkbox(&mut s.auto_copy_code, "Copy a new code automatically");
    ui.horizontal(|ui| {
        ui.checkbox(
            &mut s.auto_cancel,
            "Cancel orders without SMS before they expire, for a refund",
        );
        let l = ui.label("minutes before expiry");
        ui.add_enabled(
            s.auto_cancel,
            // At most the lifetime less the 2-minute lock and a minute of waiting, or every
            // order would be cancelled as soon as the lock ends.
            egui::DragValue::new(&mut s.auto_cancel_minutes_before)
                .range(1..=(s.order_lifetime_secs / 60).saturating_sub(3).clamp(1, 15) as u32),
        )
        .labelled_by(l.id);
    });
    ui.horizontal(|ui| {
        let l = ui.label("Warn when the balance is below");
        let text = app
            .settings_ui
            .threshold
            .get_or_insert_with(|| s.low_balance_threshold.to_string());
        let r = ui
            .add(egui::TextEdit::singleline(text).desired_width(80.0))
            .labelled_by(l.id);
        match text.trim().parse::<rust_decimal::Decimal>() {
            Ok(v) if !v.is_sign_negative() => s.low_balance_threshold = v,
            _ => {
                ui.label(
                    egui::RichText::new("Enter an amount such as 50 or 12.50")
                        .color(ui.visuals().error_fg_color),
                );
            }
        }
        if r.lost_focus() {
            app.settings_ui.threshold = None;
        }
    });
}

fn look_section_ui(ui: &mut egui::Ui, app: &mut App) {
    let s = &mut app.settings;
    ui.heading("Look");
    ui.horizontal(|ui| {
        ui.label("Theme");
        ui.radio_value(&mut s.theme, Theme::System, "Like the system");
        ui.radio_value(&mut s.theme, Theme::Light, "Light");
        ui.radio_value(&mut s.theme, Theme::Dark, "Dark");
    });
    ui.horizontal(|ui| {
        let l = ui.label("Text size");
        ui.add(egui::Slider::new(&mut s.text_scale, 0.75..=2.0).step_by(0.05))
            .labelled_by(l.id);
    });
}

fn provider_section_ui(ui: &mut egui::Ui, app: &mut App, cmds: &mut Vec<Command>) {
    egui::CollapsingHeader::new("Advanced: provider").show(ui, |ui| {
        ui.label("Change these only when InstaOTP support asks you to.");
        ui.horizontal(|ui| {
            let l = ui.label("API address");
            ui.add(egui::TextEdit::singleline(&mut app.settings_ui.api_url).desired_width(360.0))
                .labelled_by(l.id);
        });
        ui.horizontal(|ui| {
            if ui.button("Save address").clicked() {
                cmds.push(Command::ApplyApiUrl(app.settings_ui.api_url.clone()));
            }
            if ui.button("Reset to default").clicked() {
                cmds.push(Command::ResetApiUrl);
            }
        });
        if app.config.api_url_override.is_some() {
            ui.label(
                egui::RichText::new("The address given on the command line is used this time.")
                    .weak(),
            );
        }
        ui.horizontal(|ui| {
            let l = ui.label("Orders expire after (minutes)");
            let mut minutes = app.settings.order_lifetime_secs / 60;
            let r = ui
                .add(
                    egui::DragValue::new(&mut minutes)
                        .range(5..=120)
                        .clamp_existing_to_range(false),
                )
                .labelled_by(l.id)
                .on_hover_text("How long InstaOTP keeps a number; the expiry countdown uses it");
            if r.changed() {
                app.settings.order_lifetime_secs = minutes * 60;
            }
        });
        ui.horizontal(|ui| {
            ui.label("How cancel and finish are sent");
            let before = app.settings.status_encoding;
            ui.radio_value(
                &mut app.settings.status_encoding,
                StatusEncoding::Words,
                "Words (InstaOTP)",
            );
            ui.radio_value(
                &mut app.settings.status_encoding,
                StatusEncoding::Numbers,
                "Numbers (8 / 6 / 3)",
            );
            if before != app.settings.status_encoding {
                cmds.push(Command::EncodingChanged);
            }
        });
    });
}
