package io.rankwise.graph;

/**
 * The work of one task: computes its output from its inputs' outputs, given in the order of the
 * task's dependencies. Must be pure: the same inputs give the same output on any rank.
 */
@FunctionalInterface
public interface TaskFn {
  Object apply(Object[] inputs) throws Exception;
}
