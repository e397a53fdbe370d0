package dev.agentbrain.retry;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The one error table of the pipeline: what a failure means ({@link Failure.Kind}). The embedding
 * client, the indexer topology, the sink workers and the keyword index feed all decide retry, pause
 * or dead letter from this, and nowhere else.
 *
 * <p>Stateless and thread-safe.
 */
public final class Failures {

  private Failures() {}

  /**
   * Classifies an exception by its cause chain, most specific evidence first:
   *
   * <ol>
   *   <li>a network failure anywhere in the chain (connection refused or reset, timeouts, no route)
   *       and SQL errors by SQLSTATE: connection (08), resources (53), shutdown (57P),
   *       serialization and deadlock (40001, 40P01) are {@link Failure.Kind#TRANSIENT}; credentials
   *       (28), missing privilege (42501) or database (3D000) are {@link Failure.Kind#BROKEN}; data
   *       and integrity errors (22, 23) are {@link Failure.Kind#REJECTED};
   *   <li>otherwise the outermost {@link KnownFailure} in the chain;
   *   <li>otherwise {@link Failure.Kind#BROKEN}: an exception nobody classified is a bug or a
   *       condition nobody foresaw, and no data is given up for it.
   * </ol>
   */
  public static Failure classify(Throwable error) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    KnownFailure known = null;
    for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
      Optional<Failure.Kind> evidence = evidence(t);
      if (evidence.isPresent()) {
        return new Failure(
            evidence.get(),
            evidence.get() == Failure.Kind.TRANSIENT && known != null
                ? known.retryAfter()
                : Optional.empty(),
            error);
      }
      if (known == null && t instanceof KnownFailure k) {
        known = k;
      }
    }
    if (known != null) {
      Failure.Kind kind = known.failureKind();
      return new Failure(
          kind, kind == Failure.Kind.TRANSIENT ? known.retryAfter() : Optional.empty(), error);
    }
    return new Failure(Failure.Kind.BROKEN, Optional.empty(), error);
  }

  /**
   * What an HTTP answer outside 2xx means: 408, 429 and 5xx (but 501) are {@link
   * Failure.Kind#TRANSIENT}; 401, 403 and 404 (wrong key, no access, unknown model or path) are
   * {@link Failure.Kind#BROKEN}; any other 4xx refused this request's content and is {@link
   * Failure.Kind#REJECTED}. A 501, or a status outside 4xx and 5xx, is {@link Failure.Kind#BROKEN}.
   */
  public static Failure.Kind ofHttpStatus(int status) {
    if (status == 408 || status == 429 || (status >= 500 && status <= 599 && status != 501)) {
      return Failure.Kind.TRANSIENT;
    }
    if (status == 401 || status == 403 || status == 404 || status < 400 || status > 499) {
      return Failure.Kind.BROKEN;
    }
    return Failure.Kind.REJECTED;
  }

  /**
   * How long an HTTP server asks to wait: OpenAI's {@code retry-after-ms} (more precise, so
   * preferred), else the standard {@code Retry-After} in seconds or as an HTTP date. Never
   * negative.
   */
  public static Optional<Duration> retryAfter(HttpHeaders headers, Clock clock) {
    Optional<Duration> millis =
        headers.firstValue("retry-after-ms").flatMap(v -> parse(v, Duration::ofMillis));
    if (millis.isPresent()) {
      return millis;
    }
    return headers
        .firstValue("retry-after")
        .flatMap(
            value ->
                parse(value, Duration::ofSeconds)
                    .or(
                        () ->
                            httpDate(value)
                                .map(at -> Duration.between(clock.instant(), at.toInstant()))))
        .map(wait -> wait.isNegative() ? Duration.ZERO : wait);
  }

  private static Optional<Failure.Kind> evidence(Throwable t) {
    if (t instanceof ConnectException
        || t instanceof NoRouteToHostException
        || t instanceof SocketTimeoutException
        || t instanceof HttpTimeoutException
        || t instanceof ClosedChannelException
        || t instanceof SQLTransientException
        || t instanceof SQLRecoverableException) {
      return Optional.of(Failure.Kind.TRANSIENT);
    }
    if (t instanceof SQLException sql && sql.getSQLState() != null) {
      String state = sql.getSQLState();
      if (state.startsWith("08")
          || state.startsWith("53")
          || state.startsWith("57P")
          || state.equals("40001")
          || state.equals("40P01")) {
        return Optional.of(Failure.Kind.TRANSIENT);
      }
      if (state.startsWith("28") || state.equals("42501") || state.equals("3D000")) {
        return Optional.of(Failure.Kind.BROKEN);
      }
      if (state.startsWith("22") || state.startsWith("23")) {
        return Optional.of(Failure.Kind.REJECTED);
      }
    }
    return Optional.empty();
  }

  private static Optional<Duration> parse(String value, LongFunction<Duration> unit) {
    try {
      return Optional.of(unit.apply(Math.max(0, Math.round(Double.parseDouble(value.strip())))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<ZonedDateTime> httpDate(String value) {
    try {
      return Optional.of(ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
