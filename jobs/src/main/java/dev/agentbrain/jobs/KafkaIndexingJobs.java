package dev.agentbrain.jobs;

import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.publish.DocumentIds;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.publish.FileType;
import dev.agentbrain.publish.FolderConflictException;
import dev.agentbrain.publish.FolderNames;
import dev.agentbrain.publish.FolderPublisher;
import dev.agentbrain.publish.KafkaUnavailableException;
import dev.agentbrain.publish.PublishProgress;
import dev.agentbrain.publish.PublishSummary;
import dev.agentbrain.publish.PublishedDocument;
import dev.agentbrain.publish.PublishedDocuments;
import dev.agentbrain.publish.PublishedFolder;
import dev.agentbrain.publish.SourceProblem;
import dev.agentbrain.publish.SourceScanner;
import dev.agentbrain.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link IndexingJobs} kept in the compacted jobs topic ({@link Topics#jobs()}).
 *
 * <p>Every instance follows the topic ({@link JobTable}) and answers from it, so every replica sees
 * every job. Each instance also runs a runner: a consumer of the same topic in the group {@link
 * Topics#jobRunnerGroup()}; the topic has one partition, so one runner at a time runs jobs, one
 * after another, and commits a job's record only when the job has finished. A runner that stops
 * mid-job (a restart, a crash) leaves its job uncommitted, and the next owner of the partition runs
 * it again from the start: the publish sends only what the log does not hold yet, then waits for
 * the backends as before.
 */
public final class KafkaIndexingJobs implements IndexingJobs, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaIndexingJobs.class);
  private static final Duration CHECK_EVERY = Duration.ofMillis(500);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

  private final String bootstrap;
  private final String topic;
  private final String group;
  private final DocumentPublisher publisher;
  private final IndexRoots roots;
  private final Searchability searchability;
  private final Consumer<String> prepareIndex;
  private final String producerId;
  private final Clock clock;
  private final JobTable table;
  private final KafkaProducer<String, String> producer;
  private final Thread runner;
  private volatile KafkaConsumer<String, String> runnerConsumer;
  private volatile boolean closing;
  // set when this runner loses the partition: its job now belongs to the next owner
  private volatile boolean revoked;

  /**
   * @param bootstrap Kafka bootstrap servers
   * @param topics the pipeline's topics (the jobs topic must exist: {@link
   *     DocumentPublisher#connect} creates it)
   * @param publisher where jobs publish documents (shared, thread-safe)
   * @param roots the folders jobs may read
   * @param searchability what tells a job that its documents are served
   * @param prepareIndex called with the index before a job publishes into it: registers its
   *     contract when it has none, as {@code agent-brain publish} does
   * @param producerId carried on every document event the jobs publish
   * @param clock the time jobs are stamped with
   */
  public KafkaIndexingJobs(
      String bootstrap,
      Topics topics,
      DocumentPublisher publisher,
      IndexRoots roots,
      Searchability searchability,
      Consumer<String> prepareIndex,
      String producerId,
      Clock clock) {
    this.bootstrap = bootstrap;
    this.topic = topics.jobs().name();
    this.group = topics.jobRunnerGroup();
    this.publisher = publisher;
    this.roots = roots;
    this.searchability = searchability;
    this.prepareIndex = prepareIndex;
    this.producerId = producerId;
    this.clock = clock;
    this.table = new JobTable(bootstrap, topic);
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                10_000,
                ProducerConfig.CLIENT_ID_CONFIG,
                "agent-brain-jobs"),
            new StringSerializer(),
            new StringSerializer());
    this.runner = Thread.ofPlatform().name("job-runner").daemon().unstarted(this::runJobs);
  }

  /** Starts following the jobs topic and running jobs; returns at once. */
  public KafkaIndexingJobs start() {
    table.start();
    runner.start();
    return this;
  }

  @Override
  public Job submit(JobRequest request) {
    JobRequest checked = check(request);
    Job job = Job.queued(UUID.randomUUID().toString(), checked, clock.instant());
    write(job);
    LOG.info("job {} accepted: {}", job.id(), describe(checked));
    return job;
  }

  private JobRequest check(JobRequest request) {
    try {
      ContractRegistry.checkIndexName(request.index());
    } catch (IllegalArgumentException e) {
      throw new JobException(JobException.Reason.INVALID, e.getMessage());
    }
    return switch (request) {
      case JobRequest.IndexFolder folder -> {
        Path real = roots.check(folder.path());
        Path scope = Files.isDirectory(real) ? real : real.getParent();
        String name;
        try {
          if (!folder.folderName().isEmpty()) {
            FolderNames.requireValid(folder.folderName());
          }
          name = folder.folderName().isEmpty() ? FolderNames.of(scope) : folder.folderName();
          FolderNames.requireFree(manifest(), folder.index(), name, scope.toString());
        } catch (FolderConflictException e) {
          throw new JobException(JobException.Reason.CONFLICT, e.getMessage());
        } catch (IllegalArgumentException e) {
          throw new JobException(JobException.Reason.INVALID, e.getMessage());
        }
        yield new JobRequest.IndexFolder(
            folder.index(),
            real.toString(),
            folder.folderName(),
            folder.preset(),
            folder.include(),
            folder.exclude(),
            folder.sync());
      }
      case JobRequest.AddDocuments add -> {
        if (add.documents().isEmpty()) {
          throw new JobException(JobException.Reason.INVALID, "give at least one document");
        }
        for (JobRequest.TextDocument document : add.documents()) {
          if (document.name().isBlank()) {
            throw new JobException(
                JobException.Reason.INVALID,
                "every document needs a name (its source, e.g. notes/today.md)");
          }
        }
        yield add;
      }
      case JobRequest.RemoveFolder remove -> {
        if (manifest().folder(remove.index(), remove.folder()).isEmpty()) {
          throw new JobException(
              JobException.Reason.NOT_FOUND,
              "index '"
                  + remove.index()
                  + "' has no folder '"
                  + remove.folder()
                  + "' — list them with GET /index/folders");
        }
        yield remove;
      }
    };
  }

  @Override
  public List<Job> jobs() {
    return table.all();
  }

  @Override
  public Optional<Job> job(String id) {
    return table.get(id);
  }

  @Override
  public Job cancel(String id) {
    Job job = table.get(id).orElseThrow(() -> noSuchJob(id));
    if (job.state().finished()) {
      return job;
    }
    send(id + JobTable.CANCEL_SUFFIX, "{}");
    table.apply(id + JobTable.CANCEL_SUFFIX, "{}");
    LOG.info("job {}: cancel asked", id);
    return table.get(id).orElseThrow();
  }

  @Override
  public Job await(String id, Duration timeout) throws InterruptedException {
    return table
        .awaitFinished(id, System.nanoTime() + timeout.toNanos())
        .orElseThrow(() -> noSuchJob(id));
  }

  @Override
  public List<PublishedFolder> folders(Optional<String> index) {
    return manifest().folders().stream()
        .filter(f -> index.isEmpty() || f.index().equals(index.get()))
        .toList();
  }

  private PublishedDocuments manifest() {
    try {
      return publisher.published();
    } catch (KafkaUnavailableException e) {
      throw new JobException(JobException.Reason.UNAVAILABLE, e.getMessage());
    }
  }

  private static JobException noSuchJob(String id) {
    return new JobException(
        JobException.Reason.NOT_FOUND,
        "there is no job " + id + " — list them with GET /index/jobs");
  }

  private void write(Job job) {
    send(job.id(), JobJson.write(job));
    table.apply(job.id(), JobJson.write(job));
  }

  private void send(String key, String value) {
    try {
      producer.send(new ProducerRecord<>(topic, 0, key, value)).get(15, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new JobException(
          JobException.Reason.UNAVAILABLE,
          "Kafka did not take the job at " + bootstrap + " — try again shortly");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobException(JobException.Reason.UNAVAILABLE, "interrupted while writing the job");
    }
  }

  // ---- the runner -------------------------------------------------------------------------

  private void runJobs() {
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                group,
                ConsumerConfig.CLIENT_ID_CONFIG,
                group + "-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                1,
                // a job runs inside the poll loop, for as long as it takes
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                (int) Duration.ofHours(24).toMillis(),
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                10_000,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                2_000,
                // a replica that joins does not take the partition from the runner under way
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                CooperativeStickyAssignor.class.getName()),
            new StringDeserializer(),
            new StringDeserializer())) {
      runnerConsumer = consumer;
      table.awaitCaughtUp();
      consumer.subscribe(
          List.of(topic),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
              revoked = !partitions.isEmpty();
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
              revoked = !partitions.isEmpty();
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              revoked = false;
            }
          });
      while (!closing) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          try {
            runIfDue(record);
          } catch (Handover e) {
            // the job was left to the new owner of the partition: nothing to commit here
            LOG.info("job {} left to the runner that now owns the jobs partition", record.key());
            break;
          }
          consumer.commitSync(
              Map.of(
                  new TopicPartition(record.topic(), record.partition()),
                  new OffsetAndMetadata(record.offset() + 1)));
        }
      }
    } catch (WakeupException | InterruptException e) {
      // closing: a job under way is left uncommitted and runs again on the next owner
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("the job runner stopped: {}", e.getMessage(), e);
    }
  }

  /** Runs the job of a record unless it has finished (this process writes the table first). */
  private void runIfDue(ConsumerRecord<String, String> record) throws InterruptedException {
    if (record.value() == null || record.key().endsWith(JobTable.CANCEL_SUFFIX)) {
      return;
    }
    String id = record.key();
    Job job = table.get(id).orElseGet(() -> JobJson.read(record.value()));
    if (!job.state().finished()) {
      run(job);
    }
  }

  private void run(Job queued) throws InterruptedException {
    if (table.cancelRequested(queued.id())) {
      write(queued.in(JobState.CANCELLED, "cancelled before it started", clock.instant()));
      return;
    }
    if (queued.state() != JobState.QUEUED) {
      LOG.info(
          "job {}: running it again, its runner stopped while it was {}",
          queued.id(),
          queued.state());
    }
    Job job = queued.in(JobState.PUBLISHING, "", clock.instant());
    write(job);
    try {
      prepareIndex.accept(job.request().index());
      Published published = publish(job);
      job = published.job();
      if (closing) {
        throw new InterruptedException("closing");
      }
      if (revoked) {
        throw new Handover();
      }
      if (table.cancelRequested(job.id())) {
        write(
            job.in(
                JobState.CANCELLED,
                "cancelled while publishing; what was published stays",
                clock.instant()));
        return;
      }
      awaitSearchable(job.in(JobState.INDEXING, "", clock.instant()), published);
    } catch (JobException | FolderConflictException | KafkaUnavailableException e) {
      fail(job, e.getMessage());
    } catch (InterruptException e) {
      throw new InterruptedException("closing");
    } catch (RuntimeException e) {
      if (closing || e instanceof Handover) {
        throw e;
      }
      LOG.warn("job {} failed", job.id(), e);
      fail(job, "the job failed: " + e.getMessage());
    }
  }

  private void fail(Job job, String detail) {
    LOG.info("job {} failed: {}", job.id(), detail);
    write(job.in(JobState.FAILED, detail, clock.instant()));
  }

  /** A job after publishing, and what the backends must reach. */
  private record Published(
      Job job, Map<String, Searchability.Target> versions, Set<String> removed) {}

  private Published publish(Job job) {
    FolderPublisher folders = new FolderPublisher(publisher, producerId);
    PublishedDocuments manifest = manifest();
    return switch (job.request()) {
      case JobRequest.IndexFolder folder -> publishFolder(job, folder, folders, manifest);
      case JobRequest.AddDocuments add -> {
        PublishSummary summary = PublishSummary.empty(false);
        Map<String, Searchability.Target> versions = new HashMap<>();
        for (JobRequest.TextDocument document : add.documents()) {
          summary =
              summary.plus(
                  folders.publishContent(
                      add.index(),
                      document.name(),
                      document.text().getBytes(StandardCharsets.UTF_8),
                      FileType.of(document.name()).orElse(FileType.PLAIN_TEXT),
                      manifest));
          String id = DocumentIds.of(add.index(), document.name());
          manifest.get(id).ifPresent(d -> versions.put(id, target(d)));
        }
        yield new Published(counted(job, summary, add.documents().size()), versions, Set.of());
      }
      case JobRequest.RemoveFolder remove -> {
        PublishedFolder folder =
            manifest
                .folder(remove.index(), remove.folder())
                .orElseThrow(
                    () ->
                        new JobException(
                            JobException.Reason.NOT_FOUND,
                            "index '"
                                + remove.index()
                                + "' has no folder '"
                                + remove.folder()
                                + "' any more"));
        Set<String> removed = new HashSet<>();
        manifest.documentsOf(folder).forEach(d -> removed.add(d.id()));
        PublishSummary summary = folders.removeFolder(folder, manifest);
        yield new Published(counted(job, summary, 0), Map.of(), removed);
      }
    };
  }

  private Published publishFolder(
      Job job,
      JobRequest.IndexFolder request,
      FolderPublisher folders,
      PublishedDocuments manifest) {
    Path real = roots.check(request.path());
    Path scope = Files.isDirectory(real) ? real : real.getParent();
    String name = request.folderName().isEmpty() ? FolderNames.of(scope) : request.folderName();
    Set<String> before = new HashSet<>();
    manifest.inFolder(request.index(), name).forEach(d -> before.add(d.id()));
    manifest.beforeFolderNames(request.index(), scope.toString()).forEach(d -> before.add(d.id()));
    JobProgress progress = new JobProgress(job);
    PublishSummary summary =
        folders.publish(
            real,
            request.index(),
            new FolderPublisher.Options(
                new SourceScanner.Options(request.preset(), request.include(), request.exclude()),
                request.sync(),
                false,
                request.folderName()),
            progress,
            manifest);
    Map<String, Searchability.Target> versions = new HashMap<>();
    for (PublishedDocument d : manifest.inFolder(request.index(), name)) {
      versions.put(d.id(), target(d));
      before.remove(d.id());
    }
    return new Published(counted(job, summary, progress.read), versions, before);
  }

  private static Searchability.Target target(PublishedDocument document) {
    return new Searchability.Target(document.version(), document.logOffset());
  }

  private Job counted(Job job, PublishSummary summary, int read) {
    List<SourceProblem> problems = new ArrayList<>(summary.failed());
    return job.withFiles(
        new Job.Files(
            read,
            summary.published(),
            summary.unchanged(),
            summary.deleted(),
            summary.skipped().size(),
            summary.failed().size()),
        problems);
  }

  private void awaitSearchable(Job job, Published published) throws InterruptedException {
    Searchability.Tracker tracker =
        searchability.track(job.request().index(), published.versions(), published.removed());
    long lastWrite = 0;
    boolean first = true;
    while (true) {
      tracker.check();
      Job now = job.withSearchable(tracker.chunksSearchable(), tracker.pendingInPrimary());
      if (tracker.primaryDone()) {
        write(now.in(JobState.DONE, "", clock.instant()));
        LOG.info("job {} done: {}", job.id(), now.files());
        return;
      }
      if (table.cancelRequested(job.id())) {
        write(
            now.in(
                JobState.CANCELLED,
                "cancelled while the backends caught up; what was published stays",
                clock.instant()));
        return;
      }
      if (first
          || !now.equals(job)
          || System.nanoTime() - lastWrite > Duration.ofSeconds(30).toNanos()) {
        first = false;
        write(now);
        lastWrite = System.nanoTime();
        job = now;
      }
      // keeps the runner's group membership alive while the job waits
      runnerConsumer.pause(runnerConsumer.assignment());
      runnerConsumer.poll(CHECK_EVERY);
      runnerConsumer.resume(runnerConsumer.assignment());
      if (closing) {
        throw new InterruptedException("closing");
      }
      if (revoked) {
        throw new Handover();
      }
    }
  }

  /** This runner lost the partition mid-job; the new owner runs the job again. */
  private static final class Handover extends RuntimeException {
    Handover() {
      super("the jobs partition moved to another runner", null, false, false);
    }
  }

  /** Counts files as they are read, writes the job now and then, and stops on cancel. */
  private final class JobProgress implements PublishProgress {
    private final Job job;
    private int read;
    private long lastWrite = System.nanoTime();

    JobProgress(Job job) {
      this.job = job;
    }

    @Override
    public void started(int files, long bytes) {}

    @Override
    public void advanced(int files, long bytes) {
      read += files;
      if (System.nanoTime() - lastWrite > PROGRESS_EVERY.toNanos()) {
        lastWrite = System.nanoTime();
        write(job.withFiles(new Job.Files(read, 0, 0, 0, 0, 0), List.of()));
      }
    }

    @Override
    public boolean stopRequested() {
      return closing || revoked || table.cancelRequested(job.id());
    }
  }

  private static String describe(JobRequest request) {
    return switch (request) {
      case JobRequest.IndexFolder f -> "index " + f.path() + " into " + f.index();
      case JobRequest.AddDocuments a ->
          "add " + a.documents().size() + " document(s) to " + a.index();
      case JobRequest.RemoveFolder r -> "remove folder " + r.folder() + " from " + r.index();
    };
  }

  @Override
  public void close() {
    closing = true;
    KafkaConsumer<String, String> consumer = runnerConsumer;
    if (consumer != null) {
      consumer.wakeup();
    }
    try {
      runner.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    table.close();
    producer.close(Duration.ofSeconds(5));
  }
}
