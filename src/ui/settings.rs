//! Settings tab: the key, the provider, polling, alerts, look.

use super::Shared;
use super::welcome::{key_checking, key_entry_ui};
use crate::api::StatusEncoding;
use crate::app::{Command, KeyPlace, Session};
use crate::settings::{POLL_SECS_RANGE, Settings, Theme};
use crate::text;
use crate::worker::Job;

#[derive(Default)]
pub struct SettingsForm {
    pub changing_key: bool,
    pub new_key: String,
    pub show_key: bool,
    pub api_url: String,
    /// The key typed again to send it to a new address (cleared once used).
    pub api_url_key: String,
    pub threshold: Option<String>,
}

pub fn settings_ui(
    ui: &mut egui::Ui,
    settings: &mut Settings,
    form: &mut SettingsForm,
    key_error: Option<&str>,
    session: &Session,
    shared: &Shared<'_>,
    cmds: &mut Vec<Command>,
) {
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.set_max_width(640.0);
            key_section_ui(
                ui,
                settings,
                form,
                key_error,
                session.key_place,
                shared,
                cmds,
            );
            ui.separator();
            alerts_section_ui(ui, settings, form);
            notifications_check_ui(ui, shared.notifications_problem, cmds);
            ui.separator();
            look_section_ui(ui, settings);
            ui.separator();
            provider_section_ui(ui, settings, form, shared, cmds);
            ui.separator();
            ui.heading("Help");
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new(text::KEYBOARD_TITLE).strong());
                ui.label(text::KEYBOARD);
            });
            ui.horizontal(|ui| {
                if ui.button("Open log folder").clicked() {
                    cmds.push(Command::OpenLogFolder);
                }
                ui.label(egui::RichText::new(text::data_folder(&shared.config.data_dir)).weak());
            });
        });
}

fn key_section_ui(
    ui: &mut egui::Ui,
    settings: &mut Settings,
    form: &mut SettingsForm,
    key_error: Option<&str>,
    place: KeyPlace,
    shared: &Shared<'_>,
    cmds: &mut Vec<Command>,
) {
    ui.heading("Your API key");
    ui.label(match place {
        KeyPlace::Keychain => text::KEY_IN_KEYCHAIN,
        KeyPlace::SessionOnly => text::KEY_SESSION_ONLY,
        KeyPlace::Demo => text::KEY_DEMO,
    });
    if place == KeyPlace::Demo {
        return;
    }
    ui.checkbox(&mut settings.key_only_here, text::KEY_ONLY_HERE)
        .on_hover_text(text::KEY_ONLY_HERE_HINT);
    ui.horizontal(|ui| {
        if ui.button("Change key").clicked() {
            form.changing_key = !form.changing_key;
        }
        let removing = shared.worker.is_busy(&Job::RemoveKey);
        if place == KeyPlace::Keychain
            && ui
                .add_enabled(!removing, egui::Button::new("Remove key"))
                .clicked()
        {
            cmds.push(Command::RemoveKey);
        }
    });
    if form.changing_key {
        let checking = key_checking(shared);
        key_entry_ui(
            ui,
            &mut form.new_key,
            &mut form.show_key,
            checking,
            "settings",
            cmds,
        );
        if let Some(error) = key_error {
            ui.label(egui::RichText::new(error).color(ui.visuals().error_fg_color));
        }
        if shared.has_unsaved_key && ui.button(text::USE_FOR_SESSION).clicked() {
            cmds.push(Command::UseKeyForSession);
        }
    }
}

/// What the notification service said, and a way to try it.
fn notifications_check_ui(ui: &mut egui::Ui, problem: Option<&str>, cmds: &mut Vec<Command>) {
    if let Some(problem) = problem {
        ui.label(egui::RichText::new(problem).color(ui.visuals().warn_fg_color));
    }
    if ui.button(text::TEST_NOTIFICATION_BUTTON).clicked() {
        cmds.push(Command::TestNotification);
    }
}

fn alerts_section_ui(ui: &mut egui::Ui, s: &mut Settings, form: &mut SettingsForm) {
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
    auto_finish_ui(ui, s);
    ui.horizontal(|ui| {
        let l = ui.label("Warn when the balance is below");
        let typed = form
            .threshold
            .get_or_insert_with(|| s.low_balance_threshold.to_string());
        let r = ui
            .add(egui::TextEdit::singleline(typed).desired_width(80.0))
            .labelled_by(l.id);
        match typed.trim().parse::<rust_decimal::Decimal>() {
            Ok(v) if !v.is_sign_negative() => s.low_balance_threshold = v,
            _ => {
                ui.label(egui::RichText::new(text::AMOUNT_HINT).color(ui.visuals().error_fg_color));
            }
        }
        if r.lost_focus() {
            form.threshold = None;
        }
    });
}

