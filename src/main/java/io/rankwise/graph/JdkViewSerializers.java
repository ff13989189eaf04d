package io.rankwise.graph;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Kryo serializers for the JDK's collection views that cannot be rebuilt element by element
 * (Arrays.asList and the Collections.unmodifiable* wrappers reject add): their contents are
 * written, and read back into a plain collection wrapped the same way.
 */
final class JdkViewSerializers {
  private JdkViewSerializers() {}

  static void register(Kryo kryo) {
    list(kryo, Arrays.asList(1, 2).getClass(), l -> Arrays.asList(l.toArray()));
    list(kryo, Collections.unmodifiableList(new ArrayList<>()).getClass(), Collections::unmodifiableList);
    list(kryo, Collections.unmodifiableList(new java.util.LinkedList<>()).getClass(), Collections::unmodifiableList);
    collection(kryo, Collections.unmodifiableCollection(new ArrayList<>()).getClass(),
        c -> Collections.unmodifiableCollection(new ArrayList<>(c)));
    collection(kryo, Collections.unmodifiableSet(new LinkedHashSet<>()).getClass(),
        c -> Collections.unmodifiableSet(new LinkedHashSet<>(c)));
    kryo.addDefaultSerializer(Collections.unmodifiableMap(new LinkedHashMap<>()).getClass(), new MapView());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void list(Kryo kryo, Class<?> type, Function<List<Object>, Object> wrap) {
    kryo.addDefaultSerializer(type, new ElementsView(c -> wrap.apply((List<Object>) (List) c)));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void collection(Kryo kryo, Class<?> type, Function<Collection<Object>, Object> wrap) {
    kryo.addDefaultSerializer(type, new ElementsView(c -> wrap.apply((Collection<Object>) (Collection) c)));
  }

  /** Writes the elements; reads them into an ArrayList and wraps it. */
  private static final class ElementsView extends Serializer<Object> {
    private final Function<ArrayList<Object>, Object> wrap;

    ElementsView(Function<ArrayList<Object>, Object> wrap) {
      this.wrap = wrap;
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, Object object) {
      Collection<?> c = (Collection<?>) object;
      output.writeVarInt(c.size(), true);
      for (Object o : c) {
        kryo.writeClassAndObject(output, o);
      }
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<?> type) {
      int n = input.readVarInt(true);
      ArrayList<Object> items = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        items.add(kryo.readClassAndObject(input));
      }
      return wrap.apply(items);
    }
  }

  /** An unmodifiable map: entries in order, read into a LinkedHashMap and wrapped. */
  private static final class MapView extends Serializer<Map<Object, Object>> {
    MapView() {
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, Map<Object, Object> map) {
      output.writeVarInt(map.size(), true);
      for (Map.Entry<Object, Object> e : map.entrySet()) {
        kryo.writeClassAndObject(output, e.getKey());
        kryo.writeClassAndObject(output, e.getValue());
      }
    }

    @Override
    public Map<Object, Object> read(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
      int n = input.readVarInt(true);
      LinkedHashMap<Object, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        Object k = kryo.readClassAndObject(input);
        m.put(k, kryo.readClassAndObject(input));
      }
      return Collections.unmodifiableMap(m);
    }
  }
}
