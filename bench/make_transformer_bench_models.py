#!/usr/bin/env python3
"""Random-weight classifiers of the real models' sizes, for the transformer bench (not committed: ~1 GB).

  deberta-v3-base   DebertaV2ForSequenceClassification with deberta-v3-base's shape (hidden 768, 12 layers,
                    12 heads, vocab 128,100), 3 labels: the size of nvidia/quality-classifier-deberta
  bert-base         BertForSequenceClassification with bert-base's shape (hidden 768, 12 layers, vocab 30,522),
                    regression head: the size of HuggingFaceFW/fineweb-edu-classifier
Exported through scripts/export_hf_classifier.py; each folder gets the matching fixture tokenizer
(test/fixtures/transformers/{deberta,bert}-cls/tokenizer.json: its ids are valid in the bigger vocab).

Usage: python3 bench/make_transformer_bench_models.py [OUT_DIR]   (default bench/data/transformers)
Needs torch and transformers; the bench skips the big-model cases when OUT_DIR lacks them.
"""
import os
import shutil
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "scripts"))
import export_hf_classifier  # noqa: E402

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "bench", "data", "transformers")
FIXTURES = os.path.join(REPO, "test", "fixtures", "transformers")
LABELS = ["High", "Medium", "Low"]
CLS = dict(num_labels=3, id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)})
BASE = dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072, max_position_embeddings=512)


def models():
    from transformers import BertConfig, BertForSequenceClassification, DebertaV2Config, DebertaV2ForSequenceClassification

    yield "deberta-v3-base", "deberta-cls", lambda: DebertaV2ForSequenceClassification(DebertaV2Config(
        vocab_size=128100, **BASE, relative_attention=True, position_buckets=256, max_relative_positions=-1,
        pos_att_type=["p2c", "c2p"], position_biased_input=False, norm_rel_ebd="layer_norm", share_att_key=True,
        type_vocab_size=0, pad_token_id=0, **CLS))
    yield "bert-base", "bert-cls", lambda: BertForSequenceClassification(BertConfig(vocab_size=30522, **BASE, num_labels=1, problem_type="regression"))


def main():
    import torch
    from transformers import PreTrainedTokenizerFast

    for name, fixture, build in models():
        torch.manual_seed(0)
        out = os.path.join(OUT, name)
        with tempfile.TemporaryDirectory() as src:
            build().eval().save_pretrained(src)
            tokenizer = PreTrainedTokenizerFast.from_pretrained(os.path.join(FIXTURES, fixture))
            tokenizer.save_pretrained(src)
            export_hf_classifier.export_sequence_classifier(src, out)
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
