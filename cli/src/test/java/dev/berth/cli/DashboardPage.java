package dev.berth.cli;

import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard page as the browser tests see it: only through the selectors of
 * docs/dashboard.md's "The page" table, for the services of one stack's namespace. Confined to
 * the test thread, like the driver.
 */
final class DashboardPage {

  private final ChromeDriver driver;
  private final String namespace;

  DashboardPage(ChromeDriver driver, String namespace) {
    this.driver = driver;
    this.namespace = namespace;
  }

  /** A wait polling every 25 ms that outlasts a re-render (a stale element is polled again). */
  WebDriverWait waitUpTo(Duration timeout) {
    WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(25));
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  Object js(String script, Object... args) {
    return driver.executeScript(script, args);
  }

  /** {@code #connection}'s {@code data-state}: connecting, live or gone. */
  String connectionState() {
    return driver.findElement(By.id("connection")).getAttribute("data-state");
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  String node(String service) {
    return "svg#map g.node[data-service='" + service + "'][data-namespace='" + namespace + "']";
  }

  String edge(String caller, String callee) {
    return "svg#map g.edge[data-caller='" + caller + "'][data-callee='" + callee + "']";
  }

  /** The row of the stack's first instance of {@code service} in {@code section#stacks}. */
  String stackRow(String service) {
    return "section#stacks .stack[data-namespace='" + namespace + "'] tr[data-service='" + service
        + "'][data-instance='1']";
  }

  String button(String action, String service) {
    return "section#stacks .stack[data-namespace='" + namespace + "'] button[data-action='" + action
        + "'][data-service='" + service + "']";
  }

  /** An element's {@code textContent} (SVG text included, laid out or not). */
  String text(WebElement element) {
    return String.valueOf(js("return arguments[0].textContent;", element));
  }

  /** The cells' texts of each instances-table row of {@code instanceId}. */
  @SuppressWarnings("unchecked")
  List<List<String>> instanceRows(String instanceId) {
    return (List<List<String>>) js("return Array.from(document.querySelectorAll("
        + "'table#instances tbody tr')).filter(r => r.dataset.instanceId === arguments[0])"
        + ".map(r => Array.from(r.cells).map(c => c.textContent.trim()));", instanceId);
  }

  /** True when some instances-table row has a cell that is exactly {@code pid}. */
  boolean pidShown(long pid) {
    return Boolean.TRUE.equals(js("return Array.from(document.querySelectorAll('table#instances tbody tr td'))"
        + ".some(c => c.textContent.trim() === arguments[0]);", Long.toString(pid)));
  }

  /**
   * True when no instances-table row of {@code instanceId} is left and {@code service}'s node,
   * if still drawn, counts no live instance: one script, so a poll costs one round trip.
   */
  boolean instanceGone(String instanceId, String service) {
    return Boolean.TRUE.equals(js("return document.querySelectorAll(\"table#instances tbody"
        + " tr[data-instance-id='\" + arguments[0] + \"']\").length === 0"
        + " && Array.from(document.querySelectorAll(arguments[1]))"
        + ".every(n => n.getAttribute('data-instances') === '0');", instanceId, node(service)));
  }
}
