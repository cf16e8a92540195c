-- A counter that moves whenever anything a product listing shows changes, so the server can keep
-- the listed catalog in memory and rebuild it only when the counter moved. Triggers, not code,
-- bump it: no write path (stock reservations, restocks, seeding, a future admin) can forget to.
CREATE TABLE catalog_revision (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);
INSERT INTO catalog_revision (id, revision) VALUES (1, 0);

-- Statement-level here: one bump per statement, where SQLite bumps once per row.
CREATE FUNCTION bump_catalog_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN UPDATE catalog_revision SET revision = revision + 1; RETURN NULL; END $$;
CREATE TRIGGER products_changed AFTER INSERT OR UPDATE OR DELETE ON products
FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_revision();
CREATE TRIGGER variants_changed AFTER INSERT OR UPDATE OR DELETE ON variants
FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_revision();
CREATE TRIGGER reviews_changed AFTER INSERT OR UPDATE OR DELETE ON reviews
FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_revision();
