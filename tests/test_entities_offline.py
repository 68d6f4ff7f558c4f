"""Pipelines load and run with networking disabled (nothing is downloaded at run time)."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = textwrap.dedent(
    """
    import json, socket

    class NoNetwork(socket.socket):
        def __init__(self, *args, **kwargs):
            raise OSError("network disabled in this test")

    def refuse(*args, **kwargs):
        raise OSError("network disabled in this test")

    socket.socket = NoNetwork
    socket.create_connection = refuse
    socket.getaddrinfo = refuse

    from processing.entities import extract_entities
    ar_text = "زار الرئيس الفرنسي إيمانويل ماكرون الدوحة يوم الأحد."
    out = {
        "en": [e.as_dict() for e in extract_entities(["Emmanuel Macron visited Doha."], "en")[0]],
        "ar": [e.as_dict() for e in extract_entities([ar_text], "ar")[0]],
    }
    print(json.dumps(out, ensure_ascii=False))
    """
)


def test_pipelines_load_without_network():
    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"Doha", "LOC"} <= {v for e in out["en"] for v in (e["text"], e["label"])}
    assert any(e["text"] == "الدوحة" and e["label"] == "LOC" for e in out["ar"])
