//! Catalog over real HTTP: the demo data, search with facets and pagination, product detail,
//! reviews, related products, and problems for unknown or malformed requests.

mod common;

use api_client::types::{Availability, CategoryList, ProductSummaryList, ReviewPage};
use common::{TestServer, fetch_json, fetch_problem, status_of, text_of};
use reqwest::{Method, StatusCode};

#[tokio::test]
async fn the_demo_catalog_has_enough_variety() {
    let server = TestServer::start().await;
    let page = server.products("limit=100").await;
    assert!(page.items.len() >= 24, "{} products", page.items.len());
    let categories: CategoryList =
        fetch_json(server.public(Method::GET, "/v1/categories"), StatusCode::OK).await;
    assert!(categories.items.len() >= 4);
    assert!(
        page.items.iter().any(|p| p.compare_at_price.is_some()),
        "some products are on sale"
    );
    let mut states = std::collections::BTreeSet::new();
    for summary in &page.items {
        for variant in server.product(&summary.slug).await.variants {
            states.insert(match variant.availability {
                Availability::InStock => "in_stock",
                Availability::LowStock { .. } => "low_stock",
                Availability::OutOfStock => "out_of_stock",
                Availability::Preorder { .. } => "preorder",
            });
        }
    }
    assert_eq!(states.len(), 4, "stock states present: {states:?}");
    server.stop().await;
}

#[tokio::test]
async fn search_filters_sorts_pages_and_counts_facets() {
    let server = TestServer::start().await;
    let boots = server.products("q=boot").await;
    assert!(
        boots
            .items
            .iter()
            .all(|p| p.title.to_lowercase().contains("boot")),
        "{:?}",
        boots.items
    );
    assert!(!boots.items.is_empty());

    let footwear = server.products("category=footwear&sort=price_asc").await;
    let prices: Vec<i64> = footwear.items.iter().map(|p| p.price.amount).collect();
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");
    let brand_facet = footwear.facets.iter().find(|f| f.name == "brand").unwrap();
    let counted: i64 = brand_facet.values.iter().map(|v| v.count).sum();
    assert_eq!(counted, footwear.items.len() as i64);

    let two_brands = server
        .products("brand=Summit%20Lab&brand=Northwind&limit=100")
        .await;
    assert!(
        two_brands
            .items
            .iter()
            .all(|p| p.brand == "Summit Lab" || p.brand == "Northwind")
    );
    let selected: Vec<_> = two_brands.facets[0]
        .values
        .iter()
        .filter(|v| v.selected)
        .map(|v| v.value.as_str())
        .collect();
    assert_eq!(selected, ["Northwind", "Summit Lab"]);

    let first = server.products("limit=10").await;
    let cursor = first.next_cursor.clone().expect("more than one page");
    let second = server.products(&format!("limit=10&cursor={cursor}")).await;
    assert!(
        first
            .items
            .iter()
            .all(|a| second.items.iter().all(|b| a.id != b.id))
    );
    server.stop().await;
}

#[tokio::test]
async fn search_tolerates_typos_accents_and_prefixes_and_pages_by_number() {
    let server = TestServer::start().await;
    for query in [
        "q=meirno",
        "q=MERINO",
        "q=m%C3%A9rino",
        "q=merino%20cr",
        "q=merino%20crwe",
    ] {
        let found = server.products(query).await;
        assert!(
            found.items.iter().any(|p| p.slug == "merino-crew-sweater"),
            "{query}: {:?}",
            found.items.iter().map(|p| &p.slug).collect::<Vec<_>>()
        );
        assert!(
            found.items[0].title.contains("Merino"),
            "{query} ranks merino first"
        );
    }
    assert!(server.products("q=zzqxv").await.items.is_empty());

    let first = server.products("limit=5").await;
    let second = server.products("limit=5&page=2").await;
    let by_cursor = server
        .products(&format!(
            "limit=5&cursor={}",
            first.next_cursor.clone().unwrap()
        ))
        .await;
    assert_eq!(
        second.items.iter().map(|p| &p.id).collect::<Vec<_>>(),
        by_cursor.items.iter().map(|p| &p.id).collect::<Vec<_>>(),
        "page 2 is what the first page's cursor leads to"
    );
    server.stop().await;
}

