package dev.agentbrain.topics;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics that do not exist yet; existing topics are left as they are. Each call to the
 * broker gives up after {@link #TIMEOUT_MS}, so a caller that waits for Kafka hears of it soon.
 */
public final class TopicCreator {

  static final int TIMEOUT_MS = 15_000;

  private TopicCreator() {}

  public static void ensure(Admin admin, List<Topic<?, ?>> topics) {
    try {
      Set<String> existing =
          admin.listTopics(new ListTopicsOptions().timeoutMs(TIMEOUT_MS)).names().get();
      List<NewTopic> missing =
          topics.stream()
              .filter(t -> !existing.contains(t.name()))
              // the broker's default.replication.factor decides replication
              .map(
                  t ->
                      new NewTopic(t.name(), Optional.of(t.partitions()), Optional.empty())
                          .configs(t.configs()))
              .toList();
      if (missing.isEmpty()) {
        return;
      }
      admin.createTopics(missing, new CreateTopicsOptions().timeoutMs(TIMEOUT_MS)).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("could not create topics: " + e.getCause().getMessage(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }
}
