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
 * <p>A name is one string: {@code "orders"} (its endpoint {@code main}) or
 * {@code "gateway/http"}, each part a DNS label. Where an endpoint listens is an
 * {@link dev.berth.client.Address}: {@code 127.0.0.1:P}, {@code [::1]:P} or {@code unix:/path}.
 *
 * <p>Names live in namespaces: a {@code Berth} registers and looks up in one
 * ({@code Berth.builder().namespace("shop-3fa2c1")}, by default {@code -Dberth.namespace}, else
 * {@code $BERTH_NAMESPACE}, else the default namespace {@code ""}, also written
 * {@code "default"}), and a lookup finds that namespace's live instances when it has any, else
 * the default namespace's, never another's. {@code berth up} gives each stack one. A channel
 * built without Berth names one as {@code berth:///orders?namespace=shop-3fa2c1}; without the
 * parameter, the same default applies.
 *
 * <h2>The public API</h2>
 *
 * <p>This list is the whole surface that stays compatible; nothing else is promised.
 *
 * <ul>
 *   <li>{@link dev.berth.client.Berth}: {@code connect()}, {@code builder()},
 *       {@code serve(service)}, {@code claim(service)}, {@code claim(name, binder)},
 *       {@code lease(service)}, {@code channel(name)}, {@code resolve(name)},
 *       {@code resolveAll(name)}, {@code watch(name, listener)}, {@code meterRegistry()},
 *       {@code stateDir()}, {@code serviceName()}, {@code callerName()}, {@code namespace()},
 *       {@code close()};
 *       {@link dev.berth.client.Berth.Builder}: {@code registry}, {@code stateDir},
 *       {@code meterRegistry}, {@code serviceName}, {@code autoStart}, {@code executor},
 *       {@code unixSockets}, {@code namespace}, {@code build}; {@code UNIX_SOCKETS_PROPERTY},
 *       {@code UNIX_SOCKETS_ENV}.
 *   <li>{@link dev.berth.client.BerthServer}: {@code service()}, {@code address()},
 *       {@code address(endpoint)}, {@code port()}, {@code port(endpoint)}, {@code lease()},
 *       {@code unixAddress()}, {@code awaitTermination()}, {@code awaitTermination(timeout)},
 *       {@code close()}; {@link dev.berth.client.BerthServer.Builder}: {@code addService} (two forms),
 *       {@code intercept}, {@code endpoint(name)}, {@code endpoint(name, binder)},
 *       {@code requestPort}, {@code exposeMetrics()}, {@code metadata}, {@code configure},
 *       {@code shutdownGrace}, {@code start}.
 *   <li>{@link dev.berth.client.Claim} (ports bound by your code): {@code service()},
 *       {@code address()}, {@code address(endpoint)}, {@code addresses()}, {@code port()},
 *       {@code port(endpoint)}, {@code lease()}, {@code close()};
 *       {@link dev.berth.client.Claim.Builder}: {@code endpoint(name, binder)},
 *       {@code requestPort}, {@code exposeMetrics()}, {@code metadata}, {@code bind}.
 *   <li>{@link dev.berth.client.PortBinder}: {@code bind(Address)}.
 *   <li>{@link dev.berth.client.Lease} (reserved until {@code ready()}): {@code service()},
 *       {@code address()}, {@code address(endpoint)}, {@code addresses()}, {@code port()},
 *       {@code port(endpoint)}, {@code ready()}, {@code close()};
 *       {@link dev.berth.client.Lease.Builder}: {@code endpoint}, {@code requestPort},
 *       {@code unixSocket}, {@code pid}, {@code reservation}, {@code metadata},
 *       {@code attach}.
 *   <li>{@link dev.berth.client.BerthWatch}: {@code name()}, {@code close()}.
 *   <li>{@link dev.berth.client.Address}: {@code tcp}, {@code loopback}, {@code unix},
 *       {@code parse}, {@code isTcp}, {@code isUnix}, {@code host}, {@code port},
 *       {@code path}, {@code socketAddress}, {@code inetSocketAddress}, {@code toString};
 *       {@code MAX_UNIX_PATH_BYTES}.
 *   <li>{@link dev.berth.client.BerthException}: {@code status()}; its constructors
 *       {@code BerthException(Status)} and {@code BerthException(Status, Throwable)} (public
 *       because {@code .internal} throws it too; {@link io.grpc.Status} is gRPC's canonical
 *       status, not a generated type).
 * </ul>
 *
 * <p>No generated protobuf or gRPC stub type, and no meter registry implementation, appears
 * in these signatures; {@code PublicSurfaceTest} fails the build if one does. {@link dev.berth.client.InternalBerth},
 * {@link dev.berth.client.InternalLeases} and everything under
 * {@code dev.berth.client.internal} are marked {@link dev.berth.local.Internal}: Berth's
 * own plumbing for its CLI and bench, which may change without notice.
 */
package dev.berth.client;
