package io.rankwise.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.rankwise.runtime.Installation;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Base of SPMD test classes: every {@link SpmdTest} body runs on the local backend and under real
 * {@code mpirun}, for each rank count of {@link SpmdRanks}. One mpirun job per rank count runs all
 * the class's bodies, so launches stay few as the suite grows.
 *
 * <p>System properties: {@code rankwise.test.mpiRanks} / {@code rankwise.test.localRanks}
 * (e.g. {@code 2,4}) override the rank counts; {@code rankwise.test.mpi=skip} skips the MPI runs
 * explicitly (they fail, not skip, when MPI is missing).
 */
public abstract class SpmdTestCase {

  @TestFactory
  Stream<DynamicNode> spmd() {
    Class<?> cls = getClass();
    List<String> bodies = SpmdBodies.names(cls);
    SpmdRanks ranks = cls.getAnnotation(SpmdRanks.class);
    int[] local = override("rankwise.test.localRanks", ranks == null ? new int[] {1, 2, 3, 4, 5} : ranks.local());
    int[] mpi = override("rankwise.test.mpiRanks", ranks == null ? new int[] {1, 2, 4} : ranks.mpi());
    Stream<DynamicNode> localRuns = Arrays.stream(local).mapToObj(n ->
        container("local, " + n + " ranks", bodies, () -> SpmdHarness.runLocal(cls, n, bodies)));
    Stream<DynamicNode> mpiRuns = Arrays.stream(mpi).mapToObj(n ->
        container("mpi, " + n + " ranks", bodies, () -> {
          Assumptions.assumeFalse("skip".equals(System.getProperty("rankwise.test.mpi")),
              "MPI runs skipped by -Drankwise.test.mpi=skip");
          Installation.current().requireMpi();
          return SpmdHarness.runMpi(cls, n, bodies);
        }));
    return Stream.concat(localRuns, mpiRuns);
  }

  /** A container whose runs start only when JUnit executes it, then one test per body. */
  private static DynamicContainer container(String name, List<String> bodies,
      Supplier<Map<String, BodyResult>> run) {
    return DynamicContainer.dynamicContainer(name, Stream.of(name).flatMap(ignored -> {
      Map<String, BodyResult> results = run.get();
      return bodies.stream().map(b -> DynamicTest.dynamicTest(b + " [" + name + "]", () -> {
        BodyResult r = results.get(b);
        if (!r.passed()) {
          fail(r.message());
        }
      }));
    }));
  }

  private static int[] override(String property, int[] dflt) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    return Arrays.stream(v.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
  }
}
