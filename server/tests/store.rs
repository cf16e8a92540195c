//! The two backends' migrations build the same schemas (the global store's and a region's):
//! every table with the same columns, each of the corresponding type and nullability. Runs when the suite runs on Postgres
//! (`TESSERA_TEST_POSTGRES`, set by `cargo xtask test`'s second pass).

mod common;

use std::collections::BTreeMap;

use common::{fresh_database, temp_dir};
use sqlx::AnyPool;
use tessera_server::store::regions::{HomeRegion, Regions};
use tessera_server::store::{Database, connect};

/// (table, column) → (type family, nullable).
type Schema = BTreeMap<(String, String), (String, bool)>;

/// SQLite's declared types as the Postgres types the migrations spell them with.
fn family(declared: &str) -> String {
    match declared.to_lowercase().as_str() {
        "integer" | "bigint" => "bigint",
        "text" => "text",
        "real" | "double precision" => "double precision",
        "blob" | "bytea" => "bytea",
        other => other,
    }
    .to_owned()
}

async fn sqlite_schema(pool: &AnyPool) -> Schema {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT m.name, p.name, p.type, p.\"notnull\" + p.pk
         FROM sqlite_master m JOIN pragma_table_info(m.name) p
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name != '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(table, column, declared, required)| {
            ((table, column), (family(&declared), required == 0))
        })
        .collect()
}

async fn postgres_schema(pool: &AnyPool) -> Schema {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text
         FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name != '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(table, column, declared, nullable)| {
            ((table, column), (family(&declared), nullable == "YES"))
        })
        .collect()
}

fn assert_same(store: &str, sqlite: &Schema, postgres: &Schema) {
    assert!(!sqlite.is_empty(), "{store}: no tables");
    for (column, sqlite_shape) in sqlite {
        assert_eq!(
            postgres.get(column),
            Some(sqlite_shape),
            "{store}: {column:?} differs between the backends"
        );
    }
    assert_eq!(
        sqlite.len(),
        postgres.len(),
        "{store}: Postgres has columns SQLite lacks"
    );
}

#[tokio::test]
async fn schemas_agree() {
    let Some(postgres_url) = fresh_database().await else {
        eprintln!("skipped: TESSERA_TEST_POSTGRES is not set (cargo xtask test sets it)");
        return;
    };
    let folder = temp_dir("schemas");
    let sqlite = Database::Sqlite(folder.join("shop.sqlite"));
    let postgres = Database::Postgres(postgres_url);
    assert_same(
        "global",
        &sqlite_schema(&connect(&sqlite, 1).await.unwrap()).await,
        &postgres_schema(&connect(&postgres, 1).await.unwrap()).await,
    );
    let sqlite_regions = Regions::connect(&sqlite, 1).await.unwrap();
    let postgres_regions = Regions::connect(&postgres, 1).await.unwrap();
    assert_same(
        "region",
        &sqlite_schema(sqlite_regions.store(HomeRegion::Eu)).await,
        &postgres_schema(postgres_regions.store(HomeRegion::Eu)).await,
    );
    let _ = std::fs::remove_dir_all(&folder);
}
