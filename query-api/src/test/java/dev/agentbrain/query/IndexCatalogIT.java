package dev.agentbrain.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.agentbrain.config.Backend;
import dev.agentbrain.contract.LiveContracts;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.StorageUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The index catalog on its own, against the real registry and stores: what it shows of an index,
 * how it resolves a name, and how it tells an index it cannot serve.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IndexCatalogIT {

  private ServedIndex served;
  private ServedIndex unservable;
  private QueryEmbedder embedder;
  private Map<Backend, Retriever> retrievers;

  @BeforeAll
  void register() {
    served = ServedIndex.create("catalog");
    // a second version, registered but not live, as a reindex leaves it
    served.registry.register(EmbeddingContract.newBuilder(served.contract).setVersion(0).build());
    unservable = ServedIndex.register("catalognomodel", "no-such-model-v9", 384);
    embedder = new QueryEmbedder(1, 16);
    retrievers = new EnumMap<>(Backend.class);
    retrievers.put(Backend.POSTGRES, ServedIndex.postgres());
    retrievers.put(Backend.CHROMA, new UnreachableCounts(ServedIndex.chroma()));
  }

  @AfterAll
  void close() {
    if (retrievers != null) retrievers.values().forEach(Retriever::close);
    if (embedder != null) embedder.close();
    if (unservable != null) unservable.close();
    if (served != null) served.close();
  }

  private IndexCatalog catalog(ServedIndex index) {
    return new IndexCatalog(
        index.registry,
        new LiveContracts(index.registry, Duration.ofSeconds(2), Clock.systemUTC()),
        retrievers,
        () -> Backend.POSTGRES,
        embedder);
  }

  @Test
  @DisplayName(
      "an index shows its live contract, every version oldest first, the primary and its chunks per backend, null where a backend does not answer")
  void describesAnIndex() {
    IndexCatalog catalog = catalog(served);

    IndexInfo info = catalog.index(served.index);

    assertThat(info.name()).isEqualTo(served.index);
    assertThat(info.version()).isEqualTo(1);
    assertThat(info.model()).isEqualTo(ServedIndex.MODEL);
    assertThat(info.metric()).isEqualTo("cosine");
    assertThat(info.versions()).containsExactly(1, 2);
    assertThat(info.chunks()).containsExactly(entry("postgres", 8L), entry("chroma", null));
    assertThat(info.primaryBackend()).isEqualTo("postgres");
    assertThat(info.refusal()).isNull();
    assertThat(catalog.indexes()).containsExactly(info);
  }

  @Test
  @DisplayName(
      "a name becomes its live contract; a malformed name is an invalid request, an unknown one not found")
  void resolvesNames() {
    IndexCatalog catalog = catalog(served);

    assertThat(catalog.liveContract(served.index).getVersion()).isEqualTo(1);
    assertThatThrownBy(() -> catalog.liveContract("Not A Name"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("lower-case letters");
    assertThatThrownBy(() -> catalog.liveContract("no_such_index"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("GET /indexes");
  }

  @Test
  @DisplayName(
      "an index whose model this service cannot load is shown with the reason, and refused")
  void tellsWhatItCannotServe() {
    IndexCatalog catalog = catalog(unservable);

    catalog.checkAllContracts();

    assertThat(catalog.contractVerdicts().get(unservable.index).refusal())
        .hasValueSatisfying(reason -> assertThat(reason).contains("no-such-model-v9"));
    assertThat(catalog.index(unservable.index).refusal()).contains("no-such-model-v9");
    assertThatThrownBy(() -> catalog.requireServable(unservable.contract))
        .isInstanceOf(UnservableIndexException.class)
        .hasMessageContaining("cannot be served here");
  }

  /** Answers everything but counts, which fail as an unreachable backend's do. */
  private static final class UnreachableCounts extends ForwardingRetriever {
    UnreachableCounts(Retriever real) {
      super(real);
    }

    @Override
    public long count(String physicalName, Filter filter) {
      throw new StorageUnavailableException("chroma does not answer", null);
    }
  }
}
