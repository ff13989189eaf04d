package io.rankwise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * jhdf5 is pointed at its JNI library on {@code java.library.path} (so it does not scan the
 * temporary directory for old unpacked copies first), and a path the user set is kept.
 */
class Hdf5NativeLibraryTest {
  @Test
  void theLibraryOnTheLibraryPathIsNamedToJhdf5() {
    boolean onPath = false;
    for (String dir : System.getProperty("java.library.path", "").split(java.io.File.pathSeparator)) {
      onPath |= !dir.isEmpty() && Files.isRegularFile(Path.of(dir, "libsis-jhdf5.so"));
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(onPath, "libsis-jhdf5.so is not on java.library.path here");
    Hdf5.nativeLibrary();
    String lib = System.getProperty(Hdf5.LIB_PROPERTY);
    assertNotNull(lib, "java.library.path (" + System.getProperty("java.library.path") + ") holds libsis-jhdf5.so");
    assertTrue(Files.isRegularFile(Path.of(lib)), lib);
    assertEquals("libsis-jhdf5.so", Path.of(lib).getFileName().toString());
    assertTrue(System.getProperty("java.library.path").contains(Path.of(lib).getParent().toString()));
  }

  @Test
  void aPathSetByTheUserIsKept() {
    String before = System.getProperty(Hdf5.LIB_PROPERTY);
    try {
      System.setProperty(Hdf5.LIB_PROPERTY, "/opt/site/hdf5/libsis-jhdf5.so");
      Hdf5.nativeLibrary();
      assertEquals("/opt/site/hdf5/libsis-jhdf5.so", System.getProperty(Hdf5.LIB_PROPERTY));
    } finally {
      if (before == null) {
        System.clearProperty(Hdf5.LIB_PROPERTY);
      } else {
        System.setProperty(Hdf5.LIB_PROPERTY, before);
      }
    }
  }
}
