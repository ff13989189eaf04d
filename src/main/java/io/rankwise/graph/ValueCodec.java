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
 * constructor work; a value that cannot make the trip fails with the task named. Not thread-safe: one codec per exchange, used by the driver thread.
 */
final class ValueCodec {
  /** First byte of an encoded value: Kryo bytes follow. */
  private static final byte KRYO = 0;
  /** First byte of an encoded value: a bulk codec's name and payload follow. */
  private static final byte BULK = 1;

  private static final java.util.concurrent.ConcurrentHashMap<String, BulkCodec<?>> BULK_CODECS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Made when a value first needs it: exchanges of bulk-coded values only never pay for Kryo's set-up. */
  private Kryo kryo;
  private Output scratch;

  private Kryo kryo() {
    if (kryo == null) {
      kryo = newKryo();
      scratch = new Output(4096, -1);
    }
    return kryo;
  }

  private static Kryo newKryo() {
    Kryo kryo = new Kryo();
    kryo.setRegistrationRequired(false);
    kryo.setReferences(true);
    // List.of / Set.of / Map.of values, and classes without a no-argument constructor
    // (Arrays.asList, unmodifiable views, ...): created without calling a constructor, as Kryo's
    // field serializer then fills every field.
    com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers.addDefaultSerializers(kryo);
    JdkViewSerializers.register(kryo);
    kryo.setInstantiatorStrategy(new Instantiators());
    return kryo;
  }

  /**
   * How decoded objects are made: through the class's no-argument constructor (of any access),
   * else without a constructor (Objenesis). Kryo's default would first have ReflectASM generate a
   * constructor class for each new class, which cost a rank's first exchange of a value of a new
   * class ~30-60 ms (a class path search, then class generation) for nothing a plain reflective
   * call does not do.
   */
  private static final class Instantiators implements org.objenesis.strategy.InstantiatorStrategy {
    private final org.objenesis.strategy.InstantiatorStrategy fallback = new org.objenesis.strategy.StdInstantiatorStrategy();

    @Override
    public <T> org.objenesis.instantiator.ObjectInstantiator<T> newInstantiatorOf(Class<T> type) {
      if (java.lang.reflect.Modifier.isAbstract(type.getModifiers())) {
        return fallback.newInstantiatorOf(type);
      }
      java.lang.reflect.Constructor<T> ctor; // an inner class has none without arguments
      try {
        ctor = type.getDeclaredConstructor();
        ctor.setAccessible(true);
      } catch (NoSuchMethodException | RuntimeException e) { // none, or not accessible (a module's class)
        return fallback.newInstantiatorOf(type);
      }
      return () -> {
        try {
          return ctor.newInstance();
        } catch (ReflectiveOperationException e) {
          throw new KryoException("cannot create a " + type.getName() + ": " + e, e);
        }
      };
    }
  }

  /**
   * The encoded value for a message: a byte[] (tag + Kryo bytes, shared by every destination), or
   * a {@link Bulk} that writes itself straight into each message buffer.
   */
  Object encode(Object value, Task task, int rank) {
    if (value instanceof Materializes m) {
      value = m.materialize();
    }
    if (value != null) {
      @SuppressWarnings("unchecked")
      BulkCodec<Object> bulk = (BulkCodec<Object>) BULK_CODECS.get(value.getClass().getName());
      if (bulk != null && bulk.accepts(value)) {
        return new Bulk(value.getClass().getName().getBytes(java.nio.charset.StandardCharsets.UTF_8), value, bulk);
      }
    }
    Kryo k = kryo();
    scratch.reset();
    try {
      scratch.writeByte(KRYO);
      k.writeClassAndObject(scratch, value);
      return scratch.toBytes();
    } catch (KryoException | IllegalArgumentException | UnsupportedOperationException e) {
      throw new ValueSerializationException("the output of task " + task.key() + " (" + task.label() + ", a "
          + (value == null ? "null" : value.getClass().getName()) + ") cannot be serialized on rank " + rank
          + " to send it to another rank: " + e.getMessage() + HINT, e);
    }
  }

  Object decode(ByteBuffer bytes, Task task, int source, int rank) {
    if (bytes.get(bytes.position()) == BULK) {
      return decodeBulk(bytes, task, source, rank);
    }
    try {
      return kryo().readClassAndObject(new ByteBufferInput(bytes.duplicate().position(bytes.position() + 1).slice()));
    } catch (KryoException | IllegalArgumentException | java.nio.BufferUnderflowException e) {
      throw undecodable(task, source, rank, e);
    }
  }

