//! The messages (at most three, then "N more"), floating in the bottom corner above the page so
//! that none moves what is under the pointer, and the Activity list.

use crate::app::describe;
use crate::app::{Command, Message, MessageKind as Kind, Messages};
use crate::orders::history::time_of_day;
use crate::text;

/// The most messages shown before "N more".
const SHOWN: usize = 3;

fn kind_color(ui: &egui::Ui, kind: Kind) -> egui::Color32 {
    match kind {
        Kind::Info => ui.visuals().text_color(),
        Kind::Success => egui::Color32::from_rgb(0x2E, 0x8B, 0x57),
        Kind::Warning => ui.visuals().warn_fg_color,
        Kind::Error => ui.visuals().error_fg_color,
    }
}

/// The messages in a layer of their own, in the bottom right corner above the status line.
pub fn toasts_ui(
    ctx: &egui::Context,
    messages: &Messages,
    tz: &jiff::tz::TimeZone,
    show_all: &mut bool,
    cmds: &mut Vec<Command>,
) {
    let room = ctx.content_rect();
    // The frame's margins and stroke come on top of the width: counted, so the whole toast
    // stays 12 points clear of both edges in a narrow window.
    let frame = egui::Frame::popup(&ctx.global_style())
        .total_margin()
        .sum()
        .x;
    let width = (room.width() - 24.0 - frame).clamp(200.0, 560.0);
    egui::Area::new(egui::Id::unique("messages"))
        .order(egui::Order::Foreground)
        .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-12.0, -36.0))
        .constrain(true)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_width(width);
                messages_ui(ui, messages, tz, show_all, cmds);
            });
        });
}

/// The newest messages first; `show_all` is the "N more" / "Show fewer" choice.
pub fn messages_ui(
    ui: &mut egui::Ui,
    messages: &Messages,
    tz: &jiff::tz::TimeZone,
    show_all: &mut bool,
    cmds: &mut Vec<Command>,
) {
    let list = messages.list();
    if list.len() <= SHOWN {
        *show_all = false;
    }
    let shown = if *show_all { list.len() } else { SHOWN };
    for m in list.iter().rev().take(shown) {
        message_ui(ui, messages, m, tz, cmds);
    }
    let hidden = list.len().saturating_sub(shown);
    if hidden > 0 {
        if ui.small_button(text::more_messages(hidden)).clicked() {
            *show_all = true;
        }
    } else if *show_all && ui.small_button(text::FEWER_MESSAGES).clicked() {
        *show_all = false;
    }
}

fn message_ui(
    ui: &mut egui::Ui,
    messages: &Messages,
    m: &Message,
    tz: &jiff::tz::TimeZone,
    cmds: &mut Vec<Command>,
) {
    ui.scope(|ui| {
        if messages.dimmed(m) {
            ui.multiply_opacity(0.4);
        }
        ui.horizontal_wrapped(|ui| {
            if ui
                .small_button("✖")
                .on_hover_text(text::DISMISS_MESSAGE)
                .clicked()
            {
                cmds.push(Command::Dismiss(m.id));
            }
            let title = format!("{}:", describe::message_title(m.kind));
            ui.label(
                egui::RichText::new(title)
                    .color(kind_color(ui, m.kind))
                    .strong(),
            );
            ui.label(&m.text);
            if m.count > 1 {
                let last = time_of_day(m.wall, tz);
                ui.label(egui::RichText::new(text::repeated(m.count, &last)).weak());
            }
        });
        if let Some(instead) = &m.buy_instead
            && ui.button(&instead.label).clicked()
        {
            let ask = Command::AskBuy((*instead.offer).clone());
            cmds.push(match &instead.provider {
                Some(id) => ask.to_provider(id),
                None => ask,
            });
        }
        if let Some(raw) = &m.raw {
            // The reply once, folded: the sentence above already says what to do.
            ui.indent(("raw", &m.text), |ui| {
                egui::CollapsingHeader::new(text::DETAILS)
                    .id_salt(("details", &m.text))
                    .show(ui, |ui| {
                        ui.label(egui::RichText::new(text::raw_reply(raw)).monospace().weak());
                    });
            });
        }
    });
}

/// The "Activity" button of the top bar and its list: everything said, newest first, with times.
pub fn activity_ui(ui: &mut egui::Ui, messages: &Messages, tz: &jiff::tz::TimeZone) {
    let button = ui.button(text::ACTIVITY).on_hover_text(text::ACTIVITY_HINT);
    egui::Popup::from_toggle_button_response(&button)
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show(|ui| {
            ui.set_min_width(420.0_f32.min(ui.ctx().content_rect().width() - 24.0));
            ui.set_max_width(560.0_f32.min(ui.ctx().content_rect().width() - 24.0));
            ui.label(egui::RichText::new(text::ACTIVITY_HINT).weak());
            if messages.activity().len() == 0 {
                ui.label(text::NO_ACTIVITY);
                return;
            }
            egui::ScrollArea::vertical()
                .id_salt("activity")
                .max_height(360.0)
                .show(ui, |ui| {
                    for e in messages.activity().rev() {
                        ui.horizontal_wrapped(|ui| {
                            ui.label(
                                egui::RichText::new(time_of_day(e.wall, tz))
                                    .monospace()
                                    .weak(),
                            );
                            ui.label(egui::RichText::new(&e.text).color(kind_color(ui, e.kind)));
                            if e.count > 1 {
                                ui.label(egui::RichText::new(text::times(e.count)).weak());
                            }
                        });
                    }
                });
        });
}
