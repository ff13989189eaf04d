package io.rankwise.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which rank runs each task. Deterministic from the plan alone, so every rank computes
 * the same assignment without talking:
 *
 * <ul>
 *   <li>sources (level 0) of one layer are split into contiguous runs of equal estimated cost, so
 *       neighbouring blocks share a rank and equally shaped collections line up block for block;
 *   <li>other tasks go where their first input lives (no transfer for blockwise chains), unless
 *       that rank already has more than its share of the level's cost: then to the least loaded
 *       rank;
 *   <li>pinned tasks (persisted data) stay where their data is.
 * </ul>
 *
 * Placement never changes results: the computation order is fixed by the graph itself.
 */
final class Owners {
  private static final double SLACK = 1.25;

  private Owners() {}

  static int[] assign(Plan p) {
    int n = p.tasks.length;
    int size = p.size;
    int[] owner = new int[n];
    List<List<Integer>> byLevel = new ArrayList<>();
    for (int l = 0; l < p.levels; l++) {
      byLevel.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      byLevel.get(p.level[i]).add(i);
    }
    double[] load = new double[size];
    double[] weight = p.weight;
    for (int l = 0; l < p.levels; l++) {
      List<Integer> ids = byLevel.get(l);
      if (l == 0) {
        assignSources(p, ids, owner, weight);
        continue;
      }
      double total = 0;
      double max = 0;
      for (int i : ids) {
        total += p.tasks[i].cost();
        max = Math.max(max, p.tasks[i].cost());
      }
      double cap = total / size * SLACK + max;
      Arrays.fill(load, 0);
      for (int i : ids) {
        Task t = p.tasks[i];
        int r;
        if (t.pinnedOwner() >= 0) {
          r = t.pinnedOwner() % size;
        } else {
          r = p.deps[i].length > 0 ? owner[p.deps[i][0]] : 0;
          if (load[r] + t.cost() > cap) {
            r = leastLoaded(load);
          }
        }
        owner[i] = r;
        load[r] += t.cost();
      }
    }
    return owner;
  }

  /**
   * Per layer, contiguous runs of equal cumulative cost. Layers with a single source (delayed
   * calls, say) are pooled into one group, in discovery order, or they would all land on one rank.
   */
  private static void assignSources(Plan p, List<Integer> ids, int[] owner, double[] weight) {
    Map<Integer, Integer> perLayer = new HashMap<>();
    for (int i : ids) {
      perLayer.merge(p.layerOf[i], 1, Integer::sum);
    }
    Map<Integer, List<Integer>> byLayer = new HashMap<>();
    List<Integer> layerOrder = new ArrayList<>();
    for (int i : ids) {
      int group = perLayer.get(p.layerOf[i]) == 1 ? Integer.MIN_VALUE : p.layerOf[i];
      byLayer.computeIfAbsent(group, k -> {
        layerOrder.add(k);
        return new ArrayList<>();
      }).add(i);
    }
    for (int layer : layerOrder) {
      List<Integer> members = byLayer.get(layer);
      double total = 0;
      for (int i : members) {
        total += weight[i];
      }
      double before = 0;
      for (int i : members) {
        Task t = p.tasks[i];
        if (t.pinnedOwner() >= 0) {
          owner[i] = t.pinnedOwner() % p.size;
        } else {
          owner[i] = Math.min(p.size - 1, (int) ((before + weight[i] / 2) / total * p.size));
        }
        before += weight[i];
      }
    }
  }

  /**
   * A task's cost plus the weights of the consumers that will follow it (those whose first input
   * it is): what placing a source really places, since its chain goes where it goes.
   */
  static double[] affinityWeights(Plan p) {
    int n = p.tasks.length;
    double[] w = new double[n];
    for (int i = n - 1; i >= 0; i--) { // ids are topological: consumers come later
      w[i] += p.tasks[i].cost();
      if (p.deps[i].length > 0) {
        w[p.deps[i][0]] += w[i];
      }
    }
    return w;
  }

  private static int leastLoaded(double[] load) {
    int best = 0;
    for (int r = 1; r < load.length; r++) {
      if (load[r] < load[best]) {
        best = r;
      }
    }
    return best;
  }
}
