//! Services with more than one provider signed in: whose offers the table shows, their rows
//! merged into one table (the same filter and order for all), a Provider column and filter, and
//! a provider that cannot sell now greyed with the reason while the others keep working.

use super::Shared;
use crate::app::view::{FIRST_PROVIDER_ID, MergedRows, ServicesForm};
use crate::app::{Command, Session};
use crate::offers::across::Across;
use crate::offers::{OfferList, merged_rows};
use crate::settings::Settings;
use crate::text;

/// One provider's offers as the table shows them.
pub struct Source<'a> {
    /// `None`: InstaOTP.
    pub id: Option<&'a str>,
    pub name: &'a str,
    pub session: &'a Session,
    pub currency: text::Currency,
    /// A purchase is out (one at a time, whichever provider).
    buying: bool,
    /// Why its offers cannot be bought now, in words.
    pub down: Option<String>,
}

impl Source<'_> {
    pub fn can_buy(&self) -> bool {
        self.session.can_buy() && !self.buying && self.down.is_none()
    }

    /// A row's command, run with this provider's session when it is about its offer.
    pub fn command(&self, command: Command) -> Command {
        match self.id {
            Some(id) => command.to_provider(id),
            None => command,
        }
    }

    /// A row's command, run with `source`'s session when there is one (several providers shown).
    pub fn command_of(source: Option<&Self>, command: Command) -> Command {
        match source {
            Some(s) => s.command(command),
            None => command,
        }
    }

    fn filter_id(&self) -> &str {
        self.id.unwrap_or(FIRST_PROVIDER_ID)
    }
}

/// InstaOTP's offers, then those of every other provider signed in.
pub fn sources<'a>(
    first: &'a Session,
    shared: &'a Shared<'a>,
    settings: &Settings,
    buying: bool,
) -> Vec<Source<'a>> {
    let others: Vec<(&'a str, &'a str, &'a Session)> = shared
        .providers
        .iter()
        .filter_map(|p| {
            let entry = p.entry();
            p.session()
                .map(|s| (entry.id.as_str(), entry.name.as_str(), s))
        })
        .collect();
    let several = !others.is_empty();
    let source = |id: Option<&'a str>, name: &'a str, session: &'a Session| Source {
        id,
        name,
        session,
        currency: session.currency(&settings.currency),
        buying,
        // With one provider the status line says it; with several, its rows say it.
        down: several.then(|| why_down(name, session)).flatten(),
    };
    let mut all = vec![source(None, text::FIRST_PROVIDER, first)];
    all.extend(
        others
            .into_iter()
            .map(|(id, name, s)| source(Some(id), name, s)),
    );
    all
}

/// A provider that cannot be reached, or whose balance is spent, sells nothing now.
fn why_down(name: &str, session: &Session) -> Option<String> {
    if session.unreachable_since().is_some() {
        return Some(text::provider_down(name));
    }
    match session.balance() {
        Some((balance, _)) if balance.amount <= rust_decimal::Decimal::ZERO => {
            Some(text::provider_no_money(name))
        }
        _ => None,
    }
}

/// "Provider: All providers / InstaOTP / …" in the filter bar.
pub fn provider_picker_ui(ui: &mut egui::Ui, form: &mut ServicesForm, sources: &[Source<'_>]) {
    let label = ui.label(text::PROVIDER_COLUMN);
    let shown = form
        .provider
        .as_deref()
        .and_then(|id| sources.iter().find(|s| s.filter_id() == id))
        .map_or(text::ALL_PROVIDERS, |s| s.name);
    egui::ComboBox::from_id_salt("provider_picker")
        .selected_text(shown)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut form.provider, None, text::ALL_PROVIDERS);
            for s in sources {
                ui.selectable_value(&mut form.provider, Some(s.filter_id().to_owned()), s.name);
            }
        })
        .response
        .labelled_by(label.id);
}

/// Each other provider's problem above the table: its offers not read, or why it sells
/// nothing now.
pub fn providers_down_ui(ui: &mut egui::Ui, sources: &[Source<'_>], cmds: &mut Vec<Command>) {
    for s in sources.iter().filter(|s| s.id.is_some()) {
        if let Some(error) = s.session.offers_error() {
            ui.horizontal_wrapped(|ui| {
                let words = text::from_provider(s.name, error);
                ui.label(egui::RichText::new(words).color(ui.visuals().error_fg_color));
                if ui.button(text::retry_provider(s.name)).clicked() {
                    cmds.push(s.command(Command::RefreshOffers));
                }
            });
        }
    }
    for s in sources {
        if let Some(why) = &s.down {
            ui.label(egui::RichText::new(why).color(ui.visuals().warn_fg_color));
        }
    }
}

/// Merges the providers' shown rows again when one of them changed (or the provider filter).
pub fn merge(
    merged: &mut MergedRows,
    provider: Option<&str>,
    sources: &[Source<'_>],
    settings: &Settings,
) {
    let chosen: Vec<usize> = (0..sources.len())
        .filter(|&i| provider.is_none_or(|id| sources.get(i).is_some_and(|s| s.filter_id() == id)))
        .collect();
    let from: Vec<(u64, u64)> = chosen
        .iter()
        .filter_map(|&i| sources.get(i))
        .map(|s| (s.session.generation().0, s.session.offers().revision()))
        .collect();
    if merged.from == from && merged.provider.as_deref() == provider {
        return;
    }
    let all: Vec<&OfferList> = sources.iter().map(|s| s.session.offers()).collect();
    let currencies: Vec<String> = sources
        .iter()
        .map(|s| s.currency.as_str().to_owned())
        .collect();
    merged.across = Across::of(&all, &currencies);
    let lists: Vec<&OfferList> = chosen.iter().filter_map(|&i| all.get(i).copied()).collect();
    let across = &merged.across;
    let best = |list: usize, index: usize| {
        chosen
            .get(list)
            .is_some_and(|&source| across.is_best(source, index))
    };
    merged.rows = merged_rows(&lists, &settings.favourites, Some(&best))
        .into_iter()
        .filter_map(|(list, index)| chosen.get(list).map(|&source| (source, index)))
        .collect();
    merged.from = from;
    merged.provider = provider.map(str::to_owned);
}

/// The Provider cell: whose offer it is (greyed when it sells nothing now).
pub fn seller_cell_ui(ui: &mut egui::Ui, seller: &Source<'_>) {
    let rect = super::services::cell_text_ui(ui, seller.name, seller.down.is_some());
    if let Some(why) = &seller.down {
        ui.interact(rect, ui.scope_id().with("down"), egui::Sense::hover())
            .on_hover_text(why);
    }
}
