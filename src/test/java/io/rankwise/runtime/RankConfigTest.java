package io.rankwise.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.RankwiseException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RankConfigTest {
  @Test
  void parsesMemorySizes() {
    assertEquals(512L << 20, RankConfig.parseBytes("512m"));
    assertEquals(4L << 30, RankConfig.parseBytes("4G"));
    assertEquals(1234, RankConfig.parseBytes(" 1234 "));
    RankwiseException e = assertThrows(RankwiseException.class, () -> RankConfig.parseBytes("4 gigs"));
    assertTrue(e.getMessage().contains("'4 gigs'"), e.getMessage());
    assertThrows(RankwiseException.class, () -> RankConfig.parseBytes("-1k"));
  }

  @Test
  void jvmArgsRoundTripThroughSystemProperties() {
    RankConfig c = new RankConfig(3, 5L << 20, Path.of("/scratch/x"), 42);
    for (String a : c.toJvmArgs()) {
      String kv = a.substring(2);
      System.setProperty(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    try {
      assertEquals(c, RankConfig.fromSystemProperties(1));
    } finally {
      for (String k : new String[] {RankConfig.THREADS, RankConfig.MEMORY, RankConfig.SPILL_DIR, RankConfig.TIMEOUT}) {
        System.clearProperty(k);
      }
    }
  }

  @Test
  void defaultThreadsShareTheCores() {
    int cores = Runtime.getRuntime().availableProcessors();
    assertEquals(Math.max(1, cores / 2), RankConfig.defaults(2).threadsPerRank());
    assertEquals(1, RankConfig.defaults(cores * 4).threadsPerRank());
  }

  @Test
  void missingMpiInstallationSaysHowToFixIt(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("native/build"));
    Files.writeString(dir.resolve(Installation.ENV_FILE), "RANKWISE_MPI_JAR=/nope/mpi.jar\n");
    Installation inst = Installation.at(dir);
    if (System.getenv("RANKWISE_MPI_JAR") == null) {
      RankwiseException e = assertThrows(RankwiseException.class, inst::requireMpi);
      assertTrue(e.getMessage().contains("RANKWISE_MPI_JAR=/nope/mpi.jar"), e.getMessage());
      assertTrue(e.getMessage().contains("native/install.sh"), e.getMessage());
      assertTrue(e.getMessage().contains("--backend local"), e.getMessage());
    }
  }
}