  /** A value its bulk codec wrote (stateless: any thread may call it). */
  private static Object decodeBulk(ByteBuffer bytes, Task task, int source, int rank) {
    try {
      ByteBuffer b = bytes.duplicate();
      b.get();
      byte[] name = new byte[b.getShort()];
      b.get(name);
      return bulkCodec(new String(name, java.nio.charset.StandardCharsets.UTF_8))
          .read(b.slice().order(java.nio.ByteOrder.nativeOrder())); // as Bulk.write wrote it
    } catch (ValueSerializationException e) {
      throw e;
    } catch (RuntimeException e) { // a codec's own failure, or bytes it cannot make sense of
      throw undecodable(task, source, rank, e);
    } catch (OutOfMemoryError e) { // e.g. decoding a large piece: said with the value it was for
      throw new GraphException("the output of task " + task.key() + " (" + task.label() + ") sent by rank " + source
          + " could not be decoded on rank " + rank + ": " + e + " (give the ranks more memory with rankwise run "
          + "-J -Xmx..., or use more partitions)", e);
    }
  }

  private static ValueSerializationException undecodable(Task task, int source, int rank, Exception e) {
    return new ValueSerializationException("the output of task " + task.key() + " (" + task.label()
        + ") sent by rank " + source + " cannot be deserialized on rank " + rank + ": " + e.getMessage() + HINT, e);
  }

  /** Bulk values at least this large stay in the received bytes until a task needs them. */
  static final int DEFER_BYTES = 32 << 10;

  /**
   * {@link #decode}, except that a large bulk-coded value is left in {@code bytes} (memory the
   * caller keeps, counted by {@code memory}) as a {@link Deferred}, decoded by the first task that
   * needs it: an exchange then only moves bytes, and a shuffle's pieces are turned into arrays one
   * bucket at a time, by the worker threads, as short-lived objects the GC never copies.
   */
  Object decodeOrDefer(ByteBuffer bytes, Task task, int source, int rank, Kept memory) {
    if (memory != null && bytes.remaining() >= DEFER_BYTES && bytes.get(bytes.position()) == BULK) {
      return new Deferred(bytes, task, source, rank, memory);
    }
    return decode(bytes, task, source, rank);
  }

  /**
   * Received memory that deferred values still read: given back to {@code pool} (when not null)
   * once each of them was decoded or dropped, and once its exchange let go of it.
   */
  static final class Kept {
    /** Kept memories of this JVM not given back yet, and values deferred so far (for tests). */
    static final java.util.concurrent.atomic.AtomicLong LIVE = new java.util.concurrent.atomic.AtomicLong();
    static final java.util.concurrent.atomic.AtomicLong DEFERRED = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger holds = new java.util.concurrent.atomic.AtomicInteger(1);
    private final ByteBuffer memory;
    private final io.rankwise.comm.DirectBufferPool pool;

    /** Held once by the exchange that received it: {@link #release} that hold when done decoding. */
    Kept(ByteBuffer memory, io.rankwise.comm.DirectBufferPool pool) {
      this.memory = memory;
      this.pool = pool;
      LIVE.incrementAndGet();
    }

    void hold() {
      holds.incrementAndGet();
    }

    void release() {
      int left = holds.decrementAndGet();
      if (left == 0) {
        LIVE.decrementAndGet();
        if (pool != null) {
          pool.release(memory);
        }
      } else if (left < 0) {
        throw new IllegalStateException("received memory released more often than held");
      }
    }
  }

  /**
   * A received value still in its bytes; {@link #get} decodes it once (a copy: the value never
   * refers to the received memory, which is reused once every deferred value in it is done).
   */
  static final class Deferred {
    private ByteBuffer bytes;
    private Object value;
    private boolean dropped;
    private final Task task;
    private final int source;
    private final int rank;
    private final Kept memory;

    private Deferred(ByteBuffer bytes, Task task, int source, int rank, Kept memory) {
      this.bytes = bytes;
      this.task = task;
      this.source = source;
      this.rank = rank;
      this.memory = memory;
      memory.hold();
      Kept.DEFERRED.incrementAndGet();
    }

    /** The value, decoded on the first call (bulk codecs are stateless: any thread may). */
    synchronized Object get() {
      if (bytes == null) {
        if (dropped) {
          throw new IllegalStateException("the output of task " + task.key() + " was dropped, then asked for");
        }
        return value;
      }
      value = decodeBulk(bytes, task, source, rank);
      bytes = null;
      memory.release();
      return value;
    }

    /** Gives the memory back without decoding (nothing here needs the value). */
    synchronized void drop() {
      if (bytes != null) {
        bytes = null;
        dropped = true;
        memory.release();
      }
    }
  }

  private static final String HINT = ". Tasks whose output other ranks need must return plain data: primitive "
      + "arrays, strings, boxed numbers, collections, records or plain classes (no open files, sockets or threads)";

  /** A message under construction for one destination rank: (id, length, bytes) entries. */
  /** See {@link BulkCodec#register}. */
  static <T> void registerBulk(Class<T> type, BulkCodec<T> codec) {
    BULK_CODECS.put(type.getName(), codec);
  }

