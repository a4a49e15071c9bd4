/**
 * Three sample services that find each other by name through Berth, each its own OS process:
 * {@link dev.berth.samples.catalog.CatalogMain} (gRPC), {@link dev.berth.samples.orders.OrdersMain}
 * (gRPC, calls catalog) and {@link dev.berth.samples.gateway.GatewayMain} (HTTP+JSON, calls
 * orders and catalog). None of them names a port: Berth assigns one and remembers it.
 */
package dev.berth.samples;
