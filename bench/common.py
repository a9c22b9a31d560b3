"""What the benchmark scripts share: paths, the class path, and the same allocator and thread
settings for us and the peer (see README, Performance)."""
import os
import sys

HOME = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUICK = "--quick" in sys.argv
CP = "target/classes:target/test-classes:" + open(os.path.join(HOME, "target/bench.cp")).read().strip()
ENV = dict(os.environ, GLIBC_TUNABLES=os.environ.get("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1"),
           MKL_ENABLE_INSTRUCTIONS=os.environ.get("MKL_ENABLE_INSTRUCTIONS", "AVX512"))
THREADS = os.environ.get("BENCH_THREADS", "2")
