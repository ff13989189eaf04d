package io.rankwise.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.testing.ProcessRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The examples run as users run them: through bin/rankwise, on both backends. */
class ExamplesTest {
  @ParameterizedTest
  @ValueSource(strings = {"mpi", "local"})
  void delayedTourComputesTheTutorialResultsAndDrawsItsGraph(String backend) throws Exception {
    Path svg = Files.createTempDirectory("tour").resolve("item0.svg");
    ProcessRun r = ProcessRun.rankwise(120, "run", "-n", "3", "-t", "2", "--backend", backend,
        "DelayedTour", "8", "0.01", svg.toString());
    assertEquals(0, r.exitCode(), r.describe());
    String[] lines = r.stdout().split("\n");
    assertEquals("graph of item 0 written to " + svg, lines[0], r.describe());
    assertEquals("[1, 3, 5, 7, 9, 11, 13, 15]", lines[1], r.describe());
    assertTrue(lines[2].startsWith("24 tasks on 3 ranks x 2 threads: "), r.describe());
    assertTrue(lines[2].contains("speed-up"), r.describe());
    assertTrue(Files.readString(svg).contains("<svg"), "an SVG picture");
  }
}
