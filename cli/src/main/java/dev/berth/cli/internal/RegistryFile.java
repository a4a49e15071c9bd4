package dev.berth.cli.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.berth.proto.v1.RegistryInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Reads {@code registry.json} (a {@link RegistryInfo} in proto3 JSON) from a state dir. */
final class RegistryFile {

  static final String NAME = "registry.json";

  private RegistryFile() {}

  static Optional<RegistryInfo> read(Path stateDir) {
    Path file = stateDir.resolve(NAME);
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw CliException.failure("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (json.isBlank()) {
      return Optional.empty(); // being written right now
    }
    RegistryInfo.Builder info = RegistryInfo.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(json, info);
    } catch (InvalidProtocolBufferException e) {
      throw CliException.failure("cannot parse " + file + ": " + e.getMessage(), e);
    }
    return Optional.of(info.build());
  }
}
