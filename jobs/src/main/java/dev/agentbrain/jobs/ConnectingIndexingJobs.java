package dev.agentbrain.jobs;

import dev.agentbrain.publish.PublishedFolder;
import dev.agentbrain.retry.Retry;
import dev.agentbrain.retry.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indexing jobs that connect in the background, so that {@code serve} answers queries while Kafka
 * or the registry is still down and its jobs start by themselves once both answer: start order does
 * not matter. Until then every call is refused as {@link JobException.Reason#UNAVAILABLE}, with the
 * reason of the last attempt.
 */
public final class ConnectingIndexingJobs implements IndexingJobs, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConnectingIndexingJobs.class);
  private static final RetryPolicy RECONNECT =
      RetryPolicy.unbounded(Duration.ofSeconds(1), Duration.ofSeconds(15));

  /** The longest a call waits for the first attempt; a broker that is down fails it in seconds. */
  private static final Duration FIRST_ATTEMPT = Duration.ofSeconds(30);

  private final CountDownLatch firstAttempt = new CountDownLatch(1);
  private final Thread connecting;
  private volatile KafkaIndexingJobs started;
  private volatile String problem = "connecting to Kafka and the registry";
  private volatile boolean closed;

  /**
   * Starts connecting at once.
   *
   * @param connect connects and starts the jobs, or throws why it cannot yet (releasing whatever it
   *     opened); called again after a pause until it succeeds or this is closed
   */
  public ConnectingIndexingJobs(Supplier<KafkaIndexingJobs> connect) {
    connecting =
        Thread.ofPlatform().daemon().name("agent-brain-jobs-connect").unstarted(() -> run(connect));
    connecting.start();
  }

  private void run(Supplier<KafkaIndexingJobs> connect) {
    try {
      KafkaIndexingJobs jobs =
          Retry.with(RECONNECT)
              .everyKind()
              .whileTrue(() -> !closed)
              .onRetry(
                  (failure, retry, pause) -> {
                    problem = failure.message();
                    firstAttempt.countDown();
                    if (retry == 1 || retry % 20 == 0) {
                      log.warn(
                          "indexing jobs are not available yet ({}); trying again every {} s or so",
                          problem,
                          Math.max(1, pause.toSeconds()));
                    }
                  })
              .call(connect);
      if (closed) {
        jobs.close();
        return;
      }
      started = jobs;
      log.info("indexing jobs are available");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      problem = e.getMessage();
      if (!closed) {
        log.error("indexing jobs could not start: {}", problem);
      }
    } finally {
      firstAttempt.countDown();
    }
  }

  /** {@code ready}, and while not ready the reason: for {@code /health/status}. */
  public Map<String, Object> status() {
    return started != null ? Map.of("ready", true) : Map.of("ready", false, "problem", problem);
  }

  private IndexingJobs running() {
    KafkaIndexingJobs jobs = started;
    if (jobs == null) {
      try {
        firstAttempt.await(FIRST_ATTEMPT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      jobs = started;
    }
    if (jobs == null) {
      throw new JobException(
          JobException.Reason.UNAVAILABLE,
          "indexing jobs are not available yet: %s — searches work meanwhile, and jobs start by themselves once it answers"
              .formatted(problem));
    }
    return jobs;
  }

  @Override
  public Job submit(JobRequest request) {
    return running().submit(request);
  }

  @Override
  public List<Job> jobs() {
    return running().jobs();
  }

  @Override
  public Optional<Job> job(String id) {
    return running().job(id);
  }

  @Override
  public Job cancel(String id) {
    return running().cancel(id);
  }

  @Override
  public Job await(String id, Duration timeout) throws InterruptedException {
    return running().await(id, timeout);
  }

  @Override
  public List<PublishedFolder> folders(Optional<String> index) {
    return running().folders(index);
  }

  @Override
  public void close() {
    closed = true;
    connecting.interrupt();
    try {
      connecting.join(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    KafkaIndexingJobs jobs = started;
    if (jobs != null) {
      jobs.close();
    }
  }
}
