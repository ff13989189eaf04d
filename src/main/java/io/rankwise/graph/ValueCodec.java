package io.rankwise.graph;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.ByteBufferInput;
import com.esotericsoftware.kryo.io.Output;
import java.nio.ByteBuffer;

/**
 * Encodes task outputs for the trip to other ranks with Kryo (class + fields; no
 * {@code java.io.Serializable} needed). A message to one rank is a count, then (task id, length,
 * bytes) entries; a value needed by several ranks is encoded once. Records, primitive arrays,
 * immutable JDK collections (List.of, Map.of, Set.of) and classes without a no-argument
 * constructor work; a value that cannot make the trip fails with the task named. Not thread-safe: one codec per compute, used by the driver thread.
 */
final class ValueCodec {
  private final Kryo kryo = new Kryo();
  private final Output scratch = new Output(4096, -1);

  ValueCodec() {
    kryo.setRegistrationRequired(false);
    kryo.setReferences(true);
    // List.of / Set.of / Map.of values, and classes without a no-argument constructor
    // (Arrays.asList, unmodifiable views, ...): created without calling a constructor, as Kryo's
    // field serializer then fills every field.
    com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers.addDefaultSerializers(kryo);
    JdkViewSerializers.register(kryo);
    kryo.setInstantiatorStrategy(new com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy(
        new org.objenesis.strategy.StdInstantiatorStrategy()));
  }

  byte[] encode(Object value, Task task, int rank) {
    if (value instanceof Materializes m) {
      value = m.materialize();
    }
    scratch.reset();
    try {
      kryo.writeClassAndObject(scratch, value);
      return scratch.toBytes();
    } catch (KryoException | IllegalArgumentException | UnsupportedOperationException e) {
      throw new ValueSerializationException("the output of task " + task.key() + " (" + task.label() + ", a "
          + (value == null ? "null" : value.getClass().getName()) + ") cannot be serialized on rank " + rank
          + " to send it to another rank: " + e.getMessage() + HINT, e);
    }
  }

  Object decode(ByteBuffer bytes, Task task, int source, int rank) {
    try {
      return kryo.readClassAndObject(new ByteBufferInput(bytes));
    } catch (KryoException | IllegalArgumentException e) {
      throw new ValueSerializationException("the output of task " + task.key() + " (" + task.label()
          + ") sent by rank " + source + " cannot be deserialized on rank " + rank + ": " + e.getMessage() + HINT, e);
    }
  }

  private static final String HINT = ". Tasks whose output other ranks need must return plain data: primitive "
      + "arrays, strings, boxed numbers, collections, records or plain classes (no open files, sockets or threads)";

  /** A message under construction for one destination rank: (id, length, bytes) entries. */
  static final class Message {
    private final java.util.List<byte[]> values = new java.util.ArrayList<>();
    private final java.util.List<Integer> ids = new java.util.ArrayList<>();
    private long total;

    void add(int taskId, byte[] value) {
      ids.add(taskId);
      values.add(value);
      total += 8L + value.length;
    }

    int count() {
      return values.size();
    }

    /** The entries in one buffer (id, length, bytes; big-endian), copied once. */
    ByteBuffer finish() {
      if (total > Integer.MAX_VALUE - 64) {
        throw new GraphException("one exchange would send " + total + " bytes to one rank, more than a Java buffer "
            + "holds (2 GiB): use more partitions or more ranks");
      }
      ByteBuffer out = ByteBuffer.allocate((int) total);
      for (int i = 0; i < values.size(); i++) {
        out.putInt(ids.get(i));
        out.putInt(values.get(i).length);
        out.put(values.get(i));
      }
      return out.flip();
    }
  }

  /** Calls {@code sink} with (task id, encoded value) for every entry of a received message. */
  static void entries(ByteBuffer message, EntrySink sink) {
    ByteBuffer m = message.duplicate().order(java.nio.ByteOrder.BIG_ENDIAN); // as DataOutputStream wrote
    while (m.hasRemaining()) {
      int id = m.getInt();
      int len = m.getInt();
      ByteBuffer value = m.slice(m.position(), len);
      m.position(m.position() + len);
      sink.accept(id, value);
    }
  }

  interface EntrySink {
    void accept(int taskId, ByteBuffer value);
  }
}
