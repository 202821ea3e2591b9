/*
 * tests/ffm: the native half of the FFM crossing measurement (tests/bench-ffm.sh).
 *
 * It compiles the shipped glue (native/include/sundials4j_glue.h and sundials4j_bench.h) into a
 * plain shared library with a C ABI, so that JDK 22+ code can reach the very same shims, staging
 * copies and coroutine through java.lang.foreign instead of JavaCPP's JNI:
 *   - upcall: the shim's process-wide entry point (s4j_install_callback) is an FFM upcall stub;
 *   - downcall: the coroutine run is resumed by an FFM downcall of s4j_resume_at;
 *   - pointers: a C loop calls an FFM upcall stub with (t, y*, ydot*) and no staging at all.
 * Nothing here is shipped; the JNI library is built from the same headers by JavaCPP.
 */
#include "sundials4j_bench.h"

extern "C" {

/* A context, a bridge with y/ydot staging buffers of n doubles, and two serial vectors. */
typedef struct FfmBench {
  SUNContext ctx;
  S4jBridge* bridge;
  N_Vector y, ydot;
} FfmBench;

FfmBench* ffm_bench_new(long long n)
{
  FfmBench* fb = (FfmBench*)calloc(1, sizeof(FfmBench));
  if (fb == NULL || SUNContext_Create(SUN_COMM_NULL, &fb->ctx) != 0) { return NULL; }
  fb->bridge = s4j_bridge_new(0, n);
  if (fb->bridge == NULL || s4j_bridge_alloc(fb->bridge, S4J_BUF_Y, n) == NULL
      || s4j_bridge_alloc(fb->bridge, S4J_BUF_YDOT, n) == NULL) { return NULL; }
  fb->y    = N_VNew_Serial((sunindextype)n, fb->ctx);
  fb->ydot = N_VNew_Serial((sunindextype)n, fb->ctx);
  return fb;
}

void ffm_bench_free(FfmBench* fb)
{
  if (fb == NULL) { return; }
  s4j_bridge_free(fb->bridge);
  N_VDestroy(fb->y);
  N_VDestroy(fb->ydot);
  SUNContext_Free(&fb->ctx);
  free(fb);
}

S4jBridge* ffm_bench_bridge(FfmBench* fb) { return fb->bridge; }
double* ffm_bench_y(FfmBench* fb) { return N_VGetArrayPointer(fb->y); }
double* ffm_bench_ydot(FfmBench* fb) { return N_VGetArrayPointer(fb->ydot); }
double* ffm_bench_staging(FfmBench* fb, int which) { return fb->bridge->buf[which]; }
double* ffm_bench_run_io(FfmBench* fb) { return s4j_run_io(fb->bridge); }

/* (b) the shipped shim, its Java entry point an FFM upcall stub */
void ffm_install_callback(S4jCallback cb) { s4j_install_callback(cb); }
long long ffm_shim_rhs(FfmBench* fb, long long iters) { return s4j_bench_shim_rhs(fb->bridge, fb->y, fb->ydot, iters); }

/* (c) the shipped coroutine run, served by FFM downcalls of s4j_resume_at */
int ffm_run_rhs(FfmBench* fb, long long iters) { return s4j_bench_run_rhs(fb->bridge, fb->y, fb->ydot, iters); }
int ffm_resume_at(long long bridge, int result) { return s4j_resume_at(bridge, result); }
int ffm_bridge_error_code(long long bridge) { return s4j_bridge_error_code((S4jBridge*)(intptr_t)bridge); }
void ffm_abandon(long long bridge) { s4j_abandon((S4jBridge*)(intptr_t)bridge); }

/* the floor: the same loop over the model written in C */
long long ffm_c_rhs(FfmBench* fb, long long iters) { return s4j_bench_c_rhs(fb->y, fb->ydot, iters); }

/* (b') the plain upcall the issue describes: (t, y*, ydot*), Java reads and writes the vectors'
 * own memory, no staging, no dispatch table. */
typedef int (*FfmPtrRhs)(double t, double* y, double* ydot);
long long ffm_ptr_rhs(FfmPtrRhs f, FfmBench* fb, long long iters)
{
  double* y         = N_VGetArrayPointer(fb->y);
  double* ydot      = N_VGetArrayPointer(fb->ydot);
  long long t0      = s4j_bench_now_ns();
  for (long long i = 0; i < iters; i++)
  {
    if (f((double)i, y, ydot) != 0) { return -1; }
  }
  return s4j_bench_now_ns() - t0;
}

} /* extern "C" */
