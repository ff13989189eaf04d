package io.rankwise.bag;

import io.rankwise.graph.Materializes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One partition of a bag: its items — held, or streamed from a source (a file) through a chain of
 * map/filter steps without holding them — plus the bad input lines skipped while reading it (with
 * {@code OnError.SKIP}), so that they are counted and reported, never silently dropped. A
 * streamed partition is materialized only when it must travel to another rank or be held whole.
 */
final class Part implements Materializes {
  ArrayList<Object> items; // null while streamed
  long skipped;
  String firstSkipped; // "file, line N: reason", or null
  private transient Source source; // not serialized: parts travel materialized

  /** Pushes every item into the sink; returns what it skipped. */
  @FunctionalInterface
  interface Source {
    Skips run(Consumer<Object> sink);
  }

  /** Bad lines met while streaming. */
  record Skips(long count, String first) {}

  private Part() {} // for the serializer

  Part(ArrayList<Object> items, long skipped, String firstSkipped) {
    this.items = items;
    this.skipped = skipped;
    this.firstSkipped = firstSkipped;
  }

  static Part of(List<?> items) {
    return new Part(new ArrayList<>(items), 0, null);
  }

  static Part streamed(Source source) {
    Part p = new Part(null, 0, null);
    p.source = source;
    return p;
  }

  boolean isStreamed() {
    return items == null;
  }

  /** New items, the same skip record. */
  Part with(ArrayList<Object> newItems) {
    return new Part(newItems, skipped, firstSkipped);
  }

  /** Visits every item in order (streaming a streamed part); skip counts are known afterwards. */
  void forEach(Consumer<Object> visit) {
    if (items != null) {
      items.forEach(visit);
      return;
    }
    Skips s = source.run(visit);
    skipped = s.count();
    firstSkipped = s.first();
  }

  /** The items, held (a streamed part is read once, now). */
  List<Object> items() {
    if (items == null) {
      ArrayList<Object> all = new ArrayList<>();
      forEach(all::add);
      items = all;
      source = null;
    }
    return items;
  }

  @Override
  public Object materialize() {
    items();
    return this;
  }

  Part map(Function<Object, Object> f) {
    if (items != null) {
      ArrayList<Object> out = new ArrayList<>(items.size());
      for (Object o : items) {
        out.add(f.apply(o));
      }
      return with(out);
    }
    Source s = source;
    return streamed(sink -> s.run(o -> sink.accept(f.apply(o))));
  }

  Part filter(Predicate<Object> keep) {
    if (items != null) {
      ArrayList<Object> out = new ArrayList<>();
      for (Object o : items) {
        if (keep.test(o)) {
          out.add(o);
        }
      }
      return with(out);
    }
    Source s = source;
    return streamed(sink -> s.run(o -> {
      if (keep.test(o)) {
        sink.accept(o);
      }
    }));
  }

  Part flatMap(Function<Object, Iterable<?>> f) {
    if (items != null) {
      ArrayList<Object> out = new ArrayList<>();
      for (Object o : items) {
        for (Object r : f.apply(o)) {
          out.add(r);
        }
      }
      return with(out);
    }
    Source s = source;
    return streamed(sink -> s.run(o -> {
      for (Object r : f.apply(o)) {
        sink.accept(r);
      }
    }));
  }
}
