package dev.agentbrain.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The README and docs/ point only at things that exist, and the README's module map is whole. */
class DocumentationTest {

  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern MODULE_ROW = Pattern.compile("^\\| \\[`([^`]+)`\\]");

  private static final Path ROOT = repositoryRoot();

  @Test
  @DisplayName(
      "every relative link in the README, docs/ and the module READMEs leads to a file or heading")
  void linksResolve() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path page : pages()) {
      String text = Files.readString(page);
      Matcher link = LINK.matcher(withoutCode(text));
      while (link.find()) {
        String target = link.group(1);
        if (target.matches("^[a-z]+:.*")) {
          continue; // http(s), mailto: outside the repository
        }
        String problem = problem(page, target);
        if (problem != null) {
          broken.add(ROOT.relativize(page) + ": (" + target + ") " + problem);
        }
      }
    }
    assertEquals(List.of(), broken, "links that lead nowhere");
  }

  @Test
  @DisplayName("the README's module map names every Maven module of the reactor, and nothing else")
  void moduleMapMatchesThePoms() throws IOException {
    Set<String> modules = new TreeSet<>();
    Matcher module = MODULE.matcher(Files.readString(ROOT.resolve("pom.xml")));
    while (module.find()) {
      modules.add(module.group(1));
    }
    Set<String> mapped = new TreeSet<>();
    for (String line : Files.readAllLines(ROOT.resolve("README.md"))) {
      Matcher row = MODULE_ROW.matcher(line);
      if (row.find()) {
        mapped.add(row.group(1));
      }
    }
    mapped.remove("infra"); // scripts, not a Maven module
    assertTrue(modules.size() > 5, "read the root pom's modules: " + modules);
    assertEquals(modules, mapped, "modules in pom.xml vs the README's module map");
  }

  private static String problem(Path page, String target) throws IOException {
    int hash = target.indexOf('#');
    String file = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
    if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
      return "no such file";
    }
    if (anchor != null && resolved.toString().endsWith(".md")) {
      Set<String> slugs = headingSlugs(Files.readString(resolved));
      if (!slugs.contains(anchor)) {
        return "no heading #" + anchor;
      }
    }
    return null;
  }

  /** GitHub's anchors: lower case, punctuation dropped, spaces to hyphens. */
  private static Set<String> headingSlugs(String markdown) {
    Set<String> slugs = new TreeSet<>();
    for (String line : withoutCode(markdown).split("\n")) {
      if (line.startsWith("#")) {
        String title = line.replaceFirst("^#+\\s*", "").strip().toLowerCase(Locale.ROOT);
        slugs.add(title.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
      }
    }
    return slugs;
  }

  /** The text without fenced code blocks, whose brackets and '#' lines are not Markdown. */
  private static String withoutCode(String markdown) {
    return markdown.replaceAll("(?s)```.*?```", "");
  }

  private static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
    }
    try (Stream<Path> readmes = Files.walk(ROOT, 3)) {
      readmes
          .filter(p -> p.getFileName().toString().equals("README.md"))
          .filter(p -> !p.getParent().equals(ROOT))
          .filter(p -> !p.toString().contains("node_modules") && !p.toString().contains("/."))
          .forEach(pages::add);
    }
    return pages;
  }

  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("docs")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new UncheckedIOException(new IOException("no repository root above the working dir"));
  }
}
