package dev.agentbrain.contract;

import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.registry.RegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Embedding contracts of logical indexes, kept in the schema registry: group {@code
 * <namespace>.contracts}, one artifact per index, one artifact version per contract version
 * (content: the contract as Avro JSON). Which version serves queries is a second artifact in group
 * {@code <namespace>.aliases} whose newest version names the live contract version, so every
 * switch-over is recorded.
 *
 * <p>The namespace is the topic prefix: installations (and test runs) that use different topics
 * never see each other's indexes.
 */
public final class ContractRegistry {

  private static final Pattern INDEX_NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");
  private static final Pattern ALIAS_VERSION = Pattern.compile("\"version\"\\s*:\\s*(\\d+)");
  private static final Pattern ALIAS_AT = Pattern.compile("\"at\"\\s*:\\s*\"([^\"]+)\"");

  private final RegistryClient registry;
  private final String group;
  private final String aliasGroup;

  public ContractRegistry(RegistryClient registry, String namespace) {
    this.registry = registry;
    this.group = namespace + ".contracts";
    this.aliasGroup = namespace + ".aliases";
  }

  /** Registry group that holds the contracts. */
  public String group() {
    return group;
  }

  /** Throws with a plain message when {@code index} is not a valid logical index name. */
  public static String checkIndexName(String index) {
    if (index == null || !INDEX_NAME.matcher(index).matches()) {
      throw new IllegalArgumentException(
          "index name '"
              + index
              + "' is not valid: use lower-case letters, digits and underscores, starting with a letter (at most 40)");
    }
    return index;
  }

  /** Name of the physical index (PostgreSQL table suffix, Chroma collection) of a contract. */
  public static String physicalName(String index, int version) {
    return checkIndexName(index) + "_v" + version;
  }

  /** Logical indexes that have a contract. */
  public List<String> indexes() {
    return registry.artifacts(group);
  }

  /** Every contract version of an index, oldest first. */
  public List<EmbeddingContract> versions(String index) {
    return registry.versions(group, checkIndexName(index)).stream()
        .map(v -> version(index, Integer.parseInt(v)).orElseThrow())
        .toList();
  }

  public Optional<EmbeddingContract> version(String index, int version) {
    return registry
        .content(group, checkIndexName(index), String.valueOf(version))
        .map(ContractRegistry::decode);
  }

  /** The contract that serves queries, or empty when the index does not exist. */
  public Optional<EmbeddingContract> live(String index) {
    // only the newest alias entry: this runs every few seconds in every query API and indexer
    List<String> aliasVersions = registry.versions(aliasGroup, checkIndexName(index));
    if (aliasVersions.isEmpty()) {
      return Optional.empty();
    }
    String last = aliasVersions.get(aliasVersions.size() - 1);
    return version(
        index, decodeSwitch(registry.content(aliasGroup, index, last).orElseThrow()).version());
  }

  /**
   * One entry of an index's alias history: from {@code at} on, {@code version} served queries.
   *
   * @param at when the switch was made; {@link Instant#EPOCH} for entries written before switches
   *     were timed
   */
  public record Switch(int version, Instant at) {}

  /**
   * Every switch of the index's live version, oldest first; empty when the index does not exist.
   */
  public List<Switch> history(String index) {
    List<String> aliasVersions = registry.versions(aliasGroup, checkIndexName(index));
    return aliasVersions.stream()
        .map(v -> decodeSwitch(registry.content(aliasGroup, index, v).orElseThrow()))
        .toList();
  }

  static Switch decodeSwitch(String json) {
    Matcher version = ALIAS_VERSION.matcher(json);
    if (!version.find()) {
      throw new IllegalStateException("an alias entry in the registry is not readable: " + json);
    }
    Matcher at = ALIAS_AT.matcher(json);
    return new Switch(
        Integer.parseInt(version.group(1)), at.find() ? Instant.parse(at.group(1)) : Instant.EPOCH);
  }

  /**
   * Registers a new contract version (its number is one more than the newest) and returns it. The
   * first version of an index also becomes its live version.
   */
  public EmbeddingContract register(EmbeddingContract draft) {
    String index = checkIndexName(draft.getIndex());
    List<String> existing = registry.versions(group, index);
    int next = existing.stream().mapToInt(Integer::parseInt).max().orElse(0) + 1;
    EmbeddingContract contract =
        EmbeddingContract.newBuilder(draft).setVersion(next).setCreatedAt(Instant.now()).build();
    registry.createVersion(group, index, "JSON", String.valueOf(next), encode(contract));
    if (next == 1) {
      promote(index, 1);
    }
    return contract;
  }

  /**
   * Makes {@code version} the live version of the index: one registry write, which every query API
   * and indexer sees at its next look-up (they cache the live contract for a few seconds).
   */
  public void promote(String index, int version) {
    if (version(index, version).isEmpty()) {
      throw new IllegalArgumentException("index " + index + " has no contract version " + version);
    }
    List<String> aliasVersions = registry.versions(aliasGroup, index);
    registry.createVersion(
        aliasGroup,
        index,
        "JSON",
        String.valueOf(aliasVersions.size() + 1),
        "{\"version\":" + version + ",\"at\":\"" + Instant.now() + "\"}");
  }

  /**
   * The version that was live before the current one, and when it stopped being live; empty when
   * the index has never switched.
   */
  public Optional<Switch> previous(String index) {
    List<Switch> history = history(index);
    if (history.isEmpty()) {
      return Optional.empty();
    }
    Switch current = history.get(history.size() - 1);
    for (int i = history.size() - 2; i >= 0; i--) {
      if (history.get(i).version() != current.version()) {
        return Optional.of(new Switch(history.get(i).version(), current.at()));
      }
    }
    return Optional.empty();
  }

  /**
   * Forgets an index: its contracts and its alias history. The physical indexes in the backends are
   * not touched; drop them first.
   */
  public void delete(String index) {
    registry.deleteArtifact(aliasGroup, checkIndexName(index));
    registry.deleteArtifact(group, index);
  }

  static String encode(EmbeddingContract contract) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      JsonEncoder encoder =
          EncoderFactory.get().jsonEncoder(EmbeddingContract.getClassSchema(), out);
      new SpecificDatumWriter<>(EmbeddingContract.class).write(contract, encoder);
      encoder.flush();
      return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static EmbeddingContract decode(String json) {
    try {
      return new SpecificDatumReader<>(EmbeddingContract.class)
          .read(null, DecoderFactory.get().jsonDecoder(EmbeddingContract.getClassSchema(), json));
    } catch (IOException e) {
      throw new IllegalStateException(
          "a contract in the registry is not readable: " + e.getMessage(), e);
    }
  }
}
