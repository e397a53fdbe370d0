/** The chunker alone: how long cutting a folder of Markdown files takes, and what it yields. */
package dev.agentbrain.bench.chunking;
