package dev.berth.client.internal;

import com.google.protobuf.util.JsonFormat;
import dev.berth.proto.v1.RegistryInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the registry and its token. An address given explicitly (builder, the system
 * property {@code berth.registry}, or {@code $BERTH_REGISTRY}) is fixed; otherwise the
 * address comes from {@code registry.json} in the state dir and is read again on every
 * {@link #locate()}, because a restarted registry may listen on another port.
 *
 * <p>Thread-safe (immutable; every call reads the files anew).
 */
public final class RegistryLocator {
  /** The system property that overrides {@code $BERTH_REGISTRY}. */
  public static final String REGISTRY_PROPERTY = "berth.registry";
  /** Where a registry listens when nothing says otherwise. */
  public static final String DEFAULT_ADDRESS = "127.0.0.1:62893";

  private final Path stateDir;
  private final String fixedAddress;

  private RegistryLocator(Path stateDir, String fixedAddress) {
    this.stateDir = stateDir;
    this.fixedAddress = fixedAddress;
  }

  /** A locator for {@code stateDir}; {@code explicitAddress} (host:port) may be null. */
  public static RegistryLocator of(Path stateDir, String explicitAddress) {
    String fixed = explicitAddress;
    if (fixed == null) {
      fixed = nonBlank(System.getProperty(REGISTRY_PROPERTY));
    }
    if (fixed == null) {
      fixed = nonBlank(System.getenv("BERTH_REGISTRY"));
    }
    if (fixed != null) {
      HostPort.parse(fixed); // fail early on a bad value
    }
    return new RegistryLocator(stateDir, fixed);
  }

  public Path stateDir() {
    return stateDir;
  }

  /** True when the address never changes (given explicitly), false when read from files. */
  public boolean isFixed() {
    return fixedAddress != null;
  }

  /** Where the registry is now, and its token. Never throws; missing pieces become defaults. */
  public Location locate() {
    String address = fixedAddress;
    long pid = 0;
    if (address == null) {
      Optional<RegistryInfo> info = readInfo(stateDir);
      address = info.map(RegistryInfo::getAddress).filter(a -> !a.isBlank()).orElse(DEFAULT_ADDRESS);
      pid = info.map(RegistryInfo::getPid).orElse(0L);
    }
    return new Location(HostPort.parse(address), readToken(), pid);
  }

  /** {@code registry.json} of {@code stateDir}, if present and readable. */
  public static Optional<RegistryInfo> readInfo(Path stateDir) {
    try {
      String json = Files.readString(stateDir.resolve("registry.json"), StandardCharsets.UTF_8);
      RegistryInfo.Builder info = RegistryInfo.newBuilder();
      JsonFormat.parser().ignoringUnknownFields().merge(json, info);
      return Optional.of(info.build());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      // unreadable or half-written (InvalidProtocolBufferException) by a registry starting right now: treat as absent, the caller retries
      return Optional.empty();
    }
  }

  private String readToken() {
    try {
      return Files.readString(stateDir.resolve("token"), StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      return null;
    }
  }

  private static String nonBlank(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** A registry address with its token (null if the token file is missing) and pid (0 if unknown). */
  public record Location(HostPort address, String token, long pid) {}
}
