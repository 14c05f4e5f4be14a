package org.dure.net.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz targets for every decoder. With the normal test run they replay their seed corpus
 * (regression mode, {@code src/test/resources/org/dure/net/fuzz/DecoderFuzzTestInputs/<method>/}
 * plus an empty input); see {@code network/FUZZING.md} for fuzzing mode.
 */
class DecoderFuzzTest {
  @FuzzTest
  void varint(byte[] data) {
    DecoderTargets.varint(data);
  }

  @FuzzTest
  void multistream(byte[] data) {
    DecoderTargets.multistream(data);
  }

  @FuzzTest
  void noisePayload(byte[] data) {
    DecoderTargets.noisePayload(data);
  }

  @FuzzTest
  void noiseHandshake(byte[] data) {
    DecoderTargets.noiseHandshake(data);
  }

  @FuzzTest
  void noiseFrames(byte[] data) {
    DecoderTargets.noiseFrames(data);
  }

  @FuzzTest
  void yamuxFrames(byte[] data) {
    DecoderTargets.yamuxFrames(data);
  }

  @FuzzTest
  void yamuxSession(byte[] data) {
    DecoderTargets.yamuxSession(data);
  }

  @FuzzTest
  void identify(byte[] data) {
    DecoderTargets.identify(data);
  }

  @FuzzTest
  void relayMessages(byte[] data) {
    DecoderTargets.relayMessages(data);
  }

  @FuzzTest
  void kadMessages(byte[] data) {
    DecoderTargets.kadMessages(data);
  }

  @FuzzTest
  void autonatMessages(byte[] data) {
    DecoderTargets.autonatMessages(data);
  }

  @FuzzTest
  void dcutrMessages(byte[] data) {
    DecoderTargets.dcutrMessages(data);
  }

  @FuzzTest
  void blobFrames(byte[] data) {
    DecoderTargets.blobFrames(data);
  }

  @FuzzTest
  void multiaddrBytes(byte[] data) {
    DecoderTargets.multiaddrBytes(data);
  }

  @FuzzTest
  void multiaddrText(byte[] data) {
    DecoderTargets.multiaddrText(data);
  }

  @FuzzTest
  void publicKeyAndPeerId(byte[] data) {
    DecoderTargets.publicKeyAndPeerId(data);
  }
}
