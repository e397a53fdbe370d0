/**
 * The configuration: every setting of Agent Brain with its environment variable, default, parser
 * and documentation ({@code Settings}, {@code Setting}), the settings of the embedding services
 * reached over HTTP, the configuration reference made from them, and the masking of secrets
 * wherever a value could be printed. Also {@code Backend}, the names of the storage backends.
 */
package dev.agentbrain.config;
