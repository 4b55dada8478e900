package com.example.logshipper;

import java.io.IOException;
import java.util.List;

/** Where batches of log entries go. Called from the sender thread only. */
interface Sink {

  /**
   * Writes one batch; returns only when the batch is stored or sent.
   *
   * @param entries JSON objects, one per request, in the order Kong logged them
   * @throws IOException when the batch could not be written; the sender retries it
   */
  void write(List<String> entries) throws IOException;
}
