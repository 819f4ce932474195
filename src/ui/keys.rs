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

/// What the shortcuts read of the sessions (InstaOTP's and every other provider's).
pub struct Sessions {
    /// A session's confirmation dialog is open.
    pub dialog_open: bool,
    /// Numbers of every provider still waiting for their code.
    pub waiting: usize,
}

impl Sessions {
    pub fn of(first: &Session, providers: &[crate::app::providers::Provider]) -> Self {
        let all = || std::iter::once(first).chain(providers.iter().filter_map(|p| p.session()));
        Self {
            dialog_open: all().any(|s| s.confirm().is_some()),
            waiting: all().map(Session::waiting_for_code).sum(),
        }
    }
}

/// What the shortcuts of this frame ask for: commands, a focus request in the view state, and
/// whether Enter confirms the open dialog (returned).
pub fn shortcuts(
    ctx: &egui::Context,
    sessions: Option<&Sessions>,
    view: &mut ViewState,
    cmds: &mut Vec<Command>,
) -> bool {
    if ctx.input_mut(|i| i.consume_shortcut(&QUIT)) {
        // Numbers still waiting for their code: asked first (a Ctrl+Q meant for another
        // program must not close them away unseen).
        let waiting = sessions.map_or(0, |s| s.waiting);
        if waiting > 0 {
            cmds.push(Command::AskQuit(waiting));
        } else {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
    let Some(sessions) = sessions else {
        view.dialog_was_open = false;
        return false;
    };
    let dialog_opened = sessions.dialog_open && !view.dialog_was_open;
    view.dialog_was_open = sessions.dialog_open;
    if dialog_opened {
        // The button that opened the dialog (behind it now) keeps no focus: Enter is the
        // dialog's, not a second press of that button.
        ctx.memory_mut(egui::Memory::stop_text_input);
    }
    if sessions.dialog_open {
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
