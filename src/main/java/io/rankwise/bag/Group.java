package io.rankwise.bag;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One group of {@link Bag#groupby}: a key and its items, in input order. Plain data, so it travels. */
public final class Group<K, T> implements Map.Entry<K, List<T>> {
  private K key;
  private List<T> items;

  private Group() {} // for the serializer

  Group(K key, List<T> items) {
    this.key = key;
    this.items = items;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public List<T> getValue() {
    return items;
  }

  @Override
  public List<T> setValue(List<T> value) {
    throw new UnsupportedOperationException("groups are read-only");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Map.Entry<?, ?> e && Objects.equals(key, e.getKey()) && Objects.equals(items, e.getValue());
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(key) ^ Objects.hashCode(items);
  }

  @Override
  public String toString() {
    return key + "=" + items;
  }
}
