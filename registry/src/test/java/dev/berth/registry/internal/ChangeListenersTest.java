package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The listeners of a registry table: all run, in order, whatever one of them throws. */
class ChangeListenersTest {

  private final Object table = new Object();
  private final ChangeListeners listeners = new ChangeListeners(table, "test table");

  @Test
  void changed_runsEveryListenerInOrder_evenAfterOneThrows_andThrowsNothing() {
    List<String> ran = new ArrayList<>();
    listeners.add(() -> ran.add("first"));
    listeners.add(() -> {
      ran.add("second");
      throw new IllegalStateException("a broken listener");
    });
    listeners.add(() -> ran.add("third"));

    listeners.changed();
    listeners.changed();

    assertThat(ran).containsExactly("first", "second", "third", "first", "second", "third");
  }

  @Test
  void changed_underTheTablesLock_failsItsAssertion() {
    assumeTrue(ChangeListeners.class.desiredAssertionStatus(), "assertions are off");
    listeners.add(() -> { });

    assertThatThrownBy(() -> {
      synchronized (table) {
        listeners.changed();
      }
    }).isInstanceOf(AssertionError.class).hasMessageContaining("test table");
  }
}
