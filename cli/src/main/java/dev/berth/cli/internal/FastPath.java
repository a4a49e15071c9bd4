package dev.berth.cli.internal;

import dev.berth.cli.BerthCli;
import dev.berth.local.Namespace;
import dev.berth.local.RegistryAddresses;
import dev.berth.local.ServiceName;
import dev.berth.local.StateDir;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.TreeSet;

/**
 * {@code berth resolve}, {@code ls} and {@code env} without gRPC, Netty, protobuf or picocli:
 * the Main-Class of {@code berth-launcher.jar}, which holds only these classes and names
 * {@code berth.jar} in its {@code Class-Path}, so that the big jar is opened only when this
 * cannot answer. It reads the state dir with plain JDK classes and asks the registry's
 * token-protected JSON view ({@code /v1/resolve}, {@code /v1/instances}) over one loopback
 * socket, then prints through the same formatters as the picocli commands ({@link LsOutput},
 * {@link EnvOutput}), byte for byte. The namespace is chosen by the same {@link NamespaceChoice}
 * ({@code -n}, {@code $BERTH_NAMESPACE}, the stack of the current directory): {@code resolve}
 * asks the view in it, {@code env} and {@code ls} filter the view's instances as the picocli
 * commands do.
 *
 * <p>Anything it does not recognise exactly, and every failure but "no live instance", runs
 * the full CLI ({@link BerthCli#main}) with the same arguments, which then says what it always
 * says: other verbs and options (including {@code --help}, {@code --verbose},
 * {@code --registry}, {@code @file}s), {@code $BERTH_REGISTRY}, a bad name, a state dir or
 * token not to be trusted, no registry holding the lifetime lock, a registry.json without an
 * HTTP address (an older registry), any I/O error or unexpected answer (a wrong token's 401).
 * Nothing is printed before the answer is complete, so a fall-through never doubles output.
 * Trust as the client library's: registry.json is believed only while a registry holds the
 * state dir's lifetime lock, and only a loopback HTTP address is used.
 *
 * <p>Runs on the main thread.
 */
public final class FastPath {

  /** "Not answered here": the full CLI runs. */
  static final int FALL_THROUGH = -1;

  private FastPath() {}

