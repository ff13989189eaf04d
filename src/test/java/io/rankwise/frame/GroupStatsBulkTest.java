package io.rankwise.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Partials compute only the statistics their aggregations read (the same bits as computing all of
 * them), and a shuffle piece carries only those, which arrive unchanged.
 */
class GroupStatsBulkTest {
  @Test
  void aPieceCarriesWhatItsAggregationsReadAndNothingMore() {
    List<String> all = List.of("count", "sum", "mean", "var", "std", "min", "max", "first", "last");
    Random r = new Random(3);
    for (List<String> aggs : List.of(List.of("mean"), List.of("std", "max"), List.of("count"), List.of("sum"),
        List.of("first"), all)) {
      int groups = 50;
      int rows = 400;
      LongIds ids = new LongIds(groups);
      int[] gid = new int[rows];
      double[] a = new double[rows];
      double[] b = new double[rows];
      int next = 0;
      for (int i = 0; i < rows; i++) {
        long key = r.nextInt(groups) * 7L;
        int id = ids.get(key, next);
        next += id == next ? 1 : 0;
        gid[i] = id;
        a[i] = r.nextGaussian();
        b[i] = r.nextInt(10) == 0 ? Double.NaN : r.nextDouble();
      }
      GroupStats full = GroupStats.ofLongKeys(2, 0, ids);
      full.addColumns(gid, new Column[] {Column.of(a), Column.of(b)});
      GroupStats g = GroupStats.ofLongKeys(2, 0, ids);
      g.slots = GroupStats.slotsFor(aggs);
      g.addColumns(gid, new Column[] {Column.of(a), Column.of(b)});
      for (int k = 0; k < g.size; k++) {
        for (int c = 0; c < 2; c++) {
          for (String agg : aggs) {
            assertEquals(Double.doubleToRawLongBits(full.value(k, c, agg, 1)), Double.doubleToRawLongBits(
                g.value(k, c, agg, 1)), "only " + aggs + ": " + agg + " group " + k + " column " + c);
          }
        }
      }
      GroupStats.Bulk codec = new GroupStats.Bulk();
      ByteBuffer buf = ByteBuffer.allocate(codec.size(g) + 16).order(ByteOrder.nativeOrder());
      codec.write(g, buf);
      assertEquals(codec.size(g), buf.position(), "size() is what write() writes");
      assertEquals(16 + 8 * g.size * (1 + 2 * Integer.bitCount(g.slots)), buf.position(), aggs.toString());
      buf.flip();
      GroupStats back = codec.read(buf);
      assertEquals(0, buf.remaining());
      // pieces merged from the form they arrived in: bitwise what merging the originals gives
      GroupStats[] pieces = g.split(3);
      Object[] arrived = new Object[pieces.length];
      for (int p = 0; p < pieces.length; p++) {
        ByteBuffer pb = ByteBuffer.allocate(codec.size(pieces[p])).order(ByteOrder.nativeOrder());
        codec.write(pieces[p], pb);
        arrived[p] = codec.read(pb.flip());
      }
      boolean partialSlots = g.slots != GroupStats.ALL_SLOTS;
      int total = 0;
      for (GroupStats piece : pieces) {
        // a split holds only what travels when the aggregations read some statistics
        assertEquals(partialSlots, piece.packed != null, aggs + ": packed piece");
        assertEquals(partialSlots, piece.stats == null, aggs + ": no full-width statistics");
        total += piece.size;
      }
      assertEquals(g.size, total);
      // merged as they arrived, merged as they were split, put together, or read one by one: each
      // group's values are bitwise those of the partial that was split
      GroupStats[] forms = {GroupStats.combine(arrived), GroupStats.combine(pieces), GroupStats.union(g.split(3))};
      for (GroupStats form : forms) {
        assertEquals(g.size, form.size);
      }
      for (GroupStats piece : g.split(3)) {
        for (int k = 0; k < piece.size; k++) {
          int orig = g.find(piece.longKeys[k]);
          for (int c = 0; c < 2; c++) {
            for (String agg : aggs) {
              long want = Double.doubleToRawLongBits(g.value(orig, c, agg, 1));
              assertEquals(want, Double.doubleToRawLongBits(piece.value(k, c, agg, 1)), "piece " + agg + " group " + k);
              for (GroupStats form : forms) {
                int id = form.find(piece.longKeys[k]);
                assertEquals(want, Double.doubleToRawLongBits(form.value(id, c, agg, 1)), "merged " + agg + " key "
                    + piece.longKeys[k]);
              }
            }
          }
        }
      }
      assertEquals(g.size, back.size);
      for (int k = 0; k < g.size; k++) {
        assertEquals(g.longKeys[k], back.longKeys[k]);
        for (int c = 0; c < 2; c++) {
          for (String agg : aggs) {
            assertEquals(g.value(k, c, agg, 1), back.value(k, c, agg, 1), 0.0, agg + " group " + k + " column " + c);
          }
        }
      }
    }
  }

  /** Partials keyed by strings (groupby('name')) travel flat too; other object keys take Kryo. */
  @Test
  void stringKeyedPartialsTravelFlat() {
    GroupStats.Bulk codec = new GroupStats.Bulk();
    for (int slots : new int[] {GroupStats.ALL_SLOTS, GroupStats.slotsFor(List.of("std"))}) {
      GroupStats g = new GroupStats(1);
      g.slots = slots;
      String[] names = {"Alice", "Zoë", "", "名前", "Bob"};
      int[] gid = new int[40];
      double[] v = new double[40];
      for (int i = 0; i < gid.length; i++) {
        gid[i] = g.id(names[i % names.length]);
        v[i] = i * 0.37 - 3;
      }
      g.addColumns(gid, new Column[] {Column.of(v)});
      assertEquals(true, codec.accepts(g));
      ByteBuffer buf = ByteBuffer.allocate(codec.size(g)).order(ByteOrder.nativeOrder());
      codec.write(g, buf);
      assertEquals(codec.size(g), buf.position(), "size() is what write() writes");
      GroupStats back = codec.read(buf.flip());
      assertEquals(0, buf.remaining());
      assertEquals(g.size, back.size);
      for (int k = 0; k < g.size; k++) {
        assertEquals(g.key(k), back.key(k));
        for (String agg : List.of("count", "mean", "std")) {
          assertEquals(Double.doubleToRawLongBits(g.value(k, 0, agg, 1)),
              Double.doubleToRawLongBits(back.value(k, 0, agg, 1)), agg + " of " + g.key(k));
        }
      }
      assertEquals(back.find("Zoë"), g.find("Zoë"), "the keys index as they did");
    }
    for (String k : List.of("", "a", "é", "名前", "\uD83D\uDE00 emoji", "mixed ß 中 \uD83C\uDF89")) {
      assertEquals(k.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, GroupStats.Bulk.utf8Length(k), k);
    }
    GroupStats lone = new GroupStats(1);
    lone.id("ok");
    lone.id("bad\uD800");
    assertEquals(false, codec.accepts(lone), "a key UTF-8 cannot keep takes Kryo");
    GroupStats lists = new GroupStats(1);
    lists.id(List.of("a", 1L));
    assertEquals(false, codec.accepts(lists), "several keys take Kryo");
    GroupStats sets = new GroupStats(1, 1);
    sets.id("a");
    assertEquals(false, codec.accepts(sets), "nunique sets take Kryo");
  }
}
