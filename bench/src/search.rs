//! Catalog search under load (`cargo xtask bench search`): the queries a catalog app sends while
//! shoppers type, misspell, filter and sort, at a fixed arrival rate (open loop) over a catalog of
//! 10,000 generated products, one line per kind of query so a slow kind cannot hide in an average.
//! A request counts as an error unless it answers 200 with at least one product, so a search
//! that quietly stopped finding things does not look fast.

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::{Args, open_loop};

/// (kind of query, query strings cycled through)
const SCENARIOS: [(&str, &[&str]); 5] = [
    (
        "search, whole words",
        &[
            "q=merino",
            "q=linen+shirt",
            "q=cashmere+cardigan",
            "q=tweed",
        ],
    ),
    (
        "search, typo tolerated",
        &["q=meirno", "q=alpacca", "q=cahsmere", "q=corduory"],
    ),
    (
        "search, prefix while typing",
        &["q=alp", "q=bamboo+sne", "q=silk+th", "q=hem"],
    ),
    (
        "search with facets and sort",
        &[
            "q=merino&brand=Northwind&sort=price_asc",
            "q=linen&availability=in_stock&color=sand",
            "q=wool&size=m&sort=rating",
            "q=leather&minPrice=5000&maxPrice=15000",
        ],
    ),
    (
        "category page with facets",
        &[
            "category=apparel",
            "category=footwear&color=forest",
            "category=home&sort=price_desc",
            "category=accessories&availability=in_stock&limit=48",
        ],
    ),
];

pub async fn run(http: &reqwest::Client, args: &Args, rate: u64) -> Result<()> {
    let size: Value = http
        .get(format!("{}/v1/products?limit=1", args.base))
        .send()
        .await?
        .json()
        .await
        .context("reading the catalog size")?;
    let products = size["totalCount"].as_i64().unwrap_or(0);
    if products < 10_000 {
        bail!("the catalog has {products} products; the search benchmark needs 10,000 or more");
    }
    println!(
        "Catalog: {products} products; {rate} requests per second for {} s per line.\n",
        args.seconds
    );
    println!("| scenario | requests | rps | p50 ms | p99 ms | max ms | errors |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (name, queries) in SCENARIOS {
        let urls: Vec<String> = queries
            .iter()
            .map(|query| format!("{}/v1/products?{query}", args.base))
            .collect();
        let mut summary = open_loop(http, rate, args.seconds, name, &urls, found_something).await?;
        println!("{}", summary.line());
    }
    Ok(())
}

async fn found_something(response: reqwest::Response) -> bool {
    if !response.status().is_success() {
        return false;
    }
    let page: Value = response.json().await.unwrap_or_default();
    page["items"]
        .as_array()
        .is_some_and(|items| !items.is_empty())
}
