package com.example.logshipper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** Appends each batch to a file as JSON lines, in one write so that batches never interleave. */
final class FileSink implements Sink {

  private final Path path;

  FileSink(Path path) {
    this.path = path;
  }

  @Override
  public void write(List<String> entries) throws IOException {
    StringBuilder lines = new StringBuilder();
    entries.forEach(entry -> lines.append(entry).append('\n'));
    Files.write(path, lines.toString().getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }
}
