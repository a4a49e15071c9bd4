package dev.berth.cli.internal.stack;

import dev.berth.client.Address;

/**
 * How one start of an instance came out: live at {@code address}; or not (its process exited,
 * or {@code failure} says why it was given up). {@code cleanup} ends what the start holds (the
 * lease, the watch) and runs as soon as the process has exited.
 *
 * @param process the process started; null when none could be
 * @param address where its first endpoint listens; null when it did not come up
 * @param failure one line when it did not come up for a reason other than its exit; else null
 */
record Run(Process process, Address address, String failure, Runnable cleanup) {

  static Run live(Process process, Address address, Runnable cleanup) {
    return new Run(process, address, null, cleanup);
  }

  /** The process exited (or was stopped) before it was live. */
  static Run ended(Process process, Runnable cleanup) {
    return new Run(process, null, null, cleanup);
  }

  static Run failed(Process process, String failure, Runnable cleanup) {
    return new Run(process, null, failure, cleanup);
  }

  boolean isLive() {
    return address != null;
  }
}
