package dev.kongpdk.bridge.internal.pb;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.kongpdk.PdkException;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.RpcCall;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of what the ProtoBuf bridge does with bytes from Kong: parse an
 * {@code RpcCall}, and decode Kong's reply to any PDK function. A reply may be refused, but only
 * with a {@link PdkException} naming the function (the plugin sees it); anything else escaping
 * would end the handler thread with an unrelated error. CI replays the seeds in {@code
 * src/test/resources/.../PbFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class PbFuzzTest {

  private static final List<PbMethod> METHODS = List.copyOf(PbMethods.kong().all());

  @FuzzTest(maxDuration = "20s")
  void kongsBytesAreRefusedOnlyWithTheBridgesOwnErrors(byte[] input) {
    try {
      RpcCall.parseFrom(input);
    } catch (InvalidProtocolBufferException expected) {
      // the connection would be closed
    }
    if (input.length == 0) {
      return;
    }
    PbMethod method = METHODS.get(Byte.toUnsignedInt(input[0]) % METHODS.size());
    if (method.outputName().equals("RawBodyResult")) {
      return; // a body_filepath reply names a file to read: not fuzzed against the file system
    }
    try {
      PdkCodec.decodeReply(method, Arrays.copyOfRange(input, 1, input.length));
    } catch (PdkException expected) {
      // the plugin sees a clear error naming the function
    }
  }
}
