"""Writes a llama-architecture GGUF model with random weights (scripts/nn/ggml.sh).

    python ggml_model.py OUT.gguf tiny|bench

tiny:  n_embd 64, 2 layers, 4 heads, n_ff 128, context 128, F32, a 300-token SPM vocabulary
       (<unk> <s> </s>, the 256 byte tokens, a few pieces); ~0.5 MB. The tests' model.
bench: n_embd 512, 8 layers, 8 heads, n_ff 1536, context 2048, F16, an 8192-token vocabulary;
       ~70 MB. The benchmark's model: big enough that llama.cpp's work, not the calls around
       it, is what a token costs.

The weights come from a fixed seed, so every run writes the same file. The end-of-sequence
token's output row is zero (its logit, 0, is never the largest), so greedy generation never
stops by itself: the tests reach n-predict and a full context on purpose, and reach
end-of-sequence only where a grammar leaves nothing else to pick, never by chance.
"""

import sys

import gguf
import numpy as np

SIZES = {
    "tiny": dict(n_embd=64, n_layer=2, n_head=4, n_ff=128, n_ctx=128, n_vocab=300, f16=False),
    "bench": dict(n_embd=512, n_layer=8, n_head=8, n_ff=1536, n_ctx=2048, n_vocab=8192, f16=True),
}

# Pieces that tokenize the tests' prompts into more than bytes.
WORDS = ["hello", "world", "the", "a", "of", "and", "to", "in", "is", "wasm", "edge", "llama",
         "once", "upon", "time", "there", "was", "Wedge", "runs", "models"]


def vocabulary(n_vocab):
    """SPM pieces: specials, the 256 byte tokens, then words and letters, then filler pairs."""
    tokens, scores, types = [], [], []

    def add(piece, score, ty):
        tokens.append(piece)
        scores.append(score)
        types.append(ty)

    add("<unk>", 0.0, gguf.TokenType.UNKNOWN)
    add("<s>", 0.0, gguf.TokenType.CONTROL)
    add("</s>", 0.0, gguf.TokenType.CONTROL)
    for b in range(256):
        add(f"<0x{b:02X}>", 0.0, gguf.TokenType.BYTE)
    seen = set(tokens)
    pieces = ["\u2581"] + ["\u2581" + w for w in WORDS] + WORDS
    pieces += [chr(c) for c in range(ord("a"), ord("z") + 1)]
    pieces += ["\u2581" + chr(c) for c in range(ord("a"), ord("z") + 1)]
    letters = "etaoinshrdlucmfwypvbgkjqxz"
    i = 0
    while len(pieces) < 4 * n_vocab:
        a, b = letters[i % 26], letters[(i // 26) % 26]
        c = letters[(i // 676) % 26]
        pieces.append(a + b if i < 676 else a + b + c)
        pieces.append("\u2581" + a + b if i < 676 else "\u2581" + a + b + c)
        i += 1
    for n, p in enumerate(pieces):
        if len(tokens) == n_vocab:
            break
        if p in seen:
            continue
        seen.add(p)
        # Longer pieces score higher, so merges prefer them.
        add(p, float(len(p)) - n * 1e-4, gguf.TokenType.NORMAL)
    return tokens, scores, types


def main():
    out, size = sys.argv[1], sys.argv[2]
    s = SIZES[size]
    e, ff, nv = s["n_embd"], s["n_ff"], s["n_vocab"]
    rng = np.random.default_rng(20261207)
    dt = np.float16 if s["f16"] else np.float32

    def mat(rows, cols):
        return (rng.standard_normal((rows, cols)) / np.sqrt(cols)).astype(dt)

    w = gguf.GGUFWriter(out, "llama")
    w.add_name(f"wedge-{size}-random-llama")
    w.add_context_length(s["n_ctx"])
    w.add_embedding_length(e)
    w.add_block_count(s["n_layer"])
    w.add_feed_forward_length(ff)
    w.add_head_count(s["n_head"])
    w.add_head_count_kv(s["n_head"])
    w.add_rope_dimension_count(e // s["n_head"])
    w.add_layer_norm_rms_eps(1e-5)
    w.add_file_type(gguf.LlamaFileType.MOSTLY_F16 if s["f16"] else gguf.LlamaFileType.ALL_F32)
    tokens, scores, types = vocabulary(nv)
    w.add_tokenizer_model("llama")
    w.add_token_list(tokens)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_unk_token_id(0)
    w.add_add_bos_token(True)
    w.add_add_eos_token(False)

    w.add_tensor("token_embd.weight", mat(nv, e))
    w.add_tensor("output_norm.weight", np.ones(e, dtype=np.float32))
    output = mat(nv, e)
    output[2] *= 0.0  # end-of-sequence: logit 0, below the largest of the others
    w.add_tensor("output.weight", output)
    for i in range(s["n_layer"]):
        p = f"blk.{i}."
        w.add_tensor(p + "attn_norm.weight", np.ones(e, dtype=np.float32))
        for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
            w.add_tensor(p + name + ".weight", mat(e, e))
        w.add_tensor(p + "ffn_norm.weight", np.ones(e, dtype=np.float32))
        w.add_tensor(p + "ffn_gate.weight", mat(ff, e))
        w.add_tensor(p + "ffn_up.weight", mat(ff, e))
        w.add_tensor(p + "ffn_down.weight", mat(e, ff))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


if __name__ == "__main__":
    main()
