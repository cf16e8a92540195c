//! Variant selection as plain data: which variant a set of chosen option values names, which
//! values can still be chosen given the options before them, where a later option moves when an
//! earlier choice leaves it without stock, and how many units a variant allows. No view code, so
//! every rule here is tested directly.

use api_client::types::{Availability, Product, Variant};

/// The chosen value per option, in the product's option order (`None`: not chosen yet).
pub type Choices = Vec<(String, Option<String>)>;

/// The contract's per-line ceiling when stock does not bound it (in stock, preorder).
const MAX_PER_LINE: u32 = 99;

fn value_of<'a>(variant: &'a Variant, option: &str) -> Option<&'a str> {
    variant
        .option_values
        .iter()
        .find(|selected| selected.option == option)
        .map(|selected| selected.value.as_str())
}

pub fn is_purchasable(variant: &Variant) -> bool {
    !matches!(variant.availability, Availability::OutOfStock)
}

/// The choices a page opens with: those of the variant named in the URL, else of the first
/// variant that can be bought, else of the first variant.
pub fn initial_choices(product: &Product, requested_variant: Option<&str>) -> Choices {
    let variant = requested_variant
        .and_then(|id| product.variants.iter().find(|variant| variant.id == id))
        .or_else(|| {
            product
                .variants
                .iter()
                .find(|variant| is_purchasable(variant))
        })
        .or_else(|| product.variants.first());
    product
        .options
        .iter()
        .map(|option| {
            let value = variant.and_then(|variant| value_of(variant, &option.name));
            (option.name.clone(), value.map(str::to_owned))
        })
        .collect()
}

/// The variant whose option values are exactly the choices, if every option is chosen.
pub fn chosen_variant<'a>(product: &'a Product, choices: &Choices) -> Option<&'a Variant> {
    product.variants.iter().find(|variant| {
        choices.iter().all(|(option, value)| {
            value
                .as_deref()
                .is_some_and(|value| value_of(variant, option) == Some(value))
        })
    })
}

/// The position of `option` among the product's options.
fn position(product: &Product, option: &str) -> usize {
    product
        .options
        .iter()
        .position(|candidate| candidate.name == option)
        .unwrap_or(usize::MAX)
}

/// Whether choosing `value` for `option` can lead to a variant that exists and can be bought,
/// given the choices of the options before it. Options are chosen in order (colour, then size):
/// a colour stays choosable while any of its sizes is in stock, and later options follow it.
pub fn can_choose(product: &Product, choices: &Choices, option: &str, value: &str) -> bool {
    let before = position(product, option);
    product.variants.iter().any(|variant| {
        is_purchasable(variant)
            && value_of(variant, option) == Some(value)
            && choices
                .iter()
                .filter(|(other, _)| position(product, other) < before)
                .all(|(other, chosen)| match chosen {
                    Some(chosen) => value_of(variant, other) == Some(chosen.as_str()),
                    None => true,
                })
    })
}

/// A later option moved to fit an earlier choice: its label, the value that no longer fits and
/// the one chosen instead (labels as shown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moved {
    pub from: String,
    pub to: String,
    /// The earlier choices it had to fit, such as "Navy".
    pub within: String,
}

impl Moved {
    /// What the shopper is told: "S isn't available in Navy, so we chose M."
    pub fn message(&self) -> String {
        if self.within.is_empty() {
            format!("{} isn't available, so we chose {}.", self.from, self.to)
        } else {
            format!(
                "{} isn't available in {}, so we chose {}.",
                self.from, self.within, self.to
            )
        }
    }
}

/// After the shopper changed a choice: each later option whose value no longer leads to a
/// variant that can be bought moves to the nearest value that does (by the option's own order,
/// the next larger on a tie). Returns the settled choices and what moved.
pub fn settle(product: &Product, choices: &Choices) -> (Choices, Vec<Moved>) {
    let mut settled = choices.clone();
    let mut moved = Vec::new();
    for index in 0..settled.len() {
        let (option, Some(value)) = settled[index].clone() else {
            continue;
        };
        if can_choose(product, &settled, &option, &value) {
            continue;
        }
        let Some(values) = product
            .options
            .iter()
            .find(|candidate| candidate.name == option)
            .map(|option| &option.values)
        else {
            continue;
        };
        let here = values.iter().position(|candidate| candidate.value == value);
        let nearest = values
            .iter()
            .enumerate()
            .filter(|(_, candidate)| can_choose(product, &settled, &option, &candidate.value))
            .min_by_key(|(at, _)| {
                let distance = here.map_or(0, |here| at.abs_diff(here));
                // On a tie the larger size wins: a little room beats a tight fit.
                (distance, here.is_some_and(|here| *at < here))
            });
        let Some((_, replacement)) = nearest else {
            continue;
        };
        let label = |value: &str| {
            values
                .iter()
                .find(|candidate| candidate.value == value)
                .map_or_else(|| value.to_owned(), |candidate| candidate.label.clone())
        };
        let within = settled[..index]
            .iter()
            .filter_map(|(earlier, chosen)| {
                let chosen = chosen.as_deref()?;
                product
                    .options
                    .iter()
                    .find(|candidate| candidate.name == *earlier)?
                    .values
                    .iter()
                    .find(|candidate| candidate.value == chosen)
                    .map(|candidate| candidate.label.clone())
            })
            .collect::<Vec<_>>()
            .join(" ");
        moved.push(Moved {
            from: label(&value),
            to: replacement.label.clone(),
            within,
        });
        settled[index].1 = Some(replacement.value.clone());
    }
    (settled, moved)
}

