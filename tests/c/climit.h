/*
 * The "C limit" of the benchmark comparison: a problem of shared/PROBLEMS.md written by hand in C
 * (RHS, dense Jacobian, vector-Jacobian products for the adjoint, loss) and driven by climit.c
 * through the same CVODES calls, with the same options, as sundials4j's CvodesSolver (solve) and
 * AdjointEngine (checkpointed adjoint gradient) make for the problem's Objective.
 *
 * One binary per problem: climit.c (driver, timing, JSON) linked with one climit_<problem>.c that
 * defines CLIMIT_MODEL.
 */
#ifndef CLIMIT_H
#define CLIMIT_H

typedef struct {
  const char* name;
  void (*setup)(void);     /* fills computed tables (output times, ...) before anything else; may be NULL */
  int n, np;
  int lmm;                 /* CV_BDF or CV_ADAMS, for the solve and the gradient (forward and backward) */
  const double* p;         /* nominal parameters */
  const double* y0;

  /* solve: final state at the last of these output times */
  double solve_rtol;
  const double* solve_atol; /* n entries */
  int solve_nt;
  const double* solve_times;

  /* gradient: tolerances and adjoint options of the Objective */
  double grad_rtol;
  const double* grad_atol;  /* n entries */
  int grad_nt;
  const double* grad_times; /* may start at t0 = 0 */
  double rtolB, atolB, rtolQB, atolQB;
  double rtolQ, atolQ;      /* forward quadrature of the integrand (only with integrand) */
  int ckpt_steps;
  int interp;               /* CV_HERMITE or CV_POLYNOMIAL */

  /* ydot = f(t, y, p) */
  void (*rhs)(double t, const double* y, const double* p, double* ydot);
  /* J = f_y, column-major n x n (J[i + j n] = df_i/dy_j), zeroed by the caller */
  void (*jac)(double t, const double* y, const double* p, double* J);
  /* ay = f_y^T lambda (n), ap = f_p^T lambda (np); ap may be NULL */
  void (*vjp)(double t, const double* y, const double* p, const double* lambda, double* ay, double* ap);

  /* integral functional G = int_0^T g dt (NULL: none): g, and g_y added to ay (g_p = 0 here) */
  double (*integrand)(double t, const double* y, const double* p);
  void (*integrand_y)(double t, const double* y, const double* p, double* gy_add);

  /* output loss (NULL: none): value, dL/dy(t_k) into dY[k] (zeroed), dL/dp into dP (zeroed) */
  double (*loss)(int nt, const double* times, double* const* ys, const double* p, double** dY, double* dP);
} ClimitModel;

extern const ClimitModel CLIMIT_MODEL;

/* The drivers' failure exits (exit status 2, see climit.c): a CVODES/ARKODE flag < 0 or a NULL from a
 * constructor, named with the program ("climit", "erk") and the problem. */
#include <stdio.h>
#include <stdlib.h>
static inline void climit_check(const char* prog, const char* problem, int flag, const char* what)
{
  if (flag < 0)
  {
    fprintf(stderr, "%s %s: %s failed (%d)\n", prog, problem, what, flag);
    exit(2);
  }
}

static inline void* climit_need(const char* prog, const char* problem, void* p, const char* what)
{
  if (p == NULL)
  {
    fprintf(stderr, "%s %s: %s returned NULL\n", prog, problem, what);
    exit(2);
  }
  return p;
}

/* The drivers' clock, chosen at run time: thread CPU time with CLIMIT_CLOCK=cpu in the environment
 * (`bin/sundials4j bench --cpu-time` and tests/bench-climit-cpu.sh, whose sundials4j rows are timed
 * in thread CPU time too: a ratio of two clocks would mean nothing), otherwise the monotonic wall
 * clock; `cpu` forces thread CPU time (erk_climit.c's go/no-go). */
#include <string.h>
#include <time.h>
static inline double climit_now(int cpu)
{
  static int from_env = -1;
  if (from_env < 0)
  {
    const char* c = getenv("CLIMIT_CLOCK");
    from_env      = c != NULL && strcmp(c, "cpu") == 0;
  }
  struct timespec ts;
  clock_gettime(cpu || from_env ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* qsort's order of doubles (medians of the rounds) */
static inline int climit_cmp_double(const void* a, const void* b)
{
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

#endif
