package io.rankwise.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Planning without running: cull, fusion, levels, owners, transfers, errors. */
class PlanTest {
  static TaskFn sum() {
    return in -> {
      double s = 0;
      for (Object o : in) {
        s += (Double) o;
      }
      return s;
    };
  }

  static Layer blocks(String name, int n, Layer... deps) {
    List<Task> ts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<TaskKey> ds = new ArrayList<>();
      for (Layer d : deps) {
        ds.add(new TaskKey(d.name(), i));
      }
      ts.add(new Task(new TaskKey(name, i), ds, sum(), name, 1.0, -1));
    }
    return new Layer(name, ts, List.of(deps));
  }

  static List<TaskKey> keys(String name, int n) {
    List<TaskKey> k = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      k.add(new TaskKey(name, i));
    }
    return k;
  }

  @Test
  void cullKeepsOnlyWhatTheOutputsNeed() {
    Layer x = blocks("x", 8);
    Layer y = blocks("y", 8, x);
    Plan p = Plan.build(List.of(y), List.of(new TaskKey("y", 3)), 2, Plan.Delivery.ALL_RANKS, false);
    assertEquals(2, p.taskCount());
    assertEquals(2, p.levels());
  }

  @Test
  void linearChainsFuseIntoOneTaskPerBlock() {
    Layer x = blocks("x", 4);
    Layer y = blocks("y", 4, x);
    Layer z = blocks("z", 4, y);
    Plan unfused = Plan.build(List.of(z), keys("z", 4), 2, Plan.Delivery.ALL_RANKS, false);
    Plan fused = Plan.build(List.of(z), keys("z", 4), 2, Plan.Delivery.ALL_RANKS, true);
    assertEquals(12, unfused.taskCount());
    assertEquals(4, fused.taskCount());
    assertEquals("x+y+z", fused.task(0).label());
    assertEquals(new TaskKey("z", 0), fused.task(0).key());
  }

  @Test
  void sharedInputsAreNotFused() {
    Layer x = blocks("x", 1);
    Layer a = blocks("a", 1, x);
    Layer b = blocks("b", 1, x);
    Plan p = Plan.build(List.of(a, b), List.of(new TaskKey("a", 0), new TaskKey("b", 0)), 1,
        Plan.Delivery.ALL_RANKS, true);
    assertEquals(3, p.taskCount(), "x feeds two tasks: it stays a task of its own");
  }

  @Test
  void aReductionDoesNotAbsorbOneOfItsBlocks() {
    // x_i -> y_i (chain) then one task over all y: fusing y_0 into the total would run y_0's work
    // in the total's level, after every other rank finished its blocks
    Layer x = blocks("x", 4);
    Layer y = blocks("y", 4, x);
    List<TaskKey> all = keys("y", 4);
    Layer total = new Layer("total", List.of(new Task(new TaskKey("total", 0), all, sum(), "total", 1.0, -1)),
        List.of(y));
    Plan p = Plan.build(List.of(total), List.of(new TaskKey("total", 0)), 2, Plan.Delivery.ALL_RANKS, true);
    assertEquals(5, p.taskCount(), "four fused x+y chains and the total");
    assertEquals(2, p.levels());
    for (int i = 0; i < p.taskCount(); i++) {
      assertTrue(p.task(i).label().equals("x+y") || p.task(i).label().equals("total"), p.task(i).label());
    }
    // a deeper input may still absorb: total(y_0, c) with c a source fuses y_0's chain
    Layer c = blocks("c", 1);
    Layer both = new Layer("both", List.of(new Task(new TaskKey("both", 0), List.of(new TaskKey("y", 0),
        new TaskKey("c", 0)), sum(), "both", 1.0, -1)), List.of(y, c));
    Plan q = Plan.build(List.of(both), List.of(new TaskKey("both", 0)), 2, Plan.Delivery.ALL_RANKS, true);
    assertEquals(2, q.taskCount());
    assertEquals("x+y+both", q.task(q.taskCount() - 1).label());
  }

  @Test
  void blockwiseOperationsNeedNoTransfers() {
    Layer x = blocks("x", 16);
    Layer y = blocks("y", 16);
    Layer z = blocks("z", 16, x, y);
    for (int size : new int[] {1, 2, 3, 4, 5, 16, 17}) {
      Plan p = Plan.build(List.of(z), keys("z", 16), size, Plan.Delivery.OWNER_ONLY, false);
      assertEquals(0, p.transferCount(), "ranks " + size);
    }
  }

  @Test
  void sourcesAreBalancedOverRanks() {
    Layer x = blocks("x", 100);
    Plan p = Plan.build(List.of(x), keys("x", 100), 4, Plan.Delivery.OWNER_ONLY, false);
    int[] count = new int[4];
    for (int i = 0; i < p.taskCount(); i++) {
      count[p.owner(i)]++;
    }
    assertEquals(List.of(25, 25, 25, 25), List.of(count[0], count[1], count[2], count[3]));
    // contiguous: neighbours share a rank
    assertEquals(p.owner(0), p.owner(1));
  }

  @Test
  void singleTaskLayersAreSpreadToo() {
    List<Layer> singles = new ArrayList<>();
    List<TaskKey> outs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      singles.add(blocks("s" + i, 1));
      outs.add(new TaskKey("s" + i, 0));
    }
    Plan p = Plan.build(singles, outs, 4, Plan.Delivery.OWNER_ONLY, false);
    int[] count = new int[4];
    for (int i = 0; i < p.taskCount(); i++) {
      count[p.owner(i)]++;
    }
    for (int c : count) {
      assertEquals(5, c);
    }
  }

  @Test
  void treeReductionShapeDependsOnlyOnInputCount() {
    Layer x = blocks("x", 10);
    Layer t = TreeReduce.build("t", "sum", keys("x", 10), List.of(x), 3, in -> 0.0);
    // 10 -> 4 -> 2 -> 1
    assertEquals(7, t.tasks().size());
    assertEquals(new TaskKey("t", 2, 0), TreeReduce.rootKey("t", 10, 3));
    assertEquals(new TaskKey("t", 0, 0), TreeReduce.rootKey("t", 1, 3));
  }

  @Test
  void malformedGraphsAreReportedWithTheKeys() {
    Task orphan = Task.of(new TaskKey("a", 0), "a", in -> 1.0, new TaskKey("ghost", 7));
    GraphException e = assertThrows(GraphException.class, () -> Plan.build(
        List.of(new Layer("a", List.of(orphan), List.of())), List.of(new TaskKey("a", 0)), 1, Plan.Delivery.ALL_RANKS, true));
    assertTrue(e.getMessage().contains("('a', 0) depends on ('ghost', 7)"), e.getMessage());

    Task c1 = Task.of(new TaskKey("c", 1), "c", in -> 1.0, new TaskKey("c", 2));
    Task c2 = Task.of(new TaskKey("c", 2), "c", in -> 1.0, new TaskKey("c", 1));
    e = assertThrows(GraphException.class, () -> Plan.build(List.of(new Layer("c", List.of(c1, c2), List.of())),
        List.of(new TaskKey("c", 1)), 1, Plan.Delivery.ALL_RANKS, false));
    assertTrue(e.getMessage().contains("cycle"), e.getMessage());

    Layer d1 = new Layer("d", List.of(Task.of(new TaskKey("d", 0), "d", in -> 1.0)), List.of());
    Layer d2 = new Layer("d", List.of(Task.of(new TaskKey("d", 0), "d", in -> 2.0)), List.of());
    e = assertThrows(GraphException.class, () -> Plan.build(List.of(d1, d2), List.of(new TaskKey("d", 0)), 1,
        Plan.Delivery.ALL_RANKS, false));
    assertTrue(e.getMessage().contains("two different tasks have the key ('d', 0)"), e.getMessage());

    e = assertThrows(GraphException.class, () -> Plan.build(List.of(d1), List.of(new TaskKey("nope")), 1,
        Plan.Delivery.ALL_RANKS, false));
    assertTrue(e.getMessage().contains("requested output ('nope') is not in the graph"), e.getMessage());
  }

  @Test
  void fingerprintsAgreeForTheSameGraphOnly() {
    Layer x = blocks("x", 8);
    Plan a = Plan.build(List.of(x), keys("x", 8), 3, Plan.Delivery.ALL_RANKS, true);
    Plan b = Plan.build(List.of(blocks("x", 8)), keys("x", 8), 3, Plan.Delivery.ALL_RANKS, true);
    Plan c = Plan.build(List.of(blocks("x", 9)), keys("x", 9), 3, Plan.Delivery.ALL_RANKS, true);
    assertEquals(a.fingerprint(), b.fingerprint());
    assertNotEquals(a.fingerprint(), c.fingerprint());
  }

  @Test
  void deepChainsPlanWithoutRecursion() {
    List<Layer> chain = new ArrayList<>();
    chain.add(blocks("c0", 1));
    for (int i = 1; i < 50_000; i++) {
      chain.add(blocks("c" + i, 1, chain.get(i - 1)));
    }
    Plan p = Plan.build(List.of(chain.get(chain.size() - 1)), List.of(new TaskKey("c49999", 0)), 2,
        Plan.Delivery.ALL_RANKS, false);
    assertEquals(50_000, p.levels());
    Plan f = Plan.build(List.of(chain.get(chain.size() - 1)), List.of(new TaskKey("c49999", 0)), 2,
        Plan.Delivery.ALL_RANKS, true);
    // fused in pieces of at most MAX_HEIGHT tasks, so that running them cannot overflow a stack
    assertEquals((50_000 + Fusion.MAX_HEIGHT - 1) / Fusion.MAX_HEIGHT, f.taskCount());
  }

  @Test
  void dotShowsOneNodePerTaskAndOneEdgePerInput() {
    Layer x = blocks("x", 3);
    Layer y = blocks("y", 3, x);
    String dot = Dot.toDot(Plan.build(List.of(y), keys("y", 3), 2, Plan.Delivery.ALL_RANKS, false));
    assertEquals(6, dot.split("\\[label=").length - 1);
    assertEquals(3, dot.split(" -> ").length - 1);
    assertTrue(dot.contains("peripheries=2"), "outputs are marked");
  }
}
