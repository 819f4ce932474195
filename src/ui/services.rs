//! Services tab: every offer in a virtualized table, search, pickers, sort, favourites, buy.

use crate::app::describe;
use egui_extras::{Column as TableColumn, TableBuilder};

use super::offer_sources::Source;
use super::widgets::ago_next_change;
use super::{Shared, offer_columns};
use crate::api::Offer;
use crate::app::view::ServicesForm;
use crate::app::{Command, Session};
use crate::countries::country_name;
use crate::offers::{Column, OfferList, offer_key};
use crate::settings::Settings;
use crate::text;

pub fn services_ui(
    ui: &mut egui::Ui,
    session: &Session,
    form: &mut ServicesForm,
    settings: &Settings,
    shared: &Shared<'_>,
    cmds: &mut Vec<Command>,
) {
    let loading = shared.busy.loading_offers;
    let buying = shared.busy.buying;
    let sources = super::offer_sources::sources(session, shared, settings, buying);
    let several = sources.len() > 1;
    if several {
        super::offer_sources::merge(
            &mut form.merged,
            form.provider.as_deref(),
            &sources,
            settings,
        );
    }
    let counts = if several {
        let total = sources
            .iter()
            .map(|s| s.session.offers().offers().len())
            .sum();
        (form.merged.rows.len(), total)
    } else {
        (
            session.offers().rows().len(),
            session.offers().offers().len(),
        )
    };
    ui.horizontal_wrapped(|ui| {
        let first = session.offers().shown().next().filter(|o| !o.sold_out());
        search_ui(ui, form, first, cmds);
        country_picker_ui(ui, form, session.offers());
        server_picker_ui(ui, form, session.offers());
        if several {
            super::offer_sources::provider_picker_ui(ui, form, &sources);
        }
        sort_picker_ui(ui, session.offers().sort(), cmds);
        super::delivery::best_first_ui(ui, &mut form.best_first);
        refresh_ui(ui, session, loading, shared.time_zone, counts, cmds);
    });
    ui.add_space(4.0);
    // While a purchase is out the Buy buttons are greyed and say why where the pointer is, and
    // the status line shows the work: no line comes and goes above the table to move it.

    if let Some(error) = session.offers_error() {
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(error).color(ui.visuals().error_fg_color));
            if ui.button("Retry").clicked() {
                cmds.push(Command::RefreshOffers);
            }
        });
    }
    super::offer_sources::providers_down_ui(ui, &sources, cmds);
    let rows = if several {
        TableRows::Merged {
            rows: &form.merged.rows,
            across: &form.merged.across,
        }
    } else {
        TableRows::One(session.offers().rows())
    };
    if sources
        .iter()
        .all(|s| s.session.offers().offers().is_empty())
    {
        if !loading && session.offers_error().is_none() && session.offers_loaded().is_some() {
            ui.label(text::NO_OFFERS);
        }
        return;
    }
    if rows.len() == 0 {
        ui.label(text::NO_MATCH);
        return;
    }
    offers_table_ui(ui, &sources, &rows, settings, cmds);
}

/// The table's rows: one provider's, or several merged ((provider, offer index)).
pub(super) enum TableRows<'a> {
    One(&'a [usize]),
    Merged {
        rows: &'a [(usize, usize)],
        across: &'a crate::offers::across::Across,
    },
}

impl TableRows<'_> {
    fn len(&self) -> usize {
        match self {
            TableRows::One(rows) => rows.len(),
            TableRows::Merged { rows, .. } => rows.len(),
        }
    }

    fn get(&self, row: usize) -> Option<(usize, usize)> {
        match self {
            TableRows::One(rows) => rows.get(row).map(|&i| (0, i)),
            TableRows::Merged { rows, .. } => rows.get(row).copied(),
        }
    }
}

