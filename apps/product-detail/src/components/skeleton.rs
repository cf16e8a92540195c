//! The page's shape while it loads: the same grid and sizes as the loaded page, so nothing moves
//! when the product arrives.

use design_system::{Skeleton, SkeletonShape};
use leptos::prelude::*;

#[component]
pub fn ProductSkeleton() -> impl IntoView {
    view! {
        <div class="tpd-product tpd-product--loading" data-state="loading" aria-busy="true" aria-label="Loading product">
            <div class="tpd-product__header">
                <Skeleton width="8rem" height="1rem"/>
                <Skeleton width="70%" height="2.25rem"/>
            </div>
            <div class="tpd-product__media">
                <div class="tpd-skeleton-media"><Skeleton shape=SkeletonShape::Rect width="100%" height="100%"/></div>
            </div>
            <div class="tpd-product__buy">
                <Skeleton width="6rem" height="2rem"/>
                <Skeleton width="100%" height="8rem"/>
                <Skeleton width="100%" height="3rem"/>
            </div>
        </div>
    }
}
