package dev.agentbrain.publish;

/**
 * Something to tell the user about one source: why it was skipped, why it failed, or what was
 * repaired.
 *
 * @param source the normalised source (path relative to the published folder)
 * @param reason what happened and, where there is something to do, what to do
 */
public record SourceProblem(String source, String reason) {}
