//! Settings → Providers: InstaOTP first, then the providers added besides it, each with its
//! state and balance; a form to add one (its key checked before anything is kept).

use super::Shared;
use crate::app::providers::Provider;
use crate::app::view::SettingsForm;
use crate::app::{Command, describe};
use crate::settings::Settings;
use crate::text;

pub fn providers_section_ui(
    ui: &mut egui::Ui,
    settings: &Settings,
    form: &mut SettingsForm,
    shared: &Shared<'_>,
    cmds: &mut Vec<Command>,
) {
    // One line for a new user (InstaOTP is the only provider they need); open once one is added.
    egui::CollapsingHeader::new(egui::RichText::new(text::PROVIDERS_HEADING).heading())
        .default_open(!shared.providers.is_empty())
        .show(ui, |ui| {
            ui.label(text::PROVIDERS_INTRO);
            providers_list_ui(ui, settings, shared, cmds);
            if !form.adding_provider {
                let full = shared.providers.len() >= crate::settings::MAX_PROVIDERS;
                if ui
                    .add_enabled(!full, egui::Button::new(text::ADD_PROVIDER))
                    .clicked()
                {
                    form.adding_provider = true;
                }
                return;
            }
            add_provider_form_ui(ui, form, shared, cmds);
        });
}

fn providers_list_ui(
    ui: &mut egui::Ui,
    settings: &Settings,
    shared: &Shared<'_>,
    cmds: &mut Vec<Command>,
) {
    egui::Grid::new("providers")
        .num_columns(3)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            ui.label(egui::RichText::new(text::FIRST_PROVIDER).strong());
            ui.label(egui::RichText::new(text::PROVIDER_FIRST_STATE).weak());
            ui.label("");
            ui.end_row();
            for provider in shared.providers {
                provider_row_ui(ui, provider, settings, shared, cmds);
                ui.end_row();
            }
        });
}

fn provider_row_ui(
    ui: &mut egui::Ui,
    provider: &Provider,
    settings: &Settings,
    shared: &Shared<'_>,
    cmds: &mut Vec<Command>,
) {
    let entry = provider.entry();
    ui.label(egui::RichText::new(&entry.name).strong())
        .on_hover_text(&entry.api_url);
    let state = match (provider.session(), provider.problem()) {
        (_, Some(problem)) => egui::RichText::new(problem).color(ui.visuals().warn_fg_color),
        (Some(s), None) => match (s.unreachable_since(), s.balance()) {
            (Some(_), _) => egui::RichText::new(text::provider_down(&entry.name))
                .color(ui.visuals().warn_fg_color),
            (None, Some((balance, _))) => {
                let currency = s.currency(&settings.currency);
                egui::RichText::new(text::provider_balance(&describe::balance(
                    balance, &currency,
                )))
            }
            (None, None) => egui::RichText::new(text::PROVIDER_SIGNING_IN).weak(),
        },
        (None, None) => egui::RichText::new(text::PROVIDER_SIGNING_IN).weak(),
    };
    ui.add(egui::Label::new(state).wrap());
    let removing = shared.busy.provider_key(&entry.id);
    if ui
        .add_enabled(!removing, egui::Button::new(text::REMOVE_PROVIDER))
        .on_hover_text(text::remove_provider_title(&entry.name))
        .clicked()
    {
        cmds.push(Command::AskRemoveProvider(entry.id.clone()));
    }
}

fn add_provider_form_ui(
    ui: &mut egui::Ui,
    form: &mut SettingsForm,
    shared: &Shared<'_>,
    cmds: &mut Vec<Command>,
) {
    let checking = shared.busy.checking_provider;
    let width = 320.0_f32.min(ui.available_width() - 8.0);
    egui::Grid::new("add_provider")
        .num_columns(2)
        .spacing([8.0, 6.0])
        .show(ui, |ui| {
            let l = ui.label(text::PROVIDER_NAME);
            ui.add(
                egui::TextEdit::singleline(&mut form.new_provider_name)
                    .hint_text(text::PROVIDER_NAME_HINT)
                    .desired_width(width),
            )
            .labelled_by(l.id);
            ui.end_row();
            let l = ui.label(text::PROVIDER_ADDRESS);
            ui.add(
                egui::TextEdit::singleline(&mut form.new_provider_url)
                    .hint_text("https://")
                    .desired_width(width),
            )
            .labelled_by(l.id)
            .on_hover_text(text::PROVIDER_ADDRESS_HINT);
            ui.end_row();
            let l = ui.label(text::PROVIDER_KEY);
            ui.add(
                egui::TextEdit::singleline(&mut form.new_provider_key)
                    .password(true)
                    .desired_width(width),
            )
            .labelled_by(l.id);
            ui.end_row();
        });
    ui.horizontal_wrapped(|ui| {
        let ready = !checking
            && !form.new_provider_name.trim().is_empty()
            && !form.new_provider_url.trim().is_empty()
            && !form.new_provider_key.trim().is_empty();
        if ui
            .add_enabled(ready, egui::Button::new(text::CHECK_AND_ADD))
            .clicked()
        {
            cmds.push(Command::AddProvider {
                name: form.new_provider_name.clone(),
                api_url: form.new_provider_url.clone(),
                key: crate::api::ApiKey::new(form.new_provider_key.trim()),
            });
        }
        if ui.button(text::CANCEL_ADDING).clicked() {
            form.clear_provider_form();
        }
        if checking {
            ui.spinner();
            ui.label(text::CHECKING_PROVIDER);
        }
    });
    if let Some(error) = &form.provider_error {
        ui.label(egui::RichText::new(error).color(ui.visuals().error_fg_color));
    }
}
