package io.rankwise.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The timeseries id column's Poisson(1000) draw: the guide table gives exactly the binary search's values. */
class PoissonSampleTest {
  private static void same(double u) {
    assertEquals(Datasets.Poisson1000.sampleBySearch(u), Datasets.Poisson1000.sample(u), "u = " + u);
  }

  @Test
  void theGuideTableFindsWhatTheSearchFinds() {
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < 1_000_000; i++) {
      same(r.nextDouble());
    }
    for (int i = 0; i < Datasets.Poisson1000.size(); i++) { // every step of the CDF, and either side of it
      double c = Datasets.Poisson1000.cdf(i);
      same(c);
      same(Math.nextUp(c));
      same(Math.nextDown(c));
    }
    for (int b = 0; b <= 1024; b++) { // bucket edges
      same(Math.min(Math.nextDown(1.0), b / 1024.0));
      same(Math.nextDown(b / 1024.0));
    }
    same(0.0);
    same(Math.nextDown(1.0));
  }
}
