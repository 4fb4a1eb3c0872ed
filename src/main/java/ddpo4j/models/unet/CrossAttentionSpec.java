package ddpo4j.models.unet;

/**
 * How a UNet block builds its {@link Transformer2DModel}s: head count (diffusers' historical
 * {@code attention_head_dim}, which is in fact the number of heads), context width, projection style.
 */
public record CrossAttentionSpec(int heads, long crossAttentionDim, int normGroups, boolean useLinearProjection) {
    public Transformer2DModel transformer(long channels) {
        if (channels % heads != 0) {
            throw new IllegalArgumentException(channels + " channels do not split into " + heads + " heads");
        }
        return new Transformer2DModel(channels, heads, channels / heads, crossAttentionDim, normGroups,
                useLinearProjection);
    }
}
