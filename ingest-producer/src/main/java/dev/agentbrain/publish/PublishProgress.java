package dev.agentbrain.publish;

/**
 * Told how a publish advances, for a progress display. Called from the publishing thread; an
 * implementation must be quick.
 */
public interface PublishProgress {

  /** Reports nothing. */
  PublishProgress NONE =
      new PublishProgress() {
        @Override
        public void started(int files, long bytes) {}

        @Override
        public void advanced(int files, long bytes) {}
      };

  /** The scan found {@code files} files of {@code bytes} bytes in all to read. */
  void started(int files, long bytes);

  /** Another {@code files} files of {@code bytes} bytes were read (published or unchanged). */
  void advanced(int files, long bytes);

  /**
   * Asked before each file: true stops the publish there. What was sent stays sent; nothing is
   * deleted (a sync needs every file seen). By default never.
   */
  default boolean stopRequested() {
    return false;
  }
}