/// How many units of a variant one add may ask for: 0 when sold out.
pub fn max_quantity(availability: &Availability) -> u32 {
    match availability {
        Availability::OutOfStock => 0,
        Availability::LowStock { remaining } => u32::try_from(*remaining).unwrap_or(0),
        Availability::InStock | Availability::Preorder { .. } => MAX_PER_LINE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_client::types::{
        Money, OptionValue, PriceRange, ProductOption, RatingSummary, SelectedOption,
    };
    use wasm_bindgen_test::wasm_bindgen_test;

    fn variant(id: &str, colour: &str, size: &str, availability: Availability) -> Variant {
        let selected = |option: &str, value: &str| SelectedOption {
            option: option.into(),
            option_label: None,
            value: value.into(),
            value_label: None,
        };
        Variant {
            availability,
            compare_at_price: None,
            id: id.into(),
            image: None,
            option_values: vec![selected("color", colour), selected("size", size)],
            price: Money {
                amount: 1000,
                currency: "EUR".into(),
            },
            sku: id.into(),
        }
    }

    fn option(name: &str, values: &[&str]) -> ProductOption {
        ProductOption {
            label: name.into(),
            name: name.into(),
            values: values
                .iter()
                .map(|value| OptionValue {
                    label: (*value).into(),
                    swatch: None,
                    value: (*value).into(),
                })
                .collect(),
        }
    }

    /// Red comes in S (sold out) and M; blue only in M (low stock). There is no blue S.
    fn product() -> Product {
        let money = Money {
            amount: 1000,
            currency: "EUR".into(),
        };
        Product {
            brand: "b".into(),
            categories: vec![],
            description: String::new(),
            id: "p".into(),
            media: vec![],
            options: vec![
                option("color", &["red", "blue"]),
                option("size", &["s", "m"]),
            ],
            price_range: PriceRange {
                max: money.clone(),
                min: money,
            },
            rating: RatingSummary {
                average: 0.0,
                count: 0,
                distribution: vec![],
            },
            slug: "p".into(),
            title: "P".into(),
            updated_at: String::new(),
            variants: vec![
                variant("red-s", "red", "s", Availability::OutOfStock),
                variant("red-m", "red", "m", Availability::InStock),
                variant(
                    "blue-m",
                    "blue",
                    "m",
                    Availability::LowStock { remaining: 3 },
                ),
            ],
        }
    }

    fn choices(colour: Option<&str>, size: Option<&str>) -> Choices {
        vec![
            ("color".into(), colour.map(str::to_owned)),
            ("size".into(), size.map(str::to_owned)),
        ]
    }

    #[wasm_bindgen_test]
    fn the_url_variant_wins_and_otherwise_the_first_buyable_one() {
        let product = product();
        assert_eq!(
            initial_choices(&product, Some("blue-m")),
            choices(Some("blue"), Some("m"))
        );
        assert_eq!(
            initial_choices(&product, None),
            choices(Some("red"), Some("m"))
        );
        assert_eq!(
            initial_choices(&product, Some("no-such-variant")),
            choices(Some("red"), Some("m"))
        );
    }

    #[wasm_bindgen_test]
    fn a_variant_is_chosen_only_when_every_option_matches() {
        let product = product();
        let id = |choices: &Choices| chosen_variant(&product, choices).map(|v| v.id.clone());
        assert_eq!(
            id(&choices(Some("blue"), Some("m"))).as_deref(),
            Some("blue-m")
        );
        assert_eq!(id(&choices(Some("blue"), Some("s"))), None);
        assert_eq!(id(&choices(Some("blue"), None)), None);
    }

    #[wasm_bindgen_test]
    fn sold_out_and_impossible_combinations_cannot_be_chosen() {
        let product = product();
        let red_m = choices(Some("red"), Some("m"));
        // S with red is sold out; S with blue does not exist.
        assert!(!can_choose(&product, &red_m, "size", "s"));
        assert!(!can_choose(
            &product,
            &choices(Some("blue"), Some("m")),
            "size",
            "s"
        ));
        assert!(can_choose(&product, &red_m, "color", "blue"));
        assert!(can_choose(&product, &choices(None, None), "color", "red"));
    }

    #[wasm_bindgen_test]
    fn a_colour_stays_choosable_while_any_of_its_sizes_is_in_stock() {
        let product = product();
        // Red S is sold out, red M is not: with S chosen, red can still be picked.
        assert!(can_choose(
            &product,
            &choices(Some("blue"), Some("s")),
            "color",
            "red"
        ));
        let (settled, moved) = settle(&product, &choices(Some("red"), Some("s")));
        assert_eq!(settled, choices(Some("red"), Some("m")));
        assert_eq!(
            moved,
            [Moved {
                from: "s".into(),
                to: "m".into(),
                within: "red".into()
            }]
        );
        assert_eq!(
            moved[0].message(),
            "s isn't available in red, so we chose m."
        );
        let (settled, moved) = settle(&product, &choices(Some("red"), Some("m")));
        assert_eq!(settled, choices(Some("red"), Some("m")));
        assert!(moved.is_empty(), "a buyable choice stays as it is");
    }

    #[wasm_bindgen_test]
    fn the_quantity_is_bounded_by_stock() {
        assert_eq!(max_quantity(&Availability::OutOfStock), 0);
        assert_eq!(max_quantity(&Availability::LowStock { remaining: 3 }), 3);
        assert_eq!(max_quantity(&Availability::InStock), 99);
    }
}
