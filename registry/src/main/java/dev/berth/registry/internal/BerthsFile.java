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

/**
 * {@code berths.json} on disk: read leniently (what cannot be used is set aside, never lost),
 * written atomically. Stateless; {@link StickyPorts} serializes its writes.
 */
final class BerthsFile {

  private static final System.Logger LOG = System.getLogger(BerthsFile.class.getName());

  /** The usable entries of the file, in file order, and how many were dropped. */
  record Read(List<StickyBerth> berths, int dropped) {}

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
    int dropped;
    try {
      dropped = parse(file, json, berths);
    } catch (InvalidProtocolBufferException e) {
      UnreadableFiles.moveAside(file, e.getMessage(), clock);
      return new Read(List.of(), 0);
    }
    if (dropped > 0) {
      UnreadableFiles.keepCopy(file, dropped + " unusable entr" + (dropped == 1 ? "y" : "ies"), clock);
    }
    return new Read(berths, dropped);
  }

  /** Writes {@code berths} to {@code file} atomically (temp, fsync, rename). */
  static void write(Path file, StickyBerths berths) throws IOException {
    AtomicFile.write(file, JsonFormat.printer().print(berths).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The usable entries of {@code json} into {@code out}, in file order; returns how many
   * were dropped (each with a warning). Throws when the text is not a JSON object at all.
   */
  private static int parse(Path file, String json, List<StickyBerth> out)
      throws InvalidProtocolBufferException {
    try {
      StickyBerths.Builder whole = StickyBerths.newBuilder();
      JsonFormat.parser().ignoringUnknownFields().merge(json, whole);
      int dropped = 0;
      for (StickyBerth b : whole.getBerthsList()) {
        dropped += keepIfUsable(file, b, out);
      }
      return dropped;
    } catch (InvalidProtocolBufferException e) {
      // one bad entry fails the whole message: read the file as plain JSON, entry by entry
    }
    Struct.Builder tree = Struct.newBuilder();
    JsonFormat.parser().merge(json, tree); // not JSON, or not an object: the caller moves it aside
    Value list = tree.getFieldsOrDefault("berths", Value.getDefaultInstance());
    if (!list.hasListValue()) {
      throw new InvalidProtocolBufferException("no \"berths\" list");
    }
    int dropped = 0;
    int index = 0;
    for (Value element : list.getListValue().getValuesList()) {
      StickyBerth.Builder b = StickyBerth.newBuilder();
      try {
        JsonFormat.parser().ignoringUnknownFields().merge(JsonFormat.printer().print(element), b);
        dropped += keepIfUsable(file, b.build(), out);
      } catch (InvalidProtocolBufferException e) {
        LOG.log(Level.WARNING, "{0}: dropped entry {1} ({2}): {3}", file, index, oneLine(element), e.getMessage());
        dropped++;
      }
      index++;
    }
    return dropped;
  }

  /**
   * Adds {@code b} to {@code out} when its names are labels (its namespace absent or a label)
   * and every port is in 1..65535; returns 1 if dropped.
   */
  private static int keepIfUsable(Path file, StickyBerth b, List<StickyBerth> out) {
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
      LOG.log(Level.WARNING, "{0}: dropped the entry for {1}/{2}: {3}",
          file, Names.quote(b.getService()), Names.quote(b.getEndpoint()), problem);
      return 1;
    }
    out.add(b);
    return 0;
  }

  private static String oneLine(Value element) {
    try {
      return JsonFormat.printer().omittingInsignificantWhitespace().print(element);
    } catch (InvalidProtocolBufferException e) {
      return "?";
    }
  }
}
