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
  // Worker threads may visit one part at once: a streamed part is then read by each of them; the
  // fields are volatile so that a part materialized meanwhile is seen whole.
  volatile ArrayList<Object> items; // null while streamed
  volatile long skipped;
  volatile String firstSkipped; // "file, line N: reason", or null
  private transient volatile Source source; // not serialized: parts travel materialized

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
    Source src = source; // read first: items is set before source is cleared
    ArrayList<Object> held = items;
    if (held != null || src == null) {
      (held != null ? held : items).forEach(visit);
      return;
    }
    Skips s = src.run(visit);
    skipped = s.count();
    firstSkipped = s.first();
  }

  /** The items, held (a streamed part is read once, now; one thread reads it, the others wait). */
  synchronized List<Object> items() {
    if (items == null) {
      ArrayList<Object> all = new ArrayList<>();
      Skips s = source.run(all::add);
      skipped = s.count();
      firstSkipped = s.first();
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
    Source s = source; // read first: items is set before source is cleared
    if (items != null || s == null) {
      ArrayList<Object> out = new ArrayList<>(items.size());
      for (Object o : items) {
        out.add(f.apply(o));
      }
      return with(out);
    }
    return streamed(sink -> s.run(o -> sink.accept(f.apply(o))));
  }

  Part filter(Predicate<Object> keep) {
    Source s = source; // read first: items is set before source is cleared
    if (items != null || s == null) {
      ArrayList<Object> out = new ArrayList<>();
      for (Object o : items) {
        if (keep.test(o)) {
          out.add(o);
        }
      }
      return with(out);
    }
    return streamed(sink -> s.run(o -> {
      if (keep.test(o)) {
        sink.accept(o);
      }
    }));
  }

  Part flatMap(Function<Object, Iterable<?>> f) {
    Source s = source; // read first: items is set before source is cleared
    if (items != null || s == null) {
      ArrayList<Object> out = new ArrayList<>();
      for (Object o : items) {
        for (Object r : f.apply(o)) {
          out.add(r);
        }
      }
      return with(out);
    }
    return streamed(sink -> s.run(o -> {
      for (Object r : f.apply(o)) {
        sink.accept(r);
      }
    }));
  }
}
