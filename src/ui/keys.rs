//! The keyboard shortcuts, read in this one place (the "Keyboard" line in Settings lists them):
//! Ctrl+F the search, Ctrl+1/2/3 the tabs, Enter confirms a dialog (Esc closes it: egui's
//! `Modal` does that), Ctrl+Shift+C copies the newest code, Ctrl+Q quits (asked first while numbers
//! wait for their code). Enter in the search field is the Services tab's own (`ui::services`).

use egui::{Key, KeyboardShortcut, Modifiers};

use super::ViewState;
use crate::app::{Command, Session, Tab};

const QUIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);
const SEARCH: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
// Before any plain Ctrl+C a text field may take: `consume_shortcut` ignores an extra Shift only
// when the pattern has none.
const COPY_CODE: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::C);
const TABS: [(KeyboardShortcut, Tab); 3] = [
    (
        KeyboardShortcut::new(Modifiers::COMMAND, Key::Num1),
        Tab::Services,
    ),
    (
        KeyboardShortcut::new(Modifiers::COMMAND, Key::Num2),
        Tab::Orders,
    ),
    (
        KeyboardShortcut::new(Modifiers::COMMAND, Key::Num3),
        Tab::Settings,
    ),
];

/// What the shortcuts of this frame ask for: commands, a focus request in the view state, and
/// whether Enter confirms the open dialog (returned).
pub fn shortcuts(
    ctx: &egui::Context,
    session: Option<&Session>,
    view: &mut ViewState,
    cmds: &mut Vec<Command>,
) -> bool {
    if ctx.input_mut(|i| i.consume_shortcut(&QUIT)) {
        // Numbers still waiting for their code: asked first (a Ctrl+Q meant for another
        // program must not close them away unseen).
        let waiting = session.map_or(0, |s| {
            s.watched_orders()
                .filter(|o| o.code.is_none() && s.is_ours(o))
                .count()
        });
        if waiting > 0 {
            cmds.push(Command::AskQuit(waiting));
        } else {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
    let Some(session) = session else {
        view.dialog_was_open = false;
        return false;
    };
    let dialog_opened = session.confirm().is_some() && !view.dialog_was_open;
    view.dialog_was_open = session.confirm().is_some();
    if dialog_opened {
        // The button that opened the dialog (behind it now) keeps no focus: Enter is the
        // dialog's, not a second press of that button.
        ctx.memory_mut(egui::Memory::stop_text_input);
    }
    if session.confirm().is_some() {
        // A dialog is open: the page behind it takes no shortcut. Enter confirms, unless a
        // control of the dialog has the focus (a focused button takes Enter itself).
        let nothing_focused = ctx.memory(|m| m.focused().is_none());
        return nothing_focused && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter));
    }
    if ctx.input_mut(|i| i.consume_shortcut(&COPY_CODE)) {
        cmds.push(Command::CopyNewestCode);
    }
    if ctx.input_mut(|i| i.consume_shortcut(&SEARCH)) {
        cmds.push(Command::SelectTab(Tab::Services));
        view.services.focus_search = true;
    }
    for (shortcut, tab) in TABS {
        if ctx.input_mut(|i| i.consume_shortcut(&shortcut)) {
            cmds.push(Command::SelectTab(tab));
        }
    }
    false
}
