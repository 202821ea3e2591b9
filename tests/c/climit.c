/*
 * The C limit driver: times the forward solve and the checkpointed adjoint gradient of one problem
 * (CLIMIT_MODEL, from the climit_<problem>.c linked in) with hand-written C callbacks, making the
 * CVODES calls sundials4j makes for the problem's Objective, so that the Java/C ratio measures
 * sundials4j's overhead and nothing else:
 *
 *   - solve (CvodesSolver.solve): CVodeReInit, CVode to each output time; BDF with Newton on a dense
 *     linear solver with the analytic Jacobian, Adams with fixed-point iteration (the objectives'
 *     NonlinearSolver.auto()), max 100000 steps, the problem's solve tolerances;
 *   - gradient (AdjointEngine.run): CVodeReInit, forward quadrature of the integrand (if any),
 *     CVodeAdjInit/CVodeAdjReInit, CVodeF to each output time storing checkpoints; then, from
 *     lambda(t_K) = dL/dy(t_K) and mu = 0, the backward problem (the forward method and nonlinear
 *     solver, dense analytic -f_y^T for Newton) is (re)started at every output time, integrated with CVodeB down to the
 *     previous one, and the jump lambda += dL/dy(t_k) applied; lambda' = -(f_y^T lambda + g_y),
 *     mu' = -(f_p^T lambda). dL/dp = mu(0) + dL/dp (explicit), dL/dy0 = lambda(0).
 *
 * Like the Java harness, each task's integrator is made once and reused for every timed run (the
 * backward problem is created on the first gradient and re-initialised afterwards); a second
 * timing makes, runs and frees everything per run (create+run+free).
 *
 * Timing as the Java harness: a first run sizes the rounds (runs per round = batch seconds / its
 * time, unless given), one warm-up round, then <rounds> measured rounds; a round's time is its
 * mean per run; the median, min and half-range are over the rounds.
 *
 * usage: climit_<problem> [runs-per-round (default 0: sized)] [rounds (9)] [batch seconds (0.1)]
 * Prints one JSON line to stdout; exits 2 if CVODES fails.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cvodes/cvodes.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunnonlinsol/sunnonlinsol_fixedpoint.h>
#include <sunmatrix/sunmatrix_dense.h>

#include "climit.h"

#define MAX_STEPS 100000L
#define D(v) N_VGetArrayPointer(v)

static const ClimitModel* M = &CLIMIT_MODEL;

static void check(int flag, const char* what) { climit_check("climit", M->name, flag, what); }

static void* need(void* p, const char* what) { return climit_need("climit", M->name, p, what); }

/* ---- CVODES callbacks: thin wrappers over the model's hand-written functions ---- */

typedef struct {
  double* jac; /* n x n scratch for the backward Jacobian */
  double* ay;  /* n */
  double* ap;  /* np */
} Scratch;

static int f_cb(sunrealtype t, N_Vector y, N_Vector ydot, void* ud)
{
  (void)ud;
  M->rhs(t, D(y), M->p, D(ydot));
  return 0;
}

static int jac_cb(sunrealtype t, N_Vector y, N_Vector fy, SUNMatrix J, void* ud, N_Vector t1,
                  N_Vector t2, N_Vector t3)
{
  (void)fy; (void)ud; (void)t1; (void)t2; (void)t3;
  M->jac(t, D(y), M->p, SM_DATA_D(J));
  return 0;
}

static int fq_cb(sunrealtype t, N_Vector y, N_Vector qdot, void* ud)
{
  (void)ud;
  D(qdot)[0] = M->integrand(t, D(y), M->p);
  return 0;
}

/* lambda' = -(f_y^T lambda + g_y) */
static int fb_cb(sunrealtype t, N_Vector y, N_Vector yB, N_Vector yBdot, void* ud)
{
  (void)ud;
  double* out = D(yBdot);
  M->vjp(t, D(y), M->p, D(yB), out, NULL);
  if (M->integrand_y) { M->integrand_y(t, D(y), M->p, out); }
  for (int i = 0; i < M->n; i++) { out[i] = -out[i]; }
  return 0;
}

/* mu' = -f_p^T lambda */
static int fqb_cb(sunrealtype t, N_Vector y, N_Vector yB, N_Vector qBdot, void* ud)
{
  (void)ud;
  double* out = D(qBdot);
  M->vjp(t, D(y), M->p, D(yB), NULL, out);
  for (int j = 0; j < M->np; j++) { out[j] = -out[j]; }
  return 0;
}

