package dev.berth.cli.internal;

import dev.berth.client.Berth;
import dev.berth.local.RegistryAddresses;
import dev.berth.local.StateDir;
import dev.berth.proto.v1.ResolveRequest;
import dev.berth.proto.v1.ResolveResponse;
import dev.berth.proto.v1.Target;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard of one state dir's registry ({@code docs/dashboard.md}): where its HTTP side
 * is, the URLs of the page, and a one-time sign-in code minted with the state dir's token
 * ({@code POST /v1/dashboard/codes}); the token itself stays here, the browser gets only the
 * code. What {@code berth dashboard} and {@code berth demo} share. Stateless; any thread.
 */
final class DashboardSignIn {

  static final String CODES_PATH = "/v1/dashboard/codes";

  /** A minted code and how long the registry keeps it. */
  record Code(String value, long expiresInSeconds) {}

  private DashboardSignIn() {}

  /** {@code http://127.0.0.1:PORT/dashboard/}: the read-only page, safe to hand to any tool. */
  static String pageUrl(InetSocketAddress http) {
    return "http://" + ViewClient.hostAndPort(http) + "/dashboard/";
  }

  /** {@code http://127.0.0.1:PORT/dashboard/login?code=C}: signs the browser in once. */
  static String signInUrl(InetSocketAddress http, Code code) {
    return "http://" + ViewClient.hostAndPort(http) + "/dashboard/login?code=" + code.value();
  }

  /**
   * The HTTP side of {@code ctx}'s registry: {@code httpAddress} of {@code registry.json},
   * believed only while a registry holds the state dir's lifetime lock (as the client library
   * and the fast path believe it); with {@code --registry} or {@code $BERTH_REGISTRY}, what that
   * registry resolves {@code berth/metrics} to. Never starts a registry: like {@code berth ls}.
   *
   * @throws CliException one line naming what is missing and what to run
   */
  static InetSocketAddress httpSide(CliContext ctx) {
    if (ctx.registryOverride().isPresent()) {
      return resolveMetrics(ctx);
    }
    String grpc = ctx.registryAddress(); // fails with ls's words when there is no registry.json
    StateDir dir = StateDir.of(ctx.home());
    if (!dir.registryRunning()) {
      throw CliException.failure("no Berth registry running in " + ctx.home() + " (its registry.json "
          + "names " + grpc + ", left by one that is gone): start one with 'berth registry start'");
    }
    return recorded(ctx.home()).orElseThrow(() -> noHttpSide(grpc));
  }

  /**
   * Why the token of {@code ctx}'s state dir must not go to {@code http}; null when it may. It
   * may only to that state dir's own registry: without {@code --registry} and
   * {@code $BERTH_REGISTRY} that is where {@code http} came from; with them only when
   * {@code http} is the {@code httpAddress} that the registry holding the state dir's lifetime
   * lock wrote: a registry that accepted the token over gRPC (every call carries it) and names
   * any other HTTP address does not get it posted there.
   */
  static String notForToken(CliContext ctx, InetSocketAddress http) {
    if (ctx.registryOverride().isEmpty()) {
      return null;
    }
    String why;
    if (!StateDir.of(ctx.home()).registryRunning()) {
      why = "none runs in " + ctx.home();
    } else {
      Optional<InetSocketAddress> own = recorded(ctx.home());
      if (own.isPresent() && own.get().equals(http)) {
        return null;
      }
      why = own.map(a -> "that one serves " + ViewClient.hostAndPort(a)).orElse("that one has no HTTP side");
    }
    return "no sign-in URL: the registry at " + ctx.registryAddress() + " (" + ViewClient.hostAndPort(http)
        + ") is not " + ctx.home() + "'s (" + why + "), whose token it would get; run berth dashboard "
        + "with --home of that registry's state dir for one";
  }

  /**
   * {@code httpAddress} of {@code home}'s {@code registry.json}, believed as the caller believes
   * the file (here: only while its registry holds the lifetime lock); empty when it has none.
   *
   * @throws CliException the file cannot be read
   */
  static Optional<InetSocketAddress> recorded(Path home) {
    try {
      return StateDir.of(home).readRegistryAddresses().flatMap(RegistryAddresses::http);
    } catch (IOException e) {
      throw CliException.failure(e.getMessage(), e);
    }
  }