fn auto_finish_ui(ui: &mut egui::Ui, s: &mut Settings) {
    ui.horizontal(|ui| {
        let mut on = s.auto_finish_minutes.is_some();
        if ui
            .checkbox(
                &mut on,
                "Finish orders automatically after the code arrives",
            )
            .changed()
        {
            s.auto_finish_minutes = on.then_some(5);
        }
        let l = ui.label("minutes after the code");
        let mut minutes = s.auto_finish_minutes.unwrap_or(5);
        let r = ui
            .add_enabled(on, egui::DragValue::new(&mut minutes).range(1..=60))
            .labelled_by(l.id);
        if r.changed() && on {
            s.auto_finish_minutes = Some(minutes);
        }
    });
}

fn look_section_ui(ui: &mut egui::Ui, s: &mut Settings) {
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
    ui.horizontal(|ui| {
        let l = ui.label(text::CURRENCY_SETTING);
        ui.add(
            egui::TextEdit::singleline(&mut s.currency)
                .char_limit(text::CURRENCY_MAX_CHARS)
                .desired_width(60.0),
        )
        .labelled_by(l.id)
        .on_hover_text(text::CURRENCY_SETTING_HINT);
    });
}

fn provider_section_ui(
    ui: &mut egui::Ui,
    settings: &mut Settings,
    form: &mut SettingsForm,
    shared: &Shared<'_>,
    cmds: &mut Vec<Command>,
) {
    egui::CollapsingHeader::new("Advanced: provider").show(ui, |ui| {
        ui.label(text::ADVANCED_HINT);
        ui.horizontal(|ui| {
            let l = ui.label("API address");
            ui.add(egui::TextEdit::singleline(&mut form.api_url).desired_width(360.0))
                .labelled_by(l.id);
        });
        // Another place gets the key: said with its name, and the key must be typed again (a
        // caller posing as support cannot have it sent elsewhere with one click).
        let new_host = crate::api::host_of(&form.api_url)
            .filter(|host| Some(host) != crate::api::host_of(&settings.api_url).as_ref());
        if let Some(host) = &new_host {
            ui.label(
                egui::RichText::new(text::api_url_elsewhere(host))
                    .color(ui.visuals().warn_fg_color),
            );
            ui.horizontal(|ui| {
                let l = ui.label(text::API_URL_KEY_AGAIN_LABEL);
                ui.add(
                    egui::TextEdit::singleline(&mut form.api_url_key)
                        .password(true)
                        .desired_width(260.0),
                )
                .labelled_by(l.id);
            });
        }
        ui.horizontal(|ui| {
            if ui.button("Save address").clicked() {
                cmds.push(Command::ApplyApiUrl {
                    url: form.api_url.clone(),
                    key_again: crate::api::ApiKey::new(std::mem::take(&mut form.api_url_key)),
                });
            }
            if ui.button("Reset to default").clicked() {
                cmds.push(Command::ResetApiUrl);
            }
        });
        if shared.config.api_url_override.is_some() {
            ui.label(egui::RichText::new(text::API_URL_FROM_COMMAND_LINE).weak());
        }
        ui.horizontal(|ui| {
            let l = ui.label("Orders expire after (minutes)");
            let mut minutes = settings.order_lifetime_secs / 60;
            let r = ui
                .add(
                    egui::DragValue::new(&mut minutes)
                        .range(5..=120)
                        .clamp_existing_to_range(false),
                )
                .labelled_by(l.id)
                .on_hover_text("How long InstaOTP keeps a number; the expiry countdown uses it");
            if r.changed() {
                settings.order_lifetime_secs = minutes * 60;
            }
        });
        ui.horizontal(|ui| {
            ui.label("How cancel and finish are sent");
            let before = settings.status_encoding;
            ui.radio_value(
                &mut settings.status_encoding,
                StatusEncoding::Words,
                "Words (InstaOTP)",
            );
            ui.radio_value(
                &mut settings.status_encoding,
                StatusEncoding::Numbers,
                "Numbers (8 / 6 / 3)",
            );
            if before != settings.status_encoding {
                cmds.push(Command::EncodingChanged);
            }
        });
    });
}