/* d(lambda')/d(lambda) = -f_y^T */
static int jacb_cb(sunrealtype t, N_Vector y, N_Vector yB, N_Vector fyB, SUNMatrix JB, void* ud,
                   N_Vector t1, N_Vector t2, N_Vector t3)
{
  (void)yB; (void)fyB; (void)t1; (void)t2; (void)t3;
  Scratch* s = ud;
  int n      = M->n;
  M->jac(t, D(y), M->p, s->jac);
  double* b = SM_DATA_D(JB);
  for (int j = 0; j < n; j++)
    for (int i = 0; i < n; i++) { b[i + j * n] = -s->jac[j + i * n]; }
  return 0;
}

/* ---- one integrator per task, made once and reused, as CvodesSolver / GradientSolver ---- */

typedef struct {
  int gradient;
  SUNContext ctx;
  N_Vector y, atol, q, yB, qB;
  SUNMatrix A, AB;
  SUNLinearSolver LS, LSB;
  SUNNonlinearSolver NLS, NLSB; /* Adams: fixed-point iteration, as sundials4j's NonlinearSolver.auto() */
  void* mem;
  int which, runs;
  Scratch s;
  double *ys, **ysp, *dYbuf, **dY, *dP;
} Solver;

typedef struct {
  long steps, nfe, fsteps, bsteps;
  int ncheck;
  double loss;
  double* out; /* solve: final state (n); gradient: [dL/dp, dL/dy0] (np + n) */
} Result;

static void solver_create(Solver* s, int gradient)
{
  memset(s, 0, sizeof *s);
  int n       = M->n;
  s->gradient = gradient;
  s->which    = -1;
  check(SUNContext_Create(SUN_COMM_NULL, &s->ctx), "SUNContext_Create");
  s->y    = need(N_VNew_Serial(n, s->ctx), "N_VNew_Serial");
  s->atol = need(N_VNew_Serial(n, s->ctx), "N_VNew_Serial");
  memcpy(D(s->y), M->y0, sizeof(double) * (size_t)n);
  memcpy(D(s->atol), gradient ? M->grad_atol : M->solve_atol, sizeof(double) * (size_t)n);
  s->mem = need(CVodeCreate(M->lmm, s->ctx), "CVodeCreate");
  check(CVodeInit(s->mem, f_cb, 0.0, s->y), "CVodeInit");
  check(CVodeSetUserData(s->mem, &s->s), "CVodeSetUserData");
  check(CVodeSVtolerances(s->mem, gradient ? M->grad_rtol : M->solve_rtol, s->atol), "CVodeSVtolerances");
  check(CVodeSetMaxNumSteps(s->mem, MAX_STEPS), "CVodeSetMaxNumSteps");
  if (M->lmm == CV_ADAMS)
  {
    s->NLS = need(SUNNonlinSol_FixedPoint(s->y, 0, s->ctx), "SUNNonlinSol_FixedPoint");
    check(CVodeSetNonlinearSolver(s->mem, s->NLS), "CVodeSetNonlinearSolver");
  }
  else
  {
    s->A  = need(SUNDenseMatrix(n, n, s->ctx), "SUNDenseMatrix");
    s->LS = need(SUNLinSol_Dense(s->y, s->A, s->ctx), "SUNLinSol_Dense");
    check(CVodeSetLinearSolver(s->mem, s->LS, s->A), "CVodeSetLinearSolver");
    check(CVodeSetJacFn(s->mem, jac_cb), "CVodeSetJacFn");
  }
  if (!gradient) { return; }
  int nt     = M->grad_nt;
  s->s.jac   = need(malloc(sizeof(double) * (size_t)(n * n)), "malloc");
  s->s.ay    = need(malloc(sizeof(double) * (size_t)n), "malloc");
  s->s.ap    = need(malloc(sizeof(double) * (size_t)M->np), "malloc");
  s->ys      = need(malloc(sizeof(double) * (size_t)(nt * n)), "malloc");
  s->dYbuf   = need(malloc(sizeof(double) * (size_t)(nt * n)), "malloc");
  s->ysp     = need(malloc(sizeof(double*) * (size_t)nt), "malloc");
  s->dY      = need(malloc(sizeof(double*) * (size_t)nt), "malloc");
  s->dP      = need(malloc(sizeof(double) * (size_t)M->np), "malloc");
  for (int k = 0; k < nt; k++)
  {
    s->ysp[k] = s->ys + k * n;
    s->dY[k]  = s->dYbuf + k * n;
  }
  s->q  = need(N_VNew_Serial(1, s->ctx), "N_VNew_Serial");
  s->yB = need(N_VNew_Serial(n, s->ctx), "N_VNew_Serial");
  s->qB = need(N_VNew_Serial(M->np, s->ctx), "N_VNew_Serial");
}

