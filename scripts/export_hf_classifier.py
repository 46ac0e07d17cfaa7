#!/usr/bin/env python3
"""Export a Hugging Face text classifier to the files zyda's transformer backend reads: model.onnx (its weights in
model.onnx.data unless --inline), config.json, tokenizer.json, side by side in one folder. Run it once per model, where the checkpoint can be downloaded; zyda
itself needs neither Python nor torch.

Usage:
  python3 scripts/export_hf_classifier.py HuggingFaceFW/fineweb-edu-classifier models/fineweb-edu
  python3 scripts/export_hf_classifier.py --nvidia-quality nvidia/quality-classifier-deberta models/quality
Needs: pip install torch transformers tokenizers huggingface_hub safetensors (and onnx to check the result).

Without --nvidia-quality the source is any AutoModelForSequenceClassification checkpoint (BERT, RoBERTa,
DeBERTa-v2/v3 families; classification or regression head). --nvidia-quality reads NVIDIA's quality classifier,
which is not a transformers class: a PyTorchModelHubMixin module holding `model` (AutoModel of config
"base_model"), `dropout` and `fc` (Linear to the labels of config "id2label"), whose forward returns the softmax of
fc at the first token. The export stops before that softmax, so the ONNX output is logits like every other model's
and zyda's softmax gives NVIDIA's probabilities.
"""
import argparse
import json
import os
import sys

OPSET = 17


class LogitsOnly:
    """Wraps a model so torch.onnx sees plain tensors in and one logits tensor out."""

    @staticmethod
    def make(model, input_names, head):
        import torch

        class Wrapped(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.inner = model

            def forward(self, *tensors):
                return head(self.inner, **dict(zip(input_names, tensors)))

        return Wrapped().eval()


def sequence_classifier_head(model, **inputs):
    return model(**inputs).logits


def nvidia_quality_head(module, **inputs):
    features = module.model(input_ids=inputs["input_ids"], attention_mask=inputs["attention_mask"]).last_hidden_state
    return module.fc(features[:, 0, :])


def export_onnx(model, input_names, head, path, vocab_size, external_data):
    import torch

    sample = {"input_ids": torch.randint(5, max(6, vocab_size), (2, 16), dtype=torch.long)}
    sample["attention_mask"] = torch.ones(2, 16, dtype=torch.long)
    sample["token_type_ids"] = torch.zeros(2, 16, dtype=torch.long)
    args = tuple(sample[n] for n in input_names)
    dynamic = {n: {0: "batch", 1: "tokens"} for n in input_names}
    dynamic["logits"] = {0: "batch"}
    with torch.no_grad():
        torch.onnx.export(
            LogitsOnly.make(model, input_names, head), args, path, input_names=list(input_names),
            output_names=["logits"], dynamic_axes=dynamic, opset_version=OPSET, dynamo=False,
        )
    if external_data:
        move_weights_out(path)


def move_weights_out(path):
    """Weights to model.onnx.data beside the graph: onnxruntime then reads them from the file instead of
    keeping the whole model's bytes as well, and can map them (see bench/README.md, transformer classifiers)."""
    import onnx

    model = onnx.load(path)
    data = os.path.basename(path) + ".data"
    if os.path.exists(os.path.join(os.path.dirname(path), data)):
        os.remove(os.path.join(os.path.dirname(path), data))
    onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True, location=data, size_threshold=1024)


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2, sort_keys=True)
        f.write("\n")


def save_tokenizer(tokenizer, out):
    """tokenizer.json of a fast tokenizer, with no truncation or padding baked in (zyda truncates itself)."""
    backend = tokenizer.backend_tokenizer
    backend.no_truncation()
    backend.no_padding()
    backend.save(os.path.join(out, "tokenizer.json"))


def export_sequence_classifier(source, out, external_data=True):
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    model = AutoModelForSequenceClassification.from_pretrained(source, dtype="float32").eval()
    tokenizer = AutoTokenizer.from_pretrained(source)
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in tokenizer.model_input_names]
    os.makedirs(out, exist_ok=True)
    export_onnx(model, names, sequence_classifier_head, os.path.join(out, "model.onnx"), model.config.vocab_size, external_data)
    model.config.to_json_file(os.path.join(out, "config.json"))
    save_tokenizer(tokenizer, out)


def load_nvidia_quality(source):
    """NVIDIA's module as its model card defines it, rebuilt here so the export needs no code from the hub."""
    import torch
    from huggingface_hub import PyTorchModelHubMixin
    from transformers import AutoConfig, AutoModel

    class QualityModel(torch.nn.Module, PyTorchModelHubMixin):
        def __init__(self, config):
            super().__init__()
            self.model = AutoModel.from_config(AutoConfig.from_pretrained(config["base_model"]))
            self.dropout = torch.nn.Dropout(config["fc_dropout"])
            self.fc = torch.nn.Linear(self.model.config.hidden_size, len(config["id2label"]))

    return QualityModel.from_pretrained(source).eval()


def export_nvidia_quality(source, out, external_data=True):
    from huggingface_hub import hf_hub_download
    from transformers import AutoTokenizer

    config_path = os.path.join(source, "config.json") if os.path.isdir(source) else hf_hub_download(source, "config.json")
    with open(config_path, encoding="utf-8") as f:
        mixin_config = json.load(f)
    module = load_nvidia_quality(source)
    tokenizer = AutoTokenizer.from_pretrained(source)
    os.makedirs(out, exist_ok=True)
    backbone = module.model.config
    export_onnx(module, ["input_ids", "attention_mask"], nvidia_quality_head, os.path.join(out, "model.onnx"), backbone.vocab_size, external_data)
    id2label = {int(k): v for k, v in mixin_config["id2label"].items()}
    config = backbone.to_dict()
    config.update({
        "architectures": ["QualityModel"],
        "id2label": {str(k): id2label[k] for k in sorted(id2label)},
        "label2id": {id2label[k]: k for k in sorted(id2label)},
        "num_labels": len(id2label),
        "problem_type": "single_label_classification",
    })
    write_json(os.path.join(out, "config.json"), config)
    save_tokenizer(tokenizer, out)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", help="hub id or local folder of the checkpoint")
    parser.add_argument("out", help="folder to write model.onnx, config.json and tokenizer.json to")
    parser.add_argument("--nvidia-quality", action="store_true", help="the source is nvidia/quality-classifier-deberta (or a copy)")
    parser.add_argument("--inline", action="store_true", help="keep the weights inside model.onnx (small models)")
    args = parser.parse_args(argv)
    export = export_nvidia_quality if args.nvidia_quality else export_sequence_classifier
    export(args.source, args.out, external_data=not args.inline)
    print(f"wrote {args.out}: model.onnx{'' if args.inline else ' + model.onnx.data'}, config.json, tokenizer.json")


if __name__ == "__main__":
    main(sys.argv[1:])
