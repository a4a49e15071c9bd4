/**
 * Berth for Spring Boot: add {@code dev.berth:berth-spring-boot-starter}, delete
 * {@code server.port}, and the application runs by name.
 *
 * <p>Starting points: {@link dev.berth.spring.boot.BerthAutoConfiguration} (what is configured
 * and when) and {@link dev.berth.spring.boot.BerthProperties} (the {@code berth.*} settings).
 * What the starter does:
 *
 * <ul>
 *   <li>the web server listens on the sticky port of {@code spring.application.name}'s
 *       {@code http} endpoint, on 127.0.0.1 (unless {@code server.address} says otherwise);
 *       a separate management server ({@code management.server.port} set, to any value) on the
 *       {@code management} endpoint; a Spring gRPC server on {@code grpc}; the application's
 *       Prometheus meters on {@code metrics} (listed in the registry's {@code /sd}). The
 *       instance is visible only once every one of them listens, and gone as the context closes;
 *   <li>{@code @LoadBalanced RestClient.Builder} / {@code WebClient.Builder} calls to
 *       {@code http://orders/...} reach the live instances of {@code orders/http}, fed from
 *       Berth's watch (no cache: an instance whose lease ends is dropped at once), and a
 *       {@code DiscoveryClient} / {@code ReactiveDiscoveryClient} lists them;
 *   <li>{@code spring.grpc.client.channels.orders.address=berth:///orders} resolves through
 *       Berth's name resolver.
 * </ul>
 *
 * <p>Everything else lives in {@code .internal} and may change without notice.
 */
package dev.berth.spring.boot;
