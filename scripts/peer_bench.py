#!/usr/bin/python3
"""Kept so that older commands still work: the peer comparison is scripts/peers.py now.

    scripts/peer_bench.py --so LIB.so [--so OTHER.so ...] --graph samples/NAME.json [--bind S=N] [--repeat N] [--threads T]

runs scripts/peers.py with the same arguments: the builds against the reference's eager ops and the
other peers (PyTorch eager, torch.compile, FlexAttention, ONNX Runtime), each variant in its own process.
"""
import os
import sys

if __name__ == "__main__":
    driver = os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers.py")
    os.execv(sys.executable, [sys.executable, driver] + sys.argv[1:])