static void solver_free(Solver* s)
{
  CVodeFree(&s->mem); /* frees the adjoint memory and the backward problem */
  if (s->LS) { SUNLinSolFree(s->LS); }
  if (s->A) { SUNMatDestroy(s->A); }
  if (s->NLS) { SUNNonlinSolFree(s->NLS); }
  if (s->NLSB) { SUNNonlinSolFree(s->NLSB); }
  if (s->LSB) { SUNLinSolFree(s->LSB); }
  if (s->AB) { SUNMatDestroy(s->AB); }
  N_VDestroy(s->y);
  N_VDestroy(s->atol);
  if (s->gradient)
  {
    N_VDestroy(s->q);
    N_VDestroy(s->yB);
    N_VDestroy(s->qB);
    free(s->s.jac); free(s->s.ay); free(s->s.ap);
    free(s->ys); free(s->dYbuf); free(s->ysp); free(s->dY); free(s->dP);
  }
  SUNContext_Free(&s->ctx);
}

static void begin(Solver* s)
{
  memcpy(D(s->y), M->y0, sizeof(double) * (size_t)M->n);
  check(CVodeReInit(s->mem, 0.0, s->y), "CVodeReInit");
}

static void solve(Solver* s, Result* r)
{
  begin(s);
  double t;
  for (int k = 0; k < M->solve_nt; k++)
  {
    if (M->solve_times[k] == 0.0) { continue; }
    check(CVode(s->mem, M->solve_times[k], s->y, &t, CV_NORMAL), "CVode");
  }
  memcpy(r->out, D(s->y), sizeof(double) * (size_t)M->n);
  check(CVodeGetNumSteps(s->mem, &r->steps), "CVodeGetNumSteps");
  check(CVodeGetNumRhsEvals(s->mem, &r->nfe), "CVodeGetNumRhsEvals");
  s->runs++;
}

/* AdjointEngine.restartBackward: create on first use, else re-initialise (quadrature too). */
static void restart_backward(Solver* s, double t)
{
  void* mem = s->mem;
  if (s->which >= 0)
  {
    check(CVodeReInitB(mem, s->which, t, s->yB), "CVodeReInitB");
    check(CVodeQuadReInitB(mem, s->which, s->qB), "CVodeQuadReInitB");
    return;
  }
  check(CVodeCreateB(mem, M->lmm, &s->which), "CVodeCreateB");
  check(CVodeInitB(mem, s->which, fb_cb, t, s->yB), "CVodeInitB");
  check(CVodeSetUserDataB(mem, s->which, &s->s), "CVodeSetUserDataB");
  check(CVodeSStolerancesB(mem, s->which, M->rtolB, M->atolB), "CVodeSStolerancesB");
  check(CVodeSetMaxNumStepsB(mem, s->which, MAX_STEPS), "CVodeSetMaxNumStepsB");
  if (M->lmm == CV_ADAMS)
  {
    s->NLSB = need(SUNNonlinSol_FixedPoint(s->yB, 0, s->ctx), "SUNNonlinSol_FixedPoint");
    check(CVodeSetNonlinearSolverB(mem, s->which, s->NLSB), "CVodeSetNonlinearSolverB");
  }
  else
  {
    s->AB  = need(SUNDenseMatrix(M->n, M->n, s->ctx), "SUNDenseMatrix");
    s->LSB = need(SUNLinSol_Dense(s->yB, s->AB, s->ctx), "SUNLinSol_Dense");
    check(CVodeSetLinearSolverB(mem, s->which, s->LSB, s->AB), "CVodeSetLinearSolverB");
    check(CVodeSetJacFnB(mem, s->which, jacb_cb), "CVodeSetJacFnB");
  }
  check(CVodeQuadInitB(mem, s->which, fqb_cb, s->qB), "CVodeQuadInitB");
  check(CVodeQuadSStolerancesB(mem, s->which, M->rtolQB, M->atolQB), "CVodeQuadSStolerancesB");
  check(CVodeSetQuadErrConB(mem, s->which, 1), "CVodeSetQuadErrConB");
}

