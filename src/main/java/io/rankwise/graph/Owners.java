package io.rankwise.graph;

import java.util.Arrays;

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
    double[] weight = p.weight;
    // Tasks grouped by level, in id order within a level (counting sort).
    int[] start = new int[p.levels + 1];
    for (int i = 0; i < n; i++) {
      start[p.level[i] + 1]++;
    }
    for (int l = 0; l < p.levels; l++) {
      start[l + 1] += start[l];
    }
    int[] byLevel = new int[n];
    int[] fill = Arrays.copyOf(start, p.levels);
    for (int i = 0; i < n; i++) {
      byLevel[fill[p.level[i]]++] = i;
    }
    double[] load = new double[size];
    for (int l = 0; l < p.levels; l++) {
      if (l == 0) {
        assignSources(p, byLevel, start[1], owner, weight);
        continue;
      }
      double total = 0;
      double max = 0;
      for (int k = start[l]; k < start[l + 1]; k++) {
        double c = p.tasks[byLevel[k]].cost();
        total += c;
        max = Math.max(max, c);
      }
      double cap = total / size * SLACK + max;
      Arrays.fill(load, 0);
      for (int k = start[l]; k < start[l + 1]; k++) {
        int i = byLevel[k];
        Task t = p.tasks[i];
        int r;
        if (t.pinnedOwner() >= 0) {
          r = t.pinnedOwner() % size;
        } else {
          r = p.deps[i].length > 0 ? owner[p.deps[i][0]] : 0;
          if (load[r] + t.cost() > cap && t.pinnedOwner() != Task.FOLLOW_INPUT) {
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
   * Per layer, contiguous runs of equal cumulative weight. Layers with a single source (delayed
   * calls, say) are pooled into one group, in discovery order, or they would all land on one rank.
   */
  private static void assignSources(Plan p, int[] sources, int count, int[] owner, double[] weight) {
    int groups = p.layerNames.size() + 1;
    int pool = groups - 1;
    int[] perLayer = new int[groups];
    for (int k = 0; k < count; k++) {
      perLayer[group(p, sources[k], pool)]++;
    }
    double[] total = new double[groups];
    for (int k = 0; k < count; k++) {
      int i = sources[k];
      int g = group(p, i, pool);
      total[perLayer[g] == 1 ? pool : g] += weight[i];
    }
    double[] before = new double[groups];
    for (int k = 0; k < count; k++) {
      int i = sources[k];
      int g = group(p, i, pool);
      g = perLayer[g] == 1 ? pool : g;
      Task t = p.tasks[i];
      if (t.pinnedOwner() >= 0) {
        owner[i] = t.pinnedOwner() % p.size;
      } else {
        owner[i] = Math.min(p.size - 1, (int) ((before[g] + weight[i] / 2) / total[g] * p.size));
      }
      before[g] += weight[i];
    }
  }

  private static int group(Plan p, int i, int pool) {
    return p.layerOf[i] < 0 ? pool : p.layerOf[i];
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
