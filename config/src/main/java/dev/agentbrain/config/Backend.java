package dev.agentbrain.config;

/** A storage backend. */
public enum Backend {
  POSTGRES,
  CHROMA;

  /** Name as users type it. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
