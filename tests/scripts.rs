//! Every script a provider's catalogue uses is readable: each character of the simulator's
//! service names (Latin, Cyrillic, Devanagari, Chinese, Korean, Thai, Arabic…) has a glyph in the
//! fonts the app finds on this computer (eframe's `system_fonts`, through the same provider).
//!
//! Depends on the fonts installed (Debian: `fonts-noto-core`, `fonts-noto-cjk`, as the README's
//! run-time packages list), so it is ignored by plain `cargo test`; `.ci/run` installs them and
//! runs it.

// Tests and tools may unwrap, index and panic: a failure here is the point.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeSet;

use egui::FontFamily;
use egui::epaint::text::{FallbackRequest, FontProvider};
use egui_system_font_provider::SystemFontProvider;
use instaotp_desktop::sim::{default_catalogue, generated_catalogue};

#[test]
#[ignore = "needs the fonts of the README's run-time packages; run by .ci/run"]
fn every_character_of_the_catalogue_has_a_glyph_in_the_fonts_the_app_finds() {
    let names: BTreeSet<char> = default_catalogue()
        .into_iter()
        .chain(generated_catalogue(3000))
        .flat_map(|o| o.name.chars().collect::<Vec<_>>())
        .filter(|c| !c.is_ascii() && !c.is_whitespace())
        .collect();
    assert!(
        names.len() > 20,
        "the catalogue has non-Latin names: {names:?}"
    );
    let provider = SystemFontProvider::new().with_locale(None);
    let missing: Vec<char> = names
        .iter()
        .copied()
        .filter(|c| {
            let cluster = c.to_string();
            let request = FallbackRequest {
                cluster: &cluster,
                family: &FontFamily::Proportional,
            };
            provider.font_for(&request).is_none()
        })
        .collect();
    assert!(
        missing.is_empty(),
        "no installed font draws {missing:?} (install fonts-noto-core and fonts-noto-cjk)"
    );
}
