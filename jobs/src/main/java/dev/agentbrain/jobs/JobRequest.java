package dev.agentbrain.jobs;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.agentbrain.publish.FilePreset;
import java.util.List;
import java.util.Objects;

/** What a job is asked to do; every kind publishes into one logical index. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = JobRequest.IndexFolder.class, name = "index_folder"),
  @JsonSubTypes.Type(value = JobRequest.AddDocuments.class, name = "add_documents"),
  @JsonSubTypes.Type(value = JobRequest.RemoveFolder.class, name = "remove_folder")
})
public sealed interface JobRequest {

  /** The logical index the job writes to. */
  String index();

  /**
   * Publish a folder (or one file) of this machine, as {@code agent-brain publish} does.
   *
   * @param path absolute path; must lie under one of the configured index roots
   * @param folderName the folder's name within the index; empty for its own name
   * @param preset which file types to take
   * @param include globs relative to the folder; empty for every file
   * @param exclude globs to leave out (they win over {@code include})
   * @param sync also tombstone the folder's documents whose files are gone
   */
  record IndexFolder(
      String index,
      String path,
      String folderName,
      FilePreset preset,
      List<String> include,
      List<String> exclude,
      boolean sync)
      implements JobRequest {
    public IndexFolder {
      Objects.requireNonNull(index, "index");
      Objects.requireNonNull(path, "path");
      folderName = Objects.requireNonNullElse(folderName, "");
      preset = Objects.requireNonNullElse(preset, FilePreset.ALL);
      include = include == null ? List.of() : List.copyOf(include);
      exclude = exclude == null ? List.of() : List.copyOf(exclude);
    }
  }

  /**
   * Publish documents given as text, belonging to no folder; a name published again replaces its
   * document.
   */
  record AddDocuments(String index, List<TextDocument> documents) implements JobRequest {
    public AddDocuments {
      Objects.requireNonNull(index, "index");
      documents = documents == null ? List.of() : List.copyOf(documents);
    }
  }

  /**
   * One document given as text.
   *
   * @param name its source name, e.g. {@code notes/today.md}; the extension decides how it is read
   * @param text its content
   */
  record TextDocument(String name, String text) {
    public TextDocument {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * Tombstone every document of one folder of the index.
   *
   * @param folder the folder's name, or its absolute path
   */
  record RemoveFolder(String index, String folder) implements JobRequest {
    public RemoveFolder {
      Objects.requireNonNull(index, "index");
      Objects.requireNonNull(folder, "folder");
    }
  }
}
