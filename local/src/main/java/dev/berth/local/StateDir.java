package dev.berth.local;

import dev.berth.local.internal.HeldLocks;
import dev.berth.local.internal.Modes;
import dev.berth.proto.v1.RegistryInfo;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The state dir of one user's Berth: {@code registry.json}, {@code token}, {@code berths.json},
 * {@code registry.pid.lock}, {@code registry.lock} and {@code registry.log}.
 *
 * <p>Where it is, first match wins: the system property {@code berth.home}, {@code $BERTH_HOME},
 * {@code $XDG_RUNTIME_DIR/berth}, {@code ~/.berth}; a blank value counts as unset.
 *
 * <p>Like ssh with {@code ~/.ssh}, Berth trusts the dir only when the current user owns it and
 * nobody else can write it, and the {@code token} only when the user owns it with mode 0600:
 * a token another user chose or can read lets them register, hijack and list. A dir this
 * process creates is 0700 and every file in it 0600. A dir of the user's own that is open to
 * others but holds nothing but Berth's files (an older Berth made its dirs 0755) is tightened
 * to 0700 with a warning; one that also holds other files is refused, because it is not
 * Berth's to chmod.
 *
 * <pre>{@code
 * StateDir dir = StateDir.of(StateDir.defaultPath()).prepare();   // created 0700 or checked
 * Optional<RegistryInfo> running = dir.readRegistryInfo();
 * }</pre>
 *
 * <p>Thread-safe (immutable; every call looks at the files anew).
 */
public final class StateDir {

  /** The system property that overrides {@code $BERTH_HOME}. */
  public static final String HOME_PROPERTY = "berth.home";
  public static final String REGISTRY_JSON = "registry.json";
  public static final String TOKEN = "token";
  public static final String BERTHS_JSON = "berths.json";
  /** Held by the registry for its whole life: the truth about whether one runs here. */
  public static final String LIFETIME_LOCK = "registry.pid.lock";
  /** Held by a client while it starts a registry, so that two clients start one. */
  public static final String START_LOCK = "registry.lock";
  public static final String LOG = "registry.log";
  /** The 0700 directory of the Unix sockets Berth's gRPC servers also listen on. */
  public static final String SOCKETS = "sock";

  private static final System.Logger LOGGER = System.getLogger(StateDir.class.getName());
  private static final List<String> BERTH_FILES =
      List.of(REGISTRY_JSON, TOKEN, BERTHS_JSON, LIFETIME_LOCK, START_LOCK, LOG, SOCKETS);

  private final Path path;

  private StateDir(Path path) {
    this.path = path;
  }

  /** The state dir at {@code path} (made absolute); nothing is checked yet. */
  public static StateDir of(Path path) {
    return new StateDir(path.toAbsolutePath().normalize());
  }

  /** The state dir by the rule above, for this process; not created. */
  public static Path defaultPath() {
    return defaultPath(System.getProperty(HOME_PROPERTY), System.getenv(), System.getProperty("user.home"));
  }

  /** The rule itself, for tests: {@code property}, then the environment, then {@code userHome}. */
  public static Path defaultPath(String property, Map<String, String> env, String userHome) {
    if (notBlank(property)) {
      return Paths.get(property.strip()).toAbsolutePath();
    }
    String home = env.get("BERTH_HOME");
    if (notBlank(home)) {
      return Paths.get(home.strip()).toAbsolutePath();
    }
    String runtime = env.get("XDG_RUNTIME_DIR");
    if (notBlank(runtime)) {
      return Paths.get(runtime.strip(), "berth").toAbsolutePath();
    }
    return Paths.get(userHome, ".berth").toAbsolutePath();
  }

  public Path path() {
    return path;
  }

  public Path file(String name) {
    return path.resolve(name);
  }

  /**
   * For a process that writes here (the registry, a client starting one, {@code berth registry start}):
   * creates the dir with mode 0700 if it is missing, tightens one of Berth's own that is open
   * to others (and Berth's files in it to 0600), then {@link #check}s it.
   *
   * @return this
   * @throws StateDirRefusedException another user owns it, or others can write it and it holds
   *     files that are not Berth's
   */
  public StateDir prepare() throws IOException {
    if (!Files.exists(path)) {
      try {
        Files.createDirectories(path, Modes.ownerOnlyDir());
      } catch (UnsupportedOperationException e) {
        Files.createDirectories(path); // not a POSIX file system
      } catch (FileAlreadyExistsException e) {
        // created meanwhile, or a file in its place: check() says which
      }
    }
    Optional<Modes.Facts> facts = Modes.of(path);
    if (facts.isPresent() && Files.isDirectory(path) && facts.get().uid() == Modes.currentUid()) {
      if (facts.get().openToGroupOrOthers() && holdsOnlyBerthFiles()) {
        Modes.chmodOwnerOnlyDir(path);
        LOGGER.log(Level.WARNING, "berth: tightened state dir {0} from mode {1} to 0700 (it holds only"
            + " Berth''s files)", path, facts.get().octal());
      }
      tightenBerthFiles();
    }
    check();
    return this;
  }

