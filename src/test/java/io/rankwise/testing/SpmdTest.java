package io.rankwise.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test body that runs on every rank: {@code void name(Session s)}. The enclosing class
 * extends {@link SpmdTestCase}, which runs all its bodies under real {@code mpirun} (one launch per
 * rank count) and on the local backend, and reports each body's result per rank.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface SpmdTest {}
