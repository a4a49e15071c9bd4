package dev.berth.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NamespaceTest {

  @Test
  void check_takesEmptyOrADnsLabel_andTheWordDefaultMeansEmpty() {
    assertThat(Namespace.check("namespace", "")).isEmpty();
    assertThat(Namespace.check("namespace", "default")).isEmpty();
    assertThat(Namespace.check("namespace", "shop-3fa2c1")).isEqualTo("shop-3fa2c1");
    assertThat(Namespace.check("namespace", "default-3fa2c1")).isEqualTo("default-3fa2c1");
  }

  @Test
  void check_ofABadValue_namesItAndTheRule() {
    assertThatThrownBy(() -> Namespace.check("namespace", "Shop"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("namespace: 'Shop' (expected: 'default' or '' for the default namespace, else "
            + "a DNS label of 1 to 63 characters: lowercase letters, digits and '-', not starting "
            + "or ending with '-')");
    assertThatThrownBy(() -> Namespace.check("namespace", null)).hasMessageStartingWith("namespace: 'null'");
  }

  @Test
  void fromEnvironment_prefersTheProperty_andBlankCountsAsUnset() {
    assertThat(Namespace.fromEnvironment(null, null)).isEmpty();
    assertThat(Namespace.fromEnvironment(" ", "")).isEmpty();
    assertThat(Namespace.fromEnvironment("a", "b")).isEqualTo("a");
    assertThat(Namespace.fromEnvironment("", "b")).isEqualTo("b");
    assertThat(Namespace.fromEnvironment(null, " b ")).isEqualTo("b");
    assertThat(Namespace.fromEnvironment(null, "default")).isEmpty();
  }

  @Test
  void fromEnvironment_ofABadValue_namesWhereItCameFrom() {
    assertThatThrownBy(() -> Namespace.fromEnvironment("A", null))
        .hasMessageStartingWith("-Dberth.namespace: 'A' (expected: ");
    assertThatThrownBy(() -> Namespace.fromEnvironment(null, "x_y"))
        .hasMessageStartingWith("BERTH_NAMESPACE: 'x_y' (expected: ");
  }
}