static void gradient(Solver* s, Result* r)
{
  int n = M->n, np = M->np, nt = M->grad_nt;
  const double* times = M->grad_times;
  void* mem = s->mem;
  begin(s);
  if (M->integrand)
  {
    N_VConst(0.0, s->q);
    if (s->runs == 0)
    {
      check(CVodeQuadInit(mem, fq_cb, s->q), "CVodeQuadInit");
      check(CVodeQuadSStolerances(mem, M->rtolQ, M->atolQ), "CVodeQuadSStolerances");
      check(CVodeSetQuadErrCon(mem, 1), "CVodeSetQuadErrCon");
    }
    else { check(CVodeQuadReInit(mem, s->q), "CVodeQuadReInit"); }
  }
  if (s->runs == 0) { check(CVodeAdjInit(mem, M->ckpt_steps, M->interp), "CVodeAdjInit"); }
  else { check(CVodeAdjReInit(mem), "CVodeAdjReInit"); }

  /* forward pass with checkpoints */
  double t;
  r->ncheck = 0;
  for (int k = 0; k < nt; k++)
  {
    if (times[k] == 0.0) { memcpy(s->ysp[k], M->y0, sizeof(double) * (size_t)n); continue; }
    check(CVodeF(mem, times[k], s->y, &t, CV_NORMAL, &r->ncheck), "CVodeF");
    memcpy(s->ysp[k], D(s->y), sizeof(double) * (size_t)n);
  }
  check(CVodeGetNumSteps(mem, &r->fsteps), "CVodeGetNumSteps");
  check(CVodeGetNumRhsEvals(mem, &r->nfe), "CVodeGetNumRhsEvals");
  double value = 0;
  if (M->integrand && times[nt - 1] > 0.0)
  {
    check(CVodeGetQuad(mem, &t, s->q), "CVodeGetQuad");
    value += D(s->q)[0];
  }
  memset(s->dYbuf, 0, sizeof(double) * (size_t)(nt * n));
  memset(s->dP, 0, sizeof(double) * (size_t)np);
  if (M->loss) { value += M->loss(nt, times, s->ysp, M->p, s->dY, s->dP); }

  /* backward pass with a jump at every output time */
  double* lambda = D(s->yB);
  memcpy(lambda, s->dY[nt - 1], sizeof(double) * (size_t)n);
  N_VConst(0.0, s->qB);
  double tcur = times[nt - 1];
  r->bsteps   = 0;
  for (int k = nt - 2; k >= -1; k--)
  {
    double tnext = k >= 0 ? times[k] : 0.0;
    if (tnext < tcur)
    {
      long nst, nfe;
      restart_backward(s, tcur);
      check(CVodeB(mem, tnext, CV_NORMAL), "CVodeB");
      check(CVodeGetB(mem, s->which, &t, s->yB), "CVodeGetB");
      check(CVodeGetQuadB(mem, s->which, &t, s->qB), "CVodeGetQuadB");
      void* memB = CVodeGetAdjCVodeBmem(mem, s->which);
      check(CVodeGetNumSteps(memB, &nst), "CVodeGetNumSteps (backward)");
      check(CVodeGetNumRhsEvals(memB, &nfe), "CVodeGetNumRhsEvals (backward)");
      r->bsteps += nst;
      r->nfe += nfe;
    }
    if (k >= 0)
      for (int i = 0; i < n; i++) { lambda[i] += s->dY[k][i]; }
    tcur = tnext;
  }
  for (int j = 0; j < np; j++) { r->out[j] = D(s->qB)[j] + s->dP[j]; }
  memcpy(r->out + np, lambda, sizeof(double) * (size_t)n);
  r->loss  = value;
  r->steps = r->fsteps + r->bsteps;
  s->runs++;
}

/* ---- timing ---- */

#define MAX_ROUNDS 100

/* One timing: per-run mean of each measured round, in run order. */
typedef struct {
  int runs, rounds;
  double means[MAX_ROUNDS];
} Timing;

typedef void (*Task)(Solver*, Result*);

/* One run of `task`: on the reused solver `s`, or (s == NULL) made, run and freed. */
static void run_once(Task task, int gradient, Solver* s, Result* r)
{
  if (s != NULL)
  {
    task(s, r);
    return;
  }
  Solver own;
  solver_create(&own, gradient);
  task(&own, r);
  solver_free(&own);
}

/*
 * A first run sizes the rounds (runs = batch_s / its time, unless given), then one warm-up round
 * and the measured rounds. reuse: one integrator for every run, as the Java harness keeps its
 * CvodesSolver and GradientSolver; else each run makes and frees everything.
 */