fn search_ui(
    ui: &mut egui::Ui,
    form: &mut ServicesForm,
    first: Option<&Offer>,
    cmds: &mut Vec<Command>,
) {
    // The label and its field stay together when the bar wraps.
    let field = ui
        .horizontal(|ui| {
            let label = ui.label("Search");
            ui.add(
                egui::TextEdit::singleline(&mut form.search)
                    .hint_text("Name or code, e.g. WhatsApp or wa")
                    .desired_width(210.0),
            )
            .labelled_by(label.id)
        })
        .inner;
    if std::mem::take(&mut form.focus_search) {
        field.request_focus();
    }
    // Enter in the search opens the confirmation of the first offer shown (never buys).
    if field.lost_focus()
        && ui.input(|i| i.key_pressed(egui::Key::Enter))
        && let Some(offer) = first
    {
        cmds.push(Command::AskBuy(offer.clone()));
    }
    // Always there (greyed while there is nothing to clear): typing a search never widens the
    // bar, which would push the table down under the pointer.
    if ui
        .add_enabled(!form.search.is_empty(), egui::Button::new("Clear search"))
        .clicked()
    {
        form.search.clear();
    }
}

/// In the wrapping filter bar: a new row when a label and its list would not both fit on this
/// one, so a label never ends a row with its list on the next.
fn keep_with_next(ui: &mut egui::Ui, label: &str) {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let label_width = ui
        .painter()
        .layout_no_wrap(label.to_owned(), font, egui::Color32::WHITE)
        .size()
        .x;
    let list_width = ui.spacing().combo_width + ui.spacing().icon_width * 2.0;
    if ui.available_size_before_wrap().x < label_width + ui.spacing().item_spacing.x + list_width {
        ui.end_row();
    }
}

fn country_picker_ui(ui: &mut egui::Ui, form: &mut ServicesForm, offers: &OfferList) {
    keep_with_next(ui, "Country");
    let label = ui.label("Country");
    let shown = form
        .country
        .as_deref()
        .map_or("All countries".to_owned(), |c| country_name(c).to_owned());
    egui::ComboBox::from_id_salt("country_picker")
        .selected_text(shown)
        .height(400.0)
        .show_ui(ui, |ui| {
            let l = ui.label("Find country");
            ui.text_edit_singleline(&mut form.country_search)
                .labelled_by(l.id);
            let needle = form.country_search.to_lowercase();
            ui.selectable_value(&mut form.country, None, "All countries");
            for c in offers.countries() {
                let name = country_name(c);
                if needle.is_empty() || name.to_lowercase().contains(&needle) || c.contains(&needle)
                {
                    ui.selectable_value(&mut form.country, Some(c.clone()), name);
                }
            }
        })
        .response
        .labelled_by(label.id);
}

fn server_picker_ui(ui: &mut egui::Ui, form: &mut ServicesForm, offers: &OfferList) {
    keep_with_next(ui, "Server");
    let label = ui.label("Server");
    let shown = form
        .server
        .as_deref()
        .map_or("All servers".to_owned(), |s| format!("Server {s}"));
    egui::ComboBox::from_id_salt("server_picker")
        .selected_text(shown)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut form.server, None, "All servers");
            for s in offers.servers() {
                ui.selectable_value(&mut form.server, Some(s.clone()), format!("Server {s}"));
            }
        })
        .response
        .labelled_by(label.id);
}

/// The keyboard's way to sort (the column headers take clicks only): a column picked again
/// reverses the order, as a second click on its header does.
fn sort_picker_ui(ui: &mut egui::Ui, sort: Option<(Column, bool)>, cmds: &mut Vec<Command>) {
    keep_with_next(ui, text::SORT_BY);
    let label = ui.label(text::SORT_BY);
    let shown = sort.map_or(text::SORT_USUAL.to_owned(), |(c, asc)| {
        describe::sorted_by(c, asc)
    });
    egui::ComboBox::from_id_salt("sort_picker")
        .selected_text(shown)
        .show_ui(ui, |ui| {
            if ui
                .selectable_label(sort.is_none(), text::SORT_USUAL)
                .clicked()
            {
                cmds.push(Command::SortBy(None));
            }
            for column in Column::ALL {
                let on = sort.is_some_and(|(c, _)| c == column);
                if ui.selectable_label(on, describe::column(column)).clicked() {
                    cmds.push(Command::SortBy(Some(column)));
                }
            }
        })
        .response
        .labelled_by(label.id);
}

