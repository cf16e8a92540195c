//! Product cards in a grid: picture, brand, title, price (struck-through regular price on sale),
//! rating and a word on stock ("Only 3 left", "Sold out", "Preorder"). Each card is a plain link:
//! the shell sees the click and mounts the product page.

use api_client::types::{Availability, ProductSummary};
use design_system::{Image, Price, Rating};
use leptos::prelude::*;

#[component]
pub fn ProductGrid(
    items: Vec<ProductSummary>,
    #[prop(optional)] label: &'static str,
) -> impl IntoView {
    view! {
        <ul class="tca-grid" aria-label=(!label.is_empty()).then_some(label)>
            {items
                .into_iter()
                .map(|item| view! { <li class="tca-grid__item"><ProductCard item/></li> })
                .collect_view()}
        </ul>
    }
}

#[component]
fn ProductCard(item: ProductSummary) -> impl IntoView {
    let stock = stock_note(&item.availability);
    let rating = item
        .rating_average
        .zip(item.rating_count.filter(|count| *count > 0));
    view! {
        <article class="tca-card" data-product=item.slug.clone()>
            <a class="tca-card__link" href=format!("/products/{}", item.slug)>
                <span class="tca-card__picture">
                    {item.image.map(|image| view! {
                        <Image
                            src=image.url
                            alt=image.alt
                            width=u32::try_from(image.width).unwrap_or(0)
                            height=u32::try_from(image.height).unwrap_or(0)
                        />
                    })}
                </span>
                <span class="tca-card__brand">{item.brand}</span>
                <span class="tca-card__title">{item.title}</span>
            </a>
            <Price
                amount_minor=item.price.amount
                currency=item.price.currency
                compare_at_minor=item.compare_at_price.map(|price| price.amount)
            />
            {rating.map(|(average, count)| view! {
                <Rating value=average count=u32::try_from(count).unwrap_or(u32::MAX)/>
            })}
            {stock.map(|(state, text)| view! {
                <p class="tca-card__stock" data-stock=state>{text}</p>
            })}
        </article>
    }
}

/// What a card says about stock, when it has something to say.
fn stock_note(availability: &Availability) -> Option<(&'static str, String)> {
    match availability {
        Availability::InStock => None,
        Availability::LowStock { remaining } => Some(("low", format!("Only {remaining} left"))),
        Availability::OutOfStock => Some(("out", "Sold out".into())),
        Availability::Preorder { expected_at } => {
            Some(("preorder", format!("Preorder, ships from {expected_at}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn low_stock_says_how_many_are_left() {
        assert_eq!(
            stock_note(&Availability::LowStock { remaining: 3 }),
            Some(("low", "Only 3 left".into()))
        );
        assert_eq!(stock_note(&Availability::InStock), None);
    }
}
