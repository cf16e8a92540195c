//! Stories of `Price`. Gallery only.

use leptos::prelude::*;

use super::Price;
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("Price", "price")
    .about("Money in minor units, formatted by the browser (Intl.NumberFormat).")
    .controls(&[
        Control::number(
            "amount",
            "Amount (minor units)",
            (0.0, 10_000_000.0, 1.0),
            "1299",
        ),
        Control::number(
            "compare_at",
            "Compare-at (minor units, 0 = none)",
            (0.0, 10_000_000.0, 1.0),
            "0",
        ),
        Control::choice(
            "currency",
            "Currency",
            &["USD", "EUR", "JPY", "GBP", "KWD"],
            "USD",
        ),
        Control::choice(
            "locale",
            "Locale",
            &["en-US", "de-DE", "fr-FR", "ja-JP", "en-GB"],
            "en-US",
        ),
    ])
    .stories(&[
        Story::new("Regular", "regular", render)
            .about("A plain price.")
            .snippet(r#"<Price amount_minor=1299 currency="USD"/>"#),
        Story::new("Sale", "sale", render)
            .about("Compare-at price struck through, with the saving.")
            .presets(&[("compare_at", "1999")])
            .snippet(r#"<Price amount_minor=1299 compare_at_minor=1999 currency="USD"/>"#),
        Story::new("Euro in German", "eur-de", render)
            .about("Locale decides separators and symbol position.")
            .presets(&[("currency", "EUR"), ("locale", "de-DE")])
            .snippet(r#"<Price amount_minor=1299 currency="EUR" locale="de-DE"/>"#),
        Story::new("Yen", "jpy", render)
            .about("JPY has no minor unit: 1299 means ¥1,299.")
            .presets(&[("currency", "JPY")])
            .snippet(r#"<Price amount_minor=1299 currency="JPY"/>"#),
    ]);

fn render(controls: StoryControls) -> AnyView {
    let amount = controls.number("amount");
    let compare_at = controls.number("compare_at");
    let locale = controls.text("locale");
    view! {
        <Price
            amount_minor=Signal::derive(move || amount.get() as i64)
            compare_at_minor=Signal::derive(move || Some(compare_at.get() as i64).filter(|value| *value > 0))
            currency=controls.text("currency")
            locale=Signal::derive(move || Some(locale.get()))
        />
    }
    .into_any()
}