fn refresh_ui(
    ui: &mut egui::Ui,
    session: &Session,
    loading: bool,
    tz: &jiff::tz::TimeZone,
    (shown, total): (usize, usize),
    cmds: &mut Vec<Command>,
) {
    if ui
        .add_enabled(!loading, egui::Button::new("⟳ Refresh offers"))
        .clicked()
    {
        cmds.push(Command::RefreshOffers);
    }
    if let Some(at) = session.offers_as_of() {
        let time = crate::orders::history::short_time(at, crate::orders::now_millis(), tz);
        whole_weak_label_ui(ui, text::prices_as_of(&time));
    }
    if loading {
        ui.spinner();
        ui.label(text::LOADING_OFFERS);
    } else if let Some(at) = session.offers_loaded() {
        let secs = at.elapsed().as_secs();
        whole_weak_label_ui(ui, format!("updated {}", text::ago_coarse(secs)));
        ui.ctx().request_repaint_after(ago_next_change(secs));
    }
    whole_weak_label_ui(ui, text::offers_shown(shown, total));
}

/// A short note in the filter bar: when the bar is full it moves to the next line whole, never
/// split in the middle ("301 of 301 | offers").
fn whole_weak_label_ui(ui: &mut egui::Ui, note: String) {
    ui.add(
        egui::Label::new(egui::RichText::new(note).weak()).wrap_mode(egui::TextWrapMode::Extend),
    );
}

fn offers_table_ui(
    ui: &mut egui::Ui,
    sources: &[Source<'_>],
    rows: &TableRows<'_>,
    settings: &Settings,
    cmds: &mut Vec<Command>,
) {
    let Some(first) = sources.first() else {
        return;
    };
    let sort = first.session.offers().sort();
    let several = sources.len() > 1;
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
    // The scroll bar takes its own room at the right (a solid bar, `App::apply_visuals`).
    let bar = ui.spacing().scroll.allocated_width();
    let spacing = ui.spacing().item_spacing.x;
    let seller = if several {
        offer_columns::SELLER_WIDTH + spacing
    } else {
        0.0
    };
    let columns = offer_columns::shown_columns(ui.available_width() - bar - seller, spacing);
    let mut table = TableBuilder::new(ui)
        .striped(true)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(TableColumn::exact(offer_columns::PIN_WIDTH));
    if several {
        table = table.column(TableColumn::exact(offer_columns::SELLER_WIDTH).clip(true));
    }
    for column in &columns {
        let min = offer_columns::min_width(*column);
        table = table.column(if *column == Column::Service {
            TableColumn::remainder().at_least(min).clip(true)
        } else {
            TableColumn::auto().at_least(min).clip(true)
        });
    }
    table
        .column(TableColumn::exact(offer_columns::BUY_WIDTH))
        .header(row_height + 4.0, |mut header| {
            header.col(|ui| {
                ui.label("★");
            });
            if several {
                header.col(|ui| {
                    ui.label(egui::RichText::new(text::PROVIDER_COLUMN).strong());
                });
            }
            for column in &columns {
                header.col(|ui| header_button_ui(ui, *column, sort, cmds));
            }
            header.col(|ui| {
                ui.label("");
            });
        })
        .body(|body| {
            let lists: Vec<&OfferList> = sources.iter().map(|s| s.session.offers()).collect();
            body.rows(row_height, rows.len(), |mut row| {
                let Some((source, index)) = rows.get(row.index()) else {
                    return;
                };
                let Some(from) = sources.get(source) else {
                    return;
                };
                let offers = from.session.offers();
                let Some(offer) = offers.offers().get(index) else {
                    return;
                };
                let ceiling = settings.ceiling_for(&offer.service_code);
                let at = (source, index);
                let (delivery, instead) = row_record(rows, &lists, sources, at, offer, ceiling);
                let cells = RowCells {
                    favourites: &settings.favourites,
                    currency: &from.currency,
                    delivery: &delivery,
                    columns: &columns,
                    ceiling,
                    instead,
                    seller: several.then_some(from),
                };
                offer_row_ui(&mut row, offer, &cells, from.can_buy(), cmds);
            });
        });
}

/// A row's delivery figures, and for a sold-out offer what to buy instead: across every provider
/// when several are shown (the best value is one for all of them), else within its list.
fn row_record<'a>(
    rows: &TableRows<'_>,
    lists: &[&'a OfferList],
    sources: &'a [Source<'a>],
    (source, index): (usize, usize),
    offer: &Offer,
    ceiling: Option<rust_decimal::Decimal>,
) -> (crate::offers::OfferDelivery, Instead<'a>) {
    let Some(offers) = lists.get(source) else {
        return (crate::offers::OfferDelivery::default(), None);
    };
    let mut delivery = offers.delivery_at(index);
    let own = offer
        .sold_out()
        .then(|| offers.next_best_at(index, ceiling))
        .flatten();
    let instead = match rows {
        TableRows::Merged { across, .. } => {
            delivery.best_value = across.is_best(source, index);
            offer
                .sold_out()
                .then(|| across.instead(lists, source, offer, own, ceiling))
                .flatten()
                .map(|(l, o)| (o, sources.get(l)))
        }
        TableRows::One(_) => own.map(|o| (o, None)),
    };
    (delivery, instead)
}