  /** The fast path, else {@code BerthCli.main(args)}; exits the JVM with the exit code. */
  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code == FALL_THROUGH) {
      String fullJar = fullJar(System.getProperty("java.class.path"));
      if (fullJar != null) {
        // what the full CLI starts (the daemon with its archive, the demo's services) runs
        // from berth.jar, which is where it really loads from, not from this launcher
        System.setProperty("java.class.path", fullJar);
      }
      BerthCli.main(args);
      return;
    }
    System.exit(code);
  }

  /**
   * The absolute path of {@code berth.jar} when {@code classPath} is only this launcher jar
   * (its {@code Class-Path} names {@code berth.jar} beside it); null otherwise (a test's class
   * dirs, berth.jar itself).
   */
  static String fullJar(String classPath) {
    if (classPath == null || classPath.indexOf(java.io.File.pathSeparatorChar) >= 0
        || !classPath.endsWith("berth-launcher.jar")) {
      return null;
    }
    Path full = Path.of(classPath).toAbsolutePath().normalize().resolveSibling("berth.jar");
    return Files.isRegularFile(full) ? full.toString() : null;
  }

  /** The exit code of the answered command, or {@link #FALL_THROUGH} with nothing written. */
  static int run(String[] args, PrintStream stdout, PrintStream stderr) {
    Query q = Query.parse(args);
    if (q == null || notBlank(System.getenv("BERTH_REGISTRY"))) {
      return FALL_THROUGH;
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    try {
      code = answer(q, new PrintWriter(out), new PrintWriter(err));
    } catch (IOException | RuntimeException e) {
      return FALL_THROUGH; // the full CLI says what went wrong, in its own words
    }
    if (code != FALL_THROUGH) {
      // as picocli's own writers: the platform's encoding unless the JVM was told otherwise
      write(stderr, "sun.stderr.encoding", err.toString());
      write(stdout, "sun.stdout.encoding", out.toString());
    }
    return code;
  }

  private static int answer(Query q, PrintWriter out, PrintWriter err) throws IOException {
    Path home = q.home != null ? Paths.get(q.home).toAbsolutePath().normalize() : StateDir.defaultPath();
    StateDir dir = StateDir.of(home);
    Optional<String> token = dir.readToken(); // checks the dir and the token's owner and mode first
    if (token.isEmpty() || !dir.registryRunning()) {
      return FALL_THROUGH;
    }
    Optional<RegistryAddresses> addresses = dir.readRegistryAddresses();
    if (addresses.isEmpty() || addresses.get().http().isEmpty()) {
      return FALL_THROUGH; // an older registry, or its HTTP side is off: gRPC it is
    }
    InetSocketAddress http = addresses.get().http().get();
    String env = System.getenv(Namespace.ENV);
    switch (q.verb) {
      case "resolve":
        return resolve(q, NamespaceChoice.of(q.namespace, env, Paths.get("")), http, token.get(), out, err);
      case "ls":
        String shown = NamespaceChoice.filter(q.namespace, env); // null: all
        List<InstanceRow> rows = instances(http, token.get());
        if (rows == null) {
          return FALL_THROUGH;
        }
        if (shown != null) {
          rows = NamespaceChoice.only(rows, shown);
        }
        if (q.json) {
          LsOutput.json(rows, out);
        } else if (rows.isEmpty()) {
          out.println(LsOutput.none(addresses.get().grpc(), shown));
        } else {
          LsOutput.table(rows, out, "", Instant.now());
        }
        return 0;
      default: // env
        List<InstanceRow> vars = instances(http, token.get());
        if (vars == null) {
          return FALL_THROUGH;
        }
        EnvOutput.print(NamespaceChoice.visible(vars, NamespaceChoice.of(q.namespace, env, Paths.get(""))),
            out, err, q.format);
        return 0;
    }
  }

  private static int resolve(Query q, String namespace, InetSocketAddress http, String token,
      PrintWriter out, PrintWriter err) throws IOException {
    ViewClient.Response r = ViewClient.get(http, token, "/v1/resolve?service="
        + URLEncoder.encode(q.name.service(), StandardCharsets.UTF_8)
        + "&endpoint=" + URLEncoder.encode(q.name.endpoint(), StandardCharsets.UTF_8)
        + (namespace.isEmpty() ? "" : "&namespace=" + URLEncoder.encode(namespace, StandardCharsets.UTF_8)));
    if (r.status() == 404) {
      // as ResolveCommand: the other live endpoints of the service are a likely typo
      List<InstanceRow> rows = instances(http, token);
      if (rows == null) {
        return FALL_THROUGH;
      }
      Set<String> others = new TreeSet<>();
      for (InstanceRow row : NamespaceChoice.visible(rows, namespace)) {
        if (row.service.equals(q.name.service())) {
          others.add(row.service + "/" + row.endpoint);
        }
      }
      err.println("berth: " + OneLine.of("no live instance of '" + q.name + "'"
          + (others.isEmpty() ? "" : " (live: " + String.join(", ", others) + ")")));
      return 1;
    }
    if (r.status() != 200) {
      return FALL_THROUGH;
    }
    List<?> addresses = (List<?>) ((Map<?, ?>) ViewJson.parse(r.body())).get("addresses");
    if (addresses == null || addresses.isEmpty()) {
      return FALL_THROUGH;
    }
    for (Object a : addresses) {
      out.println((String) a);
      if (!q.all) {
        break;
      }
    }
    return 0;
  }

  /** The rows of {@code /v1/instances}, or null when it did not answer 200. */
  private static List<InstanceRow> instances(InetSocketAddress http, String token) throws IOException {
    ViewClient.Response r = ViewClient.get(http, token, "/v1/instances");
    if (r.status() != 200) {
      return null;
    }
    List<InstanceRow> rows = new ArrayList<>();
    for (Object o : (List<?>) ViewJson.parse(r.body())) {
      Map<?, ?> m = (Map<?, ?>) o;
      Object since = m.get("liveSince");
      rows.add(new InstanceRow((String) m.get("namespace"), (String) m.get("service"), // no key: ""
          (String) m.get("endpoint"), ((Long) m.get("port")).intValue(), (String) m.get("address"),
          (String) m.get("listenAddress"), (Long) m.get("pid"), // listenAddress: null when unknown
          (String) m.get("instance"), since == null ? null : Instant.parse((String) since)));
    }
    return rows;
  }

  private static void write(PrintStream stream, String encodingProperty, String text) {
    if (text.isEmpty()) {
      return;
    }
    String encoding = System.getProperty(encodingProperty);
    Charset charset = encoding != null ? Charset.forName(encoding) : Charset.defaultCharset();
    PrintWriter w = new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset)));
    w.print(text);
    w.flush();
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  /**
   * The command line, if it is exactly one this path answers: {@code resolve NAME[/EP] [--all]},
   * {@code ls [--json]}, {@code env [--format F]}, each with at most one {@code --home DIR} and
   * one {@code -n NS} ({@code --namespace NS}, {@code --namespace=NS}) anywhere; else null.
   * Filled in by {@link #parse}, then only read.
   */
  static final class Query {
    String verb;
    String home;
    String namespace;
    ServiceName name;
    boolean all;
    boolean json;
    EnvOutput.Format format = EnvOutput.Format.SHELL;

    private Query() {}

    static Query parse(String[] args) {
      Query q = new Query();
      boolean formatGiven = false;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.startsWith("@")) {
          return null; // picocli reads @files
        }
        String value = null;
        String option = a;
        if (a.startsWith("--") && a.indexOf('=') > 2) {
          option = a.substring(0, a.indexOf('='));
          value = a.substring(a.indexOf('=') + 1);
        }
        if (option.equals("-n")) {
          option = "--namespace";
        }
        if (option.equals("--home") || option.equals("--format") || option.equals("--namespace")) {
          if (value == null) {
            if (i + 1 >= args.length) {
              return null;
            }
            value = args[++i];
          }
          if (value.isBlank() || value.startsWith("-") || value.startsWith("@")) {
            return null;
          }
          if (option.equals("--home")) {
            if (q.home != null) {
              return null; // picocli refuses an option given twice
            }
            q.home = value;
            continue;
          }
          if (option.equals("--namespace")) {
            if (q.namespace != null) {
              return null;
            }
            q.namespace = value;
            continue;
          }
          if (!"env".equals(q.verb) || formatGiven) {
            return null;
          }
          formatGiven = true;
          q.format = format(value);
          if (q.format == null) {
            return null;
          }
        } else if (q.verb == null && (a.equals("resolve") || a.equals("ls") || a.equals("env"))) {
          q.verb = a;
        } else if ("resolve".equals(q.verb) && a.equals("--all") && !q.all) {
          q.all = true;
        } else if ("ls".equals(q.verb) && a.equals("--json") && !q.json) {
          q.json = true;
        } else if ("resolve".equals(q.verb) && q.name == null && !a.startsWith("-")) {
          q.name = name(a);
          if (q.name == null) {
            return null; // the full CLI has the usage error
          }
        } else {
          return null;
        }
      }
      if (q.verb == null || (q.verb.equals("resolve") && q.name == null)) {
        return null;
      }
      return q;
    }

    private static ServiceName name(String text) {
      if (text.indexOf('/') != text.lastIndexOf('/')) {
        return null;
      }
      try {
        return ServiceName.parse(text, new Refusal());
      } catch (IllegalArgumentException e) {
        return null;
      }
    }

    /** A class, not a lambda: the first lambda's bootstrap costs a cold JVM more than this path. */
    private static final class Refusal implements BiFunction<String, String, IllegalArgumentException> {
      @Override
      public IllegalArgumentException apply(String part, String value) {
        return new IllegalArgumentException(part);
      }
    }

    private static EnvOutput.Format format(String text) {
      for (EnvOutput.Format f : EnvOutput.Format.values()) {
        if (f.name().equalsIgnoreCase(text)) {
          return f;
        }
      }
      return null;
    }
  }
}
