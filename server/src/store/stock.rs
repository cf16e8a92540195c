//! Units on hand per variant, as the inventory consumer reads and reserves them.

use sqlx::AnyConnection;

/// A variant's units on hand and, for a preorder, its expected date; locked until the
/// transaction ends, as the caller may take from it.
pub async fn stock_of(
    connection: &mut AnyConnection,
    variant_id: &str,
) -> sqlx::Result<(i64, Option<String>)> {
    let sql = format!(
        "SELECT stock, preorder_date FROM variants WHERE id = $1{}",
        super::for_update(connection)
    );
    sqlx::query_as(&sql)
        .bind(variant_id)
        .fetch_one(connection)
        .await
}

/// Takes `quantity` units of a variant off its stock (a preorder may go below zero).
pub async fn take_stock(
    connection: &mut AnyConnection,
    variant_id: &str,
    quantity: i32,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE variants SET stock = stock - $1 WHERE id = $2")
        .bind(quantity)
        .bind(variant_id)
        .execute(connection)
        .await?;
    Ok(())
}

/// The variant sold under `sku`: its id, units on hand and preorder date.
pub async fn variant_of_sku(
    connection: &mut AnyConnection,
    sku: &str,
) -> sqlx::Result<Option<(String, i64, Option<String>)>> {
    let sql = format!(
        "SELECT id, stock, preorder_date FROM variants WHERE sku = $1{}",
        super::for_update(connection)
    );
    sqlx::query_as(&sql)
        .bind(sku)
        .fetch_optional(connection)
        .await
}

/// Puts units back (a cancelled marketplace order that had reserved them).
pub async fn return_stock(
    connection: &mut AnyConnection,
    variant_id: &str,
    quantity: i32,
) -> sqlx::Result<()> {
    take_stock(connection, variant_id, -quantity).await
}
