package dev.agentbrain.indexer.contract;

import dev.agentbrain.events.EmbeddingContract;
import java.util.List;

/** Checks vectors against the embedding contract of the index they are written to. */
public final class ContractCheck {

  /** How far a "normalised" vector's length may be from 1 (quantized models are not exact). */
  static final double NORM_TOLERANCE = 1e-2;

  private ContractCheck() {}

  /**
   * Throws {@link ContractViolation} when the model differs from the contract's, or any vector has
   * the wrong length, is not finite, or is not unit length when the contract says normalised.
   */
  public static void verify(EmbeddingContract contract, String model, List<float[]> vectors) {
    if (!contract.getModel().equals(model)) {
      throw violation(contract, "expects vectors of model %s, got %s", contract.getModel(), model);
    }
    for (float[] vector : vectors) {
      verifyDimensions(contract, vector.length, "a vector");
      double sum = 0;
      for (float x : vector) {
        if (!Float.isFinite(x)) {
          throw violation(contract, "got a vector with NaN or infinity");
        }
        sum += (double) x * x;
      }
      if (contract.getNormalized() && Math.abs(Math.sqrt(sum) - 1.0) > NORM_TOLERANCE) {
        throw violation(contract, "expects unit-length vectors, got length %.4f", Math.sqrt(sum));
      }
    }
  }

  /**
   * Throws {@link ContractViolation} when {@code actual} is not the contract's dimensions.
   *
   * @param source what has {@code actual} dimensions, for the message (e.g. "model x")
   */
  public static void verifyDimensions(EmbeddingContract contract, int actual, String source) {
    if (actual != contract.getDimensions()) {
      throw violation(
          contract,
          "expects %d dimensions, but %s has %d",
          contract.getDimensions(),
          source,
          actual);
    }
  }

  private static ContractViolation violation(
      EmbeddingContract contract, String format, Object... args) {
    return new ContractViolation(
        "index "
            + contract.getIndex()
            + " v"
            + contract.getVersion()
            + " "
            + String.format(format, args));
  }
}
