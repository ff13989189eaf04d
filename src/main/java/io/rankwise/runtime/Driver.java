package io.rankwise.runtime;

/**
 * A Rankwise program: the runtime calls {@link #run} on every rank (SPMD), with that rank's
 * {@link Session}. Implementations need a public no-argument constructor.
 *
 * <pre>{@code
 * public final class Hello implements Driver {
 *   public void run(Session s, String[] args) {
 *     s.printOrdered("hello from rank " + s.rank());
 *   }
 * }
 * }</pre>
 *
 * Any exception that leaves {@code run} on any rank ends the whole job with a non-zero exit code
 * and a message naming the rank and the cause.
 */
@FunctionalInterface
public interface Driver {
  void run(Session session, String[] args) throws Exception;
}