  private static InetSocketAddress resolveMetrics(CliContext ctx) {
    ResolveResponse response;
    try (Berth berth = ctx.connect()) {
      response = ctx.ask(berth, stub -> stub.resolve(ResolveRequest.newBuilder()
          .setService("berth").setEndpoint("metrics").build()));
    } catch (io.grpc.StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
        throw noHttpSide(ctx.registryAddress());
      }
      throw e;
    }
    for (Target t : response.getTargetsList()) {
      if (t.getUnixPath().isEmpty() && (t.getHost().equals("127.0.0.1") || t.getHost().equals("::1"))) {
        try {
          return new InetSocketAddress(InetAddress.getByName(t.getHost()), t.getPort());
        } catch (UnknownHostException e) {
          throw new IllegalStateException("a literal address: " + t.getHost(), e);
        }
      }
    }
    throw noHttpSide(ctx.registryAddress());
  }

  private static CliException noHttpSide(String grpc) {
    return CliException.failure("the registry at " + grpc + " has no HTTP side (no berth/metrics; it "
        + "is older than the dashboard, or its metrics endpoint is off): restart it with "
        + "'berth registry stop' and 'berth registry start'");
  }

  /** The state dir's token, after the checks the client library makes; a failure naming the file. */
  static String token(Path home) {
    try {
      return StateDir.of(home).readToken().orElseThrow(() -> CliException.failure("no token in "
          + home.resolve(StateDir.TOKEN) + " (the registry writes one as it starts): start one with "
          + "'berth registry start'"));
    } catch (IOException e) {
      throw CliException.failure(e.getMessage(), e);
    }
  }

  /**
   * A fresh one-time code from the registry at {@code http}, asked with {@code token} (the
   * one in {@code home}, named in the messages), good for the registry's default 60 s.
   *
   * @throws CliException the HTTP side does not answer, refuses the token, or serves no dashboard
   */
  static Code mint(InetSocketAddress http, String token, Path home) {
    return mint(http, token, home, 0);
  }

  /**
   * {@link #mint(InetSocketAddress, String, Path)} asking for a code good {@code lifetimeSeconds}
   * (1-60; 0: the default) with {@code ?lifetime=}. The lifetime printed is the one the registry
   * answers: one older than the parameter ignores it and says 60.
   */
  static Code mint(InetSocketAddress http, String token, Path home, int lifetimeSeconds) {
    ViewClient.Response r;
    try {
      r = ViewClient.post(http, token, lifetimeSeconds > 0 ? CODES_PATH + "?lifetime=" + lifetimeSeconds
          : CODES_PATH);
    } catch (IOException e) {
      throw CliException.failure("the registry's HTTP side at " + ViewClient.hostAndPort(http)
          + " does not answer (" + e.getMessage() + "): is the registry still running? "
          + "try 'berth registry start'", e);
    }
    switch (r.status()) {
      case 200:
        return parse(r.body(), http);
      case 401:
        throw CliException.failure("the registry at " + ViewClient.hostAndPort(http) + " refused the token in "
            + home.resolve(StateDir.TOKEN) + ": it belongs to another state dir (use --home)");
      case 404:
        throw CliException.failure("the registry at " + ViewClient.hostAndPort(http) + " serves no dashboard "
            + "(it is older than berth dashboard): restart it with 'berth registry stop' and "
            + "'berth registry start'");
      default:
        throw CliException.failure("the registry at " + ViewClient.hostAndPort(http) + " refused a sign-in code: "
            + r.status() + " " + OneLine.of(r.body().strip()));
    }
  }

  private static Code parse(String body, InetSocketAddress http) {
    try {
      Map<?, ?> json = (Map<?, ?>) ViewJson.parse(body);
      String code = (String) json.get("code");
      Long seconds = (Long) json.get("expiresInSeconds");
      if (code == null || !code.matches("[A-Za-z0-9_-]{16,128}") || seconds == null) {
        throw new IllegalArgumentException("no code and expiresInSeconds");
      }
      return new Code(code, seconds);
    } catch (RuntimeException e) {
      throw CliException.failure("the registry at " + ViewClient.hostAndPort(http) + " answered " + CODES_PATH
          + " with " + OneLine.of(body.strip()) + " (expected: {\"code\": C, \"expiresInSeconds\": 60})", e);
    }
  }
}
