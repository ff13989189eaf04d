package io.rankwise.testing;

import io.rankwise.runtime.Session;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Finds and calls the {@link SpmdTest} bodies of a class. */
final class SpmdBodies {
  private SpmdBodies() {}

  /** Body names, sorted so that every rank and every run sees the same order. */
  static List<String> names(Class<?> cls) {
    return Arrays.stream(cls.getDeclaredMethods())
        .filter(m -> m.isAnnotationPresent(SpmdTest.class))
        .sorted(Comparator.comparing(Method::getName))
        .map(m -> {
          if (m.getParameterCount() != 1 || m.getParameterTypes()[0] != Session.class) {
            throw new IllegalStateException("@SpmdTest " + cls.getName() + "." + m.getName()
                + " must take exactly one parameter of type Session");
          }
          return m.getName();
        })
        .toList();
  }

  /** Runs body {@code name} of a fresh instance of {@code cls}; rethrows what the body threw. */
  static void invoke(Class<?> cls, String name, Session s) throws Exception {
    Method m = cls.getDeclaredMethod(name, Session.class);
    m.setAccessible(true);
    Constructor<?> k = cls.getDeclaredConstructor();
    k.setAccessible(true);
    Object instance = k.newInstance();
    try {
      m.invoke(instance, s);
    } catch (InvocationTargetException e) {
      Throwable c = e.getCause();
      if (c instanceof Exception x) {
        throw x;
      }
      throw (Error) c;
    }
  }
}
