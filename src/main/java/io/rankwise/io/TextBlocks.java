package io.rankwise.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Line-oriented files cut into byte blocks, one partition each (Dask's blocksize): a block holds
 * the lines that <em>start</em> in it, so neighbouring blocks never share or lose a line; and the
 * compressions a whole file is read through (never split: a block of a compressed stream cannot
 * be decoded alone).
 */
public final class TextBlocks {
  /** Default block size: 64 MiB, as Dask's read_csv. */
  public static final long DEFAULT_BLOCKSIZE = 64L << 20;

  private TextBlocks() {}

  /** Bytes [start, end) of a file, the lines that start there belonging to one partition. */
  public record Block(Path file, long start, long end, boolean whole) {}

  /**
   * The blocks of {@code files}: compressed files whole, others cut every {@code blocksize} bytes
   * (0: every file whole). An empty file is one empty block.
   */
  public static List<Block> blocks(List<Path> files, long blocksize) {
    List<Block> out = new ArrayList<>();
    for (Path f : files) {
      long size;
      try {
        size = Files.size(f);
      } catch (IOException e) {
        throw new IoException("cannot read " + f + ": " + e.getMessage(), e);
      }
      if (blocksize <= 0 || compression(f) != null) {
        out.add(new Block(f, 0, size, true));
        continue;
      }
      for (long start = 0; start < Math.max(1, size); start += blocksize) {
        out.add(new Block(f, start, Math.min(size, start + blocksize), start == 0 && start + blocksize >= size));
      }
    }
    return out;
  }

  /** The compression a file's name says ("gz", "bz2", "xz"), or null for plain text. */
  public static String compression(Path f) {
    String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
    for (String ext : List.of("gz", "bz2", "xz", "zst", "zstd", "lz4", "snappy")) {
      if (n.endsWith("." + ext)) {
        return ext;
      }
    }
    return null;
  }

  /** The decompressed bytes of a whole file (gzip, bzip2 and xz through Apache Commons Compress). */
  public static InputStream open(Path f) throws IOException {
    InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(f), 1 << 16);
    String c = compression(f);
    if (c == null) {
      return raw;
    }
    try {
      return switch (c) {
        case "gz" -> new java.util.zip.GZIPInputStream(raw, 1 << 16);
        case "bz2" -> new org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream(raw, true);
        case "xz" -> new org.apache.commons.compress.compressors.xz.XZCompressorInputStream(raw, true);
        default -> throw new IoException(f + ": " + c + "-compressed files are not supported (gzip, bzip2 and xz "
            + "are); decompress it first, e.g. " + (c.startsWith("zst") ? "zstd -d " : c + " -d ") + f);
      };
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /** The first byte of the first line that starts at or after {@code pos} (the file's size if none). */
  public static long lineStart(FileChannel ch, long pos) throws IOException {
    if (pos == 0) {
      return 0;
    }
    long size = ch.size();
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    long at = pos - 1; // a line starts at pos when the byte before it ends a line
    while (at < size) {
      buf.clear();
      int n = ch.read(buf, at);
      if (n <= 0) {
        break;
      }
      for (int i = 0; i < n; i++) {
        if (buf.get(i) == '\n') {
          return at + i + 1;
        }
      }
      at += n;
    }
    return size;
  }

  /** [first byte, end) of the lines of a block. */
  public static long[] range(FileChannel ch, Block b) throws IOException {
    long begin = lineStart(ch, b.start());
    long end = b.end() >= ch.size() ? ch.size() : lineStart(ch, b.end());
    return new long[] {begin, Math.max(begin, end)};
  }

  /** Bytes [pos, pos + len) of ch as a stream. */
  public static InputStream bounded(FileChannel ch, long pos, long len) throws IOException {
    ch.position(pos);
    InputStream raw = Channels.newInputStream(ch);
    return new java.io.FilterInputStream(raw) {
      long left = len;

      @Override
      public int read() throws IOException {
        if (left <= 0) {
          return -1;
        }
        int b = super.read();
        left -= b >= 0 ? 1 : 0;
        return b;
      }

      @Override
      public int read(byte[] b, int off, int n) throws IOException {
        if (left <= 0) {
          return -1;
        }
        int got = super.read(b, off, (int) Math.min(n, left));
        left -= Math.max(0, got);
        return got;
      }

      @Override
      public void close() {
        // the caller closes the channel
      }
    };
  }

  /** Receives whole lines: bytes [from, to) of buf (valid during the call only). */
  @FunctionalInterface
  public interface ChunkSink {
    void lines(byte[] buf, int from, int to) throws IOException;
  }

  /**
   * The lines of {@code in} as bytes, without decoding, in chunks of whole lines: each chunk ends
   * just after a '\n', except the input's last one when its last line has no line break. Callers
   * that parse many lines at once (one parser per chunk) need no per-line set-up.
   */
  public static void chunks(InputStream in, ChunkSink sink) throws IOException {
    byte[] buf = new byte[1 << 16];
    int end = 0;
    while (true) {
      int n = in.read(buf, end, buf.length - end);
      if (n < 0) {
        break;
      }
      int scan = end;
      end += n;
      int last = -1; // the last line break in the buffer
      for (int i = end - 1; i >= scan; i--) {
        if (buf[i] == '\n') {
          last = i;
          break;
        }
      }
      if (last >= 0) {
        sink.lines(buf, 0, last + 1);
        System.arraycopy(buf, last + 1, buf, 0, end - last - 1);
        end -= last + 1;
      } else if (end == buf.length) {
        buf = java.util.Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
      }
    }
    if (end > 0) {
      sink.lines(buf, 0, end);
    }
  }

  /**
   * The bytes of a stream's first CSV record with the empty lines before it, up to and including
   * the line break that ends it, read as FastCSV reads records (a quote opens a quoted field only
   * at the field's start; CR, LF or CRLF end a record outside quotes; empty lines are skipped);
   * the stream must support mark/reset and is left just after them.
   */
  public static byte[] firstRecord(InputStream in) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256);
    final int fieldStart = 0;
    final int unquoted = 1;
    final int quoted = 2;
    final int quoteInQuoted = 3; // a closing quote, or the first of two
    int state = fieldStart;
    boolean content = false; // the record has a char (so it is not an empty line)
    for (int c; (c = in.read()) >= 0;) {
      out.write(c);
      boolean lineBreak = (c == '\n' || c == '\r') && state != quoted;
      if (lineBreak) {
        if (c == '\r') {
          in.mark(1);
          int next = in.read();
          if (next == '\n') {
            out.write(next);
          } else if (next >= 0) {
            in.reset();
          }
        }
        if (content) {
          break;
        }
        state = fieldStart;
        continue;
      }
      content = true;
      if (c == ',') {
        state = state == quoted ? quoted : fieldStart;
      } else if (c == '"') {
        state = switch (state) {
          case fieldStart -> quoted;
          case quoted -> quoteInQuoted;
          case quoteInQuoted -> quoted; // a doubled quote
          default -> unquoted; // a quote inside an unquoted field is a char
        };
      } else if (state != quoted) {
        state = unquoted;
      }
    }
    return out.toByteArray();
  }

  /**
   * CSV records in a stream, counted from the bytes alone: line breaks outside double quotes that
   * end a non-empty line (RFC 4180 quoting; empty lines are not records, as FastCSV skips them).
   * Eight bytes at a time where they hold no quote and no '\r' (outside quotes): a break there
   * ends a record unless the byte before it is a break too.
   */
  public static long countRecords(InputStream in) throws IOException {
    byte[] buf = new byte[1 << 16];
    long records = 0;
    boolean quoted = false;
    boolean content = false;
    for (int n; (n = in.read(buf)) > 0;) {
      int i = 0;
      while (i < n) {
        if (!quoted && i + 8 <= n) {
          long w = (long) LONGS.get(buf, i);
          if (!hasByte(w, '"') && !hasByte(w, '\r')) {
            long breaks = byteFlags(w, '\n'); // 0x80 in each byte that is a break
            long afterBreak = (breaks << 8) | (content ? 0 : 0x80L); // 0x80 where the byte before is a break
            records += Long.bitCount(breaks & ~afterBreak);
            content = (w >>> 56) != '\n'; // every byte but a break is content here
            i += 8;
            continue;
          }
        }
        byte c = buf[i++];
        if (c == '"') {
          quoted = !quoted;
          content = true;
        } else if (c == '\n' && !quoted) {
          records += content ? 1 : 0;
          content = false;
        } else if (c != '\r') {
          content = true;
        }
      }
    }
    return records + (content ? 1 : 0);
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;

  /** 0x80 in each byte of w that equals b, 0 in the others (exact: no carries between bytes). */
  static long byteFlags(long w, char b) {
    long x = w ^ (0x0101010101010101L * b);
    return ~(((x & LOW7) + LOW7) | x | LOW7);
  }

  private static boolean hasByte(long w, char b) {
    long x = w ^ (0x0101010101010101L * b);
    return ((x - 0x0101010101010101L) & ~x & 0x8080808080808080L) != 0;
  }

  /** Line breaks before byte {@code pos} (for error messages: line numbers of later blocks). */
  public static long linesBefore(FileChannel ch, long pos) throws IOException {
    long lines = 0;
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    for (long at = 0; at < pos;) {
      buf.clear();
      buf.limit((int) Math.min(buf.capacity(), pos - at));
      int n = ch.read(buf, at);
      if (n <= 0) {
        break;
      }
      for (int i = 0; i < n; i++) {
        lines += buf.get(i) == '\n' ? 1 : 0;
      }
      at += n;
    }
    return lines;
  }
}
