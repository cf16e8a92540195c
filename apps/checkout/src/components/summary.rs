//! The order summary beside every step: lines, promotion and totals of the checkout once it
//! exists (it adds shipping), otherwise of the cart.

use api_client::types::{Media, Money, SelectedOption, Totals};
use design_system::{Image, format_money};
use leptos::prelude::*;

use super::Flow;

pub fn money(money: &Money) -> String {
    format_money(money.amount, &money.currency, None)
}

/// The chosen options of a line as the shopper picked them: "Navy · M".
pub fn options_text(option_values: &[SelectedOption]) -> String {
    option_values
        .iter()
        .map(|value| {
            value
                .value_label
                .clone()
                .unwrap_or_else(|| value.value.clone())
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

#[component]
pub fn Totals(totals: Totals, promotion: Option<String>) -> impl IntoView {
    let discount = (totals.discount.amount > 0).then(|| {
        let label = promotion.map_or_else(|| "Discount".to_owned(), |code| format!("Discount ({code})"));
        view! { <div class="tck-totals__row"><dt>{label}</dt><dd data-total="discount">{format!("−{}", money(&totals.discount))}</dd></div> }
    });
    view! {
        <dl class="tck-totals">
            <div class="tck-totals__row"><dt>"Subtotal"</dt><dd data-total="subtotal">{money(&totals.subtotal)}</dd></div>
            {discount}
            <div class="tck-totals__row"><dt>"Shipping"</dt><dd data-total="shipping">{
                if totals.shipping.amount == 0 { "Calculated at delivery step".to_owned() } else { money(&totals.shipping) }
            }</dd></div>
            <div class="tck-totals__row tck-totals__row--total"><dt>"Total"</dt><dd data-total="total">{money(&totals.total)}</dd></div>
        </dl>
    }
}

/// One line of a summary, as the cart showed it: picture, name, chosen options, quantity and
/// the line's total. The checkout's summary and the order page both list lines this way.
#[component]
pub fn SummaryLine(
    title: String,
    options: Vec<SelectedOption>,
    quantity: i32,
    total: Money,
    image: Option<Media>,
) -> impl IntoView {
    view! {
        <li class="tck-summary__line">
            {image.map(|image| view! { <Image src=image.url alt=image.alt width=48_u32 height=48_u32/> })}
            <span class="tck-summary__name">
                {title}
                <small>{options_text(&options)}</small>
            </span>
            <span class="tck-summary__qty">{format!("× {quantity}")}</span>
            <span class="tck-summary__price">{money(&total)}</span>
        </li>
    }
}

#[component]
pub fn OrderSummary(flow: Flow) -> impl IntoView {
    move || {
        let (lines, totals, promotion) = match (flow.checkout.get(), flow.cart.get()) {
            (Some(checkout), _) => (
                checkout.lines,
                checkout.totals,
                checkout.promotion.map(|promotion| promotion.code),
            ),
            (None, Some(cart)) => (cart.lines, cart.totals, cart.promotion.map(|p| p.code)),
            (None, None) => return ().into_any(),
        };
        view! {
            <div class="tck-summary">
                <h2 class="tck-subtitle">"Order summary"</h2>
                <ul class="tck-summary__lines">
                    {lines.into_iter().map(|line| view! {
                        <SummaryLine
                            title=line.product_title
                            options=line.option_values
                            quantity=line.quantity
                            total=line.line_total
                            image=line.image
                        />
                    }).collect_view()}
                </ul>
                <Totals totals promotion/>
            </div>
        }
        .into_any()
    }
}
