/**
 * Publishing documents onto the document log: which files of a folder are taken and how their text
 * is extracted, stable document ids, what the topic already holds (so only what changed is sent,
 * and what was removed is deleted), the publisher itself (durable and idempotent), and the watch
 * that keeps publishing a folder as it changes.
 */
package dev.agentbrain.publish;
