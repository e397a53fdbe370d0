/** The content hash every event carries (SHA-256 of the UTF-8 bytes, lower-case hex). */
package dev.agentbrain.hashing;
