//! Related products as plain links: the shell sees the click and mounts the other product.

use api_client::types::ProductSummary;
use design_system::{Image, Price};
use leptos::prelude::*;

use crate::api;

/// `items` are the ones the edge already read: shown at once, not asked for again.
#[component]
pub fn RelatedProducts(slug: String, items: Option<Vec<ProductSummary>>) -> impl IntoView {
    let related = micro_app::load_from(items.map(Ok), move || {
        let slug = slug.clone();
        async move { api::related(&slug).await }
    });
    view! {
        <section class="tpd-related" aria-labelledby="tpd-related-title">
            <h2 id="tpd-related-title" class="tpd-section-title">"You may also like"</h2>
            {move || match related.get() {
                    None => view! { <div class="tpd-related__placeholder"></div> }.into_any(),
                    Some(Ok(items)) if items.is_empty() => ().into_any(),
                    Some(Ok(items)) => view! {
                        <ul class="tpd-related__list">
                            {items.into_iter().map(|item| view! {
                                <li class="tpd-related__item">
                                    <a class="tpd-related__link" href=format!("/products/{}", item.slug) data-related=item.slug.clone()>
                                        {item.image.map(|image| view! {
                                            <Image
                                                src=image.url
                                                alt=image.alt
                                                width=u32::try_from(image.width).unwrap_or(0)
                                                height=u32::try_from(image.height).unwrap_or(0)
                                            />
                                        })}
                                        <span class="tpd-related__title">{item.title}</span>
                                    </a>
                                    <Price amount_minor=item.price.amount currency=item.price.currency/>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Some(Err(message)) => view! { <p class="tpd-related__error">{message}</p> }.into_any(),
            }}
        </section>
    }
}
