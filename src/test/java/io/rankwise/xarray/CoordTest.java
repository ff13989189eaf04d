package io.rankwise.xarray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Datetime components by calendar arithmetic agree with java.time, before and after 1970. */
class CoordTest {
  @Test
  void componentsMatchJavaTime() {
    SplittableRandom r = new SplittableRandom(7);
    int n = 20_000;
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      t[i] = r.nextLong(-400L * 366 * 86_400_000L, 400L * 366 * 86_400_000L);
    }
    t[0] = 0;
    t[1] = -1; // 1969-12-31T23:59:59.999
    t[2] = 951_782_400_000L; // 2000-02-29
    t[3] = 4_107_456_000_000L; // 2100-02-28 (2100 is not a leap year)
    Coord c = Coord.times("time", "time", t, Map.of());
    String[] what = {"year", "month", "day", "hour", "dayofyear", "season"};
    for (String w : what) {
      int[] expected = new int[n];
      for (int i = 0; i < n; i++) {
        LocalDateTime d = LocalDateTime.ofInstant(Instant.ofEpochMilli(t[i]), ZoneOffset.UTC);
        int m = d.getMonthValue();
        expected[i] = switch (w) {
          case "year" -> d.getYear();
          case "month" -> m;
          case "day" -> d.getDayOfMonth();
          case "hour" -> d.getHour();
          case "dayofyear" -> d.getDayOfYear();
          default -> m == 12 || m <= 2 ? 0 : m <= 5 ? 2 : m <= 8 ? 1 : 3;
        };
      }
      assertArrayEquals(expected, c.components(w), w);
    }
    assertThrows(XrException.class, () -> c.components("week"));
  }

  /**
   * Grouping by a datetime component finds its distinct values without a sort when they span a
   * small range, and by sorting when they do not: dates 300,000 years apart (a fill value decoded
   * to a date, say) must not size a table by the span of the years.
   */
  @Test
  void groupsOfDatetimeComponentsNearAndFarApart() {
    long year = 365L * 86_400_000L;
    long[] near = {0, 40 * 86_400_000L, 3 * year, 40 * 86_400_000L, 0};
    long[] far = {0, 300_000 * year, 3 * year, 300_000 * year, -5 * year};
    for (long[] t : new long[][] {near, far}) {
      Coord time = Coord.times("time", "time", t, Map.of());
      for (String comp : new String[] {"year", "month", "season"}) {
        int[] values = time.components(comp);
        int[] groupOf = new int[t.length];
        double[] groups = GroupBy.distinct(time, comp, groupOf);
        int[] want = java.util.Arrays.stream(values).distinct().sorted().toArray();
        assertArrayEquals(want, java.util.Arrays.stream(groups).mapToInt(v -> (int) v).toArray(), comp);
        for (int i = 0; i < t.length; i++) {
          assertEquals(values[i], (int) groups[groupOf[i]], comp + " position " + i);
        }
      }
    }
  }
}
