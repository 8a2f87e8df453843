"""Minimal safetensors writer and strict reader for float32 tensors (REFERENCE.md 2).

Layout: u64 little-endian header length N, N bytes of JSON (space-padded so N % 8 == 0), then the
tensors' bytes, little-endian and row-major, tiling the buffer with no gaps.
"""

import json
import struct
from pathlib import Path

import numpy as np

# The safetensors parser's MAX_HEADER_SIZE (safetensors/src/tensor.rs).
MAX_HEADER_BYTES = 100_000_000


def write_safetensors(path: Path, tensors: dict, metadata: dict = None) -> None:
    """Write {name: float32 ndarray} to path, names in sorted order, with string metadata."""
    header = {}
    chunks = []
    offset = 0
    for name in sorted(tensors):
        array = np.ascontiguousarray(tensors[name], dtype="<f4")
        size = array.nbytes
        header[name] = {"dtype": "F32", "shape": list(array.shape),
                        "data_offsets": [offset, offset + size]}
        chunks.append(array.tobytes())
        offset += size
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}

    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # so the data buffer starts 8-byte aligned
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(text)))
        out.write(text)
        for chunk in chunks:
            out.write(chunk)


def read_safetensors(path: Path):
    """Return ({name: float32 ndarray}, metadata) and check the tiling rules a strict parser
    enforces: offsets contiguous from 0, sizes matching shapes, nothing after the last tensor."""
    raw = Path(path).read_bytes()
    (header_bytes,) = struct.unpack("<Q", raw[:8])
    assert header_bytes <= MAX_HEADER_BYTES, f"read_safetensors: header of {header_bytes} bytes"
    header = json.loads(raw[8:8 + header_bytes].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    buffer = raw[8 + header_bytes:]

    tensors = {}
    expected_begin = 0
    for name, info in sorted(header.items(), key=lambda item: item[1]["data_offsets"][0]):
        begin, end = info["data_offsets"]
        assert info["dtype"] == "F32", f"read_safetensors: {name} has dtype {info['dtype']}"
        assert begin == expected_begin, f"read_safetensors: {name} starts at {begin}, not {expected_begin}"
        assert end - begin == 4 * int(np.prod(info["shape"])), f"read_safetensors: {name} size"
        tensors[name] = np.frombuffer(buffer[begin:end], dtype="<f4").reshape(info["shape"])
        expected_begin = end
    assert expected_begin == len(buffer), (
        f"read_safetensors: tensors end at {expected_begin}, buffer has {len(buffer)} bytes"
    )
    return tensors, metadata
