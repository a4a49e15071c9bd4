package dev.berth.registry.internal;

import dev.berth.local.ServiceName;
import dev.berth.local.UnixSocketPaths;
import dev.berth.proto.v1.EndpointRequest;
import dev.berth.proto.v1.Register;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a {@code Register} message into a {@link Registration} or a Status naming the bad value. */
final class RegisterValidator {

  static final int MAX_ENDPOINTS = 16;
  static final int MAX_METADATA_BYTES = 4096;
  static final long MAX_RESERVATION_MILLIS = 600_000;

  private RegisterValidator() {}

  /** Throws {@code StatusRuntimeException} (INVALID_ARGUMENT or RESOURCE_EXHAUSTED). */
  static Registration validate(Register register) {
    String service = Names.checkService(register.getService());
    String namespace = Names.checkNamespace(register.getNamespace());
    if (register.getEndpointsCount() > MAX_ENDPOINTS) {
      throw Status.RESOURCE_EXHAUSTED
          .withDescription(String.format("endpoints: %d (expected: at most %d per instance)",
              register.getEndpointsCount(), MAX_ENDPOINTS))
          .asRuntimeException();
    }
    List<Registration.EndpointSpec> endpoints = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Set<String> paths = new HashSet<>();
    for (EndpointRequest e : register.getEndpointsList()) {
      String name = Names.checkEndpoint(e.getName());
      if (!seen.add(name)) {
        throw Names.invalid("endpoint: %s appears twice (expected: unique endpoint names)",
            Names.quote(name));
      }
      // uint32 on the wire: read it unsigned so 4294967295 is not reported as -1
      long port = Integer.toUnsignedLong(e.getPort());
      if (port > 65535) {
        throw Names.invalid("endpoint %s port: %d (expected: 0..65535)", Names.quote(name), port);
      }
      if (e.getAlreadyBound() && port == 0) {
        throw Names.invalid("endpoint %s already_bound: true with port 0 (expected: the bound port)",
            Names.quote(name));
      }
      String unixPath = checkUnixPath(name, e);
      if (!unixPath.isEmpty() && !paths.add(unixPath)) {
        throw Names.invalid("endpoint %s unix_path: %s appears twice (expected: one path per "
            + "endpoint)", Names.quote(name), Names.quote(unixPath));
      }
      String alsoUnixPath = UnixSocketCheck.checkAlsoUnixPath(name, e);
      if (!alsoUnixPath.isEmpty() && !paths.add(alsoUnixPath)) {
        throw Names.invalid("endpoint %s also_unix_path: %s appears twice (expected: one path per "
            + "endpoint)", Names.quote(name), Names.quote(alsoUnixPath));
      }
      endpoints.add(new Registration.EndpointSpec(name, (int) port, e.getAlreadyBound(), unixPath,
          alsoUnixPath));
    }
    if (endpoints.isEmpty()) {
      endpoints.add(new Registration.EndpointSpec(ServiceName.MAIN, 0, false));
    }
    if (register.getPid() < 0) {
      throw Names.invalid("pid: %d (expected: >= 0)", register.getPid());
    }
    int metadataBytes = 0;
    for (Map.Entry<String, String> m : register.getMetadataMap().entrySet()) {
      Names.checkLabel("metadata key", m.getKey());
      metadataBytes += m.getKey().getBytes(StandardCharsets.UTF_8).length
          + m.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (metadataBytes > MAX_METADATA_BYTES) {
      throw Names.invalid("metadata: %d bytes (expected: keys and values at most %d bytes)",
          metadataBytes, MAX_METADATA_BYTES);
    }
    if (Integer.toUnsignedLong(register.getReservationMillis()) > MAX_RESERVATION_MILLIS) {
      throw Names.invalid("reservation_millis: %d (expected: 0 for the default, or at most %d)",
          Integer.toUnsignedLong(register.getReservationMillis()), MAX_RESERVATION_MILLIS);
    }
    return new Registration(namespace, service, endpoints, register.getPid(),
        register.getMetadataMap());
  }

  /** The endpoint's {@code unix_path}, "" when it has none; INVALID_ARGUMENT naming it when unusable. */
  private static String checkUnixPath(String name, EndpointRequest e) {
    String path = e.getUnixPath();
    if (path.isEmpty()) {
      return path;
    }
    if (e.getPort() != 0 || e.getAlreadyBound()) {
      throw Names.invalid("endpoint %s unix_path: %s with %s (expected: a Unix socket path or a "
              + "port, not both)", Names.quote(name), Names.quote(path),
          e.getPort() != 0 ? "port " + Integer.toUnsignedLong(e.getPort()) : "already_bound");
    }
    return checkPathShape(name, "unix_path", path);
  }

  /** {@code path} if absolute, normal and short enough for a socket; INVALID_ARGUMENT naming {@code field} otherwise. */
  static String checkPathShape(String name, String field, String path) {
    int bytes = path.getBytes(StandardCharsets.UTF_8).length;
    if (!path.startsWith("/") || bytes > UnixSocketPaths.MAX_BYTES || path.indexOf('\0') >= 0) {
      throw Names.invalid("endpoint %s %s: %s (%d bytes) (expected: an absolute path of at "
          + "most %d bytes, without NUL)", Names.quote(name), field, Names.quote(path), bytes,
          UnixSocketPaths.MAX_BYTES);
    }
    // one socket, one spelling: the path table compares strings, and a client's Address.unix
    // normalises, so "/a/./s.sock" beside "/a/s.sock" would be two holders of one socket
    String normal = Path.of(path).normalize().toString();
    if (!normal.equals(path)) {
      throw Names.invalid("endpoint %s %s: %s (expected: a normal path, %s: no '.' or '..' "
          + "segment, no '//' or trailing '/')", Names.quote(name), field, Names.quote(path),
          Names.quote(normal));
    }
    return path;
  }
}