/// For a sold-out offer: what to buy instead, and whose offer it is when several providers'
/// offers are shown.
type Instead<'a> = Option<(&'a Offer, Option<&'a Source<'a>>)>;

/// A column's header: click to sort by it. Only clicks: the header row is not eight Tab stops
/// (the "Sort by" list is its keyboard way).
fn header_button_ui(
    ui: &mut egui::Ui,
    column: Column,
    sort: Option<(Column, bool)>,
    cmds: &mut Vec<Command>,
) {
    let arrow = match sort {
        Some((c, true)) if c == column => " ⏶",
        Some((c, false)) if c == column => " ⏷",
        _ => "",
    };
    let label = egui::RichText::new(format!("{}{arrow}", describe::column(column))).strong();
    if ui
        .add(
            egui::Button::new(label)
                .frame(false)
                .sense(egui::Sense::CLICK),
        )
        .on_hover_text(if column == Column::Delivery {
            text::DELIVERY_HEADER_HINT
        } else {
            text::SORT_HEADER_HINT
        })
        .clicked()
    {
        cmds.push(Command::SortBy(Some(column)));
    }
}

/// What a row needs besides its offer.
struct RowCells<'a> {
    favourites: &'a std::collections::BTreeSet<String>,
    currency: &'a text::Currency,
    delivery: &'a crate::offers::OfferDelivery,
    /// The columns shown, between the pin and Buy.
    columns: &'a [Column],
    /// The price ceiling of Settings.
    ceiling: Option<rust_decimal::Decimal>,
    /// For a sold-out offer: what to buy instead.
    instead: Instead<'a>,
    /// Whose offer it is, when several providers' offers are shown.
    seller: Option<&'a Source<'a>>,
}

/// One offer. Plain cells are painted text, not labels: a visible row then costs two buttons
/// and one accessible description instead of ten widgets, which keeps a frame under a
/// millisecond with 10,000 offers.
fn offer_row_ui(
    row: &mut egui_extras::TableRow<'_, '_>,
    offer: &Offer,
    cells: &RowCells<'_>,
    can_buy: bool,
    cmds: &mut Vec<Command>,
) {
    let RowCells {
        favourites,
        currency,
        delivery,
        columns,
        ceiling,
        ..
    } = *cells;
    let above = ceiling.is_some_and(|max| offer.price > max);
    let sold_out = offer.sold_out();
    let country = country_name(&offer.country);
    let key = offer_key(offer);
    let fav = favourites.contains(&key);
    row.col(|ui| pin_cell_ui(ui, offer, key, fav, cmds));
    if let Some(seller) = cells.seller {
        row.col(|ui| super::offer_sources::seller_cell_ui(ui, seller));
    }
    let hidden = columns.len() < Column::ALL.len();
    for column in columns {
        row.col(|ui| match column {
            Column::Service => {
                let rect = cell_text_cut_ui(ui, &offer.name, sold_out);
                // The row as a screen reader reads it; on hover the full name, and the whole
                // row when some columns do not fit the window.
                let r = ui.interact(rect, ui.scope_id().with("offer"), egui::Sense::hover());
                let description = || row_description(offer, country, currency, delivery, fav);
                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Row, true, description()));
                if hidden {
                    r.on_hover_text_at_pointer(description());
                } else {
                    r.on_hover_text_at_pointer(&offer.name);
                }
            }
            Column::Code => {
                cell_text_ui(ui, &offer.service_code, sold_out);
            }
            Column::Country => {
                cell_text_ui(ui, country, sold_out);
            }
            Column::Server => {
                cell_text_ui(ui, &offer.server, sold_out);
            }
            Column::Provider => {
                cell_text_ui(ui, &offer.provider, sold_out);
            }
            Column::Price => {
                let price = super::delivery::price_text(offer, currency, delivery, fav);
                cell_text_ui(ui, &price, sold_out || above || !offer.has_usual_price());
            }
            Column::Stock if sold_out => {
                cell_text_ui(ui, "Sold out", true);
            }
            Column::Stock => {
                cell_text_ui(ui, &offer.qty.to_string(), false);
            }
            Column::Delivery => super::delivery::delivery_cell_ui(ui, delivery, sold_out),
        });
    }
    row.col(|ui| buy_cell_ui(ui, offer, cells, can_buy, cmds));
}

