package dev.berth.registry.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.berth.local.internal.AtomicFile;
import dev.berth.local.internal.UnreadableFiles;
import dev.berth.proto.v1.StickyBerth;
import dev.berth.proto.v1.StickyBerths;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code berths.json} on disk: read leniently (what cannot be used is set aside, never lost),
 * written atomically. Stateless; {@link StickyPorts} serializes its writes.
 *
 * <p>Public for {@link #peek} only: {@code berth doctor} reads the file by the registry's own
 * rules without changing anything. Not an API.
 */
public final class BerthsFile {

  private static final System.Logger LOG = System.getLogger(BerthsFile.class.getName());

  /** The usable entries of the file, in file order, and how many were dropped. */
  record Read(List<StickyBerth> berths, int dropped) {}

  /**
   * What {@link #peek} found: the usable entries in file order, one line for each entry the
   * registry would drop, and why the file cannot be read at all (empty when it can, or is missing).
   */
  public record Peek(List<StickyBerth> berths, List<String> dropped, Optional<String> unreadable) {}

  private BerthsFile() {}

  /**
   * Reads {@code file} if it exists. A file that cannot be read at all (bad UTF-8, not JSON, a
   * directory in its place) is moved aside under a name of its own, not lost, and reads as
   * empty. An entry that cannot be used (a port out of range, a bad name) is dropped with a
   * warning and every other entry kept; a copy of the file as it was is kept too.
   */
  static Read read(Path file, Clock clock) throws IOException {
    String json;
    try {
      if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("a directory");
      }
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new Read(List.of(), 0);
    } catch (IOException e) {
      UnreadableFiles.moveAside(file, UnreadableFiles.describe(e), clock);
      return new Read(List.of(), 0);
    }
    List<StickyBerth> berths = new ArrayList<>();
    List<String> why = new ArrayList<>();
    int dropped;
    try {
      parse(json, berths, why);
      dropped = why.size();
      for (String w : why) {
        LOG.log(Level.WARNING, "{0}: {1}", file, w);
      }
    } catch (InvalidProtocolBufferException e) {
      UnreadableFiles.moveAside(file, e.getMessage(), clock);
      return new Read(List.of(), 0);
    }
    if (dropped > 0) {
      UnreadableFiles.keepCopy(file, dropped + " unusable entr" + (dropped == 1 ? "y" : "ies"), clock);
    }
    return new Read(berths, dropped);
  }

  /**
   * Reads {@code file} as {@link #read} does, but changes nothing: an unreadable file stays where
   * it is and nothing is logged. For {@code berth doctor}. A missing file is an empty one.
   */
  public static Peek peek(Path file) {
    String json;
    try {
      if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("a directory");
      }
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new Peek(List.of(), List.of(), Optional.empty());
    } catch (IOException e) {
      return new Peek(List.of(), List.of(), Optional.of(UnreadableFiles.describe(e)));
    }
    List<StickyBerth> berths = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    try {
      parse(json, berths, dropped);
    } catch (InvalidProtocolBufferException e) {
      return new Peek(List.of(), List.of(), Optional.of(e.getMessage()));
    }
    return new Peek(List.copyOf(berths), List.copyOf(dropped), Optional.empty());
  }

  /** Writes {@code berths} to {@code file} atomically (temp, fsync, rename). */
  static void write(Path file, StickyBerths berths) throws IOException {
    AtomicFile.write(file, JsonFormat.printer().print(berths).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The usable entries of {@code json} into {@code out}, in file order, and one line into
   * {@code dropped} for each entry that cannot be used. Throws when the text is not a JSON
   * object at all.
   */
  private static void parse(String json, List<StickyBerth> out, List<String> dropped)
      throws InvalidProtocolBufferException {
    try {
      StickyBerths.Builder whole = StickyBerths.newBuilder();
      JsonFormat.parser().ignoringUnknownFields().merge(json, whole);
      for (StickyBerth b : whole.getBerthsList()) {
        keepIfUsable(b, out, dropped);
      }
      return;
    } catch (InvalidProtocolBufferException e) {
      // one bad entry fails the whole message: read the file as plain JSON, entry by entry
    }
    Struct.Builder tree = Struct.newBuilder();
    JsonFormat.parser().merge(json, tree); // not JSON, or not an object: the caller moves it aside
    Value list = tree.getFieldsOrDefault("berths", Value.getDefaultInstance());
    if (!list.hasListValue()) {
      throw new InvalidProtocolBufferException("no \"berths\" list");
    }
    int index = 0;
    for (Value element : list.getListValue().getValuesList()) {
      StickyBerth.Builder b = StickyBerth.newBuilder();
      try {
        JsonFormat.parser().ignoringUnknownFields().merge(JsonFormat.printer().print(element), b);
        keepIfUsable(b.build(), out, dropped);
      } catch (InvalidProtocolBufferException e) {
        dropped.add("dropped entry " + index + " (" + oneLine(element) + "): " + e.getMessage());
      }
      index++;
    }
  }

  /**
   * Adds {@code b} to {@code out} when its names are labels (its namespace absent or a label)
   * and every port is in 1..65535, else a line saying why to {@code dropped}.
   */
  private static void keepIfUsable(StickyBerth b, List<StickyBerth> out, List<String> dropped) {
    String problem = null;
    if (!Names.isLabel(b.getService()) || !Names.isLabel(b.getEndpoint())) {
      problem = "service and endpoint must be DNS labels";
    } else if (!Names.isNamespace(b.getNamespace())) {
      problem = "namespace " + Names.quote(b.getNamespace()) + " (expected: absent, \"\" or a DNS label)";
    } else {
      for (int port : b.getPortsList()) {
        if (port < 1 || port > 65535) {
          problem = "port " + Integer.toUnsignedString(port) + " (expected: 1..65535)";
          break;
        }
      }
    }
    if (problem != null) {
      dropped.add("dropped the entry for " + Names.quote(b.getService()) + "/"
          + Names.quote(b.getEndpoint()) + ": " + problem);
      return;
    }
    out.add(b);
  }

  private static String oneLine(Value element) {
    try {
      return JsonFormat.printer().omittingInsignificantWhitespace().print(element);
    } catch (InvalidProtocolBufferException e) {
      return "?";
    }
  }
}
