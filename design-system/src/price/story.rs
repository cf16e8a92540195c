//! Stories of `Price`. Gallery only.

use leptos::prelude::*;

use super::Price;
use crate::stories::{ComponentStories, Control, ControlKind, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories {
    name: "Price",
    slug: "price",
    description: "Money in minor units, formatted by the browser (Intl.NumberFormat).",
    controls: &[
        Control {
            key: "amount",
            label: "Amount (minor units)",
            kind: ControlKind::Number {
                min: 0.0,
                max: 10_000_000.0,
                step: 1.0,
            },
            default: "1299",
        },
        Control {
            key: "compare_at",
            label: "Compare-at (minor units, 0 = none)",
            kind: ControlKind::Number {
                min: 0.0,
                max: 10_000_000.0,
                step: 1.0,
            },
            default: "0",
        },
        Control {
            key: "currency",
            label: "Currency",
            kind: ControlKind::Choice(&["USD", "EUR", "JPY", "GBP", "KWD"]),
            default: "USD",
        },
        Control {
            key: "locale",
            label: "Locale",
            kind: ControlKind::Choice(&["en-US", "de-DE", "fr-FR", "ja-JP", "en-GB"]),
            default: "en-US",
        },
    ],
    stories: &[
        Story {
            name: "Regular",
            slug: "regular",
            description: "A plain price.",
            presets: &[],
            render,
            snippet: r#"<Price amount_minor=1299 currency="USD"/>"#,
        },
        Story {
            name: "Sale",
            slug: "sale",
            description: "Compare-at price struck through, with the saving.",
            presets: &[("compare_at", "1999")],
            render,
            snippet: r#"<Price amount_minor=1299 compare_at_minor=1999 currency="USD"/>"#,
        },
        Story {
            name: "Euro in German",
            slug: "eur-de",
            description: "Locale decides separators and symbol position.",
            presets: &[("currency", "EUR"), ("locale", "de-DE")],
            render,
            snippet: r#"<Price amount_minor=1299 currency="EUR" locale="de-DE"/>"#,
        },
        Story {
            name: "Yen",
            slug: "jpy",
            description: "JPY has no minor unit: 1299 means ¥1,299.",
            presets: &[("currency", "JPY")],
            render,
            snippet: r#"<Price amount_minor=1299 currency="JPY"/>"#,
        },
    ],
};

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
