//! Data residency: each home region has a store of its own for customers' personal data (two
//! SQLite files next to the global one by default; with Postgres, the databases `<name>_eu` and
//! `<name>_us` beside the global `<name>`). `Regions` routes a customer's data to their region;
//! global tables refer to a customer by id and region only.

use anyhow::{Context, Result};
use sqlx::AnyPool;
use sqlx::migrate::Migrator;

use super::Database;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/region/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/region/postgres");

/// The contract's region names (`eu`, `us`) are the stores' names.
pub use api_client::types::HomeRegion;

pub const ALL_REGIONS: [HomeRegion; 2] = [HomeRegion::Eu, HomeRegion::Us];

/// EU and EEA members, the UK and Switzerland keep their customers' data in the EU store.
const EU_COUNTRIES: [&str; 33] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "GB", "CH",
    "MC",
];

pub fn home_region_of(country: &str) -> HomeRegion {
    if EU_COUNTRIES.contains(&country) {
        HomeRegion::Eu
    } else {
        HomeRegion::Us
    }
}

/// The regions' stores.
#[derive(Clone)]
pub struct Regions {
    eu: AnyPool,
    us: AnyPool,
}

impl Regions {
    /// Opens (and migrates) each region's store next to the global `database`.
    pub async fn connect(database: &Database, max_connections: u32) -> Result<Regions> {
        let open = |region: HomeRegion| async move {
            let store = region_database(database, region)?;
            let migrator = match store {
                Database::Sqlite(_) => &SQLITE_MIGRATIONS,
                Database::Postgres(_) => &POSTGRES_MIGRATIONS,
            };
            let pool = super::open(&store, max_connections).await?;
            migrator
                .run(&pool)
                .await
                .with_context(|| format!("running the {} store's migrations", region))?;
            anyhow::Ok(pool)
        };
        Ok(Regions {
            eu: open(HomeRegion::Eu).await?,
            us: open(HomeRegion::Us).await?,
        })
    }

    pub fn store(&self, region: HomeRegion) -> &AnyPool {
        match region {
            HomeRegion::Eu => &self.eu,
            HomeRegion::Us => &self.us,
        }
    }

    pub async fn close(&self) {
        self.eu.close().await;
        self.us.close().await;
    }
}

/// Where a region's store lives, beside the global one.
pub fn region_database(database: &Database, region: HomeRegion) -> Result<Database> {
    Ok(match database {
        Database::Sqlite(path) => {
            let folder = path.parent().unwrap_or(std::path::Path::new("."));
            Database::Sqlite(folder.join(format!("region-{}.sqlite", region)))
        }
        Database::Postgres(url) => {
            let mut parsed = url::Url::parse(url).context("DATABASE_URL is not a URL")?;
            let name = parsed.path().trim_start_matches('/').to_owned();
            parsed.set_path(&format!("{name}_{}", region));
            Database::Postgres(parsed.to_string())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_home_region_follows_the_country() {
        assert_eq!(home_region_of("DE"), HomeRegion::Eu);
        assert_eq!(home_region_of("GB"), HomeRegion::Eu);
        assert_eq!(home_region_of("US"), HomeRegion::Us);
        assert_eq!(home_region_of("JP"), HomeRegion::Us);
    }

    #[test]
    fn region_stores_sit_beside_the_global_one() {
        let sqlite = Database::Sqlite("/data/tessera.sqlite".into());
        assert_eq!(
            region_database(&sqlite, HomeRegion::Eu).unwrap(),
            Database::Sqlite("/data/region-eu.sqlite".into())
        );
        let postgres = Database::Postgres("postgres://u:p@db:5432/shop?sslmode=disable".into());
        assert_eq!(
            region_database(&postgres, HomeRegion::Us).unwrap(),
            Database::Postgres("postgres://u:p@db:5432/shop_us?sslmode=disable".into())
        );
    }
}