/// The pin (★): favourites come first.
fn pin_cell_ui(ui: &mut egui::Ui, offer: &Offer, key: String, fav: bool, cmds: &mut Vec<Command>) {
    let star = if fav { "★" } else { "☆" };
    let r = row_button_ui(ui, star, true, false);
    let what = if fav { "Unpin" } else { "Pin to top" };
    r.widget_info(|| {
        let country = country_name(&offer.country);
        let name = format!("{what}: {} {country}", offer.name);
        egui::WidgetInfo::labeled(egui::Role::Button, true, name)
    });
    if r.on_hover_text(what).clicked() {
        cmds.push(Command::ToggleFavourite(key));
    }
}

/// The Buy cell: Buy (greyed while a purchase is out, or above the price ceiling, saying why),
/// "Sold out", or for a sold-out offer with a next best, "Other server…".
fn buy_cell_ui(
    ui: &mut egui::Ui,
    offer: &Offer,
    cells: &RowCells<'_>,
    can_buy: bool,
    cmds: &mut Vec<Command>,
) {
    if let Some((next, whose)) = cells.instead {
        other_server_ui(ui, next, whose, cells, can_buy, cmds);
        return;
    }
    let sold_out = offer.sold_out();
    let above = cells.ceiling.is_some_and(|max| offer.price > max);
    let down = cells.seller.and_then(|s| s.down.as_deref());
    let enabled = can_buy && !sold_out && !above;
    let label = if sold_out { "Sold out" } else { "Buy" };
    let r = row_button_ui(ui, label, enabled, true);
    let r = if sold_out {
        r
    } else if let Some(why) = down {
        r.on_hover_text(why)
    } else if above {
        let max = text::money(cells.ceiling.unwrap_or_default(), cells.currency);
        r.on_hover_text(text::above_ceiling(&max))
    } else {
        r.on_disabled_hover_text(text::BUYING)
    };
    r.widget_info(|| {
        let country = country_name(&offer.country);
        let mut name = format!("Buy {} {country} server {}", offer.name, offer.server);
        if let Some(seller) = cells.seller {
            name = text::from_seller(&name, seller.name);
        }
        egui::WidgetInfo::labeled(egui::Role::Button, enabled, name)
    });
    if r.clicked() {
        let ask = Command::AskBuy(offer.clone());
        cmds.push(Source::command_of(cells.seller, ask));
    }
}

/// A sold-out offer's way on: "Other server…" opens the confirmation of its next best offer
/// (another provider's, `whose`, where that one is better).
fn other_server_ui(
    ui: &mut egui::Ui,
    next: &Offer,
    whose: Option<&Source<'_>>,
    cells: &RowCells<'_>,
    can_buy: bool,
    cmds: &mut Vec<Command>,
) {
    let elsewhere = whose.filter(|w| cells.seller.is_none_or(|s| s.id != w.id));
    let can_buy = elsewhere.map_or(can_buy, |w| w.can_buy());
    let r = row_button_ui(ui, text::OTHER_SERVER, can_buy, true);
    let price = describe::price(next, cells.currency);
    let hint = match elsewhere {
        Some(w) => describe::other_provider_hint(w.name, next, &price),
        None => describe::other_server_hint(next, &price),
    };
    r.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::Button,
            can_buy,
            format!("{} {hint}", text::OTHER_SERVER),
        )
    });
    if r.on_hover_text(hint).clicked() {
        let ask = Command::AskBuy(next.clone());
        cmds.push(Source::command_of(whose, ask));
    }
}

