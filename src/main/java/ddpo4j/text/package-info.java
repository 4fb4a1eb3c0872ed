/**
 * CLIP's byte-level BPE tokenizer, reproducing transformers' slow {@code CLIPTokenizer} as it runs
 * without ftfy installed; {@link ddpo4j.text.ClipTokenizer} is the entry point.
 */
package ddpo4j.text;
