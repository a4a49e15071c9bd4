package dev.berth.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogToFileTest {

  @Test
  void open_sendsRecordsToTheFileInsteadOfTheConsole_andCloseRestoresTheConsole(@TempDir Path dir)
      throws Exception {
    Logger root = Logger.getLogger("");
    List<Handler> console = List.of(root.getHandlers());
    Path log = dir.resolve("registry.log");

    try (LogToFile redirect = LogToFile.open(log)) {
      assertThat(root.getHandlers()).doesNotContainAnyElementsOf(console).hasSize(1);
      Logger.getLogger("dev.berth.registry.internal.ConflictReporter").info("port conflict (in_use): test");
    }

    assertThat(Files.readString(log)).contains("port conflict (in_use): test");
    assertThat(root.getHandlers()).containsExactlyElementsOf(console);
  }
}
