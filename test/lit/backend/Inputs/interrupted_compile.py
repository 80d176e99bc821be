"""Interrupts `dmc compile` while the C++ compiler runs and checks that nothing stays behind.

The C++ compiler is a wrapper ($CXX) that records its pid and the pid of a child standing for cc1plus,
then waits. For SIGTERM, SIGINT and SIGHUP, with and without the cache: dmc must die of that signal,
the wrapper and its child must be gone, and the output folder, the cache and $TMPDIR must hold no
temporary. Usage: interrupted_compile.py GRAPH WORKDIR
"""
import os
import signal
import subprocess
import sys
import time

graph, work = sys.argv[1], sys.argv[2]
wrapper = os.path.join(work, "slow-cxx.sh")
with open(wrapper, "w") as f:
    f.write('#!/bin/sh\nsleep 300 &\necho "$$ $!" > "$DMC_TEST_PIDS"\nwait\n')
os.chmod(wrapper, 0o755)


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"  # a zombie has exited
    except FileNotFoundError:
        return False


def check(sig, cache_args):
    tmp = os.path.join(work, "tmp")
    out = os.path.join(work, "out")
    cache = os.path.join(work, "cache")
    for d in (tmp, out, cache):
        os.makedirs(d, exist_ok=True)
    pids_file = os.path.join(work, "pids")
    if os.path.exists(pids_file):
        os.unlink(pids_file)
    env = dict(os.environ, CXX=wrapper, TMPDIR=tmp, DMC_TEST_PIDS=pids_file)
    args = ["dmc", "compile", graph, "--test-size", "-o", os.path.join(out, "libmha.so")]
    args += cache_args(cache)
    # As from an interactive shell: lit's workers ignore SIGINT, and dmc keeps an ignored signal ignored.
    def default_signals():
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_DFL)

    proc = subprocess.Popen(args, env=env, stderr=subprocess.PIPE, preexec_fn=default_signals)
    deadline = time.time() + 60
    while not (os.path.exists(pids_file) and os.path.getsize(pids_file) > 0):
        if time.time() > deadline or proc.poll() is not None:
            sys.exit(f"{sig.name}: the compiler never started: {proc.communicate()[1].decode()}")
        time.sleep(0.05)
    time.sleep(0.2)
    wrapper_pid, child_pid = (int(p) for p in open(pids_file).read().split())
    proc.send_signal(sig)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        sys.exit(f"{sig.name}: dmc did not stop")
    errors = []
    if proc.returncode != -sig:
        errors.append(f"exit status {proc.returncode}, expected death by {sig.name}")
    time.sleep(0.2)
    for pid in (wrapper_pid, child_pid):
        if alive(pid):
            errors.append(f"compiler process {pid} still runs")
            os.kill(pid, signal.SIGKILL)
    for d in (out, cache, tmp):
        left = os.listdir(d)
        if left:
            errors.append(f"left in {d}: {left}")
    if errors:
        sys.exit(f"{sig.name} {cache_args('CACHE')}: " + "; ".join(errors))
    print(f"{sig.name} {' '.join(cache_args('CACHE'))}: clean")


for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    check(sig, lambda cache: ["--cache-dir", cache])
    check(sig, lambda cache: ["--no-cache"])
