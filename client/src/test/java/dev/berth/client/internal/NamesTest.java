package dev.berth.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.client.Berth;
import org.junit.jupiter.api.Test;

class NamesTest {

  @Test
  void checkLabel_ofA70CharacterName_saysTheLimitIs63() {
    String name = "a".repeat(70);
    assertThatThrownBy(() -> Berth.builder().serviceName(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("serviceName: '" + name + "' (expected: a DNS label of 1 to 63 characters: "
            + "lowercase letters, digits and '-', not starting or ending with '-')");
  }

  @Test
  void isLabel_acceptsUpTo63Characters() {
    assertThat(Names.isLabel("a".repeat(63))).isTrue();
    assertThat(Names.isLabel("a".repeat(64))).isFalse();
    assertThat(Names.isLabel("-a")).isFalse();
  }
}
