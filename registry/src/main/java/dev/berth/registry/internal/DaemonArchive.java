package dev.berth.registry.internal;

import dev.berth.local.RegistryArchive;
import dev.berth.local.RegistryLauncher;
import dev.berth.local.StateDir;
import dev.berth.proto.v1.AttachRequest;
import dev.berth.proto.v1.AttachResponse;
import dev.berth.proto.v1.BerthsRequest;
import dev.berth.proto.v1.ConflictsRequest;
import dev.berth.proto.v1.EndpointRequest;
import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.Ready;
import dev.berth.proto.v1.Register;
import dev.berth.proto.v1.RegistryGrpc;
import dev.berth.proto.v1.ResolveRequest;
import dev.berth.proto.v1.Snapshot;
import dev.berth.proto.v1.WatchRequest;
import dev.berth.proto.v1.WhoHasRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Builds the class-data-sharing archive the registry daemon starts with (issue 11: a cold
 * daemon JVM spends most of its start loading and verifying classes; mapped from an archive,
 * they are there at once). Run at {@code mvn package} on the shaded jar:
 *
 * <pre>{@code
 * java -cp /abs/berth.jar dev.berth.registry.internal.DaemonArchive /abs/berth.jar
 * }</pre>
 *
 * <p>It starts a daemon exactly as {@link RegistryLauncher} does, plus
 * {@code -XX:DumpLoadedClassList}, makes the calls of a registry's life (health, attach and
 * ready, resolve, list, watch, who-has, conflicts, berths, reflection, {@code /metrics}, {@code /sd}),
 * stops it with SIGTERM, and dumps a static archive of the classes it loaded for exactly that
 * jar ({@code -Xshare:dump}; the daemon halts on SIGTERM, so {@code -XX:ArchiveClassesAtExit}
 * never runs) beside the jar, {@link RegistryArchive#of}, with its stamp. {@link RegistryLauncher}
 * uses the archive only when it was made for the jar the daemon runs from and that JVM. When
 * something fails it says so in one line on stderr and makes no archive, and still exits 0: the
 * daemon starts without one, only slower, which is no reason to fail a build. Single-threaded.
 */
public final class DaemonArchive {

  private static final long WAIT_SECONDS = 60; // a build on a loaded machine is slow, not broken
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  /** The training registry needs two berths (its own berth/metrics, one service): room to spare. */
  private static final int POOL_SIZE = 16;

  private DaemonArchive() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: DaemonArchive JAR");
      System.exit(2);
    }
    Path jar = Path.of(args[0]).toAbsolutePath().normalize();
    Path archive = RegistryArchive.of(jar);
    Path work = Files.createTempDirectory("berth-archive");
    try {
      Path classList = work.resolve("registry.classlist");
      // the old archive goes first: the training daemon must load every class from the jar
      Files.deleteIfExists(RegistryArchive.stampOf(archive));
      Files.deleteIfExists(archive);
      for (int attempt = 1; ; attempt++) {
        try {
          train(jar, Files.createTempDirectory(work, "home"), classList);
          break;
        } catch (IOException e) {
          if (attempt == 3) {
            throw e;
          }
          // another process took the ports of the training pool meanwhile: try another pool
          Files.deleteIfExists(classList);
        }
      }
      dump(jar, classList, archive);
    } catch (IOException | RuntimeException e) {
      // a build is not broken by it: the daemon starts without an archive, only slower
      System.err.println("DaemonArchive: no archive for " + jar + ", the registry daemon will start"
          + " without one: " + e.getMessage());
    } finally {
      try {
        deleteTree(work);
      } catch (IOException | UncheckedIOException e) {
        System.err.println("DaemonArchive: cannot delete " + work + ": " + e.getMessage());
      }
    }
  }

  /** Runs a daemon on {@code jar} through a registry's life, listing the classes it loads. */
  private static void train(Path jar, Path home, Path classList) throws Exception {
    List<String> flags = new ArrayList<>(RegistryLauncher.JVM_FLAGS);
    flags.add("-XX:DumpLoadedClassList=" + classList);
    int first = freeSpan(POOL_SIZE);
    Process daemon = RegistryLauncher.of(StateDir.of(home)).port(0)
        .ports(first + "-" + (first + POOL_SIZE - 1)).jvmFlags(flags).classPath(jar.toString())
        .outputToCaller().start();
    try {
      // bounded: a daemon that hangs before it listens must not hang the build
      CompletableFuture<Integer> listening = CompletableFuture.supplyAsync(() -> {
        try {
          return listeningPort(daemon.getInputStream());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      int port;
      try {
        port = listening.get(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new IOException("the training registry did not listen within " + WAIT_SECONDS + " s");
      } catch (ExecutionException e) {
        throw new IOException(e.getCause().getMessage(), e.getCause());
      }
      String token = Files.readString(home.resolve(StateDir.TOKEN), StandardCharsets.US_ASCII).trim();
      calls(port, token, home);
      daemon.destroy(); // SIGTERM: the shutdown path is part of a registry's life too
      if (!daemon.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException("the training registry did not stop on SIGTERM");
      }
    } finally {
      daemon.destroyForcibly();
    }
    if (!Files.isRegularFile(classList) || Files.size(classList) == 0) {
      throw new IOException("the training registry listed no classes in " + classList);
    }
  }

  private static void calls(int port, String token, Path home) throws Exception {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("berth-token", Metadata.ASCII_STRING_MARSHALLER), token);
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
        .intercept(MetadataUtils.newAttachHeadersInterceptor(headers)).build();
    try {
      HealthGrpc.newBlockingStub(channel).withDeadlineAfter(WAIT_SECONDS, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance());
      RegistryGrpc.RegistryBlockingStub registry = RegistryGrpc.newBlockingStub(channel)
          .withDeadlineAfter(WAIT_SECONDS, TimeUnit.SECONDS);
      BlockingQueue<Object> watched = new LinkedBlockingQueue<>();
      RegistryGrpc.newStub(channel).watch(WatchRequest.newBuilder().setService("train").build(),
          into(watched));
      BlockingQueue<Object> attach = new LinkedBlockingQueue<>();
      StreamObserver<AttachRequest> lease = RegistryGrpc.newStub(channel).attach(into(attach));
      lease.onNext(AttachRequest.newBuilder().setRegister(Register.newBuilder().setService("train")
          .setPid(ProcessHandle.current().pid())
          .addEndpoints(EndpointRequest.newBuilder().setName("main"))).build());
      AttachResponse assigned = (AttachResponse) take(attach);
      try (ServerSocket listening = new ServerSocket()) {
        listening.bind(new InetSocketAddress(LOOPBACK,
            assigned.getAssigned().getEndpoints(0).getPort()));
        lease.onNext(AttachRequest.newBuilder().setReady(Ready.getDefaultInstance()).build());
        take(attach); // live
        for (int i = 0; i < 200; i++) { // Resolve is the hot call: its path is worth archiving whole
          registry.resolve(ResolveRequest.newBuilder().setService("train").build());
        }
        registry.list(ListRequest.getDefaultInstance());
        registry.whoHas(WhoHasRequest.newBuilder().setPort(listening.getLocalPort()).build());
        registry.conflicts(ConflictsRequest.getDefaultInstance());
        registry.berths(BerthsRequest.getDefaultInstance());
        take(watched);
        reflection(channel);
        int metrics = registry.resolve(ResolveRequest.newBuilder().setService("berth")
            .setEndpoint("metrics").build()).getTargets(0).getPort();
        httpGet(metrics, "/metrics");
        httpGet(metrics, "/sd");
        lease.onCompleted();
      }
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static void reflection(ManagedChannel channel) throws Exception {
    BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel).serverReflectionInfo(into(answers));
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onNext(ServerReflectionRequest.newBuilder()
        .setFileContainingSymbol(RegistryGrpc.SERVICE_NAME).build());
    take(answers);
    take(answers);
    requests.onCompleted();
  }

  private static <T> StreamObserver<T> into(BlockingQueue<Object> queue) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        queue.add(value);
      }

      @Override
      public void onError(Throwable t) {
        queue.add(t);
      }

      @Override
      public void onCompleted() {}
    };
  }

  private static Object take(BlockingQueue<Object> queue) throws Exception {
    Object next = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    if (next == null || next instanceof Throwable) {
      throw new IOException("the training registry did not answer: " + next);
    }
    return next;
  }

  /** A plain HTTP/1.0 GET, read to the end: no HTTP client classes in this JVM's way. */
  private static void httpGet(int port, String path) throws IOException {
    try (Socket s = new Socket(LOOPBACK, port)) {
      s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      s.getInputStream().readAllBytes();
    }
  }

  private static int listeningPort(InputStream out) throws IOException {
    BufferedReader lines = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8));
    String line;
    while ((line = lines.readLine()) != null) {
      // "berth registry listening on 127.0.0.1:PORT (state DIR)"
      if (line.startsWith("berth registry listening on ")) {
        String address = line.split(" ")[4];
        Thread drain = new Thread(() -> drain(lines), "berth-archive-drain");
        drain.setDaemon(true);
        drain.start();
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
      }
    }
    throw new IOException("the training registry exited before it listened");
  }

  private static void drain(BufferedReader lines) {
    try {
      while (lines.readLine() != null) {
        // the registry's own output is not the build's
      }
    } catch (IOException gone) {
      // it exited
    }
  }

  /**
   * {@code -Xshare:dump} of {@code classList} for {@code jar}, the daemon's flags on, into a
   * temporary file renamed into place, then the stamp: a JVM handed a truncated archive crashes.
   */
  private static void dump(Path jar, Path classList, Path archive) throws Exception {
    Path stamp = RegistryArchive.stampOf(archive);
    Files.deleteIfExists(stamp);
    Files.deleteIfExists(archive);
    Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
    List<String> command = new ArrayList<>(List.of(RegistryLauncher.javaBinary()));
    command.addAll(RegistryLauncher.JVM_FLAGS);
    command.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList,
        "-XX:SharedArchiveFile=" + partial, "-cp", jar.toString(), "-version"));
    Path log = archive.resolveSibling(archive.getFileName() + ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try {
      boolean exited = p.waitFor(WAIT_SECONDS * 5, TimeUnit.SECONDS); // bounded, as every wait
      if (!exited || p.exitValue() != 0 || !Files.isRegularFile(partial)) {
        Files.deleteIfExists(partial);
        throw new IOException("java -Xshare:dump " + (exited ? "failed" : "did not finish within "
            + WAIT_SECONDS * 5 + " s") + ": " + Files.readString(log, StandardCharsets.UTF_8).strip());
      }
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(log);
    }
    Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
    Files.writeString(stamp, RegistryArchive.stamp(jar), StandardCharsets.UTF_8);
  }

  /** The first of {@code n} consecutive loopback ports free right now, above the ephemeral start. */
  private static int freeSpan(int n) throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int first;
      try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
        first = s.getLocalPort();
      }
      if (first + n - 1 <= 65535 && allFree(first, n)) {
        return first;
      }
    }
    throw new IOException("no " + n + " consecutive free loopback ports");
  }

  private static boolean allFree(int first, int n) {
    for (int port = first; port < first + n; port++) {
      try {
        new ServerSocket(port, 1, LOOPBACK).close();
      } catch (IOException taken) {
        return false;
      }
    }
    return true;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
