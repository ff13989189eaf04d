package io.rankwise.runtime;

import io.rankwise.comm.mpi.MpiCommunicator;
import java.util.Arrays;
import mpi.MPI;
import mpi.MPIException;

/**
 * Entry point of every rank process under {@code mpirun}: {@code SpmdMain DRIVER_CLASS [args...]}.
 * Started by bin/rankwise; not meant to be called by hand. Initializes MPI, runs the driver via
 * {@link RankRunner}, finalizes MPI and exits. Any failure aborts the whole MPI job.
 */
public final class SpmdMain {
  private SpmdMain() {}

  public static void main(String[] argv) throws MPIException {
    if (argv.length < 1) {
      System.err.println("usage: SpmdMain DRIVER_CLASS [args...] (started by bin/rankwise run)");
      System.exit(ExitCodes.USAGE);
    }
    // Only the driver thread talks to MPI; worker threads compute.
    MPI.InitThread(new String[0], MPI.THREAD_FUNNELED);
    // Errors come back as exceptions, so that they are reported with the rank before aborting.
    MPI.COMM_WORLD.setErrhandler(MPI.ERRORS_RETURN);
    MpiCommunicator comm = new MpiCommunicator(MPI.COMM_WORLD);
    String driverName = argv[0];
    RankRunner.installUncaughtHandler(driverName, System.err);

    int code;
    try {
      Class<? extends Driver> cls = DriverLoader.load(driverName, SpmdMain.class.getClassLoader());
      RankConfig config = RankConfig.fromSystemProperties(localRanks());
      code = RankRunner.run(comm, config, cls.getName(), DriverLoader.instantiate(cls),
          Arrays.copyOfRange(argv, 1, argv.length), System.out, System.err);
    } catch (RuntimeException | Error e) { // e.g. a static initializer that throws
      RankRunner.fail(comm, ExitCodes.FAILED, RankRunner.failureMessage(comm, driverName, e), System.err);
      code = ExitCodes.FAILED;
    }
    System.out.flush();
    comm.close();
    MPI.Finalize();
    System.exit(code);
  }

  /** Ranks sharing this node, from Open MPI's environment (for the default thread count). */
  static int localRanks() {
    String v = System.getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
    try {
      return v == null ? 1 : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}
