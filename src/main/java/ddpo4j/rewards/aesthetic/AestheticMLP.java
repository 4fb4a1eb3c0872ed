package ddpo4j.rewards.aesthetic;

import ai.djl.ndarray.NDArray;
import ddpo4j.nn.Container;
import ddpo4j.nn.Linear;
import ddpo4j.nn.Module;

/**
 * The LAION aesthetic predictor's head (ddpo-pytorch's {@code MLP}): Linear(d, 1024), Dropout,
 * Linear(1024, 128), Dropout, Linear(128, 64), Dropout, Linear(64, 16), Linear(16, 1), with no
 * activation in between. Keys {@code layers.0/2/4/6/7.{weight,bias}} as in
 * {@code sac+logos+ava1-l14-linearMSE.pth}; dropout is inactive at inference.
 */
public final class AestheticMLP extends Module {
    private final Linear[] linears;

    /** @param inputDim the CLIP embedding size: 768 for ViT-L/14 */
    public AestheticMLP(int inputDim) {
        Container layers = child("layers", new Container());
        this.linears = new Linear[] {
            layers.add("0", new Linear(inputDim, 1024, true)),
            layers.add("2", new Linear(1024, 128, true)),
            layers.add("4", new Linear(128, 64, true)),
            layers.add("6", new Linear(64, 16, true)),
            layers.add("7", new Linear(16, 1, true)),
        };
    }

    /** @param embeddings (B, d) L2-normalized CLIP image embeddings; returns (B, 1) */
    public NDArray forward(NDArray embeddings) {
        NDArray h = embeddings;
        for (Linear l : linears) {
            h = l.forward(h);
        }
        return h;
    }
}
