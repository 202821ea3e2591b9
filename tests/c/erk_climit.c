/*
 * Go/no-go measurement for a non-stiff explicit Runge–Kutta path: ARKODE's ERKStep (SUNDIALS' own
 * explicit RK tables) on one problem of the C limit (CLIMIT_MODEL from the climit_<problem>.c
 * linked in: its RHS, Jacobian, VJP, loss, output times and tolerances), with hand-written C
 * callbacks, so that the figures bound what any binding of ERKStep can reach.
 *
 *   - solve: ERKStepReInit, ARKodeEvolve (ARK_NORMAL) to each output time, ARKODE's default step
 *     controller and interpolation, the model's solve tolerances times a factor;
 *   - gradient: forward sensitivities as one augmented system z = [y, S] with S = dy/dθ, θ = [p, y0],
 *     S' = f_y S + [f_p | 0], S(0) = [0 | I], every component in the error test (as the pure-Java
 *     variational contenders integrate theirs); dL/dθ = Σ_k dL/dy(t_k) S(t_k) + ∂L/∂p. The model's
 *     gradient tolerances (states) and the largest state atol (sensitivities) times a factor.
 *
 * Errors are the benchmark's (bench/compare/Case.java): the solve's at the last output in units of
 * the task's tolerance, max_i |y_i - ref_i| / (rtol |ref_i| + atol_i) at the factor-1 setting; the
 * gradient's relative, max |g - ref| / max(|ref|, 1e-3 ‖ref‖∞) (problems/GradientError.java). The
 * references are independent of ERK: CVODES (BDF with Newton on a dense solver) at rtol 1e-12 on the
 * same state system, and on the same augmented system for the gradient.
 *
 * Timing as climit.c: one integrator per (table, factor), re-initialised per run; a first run sizes
 * the rounds (0.05 s each), one warm-up round, 7 measured rounds; the median per-run time is printed.
 *
 * usage: erk_<problem> [--fused]   prints one JSON line per (task, outputs, table, factor) to stdout;
 * --fused enables SUNDIALS' fused vector operations on the integrator's vectors, as the binding does
 * (sundials4j_erk.h)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arkode/arkode.h>
#include <arkode/arkode_erkstep.h>
#include <cvodes/cvodes.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

#include "climit.h"

#define D(v) N_VGetArrayPointer(v)
#define ROUNDS 7
#define MAX_STEPS 1000000L

static const ClimitModel* M = &CLIMIT_MODEL;
static SUNContext ctx;
static int fused; /* --fused */

static void check(int flag, const char* what) { climit_check("erk", M->name, flag, what); }

static void* need(void* p, const char* what) { return climit_need("erk", M->name, p, what); }

/* ---- the systems: states alone, or states with sensitivities (n + n * ns, column-major S) ---- */

static int ns(void) { return M->np + M->n; }

static int f_state(sunrealtype t, N_Vector y, N_Vector ydot, void* ud)
{
  (void)ud;
  M->rhs(t, D(y), M->p, D(ydot));
  return 0;
}

/* [y' ; S'] with S' = f_y S + [f_p | 0]; f_p's rows come from the model's VJP with unit weights */
static int f_aug(sunrealtype t, N_Vector z, N_Vector zdot, void* ud)
{
  (void)ud;
  int n = M->n, np = M->np, k = ns();
  const double* y = D(z);
  const double* S = y + n;
  double* out     = D(zdot);
  double J[n * n], fp[n * np], e[n];
  M->rhs(t, y, M->p, out);
  memset(J, 0, sizeof J);
  M->jac(t, y, M->p, J);
  for (int i = 0; i < n; i++)
  {
    memset(e, 0, sizeof e);
    e[i] = 1;
    double ap[np];
    M->vjp(t, y, M->p, e, NULL, ap);
    for (int q = 0; q < np; q++) { fp[i + q * n] = ap[q]; }
  }
  for (int s = 0; s < k; s++)
    for (int i = 0; i < n; i++)
    {
      double acc = s < np ? fp[i + s * n] : 0.0;
      for (int j = 0; j < n; j++) { acc += J[i + j * n] * S[j + s * n]; }
      out[n + i + s * n] = acc;
    }
  return 0;
}