static void time_task(Task task, int gradient, int reuse, int runs, double batch_s, Timing* tm, Result* r)
{
  Solver s;
  if (reuse) { solver_create(&s, gradient); }
  double t0 = climit_now(0);
  run_once(task, gradient, reuse ? &s : NULL, r);
  double first = climit_now(0) - t0;
  if (runs <= 0)
  {
    double k = batch_s / (first > 1e-7 ? first : 1e-7);
    runs     = k < 1 ? 1 : k > 100000 ? 100000 : (int)k + 1;
  }
  tm->runs = runs;
  for (int round = -1; round < tm->rounds; round++)
  {
    t0 = climit_now(0);
    for (int i = 0; i < runs; i++) { run_once(task, gradient, reuse ? &s : NULL, r); }
    if (round >= 0) { tm->means[round] = (climit_now(0) - t0) / runs; }
  }
  if (reuse) { solver_free(&s); }
}

/* "<key>":{"runs_per_round":..,"times_s":[..],"median_s":..,"min_s":..,"half_range_s":..} */
static void print_timing(const char* key, const Timing* tm)
{
  double v[MAX_ROUNDS];
  int n = tm->rounds;
  memcpy(v, tm->means, sizeof(double) * (size_t)n);
  qsort(v, (size_t)n, sizeof(double), climit_cmp_double);
  double median = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  printf("\"%s\":{\"runs_per_round\":%d,\"times_s\":[", key, tm->runs);
  for (int i = 0; i < n; i++) { printf(i ? ",%.6e" : "%.6e", tm->means[i]); }
  printf("],\"median_s\":%.6e,\"min_s\":%.6e,\"half_range_s\":%.6e}", median, v[0],
         0.5 * (v[n - 1] - v[0]));
}

/* An answer value: JSON has no NaN or infinity, so a non-finite one is printed as null. */
static void print_number(double v)
{
  if (isfinite(v)) { printf("%.17g", v); }
  else { printf("null"); }
}

static void print_array(const char* key, const double* v, int n)
{
  printf(",\"%s\":[", key);
  for (int i = 0; i < n; i++)
  {
    if (i) { printf(","); }
    print_number(v[i]);
  }
  printf("]");
}

static void print_task(const char* name, const Timing* reused, const Timing* created, const Result* r,
                       int is_gradient)
{
  printf(",\"%s\":{", name);
  print_timing("reused", reused);
  printf(",");
  print_timing("created", created);
  printf(",\"steps\":%ld,\"rhs_evals\":%ld", r->steps, r->nfe);
  if (!is_gradient) { print_array("y_final", r->out, M->n); }
  else
  {
    printf(",\"forward_steps\":%ld,\"backward_steps\":%ld,\"checkpoints\":%d,\"loss\":",
           r->fsteps, r->bsteps, r->ncheck);
    print_number(r->loss);
    print_array("gradient", r->out, M->np + M->n);
  }
  printf("}");
}

int main(int argc, char** argv)
{
  if (argc > 4 || (argc > 1 && strcmp(argv[1], "-h") == 0))
  {
    fprintf(stderr, "usage: %s [runs-per-round (0: sized by batch seconds)] [rounds] [batch seconds]\n",
            argv[0]);
    return 2;
  }
  int runs       = argc > 1 ? atoi(argv[1]) : 0;
  int rounds     = argc > 2 ? atoi(argv[2]) : 9;
  double batch_s = argc > 3 ? atof(argv[3]) : 0.1;
  rounds         = rounds < 1 ? 1 : rounds > MAX_ROUNDS ? MAX_ROUNDS : rounds;
  if (M->setup) { M->setup(); }
  double ysolve[M->n], grad[M->np + M->n];
  Result rs = {.out = ysolve}, rg = {.out = grad};
  Timing sr = {.rounds = rounds}, sc = {.rounds = rounds}, gr = {.rounds = rounds}, gc = {.rounds = rounds};

  time_task(solve, 0, 1, runs, batch_s, &sr, &rs);
  time_task(solve, 0, 0, runs, batch_s, &sc, &rs);
  time_task(gradient, 1, 1, runs, batch_s, &gr, &rg);
  time_task(gradient, 1, 0, runs, batch_s, &gc, &rg);

  printf("{\"bench\":\"climit\",\"problem\":\"%s\",\"sundials\":\"%s\",\"method\":\"%s\"", M->name,
         SUNDIALS_VERSION, M->lmm == CV_BDF ? "BDF" : "ADAMS");
  print_task("solve", &sr, &sc, &rs, 0);
  print_task("gradient", &gr, &gc, &rg, 1);
  printf("}\n");
  return 0;
}