  private static BulkCodec<?> bulkCodec(String name) {
    BulkCodec<?> c = BULK_CODECS.get(name);
    if (c == null) {
      try {
        Class.forName(name, true, ValueCodec.class.getClassLoader()); // runs the registration
      } catch (ClassNotFoundException e) {
        throw new IllegalArgumentException("no class " + name + " for a bulk-encoded value", e);
      }
      c = BULK_CODECS.get(name);
    }
    if (c == null) {
      throw new IllegalArgumentException("no bulk codec registered for " + name);
    }
    return c;
  }

  /**
   * A value written by its bulk codec when the message is assembled; {@code payload} is the codec's
   * size, asked once (the rounds, the message and the write all need it).
   */
  record Bulk(byte[] name, Object value, BulkCodec<Object> codec, int payload) {
    Bulk(byte[] name, Object value, BulkCodec<Object> codec) {
      this(name, value, codec, codec.size(value));
    }

    int size() {
      return 1 + 2 + name.length + payload;
    }

    /**
     * The codec writes in the machine's byte order (its arrays go in as plain memory copies), and
     * exactly the bytes it announced: no more (it gets only those), no fewer.
     */
    void write(ByteBuffer out) {
      out.put(BULK).putShort((short) name.length).put(name);
      int announced = payload;
      ByteBuffer payload = out.slice(out.position(), announced).order(java.nio.ByteOrder.nativeOrder());
      try {
        codec.write(value, payload);
      } catch (java.nio.BufferOverflowException e) {
        throw new GraphException("bulk codec of " + value.getClass().getName() + " wrote more than the "
            + announced + " bytes it announced", e);
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) { // e.g. position() past the limit
        throw new GraphException("bulk codec of " + value.getClass().getName() + " failed while writing its "
            + announced + " announced bytes: " + e, e);
      }
      if (payload.position() != announced) {
        throw new GraphException("bulk codec of " + value.getClass().getName() + " wrote " + payload.position()
            + " bytes, announced " + announced);
      }
      out.position(out.position() + announced);
    }
  }

  /** A message under construction for one destination rank: (id, length, bytes) entries. */
  static final class Message {
    private final java.util.List<Object> values = new java.util.ArrayList<>();
    private final java.util.List<Integer> ids = new java.util.ArrayList<>();
    private long total;

    /** {@code value}: what {@link ValueCodec#encode} returned. */
    void add(int taskId, Object value) {
      ids.add(taskId);
      values.add(value);
      total += 8L + (value instanceof Bulk b ? b.size() : ((byte[]) value).length);
    }

    int count() {
      return values.size();
    }

    /** The bytes {@link #writeTo} writes (capped at Integer.MAX_VALUE: the caller checks the total). */
    int bytes() {
      return (int) Math.min(total, Integer.MAX_VALUE);
    }

    /** Bytes entry {@code i} takes in the message: id, length, value. */
    long entryBytes(int i) {
      Object v = values.get(i);
      return 8L + (v instanceof Bulk b ? b.size() : ((byte[]) v).length);
    }

    /**
     * Where the rounds of an exchange in rounds start: entry indices {@code 0 = c[0] < c[1] < ...
     * < c[k] = count()}, round r sending entries {@code [c[r], c[r+1])} (none after the last). A
     * round takes whole entries while they fit in {@code budget} bytes, and at least one.
     */
    int[] rounds(long budget) {
      int[] cuts = new int[values.size() + 2];
      int k = 1;
      long used = 0;
      for (int i = 0; i < values.size(); i++) {
        long b = entryBytes(i);
        if (used > 0 && used + b > budget) {
          cuts[k++] = i;
          used = 0;
        }
        used += b;
      }
      cuts[k++] = values.size();
      return java.util.Arrays.copyOf(cuts, values.isEmpty() ? 2 : k);
    }

    /** The bytes of entries {@code [from, to)}. */
    long bytes(int from, int to) {
      long b = 0;
      for (int i = from; i < to; i++) {
        b += entryBytes(i);
      }
      return b;
    }

    /** Appends the entries (id, length, bytes) to {@code out}, whose order must be big-endian. */
    ByteBuffer writeTo(ByteBuffer out) {
      return writeTo(out, 0, values.size());
    }

    /** Appends entries {@code [from, to)}. */
    ByteBuffer writeTo(ByteBuffer out, int from, int to) {
      for (int i = from; i < to; i++) {
        Object v = values.get(i);
        out.putInt(ids.get(i));
        if (v instanceof Bulk b) {
          out.putInt(b.size());
          b.write(out);
        } else {
          out.putInt(((byte[]) v).length);
          out.put((byte[]) v);
        }
      }
      return out;
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