static int dim(int gradient) { return gradient ? M->n * (1 + ns()) : M->n; }

static void initial(int gradient, double* z)
{
  int n = M->n;
  memset(z, 0, sizeof(double) * (size_t)dim(gradient));
  memcpy(z, M->y0, sizeof(double) * (size_t)n);
  if (gradient)
    for (int j = 0; j < n; j++) { z[n + j + (M->np + j) * n] = 1.0; }
}

/* atol per component: the task's state atol, and the largest of them for the sensitivities */
static void tolerances(int gradient, double factor, double* rtol, N_Vector atol)
{
  int n             = M->n;
  const double* a   = gradient ? M->grad_atol : M->solve_atol;
  double amax       = 0;
  for (int i = 0; i < n; i++) { amax = fmax(amax, a[i]); }
  for (int i = 0; i < dim(gradient); i++) { D(atol)[i] = factor * (i < n ? a[i] : amax); }
  *rtol = factor * (gradient ? M->grad_rtol : M->solve_rtol);
}

/* The answer of a trajectory (states at the output times): the final state, or the gradient. */
static void answer(int gradient, double* const* zs, double* out)
{
  int n = M->n, np = M->np, nt = gradient ? M->grad_nt : M->solve_nt;
  if (!gradient)
  {
    memcpy(out, zs[nt - 1], sizeof(double) * (size_t)n);
    return;
  }
  double ybuf[nt * n], dYbuf[nt * n], dP[np];
  double *ys[nt], *dY[nt];
  for (int k = 0; k < nt; k++)
  {
    ys[k] = ybuf + k * n;
    dY[k] = dYbuf + k * n;
    memcpy(ys[k], zs[k], sizeof(double) * (size_t)n);
  }
  memset(dYbuf, 0, sizeof dYbuf);
  memset(dP, 0, sizeof dP);
  M->loss(nt, gradient ? M->grad_times : M->solve_times, ys, M->p, dY, dP);
  for (int s = 0; s < ns(); s++)
  {
    double acc = s < np ? dP[s] : 0.0;
    for (int k = 0; k < nt; k++)
      for (int i = 0; i < n; i++) { acc += dY[k][i] * zs[k][n + i + s * n]; }
    out[s] = acc;
  }
}

/* ---- one integrator (ERKStep with a table, or the CVODES reference), reused across runs ---- */

/* how outputs are reached: ARKODE's default Hermite interpolant, its Lagrange one, or a stop time at
 * every output (each output ends a step: no interpolation error, at least one step per output) */
enum { HERMITE, LAGRANGE, TSTOP };
static const char* MODES[] = {"hermite", "lagrange", "tstop"};

typedef struct {
  int gradient, table, mode; /* table < 0: the CVODES BDF reference */
  N_Vector z, atol;
  SUNMatrix A;
  SUNLinearSolver LS;
  void* mem;
  double* zbuf; /* nt x dim */
  double** zs;
  long steps, nfe;
} Run;

