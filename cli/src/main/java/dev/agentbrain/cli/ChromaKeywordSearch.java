package dev.agentbrain.cli;

import dev.agentbrain.config.Backend;
import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.sink.ChunkConsumers;
import dev.agentbrain.sink.KeywordIndexFeed;
import dev.agentbrain.storage.Bm25;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.chroma.ChromaStore;
import dev.agentbrain.storage.keyword.KeywordBackedRetriever;
import dev.agentbrain.storage.keyword.KeywordIndexes;
import dev.agentbrain.topics.SinkLag;
import dev.agentbrain.topics.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Chroma backend as the query API reads it: Chroma for vectors, and keyword indexes under
 * {@code $AGENT_BRAIN_HOME/keyword-index} kept by a {@link KeywordIndexFeed} on a thread of its
 * own, for the live version of every index, combined by a {@link KeywordBackedRetriever}. One
 * process per home directory (Lucene locks each index for its one writer).
 */
final class ChromaKeywordSearch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChromaKeywordSearch.class);

  private final KeywordIndexes keywords;
  private final ChromaStore store;
  private final Retriever retriever;
  private final SinkLag sinkLag;
  private final KeywordIndexFeed feed;
  private final Thread thread;

  ChromaKeywordSearch(Wiring wiring) {
    Topics topics = wiring.topics();
    this.keywords = new KeywordIndexes(wiring.home().resolve("keyword-index"), Bm25.STANDARD);
    this.store = new ChromaStore(wiring.chromaConfig());
    this.retriever = new KeywordBackedRetriever(store, store::spec, keywords);
    this.sinkLag = new SinkLag(wiring.bootstrap(), topics);
    ContractRegistry contracts = wiring.contracts();
    KafkaConsumer<String, byte[]> consumer =
        ChunkConsumers.create(wiring.bootstrap(), Optional.empty());
    this.feed =
        new KeywordIndexFeed(
            consumer,
            topics.chunks().valueSerde().deserializer(),
            topics.chunks().name(),
            () -> sinkLag.committed(Backend.CHROMA),
            store,
            store::spec,
            () -> liveIndexes(contracts),
            keywords);
    this.thread = Thread.ofPlatform().name("keyword-index-feed").daemon().unstarted(feed);
  }

  /** Starts feeding the keyword indexes. */
  ChromaKeywordSearch start() {
    thread.start();
    return this;
  }

  /** Chroma with its keyword searches answered by these indexes. */
  Retriever retriever() {
    return retriever;
  }

  @Override
  public void close() throws InterruptedException {
    feed.stop();
    thread.join(10_000);
    keywords.close();
    sinkLag.close();
    store.close();
  }

  /** The physical index of every index's live version; none when the registry cannot be read. */
  private static Collection<String> liveIndexes(ContractRegistry contracts) {
    List<String> names = new ArrayList<>();
    try {
      for (String index : contracts.indexes()) {
        contracts
            .live(index)
            .ifPresent(c -> names.add(ContractRegistry.physicalName(c.getIndex(), c.getVersion())));
      }
    } catch (RuntimeException e) {
      LOG.warn("keyword index feed: cannot list the live indexes: {}", e.getMessage());
    }
    return names;
  }
}
