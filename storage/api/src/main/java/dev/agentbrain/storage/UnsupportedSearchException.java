package dev.agentbrain.storage;

/** The backend cannot answer this kind of search at all; asking again will not help. */
public class UnsupportedSearchException extends StorageException {
  public UnsupportedSearchException(String message) {
    super(message);
  }
}
