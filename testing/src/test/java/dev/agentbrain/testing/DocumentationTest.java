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

  /**
   * {@code [x](path)}, {@code ![x](path)}, with an optional {@code <>} around the path and a title.
   */
  private static final Pattern LINK =
      Pattern.compile("\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");

  /** {@code <img src="...">} and {@code <a href="...">} written as HTML inside the Markdown. */
  private static final Pattern HTML_LINK = Pattern.compile("\\s(?:src|href)=\"([^\"]+)\"");

  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern MODULE_ROW = Pattern.compile("^\\| \\[`([^`]+)`\\]");

  private static final Path ROOT = repositoryRoot();

  @Test
  @DisplayName(
      "every relative link in the README, docs/ and the module READMEs leads to a file or heading")
  void linksResolve() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path page : pages()) {
      for (String target : links(Files.readString(page))) {
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
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
    Set<String> modules = modules(ROOT, "");
    Set<String> mapped = new TreeSet<>();
    for (String line : Files.readAllLines(ROOT.resolve("README.md"))) {
      Matcher row = MODULE_ROW.matcher(line);
      if (row.find()) {
        mapped.add(row.group(1));
      }
    }
    mapped.remove("infra"); // scripts, not a Maven module
    assertTrue(modules.size() > 5, "read the root pom's modules: " + modules);

    Set<String> missing = new TreeSet<>(modules);
    missing.removeAll(mapped);
    Set<String> notModules = new TreeSet<>(mapped);
    notModules.removeAll(modules);
    assertEquals(
        "",
        (missing.isEmpty() ? "" : "modules missing from the README's module map: " + missing)
            + (missing.isEmpty() || notModules.isEmpty() ? "" : "; ")
            + (notModules.isEmpty() ? "" : "module map entries that are no module: " + notModules),
        "the README's module map against pom.xml's <modules>");
  }

  /**
   * The modules of the pom in {@code dir}, as paths from the repository root; an aggregator module
   * (one with modules of its own) stands for its modules.
   */
  private static Set<String> modules(Path dir, String prefix) throws IOException {
    Set<String> modules = new TreeSet<>();
    Matcher module = MODULE.matcher(withoutComments(Files.readString(dir.resolve("pom.xml"))));
    while (module.find()) {
      String name = module.group(1).strip();
      Path moduleDir = dir.resolve(name).normalize();
      Set<String> inner = modules(moduleDir, prefix + name + "/");
      if (inner.isEmpty()) {
        modules.add(prefix + name);
      } else {
        modules.addAll(inner);
      }
    }
    return modules;
  }

  /** The relative and absolute targets of every link and image of a Markdown page. */
  private static List<String> links(String markdown) {
    List<String> targets = new ArrayList<>();
    String text = withoutCode(markdown);
    for (Pattern pattern : List.of(LINK, HTML_LINK)) {
      Matcher link = pattern.matcher(text);
      while (link.find()) {
        targets.add(link.group(1));
      }
    }
    return targets;
  }

  private static String problem(Path page, String target) throws IOException {
    int hash = target.indexOf('#');
    String file = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    Path resolved =
        file.isEmpty()
            ? page
            : (file.startsWith("/")
                    ? ROOT.resolve(file.substring(1))
                    : page.getParent().resolve(file))
                .normalize();
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

  private static String withoutComments(String xml) {
    return xml.replaceAll("(?s)<!--.*?-->", "");
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
