//! Small pieces shared by the screens.

/// Lays out the parts of a long scrolling page only when they can be seen. A part measured in an
/// earlier frame that is now outside the visible area just takes its room, so the page costs
/// what is on screen. A part whose height changed while unseen is measured again once it shows.
///
/// Two parts are never skipped: the first one below the visible area, so Tab can move on to it
/// (and egui scrolls it into view), and none at all while a screen reader is connected, which
/// reads the whole page.
pub struct UnseenParts {
    skip: bool,
    next_below_laid_out: bool,
}

impl UnseenParts {
    /// `probe`: any widget already on the page; it tells whether AccessKit is on.
    pub fn new(ui: &egui::Ui, probe: &egui::Response) -> Self {
        // `accesskit_node_builder` answers `None` when AccessKit is off; the probe's node exists
        // already, so asking adds nothing to the tree.
        let screen_reader = ui.ctx().accesskit_node_builder(probe.id, |_| ()).is_some();
        Self {
            skip: !screen_reader,
            next_below_laid_out: false,
        }
    }

    pub fn part_ui(
        &mut self,
        ui: &mut egui::Ui,
        id: egui::Id,
        add_contents: impl FnOnce(&mut egui::Ui),
    ) {
        let top = ui.cursor().min;
        let known: Option<f32> = ui.ctx().data(|d| d.get_temp(id));
        if let (true, Some(height)) = (self.skip, known) {
            let room = egui::Rect::from_min_size(top, egui::vec2(ui.available_width(), height));
            let first_below = room.top() > ui.clip_rect().bottom() && !self.next_below_laid_out;
            if !ui.is_rect_visible(room) {
                if !first_below {
                    ui.add_space(height);
                    return;
                }
                self.next_below_laid_out = true;
            }
        }
        add_contents(ui);
        let height = ui.cursor().min.y - top.y;
        ui.ctx().data_mut(|d| d.insert_temp(id, height));
    }
}

/// When an "ago" text next changes, so a repaint can be asked for just then.
pub fn ago_next_change(secs: u64) -> std::time::Duration {
    std::time::Duration::from_secs(match secs {
        0..=59 => 60 - secs,
        60..=3599 => 60 - secs % 60,
        _ => 3600 - secs % 3600,
    })
}

/// Where the ring around the control with the keyboard focus is drawn: around the part of it
/// that can be seen, a little outside it. `None` when nothing has the focus.
pub fn focus_ring_rect(ctx: &egui::Context) -> Option<egui::Rect> {
    let id = ctx.memory(|m| m.focused())?;
    let response = ctx.read_response(id)?;
    let seen = response.interact_rect;
    seen.is_positive().then(|| seen.expand(FOCUS_RING_GAP))
}

const FOCUS_RING_GAP: f32 = 2.0;

/// A ring around the focused control, over everything, so a person moving with Tab always sees
/// where they are (egui's own focus look is faint on frameless buttons and not shown at all on
/// some controls).
pub fn focus_ring_ui(ctx: &egui::Context) {
    let Some(rect) = focus_ring_rect(ctx) else {
        return;
    };
    let color = ctx.global_style().visuals.selection.stroke.color;
    let layer = egui::LayerId::new(egui::Order::Tooltip, egui::Id::unique("focus_ring"));
    ctx.layer_painter(layer).rect_stroke(
        rect,
        3.0,
        egui::Stroke::new(2.0, color),
        egui::StrokeKind::Outside,
    );
}

/// A copy button that says "Copied ✓" on itself for a moment after a click, where the person
/// looks. It keeps one width for both words, so nothing beside it moves. `of` names what it
/// copies (the order): the word stays on this button when the cards move.
pub fn copy_button_ui(ui: &mut egui::Ui, label: &str, of: &str) -> bool {
    let id = egui::Id::unique(("copied", of, label));
    let now = ui.input(|i| i.time);
    let copied_at: Option<f64> = ui.ctx().data(|d| d.get_temp(id));
    let showing = copied_at.is_some_and(|at| now - at < COPIED_SHOWN_SECS);
    let font = egui::TextStyle::Button.resolve(ui.style());
    let width = [label, crate::text::COPIED_ON_BUTTON]
        .iter()
        .map(|t| {
            ui.painter()
                .layout_no_wrap((*t).to_owned(), font.clone(), egui::Color32::WHITE)
                .size()
                .x
        })
        .fold(0.0, f32::max)
        + 2.0 * ui.spacing().button_padding.x;
    let text = if showing {
        crate::text::COPIED_ON_BUTTON
    } else {
        label
    };
    let clicked = ui
        .add(egui::Button::new(text).min_size(egui::vec2(width, 0.0)))
        .clicked();
    if clicked {
        ui.ctx().data_mut(|d| d.insert_temp(id, now));
    }
    if clicked || showing {
        let left = copied_at.map_or(COPIED_SHOWN_SECS, |at| COPIED_SHOWN_SECS - (now - at));
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs_f64(left.max(0.0) + 0.01));
    }
    clicked
}

/// How long a copy button says "Copied ✓".
const COPIED_SHOWN_SECS: f64 = 2.0;

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs a 400×300 window with a scrolling page of 20 parts 100 points high; returns the
    /// parts that were laid out.
    fn laid_out_parts(ctx: &egui::Context) -> Vec<usize> {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(400.0, 300.0),
            )),
            ..Default::default()
        };
        let mut laid_out = Vec::new();
        let mut out = ctx.run_ui(input, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                let probe = ui.label("Parts");
                let mut parts = UnseenParts::new(ui, &probe);
                for i in 0..20 {
                    parts.part_ui(ui, egui::Id::unique(("part", i)), |ui| {
                        laid_out.push(i);
                        ui.add_space(100.0);
                    });
                }
            });
        });
        out.textures_delta.clear();
        laid_out
    }

    #[test]
    fn unseen_parts_are_skipped_but_the_next_below_and_a_screen_reader_get_them() {
        let ctx = egui::Context::default();
        // Nothing measured yet: every part is laid out once.
        assert_eq!(laid_out_parts(&ctx).len(), 20);
        // Then only the ones on screen, plus the first one below for Tab to reach.
        let seen = laid_out_parts(&ctx);
        assert!((3..=5).contains(&seen.len()), "{seen:?}");
        assert_eq!(seen, (0..seen.len()).collect::<Vec<_>>());
        // A screen reader reads the whole page.
        ctx.enable_accesskit();
        assert_eq!(laid_out_parts(&ctx).len(), 20);
    }

    #[test]
    fn formats() {
        assert_eq!(crate::text::clock(120_000), "2:00");
        assert_eq!(crate::text::clock(61_001), "1:02");
        assert_eq!(crate::text::ago(125), "2 min ago");
        assert_eq!(ago_next_change(125).as_secs(), 55);
        assert_eq!(ago_next_change(10).as_secs(), 50);
    }
}
