#!/bin/sh
# Score the extractor on the shared gold set (direct and indirect) with the given spaCy model.
# Usage: scripts/eval_extractor.sh [MODEL] [--errors]   (run from the repository root)
# The scorer knows "direct" and "indirect" only: a partial quote (guillemets inside a sentence)
# is a direct quote for it, so the predictions are mapped before scoring.
set -e
MODEL=${1:-fr_core_news_sm}
shift 2>/dev/null || true
PRED=$(mktemp)
trap 'rm -f "$PRED" "$PRED.raw"' EXIT
start=$(date +%s.%N)
.venv/bin/python -m quotes extract --model "$MODEL" ../shared/eval/dev.jsonl > "$PRED.raw"
end=$(date +%s.%N)
sed 's/"type": "partial"/"type": "direct"/g' "$PRED.raw" > "$PRED"
echo "model $MODEL: $(wc -l < "$PRED") documents in $(echo "$end - $start" | bc) s (model load included)"
python3 ../shared/eval/score.py ../shared/eval/dev.jsonl "$PRED" "$@"
python3 ../shared/eval/score.py ../shared/eval/dev.jsonl "$PRED" --type indirect "$@"
