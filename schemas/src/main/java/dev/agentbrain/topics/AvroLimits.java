package dev.agentbrain.topics;

import org.apache.avro.SystemLimitException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds what Avro allocates for a length or an item count it reads, before it reads what they
 * announce. Avro's own limits are about 2^31: random or hostile bytes that announce an array of two
 * billion items made the deserializer allocate until the JVM ran out of heap (an {@link
 * OutOfMemoryError}, not an error a consumer can handle), as a fuzz run of {@code LocalAvroSerde}
 * found. No string, byte array or collection of an event can be longer than an event, so these
 * limits refuse only what cannot be one.
 *
 * <p>Avro reads its limits from system properties once, when its {@link SystemLimitException} class
 * is first used; {@link #install} sets them unless the user set them, before any decoding.
 */
public final class AvroLimits {

  /** Longest string or byte array read: 16 MiB, twice the largest event the topics accept. */
  public static final int MAX_LENGTH = 16 * 1024 * 1024;

  /** Most items of one array or map read. */
  public static final int MAX_ITEMS = 4 * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(AvroLimits.class);

  static {
    setUnlessSet(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, MAX_LENGTH);
    setUnlessSet(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, MAX_LENGTH);
    setUnlessSet(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, MAX_ITEMS);
    try {
      SystemLimitException.checkMaxCollectionLength(0, Integer.MAX_VALUE - 16L);
      LOG.warn(
          "Avro was used before its limits could be set: a record announcing a huge array can"
              + " exhaust the heap; start the JVM with -D{}={}",
          SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY,
          MAX_ITEMS);
    } catch (SystemLimitException expected) {
      // the limits hold
    }
  }

  private AvroLimits() {}

  /** Sets Avro's limits (once; later calls do nothing). */
  public static void install() {
    // the static initializer does the work
  }

  private static void setUnlessSet(String property, int limit) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, Integer.toString(limit));
    }
  }
}
