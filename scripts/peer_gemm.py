#!/usr/bin/python3
"""dmcrt_matmul_tiled against torch.mm on BERT shapes, interleaved, 20 runs each (median).

usage: peer_gemm.py LIB.so THREADS   (LIB.so: any library that exports libdmcrt, e.g. the one
scripts/peer_bench.sh builds; set OMP_NUM_THREADS=THREADS too)
"""
import ctypes, sys, time, numpy as np, torch
class S(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("rank", ctypes.c_int32), ("shape", ctypes.c_int64 * 8), ("stride", ctypes.c_int64 * 8)]
def desc(a):
    s = S(); s.data = a.ctypes.data; s.rank = a.ndim
    for i, (d, st) in enumerate(zip(a.shape, a.strides)): s.shape[i] = d; s.stride[i] = st // 4
    return s
lib = ctypes.CDLL(sys.argv[1]); t = int(sys.argv[2]); torch.set_num_threads(t)
lib.dmcrt_matmul_tiled.argtypes = [ctypes.POINTER(S)] * 5 + [ctypes.c_float, ctypes.c_int32, ctypes.c_float, ctypes.c_float]
for (M, N, K) in [(512, 3072, 768), (512, 768, 768), (512, 768, 3072)]:
    a = np.random.rand(M, K).astype(np.float32); b = np.random.rand(K, N).astype(np.float32); c = np.zeros((M, N), np.float32)
    da, db, dc = desc(a), desc(b), desc(c); ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    f = lambda: lib.dmcrt_matmul_tiled(ctypes.byref(da), ctypes.byref(db), None, None, ctypes.byref(dc), 1.0, 0, 1.0, 1.0)
    g = lambda: torch.mm(ta, tb)
    f(); g(); td, tt = [], []
    for _ in range(20):
        s = time.perf_counter(); f(); td.append(time.perf_counter() - s)
        s = time.perf_counter(); g(); tt.append(time.perf_counter() - s)
    fl = 2 * M * N * K
    print("%dx%dx%d threads %d: dmc tiled %.0f GFLOP/s, torch.mm %.0f GFLOP/s, max diff %.1e" % (M, N, K, t, fl / sorted(td)[10] / 1e9, fl / sorted(tt)[10] / 1e9, float(np.abs(c - g().numpy()).max())))
