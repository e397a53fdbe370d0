package dev.agentbrain.publish;

/** Kafka could not be reached; the message names the address and how to start it. */
public class KafkaUnavailableException extends RuntimeException {
  public KafkaUnavailableException(String bootstrap, Throwable cause) {
    super("Kafka is not reachable at " + bootstrap + " — start it with `make up`", cause);
  }
}
