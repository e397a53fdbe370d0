package dev.agentbrain.chunking;

import static dev.agentbrain.chunking.Words.PER_WORD;
import static dev.agentbrain.chunking.Words.assertWellFormed;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CodeChunkingTest {

  private static final ChunkingSettings SETTINGS = new ChunkingSettings(40, 0);

  private final Chunker chunker = new Chunker(PER_WORD);

  @Test
  @DisplayName("Java is cut at classes and methods, with comments and annotations kept above them")
  void java() {
    String code =
        """
        package demo;

        import java.util.List;

        /** Greets people. */
        public class Greeter {
          private final String name;

          public Greeter(String name) {
            this.name = name;
          }

          /** Says hello to everyone. */
          @Deprecated
          public String greet(List<String> others) {
            String joined = String.join(", ", others) + "{";
            return "Hello " + name + " and " + joined;
          }

          static class Inner {
            void run() {
              System.out.println("} still inside run");
            }
          }
        }
        """;

    List<Chunk> chunks = chunk(code, Language.JAVA);

    assertThat(pathOf(chunks, "private final String name")).isEqualTo("class Greeter");
    assertThat(pathOf(chunks, "this.name = name")).isEqualTo("class Greeter > constructor Greeter");
    assertThat(pathOf(chunks, "String.join")).isEqualTo("class Greeter > method greet");
    assertThat(chunkWith(chunks, "String.join").text())
        .startsWith("/** Says hello to everyone. */");
    assertThat(pathOf(chunks, "still inside run"))
        .isEqualTo("class Greeter > class Inner > method run");
  }

  @Test
  @DisplayName("Python is cut at classes, methods and functions, decorators included")
  void python() {
    String code =
        """
        import os


        def top(x):
            def inner():
                return 1
            return inner() + x


        class Shape:
            \"\"\"A shape of some kind.\"\"\"

            @property
            def area(self):
                return 0

            def describe(self):
                text = \"\"\"
        def not_a_function():
        \"\"\"
                return text


        if __name__ == "__main__":
            print(top(1))
        """;

    List<Chunk> chunks = chunk(code, Language.PYTHON);

    assertThat(pathOf(chunks, "return inner()")).isEqualTo("function top");
    assertThat(pathOf(chunks, "A shape of some kind")).isEqualTo("class Shape");
    assertThat(pathOf(chunks, "return 0")).isEqualTo("class Shape > method area");
    assertThat(chunkWith(chunks, "return 0").text()).startsWith("@property");
    assertThat(pathOf(chunks, "not_a_function")).isEqualTo("class Shape > method describe");
    assertThat(pathOf(chunks, "print(top(1))")).isEmpty();
  }

  @Test
  @DisplayName("TypeScript is cut at interfaces, classes, methods and functions")
  void typeScript() {
    String code =
        """
        import { x } from "./x";

        export interface Options {
          verbose: boolean;
          retries: number;
        }

        export class Service {
          private count = 0;

          constructor(private readonly name: string) {
            this.count = 1;
          }

          async fetch(url: string): Promise<string> {
            const template = `value ${url} } still fetch`;
            return template;
          }

          handle = (event: string) => {
            this.count += event.length;
          };
        }

        export function helper(a: number): number {
          return a * 2;
        }

        export const arrow = (b: number) => b + 1 + x;
        """;

    List<Chunk> chunks = chunk(code, Language.TYPESCRIPT);

    assertThat(pathOf(chunks, "retries: number")).isEqualTo("interface Options");
    assertThat(pathOf(chunks, "this.count = 1")).isEqualTo("class Service > method constructor");
    assertThat(pathOf(chunks, "still fetch")).isEqualTo("class Service > method fetch");
    assertThat(pathOf(chunks, "event.length")).isEqualTo("class Service > method handle");
    assertThat(pathOf(chunks, "a * 2")).isEqualTo("function helper");
    assertThat(pathOf(chunks, "b + 1 + x")).isEqualTo("function arrow");
  }

  @Test
  @DisplayName("Go is cut at types, functions and methods")
  void go() {
    String code =
        """
        package main

        import "fmt"

        // Server serves requests for everyone.
        type Server struct {
        \tname string
        \tport int
        }

        // Start starts the server and prints.
        func (s *Server) Start() error {
        \tfmt.Println("{ still start")
        \treturn nil
        }

        func main() {
        \ts := &Server{name: "x", port: 1}
        \t_ = s.Start()
        }
        """;

    List<Chunk> chunks = chunk(code, Language.GO);

    assertThat(pathOf(chunks, "port int")).isEqualTo("type Server");
    assertThat(pathOf(chunks, "still start")).isEqualTo("method Server.Start");
    assertThat(chunkWith(chunks, "still start").text()).startsWith("// Start starts");
    assertThat(pathOf(chunks, "s.Start()")).isEqualTo("func main");
  }

  @Test
  @DisplayName("a method too long for a chunk is cut between lines and keeps its path")
  void longMethod() {
    String code = "class Big {\n  void work() {\n" + "    step(1, 2);\n".repeat(60) + "  }\n}\n";

    List<Chunk> chunks = chunk(code, Language.JAVA);

    assertThat(chunks).hasSizeGreaterThan(2);
    assertThat(chunks.subList(1, chunks.size()))
        .allSatisfy(c -> assertThat(c.headingPath()).isEqualTo("class Big > method work"));
  }

  private List<Chunk> chunk(String code, Language language) {
    List<Chunk> chunks = chunker.chunk(code, language, SETTINGS);
    assertWellFormed(code, chunks, SETTINGS, PER_WORD);
    return chunks;
  }

  private static String pathOf(List<Chunk> chunks, String marker) {
    return chunkWith(chunks, marker).headingPath();
  }

  private static Chunk chunkWith(List<Chunk> chunks, String marker) {
    return chunks.stream()
        .filter(c -> c.text().contains(marker))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no chunk contains " + marker + ": " + chunks));
  }
}
