package dev.agentbrain.storage;

/**
 * How a document version is numbered: a {@code long} that only grows with every change of the
 * document, compared as a number by every store.
 *
 * <p>A version is taken from the log: {@value #FROM_LOG} plus the offset of the document's record
 * in the documents topic. That topic is keyed by document id, so all records of one document sit in
 * one partition and their offsets grow with every change, whichever host published them; a replay
 * of the log (a reindex, a migration) gives every record the same version again.
 *
 * <p>Indexes written before versions came from the log hold the publisher's clock in microseconds
 * (about 1.7e15 in 2025), which stays below {@value #FROM_LOG} (2^52) until the year 2112: every
 * version from the log is newer than every clock version, so an upgraded indexer replaces the old
 * versions instead of refusing its own as stale, and nothing needs rewriting. Log versions stay
 * below 2^53 for the first 4.5e15 offsets, so JSON readers that hold numbers as doubles (every
 * JavaScript client of the query API) read them exactly.
 */
public final class DocumentVersions {

  /** Where versions from the log start (2^52); every smaller version is a publisher's clock. */
  public static final long FROM_LOG = 1L << 52;

  private DocumentVersions() {}

  /**
   * The version of the document record at {@code offset} of the documents topic.
   *
   * @param offset the record's offset in its partition, at least 0
   */
  public static long fromLog(long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("a log offset is at least 0, not " + offset);
    }
    return FROM_LOG + offset;
  }

  /** True for a version taken from the log, false for a publisher's clock (older indexes). */
  public static boolean isFromLog(long version) {
    return version >= FROM_LOG;
  }

  /**
   * Whether two versions of a document can tell apart two states of it: both from the log, or both
   * from a publisher's clock. A version from the log and one from a clock may describe the same
   * text (an index built before the change and one replayed after it).
   */
  public static boolean comparable(long a, long b) {
    return isFromLog(a) == isFromLog(b);
  }

  /** The version as people read it: {@code log@<offset>}, or the clock number as it is. */
  public static String describe(long version) {
    return isFromLog(version) ? "log@" + (version - FROM_LOG) : "clock@" + version;
  }
}
