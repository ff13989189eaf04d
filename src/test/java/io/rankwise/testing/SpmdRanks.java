package io.rankwise.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Rank counts an {@link SpmdTestCase} runs with, per backend. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SpmdRanks {
  int[] mpi() default {1, 2, 4};

  int[] local() default {1, 2, 3, 4, 5};
}
