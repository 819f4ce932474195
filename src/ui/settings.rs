//! Settings tab: the key, the provider, polling, alerts, look.

use super::Shared;
use super::welcome::{key_checking, key_entry_ui};
use crate::api::StatusEncoding;
use crate::app::describe;
use crate::app::view::SettingsForm;
use crate::app::{Command, KeyPlace, Session};
use crate::settings::{POLL_SECS_RANGE, Settings, TEXT_SCALE_RANGE, Theme};
use crate::text;

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
            ui.set_max_width(640.0_f32.min(ui.available_width()));
            key_section_ui(
                ui,
                settings,
                form,
                key_error,
                session.key_place(),
                shared,
                cmds,
            );
            if session.key_place() != KeyPlace::Demo {
                ui.separator();
                super::providers::providers_section_ui(ui, settings, form, shared, cmds);
            }
            ui.separator();
            alerts_section_ui(ui, settings, form);
            notifications_check_ui(ui, shared.notifications_problem, cmds);
            ui.separator();
            look_section_ui(ui, settings);
            ui.separator();
            updates_section_ui(ui, settings, shared, cmds);
            ui.separator();
            provider_section_ui(ui, settings, form, shared, cmds);
            ui.separator();
            ui.heading(text::HELP_TITLE);
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new(text::KEYBOARD_TITLE).strong());
                ui.label(text::KEYBOARD);
            });
            ui.horizontal_wrapped(|ui| {
                if ui
                    .button(text::OPEN_LOG_FOLDER)
                    .on_hover_text(text::OPEN_LOG_FOLDER_HINT)
                    .clicked()
                {
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
    ui.heading(text::SETTINGS_KEY_TITLE);
    ui.label(match place {
        KeyPlace::Keychain => text::KEY_IN_KEYCHAIN,
        KeyPlace::SessionOnly => text::KEY_SESSION_ONLY,
        KeyPlace::Demo => text::KEY_DEMO,
        // Settings shows InstaOTP's session; another provider's key is listed in Providers.
        KeyPlace::OtherProvider => text::KEY_IN_KEYCHAIN,
    });
    if place == KeyPlace::Demo {
        return;
    }
    ui.checkbox(&mut settings.key_only_here, text::KEY_ONLY_HERE)
        .on_hover_text(text::KEY_ONLY_HERE_HINT);
    ui.horizontal_wrapped(|ui| {
        if ui
            .button(text::CHANGE_KEY)
            .on_hover_text(text::CHANGE_KEY_HINT)
            .clicked()
        {
            form.changing_key = !form.changing_key;
        }
        let removing = shared.busy.removing_key;
        if place == KeyPlace::Keychain
            && ui
                .add_enabled(!removing, egui::Button::new(text::REMOVE_KEY))
                .on_hover_text(text::REMOVE_KEY_HINT)
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
    if ui
        .button(text::TEST_NOTIFICATION_BUTTON)
        .on_hover_text(text::TEST_NOTIFICATION_HINT)
        .clicked()
    {
        cmds.push(Command::TestNotification);
    }
}

fn alerts_section_ui(ui: &mut egui::Ui, s: &mut Settings, form: &mut SettingsForm) {
    ui.heading(text::ALERTS_TITLE);
    ui.horizontal_wrapped(|ui| {
        let l = ui.label(text::POLL_LABEL).on_hover_text(text::POLL_HINT);
        ui.add(
            egui::Slider::new(&mut s.poll_interval_secs, POLL_SECS_RANGE)
                .suffix(text::SECONDS_SUFFIX),
        )
        .labelled_by(l.id)
        .on_hover_text(text::POLL_HINT);
    });
    ui.checkbox(&mut s.notifications, text::NOTIFY_LABEL)
        .on_hover_text(text::NOTIFY_HINT);
    ui.checkbox(&mut s.sound, text::SOUND_LABEL)
        .on_hover_text(text::SOUND_HINT);
    ui.checkbox(&mut s.auto_copy_code, text::AUTO_COPY_LABEL)
        .on_hover_text(text::AUTO_COPY_HINT);
    ui.horizontal_wrapped(|ui| {
        ui.checkbox(&mut s.auto_cancel, text::AUTO_CANCEL_LABEL)
            .on_hover_text(text::AUTO_CANCEL_HINT);
        // At most the lifetime less the 2-minute lock and a minute of waiting, or every
        // order would be cancelled as soon as the lock ends.
        let most = (s.order_lifetime_secs / 60).saturating_sub(3).clamp(1, 15) as u32;
        let r = ui.add_enabled(
            s.auto_cancel,
            egui::DragValue::new(&mut s.auto_cancel_minutes_before).range(1..=most),
        );
        let l = ui.label(text::AUTO_CANCEL_MINUTES);
        r.labelled_by(l.id).on_hover_text(text::AUTO_CANCEL_HINT);
    });
    auto_finish_ui(ui, s);
    max_price_ui(ui, s, form);
    ui.horizontal_wrapped(|ui| {
        let l = ui.label(text::LOW_BALANCE_LABEL);
        let typed = form
            .threshold
            .get_or_insert_with(|| s.low_balance_threshold.to_string());
        let r = ui
            .add(egui::TextEdit::singleline(typed).desired_width(80.0))
            .labelled_by(l.id)
            .on_hover_text(text::LOW_BALANCE_HINT);
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

/// "Never pay more than [ ] for one number": empty for no ceiling.
fn max_price_ui(ui: &mut egui::Ui, s: &mut Settings, form: &mut SettingsForm) {
    ui.horizontal_wrapped(|ui| {
        let l = ui.label(text::MAX_PRICE_LABEL);
        let typed = form
            .max_price
            .get_or_insert_with(|| s.max_price.map(|m| m.to_string()).unwrap_or_default());
        let r = ui
            .add(egui::TextEdit::singleline(typed).desired_width(80.0))
            .labelled_by(l.id)
            .on_hover_text(text::MAX_PRICE_HINT);
        ui.label(text::MAX_PRICE_SUFFIX);
        let trimmed = typed.trim();
        if trimmed.is_empty() {
            s.max_price = None;
        } else {
            match super::buy_options::parse_amount(trimmed) {
                Some(v) => s.max_price = Some(v),
                None => {
                    ui.label(
                        egui::RichText::new(text::AMOUNT_HINT).color(ui.visuals().error_fg_color),
                    );
                }
            }
        }
        if r.lost_focus() {
            form.max_price = None;
        }
    });
}

fn auto_finish_ui(ui: &mut egui::Ui, s: &mut Settings) {
    ui.horizontal_wrapped(|ui| {
        let mut on = s.auto_finish_minutes.is_some();
        if ui
            .checkbox(&mut on, text::AUTO_FINISH_LABEL)
            .on_hover_text(text::AUTO_FINISH_HINT)
            .changed()
        {
            s.auto_finish_minutes = on.then_some(5);
        }
        let mut minutes = s.auto_finish_minutes.unwrap_or(5);
        let r = ui.add_enabled(on, egui::DragValue::new(&mut minutes).range(1..=60));
        let l = ui.label(text::AUTO_FINISH_MINUTES);
        let r = r.labelled_by(l.id).on_hover_text(text::AUTO_FINISH_HINT);
        if r.changed() && on {
            s.auto_finish_minutes = Some(minutes);
        }
    });
}

fn look_section_ui(ui: &mut egui::Ui, s: &mut Settings) {
    ui.heading(text::LOOK_TITLE);
    ui.horizontal_wrapped(|ui| {
        ui.label(text::THEME_LABEL).on_hover_text(text::THEME_HINT);
        for (theme, name) in [
            (Theme::System, text::THEME_SYSTEM),
            (Theme::Light, text::THEME_LIGHT),
            (Theme::Dark, text::THEME_DARK),
        ] {
            ui.radio_value(&mut s.theme, theme, name)
                .on_hover_text(text::THEME_HINT);
        }
    });
    ui.horizontal_wrapped(|ui| {
        let l = ui.label(text::TEXT_SIZE_LABEL);
        ui.add(
            egui::Slider::new(&mut s.text_scale, TEXT_SCALE_RANGE)
                .step_by(0.05)
                .custom_formatter(|v, _| text::percent(v))
                .custom_parser(|typed| {
                    let number = typed.trim().trim_end_matches('%').trim();
                    number.parse::<f64>().ok().map(|p| p / 100.0)
                }),
        )
        .labelled_by(l.id)
        .on_hover_text(text::TEXT_SIZE_HINT);
    });
    ui.horizontal_wrapped(|ui| {
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

/// New versions: whether to look by itself, a button to look now, and what was found.
fn updates_section_ui(
    ui: &mut egui::Ui,
    settings: &mut Settings,
    shared: &Shared<'_>,
    cmds: &mut Vec<Command>,
) {
    ui.heading(text::UPDATES_TITLE);
    if !shared.config.updates.is_set() {
        ui.label(egui::RichText::new(text::UPDATES_NOT_BUILT_IN).weak());
        return;
    }
    ui.checkbox(&mut settings.auto_update_check, text::AUTO_UPDATE_LABEL)
        .on_hover_text(text::AUTO_UPDATE_HINT);
    ui.horizontal_wrapped(|ui| {
        let checking = shared.busy.checking_updates;
        if ui
            .add_enabled(!checking, egui::Button::new(text::CHECK_UPDATES))
            .clicked()
        {
            cmds.push(Command::CheckForUpdates);
        }
        if checking {
            ui.spinner();
        }
        update_status_ui(ui, shared.updates, cmds);
    });
    if let Some(release) = shared.updates.status.release()
        && !release.notes.is_empty()
    {
        ui.label(text::whats_new(&release.notes));
    }
}

/// What the last look for a new version found, and what can be done with it.
fn update_status_ui(
    ui: &mut egui::Ui,
    updates: &crate::app::update_check::Updates,
    cmds: &mut Vec<Command>,
) {
    use crate::app::update_check::UpdateStatus;
    match &updates.status {
        UpdateStatus::NotChecked => {}
        UpdateStatus::UpToDate => {
            ui.label(text::UP_TO_DATE);
        }
        UpdateStatus::Failed(e) => {
            ui.label(egui::RichText::new(describe::update_check_failed(e)).weak());
        }
        UpdateStatus::Available(release) => {
            ui.label(egui::RichText::new(text::update_available(&release.version)).strong());
            if ui.button(text::OPEN_DOWNLOAD_PAGE).clicked() {
                cmds.push(Command::OpenDownloadPage);
            }
        }
        UpdateStatus::Downloading(release) => {
            let percent = updates.percent_downloaded().unwrap_or(0);
            ui.label(text::update_downloading(&release.version, percent));
            // Repainted while it moves (only while this section is on screen).
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(500));
        }
        UpdateStatus::Ready { release, .. } => {
            ui.label(egui::RichText::new(text::update_ready(&release.version)).strong());
            if ui
                .button(text::RESTART_TO_UPDATE)
                .on_hover_text(text::RESTART_TO_UPDATE_HINT)
                .clicked()
            {
                cmds.push(Command::RestartToUpdate);
            }
        }
        UpdateStatus::DownloadFailed(release, e) => {
            ui.label(egui::RichText::new(text::update_available(&release.version)).strong());
            ui.label(egui::RichText::new(describe::update_check_failed(e)).weak());
            if ui.button(text::OPEN_DOWNLOAD_PAGE).clicked() {
                cmds.push(Command::OpenDownloadPage);
            }
        }
    }
}

/// Where InstaOTP is and how it is spoken to. The order lifetime and the cancel lock are
/// InstaOTP's rules, not choices: they are not here.
fn provider_section_ui(
    ui: &mut egui::Ui,
    settings: &mut Settings,
    form: &mut SettingsForm,
    shared: &Shared<'_>,
    cmds: &mut Vec<Command>,
) {
    egui::CollapsingHeader::new(text::ADVANCED_TITLE).show(ui, |ui| {
        ui.label(text::ADVANCED_HINT);
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(text::API_ADDRESS_LABEL);
            let width = 360.0_f32.min(ui.available_width());
            ui.add(egui::TextEdit::singleline(&mut form.api_url).desired_width(width))
                .labelled_by(l.id)
                .on_hover_text(text::API_ADDRESS_HINT);
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
            ui.horizontal_wrapped(|ui| {
                let l = ui.label(text::API_URL_KEY_AGAIN_LABEL);
                ui.add(
                    egui::TextEdit::singleline(&mut form.api_url_key)
                        .password(true)
                        .desired_width(260.0_f32.min(ui.available_width())),
                )
                .labelled_by(l.id);
            });
        }
        ui.horizontal_wrapped(|ui| {
            if ui.button(text::SAVE_ADDRESS).clicked() {
                cmds.push(Command::ApplyApiUrl {
                    url: form.api_url.clone(),
                    key_again: crate::api::ApiKey::new(std::mem::take(&mut form.api_url_key)),
                });
            }
            if ui.button(text::RESET_ADDRESS).clicked() {
                cmds.push(Command::ResetApiUrl);
            }
        });
        if shared.config.api_url_override.is_some() {
            ui.label(egui::RichText::new(text::API_URL_FROM_COMMAND_LINE).weak());
        }
        ui.horizontal_wrapped(|ui| {
            ui.label(text::ENCODING_LABEL)
                .on_hover_text(text::ENCODING_HINT);
            let before = settings.status_encoding;
            for (encoding, name) in [
                (StatusEncoding::Words, text::ENCODING_WORDS),
                (StatusEncoding::Numbers, text::ENCODING_NUMBERS),
            ] {
                ui.radio_value(&mut settings.status_encoding, encoding, name)
                    .on_hover_text(text::ENCODING_HINT);
            }
            if before != settings.status_encoding {
                cmds.push(Command::EncodingChanged);
            }
        });
    });
}
