package dev.berth.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two addresses {@code registry.json} names, read with the JDK alone: the CLI's fast path
 * ({@code berth resolve}, {@code ls}, {@code env}) must not load protobuf to find the registry's
 * HTTP side, and the full reader ({@link StateDir#readRegistryInfo}) needs it. The file is the
 * registry's own canonical proto3 JSON ({@code RegistryInfo}), whose string fields hold no
 * escapes. Behind {@link StateDir#readRegistryAddresses}. Immutable.
 */
public final class RegistryAddresses {

  // literal patterns: a string concatenation is an invokedynamic bootstrap in a cold JVM
  private static final Pattern ADDRESS = Pattern.compile("\"address\"\\s*:\\s*\"([^\"\\\\]*)\"");
  // the printer writes the lowerCamel name; the parser (and a hand-written file) also takes the proto's
  private static final Pattern HTTP =
      Pattern.compile("\"(?:httpAddress|http_address)\"\\s*:\\s*\"([^\"\\\\]*)\"");
  private static final Pattern LOOPBACK = Pattern.compile("(127\\.0\\.0\\.1|\\[::1\\]):([0-9]{1,5})");

  private final String grpc;
  private final InetSocketAddress http;

  private RegistryAddresses(String grpc, InetSocketAddress http) {
    this.grpc = grpc;
    this.http = http;
  }

  /** {@code host:port} of the registry's gRPC side, as the file writes it. */
  public String grpc() {
    return grpc;
  }

  /**
   * Its HTTP side (loopback only), which serves the query view; empty when the file names none
   * (a registry from before that view, or one with its metrics endpoint off) or names one off
   * loopback, which no Berth registry does.
   */
  public Optional<InetSocketAddress> http() {
    return Optional.ofNullable(http);
  }

  static Optional<RegistryAddresses> read(Path file) throws IOException {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new IOException("cannot read " + file + ": " + e, e);
    }
    if (json.isBlank()) {
      return Optional.empty();
    }
    Matcher address = ADDRESS.matcher(json);
    if (!address.find() || address.group(1).isBlank()) {
      throw new IOException("cannot use " + file + ": it names no address");
    }
    InetSocketAddress http = null;
    Matcher h = HTTP.matcher(json);
    if (h.find()) {
      Matcher loopback = LOOPBACK.matcher(h.group(1));
      if (loopback.matches() && Integer.parseInt(loopback.group(2)) <= 65535) {
        String host = loopback.group(1).equals("[::1]") ? "::1" : loopback.group(1);
        http = new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(loopback.group(2)));
      }
    }
    return Optional.of(new RegistryAddresses(address.group(1), http));
  }
}
