package dev.agentbrain.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;

/**
 * The JSON form of jobs, requests and folders: snake_case fields, ISO-8601 times, lower-case
 * states. The jobs topic holds it, and the HTTP and MCP answers show it.
 */
public final class JobJson {

  /** Thread-safe, as Jackson mappers are once configured. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private JobJson() {}

  static String write(Job job) {
    try {
      return MAPPER.writeValueAsString(job);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Job read(String json) {
    try {
      return MAPPER.readValue(json, Job.class);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
