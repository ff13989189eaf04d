package io.rankwise.bag;

import io.rankwise.frame.Column;
import io.rankwise.frame.ColumnType;
import io.rankwise.frame.DFrame;
import io.rankwise.frame.Frames;
import io.rankwise.frame.Table;
import io.rankwise.graph.ComputeOptions;
import io.rankwise.graph.Layer;
import io.rankwise.graph.Lazy;
import io.rankwise.graph.Outputs;
import io.rankwise.graph.Scheduler;
import io.rankwise.graph.Task;
import io.rankwise.graph.TaskKey;
import io.rankwise.graph.TreeReduce;
import io.rankwise.runtime.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * A lazy, partitioned collection of Java objects (dask.bag): one task per partition, partitions
 * spread over ranks. Nothing is read or computed until a result is asked for — which is why
 * printing a bag shows its structure, not its values (the tutorial's exercise).
 *
 * <pre>{@code
 * Bag<Map<String, Object>> people = Bags.readJson("data/*.json", Bags.OnError.FAIL);
 * List<Map<String, Object>> two = people.take(2);
 * long over30 = people.filter(r -> ((Number) r.get("age")).intValue() > 30).count();
 * }</pre>
 *
 * Results come in a deterministic order — partition order, then item order — the same for any
 * number of ranks.
 */
public final class Bag<T> implements Lazy<List<T>> {
  static final int SPLIT_EVERY = 8;

  final String name;
  final int npartitions;
  final Layer layer;

  Bag(String name, int npartitions, Layer layer) {
    this.name = name;
    this.npartitions = npartitions;
    this.layer = layer;
  }

  public int npartitions() {
    return npartitions;
  }

  TaskKey key(int p) {
    return new TaskKey(name, p);
  }

  @Override
  public Layer layer() {
    return layer;
  }

  @Override
  public List<TaskKey> outputKeys() {
    return TaskKey.range(name, npartitions);
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<T> assemble(Object[] parts) {
    List<T> out = new ArrayList<>();
    long skipped = 0;
    String first = null;
    for (Object o : parts) {
      Part p = (Part) o;
      for (Object item : p.items()) {
        out.add((T) item);
      }
      skipped += p.skipped;
      first = first == null ? p.firstSkipped : first;
    }
    Bags.reportSkipped(skipped, first);
    return out;
  }

  /** Every item, on every rank (use reductions for large bags). */
  public List<T> compute() {
    @SuppressWarnings("unchecked")
    List<T> r = (List<T>) Scheduler.compute(List.of(this), ComputeOptions.DEFAULT)[0];
    return r;
  }

  /** A new bag whose partition p is {@code fn} of this bag's partition p. */
  <R> Bag<R> mapPartitions(String op, Function<Part, Part> fn) {
    String n = Session.current().nextName(op);
    List<Task> tasks = new ArrayList<>(npartitions);
    for (int p = 0; p < npartitions; p++) {
      tasks.add(new Task(new TaskKey(n, p), List.of(key(p)), in -> fn.apply((Part) in[0]), op, 1.0, -1));
    }
    return new Bag<>(n, npartitions, new Layer(n, tasks, List.of(layer)));
  }

  @SuppressWarnings("unchecked")
  public <R> Bag<R> map(Function<? super T, ? extends R> f) {
    return mapPartitions("map", part -> part.map(o -> f.apply((T) o)));
  }

  @SuppressWarnings("unchecked")
  public Bag<T> filter(Predicate<? super T> keep) {
    return mapPartitions("filter", part -> part.filter(o -> keep.test((T) o)));
  }

  @SuppressWarnings("unchecked")
  public <R> Bag<R> flatMap(Function<? super T, ? extends Iterable<? extends R>> f) {
    return mapPartitions("flatten", part -> part.flatMap(o -> f.apply((T) o)));
  }

  /** The value of field {@code key} of every record (items are maps). */
  public Bag<Object> pluck(String key) {
    return map(item -> {
      if (!(item instanceof Map<?, ?> m)) {
        throw new BagException("pluck('" + key + "'): items must be maps (records), got a "
            + (item == null ? "null" : item.getClass().getName()));
      }
      if (!m.containsKey(key)) {
        throw new BagException("pluck('" + key + "'): a record has no field '" + key + "'; it has " + m.keySet());
      }
      return m.get(key);
    });
  }

  /** The first n items, computing only the partitions needed. */
  @SuppressWarnings("unchecked")
  public List<T> take(int n) {
    List<T> out = new ArrayList<>();
    int p = 0;
    int step = 1;
    long skipped = 0;
    String first = null;
    while (out.size() < n && p < npartitions) {
      List<TaskKey> keys = new ArrayList<>();
      for (int k = p; k < Math.min(npartitions, p + step); k++) {
        keys.add(key(k));
      }
      Object[] parts = new Outputs(layer, keys).compute(ComputeOptions.DEFAULT);
      for (Object o : parts) {
        Part part = (Part) o;
        List<Object> items = part.items();
        skipped += part.skipped;
        first = first == null ? part.firstSkipped : first;
        for (Object item : items) {
          if (out.size() < n) {
            out.add((T) item);
          }
        }
      }
      p += step;
      step *= 2;
    }
    Bags.reportSkipped(skipped, first);
    return out;
  }

  // ---- reductions --------------------------------------------------------------------------

  /**
   * Dask's {@code reduction(perpartition, aggregate)}: {@code perPartition} maps a partition's items
   * to a value; {@code aggregate} combines a list of such values (applied over a fixed tree, so it
   * must accept its own results). Returns the lazy result.
   */
  @SuppressWarnings("unchecked")
  public <R> Result<R> reduction(Function<List<T>, R> perPartition, Function<List<R>, R> aggregate) {
    return reductionOfParts(part -> perPartition.apply((List<T>) (List<?>) part.items()), aggregate);
  }

  @SuppressWarnings("unchecked")
  private <R> Result<R> reductionOfParts(Function<Part, R> perPart, Function<List<R>, R> aggregate) {
    String n = Session.current().nextName("reduction");
    List<Task> tasks = new ArrayList<>();
    List<TaskKey> chunks = new ArrayList<>();
    for (int p = 0; p < npartitions; p++) {
      TaskKey k = new TaskKey(n + "-chunk", p);
      chunks.add(k);
      tasks.add(new Task(k, List.of(key(p)), in -> {
        Part part = (Part) in[0];
        R value = perPart.apply(part); // skip counts of a streamed part are known after the visit
        return new Carried(value, part.skipped, part.firstSkipped);
      }, "reduction-chunk", 1.0, -1));
    }
    Layer chunkLayer = new Layer(n + "-chunk", tasks, List.of(layer));
    Layer tree = TreeReduce.build(n, "reduction-agg", chunks, List.of(chunkLayer), SPLIT_EVERY, parts -> {
      List<R> values = new ArrayList<>(parts.length);
      long skipped = 0;
      String first = null;
      for (Object o : parts) {
        Carried c = (Carried) o;
        values.add((R) c.value);
        skipped += c.skipped;
        first = first == null ? c.firstSkipped : first;
      }
      return new Carried(aggregate.apply(values), skipped, first);
    });
    return new Result<>(tree, TreeReduce.rootKey(n, npartitions, SPLIT_EVERY));
  }

  /**
   * A reduction that streams each partition: {@code fold} visits the items one by one (a streamed
   * partition is never held), {@code aggregate} merges partition results over a fixed tree.
   */
  @SuppressWarnings("unchecked")
  <R> Result<R> streamingReduction(Supplier<R> start, BiFunction<R, T, R> fold, Function<List<R>, R> aggregate) {
    return reductionOfParts(part -> {
      Object[] acc = {start.get()};
      part.forEach(o -> acc[0] = fold.apply((R) acc[0], (T) o));
      return (R) acc[0];
    }, aggregate);
  }

  /** Number of items. */
  public long count() {
    return this.<long[]>streamingReduction(() -> new long[1], (acc, x) -> {
      acc[0]++;
      return acc;
    }, parts -> {
      long[] t = new long[1];
      parts.forEach(p -> t[0] += p[0]);
      return t;
    }).compute()[0];
  }


  /** Sum of a numeric view of the items. */
  public double sum(ToDoubleFunction<? super T> f) {
    return moments(f).compute()[1];
  }

  public double mean(ToDoubleFunction<? super T> f) {
    double[] m = moments(f).compute();
    return m[1] / m[0];
  }

  /** Population standard deviation (ddof 0, as Dask's bag std). */
  public double std(ToDoubleFunction<? super T> f) {
    double[] m = moments(f).compute();
    return Math.sqrt(m[3] / m[0]);
  }

  public double min(ToDoubleFunction<? super T> f) {
    return moments(f).compute()[4];
  }

  public double max(ToDoubleFunction<? super T> f) {
    return moments(f).compute()[5];
  }

  /** {n, sum, mean, M2, min, max}, merged with Chan's formula over a fixed tree. */
  private Result<double[]> moments(ToDoubleFunction<? super T> f) {
    return this.<double[]>streamingReduction(
        () -> new double[] {0, 0, 0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}, (m, it) -> {
        double v = f.applyAsDouble(it);
        double n = ++m[0];
        m[1] += v;
        double d = v - m[2];
        m[2] += d / n;
        m[3] += d * (v - m[2]);
        m[4] = Math.min(m[4], v);
        m[5] = Math.max(m[5], v);
        return m;
      }, parts -> {
      double[] acc = {0, 0, 0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
      for (double[] b : parts) {
        if (b[0] == 0) {
          continue;
        }
        double n = acc[0] + b[0];
        double delta = b[2] - acc[2];
        acc[2] += delta * b[0] / n;
        acc[3] += b[3] + delta * delta * acc[0] * b[0] / n;
        acc[0] = n;
        acc[1] += b[1];
        acc[4] = Math.min(acc[4], b[4]);
        acc[5] = Math.max(acc[5], b[5]);
      }
      return acc;
    });
  }

  /** How often each distinct item occurs: most frequent first (ties in item order by text). */
  public List<Map.Entry<T, Long>> frequencies() {
    Map<T, Long> counts = this.<T, Long>foldby(x -> x, (acc, x) -> acc + 1, () -> 0L, Long::sum);
    List<Map.Entry<T, Long>> out = new ArrayList<>(counts.entrySet());
    out.sort(Comparator.comparing((Map.Entry<T, Long> e) -> -e.getValue()).thenComparing(e -> String.valueOf(e.getKey())));
    return out;
  }

  /** The k largest items by {@code order}, largest first. */
  public List<T> topk(int k, Comparator<? super T> order) {
    Result<ArrayList<T>> r = reduction(items -> best(items, k, order), lists -> {
      List<T> all = new ArrayList<>();
      lists.forEach(all::addAll);
      return best(all, k, order);
    });
    return r.compute();
  }

  private static <T> ArrayList<T> best(List<T> items, int k, Comparator<? super T> order) {
    ArrayList<T> s = new ArrayList<>(items);
    s.sort(order.reversed());
    return new ArrayList<>(s.subList(0, Math.min(k, s.size())));
  }

  /** The distinct items, sorted by their text (deterministic). */
  public List<T> distinct() {
    Result<HashSet<T>> r = reduction(HashSet::new, sets -> {
      HashSet<T> all = new HashSet<>();
      sets.forEach(all::addAll);
      return all;
    });
    List<T> out = new ArrayList<>(r.compute());
    out.sort(Comparator.comparing(String::valueOf));
    return out;
  }

  /**
   * Dask's foldby — the cheap way to group: every partition folds its items per key
   * ({@code binop(acc, item)} from {@code initial}), then the per-partition results are merged per
   * key with {@code combine}, over a fixed tree. Only one value per key and partition moves.
   * Keys come back sorted by their text.
   */
  public <K, V> Map<K, V> foldby(Function<? super T, ? extends K> key, BiFunction<V, ? super T, V> binop,
      Supplier<V> initial, BinaryOperator<V> combine) {
    Result<HashMap<K, V>> r = this.<HashMap<K, V>>streamingReduction(HashMap::new, (m, it) -> {
      K k = key.apply(it);
      m.put(k, binop.apply(m.containsKey(k) ? m.get(k) : initial.get(), it));
      return m;
    }, maps -> {
      HashMap<K, V> acc = new HashMap<>();
      for (HashMap<K, V> m : maps) {
        for (Map.Entry<K, V> e : m.entrySet()) {
          acc.merge(e.getKey(), e.getValue(), combine);
        }
      }
      return acc;
    });
    List<Map.Entry<K, V>> entries = new ArrayList<>(r.compute().entrySet());
    entries.sort(Comparator.comparing(e -> String.valueOf(e.getKey())));
    Map<K, V> out = new LinkedHashMap<>();
    entries.forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /**
   * The expensive way to group: a full shuffle. Every item travels to the bucket of its key (one
   * all-to-all exchange); the result is a bag of (key, items) pairs, items in their original order,
   * keys sorted by text within a bucket. Prefer {@link #foldby} when a fold will do.
   */
  @SuppressWarnings("unchecked")
  public <K> Bag<Map.Entry<K, List<T>>> groupby(Function<? super T, ? extends K> key) {
    // As many buckets as partitions: the result's shape must not depend on the rank count.
    int buckets = npartitions;
    String n = Session.current().nextName("groupby-shuffle");
    List<Task> tasks = new ArrayList<>();
    for (int p = 0; p < npartitions; p++) {
      TaskKey split = new TaskKey(n + "-split", p);
      tasks.add(new Task(split, List.of(key(p)), in -> {
        Part part = (Part) in[0];
        ArrayList<Object>[] lists = new ArrayList[buckets];
        for (int b = 0; b < buckets; b++) {
          lists[b] = new ArrayList<>();
        }
        part.forEach(o -> {
          Object k = key.apply((T) o);
          // hash of the key's text: identical in every JVM (enum and identity hash codes are not)
          lists[Math.floorMod(String.valueOf(k).hashCode() * 0x9E3779B9, buckets)].add(o);
        });
        Part[] pieces = new Part[buckets];
        for (int b = 0; b < buckets; b++) { // the partition's skipped lines ride with piece 0
          pieces[b] = b == 0 ? new Part(lists[b], part.skipped, part.firstSkipped) : new Part(lists[b], 0, null);
        }
        return pieces;
      }, "groupby-split", 1.0, -1));
      for (int b = 0; b < buckets; b++) {
        int bb = b;
        tasks.add(new Task(new TaskKey(n + "-piece", p, b), List.of(split), in -> ((Part[]) in[0])[bb],
            "piece", 0.001, Task.FOLLOW_INPUT));
      }
    }
    for (int b = 0; b < buckets; b++) {
      List<TaskKey> pieces = new ArrayList<>();
      for (int p = 0; p < npartitions; p++) {
        pieces.add(new TaskKey(n + "-piece", p, b));
      }
      tasks.add(new Task(new TaskKey(n, b), pieces, in -> {
        Map<Object, List<Object>> groups = new HashMap<>();
        long skipped = 0;
        String first = null;
        for (Object piece : in) {
          Part pc = (Part) piece;
          for (Object o : pc.items()) {
            groups.computeIfAbsent(key.apply((T) o), k -> new ArrayList<>()).add(o);
          }
          skipped += pc.skipped;
          first = first == null ? pc.firstSkipped : first;
        }
        ArrayList<Object> out = new ArrayList<>();
        groups.entrySet().stream().sorted(Comparator.comparing(e -> String.valueOf(e.getKey())))
            .forEach(e -> out.add(new Group<>(e.getKey(), e.getValue())));
        return new Part(out, skipped, first);
      }, "groupby-bucket", 1.0, -1));
    }
    return new Bag<>(n, buckets, new Layer(n, tasks, List.of(layer)));
  }

  // ---- conversions -------------------------------------------------------------------------

  /**
   * Records (maps) as a dataframe with the given columns and types (in order); a missing or null
   * field is NaN for float64 columns and an error naming the record otherwise.
   */
  @SuppressWarnings("unchecked")
  public DFrame toDataFrame(LinkedHashMap<String, ColumnType> schema) {
    String[] names = schema.keySet().toArray(String[]::new);
    ColumnType[] types = schema.values().toArray(ColumnType[]::new);
    // partition p of the frame converts partition p of the bag
    return Frames.fromLayer("from-bag", names, types, npartitions, layer, this::key, value -> {
      Part part = (Part) value;
      Column[] cols = new Column[names.length];
      List<Object> items = part.items();
      for (int c = 0; c < names.length; c++) {
        cols[c] = Bags.column(items, names[c], types[c]);
      }
      Bags.reportSkippedIn("toDataFrame", part.skipped, part.firstSkipped); // a table has no place for them
      return new Table(null, null, names, cols);
    });
  }

  /**
   * Writes one text file per partition ({@code *} in the pattern is the partition number), one
   * item per line (maps as JSON). Collective; returns the paths, in partition order.
   */
  public List<Path> toTextFiles(String pattern) {
    if (!pattern.contains("*")) {
      throw new BagException("toTextFiles: the pattern '" + pattern + "' needs a '*' for the partition number");
    }
    Bag<Object> written = mapPartitions("to-textfiles", part -> part);
    String n = Session.current().nextName("write");
    List<Task> tasks = new ArrayList<>();
    for (int p = 0; p < npartitions; p++) {
      Path file = Path.of(pattern.replace("*", Integer.toString(p)));
      tasks.add(new Task(new TaskKey(n, p), List.of(written.key(p)), in -> {
        Part part = (Part) in[0];
        List<String> lines = new ArrayList<>();
        for (Object o : part.items()) {
          lines.add(o instanceof Map<?, ?> || o instanceof List<?> ? Bags.json().writeValueAsString(o) : String.valueOf(o));
        }
        Bags.reportSkippedIn("toTextFiles " + file, part.skipped, part.firstSkipped);
        try {
          if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
          }
          Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new BagException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file.toString();
      }, "write", 1.0, -1));
    }
    Layer l = new Layer(n, tasks, List.of(written.layer));
    List<TaskKey> keys = new ArrayList<>();
    for (int p = 0; p < npartitions; p++) {
      keys.add(new TaskKey(n, p));
    }
    Object[] paths = new Outputs(l, keys).compute(ComputeOptions.DEFAULT);
    List<Path> out = new ArrayList<>();
    for (Object o : paths) {
      out.add(Path.of((String) o));
    }
    return out;
  }

  public Path visualize(Path file, boolean optimize) {
    return Scheduler.visualize(this, file, optimize);
  }

  /** The structure, not the values: a bag computes nothing until asked. */
  @Override
  public String toString() {
    return "rankwise.bag<" + name.substring(0, Math.max(0, name.lastIndexOf('-'))) + ", npartitions=" + npartitions + ">";
  }

  /** A value plus the skip record of the input it came from. */
  static final class Carried {
    Object value;
    long skipped;
    String firstSkipped;

    private Carried() {}

    Carried(Object value, long skipped, String firstSkipped) {
      this.value = value;
      this.skipped = skipped;
      this.firstSkipped = firstSkipped;
    }
  }

  /** A lazy reduction result. */
  public static final class Result<R> implements Lazy<R> {
    private final Layer layer;
    private final TaskKey root;

    Result(Layer layer, TaskKey root) {
      this.layer = layer;
      this.root = root;
    }

    @Override
    public Layer layer() {
      return layer;
    }

    @Override
    public List<TaskKey> outputKeys() {
      return List.of(root);
    }

    @Override
    @SuppressWarnings("unchecked")
    public R assemble(Object[] outputs) {
      Carried c = (Carried) outputs[0];
      Bags.reportSkipped(c.skipped, c.firstSkipped);
      return (R) c.value;
    }

    @SuppressWarnings("unchecked")
    public R compute() {
      return (R) Scheduler.compute(List.of(this), ComputeOptions.DEFAULT)[0];
    }
  }
}
