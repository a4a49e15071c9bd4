package dev.berth.testing;

import java.nio.file.Path;
import java.util.List;

/**
 * Another test JVM: leases a block from {@code DIR} among {@code FIRST...}, prints
 * {@code leased F} (or {@code none}) and holds it until its stdin closes.
 */
final class LeasingChild {
  private LeasingChild() {}

  public static void main(String[] args) throws Exception {
    List<Integer> starts = List.of(args).subList(1, args.length).stream().map(Integer::valueOf).toList();
    BlockLeases leases = new BlockLeases(Path.of(args[0]), starts, TestPoolsTest.BLOCK);
    try {
      System.out.println("leased " + leases.lease());
    } catch (IllegalStateException e) {
      System.out.println("none");
    }
    System.out.flush();
    while (System.in.read() >= 0) {
      // hold the lease until the parent closes our stdin or kills us
    }
  }
}
