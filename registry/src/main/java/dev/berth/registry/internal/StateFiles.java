package dev.berth.registry.internal;

import dev.berth.local.StateDir;
import dev.berth.proto.v1.RegistryInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The registry's files in the state dir: {@code token}, {@code registry.json} and the path of
 * {@code berths.json}. How each is read, written and trusted is {@link StateDir}'s, shared
 * with every Berth process; this binds it to the registry's dir and clock. Thread-safe
 * (stateless apart from the directory).
 */
final class StateFiles {

  private final StateDir state;
  private final Clock clock;

  StateFiles(Path dir) {
    this(dir, Clock.systemUTC());
  }

  /** {@code clock} names the copies of unreadable files. */
  StateFiles(Path dir, Clock clock) {
    this.state = StateDir.of(dir);
    this.clock = clock;
  }

  Clock clock() {
    return clock;
  }

  Path dir() {
    return state.path();
  }

  Path tokenFile() {
    return state.file(StateDir.TOKEN);
  }

  Path registryJson() {
    return state.file(StateDir.REGISTRY_JSON);
  }

  Path berthsJson() {
    return state.file(StateDir.BERTHS_JSON);
  }

  /** Creates the dir 0700 if missing, or checks it ({@link StateDir#prepare}). */
  void createDir() throws IOException {
    state.prepare();
  }

  /** {@link StateDir#loadOrCreateToken}. */
  String loadOrCreateToken() throws IOException {
    return state.loadOrCreateToken(clock);
  }

  void writeRegistryInfo(RegistryInfo info) throws IOException {
    state.writeRegistryInfo(info, clock);
  }

  /**
   * Deletes whatever {@code registry.json} says, for a caller holding the lifetime lock: it is
   * then a dead registry's, naming ports anyone may hold now. Only a regular file: anything
   * else in its place is left for the writer, which moves it aside (nothing of the user's lost).
   */
  void removeDeadRegistryInfo() throws IOException {
    Path file = registryJson();
    if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(file);
    }
  }

  /** {@link StateDir#removeRegistryInfo}: only while it still describes {@code ours}. */
  void removeRegistryInfo(RegistryInfo ours) throws IOException {
    state.removeRegistryInfo(ours);
  }
}
