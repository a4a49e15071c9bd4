package dev.berth.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencySamplesTest {

  @Test
  void percentile_isTheNearestRank_whateverTheOrderRecorded() {
    LatencySamples samples = new LatencySamples(1);
    for (long v : new long[] {70, 10, 100, 40, 20, 90, 30, 80, 60, 50}) {
      samples.add(v); // grows past its first capacity
    }
    assertThat(samples.count()).isEqualTo(10);
    assertThat(samples.p50()).isEqualTo(50);
    assertThat(samples.percentile(91)).isEqualTo(100);
    assertThat(samples.percentile(90)).isEqualTo(90);
    assertThat(samples.p99()).isEqualTo(100);
    assertThat(samples.percentile(100)).isEqualTo(100);
    assertThat(samples.percentile(1)).isEqualTo(10);
  }

  @Test
  void merge_addsEverySample_andEmptyIsNaN() {
    LatencySamples a = new LatencySamples(4);
    LatencySamples b = new LatencySamples(4);
    assertThat(a.p50()).isNaN();
    a.add(1);
    b.add(3);
    b.add(2);
    a.merge(b);
    assertThat(a.count()).isEqualTo(3);
    assertThat(a.p50()).isEqualTo(2);
  }
}
