//! Which columns of the offers table fit the window: the pin, the service, the price and Buy
//! always; the others as room allows, the least needed hidden first. A hidden column's value is
//! still in the row's tooltip and in what a screen reader reads.

use crate::offers::Column;

/// The pin (★) column and the Buy column, always shown.
pub const PIN_WIDTH: f32 = 28.0;
/// The Provider column, shown when more than one provider's offers are in the table.
pub const SELLER_WIDTH: f32 = 96.0;
/// Room for "Buy", "Sold out" and "Other server…".
pub const BUY_WIDTH: f32 = 110.0;

/// The columns that may be hidden, the most needed first: the last is hidden first.
const OPTIONAL: [Column; 6] = [
    Column::Country,
    Column::Stock,
    Column::Server,
    Column::Delivery,
    Column::Code,
    Column::Provider,
];

/// The narrowest a column may be drawn.
pub fn min_width(column: Column) -> f32 {
    match column {
        Column::Service => 120.0,
        Column::Code => 50.0,
        Column::Country => 110.0,
        Column::Server => 60.0,
        Column::Provider => 70.0,
        Column::Price => 70.0,
        Column::Stock => 60.0,
        Column::Delivery => 90.0,
    }
}

/// The columns shown in a table `width` wide, whose cells are `spacing` apart, in table order
/// (`Column::ALL`), pin and Buy not included.
pub fn shown_columns(width: f32, spacing: f32) -> Vec<Column> {
    let always = [Column::Service, Column::Price];
    let mut used = PIN_WIDTH + BUY_WIDTH + spacing * 2.0;
    used += always.iter().map(|c| min_width(*c) + spacing).sum::<f32>();
    let mut chosen: Vec<Column> = always.to_vec();
    for column in OPTIONAL {
        let need = min_width(column) + spacing;
        if used + need > width {
            break;
        }
        used += need;
        chosen.push(column);
    }
    Column::ALL
        .into_iter()
        .filter(|c| chosen.contains(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_hidden_least_needed_first_and_the_rest_keep_their_order() {
        use Column::*;
        let all = Column::ALL.to_vec();
        // (width, columns shown)
        let table: [(f32, Vec<Column>); 7] = [
            (1400.0, all.clone()),
            (848.0, all),
            (
                800.0,
                vec![Service, Code, Country, Server, Price, Stock, Delivery],
            ),
            (
                720.0,
                vec![Service, Country, Server, Price, Stock, Delivery],
            ),
            (650.0, vec![Service, Country, Server, Price, Stock]),
            (480.0, vec![Service, Country, Price]),
            (300.0, vec![Service, Price]),
        ];
        for (width, expected) in table {
            assert_eq!(shown_columns(width, 8.0), expected, "at {width}");
        }
    }

    #[test]
    fn what_is_shown_fits_the_width_it_was_given() {
        for width in (360..1500).step_by(7) {
            #[allow(clippy::cast_precision_loss)] // small whole numbers
            let width = width as f32;
            let shown = shown_columns(width, 8.0);
            let used: f32 = PIN_WIDTH
                + BUY_WIDTH
                + 16.0
                + shown.iter().map(|c| min_width(*c) + 8.0).sum::<f32>();
            assert!(used <= width, "{used} > {width}: {shown:?}");
        }
    }
}
