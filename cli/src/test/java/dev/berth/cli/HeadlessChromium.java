package dev.berth.cli;

import dev.berth.testing.TestPools;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by Debian's chromedriver, both named by path so that
 * Selenium Manager never runs (it would download a browser and a driver). When either is
 * missing the calling test is skipped, naming the packages to install, unless
 * {@code BERTH_REQUIRE_BROWSER=1} (CI), then it fails. Quitting stops the browser and its
 * chromedriver and removes the browser's profile.
 *
 * <p>Not thread-safe: one test class drives it from its test thread.
 */
final class HeadlessChromium implements AutoCloseable {

  static final Path CHROMIUM = Path.of(System.getProperty("berth.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("berth.chromedriver", "/usr/bin/chromedriver"));
  /** Where each test's screenshot goes: beside berth.jar, so under cli/target/. */
  static final Path SCREENSHOTS = BerthJar.JAR.resolveSibling("dashboard-screenshots");

  private final ChromeDriverService service;
  private final Path profile;
  final ChromeDriver driver;
  /**
   * This instance's chromedriver, a child of this JVM found by the port it was told to listen on
   * (so another instance's driver is never taken for it); empty if it could not be found.
   */
  private final Optional<ProcessHandle> driverProcess;

  private HeadlessChromium(ChromeDriverService service, Path profile, ChromeDriver driver) {
    this.service = service;
    this.profile = profile;
    this.driver = driver;
    String port = "--port=" + service.getUrl().getPort();
    this.driverProcess = ProcessHandle.current().children()
        .filter(p -> p.info().command().map(c -> c.endsWith("chromedriver")).orElse(false)
            && p.info().arguments().map(a -> Arrays.asList(a).contains(port)).orElse(false))
        .findFirst();
  }

  /** Skips (or, with BERTH_REQUIRE_BROWSER=1, fails) the test when the browser or driver is missing. */
  static void assumeInstalled() {
    String missing = Stream.of(CHROMIUM, CHROMEDRIVER).filter(p -> !Files.isExecutable(p))
        .map(Path::toString).reduce((a, b) -> a + " and " + b).orElse(null);
    if (missing == null) {
      return;
    }
    String message = missing + " not found: the dashboard's browser tests need Debian's chromium and"
        + " chromium-driver (sudo apt-get install chromium chromium-driver)";
    if ("1".equals(System.getenv("BERTH_REQUIRE_BROWSER"))) {
      throw new AssertionError(message + "; BERTH_REQUIRE_BROWSER=1 makes this a failure");
    }
    Assumptions.abort(message);
  }

  /** Starts chromedriver on a port of this JVM's pool and a headless browser through it. */
  static HeadlessChromium start(Path logDir) throws IOException {
    assumeInstalled();
    Path profile = Files.createTempDirectory("berth-chromium-");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingPort(TestPools.port())
        .withLogFile(logDir.resolve("chromedriver.log").toFile())
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--user-data-dir=" + profile, "--window-size=1280,900");
    try {
      return new HeadlessChromium(service, profile, new ChromeDriver(service, options));
    } catch (RuntimeException e) {
      service.stop();
      deleteTree(profile);
      throw e;
    }
  }

  /** Saves what the browser shows as {@code SCREENSHOTS/name.png}; returns the path. */
  Path screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Path to = SCREENSHOTS.resolve(name + ".png");
    Files.move(shot.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
    return to;
  }

  /**
   * Quits the browser, stops chromedriver, kills whatever of chromedriver's process tree is left
   * (the browser and every renderer it started, taken just before quitting: once chromedriver is
   * gone they are no longer its descendants), removes the profile. Idempotent.
   */
  @Override
  public void close() {
    List<ProcessHandle> tree = driverProcess
        .map(d -> Stream.concat(Stream.of(d), d.descendants()).toList())
        .orElse(List.of());
    try {
      driver.quit();
    } catch (RuntimeException e) {
      // a browser that died already: its driver is stopped below all the same
    } finally {
      service.stop();
      tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind is harmless
    }
  }
}
