/*
 * ROBER all in C: the lower bound for what sundials4j's Java callbacks can reach.
 *
 * It performs the same solve as the Java facade does for RoberFixture (BDF, SUNLinSol_Dense,
 * analytic Jacobian, rtol 1e-4, atol [1e-8, 1e-14, 1e-6], outputs 0.4*10^k for k = 0..11, no
 * rootfinding, default max steps 500) so the Java/C ratio compares callbacks and nothing else.
 *
 * Two timings, both after a warm-up:
 *   - create+solve+free: what CvodesSolver costs when made for one solve;
 *   - solve only: one integrator reused through CVodeReInit, what a reused CvodesSolver costs.
 * Prints one JSON line. Exits non-zero if the final state, step count or RHS evaluation count
 * differ from SUNDIALS' own cvsRoberts_dns.out (argv[1]), so a timing of a wrong solve is never
 * reported.
 *
 * usage: rober_c <cvsRoberts_dns.out> [repetitions]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cvodes/cvodes.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

#define NOUT 12

typedef struct {
  SUNContext ctx;
  N_Vector y, abstol;
  SUNMatrix A;
  SUNLinearSolver LS;
  void* mem;
} Rober;

typedef struct {
  double y[3];
  long nsteps, nfe, nje;
} Result;

/* Same expression order as cvsRoberts_dns.c's f: the last printed digits depend on it. */
static int rober_f(sunrealtype t, N_Vector y, N_Vector ydot, void* user_data)
{
  (void)t; (void)user_data;
  const double* yv = N_VGetArrayPointer(y);
  double* yd       = N_VGetArrayPointer(ydot);
  double yd1 = yd[0] = -0.04 * yv[0] + 1.0e4 * yv[1] * yv[2];
  double yd3 = yd[2] = 3.0e7 * yv[1] * yv[1];
  yd[1]              = -yd1 - yd3;
  return 0;
}

static int rober_jac(sunrealtype t, N_Vector y, N_Vector fy, SUNMatrix J, void* user_data,
                     N_Vector tmp1, N_Vector tmp2, N_Vector tmp3)
{
  (void)t; (void)fy; (void)user_data; (void)tmp1; (void)tmp2; (void)tmp3;
  const double* yv = N_VGetArrayPointer(y);
  SM_ELEMENT_D(J, 0, 0) = -0.04;
  SM_ELEMENT_D(J, 0, 1) = 1.0e4 * yv[2];
  SM_ELEMENT_D(J, 0, 2) = 1.0e4 * yv[1];
  SM_ELEMENT_D(J, 1, 0) = 0.04;
  SM_ELEMENT_D(J, 1, 1) = -1.0e4 * yv[2] - 6.0e7 * yv[1];
  SM_ELEMENT_D(J, 1, 2) = -1.0e4 * yv[1];
  SM_ELEMENT_D(J, 2, 0) = 0.0;
  SM_ELEMENT_D(J, 2, 1) = 6.0e7 * yv[1];
  SM_ELEMENT_D(J, 2, 2) = 0.0;
  return 0;
}

static void die(const char* what, int flag)
{
  fprintf(stderr, "rober_c: %s failed (%d)\n", what, flag);
  exit(2);
}

static void check(int flag, const char* what)
{
  if (flag < 0) { die(what, flag); }
}

static void set_y0(N_Vector y)
{
  double* v = N_VGetArrayPointer(y);
  v[0] = 1.0; v[1] = 0.0; v[2] = 0.0;
}

static void rober_create(Rober* r)
{
  check(SUNContext_Create(SUN_COMM_NULL, &r->ctx), "SUNContext_Create");
  r->y      = N_VNew_Serial(3, r->ctx);
  r->abstol = N_VNew_Serial(3, r->ctx);
  if (r->y == NULL || r->abstol == NULL) { die("N_VNew_Serial", 0); }
  set_y0(r->y);
  double* a = N_VGetArrayPointer(r->abstol);
  a[0] = 1e-8; a[1] = 1e-14; a[2] = 1e-6;
  r->mem = CVodeCreate(CV_BDF, r->ctx);
  if (r->mem == NULL) { die("CVodeCreate", 0); }
  check(CVodeInit(r->mem, rober_f, 0.0, r->y), "CVodeInit");
  check(CVodeSVtolerances(r->mem, 1e-4, r->abstol), "CVodeSVtolerances");
  check(CVodeSetMaxNumSteps(r->mem, 500), "CVodeSetMaxNumSteps");
  r->A  = SUNDenseMatrix(3, 3, r->ctx);
  r->LS = SUNLinSol_Dense(r->y, r->A, r->ctx);
  if (r->A == NULL || r->LS == NULL) { die("dense matrix / linear solver", 0); }
  check(CVodeSetLinearSolver(r->mem, r->LS, r->A), "CVodeSetLinearSolver");
  check(CVodeSetJacFn(r->mem, rober_jac), "CVodeSetJacFn");
}

