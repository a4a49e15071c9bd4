package dev.berth.spring.boot.internal;

import dev.berth.client.BerthException;

/**
 * No registry answered at start and {@code berth.auto-start} is off: the message is the one
 * line saying what to do, which {@link NoRegistryFailureAnalyzer} shows instead of a stack trace.
 */
public final class BerthUnavailableException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public BerthUnavailableException(BerthException cause) {
    super("no Berth registry answers (" + cause.status().getDescription()
        + "): start one with `bin/berth registry start`, or set berth.auto-start=true", cause);
  }
}
