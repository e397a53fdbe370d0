/**
 * The {@code agent-brain} command line: one picocli class per command ({@code AgentBrain} lists
 * them), the options several commands share ({@code IndexOption}, {@code QueryApiAddress}, ...),
 * and {@code Wiring}, which builds every service a command needs from the settings in one place.
 * The long-running commands ({@code serve}, {@code indexer}, {@code mcp}) run the services of the
 * other modules until the process is stopped; the index lifecycle behind {@code index promote},
 * {@code rollback}, {@code drop} and {@code migrate} lives in {@code dev.agentbrain.cli.lifecycle}.
 */
package dev.agentbrain.cli;
