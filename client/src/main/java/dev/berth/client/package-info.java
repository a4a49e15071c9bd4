/**
 * Berth's client library: serve a gRPC service by name, call services by name.
 *
 * <p>A service joins in three lines:
 *
 * <pre>{@code
 * Berth berth = Berth.connect();
 * BerthServer server = berth.serve("orders").addService(new OrdersImpl()).start();
 * server.awaitTermination();
 * }</pre>
 *
 * <p>and another process calls it by name:
 *
 * <pre>{@code
 * ManagedChannel orders = Berth.connect().channel("orders");
 * // or, with no Berth object: ManagedChannelBuilder.forTarget("berth:///orders").usePlaintext().build()
 * }</pre>
 *
 * <p>Starting points: {@link dev.berth.client.Berth} (connect, serve, claim, lease, channel,
 * resolve, watch), {@link dev.berth.client.BerthServer}, {@link dev.berth.client.Claim} with
 * {@link dev.berth.client.PortBinder} for ports that are not gRPC, {@link dev.berth.client.Lease}
 * for the raw lease, {@link dev.berth.client.BerthException}, {@link dev.berth.client.BerthHome}.
 * Everything under {@code dev.berth.client.internal} may change without notice.
 */
package dev.berth.client;