/// The row as a screen reader reads it.
fn row_description(
    offer: &Offer,
    country: &str,
    currency: &text::Currency,
    delivery: &crate::offers::OfferDelivery,
    favourite: bool,
) -> String {
    let qty = if offer.sold_out() {
        "Sold out".to_owned()
    } else {
        format!("{} available", offer.qty)
    };
    format!(
        "{} ({}), {country}, server {}, provider {}, price {}, {qty}{}",
        offer.name,
        offer.service_code,
        offer.server,
        offer.provider,
        describe::price(offer, currency),
        super::delivery::spoken(offer, delivery, favourite)
    )
}

/// A button for table rows that looks like egui's but skips its general layout (each visible row
/// has two in every frame). A disabled one shows greyed and ignores clicks; its accessible name
/// and state are set by the caller through `widget_info`.
fn row_button_ui(ui: &mut egui::Ui, text: &str, enabled: bool, framed: bool) -> egui::Response {
    let font = egui::TextStyle::Button.resolve(ui.style());
    let galley = ui
        .painter()
        .layout_no_wrap(text.to_owned(), font, egui::Color32::PLACEHOLDER);
    let padding = ui.spacing().button_padding;
    let size = (galley.size() + 2.0 * padding).max(egui::vec2(0.0, ui.spacing().interact_size.y));
    let sense = if enabled {
        egui::Sense::click()
    } else {
        egui::Sense::hover()
    };
    let (rect, response) = ui.allocate_exact_size(size, sense);
    if ui.is_rect_visible(rect) {
        let visuals = if enabled {
            ui.style().interact(&response)
        } else {
            &ui.visuals().widgets.noninteractive
        };
        if framed || response.hovered() || response.has_focus() {
            ui.painter().rect(
                rect.expand(visuals.expansion),
                visuals.corner_radius,
                visuals.weak_bg_fill,
                visuals.bg_stroke,
                egui::StrokeKind::Inside,
            );
        }
        let color = if enabled {
            visuals.text_color()
        } else {
            ui.visuals().weak_text_color()
        };
        let pos = rect.center() - galley.size() / 2.0;
        ui.painter().galley(pos, galley, color);
    }
    response
}

/// Paints one line of text in a table cell and takes its room; greyed for sold-out offers.
pub(super) fn cell_text_ui(ui: &mut egui::Ui, text: &str, weak: bool) -> egui::Rect {
    let color = cell_color(ui, weak);
    let font = egui::TextStyle::Body.resolve(ui.style());
    let galley = ui.painter().layout_no_wrap(text.to_owned(), font, color);
    let (_, rect) = ui.allocate_space(galley.size());
    ui.painter().galley(rect.min, galley, color);
    rect
}

fn cell_color(ui: &egui::Ui, weak: bool) -> egui::Color32 {
    if weak {
        ui.visuals().weak_text_color()
    } else {
        ui.visuals().text_color()
    }
}

/// As `cell_text_ui`, cut with "…" where the column is narrower than the text: for the service
/// name, whose column takes the room left (its whole name is in the row's tooltip and in what a
/// screen reader reads). Columns that size to their content use `cell_text_ui`.
fn cell_text_cut_ui(ui: &mut egui::Ui, text: &str, weak: bool) -> egui::Rect {
    let color = cell_color(ui, weak);
    let font = egui::TextStyle::Body.resolve(ui.style());
    let mut job = egui::text::LayoutJob::simple_singleline(text.to_owned(), font, color);
    job.wrap = egui::text::TextWrapping {
        max_width: ui.available_width().max(8.0),
        max_rows: 1,
        break_anywhere: true,
        overflow_character: Some('…'),
    };
    let galley = ui.painter().layout_job(job);
    let (_, rect) = ui.allocate_space(galley.size());
    ui.painter().galley(rect.min, galley, color);
    rect
}

/// The labels' column of the confirmation, as wide as its longest label from the first frame: a
/// row that appears (the balance at worst) never pushes the values (and "+") sideways.
fn labels_width(ui: &egui::Ui) -> f32 {
    let font = egui::TextStyle::Body.resolve(ui.style());
    ui.painter()
        .layout_no_wrap(
            text::BALANCE_AFTER_AT_WORST.to_owned(),
            font,
            egui::Color32::WHITE,
        )
        .size()
        .x
}

