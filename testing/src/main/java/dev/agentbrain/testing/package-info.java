/**
 * For the integration tests of every module: checks that the local services are reachable (failing
 * a test, never skipping it, with how to start them), private copies of a service for tests that
 * stop and restart one, and the shared data sets.
 */
package dev.agentbrain.testing;
