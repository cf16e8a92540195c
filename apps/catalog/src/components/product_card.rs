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
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    async fn a_card_links_to_its_product_and_shows_price_rating_and_stock() {
        let document = web_sys::window().unwrap().document().unwrap();
        let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&host).unwrap();
        let item: ProductSummary = json_codec::from_str(
            r#"{"id":"1","slug":"crew","title":"Crew","brand":"Northwind",
                "price":{"amount":8900,"currency":"USD"},"compareAtPrice":{"amount":9900,"currency":"USD"},
                "availability":{"status":"low_stock","remaining":3},"ratingAverage":4.5,"ratingCount":12}"#,
        )
        .unwrap();
        let mounted = leptos::mount::mount_to(host.clone(), move || {
            view! { <ProductGrid items=vec![item]/> }
        });
        leptos::task::tick().await;
        let find = |selector: &str| host.query_selector(selector).unwrap().unwrap();
        assert_eq!(
            find(".tca-card__link").get_attribute("href").as_deref(),
            Some("/products/crew")
        );
        assert_eq!(
            find("[data-stock=low]").text_content().unwrap(),
            "Only 3 left"
        );
        let text = host.text_content().unwrap();
        assert!(text.contains("$89.00") && text.contains("$99.00"), "{text}");
        assert!(text.contains("(12)"), "the rating's count: {text}");
        drop(mounted);
    }

    #[wasm_bindgen_test]
    fn low_stock_says_how_many_are_left() {
        assert_eq!(
            stock_note(&Availability::LowStock { remaining: 3 }),
            Some(("low", "Only 3 left".into()))
        );
        assert_eq!(stock_note(&Availability::InStock), None);
    }
}