/// The purchase confirmation: what, where, the price and the balance after; how many numbers,
/// and replace-if-no-code (`buy_options`). Its buttons: `confirm_buy_buttons_ui`.
#[allow(clippy::too_many_arguments)]
pub fn confirm_buy_ui(
    ui: &mut egui::Ui,
    session: &Session,
    provider: Option<&str>,
    offer: &Offer,
    settings: &Settings,
    form: &mut super::buy_options::BuyForm,
    cmds: &mut Vec<Command>,
) {
    let currency = session.currency(&settings.currency);
    let cost = super::buy_options::total(offer, form.quantity);
    ui.heading(text::buy_title(usize::from(form.quantity)));
    ui.add_space(6.0);
    egui::Grid::new("confirm_buy")
        .num_columns(2)
        .min_col_width(labels_width(ui))
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            if let Some(name) = provider {
                ui.label(text::PROVIDER_COLUMN);
                ui.label(egui::RichText::new(name).strong());
                ui.end_row();
            }
            ui.label("Service");
            ui.label(
                egui::RichText::new(format!("{} ({})", offer.name, offer.service_code)).strong(),
            );
            ui.end_row();
            ui.label("Country");
            ui.label(country_name(&offer.country));
            ui.end_row();
            ui.label("Server");
            ui.label(&offer.server);
            ui.end_row();
            ui.label("Price");
            ui.label(egui::RichText::new(describe::price(offer, &currency)).strong());
            ui.end_row();
            super::buy_options::quantity_rows_ui(ui, form, offer, &currency);
            if let Some((balance, _)) = session.balance() {
                ui.label("Balance after");
                let after = cost
                    .and_then(|cost| crate::api::amount::balance_after(Some(balance), cost).ok())
                    .filter(|_| offer.has_usual_price());
                match after {
                    Some(Some(after)) if !after.is_sign_negative() => {
                        ui.label(text::money(after, &currency))
                    }
                    Some(after) => ui.label(
                        egui::RichText::new(text::not_enough(&text::money(
                            after.unwrap_or_default(),
                            &currency,
                        )))
                        .color(ui.visuals().error_fg_color),
                    ),
                    None => ui.label(
                        egui::RichText::new(text::UNUSUAL_AMOUNT_REFUSED)
                            .color(ui.visuals().error_fg_color),
                    ),
                };
                ui.end_row();
                // With replacements, what they may spend too.
                let limit = super::buy_options::spend_limit(form).filter(|_| form.replace);
                if let (Some(limit), Some(Some(after))) = (limit, after) {
                    ui.label(text::BALANCE_AFTER_AT_WORST);
                    ui.label(text::money(after.saturating_sub(limit), &currency));
                    ui.end_row();
                }
            }
        });
    if settings.above_ceiling(offer) {
        let ceiling = settings.ceiling_for(&offer.service_code);
        let max = text::money(ceiling.unwrap_or_default(), &currency);
        ui.label(egui::RichText::new(text::above_ceiling(&max)).color(ui.visuals().error_fg_color));
    }
    super::buy_options::quantity_note_ui(ui, form, offer);
    // Delivery record: how often this server delivered a code.
    super::delivery::delivery_sentence_ui(ui, session, offer);
    ui.add_space(8.0);
    let lock_secs = session.cancel_lock_secs(settings.cancel_lock_ms());
    ui.label(text::buy_terms(lock_secs));
    ui.add_space(6.0);
    let ceiling = settings.ceiling_for(&offer.service_code);
    super::buy_options::fallback_ui(ui, form, offer, session.offers(), ceiling);
    super::buy_options::service_ceiling_ui(ui, form, offer, settings, cmds);
    super::buy_options::replace_options_ui(ui, form, offer, session.offers(), &currency, lock_secs);
}

/// The confirmation's buttons, under its (scrolling) body.
#[allow(clippy::too_many_arguments)] // the dialog's inputs, each used once
pub fn confirm_buy_buttons_ui(
    ui: &mut egui::Ui,
    session: &Session,
    offer: &Offer,
    settings: &Settings,
    shared: &Shared<'_>,
    enter: bool,
    form: &mut super::buy_options::BuyForm,
    cmds: &mut Vec<Command>,
) {
    let currency = session.currency(&settings.currency);
    let buying = shared.busy.buying || session.batch().is_some() || settings.above_ceiling(offer);
    let price = describe::price(offer, &currency);
    super::buy_options::buy_buttons_ui(ui, offer, form, &price, &currency, !buying, enter, cmds);
}
