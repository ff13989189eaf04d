package io.rankwise.graph;

import java.util.Arrays;

/**
 * Identifies a task: the collection (layer) it belongs to and its block index, like Dask's
 * {@code ('name', i, j)} keys. Immutable; ordered by name, then index, so that every rank sorts
 * tasks the same way.
 */
public final class TaskKey implements Comparable<TaskKey> {
  private final String name;
  private final int[] index;
  private final int hash;

  public TaskKey(String name, int... index) {
    this.name = name;
    this.index = index.clone();
    this.hash = name.hashCode() * 31 + Arrays.hashCode(index);
  }

  /** Keys {@code (name, 0)} .. {@code (name, n - 1)}: the partitions of a one-dimensional collection. */
  public static java.util.List<TaskKey> range(String name, int n) {
    java.util.List<TaskKey> keys = new java.util.ArrayList<>(n);
    for (int p = 0; p < n; p++) {
      keys.add(new TaskKey(name, p));
    }
    return keys;
  }

  public String name() {
    return name;
  }

  /** Number of index components. */
  public int rank() {
    return index.length;
  }

  public int index(int axis) {
    return index[axis];
  }

  public int[] index() {
    return index.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskKey k && k.hash == hash && k.name.equals(name) && Arrays.equals(k.index, index);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(TaskKey o) {
    int c = name.compareTo(o.name);
    return c != 0 ? c : Arrays.compare(index, o.index);
  }

  /** {@code ('name', 1, 2)}, as Dask prints keys. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("('").append(name).append('\'');
    for (int i : index) {
      sb.append(", ").append(i);
    }
    return sb.append(')').toString();
  }
}
