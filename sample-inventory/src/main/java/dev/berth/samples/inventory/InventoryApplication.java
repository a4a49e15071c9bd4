package dev.berth.samples.inventory;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sample stack's Spring Boot service: how many of each product are in stock, as JSON at
 * {@code GET /stock/{sku}}. It has the Berth starter and no port in its configuration:
 * Berth gives it one, and gateway calls it by name ({@code http://inventory/stock/...}).
 */
@SpringBootApplication
@RestController
public class InventoryApplication {
  private static final Map<String, Integer> STOCK = Map.of("bagel", 24, "coffee", 80, "croissant", 12, "juice", 30, "tea", 40);

  public static void main(String[] args) {
    SpringApplication.run(InventoryApplication.class, args);
  }

  @GetMapping("/stock/{sku}")
  public Map<String, Object> stock(@PathVariable("sku") String sku) {
    return Map.of("sku", sku, "inStock", STOCK.getOrDefault(sku, 0));
  }
}
