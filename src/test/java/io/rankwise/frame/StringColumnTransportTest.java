package io.rankwise.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * String columns share their partition's dictionary when rows are taken (a shuffle's pieces, a
 * sample): on the trip to another rank they carry only the entries they use, and putting string
 * columns together codes them as the strings of all their values would be.
 */
class StringColumnTransportTest {
  static Column big(int n) {
    String[] v = new String[n];
    for (int i = 0; i < n; i++) {
      v[i] = i % 97 == 0 ? null : "key-" + i + (i % 3 == 0 ? "-é" : "");
    }
    return Column.strings(v);
  }

  static Object trip(Object o) {
    Kryo k = new Kryo();
    k.setRegistrationRequired(false);
    k.setReferences(true);
    Output out = new Output(1 << 10, -1);
    k.writeClassAndObject(out, o);
    return k.readClassAndObject(new Input(out.toBytes()));
  }

  @Test
  void aPieceCarriesOnlyTheStringsItUses() {
    Column all = big(20_000);
    Column piece = all.take(new int[] {5, 97, 19_999, 5, 3});
    assertEquals(all.dictionary.length, piece.dictionary.length, "taking rows shares the dictionary");
    Column back = (Column) trip(piece);
    assertEquals(ColumnType.STRING, back.type());
    assertEquals(3, back.dictionary.length, "only the entries the piece uses (the null has none)");
    for (int i = 0; i < piece.size(); i++) {
      assertEquals(piece.getString(i), back.getString(i), "row " + i);
    }
    Column small = Column.strings(new String[] {"a", "b", null});
    assertSame(small, small.compactStrings(), "a dictionary no larger than the column stays");
    Column none = (Column) trip(all.take(new int[0]));
    assertEquals(0, none.size());
    assertEquals(0, none.dictionary.length);
    Column nums = (Column) trip(Column.of(new long[] {Long.MIN_VALUE, 0, 7}));
    assertArrayEquals(new long[] {Long.MIN_VALUE, 0, 7}, (long[]) nums.data);
    Column bools = (Column) trip(Column.of(new boolean[] {true, false}));
    assertArrayEquals(new boolean[] {true, false}, (boolean[]) bools.data);
    Column doubles = (Column) trip(Column.of(new double[] {Double.NaN, -0.0}));
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(((double[]) doubles.data)[1]));
    Column times = (Column) trip(Column.datetimes(new long[] {Column.NAT, 5}));
    assertEquals(ColumnType.DATETIME, times.type());
    assertTrue(times.isNull(0));
  }

  @Test
  void concatenatedStringsAreCodedAsTheirValuesWouldBe() {
    Column all = big(5_000);
    List<Column> parts = new ArrayList<>();
    parts.add(all.take(new int[] {10, 0, 97, 10, 4_999}));
    parts.add(Column.strings(new String[] {"key-10", "new", null, "key-4999"}));
    parts.add(all.take(new int[] {2, 1}));
    parts.add((Column) trip(all.take(new int[] {1, 3, 11})));
    parts.add(all.take(new int[0]));
    Column got = Column.concat(parts);
    List<String> values = new ArrayList<>();
    for (Column c : parts) {
      for (int i = 0; i < c.size(); i++) {
        values.add(c.getString(i));
      }
    }
    Column want = Column.strings(values.toArray(String[]::new));
    assertArrayEquals(want.dictionary, got.dictionary, "first-appearance order");
    assertArrayEquals((int[]) want.data, (int[]) got.data);
  }

  /** Kryo keeps one column referred to twice as one column, and a string index. */
  @Test
  void sharedColumnsAndStringIndexesMakeTheTrip() {
    Column c = big(3_000).take(new int[] {1, 2, 1});
    @SuppressWarnings("unchecked")
    List<Column> back = (List<Column>) trip(new ArrayList<>(List.of(c, c)));
    assertSame(back.get(0), back.get(1));
    assertEquals("key-1", back.get(0).getString(2));
    Table t = new Table("name", Column.strings(new String[] {"b", null, "a"}), new String[] {"x"},
        new Column[] {Column.of(new double[] {1, 2, 3})});
    Table tb = (Table) trip(t);
    assertEquals(t.toString(), tb.toString());
    assertTrue(tb.index().isNull(1));
  }
}