static void run_create(Run* r, int gradient, int table, int mode, double factor)
{
  memset(r, 0, sizeof *r);
  int d = dim(gradient), nt = gradient ? M->grad_nt : M->solve_nt;
  r->gradient = gradient;
  r->table    = table;
  r->mode     = mode;
  r->z        = need(N_VNew_Serial(d, ctx), "N_VNew_Serial");
  r->atol     = need(N_VNew_Serial(d, ctx), "N_VNew_Serial");
  r->zbuf     = need(malloc(sizeof(double) * (size_t)(nt * d)), "malloc");
  r->zs       = need(malloc(sizeof(double*) * (size_t)nt), "malloc");
  for (int k = 0; k < nt; k++) { r->zs[k] = r->zbuf + k * d; }
  double rtol;
  tolerances(gradient, factor, &rtol, r->atol);
  initial(gradient, D(r->z));
  ARKRhsFn f = gradient ? f_aug : f_state;
  if (fused) { check(N_VEnableFusedOps_Serial(r->z, 1), "N_VEnableFusedOps_Serial"); }
  if (table >= 0)
  {
    r->mem = need(ERKStepCreate(f, 0.0, r->z, ctx), "ERKStepCreate");
    check(ERKStepSetTableNum(r->mem, (ARKODE_ERKTableID)table), "ERKStepSetTableNum");
    check(ARKodeSVtolerances(r->mem, rtol, r->atol), "ARKodeSVtolerances");
    check(ARKodeSetMaxNumSteps(r->mem, MAX_STEPS), "ARKodeSetMaxNumSteps");
    if (mode == LAGRANGE) { check(ARKodeSetInterpolantType(r->mem, ARK_INTERP_LAGRANGE), "ARKodeSetInterpolantType"); }
    return;
  }
  r->mem = need(CVodeCreate(CV_BDF, ctx), "CVodeCreate");
  check(CVodeInit(r->mem, f, 0.0, r->z), "CVodeInit");
  check(CVodeSVtolerances(r->mem, rtol, r->atol), "CVodeSVtolerances");
  check(CVodeSetMaxNumSteps(r->mem, MAX_STEPS), "CVodeSetMaxNumSteps");
  r->A  = need(SUNDenseMatrix(d, d, ctx), "SUNDenseMatrix");
  r->LS = need(SUNLinSol_Dense(r->z, r->A, ctx), "SUNLinSol_Dense");
  check(CVodeSetLinearSolver(r->mem, r->LS, r->A), "CVodeSetLinearSolver");
}

static void run_free(Run* r)
{
  if (r->table >= 0) { ARKodeFree(&r->mem); }
  else
  {
    CVodeFree(&r->mem);
    SUNLinSolFree(r->LS);
    SUNMatDestroy(r->A);
  }
  N_VDestroy(r->z);
  N_VDestroy(r->atol);
  free(r->zbuf);
  free(r->zs);
}

static void run_once(Run* r, double* out)
{
  int d = dim(r->gradient), nt = r->gradient ? M->grad_nt : M->solve_nt;
  const double* times = r->gradient ? M->grad_times : M->solve_times;
  ARKRhsFn f = r->gradient ? f_aug : f_state;
  initial(r->gradient, D(r->z));
  if (r->table >= 0) { check(ERKStepReInit(r->mem, f, 0.0, r->z), "ERKStepReInit"); }
  else { check(CVodeReInit(r->mem, 0.0, r->z), "CVodeReInit"); }
  double t;
  for (int k = 0; k < nt; k++)
  {
    if (times[k] > 0.0)
    {
      if (r->table >= 0 && r->mode == TSTOP) { check(ARKodeSetStopTime(r->mem, times[k]), "ARKodeSetStopTime"); }
      if (r->table >= 0) { check(ARKodeEvolve(r->mem, times[k], r->z, &t, ARK_NORMAL), "ARKodeEvolve"); }
      else { check(CVode(r->mem, times[k], r->z, &t, CV_NORMAL), "CVode"); }
    }
    memcpy(r->zs[k], D(r->z), sizeof(double) * (size_t)d);
  }
  if (r->table >= 0)
  {
    check(ARKodeGetNumSteps(r->mem, &r->steps), "ARKodeGetNumSteps");
    check(ERKStepGetNumRhsEvals(r->mem, &r->nfe), "ERKStepGetNumRhsEvals");
  }
  else
  {
    check(CVodeGetNumSteps(r->mem, &r->steps), "CVodeGetNumSteps");
    check(CVodeGetNumRhsEvals(r->mem, &r->nfe), "CVodeGetNumRhsEvals");
  }
  answer(r->gradient, r->zs, out);
}

