package dev.berth.spring.boot.apps;

import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot web application with the starter and no port anywhere, run as a child process
 * by {@code SpringAppTest}. With {@code -Dgate=FILE} it holds its context refresh after the web
 * server is created (lease attached, port reserved) and before it starts, until FILE exists
 * (at most 5 minutes: the test that opens it may run after the others).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(StockApp.Pid.class)
public class StockApp {
  public static void main(String[] args) {
    SpringApplication.run(StockApp.class, args);
    System.out.println("STARTED");
  }

  @Bean
  Object gate() throws InterruptedException {
    String gate = System.getProperty("gate");
    if (gate != null) {
      System.out.println("GATED");
      for (long deadline = System.nanoTime() + 300_000_000_000L; !Files.exists(Path.of(gate)); ) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("gate: " + gate + " never appeared");
        }
        Thread.sleep(20);
      }
    }
    return new Object();
  }

  /** {@code GET /pid}: which process answered. */
  @RestController
  public static class Pid {
    @GetMapping("/pid")
    public String pid() {
      return Long.toString(ProcessHandle.current().pid());
    }
  }
}
