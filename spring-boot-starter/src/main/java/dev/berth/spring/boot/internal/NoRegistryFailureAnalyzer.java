package dev.berth.spring.boot.internal;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns {@link BerthUnavailableException} into Boot's start-failure report: what, and the fix. Stateless. */
public final class NoRegistryFailureAnalyzer extends AbstractFailureAnalyzer<BerthUnavailableException> {
  @Override
  protected FailureAnalysis analyze(Throwable root, BerthUnavailableException cause) {
    return new FailureAnalysis(cause.getMessage(),
        "Start a registry with `bin/berth registry start`, or set berth.auto-start=true "
            + "(or berth.enabled=false to run without Berth).", cause);
  }
}
