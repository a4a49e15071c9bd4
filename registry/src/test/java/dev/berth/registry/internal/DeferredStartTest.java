package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeferredStartTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Records each step with the thread it ran on; the HTTP step may block or fail. */
  private static final class RecordingSteps implements DeferredStart.Steps {
    final List<String> ran = new CopyOnWriteArrayList<>();
    final CountDownLatch httpEntered = new CountDownLatch(1);
    final CountDownLatch httpMayReturn = new CountDownLatch(1);
    volatile IOException httpFailure;

    @Override
    public RegistryHttp startHttp() throws IOException {
      ran.add("http on " + Thread.currentThread().getName());
      httpEntered.countDown();
      try {
        httpMayReturn.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (httpFailure != null) {
        throw httpFailure;
      }
      return null;
    }

    @Override
    public void addReflection() {
      ran.add("reflection");
    }

    @Override
    public void started(RegistryHttp http) {
      ran.add("started");
    }
  }

  @Test
  void start_runsHttpThenReflectionThenStartedOnItsOwnThread_andReturnsAtOnce() throws Exception {
    RecordingSteps steps = new RecordingSteps();
    DeferredStart deferred = new DeferredStart(steps);

    deferred.start();
    // start() returned while the HTTP step is still blocked: the caller serves meanwhile
    assertThat(steps.httpEntered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(steps.ran).containsExactly("http on berth-registry-start");
    steps.httpMayReturn.countDown();
    deferred.await(WAIT);

    assertThat(steps.ran).containsExactly("http on berth-registry-start", "reflection", "started");
    deferred.close();
  }

  @Test
  void close_whileAStepRuns_waitsForItAndNothingRunsAfter() throws Exception {
    RecordingSteps steps = new RecordingSteps();
    DeferredStart deferred = new DeferredStart(steps);
    deferred.start();
    assertThat(steps.httpEntered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

    Thread closer = new Thread(deferred::close);
    closer.start();
    closer.join(200);
    assertThat(closer.isAlive()).as("close waits for the step under way").isTrue();
    steps.httpMayReturn.countDown();
    closer.join(WAIT.toMillis());

    assertThat(closer.isAlive()).isFalse();
    // the steps already begun ran to the end under the same lock; a later start() starts nothing
    deferred.start();
    assertThat(steps.ran).containsExactly("http on berth-registry-start", "reflection", "started");
  }

  @Test
  void close_beforeTheThreadRuns_runsNoStep() throws Exception {
    RecordingSteps steps = new RecordingSteps();
    DeferredStart deferred = new DeferredStart(steps);

    deferred.close();
    deferred.start();
    deferred.await(WAIT);

    assertThat(steps.ran).isEmpty();
  }

  @Test
  void start_whenHttpFails_stillAddsReflectionAndReportsStartedWithoutHttp() throws Exception {
    RecordingSteps steps = new RecordingSteps();
    steps.httpFailure = new IOException("port taken");
    steps.httpMayReturn.countDown();
    DeferredStart deferred = new DeferredStart(steps);

    deferred.start();
    deferred.await(WAIT);

    assertThat(steps.ran).containsExactly("http on berth-registry-start", "reflection", "started");
    assertThat(deferred.http()).isNull();
    deferred.close();
  }
}
