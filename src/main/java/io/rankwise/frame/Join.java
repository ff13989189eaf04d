package io.rankwise.frame;

import java.util.Locale;

/**
 * How {@link DFrame#merge(DFrame, Join)} matches rows: the key columns ({@link #on}, or
 * {@link #on(String[], String[])} with different names per side, or {@link #onIndex()}), the kind
 * of join, the suffixes of clashing column names, and how the rows meet.
 *
 * <pre>{@code
 * people.merge(cities, Join.on("city").how("left"));
 * trades.merge(quotes, Join.on(new String[] {"sym"}, new String[] {"symbol"}).how("inner").npartitions(16));
 * }</pre>
 *
 * <p>Rows meet by broadcasting one side whole to every partition of the other when that side has
 * a single partition (or {@link #broadcast(boolean) broadcast(true)} asks for it), otherwise by a
 * hash shuffle of both sides into {@link #npartitions} buckets.
 */
public final class Join {
  /** pandas' {@code how}. */
  public enum How {
    INNER, LEFT, RIGHT, OUTER;

    static How parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new FrameException("merge: unknown how='" + s + "'; use inner, left, right or outer");
      }
    }
  }

  final String[] leftOn;
  final String[] rightOn;
  final boolean onIndex;
  final How how;
  final String leftSuffix;
  final String rightSuffix;
  final Boolean broadcast; // null: automatic
  final int npartitions; // 0: automatic

  private Join(String[] leftOn, String[] rightOn, boolean onIndex, How how, String leftSuffix, String rightSuffix,
      Boolean broadcast, int npartitions) {
    this.leftOn = leftOn;
    this.rightOn = rightOn;
    this.onIndex = onIndex;
    this.how = how;
    this.leftSuffix = leftSuffix;
    this.rightSuffix = rightSuffix;
    this.broadcast = broadcast;
    this.npartitions = npartitions;
  }

  /** Key columns of the same names on both sides (kept once in the result). */
  public static Join on(String... keys) {
    if (keys.length == 0) {
      throw new FrameException("merge: name at least one key column");
    }
    return new Join(keys.clone(), keys.clone(), false, How.INNER, "_x", "_y", null, 0);
  }

  /** Key columns named differently on each side (both kept in the result), pandas' left_on/right_on. */
  public static Join on(String[] leftOn, String[] rightOn) {
    if (leftOn.length == 0 || leftOn.length != rightOn.length) {
      throw new FrameException("merge: left_on and right_on need the same, non-zero number of columns, got "
          + leftOn.length + " and " + rightOn.length);
    }
    return new Join(leftOn.clone(), rightOn.clone(), false, How.INNER, "_x", "_y", null, 0);
  }

  /** The indexes as keys (pandas' join): the result is indexed by the key. */
  public static Join onIndex() {
    return new Join(new String[0], new String[0], true, How.LEFT, "_x", "_y", null, 0);
  }

  public Join how(How h) {
    return new Join(leftOn, rightOn, onIndex, h, leftSuffix, rightSuffix, broadcast, npartitions);
  }

  /** inner, left, right or outer. */
  public Join how(String h) {
    return how(How.parse(h));
  }

  public Join suffixes(String left, String right) {
    return new Join(leftOn, rightOn, onIndex, how, left, right, broadcast, npartitions);
  }

  /** true: send the small side whole to every partition of the other; false: always shuffle. */
  public Join broadcast(boolean b) {
    return new Join(leftOn, rightOn, onIndex, how, leftSuffix, rightSuffix, b, npartitions);
  }

  /** Buckets of the hash shuffle (the result's partitions); default: the larger side's count, at most 128. */
  public Join npartitions(int n) {
    if (n < 1) {
      throw new FrameException("merge: npartitions must be at least 1, got " + n);
    }
    return new Join(leftOn, rightOn, onIndex, how, leftSuffix, rightSuffix, broadcast, n);
  }

  /** Keys kept once (same names, or the index). */
  boolean sharedKeys() {
    return onIndex || java.util.Arrays.equals(leftOn, rightOn);
  }
}