#[tokio::test]
async fn product_detail_reviews_and_related() {
    let server = TestServer::start().await;
    let product = server.product("merino-crew-sweater").await;
    assert_eq!(product.options.len(), 2);
    assert_eq!(product.variants.len(), 12, "3 colours × 4 sizes");
    assert!(
        product
            .media
            .iter()
            .all(|m| !m.alt.is_empty() && m.width > 0 && m.height > 0)
    );
    assert_eq!(product.rating.distribution.len(), 5);

    let slug = &product.slug;
    let reviews: ReviewPage = fetch_json(
        server.public(Method::GET, &format!("/v1/products/{slug}/reviews?limit=2")),
        StatusCode::OK,
    )
    .await;
    assert!(reviews.items.len() <= 2);
    assert_eq!(reviews.summary.count, product.rating.count);

    let related: ProductSummaryList = fetch_json(
        server.public(Method::GET, &format!("/v1/products/{slug}/related")),
        StatusCode::OK,
    )
    .await;
    assert!(!related.items.is_empty());
    assert!(related.items.iter().all(|p| p.slug != *slug));

    let image = server
        .public(Method::GET, &product.media[0].url)
        .send()
        .await
        .unwrap();
    assert_eq!(image.headers()["content-type"], "image/svg+xml");
    server.stop().await;
}

#[tokio::test]
async fn client_mistakes_are_problems_not_server_errors() {
    let server = TestServer::start().await;
    fetch_problem(
        server.public(Method::GET, "/v1/products/no-such-thing"),
        StatusCode::NOT_FOUND,
        "not-found",
    )
    .await;
    fetch_problem(
        server.public(Method::GET, "/v1/products/Not%20A%20Slug"),
        StatusCode::BAD_REQUEST,
        "malformed-request",
    )
    .await;
    fetch_problem(
        server.public(Method::GET, "/v1/products?limit=1000"),
        StatusCode::BAD_REQUEST,
        "malformed-request",
    )
    .await;
    fetch_problem(
        server.public(Method::GET, "/v1/products?limit=ten"),
        StatusCode::BAD_REQUEST,
        "malformed-request",
    )
    .await;
    fetch_problem(
        server.public(Method::GET, "/v1/products?sort=cheapest"),
        StatusCode::BAD_REQUEST,
        "malformed-request",
    )
    .await;
    fetch_problem(
        server.public(Method::GET, "/v1/products?page=0"),
        StatusCode::BAD_REQUEST,
        "malformed-request",
    )
    .await;
    fetch_problem(
        server.public(Method::GET, "/v1/products?cursor=garbage"),
        StatusCode::BAD_REQUEST,
        "malformed-request",
    )
    .await;
    fetch_problem(
        server.public(Method::GET, "/v1/nothing-here"),
        StatusCode::NOT_FOUND,
        "not-found",
    )
    .await;
    server.stop().await;
}

#[tokio::test]
async fn the_spec_and_probes_are_served() {
    let server = TestServer::start().await;
    let spec = server
        .public(Method::GET, "/v1/openapi.yaml")
        .send()
        .await
        .unwrap();
    assert_eq!(spec.status(), StatusCode::OK);
    assert!(spec.text().await.unwrap().contains("openapi: 3.0.3"));
    assert_eq!(
        status_of(server.public(Method::GET, "/healthz")).await,
        StatusCode::OK
    );
    assert_eq!(
        status_of(server.public(Method::GET, "/readyz")).await,
        StatusCode::OK
    );
    server.products("limit=1").await;
    let metrics = text_of(server.ops(Method::GET, "/metrics")).await;
    assert!(
        metrics.lines().any(
            |line| line.starts_with("http_request_duration_seconds_bucket{")
                && line.contains("method=\"GET\",route=\"/v1/products\"")
        ),
        "{metrics}"
    );
    assert!(metrics.contains("tessera_outbox_lag_events 0"));
    assert!(metrics.contains("tessera_dead_letters_parked 0"));
    server.stop().await;
}

#[tokio::test]
async fn catalog_answers_revalidate_with_a_strong_etag() {
    let server = TestServer::start().await;
    for path in ["/v1/products?limit=5", "/v1/products/organic-cotton-tee"] {
        let first = server.public(Method::GET, path).send().await.unwrap();
        assert_eq!(first.status(), StatusCode::OK);
        assert_eq!(first.headers()["cache-control"], "public, no-cache");
        let etag = first.headers()["etag"].to_str().unwrap().to_owned();
        let again = server
            .public(Method::GET, path)
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(again.headers()["etag"], etag.as_str());
        assert!(again.bytes().await.unwrap().is_empty());
    }
    server.stop().await;
}
