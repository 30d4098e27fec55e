"""The character-level language models in the manner of makemore and nanoGPT print the same
under torch and with only their imports changed to eager's (issue 16): the counted and the
trained bigram with multinomial sampling from a seeded Generator, the MLP over a context of
three characters, a small GPT with AdamW and top-k generation, a text CNN (padded batches,
Conv1d filters, max-over-time pooling, NAdam, ReduceLROnPlateau), and nanoGPT's training loop
as it runs on a CPU (its disabled AMP scaffolding, fused-AdamW probing, weight-decay groups,
gradient accumulation, a cosine learning rate), and a char-RNN (two-layer GRU, truncated BPTT
with detached hidden states) sampling at two temperatures, skip-gram word2vec with negative
sampling (multinomial noise, bmm, logsigmoid), a bidirectional LSTM tagger over packed
variable-length sentences, and a top-2 mixture-of-experts layer (topk routing, where,
index_add_, scatter_), and a LLaMA-style decoder (RMSNorm, rotary embeddings, SwiGLU,
is_causal attention) generating with a key/value cache and nucleus sampling, and the
BiLSTM-CRF tutorial (forward algorithm, gold path score, Viterbi decoding), and beam search
over a GRU decoder (topk over flattened scores, floor division, index_select of hidden
states) against greedy decoding, and a character LSTM decoded with temperature, top-k, top-p
(sort, cumsum, scatter of a bool mask) and a repetition penalty (gather, scatter), and a
word-level LSTM LM with an adaptive softmax head (AdaptiveLogSoftmaxWithLoss: loss, log_prob,
predict), d2l.ai's RNN and batch norm written from scratch (one-hot, hand clipping, moving
statistics), linear attention with einsum (elu feature maps, causal cumsum, Performer
features, the sublist form), Transformer-XL attention (rel_shift, a detached memory, T5
buckets), and a tied-weight LSTM over a padding collate_fn with gradient accumulation, and d2l.ai's
GRU and LSTM cells from scratch (gate parameter lists, clipping by the global norm), d2l.ai's
pretraining data (word2vec subsampling and negatives, BERT's 80/10/10 masking) into a tiny
BERT, and CS224n's parser transitions, char-CNN embeddings and NMT attention masked through
.data, and a Perceiver (learned latents cross-attending under a padding mask, Fourier
features, GEGLU), an RWKV time mix (its stable WKV loop against a parallel softmax form), a
Mamba block (selective scan looped over time with einsum, softplus, tied embeddings), and T5
relative buckets, ALiBi slopes and grouped-query attention (repeat_interleave) with a KV cache,
RetNet retention (a decay mask against its recurrent loop, GroupNorm over heads), and a Conformer
block (SpecAugment masks, GLU and depthwise convolution module, CTC over subsampled lengths),
and d2l.ai's attention chapter from scratch (masked softmax, additive, dot-product and
multi-head attention, sinusoidal positions, a Bahdanau decoder), and scaled_dot_product_attention
with enable_gqa, a sliding-window mask and QK-norm under a warmup-stable-decay SequentialLR,
and a seq2seq reverser (a bidirectional GRU over unsorted packed batches, Luong attention,
scheduled sampling drawn with bernoulli), and LLM-from-scratch code: GPT-2 weights mapped from
a differently named checkpoint (nn.Parameter assignment, copy_, strict=False, assign=True),
minGPT's init and decay/no-decay optimizer groups with nn.Buffer, nanoGPT's estimate_loss and
warmup-cosine schedule (by hand and as LambdaLR) with clip_grad_norm_'s error_if_nonfinite,
instruction-finetuning collate (ignore_index -100, left padding), a BERT encoder with an
extended finfo.min mask and tied MLM decoder, a streaming IterableDataset sharded by worker,
a pure-Python BPE tokenizer, resuming a torch.compile'd model (_orig_mod keys, RNG states) to
identical losses, packed documents under a block-diagonal causal mask, and DPO against a
deep-copied reference model, nanoGPT's model surgery (np.memmap batches, crop_block_size,
from_pretrained with override_args), a Switch-Transformer layer with expert capacity,
speculative decoding with a draft model, sliding-window perplexity, an RLHF reward model
read at each sequence's last token, and gpt-fast's static KV cache (index-assigned buffers,
polar rotary pairs, exponential-race sampling), and what notebooks print about a GPT (the
nested repr with compressed blocks, parameter tables, print(optimizer), set_printoptions)."""

from __future__ import annotations

import pytest
from program_runner import check_program

pytest.importorskip("torch")


@pytest.mark.parametrize("name", ["makemore_bigram", "makemore_mlp", "tiny_gpt",
                                  "text_cnn_classifier", "nanogpt_train_loop",
                                  "char_rnn_sampling", "word2vec_negative_sampling",
                                  "packed_sequence_tagger", "mixture_of_experts",
                                  "llama_rope_kv_cache", "bilstm_crf",
                                  "beam_search_decoder", "nucleus_sampling",
                                  "adaptive_softmax_lm", "d2l_rnn_scratch",
                                  "linear_attention_einsum", "transformer_xl_relpos",
                                  "padded_collate_tied_lm", "seq2seq_scheduled_sampling",
                                  "d2l_gru_lstm_scratch",
                                  "bert_masking_word2vec_subsample", "cs224n_parser_charcnn",
                                  "cbow_sparse_embeddings", "perceiver_latents", "rwkv_time_mixing",
                                  "mamba_selective_scan", "t5_alibi_gqa_positions",
                                  "chunked_prefill_lower_right",
                                  "retnet_retention", "conformer_block",
                                  "d2l_attention_scratch", "sdpa_gqa_sliding_window",
                                  "gpt2_weight_loading", "mingpt_configure_optimizers",
                                  "estimate_loss_warmup_cosine", "instruction_collate_left_pad",
                                  "bert_extended_mask_mlm", "iterable_token_stream",
                                  "bpe_tokenizer_lm", "compiled_resume_identical",
                                  "packed_document_attention", "dpo_preference_loss",
                                  "llama_complex_rotary", "nanogpt_model_surgery",
                                  "switch_moe_capacity", "speculative_decoding",
                                  "sliding_window_perplexity", "reward_model_last_token",
                                  "gpt_fast_static_kv_cache", "gpt_model_summary_printing"])
def test_program_prints_the_same_under_eager(name, tmp_path):
    check_program(name, tmp_path)
