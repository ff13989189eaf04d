package io.rankwise.graph;

import java.nio.ByteBuffer;

/**
 * A task output that travels between ranks as a flat buffer instead of through Kryo: written
 * straight into the exchange message (one copy, no intermediate arrays) and read back from the
 * received bytes. For large, simple values (the pieces of a shuffle); anything else takes Kryo.
 */
public interface BulkCodec<T> {
  /** Whether this value takes the bulk path (else Kryo). */
  boolean accepts(T value);

  /** Exact number of bytes {@link #write} puts. */
  int size(T value);

  /**
   * Writes the value at the buffer's position, in the machine's byte order (the buffer is set to
   * it: arrays go in as plain memory copies; all ranks of a job share one byte order).
   */
  void write(T value, ByteBuffer out);

  /**
   * Reads a value from {@code in}, positioned at what {@link #write} wrote. The value must not
   * keep {@code in} or views of it: the received memory is reused once its values are read. May
   * be called from any worker thread (a large value is read by the first task that needs it), so
   * a codec keeps no mutable state.
   */
  T read(ByteBuffer in);

  /**
   * Registers {@code codec} for values of exactly {@code type}; call it from the type's static
   * initializer (a receiving rank loads the class by name, which registers it there too).
   */
  static <T> void register(Class<T> type, BulkCodec<T> codec) {
    ValueCodec.registerBulk(type, codec);
  }
}
