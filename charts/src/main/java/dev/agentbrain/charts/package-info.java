/**
 * What a benchmark or evaluation run leaves behind: its numbers as JSON and Markdown and one PNG
 * chart ({@code BenchmarkRun}, {@code BenchmarkChart}), each saying the command that made it and
 * the machine it ran on. Used by the benchmarks and {@code make eval}; no service depends on it.
 */
package dev.agentbrain.charts;