/* Mirrors CvodesSolver.solve: re-initialise, step to each output time, copy each state out. */
static void rober_solve(Rober* r, Result* res)
{
  static double states[NOUT][3];
  set_y0(r->y);
  check(CVodeReInit(r->mem, 0.0, r->y), "CVodeReInit");
  double tout = 0.4, t;
  for (int k = 0; k < NOUT; k++, tout *= 10.0)
  {
    check(CVode(r->mem, tout, r->y, &t, CV_NORMAL), "CVode");
    memcpy(states[k], N_VGetArrayPointer(r->y), sizeof states[k]);
  }
  memcpy(res->y, states[NOUT - 1], sizeof res->y);
  check(CVodeGetNumSteps(r->mem, &res->nsteps), "CVodeGetNumSteps");
  check(CVodeGetNumRhsEvals(r->mem, &res->nfe), "CVodeGetNumRhsEvals");
  check(CVodeGetNumJacEvals(r->mem, &res->nje), "CVodeGetNumJacEvals");
}

static void rober_free(Rober* r)
{
  CVodeFree(&r->mem);
  SUNLinSolFree(r->LS);
  SUNMatDestroy(r->A);
  N_VDestroy(r->abstol);
  N_VDestroy(r->y);
  SUNContext_Free(&r->ctx);
}

static double now_us(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec * 1e-3;
}

static int cmp_double(const void* a, const void* b)
{
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

static double median(double* v, int n)
{
  qsort(v, (size_t)n, sizeof(double), cmp_double);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Reads the reference final state and counters from cvsRoberts_dns.out. */
static void read_reference(const char* path, char yref[3][32], long* steps, long* nfe)
{
  FILE* f = fopen(path, "r");
  if (f == NULL) { fprintf(stderr, "rober_c: cannot open %s\n", path); exit(2); }
  char line[512], t[32];
  int have_y = 0;
  *steps = *nfe = -1;
  while (fgets(line, sizeof line, f))
  {
    if (sscanf(line, "At t = %31s y = %31s %31s %31s", t, yref[0], yref[1], yref[2]) == 4 &&
        strcmp(t, "4.0000e+10") == 0)
    {
      have_y = 1;
    }
    sscanf(line, "Steps = %ld", steps);
    sscanf(line, "RHS fn evals = %ld", nfe);
  }
  fclose(f);
  if (!have_y || *steps < 0 || *nfe < 0)
  {
    fprintf(stderr, "rober_c: %s has no final state / Steps / RHS fn evals\n", path);
    exit(2);
  }
}

static void verify(const Result* res, const char* refpath)
{
  char yref[3][32], got[32];
  long steps, nfe;
  read_reference(refpath, yref, &steps, &nfe);
  int bad = 0;
  for (int i = 0; i < 3; i++)
  {
    snprintf(got, sizeof got, "%.6e", res->y[i]);
    if (strcmp(got, yref[i]) != 0)
    {
      fprintf(stderr, "rober_c: y%d at t = 4e10 is %s, reference %s\n", i + 1, got, yref[i]);
      bad = 1;
    }
  }
  if (res->nsteps != steps || res->nfe != nfe)
  {
    fprintf(stderr, "rober_c: steps/RHS evals %ld/%ld, reference %ld/%ld\n", res->nsteps, res->nfe,
            steps, nfe);
    bad = 1;
  }
  if (bad) { exit(1); }
}

int main(int argc, char** argv)
{
  if (argc < 2)
  {
    fprintf(stderr, "usage: %s <cvsRoberts_dns.out> [repetitions]\n", argv[0]);
    return 2;
  }
  int reps   = argc > 2 ? atoi(argv[2]) : 2000;
  int warmup = reps / 4 > 50 ? reps / 4 : 50;
  if (reps < 1) { reps = 1; }
  double* full  = malloc(sizeof(double) * (size_t)reps);
  double* solve = malloc(sizeof(double) * (size_t)reps);
  Result res;
  Rober r;

  for (int i = 0; i < warmup + reps; i++)
  {
    double t0 = now_us();
    rober_create(&r);
    rober_solve(&r, &res);
    rober_free(&r);
    if (i >= warmup) { full[i - warmup] = now_us() - t0; }
  }
  verify(&res, argv[1]);

  rober_create(&r);
  for (int i = 0; i < warmup + reps; i++)
  {
    double t0 = now_us();
    rober_solve(&r, &res);
    if (i >= warmup) { solve[i - warmup] = now_us() - t0; }
  }
  rober_free(&r);
  verify(&res, argv[1]);

  double full_med = median(full, reps), solve_med = median(solve, reps);
  printf("{\"bench\":\"rober_c\",\"reps\":%d,\"median_us\":%.2f,\"min_us\":%.2f,"
         "\"solve_only_median_us\":%.2f,\"solve_only_min_us\":%.2f,"
         "\"steps\":%ld,\"rhs_evals\":%ld,\"jac_evals\":%ld,\"y_final\":[%.6e,%.6e,%.6e]}\n",
         reps, full_med, full[0], solve_med, solve[0], res.nsteps, res.nfe, res.nje, res.y[0],
         res.y[1], res.y[2]);
  free(full);
  free(solve);
  return 0;
}
