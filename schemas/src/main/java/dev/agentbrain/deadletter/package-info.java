/**
 * Dead letters: the records the pipeline refused, with the original key and value and why they were
 * refused, and the stage of the pipeline that refused them.
 */
package dev.agentbrain.deadletter;
