//! First run: paste the key, check it, save it in the keychain; or try the demo.

use super::Command;
use crate::app::App;
use crate::worker::Job;

#[derive(Default)]
pub struct WelcomeForm {
    pub key: String,
    pub show_key: bool,
    pub error: Option<String>,
}

pub fn welcome_ui(ui: &mut egui::Ui, app: &mut App, cmds: &mut Vec<Command>) {
    let checking = app.worker.is_busy(&Job::CheckKey) || app.worker.is_busy(&Job::SaveKey);
    ui.vertical_centered(|ui| {
        ui.set_max_width(520.0);
        ui.add_space(24.0);
        ui.heading("Welcome to InstaOTP Desktop");
        ui.add_space(8.0);
        ui.label("Buy virtual numbers, receive SMS codes and manage your orders.");
        ui.label("To start, paste the API key from your InstaOTP account (Profile → API).");
        ui.add_space(16.0);
    });
    ui.vertical_centered(|ui| {
        ui.set_max_width(520.0);
        key_entry_ui(
            ui,
            &mut app.welcome.key,
            &mut app.welcome.show_key,
            checking,
            "welcome",
            cmds,
        );
        if let Some(error) = &app.welcome.error {
            ui.add_space(8.0);
            ui.label(egui::RichText::new(error).color(ui.visuals().error_fg_color));
        }
        if app.unsaved_key.is_some() {
            ui.add_space(4.0);
            if ui.button("Use this key for this session only").clicked() {
                cmds.push(Command::UseKeyForSession);
            }
        }
        ui.add_space(24.0);
        ui.separator();
        ui.add_space(8.0);
        ui.label(
            "No account yet, or just looking? The demo shows the whole app with pretend numbers.",
        );
        let starting = app.worker.is_busy(&crate::worker::Job::StartDemo);
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
    ui.horizontal(|ui| {
        let label = ui.label("API key");
        let field = ui
            .add(
                egui::TextEdit::singleline(key)
                    .id_salt(("api_key", id))
                    .password(!*show)
                    .hint_text("Paste your API key here")
                    .desired_width(280.0),
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
            cmds.push(Command::CheckKey(key.clone()));
        }
        if checking {
            ui.spinner();
            ui.label("Checking…");
        }
    });
}
