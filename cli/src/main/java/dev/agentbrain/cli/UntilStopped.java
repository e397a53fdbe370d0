package dev.agentbrain.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a service command running until the process is asked to stop (SIGTERM, SIGINT), then closes
 * the service from the shutdown hook, so that it can commit and release what it holds.
 */
final class UntilStopped {

  private final CountDownLatch stopped = new CountDownLatch(1);

  UntilStopped(AutoCloseable service) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    service.close();
                  } catch (Exception e) {
                    System.err.println("agent-brain: stopping failed: " + e.getMessage());
                  } finally {
                    stopped.countDown();
                  }
                }));
  }

  /** Waits up to {@code period}; true once the service has been stopped. */
  boolean await(Duration period) throws InterruptedException {
    return stopped.await(period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits until the service has been stopped. */
  void await() throws InterruptedException {
    stopped.await();
  }
}
