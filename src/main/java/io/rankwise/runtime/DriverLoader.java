package io.rankwise.runtime;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;

/** Finds and instantiates driver classes, with errors that say what to fix. */
public final class DriverLoader {
  /** Package tried for short names, so that {@code rankwise run Hello} finds the bundled example. */
  public static final String EXAMPLES_PACKAGE = "io.rankwise.examples.";

  private DriverLoader() {}

  /** Resolves a class name (short names are tried in the examples package too). */
  public static Class<? extends Driver> load(String name, ClassLoader loader) {
    Class<?> c = tryLoad(name, loader);
    if (c == null && !name.contains(".")) {
      c = tryLoad(EXAMPLES_PACKAGE + name, loader);
    }
    if (c == null) {
      throw new DriverException("driver class '" + name + "' not found on the classpath. Give the fully "
          + "qualified name (e.g. " + EXAMPLES_PACKAGE + "Hello) and add your classes with --classpath");
    }
    if (!Driver.class.isAssignableFrom(c)) {
      throw new DriverException("class '" + c.getName() + "' does not implement " + Driver.class.getName()
          + "; a driver implements run(Session, String[])");
    }
    if (Modifier.isAbstract(c.getModifiers())) {
      throw new DriverException("driver class '" + c.getName() + "' is abstract");
    }
    return c.asSubclass(Driver.class);
  }

  public static Driver instantiate(Class<? extends Driver> c) {
    try {
      Constructor<? extends Driver> k = c.getDeclaredConstructor();
      k.setAccessible(true);
      return k.newInstance();
    } catch (NoSuchMethodException e) {
      throw new DriverException("driver class '" + c.getName() + "' needs a public no-argument constructor");
    } catch (InvocationTargetException e) {
      throw new DriverException("constructor of driver '" + c.getName() + "' threw " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new DriverException("cannot instantiate driver '" + c.getName() + "': " + e, e);
    }
  }

  private static Class<?> tryLoad(String name, ClassLoader loader) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException | NoClassDefFoundError e) {
      return null;
    }
  }
}
