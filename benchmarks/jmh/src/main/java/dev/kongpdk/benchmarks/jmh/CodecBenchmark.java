package dev.kongpdk.benchmarks.jmh;

import dev.kongpdk.bridge.internal.rpc.MsgpackCodec;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.core.buffer.ArrayBufferInput;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The plugin server's codec on the messages of one hello round trip: decoding Kong's {@code
 * plugin.Step} request and encoding the answer that carries the next PDK call, with one unpacker
 * and one packer reused, as a connection does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {

  private final MsgpackCodec codec = new MsgpackCodec(MsgpackCodec.Limits.DEFAULT);
  private final MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
  private final ArrayBufferInput input = new ArrayBufferInput(new byte[0]);
  private final MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(input);
  private byte[] stepRequest;
  private Map<String, Object> answer;

  @Setup
  public void setUp() throws IOException {
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    Map<String, Object> param = new LinkedHashMap<>();
    param.put("Data", "bench.example");
    param.put("EventId", 1_099_511_627_776L);
    codec.write(p, List.of(0L, 3L, "plugin.Step", List.of(param)));
    stepRequest = p.toByteArray();
    Map<String, Object> call = new LinkedHashMap<>();
    call.put("Method", "kong.response.set_header");
    call.put("Args", List.of("x-hello-from-java", "Java says hello to bench.example"));
    answer = new LinkedHashMap<>();
    answer.put("EventId", 1_099_511_627_776L);
    answer.put("Data", call);
  }

  /** Decodes Kong's {@code [0, msgid, "plugin.Step", [{Data, EventId}]]}. */
  @Benchmark
  public Object decodeStep() throws IOException {
    input.reset(stepRequest);
    unpacker.reset(input);
    return codec.read(unpacker);
  }

  /** Encodes {@code [1, msgid, nil, {EventId, Data: {Method, Args}}]}. */
  @Benchmark
  public int encodeCall() throws IOException {
    packer.clear();
    packer.packArrayHeader(4);
    packer.packInt(1);
    packer.packLong(3);
    codec.write(packer, null);
    codec.write(packer, answer);
    packer.flush();
    return packer.getBufferSize();
  }
}
