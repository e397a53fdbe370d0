/**
 * The life of an index version once it is built, for the commands that change it: {@link
 * dev.agentbrain.cli.lifecycle.Switchover} makes a version live (promote, after {@link
 * dev.agentbrain.cli.lifecycle.PromotionCheck} has compared it with the document log and every
 * backend), rolls back, drops a version and forgets the reindex that built it; {@link
 * dev.agentbrain.cli.lifecycle.Migration} copies a version into another backend and compares the
 * two; {@link dev.agentbrain.cli.lifecycle.SinkSettling} waits for the sinks before two backends
 * are compared.
 *
 * <p>Called by the commands of {@code dev.agentbrain.cli} ({@code index promote}, {@code rollback},
 * {@code drop}, {@code migrate}, {@code reindex}, {@code shadow reconcile}), which parse and print;
 * this package does the work, reaching the services through the command line's {@code Wiring}.
 */
package dev.agentbrain.cli.lifecycle;
