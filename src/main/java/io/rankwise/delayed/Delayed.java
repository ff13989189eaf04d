package io.rankwise.delayed;

import io.rankwise.graph.ComputeOptions;
import io.rankwise.graph.Layer;
import io.rankwise.graph.Lazy;
import io.rankwise.graph.Plan;
import io.rankwise.graph.Scheduler;
import io.rankwise.graph.Task;
import io.rankwise.graph.TaskFn;
import io.rankwise.graph.TaskKey;
import io.rankwise.graph.TreeReduce;
import io.rankwise.runtime.Session;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A lazy value: the result of a plain Java function, computed when asked (dask.delayed).
 *
 * <pre>{@code
 * var inc = Delayed.delayed(Tour::inc);          // int -> int
 * var add = Delayed.delayed(Tour::add);          // (int, int) -> int
 * List<Delayed<Integer>> zs = new ArrayList<>();
 * for (int i = 0; i < 20; i++) {
 *   Delayed<Integer> x = inc.apply(i);
 *   zs.add(add.apply(x, dec.apply(x)));
 * }
 * List<Integer> results = Delayed.computeAll(zs);   // one graph, run once, on all ranks
 * }</pre>
 *
 * Arguments may be plain values or other {@code Delayed}s; every rank builds the same graph
 * (SPMD), tasks are spread over ranks and their worker threads, and results come back on every
 * rank. A task's label is its method name when given a method reference.
 */
public final class Delayed<T> implements Lazy<T> {
  private final Layer layer;
  private final TaskKey key;

  private Delayed(Layer layer, TaskKey key) {
    this.layer = layer;
    this.key = key;
  }

  @Override
  public Layer layer() {
    return layer;
  }

  @Override
  public List<TaskKey> outputKeys() {
    return List.of(key);
  }

