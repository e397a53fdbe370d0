package dev.agentbrain.deadletter;

/** Where in the pipeline a record was refused. */
public enum Stage {
  DESERIALIZE("deserialize"),
  VALIDATE("validate"),
  CHUNK("chunk"),
  EMBED("embed"),
  CONTRACT("contract"),
  SINK_POSTGRES("sink-postgres"),
  SINK_CHROMA("sink-chroma");

  private final String id;

  Stage(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
