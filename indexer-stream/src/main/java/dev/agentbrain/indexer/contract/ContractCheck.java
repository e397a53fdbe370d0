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
      throw new ContractViolation(
          "index "
              + contract.getIndex()
              + " v"
              + contract.getVersion()
              + " expects vectors of model "
              + contract.getModel()
              + ", got "
              + model);
    }
    for (float[] vector : vectors) {
      if (vector.length != contract.getDimensions()) {
        throw new ContractViolation(
            "index "
                + contract.getIndex()
                + " v"
                + contract.getVersion()
                + " expects "
                + contract.getDimensions()
                + " dimensions, got "
                + vector.length);
      }
      double sum = 0;
      for (float x : vector) {
        if (!Float.isFinite(x)) {
          throw new ContractViolation("a vector contains NaN or infinity");
        }
        sum += (double) x * x;
      }
      if (contract.getNormalized() && Math.abs(Math.sqrt(sum) - 1.0) > NORM_TOLERANCE) {
        throw new ContractViolation(
            "index "
                + contract.getIndex()
                + " expects unit-length vectors, got length "
                + String.format("%.4f", Math.sqrt(sum)));
      }
    }
  }
}