  public TaskKey key() {
    return key;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T assemble(Object[] outputs) {
    return (T) outputs[0];
  }

  // ---- functions -----------------------------------------------------------------------------

  /** Serializable so that a method reference's name can be read for labels; never serialized. */
  @FunctionalInterface
  public interface F0<R> extends Serializable {
    R apply() throws Exception;
  }

  @FunctionalInterface
  public interface F1<A, R> extends Serializable {
    R apply(A a) throws Exception;
  }

  @FunctionalInterface
  public interface F2<A, B, R> extends Serializable {
    R apply(A a, B b) throws Exception;
  }

  @FunctionalInterface
  public interface F3<A, B, C, R> extends Serializable {
    R apply(A a, B b, C c) throws Exception;
  }

  /** A one-argument function whose calls build tasks instead of running. */
  public static final class Fn1<A, R> {
    private final String label;
    private final F1<A, R> f;
    private final double cost;

    Fn1(String label, F1<A, R> f, double cost) {
      this.label = label;
      this.f = f;
      this.cost = cost;
    }

    /**
     * The same function, its next calls marked with an estimated cost (relative; 1 = a typical
     * task, e.g. seconds). Costs balance work over ranks, which cannot steal work from each other.
     */
    public Fn1<A, R> withCost(double c) {
      return new Fn1<>(label, f, c);
    }

    public Delayed<R> apply(Delayed<? extends A> a) {
      return call(label, cost, args -> f.apply(cast(args[0])), a);
    }

    public Delayed<R> apply(A a) {
      return call(label, cost, args -> f.apply(cast(args[0])), a);
    }
  }

  /** A two-argument function whose calls build tasks instead of running. */
  public static final class Fn2<A, B, R> {
    private final String label;
    private final F2<A, B, R> f;
    private final double cost;

    Fn2(String label, F2<A, B, R> f, double cost) {
      this.label = label;
      this.f = f;
      this.cost = cost;
    }

    /** The same function, its next calls marked with an estimated cost (see {@link Fn1#withCost}). */
    public Fn2<A, B, R> withCost(double c) {
      return new Fn2<>(label, f, c);
    }

    private Delayed<R> go(Object a, Object b) {
      return call(label, cost, args -> f.apply(cast(args[0]), cast(args[1])), a, b);
    }

    public Delayed<R> apply(Delayed<? extends A> a, Delayed<? extends B> b) {
      return go(a, b);
    }

    public Delayed<R> apply(A a, Delayed<? extends B> b) {
      return go(a, b);
    }

    public Delayed<R> apply(Delayed<? extends A> a, B b) {
      return go(a, b);
    }

    public Delayed<R> apply(A a, B b) {
      return go(a, b);
    }
  }

  /** A three-argument function; pass {@code Delayed}s or plain values ({@link #value} wraps too). */
  public static final class Fn3<A, B, C, R> {
    private final String label;
    private final F3<A, B, C, R> f;

    Fn3(String label, F3<A, B, C, R> f) {
      this.label = label;
      this.f = f;
    }

    public Delayed<R> apply(Object a, Object b, Object c) {
      return call(label, 1.0, args -> f.apply(cast(args[0]), cast(args[1]), cast(args[2])), a, b, c);
    }
  }

  public static <A, R> Fn1<A, R> delayed(F1<A, R> f) {
    return new Fn1<>(labelOf(f), f, 1.0);
  }

  public static <A, B, R> Fn2<A, B, R> delayed(F2<A, B, R> f) {
    return new Fn2<>(labelOf(f), f, 1.0);
  }

  public static <A, B, C, R> Fn3<A, B, C, R> delayed(F3<A, B, C, R> f) {
    return new Fn3<>(labelOf(f), f);
  }

  /** Same, with the label given (for lambdas, which have no useful name). */
  public static <A, R> Fn1<A, R> delayed(String label, F1<A, R> f) {
    return new Fn1<>(label, f, 1.0);
  }

  public static <A, B, R> Fn2<A, B, R> delayed(String label, F2<A, B, R> f) {
    return new Fn2<>(label, f, 1.0);
  }

  /** A task that calls {@code f} with no arguments (a data source). */
  public static <R> Delayed<R> call(String label, F0<R> f) {
    return call(label, 1.0, args -> f.apply());
  }

  /** A constant as a lazy value. */
  public static <T> Delayed<T> value(T v) {
    return call("value", 1.0, args -> v);
  }

  /** All of {@code items} as one lazy list, in order. */
  public static <T> Delayed<List<T>> list(List<Delayed<T>> items) {
    return call("list", 1.0, args -> {
      List<T> out = new ArrayList<>(args.length);
      for (Object a : args) {
        out.add(cast(a));
      }
      return out;
    }, items.toArray());
  }

  /**
   * Reduces {@code items} with {@code op} over a fixed tree (groups of {@code arity}), so the
   * association order, and so the result, is the same for any number of ranks and threads.
   */
  public static <T> Delayed<T> reduce(List<Delayed<T>> items, F2<T, T, T> op, int arity) {
    Session s = Session.current();
    String name = s.nextName(labelOf(op) + "-tree");
    List<TaskKey> keys = new ArrayList<>();
    List<Layer> all = new ArrayList<>();
    for (Delayed<T> d : items) {
      keys.add(d.key);
      all.add(d.layer);
    }
    Layer l = TreeReduce.build(name, labelOf(op), keys, Layer.distinct(all), arity, parts -> {
      T acc = cast(parts[0]);
      for (int i = 1; i < parts.length; i++) {
        acc = op.apply(acc, cast(parts[i]));
      }
      return acc;
    });
    return new Delayed<>(l, TreeReduce.rootKey(name, keys.size(), arity));
  }

  /** Applies {@code f} to this value, lazily. */
  public <R> Delayed<R> map(F1<T, R> f) {
    return delayed(f).apply(this);
  }

  // ---- computing -----------------------------------------------------------------------------

  /** Runs the graph and returns the value on every rank. */
  public T compute() {
    return compute(ComputeOptions.DEFAULT);
  }

  @SuppressWarnings("unchecked")
  public T compute(ComputeOptions options) {
    return (T) Scheduler.compute(List.of(this), options)[0];
  }

  /** Computes several values in one graph: shared inputs run once. */
  public static Object[] compute(Delayed<?>... values) {
    return Scheduler.compute(Arrays.asList(values), ComputeOptions.DEFAULT);
  }

  /** Computes a list of values in one graph; results in the same order, on every rank. */
  @SuppressWarnings("unchecked")
  public static <T> List<T> computeAll(List<Delayed<T>> values) {
    Object[] r = Scheduler.compute(values, ComputeOptions.DEFAULT);
    List<T> out = new ArrayList<>(r.length);
    for (Object o : r) {
      out.add((T) o);
    }
    return out;
  }

  /**
   * Computes the value and keeps it on the rank that computed it; the returned {@code Delayed}
   * reads it from there, so later graphs reuse it without recomputing.
   */
  public Delayed<T> persist() {
    Session s = Session.current();
    Plan plan = Scheduler.plan(List.of(this), ComputeOptions.DEFAULT.withDelivery(Plan.Delivery.OWNER_ONLY), s.size());
    int owner = plan.owner(plan.outputs()[0]);
    Object v = Scheduler.compute(List.of(this), ComputeOptions.DEFAULT.withDelivery(Plan.Delivery.OWNER_ONLY))[0];
    Object[] holder = {s.rank() == owner ? v : null};
    TaskKey k = new TaskKey(s.nextName(key.name() + "-persisted"));
    Task t = new Task(k, List.of(), in -> holder[0], "persisted", 1.0, owner);
    return new Delayed<>(new Layer(k.name(), List.of(t), List.of()), k);
  }

  /** Writes a picture of the graph (.svg/.png/.pdf via graphviz, or .dot) on rank 0. */
  public Path visualize(Path file, boolean optimizeGraph) {
    return Scheduler.visualize(this, file, optimizeGraph);
  }

  @Override
  public String toString() {
    return "Delayed(" + key + ")";
  }

  // ---- internals -----------------------------------------------------------------------------

  @FunctionalInterface
  private interface Body {
    Object apply(Object[] args) throws Exception;
  }

  /** One task over {@code args}: Delayed arguments become inputs, others are captured constants. */
  private static <R> Delayed<R> call(String label, double cost, Body body, Object... args) {
    Session s = Session.current();
    TaskKey key = new TaskKey(s.nextName(label));
    List<TaskKey> deps = new ArrayList<>();
    List<Layer> layers = new ArrayList<>();
    int[] slot = new int[args.length];
    for (int j = 0; j < args.length; j++) {
      if (args[j] instanceof Delayed<?> d) {
        slot[j] = deps.size();
        deps.add(d.key);
        layers.add(d.layer);
      } else {
        slot[j] = -1;
      }
    }
    Object[] constants = args.clone();
    TaskFn fn = inputs -> {
      Object[] actual = new Object[slot.length];
      for (int j = 0; j < slot.length; j++) {
        actual[j] = slot[j] >= 0 ? inputs[slot[j]] : constants[j];
      }
      return body.apply(actual);
    };
    Task task = new Task(key, deps, fn, label, cost, -1);
    return new Delayed<>(new Layer(key.name(), List.of(task), Layer.distinct(layers)), key);
  }

  @SuppressWarnings("unchecked")
  private static <X> X cast(Object o) {
    return (X) o;
  }

  /** A method reference's method name ("inc" for Tour::inc); "lambda" for lambdas. */
  static String labelOf(Serializable f) {
    try {
      Method m = f.getClass().getDeclaredMethod("writeReplace");
      m.setAccessible(true);
      SerializedLambda sl = (SerializedLambda) m.invoke(f);
      String name = sl.getImplMethodName();
      return name.startsWith("lambda$") ? "lambda" : name;
    } catch (ReflectiveOperationException | ClassCastException | SecurityException e) {
      return f.getClass().getSimpleName();
    }
  }
}
