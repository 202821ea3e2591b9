/*
 * sundials4j benchmark hooks: time the C->Java callback crossing from the C side.
 *
 * Why in C: the cost that matters is what CVODES pays per RHS evaluation, i.e. a call of the shim
 * s4j_rhs from C, including staging copies, the JavaCPP transition and the Java dispatch. Timing
 * that from Java would add a Java->C transition per call; here a C loop makes `iters` calls and
 * Java sees one transition per loop. The pure C RHS loop below is the same workload without Java,
 * called through a function pointer as CVODES calls it.
 *
 * Only benchmarks use these functions; they live in the JNI library because s4j_rhs is static
 * to it (same translation unit as sundials4j_glue.h).
 */
#ifndef SUNDIALS4J_BENCH_H
#define SUNDIALS4J_BENCH_H

#include <time.h>
#include "sundials4j_glue.h"

static long long s4j_bench_now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The C twin of the Java bench models: ROBER for n = 3 (p = 0.04, 1e4, 3e7), otherwise a 1-D
 * diffusion stencil with zero boundaries. Same arithmetic as the Java side, so the only difference
 * in timing is the crossing. */
static int s4j_bench_c_rhs_body(sunrealtype t, N_Vector y, N_Vector ydot, void* user_data)
{
  (void)t; (void)user_data;
  const double* u = N_VGetArrayPointer(y);
  double* du      = N_VGetArrayPointer(ydot);
  sunindextype n  = N_VGetLength(y);
  if (n == 3)
  {
    du[0] = -0.04 * u[0] + 1.0e4 * u[1] * u[2];
    du[2] = 3.0e7 * u[1] * u[1];
    du[1] = -du[0] - du[2];
    return 0;
  }
  /* boundaries outside the loop so both compilers can vectorise the interior */
  du[0] = -2.0 * u[0] + u[1];
  for (sunindextype i = 1; i < n - 1; i++) { du[i] = u[i - 1] - 2.0 * u[i] + u[i + 1]; }
  du[n - 1] = u[n - 2] - 2.0 * u[n - 1];
  return 0;
}

/* Calls the real RHS shim `iters` times on bridge b from this thread's stack, i.e. through the
 * upcall (its Java target evaluates the model); returns elapsed ns, or -1 if a call failed. */
inline long long s4j_bench_shim_rhs(S4jBridge* b, N_Vector y, N_Vector ydot, long long iters)
{
  CVRhsFn f      = s4j_rhs_fn();
  long long t0   = s4j_bench_now_ns();
  for (long long i = 0; i < iters; i++)
  {
    if (f((double)i, y, ydot, b) != 0) { return -1; }
  }
  return s4j_bench_now_ns() - t0;
}

static int s4j_bench_job_rhs(S4jBridge* b)
{
  CVRhsFn f = s4j_rhs_fn();
  for (long long i = 0; i < b->run.count; i++)
  {
    if (f((double)i, b->run.y, b->run.v, b) != 0) { return -1; }
  }
  return 0;
}

/* The same calls as s4j_bench_shim_rhs, but made on the bridge's coroutine as CVODES makes them
 * during a solve: each call yields to the Java loop that serves it (s4j_run_cvode's convention).
 * Java times the whole loop, so the cost per call includes its s4j_resume downcall. */
inline int s4j_bench_run_rhs(S4jBridge* b, N_Vector y, N_Vector ydot, long long iters)
{
  S4jRun* r = s4j_run_args(b);
  r->y      = y;
  r->v      = ydot;
  r->count  = iters;
  return s4j_run_start(b, s4j_bench_job_rhs);
}

static int s4j_bench_job_poll(S4jBridge* b)
{
  for (long long i = 0; i < b->run.count; i++)
  {
    if (s4j_poll(b, (double)i) != 0) { return -1; }
  }
  return 0;
}

/* `iters` heartbeats of a native-replay run (s4j_poll: no evaluation, only "may the run go on?"),
 * made on the bridge's coroutine as a replay run makes them; Java serves each and resumes. */
inline int s4j_bench_run_poll(S4jBridge* b, long long iters)
{
  S4jRun* r = s4j_run_args(b);
  r->count  = iters;
  return s4j_run_start(b, s4j_bench_job_poll);
}

/* The same loop over the pure C RHS; returns elapsed ns. */
inline long long s4j_bench_c_rhs(N_Vector y, N_Vector ydot, long long iters)
{
  /* volatile: CVODES reaches a C RHS through a pointer, so the baseline must not be inlined */
  CVRhsFn volatile f = s4j_bench_c_rhs_body;
  long long t0       = s4j_bench_now_ns();
  for (long long i = 0; i < iters; i++)
  {
    if (f((double)i, y, ydot, NULL) != 0) { return -1; }
  }
  return s4j_bench_now_ns() - t0;
}

#endif
