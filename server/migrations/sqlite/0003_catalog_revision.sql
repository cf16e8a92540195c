-- A counter that moves whenever anything a product listing shows changes, so the server can keep
-- the listed catalog in memory and rebuild it only when the counter moved. Triggers, not code,
-- bump it: no write path (stock reservations, restocks, seeding, a future admin) can forget to.
CREATE TABLE catalog_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL
);
INSERT INTO catalog_revision (id, revision) VALUES (1, 0);

CREATE TRIGGER products_inserted AFTER INSERT ON products
BEGIN UPDATE catalog_revision SET revision = revision + 1; END;
CREATE TRIGGER products_updated AFTER UPDATE ON products
BEGIN UPDATE catalog_revision SET revision = revision + 1; END;
CREATE TRIGGER products_deleted AFTER DELETE ON products
BEGIN UPDATE catalog_revision SET revision = revision + 1; END;

CREATE TRIGGER variants_inserted AFTER INSERT ON variants
BEGIN UPDATE catalog_revision SET revision = revision + 1; END;
CREATE TRIGGER variants_updated AFTER UPDATE ON variants
BEGIN UPDATE catalog_revision SET revision = revision + 1; END;
CREATE TRIGGER variants_deleted AFTER DELETE ON variants
BEGIN UPDATE catalog_revision SET revision = revision + 1; END;

CREATE TRIGGER reviews_inserted AFTER INSERT ON reviews
BEGIN UPDATE catalog_revision SET revision = revision + 1; END;
CREATE TRIGGER reviews_updated AFTER UPDATE ON reviews
BEGIN UPDATE catalog_revision SET revision = revision + 1; END;
CREATE TRIGGER reviews_deleted AFTER DELETE ON reviews
BEGIN UPDATE catalog_revision SET revision = revision + 1; END;
