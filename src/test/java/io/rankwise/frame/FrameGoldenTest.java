package io.rankwise.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.io.Csv;
import io.rankwise.runtime.Session;
import io.rankwise.testing.SpmdRanks;
import io.rankwise.testing.SpmdTest;
import io.rankwise.testing.SpmdTestCase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * merge/join, sortValues/setIndex, dropDuplicates, describe, quantile and groupby
 * first/last/nunique against pandas' answers (test-data/frames/golden.txt, made by
 * make_golden.py) on real ranks: 3 and 2 input partitions, so 4 and 5 ranks leave ranks without
 * rows. Fixtures hold null keys on both sides (pandas matches them), duplicate keys, keys without
 * a partner, clashing column names, unicode and quoted commas.
 */
@SpmdRanks(mpi = {1, 2, 4, 5}, local = {1, 3})
class FrameGoldenTest extends SpmdTestCase {
  static Path dir() {
    return Path.of(System.getProperty("rankwise.home", ".")).resolve("test-data/frames");
  }

  /** name -> header line + row lines; "sorted" results come back sorted. */
  static Map<String, List<String>> golden() {
    Map<String, List<String>> g = new LinkedHashMap<>();
    try {
      List<String> cur = null;
      for (String line : Files.readAllLines(dir().resolve("golden.txt"), StandardCharsets.UTF_8)) {
        if (line.startsWith("## ")) {
          cur = new ArrayList<>();
          g.put(line.substring(3), cur);
        } else if (cur != null) {
          cur.add(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return g;
  }

  static String field(Column c, int i) {
    if (c.isNull(i)) {
      return "NaN";
    }
    return switch (c.type()) {
      case STRING, DATETIME -> c.getString(i);
      case BOOL -> c.getBool(i) ? "True" : "False";
      default -> String.format(Locale.ROOT, "%.6f", c.getDouble(i));
    };
  }

  /** The table in golden.txt's form: header, then rows (sorted when the golden rows are). */
  static List<String> lines(Table t, boolean index, boolean sorted) {
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < t.rows(); i++) {
      List<String> f = new ArrayList<>();
      if (index) {
        f.add(field(t.index(), i));
      }
      for (String c : t.columnNames()) {
        f.add(field(t.column(c), i));
      }
      rows.add(String.join("|", f));
    }
    if (sorted) {
      rows.sort(null);
    }
    List<String> out = new ArrayList<>();
    out.add((index ? "index|" : "") + String.join("|", t.columnNames()));
    out.addAll(rows);
    return out;
  }

  static void check(String name, Table got, boolean index) {
    Map<String, List<String>> g = golden();
    String key = g.keySet().stream().filter(k -> k.startsWith(name + " ")).findFirst()
        .orElseThrow(() -> new AssertionError("no golden " + name));
    assertEquals(String.join("\n", g.get(key)), String.join("\n", lines(got, index, key.endsWith("sorted"))), name);
  }

  static DFrame orders() {
    return Csv.read(dir().resolve("orders.*.csv").toString());
  }

  static DFrame customers() {
    return Csv.read(dir().resolve("customers.*.csv").toString());
  }

  @SpmdTest
  void mergesMatchPandasByShuffleAndByBroadcast(Session s) {
    for (String how : List.of("inner", "left", "right", "outer")) {
      DFrame m = orders().merge(customers(), how, "customer");
      assertEquals(Shuffle.buckets(3, 2), m.npartitions());
      check("merge_" + how, m.compute(), false);
      check("merge_" + how, orders().merge(customers(), Join.on("customer").how(how).npartitions(7)).compute(), false);
    }
    // the small side whole to every partition of the other
    for (String how : List.of("inner", "left")) {
      DFrame b = orders().merge(customers(), Join.on("customer").how(how).broadcast(true));
      assertEquals(3, b.npartitions());
      check("merge_" + how, b.compute(), false);
    }
    DFrame right = orders().merge(customers(), Join.on("customer").how("right").broadcast(true));
    assertEquals(2, right.npartitions()); // the left side was broadcast
    check("merge_right", right.compute(), false);
    DFrame renamed = customers().rename(Map.of("customer", "who"));
    check("merge_left_on", orders().merge(renamed, Join.on(new String[] {"customer"}, new String[] {"who"})).compute(),
        false);
  }

  @SpmdTest
  void indexJoinMatchesPandas(Session s) {
    DFrame right = customers().dropDuplicates("customer").dropna("customer").setIndex("customer").select("city", "tier");
    DFrame left = orders().setIndex("customer");
    assertNull(left.divisions()); // string index: no known divisions
    check("join_left", left.join(right, "left").compute(), true);
  }

  @SpmdTest
  void sortsAndSetIndexMatchPandasRowForRow(Session s) {
    check("sort_amount", orders().sortValues("amount").compute(), false);
    check("sort_amount_desc", orders().sortValues(new String[] {"amount"}, new boolean[] {false}).compute(), false);
    check("sort_customer_qty", orders().sortValues("customer", "qty").compute(), false);
    DFrame byAmount = orders().dropna("amount").setIndex("amount");
    check("set_index_amount", byAmount.compute(), true);
    DFrame byId = orders().setIndex("order_id");
    long[] d = byId.divisions();
    assertEquals(1, d[0]);
    assertEquals(13, d[d.length - 1]);
    assertEquals(byId.npartitions() + 1, d.length);
    Table t = byId.compute();
    for (int i = 0; i < t.rows(); i++) {
      assertEquals(i + 1, t.index().getLong(i));
    }
  }

  @SpmdTest
  void dropDuplicatesKeepsFirstRowsInOrder(Session s) {
    DFrame o = orders();
    DFrame d = o.dropDuplicates("customer", "amount");
    assertEquals(o.npartitions(), d.npartitions());
    check("drop_duplicates_subset", d.compute(), false);
    check("drop_duplicates_all", o.select("customer", "amount", "qty", "note").dropDuplicates().compute(), false);
  }

  @SpmdTest
  void describeAndExactQuantilesMatchPandas(Session s) {
    check("describe", orders().describe(), true);
    check("quantiles", orders().quantile(new double[] {0.0, 0.1, 0.5, 0.9, 1.0}, "amount", "qty"), true);
  }

  @SpmdTest
  void groupbyFirstLastNuniqueMatchPandas(Session s) {
    GroupBy g = orders().groupby("customer");
    Table first = g.column("amount").first().compute();
    Table last = g.column("amount").last().compute();
    Table nunique = g.column("qty").nunique().compute();
    assertEquals(ColumnType.INT64, nunique.column("qty").type());
    assertEquals(ColumnType.FLOAT64, first.column("amount").type());
    Table all = new Table("customer", first.index(), new String[] {"amount_first", "amount_last", "qty_nunique"},
        new Column[] {first.column("amount"), last.column("amount"), nunique.column("qty")});
    check("groupby_first_last_nunique", all, true);
    check("groupby_nunique", g.column("note").nunique().compute(), true);
    // the shuffle strategy merges the same partials in the same order
    Table shuffled = g.strategy(GroupBy.Strategy.SHUFFLE).column("note").nunique().compute();
    check("groupby_nunique", shuffled, true);
    assertTrue(shuffled.rows() > 0);
  }
}
