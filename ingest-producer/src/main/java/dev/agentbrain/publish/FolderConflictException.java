package dev.agentbrain.publish;

/**
 * A folder cannot be published under the name asked for: the index holds another folder of that
 * name, or holds this folder under another name. The message says which and what to do.
 */
public final class FolderConflictException extends IllegalArgumentException {
  public FolderConflictException(String message) {
    super(message);
  }
}
