//! First run: paste the key, check it, save it in the keychain; or try the demo.

use super::Shared;
use crate::api::ApiKey;
use crate::app::Command;
use crate::app::view::WelcomeForm;
use crate::text;

/// What the key field is doing, for its button and spinner.
pub fn key_checking(shared: &Shared<'_>) -> bool {
    shared.busy.checking_key
}

pub fn welcome_ui(
    ui: &mut egui::Ui,
    form: &mut WelcomeForm,
    shared: &Shared<'_>,
    cmds: &mut Vec<Command>,
) {
    // A short window (or a large text size) scrolls to the demo at the bottom.
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| welcome_page_ui(ui, form, shared, cmds));
}

fn welcome_page_ui(
    ui: &mut egui::Ui,
    form: &mut WelcomeForm,
    shared: &Shared<'_>,
    cmds: &mut Vec<Command>,
) {
    ui.vertical_centered(|ui| {
        ui.set_max_width(520.0_f32.min(ui.available_width()));
        ui.add_space(24.0);
        ui.heading(text::WELCOME_TITLE);
        ui.add_space(8.0);
        ui.label(text::WELCOME_WHAT);
        ui.label(text::WELCOME_HOW);
        ui.add_space(16.0);
    });
    ui.vertical_centered(|ui| {
        ui.set_max_width(520.0_f32.min(ui.available_width()));
        let checking = key_checking(shared);
        key_entry_ui(
            ui,
            &mut form.key,
            &mut form.show_key,
            checking,
            "welcome",
            cmds,
        );
        if let Some(error) = &form.error {
            ui.add_space(8.0);
            ui.label(egui::RichText::new(error).color(ui.visuals().error_fg_color));
        }
        if shared.has_unsaved_key {
            ui.add_space(4.0);
            if ui.button(text::USE_FOR_SESSION).clicked() {
                cmds.push(Command::UseKeyForSession);
            }
        }
        ui.add_space(24.0);
        ui.separator();
        ui.add_space(8.0);
        ui.label(text::WELCOME_DEMO);
        let starting = shared.busy.starting_demo;
        if ui
            .add_enabled(!starting, egui::Button::new("Try the demo"))
            .clicked()
        {
            cmds.push(Command::StartDemo);
        }
    });
}

/// The masked key field with show/hide and "Check and save"; Enter also checks.
pub fn key_entry_ui(
    ui: &mut egui::Ui,
    key: &mut String,
    show: &mut bool,
    checking: bool,
    id: &str,
    cmds: &mut Vec<Command>,
) {
    // Wraps in a narrow window (or at a large text size): the button goes under the field.
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("API key");
        let field = ui
            .add(
                egui::TextEdit::singleline(key)
                    .id_salt(("api_key", id))
                    .password(!*show)
                    .hint_text("Paste your API key here")
                    .desired_width(280.0_f32.min(ui.available_width() - 8.0)),
            )
            .labelled_by(label.id);
        ui.checkbox(show, "Show key");
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let can_check = !checking && !key.trim().is_empty();
        if ui
            .add_enabled(can_check, egui::Button::new("Check and save"))
            .clicked()
            || (enter && can_check)
        {
            cmds.push(Command::CheckKey(ApiKey::new(key.as_str())));
        }
        if checking {
            ui.spinner();
            ui.label("Checking…");
        }
    });
}