/* median per-run seconds of ROUNDS rounds of ~0.05 s, after one warm-up round */
static double time_runs(Run* r, double* out)
{
  double t0 = climit_now(1);
  run_once(r, out);
  double first = climit_now(1) - t0, means[ROUNDS];
  int runs     = (int)(0.05 / fmax(first, 1e-7)) + 1;
  for (int round = -1; round < ROUNDS; round++)
  {
    t0 = climit_now(1);
    for (int i = 0; i < runs; i++) { run_once(r, out); }
    if (round >= 0) { means[round] = (climit_now(1) - t0) / runs; }
  }
  qsort(means, ROUNDS, sizeof(double), climit_cmp_double);
  return means[ROUNDS / 2];
}

/* ---- errors as the benchmark measures them ---- */

static double solve_error(const double* y, const double* ref)
{
  double worst = 0;
  for (int i = 0; i < M->n; i++)
  {
    worst = fmax(worst, fabs(y[i] - ref[i]) / (M->solve_rtol * fabs(ref[i]) + M->solve_atol[i]));
  }
  return worst;
}

static double gradient_error(const double* g, const double* ref)
{
  double scale = 0, worst = 0;
  for (int s = 0; s < ns(); s++) { scale = fmax(scale, fabs(ref[s])); }
  for (int s = 0; s < ns(); s++) { worst = fmax(worst, fabs(g[s] - ref[s]) / fmax(fabs(ref[s]), 1e-3 * scale)); }
  return worst;
}

static const struct {
  const char* name;
  int id;
} TABLES[] = {{"DORMAND_PRINCE_7_4_5", ARKODE_DORMAND_PRINCE_7_4_5}, {"VERNER_10_6_7", ARKODE_VERNER_10_6_7},
              {"VERNER_13_7_8", ARKODE_VERNER_13_7_8},               {"FEHLBERG_13_7_8", ARKODE_FEHLBERG_13_7_8},
              {"VERNER_16_8_9", ARKODE_VERNER_16_8_9}};

static const double FACTORS[] = {100, 10, 1, 0.1, 0.01};

int main(int argc, char** argv)
{
  fused = argc == 2 && strcmp(argv[1], "--fused") == 0;
  if (argc > 2 || (argc == 2 && !fused))
  {
    fprintf(stderr, "usage: erk_<problem> [--fused]\n");
    return 2;
  }
  if (M->setup) { M->setup(); }
  check(SUNContext_Create(SUN_COMM_NULL, &ctx), "SUNContext_Create");
  for (int gradient = 0; gradient <= 1; gradient++)
  {
    int k = gradient ? ns() : M->n;
    double ref[k], out[k];
    /* reference: CVODES BDF at rtol 1e-12 (factor 1e-12 / task rtol) */
    Run r;
    run_create(&r, gradient, -1, HERMITE, 1e-12 / (gradient ? M->grad_rtol : M->solve_rtol));
    run_once(&r, ref);
    run_free(&r);
    const char* task = gradient ? "gradient" : "solve";
    for (int mode = HERMITE; mode <= TSTOP; mode++)
    for (size_t t = 0; t < sizeof TABLES / sizeof TABLES[0]; t++)
      for (size_t f = 0; f < sizeof FACTORS / sizeof FACTORS[0]; f++)
      {
        run_create(&r, gradient, TABLES[t].id, mode, FACTORS[f]);
        double sec = time_runs(&r, out);
        double err = gradient ? gradient_error(out, ref) : solve_error(out, ref);
        printf("{\"problem\":\"%s\",\"fused\":%s,\"task\":\"%s\",\"outputs\":\"%s\",\"table\":\"%s\",\"factor\":%g,\"median_s\":%.4e,"
               "\"steps\":%ld,\"rhs_evals\":%ld,\"error\":%.3e}\n",
               M->name, fused ? "true" : "false", task, MODES[mode], TABLES[t].name, FACTORS[f], sec, r.steps, r.nfe, err);
        fflush(stdout);
        run_free(&r);
      }
  }
  SUNContext_Free(&ctx);
  return 0;
}
