-- The experiment readout follows each exposed visitor to their sessions, carts and orders.
CREATE INDEX tokens_by_visitor ON tokens(visitor_id);
CREATE INDEX orders_by_cart ON orders(cart_id);
