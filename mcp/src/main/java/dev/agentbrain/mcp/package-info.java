/**
 * Agent Brain's MCP server ({@code AgentBrainMcp}): the tools (search, indexing jobs, health,
 * reindex progress, shadow report) and resources (the index list, one chunk) over the query
 * services of {@code dev.agentbrain.query}, served over stdio or Streamable HTTP, with the query
 * API's rules for tokens, validation and errors.
 */
package dev.agentbrain.mcp;
