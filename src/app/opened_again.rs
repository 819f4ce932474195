//! A second start of the app hands over to this one (see `platform::single_instance`): the
//! window comes to the front, and where the desktop does not allow that (Wayland, some window
//! managers), the person is told and the taskbar entry asks for attention.

use std::time::{Duration, Instant};

use super::App;

/// How long the window may take to be focused before the person is told instead.
const FOCUS_WAIT: Duration = Duration::from_millis(800);

impl App {
    pub(crate) fn come_forward_when_opened_again(&mut self, ctx: &egui::Context) {
        let asked = self
            .config
            .instance
            .as_ref()
            .is_some_and(|i| i.asked_to_show());
        if asked {
            tracing::info!("opened again: coming to the front");
            ctx.send_viewport_cmd(egui::ViewportCommand::Minimized(false));
            ctx.send_viewport_cmd(egui::ViewportCommand::Visible(true));
            ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
            self.raise_asked = Some(Instant::now());
            ctx.request_repaint_after(FOCUS_WAIT);
        }
        let Some(at) = self.raise_asked else { return };
        if ctx.input(|i| i.viewport().focused) == Some(true) && !asked {
            self.raise_asked = None;
        } else if at.elapsed() >= FOCUS_WAIT {
            self.raise_asked = None;
            self.messages.info(crate::text::OPENED_AGAIN);
            ctx.send_viewport_cmd(egui::ViewportCommand::RequestUserAttention(
                egui::UserAttentionType::Informational,
            ));
        } else {
            ctx.request_repaint_after(FOCUS_WAIT.saturating_sub(at.elapsed()));
        }
    }
}
