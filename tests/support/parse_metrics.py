#!/usr/bin/python3
"""Parses a Prometheus text exposition with the prometheus_client library's parser (the
reference Python client's) and prints one JSON object per sample:
{"family", "type", "name", "labels", "value"}. Exits 1, with the parser's error, on text it
refuses. Usage: parse_metrics.py FILE"""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families

try:
    with open(sys.argv[1], encoding="utf-8") as f:
        text = f.read()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            value = sample.value
            print(json.dumps({"family": family.name, "type": family.type, "name": sample.name,
                              "labels": sample.labels,
                              "value": "+Inf" if math.isinf(value) else value}))
except Exception as error:  # the parser raises ValueError and others on bad text
    print(f"parse_metrics: not valid Prometheus text: {error}", file=sys.stderr)
    sys.exit(1)