  /**
   * Refuses the dir if it exists and is not a directory, is owned by another user, or can be
   * written by group or others. A missing dir passes: there is nothing in it to trust.
   */
  public void check() throws StateDirRefusedException {
    Optional<Modes.Facts> facts;
    int me;
    try {
      if (!Files.exists(path)) {
        return;
      }
      if (!Files.isDirectory(path)) {
        throw new StateDirRefusedException(path, "state dir " + path + " is not a directory"
            + " (expected: a directory of your own, mode 0700): fix: remove it, or pick another"
            + " dir with --home or $BERTH_HOME");
      }
      facts = Modes.of(path);
      if (facts.isEmpty()) {
        return; // no owners or modes to judge on this file system
      }
      me = Modes.currentUid();
    } catch (StateDirRefusedException e) {
      throw e;
    } catch (IOException e) {
      throw new StateDirRefusedException(path, "state dir " + path + " cannot be checked: " + e);
    }
    Modes.Facts f = facts.get();
    if (f.uid() != me) {
      throw new StateDirRefusedException(path, "state dir " + path + " is owned by " + f.owner()
          + ", not by you (uid " + me + "), mode " + f.octal() + " (expected: your own dir, mode"
          + " 0700): fix: pick a dir of your own with --home or $BERTH_HOME, or have its owner remove it");
    }
    if (f.writableByGroupOrOthers()) {
      throw new StateDirRefusedException(path, "state dir " + path + " is writable by others"
          + " (owner " + f.owner() + ", mode " + f.octal() + "; expected: 0700): fix: chmod 700 " + path);
    }
  }

  /**
   * The token, after {@link #check}ing the dir and the file: it must be the user's own, mode
   * 0600 (or stricter). Empty when there is no token yet.
   *
   * @throws StateDirRefusedException the dir or the token is not to be trusted
   * @throws IOException the token cannot be read (a directory in its place, bad bytes)
   */
  public Optional<String> readToken() throws IOException {
    return new TokenFile(this).read();
  }

  /** Refuses a {@code token} that is not the user's own with mode 0600; a missing one passes. */
  public void checkToken() throws StateDirRefusedException {
    new TokenFile(this).check();
  }

  /**
   * For the registry: the token, reused when the file holds one (clients already running
   * have read it), else created with mode 0600 so that other users cannot read it. One that
   * is not the user's own with mode 0600 is refused: another user may know it. One that cannot
   * be read or holds no token (bad bytes, a directory in its place) is moved aside (named by
   * {@code clock}) and replaced. Two registries racing here end with one token.
   */
  public String loadOrCreateToken(Clock clock) throws IOException {
    return new TokenFile(this).loadOrCreate(clock);
  }

  /**
   * {@code registry.json}: where the registry of this dir listens. Empty when there is none
   * (no registry runs, or it has not finished starting).
   *
   * @throws IOException it exists but cannot be read or parsed; the message names the file
   */
  public Optional<RegistryInfo> readRegistryInfo() throws IOException {
    return new RegistryJson(this).read();
  }

  /**
   * {@code registry.json}'s gRPC and HTTP addresses, read without protobuf (for the CLI's fast
   * path); empty like {@link #readRegistryInfo}. Believe them, like that, only while {@link
   * #registryRunning}.
   *
   * @throws IOException it exists but cannot be read or names no address; the message names the file
   */
  public Optional<RegistryAddresses> readRegistryAddresses() throws IOException {
    return RegistryAddresses.read(file(REGISTRY_JSON));
  }

  /**
   * For the registry: replaces {@code registry.json} atomically (temp file, fsync, rename),
   * so a reader sees the old file or the new one; something else in its place (a directory)
   * is moved aside first, named by {@code clock}.
   */
  public void writeRegistryInfo(RegistryInfo info, Clock clock) throws IOException {
    new RegistryJson(this).write(info, clock);
  }

  /**
   * For the registry as it stops: removes {@code registry.json} if it still describes
   * {@code ours} (address and pid): a registry started later on the same dir may have
   * replaced it, and its file must stay.
   */
  public void removeRegistryInfo(RegistryInfo ours) throws IOException {
    new RegistryJson(this).removeIfOurs(ours);
  }

  /**
   * Whether a registry holds this dir's lifetime lock, i.e. runs here or is starting: the
   * truth even when it is too slow to answer a probe. Looks without waiting; the lock is
   * held for a few microseconds at most.
   */
  public boolean registryRunning() {
    return HeldLocks.isLocked(file(LIFETIME_LOCK));
  }

  /** Creates {@code name} empty with mode 0600 if it is missing; returns its path. */
  public Path createFile(String name) throws IOException {
    Path file = file(name);
    try {
      Files.createFile(file, Modes.ownerOnlyFile());
    } catch (FileAlreadyExistsException e) {
      // keep it
    } catch (UnsupportedOperationException e) {
      Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND).close();
    }
    return file;
  }

  /** Whether {@code name} is one of Berth's files (or a temp file or kept copy of one). */
  static boolean isBerthFile(String name) {
    for (String berth : BERTH_FILES) {
      if (name.equals(berth) || name.startsWith(berth + ".unreadable")
          || (name.startsWith("." + berth + ".") && name.endsWith(".tmp"))) {
        return true;
      }
    }
    return false;
  }

  private boolean holdsOnlyBerthFiles() throws IOException {
    try (Stream<Path> entries = Files.list(path)) {
      return entries.allMatch(p -> isBerthFile(p.getFileName().toString()));
    }
  }

  /** Berth's own files that an older Berth left readable by others become 0600; not the token. */
  private void tightenBerthFiles() throws IOException {
    int me = Modes.currentUid();
    for (String name : BERTH_FILES) {
      Path file = file(name);
      if (name.equals(TOKEN) || !Files.isRegularFile(file)) {
        continue; // a token open to others is refused, not repaired: others may know it
      }
      Optional<Modes.Facts> facts = Modes.of(file);
      if (facts.isPresent() && facts.get().uid() == me && facts.get().openToGroupOrOthers()) {
        Modes.chmodOwnerOnlyFile(file);
      }
    }
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
