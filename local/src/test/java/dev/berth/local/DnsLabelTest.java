package dev.berth.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DnsLabelTest {

  @Test
  void isLabel_acceptsLowercaseDigitsAndInnerDashesUpTo63Characters() {
    assertThat(DnsLabel.isLabel("orders")).isTrue();
    assertThat(DnsLabel.isLabel("a")).isTrue();
    assertThat(DnsLabel.isLabel("0-9")).isTrue();
    assertThat(DnsLabel.isLabel("a".repeat(63))).isTrue();
    assertThat(DnsLabel.isLabel("a".repeat(64))).isFalse();
    assertThat(DnsLabel.isLabel("-a")).isFalse();
    assertThat(DnsLabel.isLabel("a-")).isFalse();
    assertThat(DnsLabel.isLabel("Orders")).isFalse();
    assertThat(DnsLabel.isLabel("a_b")).isFalse();
    assertThat(DnsLabel.isLabel("")).isFalse();
    assertThat(DnsLabel.isLabel(null)).isFalse();
  }

  @Test
  void check_ofA70CharacterName_saysTheLimitIs63() {
    String name = "a".repeat(70);
    assertThatThrownBy(() -> DnsLabel.check("serviceName", name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("serviceName: '" + name + "' (expected: a DNS label of 1 to 63 characters: "
            + "lowercase letters, digits and '-', not starting or ending with '-')");
    assertThat(DnsLabel.check("endpoint", "http")).isEqualTo("http");
  }
}
