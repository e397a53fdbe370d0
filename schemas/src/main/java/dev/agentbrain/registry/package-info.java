/**
 * The schema registry (Apicurio) as the pipeline uses it: the few REST calls it makes, the error
 * when the registry does not answer, and whether what a process last read from it may be out of
 * date.
 */
package dev.agentbrain.registry;
