//! The rating summary (average, count, distribution) and reviews, five at a time.

use api_client::types::{RatingSummary, ReviewPage};
use design_system::{Button, ButtonVariant, Rating};
use leptos::prelude::*;

use crate::api;

/// `first_page` is the page the edge already read: shown at once, not asked for again.
#[component]
pub fn Reviews(
    slug: String,
    summary: RatingSummary,
    first_page: Option<ReviewPage>,
) -> impl IntoView {
    let slug = StoredValue::new(slug);
    let given = first_page.is_some();
    let (items, cursor) =
        first_page.map_or((Vec::new(), None), |page| (page.items, page.next_cursor));
    let reviews = RwSignal::new(items);
    let next_cursor = RwSignal::new(cursor);
    let error = RwSignal::new(None::<String>);
    let load = micro_app::task(move |cursor: &Option<String>| {
        let cursor = cursor.clone();
        async move {
            match api::reviews(&slug.get_value(), cursor).await {
                Ok(page) => {
                    reviews.update(|reviews| reviews.extend(page.items));
                    next_cursor.set(page.next_cursor);
                    error.set(None);
                }
                Err(message) => error.set(Some(message)),
            }
        }
    });
    if !given {
        load.dispatch(None);
    }
    let loading = load.pending();
    let total = summary.count;
    let distribution = {
        let mut buckets = summary.distribution.clone();
        buckets.sort_by_key(|bucket| std::cmp::Reverse(bucket.stars));
        buckets
    };
    view! {
        <section class="tpd-reviews" aria-labelledby="tpd-reviews-title">
            <h2 id="tpd-reviews-title" class="tpd-section-title">"Reviews"</h2>
            {if summary.count == 0 {
                view! { <p class="tpd-reviews__empty">"No reviews yet."</p> }.into_any()
            } else {
                view! {
                    <div class="tpd-reviews__summary" data-testid="rating-summary">
                        <Rating value=summary.average count=u32::try_from(summary.count).unwrap_or(u32::MAX)/>
                        <ul class="tpd-reviews__distribution">
                            {distribution.into_iter().map(|bucket| {
                                let percent = percent_of(bucket.count, total);
                                view! {
                                    <li>
                                        <span class="tpd-reviews__stars">{format!("{} stars", bucket.stars)}</span>
                                        <span class="tpd-reviews__bar" aria-hidden="true">
                                            <span style=format!("width:{percent}%")></span>
                                        </span>
                                        <span class="tpd-reviews__count">{bucket.count}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </div>
                }.into_any()
            }}
            <ol class="tpd-reviews__list">
                <For each=move || reviews.get() key=|review| review.id.clone() let:review>
                    <li class="tpd-review" data-review=review.id.clone()>
                        <Rating value=f64::from(review.rating)/>
                        {review.title.clone().map(|title| view! { <h3 class="tpd-review__title">{title}</h3> })}
                        <p class="tpd-review__body">{review.body.clone()}</p>
                        <p class="tpd-review__meta">
                            {review.author_name.clone()}
                            {review.verified_purchase.then_some(" · Verified purchase")}
                            " · "
                            {review.created_at.get(..10).unwrap_or_default().to_owned()}
                        </p>
                    </li>
                </For>
            </ol>
            {move || error.get().map(|message| view! { <p class="tpd-reviews__error" role="alert">{message}</p> })}
            {move || next_cursor.get().map(|cursor| view! {
                <Button
                    variant=ButtonVariant::Secondary
                    loading=loading
                    on_click=Callback::new(move |_| { load.dispatch(Some(cursor.clone())); })
                >
                    "Show more reviews"
                </Button>
            })}
        </section>
    }
}

/// `count` as a whole percentage of `total`, rounded to nearest. Integer arithmetic: printing a
/// float would link Rust's float formatting into the bundle for one bar width.
fn percent_of(count: i64, total: i64) -> i64 {
    if total <= 0 {
        return 0;
    }
    (count.clamp(0, total) * 200 + total) / (total * 2)
}

#[cfg(test)]
mod tests {
    use super::percent_of;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn bar_widths_are_rounded_whole_percentages() {
        assert_eq!(percent_of(1, 3), 33);
        assert_eq!(percent_of(2, 3), 67);
        assert_eq!(percent_of(1, 8), 13);
        assert_eq!(percent_of(5, 5), 100);
        assert_eq!(percent_of(0, 0), 0);
        assert_eq!(percent_of(7, 5), 100);
    }
}
