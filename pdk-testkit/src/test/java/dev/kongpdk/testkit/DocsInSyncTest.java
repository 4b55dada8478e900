package dev.kongpdk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/testing.md opens with HelloTest: the guide's first example is compiled and run here. */
class DocsInSyncTest {

  @Test
  void testingGuideOpensWithHelloTest() throws IOException {
    String guide = Files.readString(Path.of("../docs/testing.md"));
    int start = guide.indexOf("```java\n") + "```java\n".length();
    String example = guide.substring(start, guide.indexOf("```", start));
    String test = Files.readString(Path.of("src/test/java/dev/kongpdk/testkit/HelloTest.java"));

    assertEquals(afterPackage(test), afterPackage(example),
        "the first example of docs/testing.md must be HelloTest.java (apart from its package)");
  }

  private static String afterPackage(String source) {
    return source.substring(source.indexOf(";\n") + 2);
  }
}
