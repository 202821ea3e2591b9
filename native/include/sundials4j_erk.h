/*
 * sundials4j ERK: ARKODE's explicit Runge-Kutta integrator (ERKStep) on the glue's bridges, for
 * Method.ERK (org.sundials4j.ode). Why: on non-stiff problems CVODES' Adams loses to a high-order
 * explicit RK by method (lotka-volterra: 433 Adams steps against 48 of DormandPrince853), whatever
 * the binding costs; tests/README.md "ERK go/no-go" has the C figures.
 *
 * What it adds to sundials4j_glue.h, and nothing else there changes:
 *   - the ERKStep memory of a bridge (ARKRhsFn has CVRhsFn's signature, so the glue's RHS shim,
 *     with its native tape replay and its Java fallback, serves it unchanged);
 *   - forward sensitivities as one augmented system z = [y, s_0 .. s_{ns-1}] whose RHS shim calls
 *     the glue's RHS and sensitivity-RHS shims on views of z (native replay of the JVPs, Java
 *     fallback per column), so every component is in ERKStep's error test;
 *   - a run that reaches every output time as a stop time (each output ends a step: ARKODE's
 *     interpolants, degree <= 5, cannot follow an order 6-8 step, see tests/README.md), on the
 *     bridge's coroutine like the glue's runs;
 *   - counters in the glue's statistics layout, and ARKODE's flag names.
 * Only this header is parsed by JavaCPP: the ARKODE headers are included, not bound.
 */
#ifndef SUNDIALS4J_ERK_H
#define SUNDIALS4J_ERK_H

#include <arkode/arkode.h>
#include <arkode/arkode_erkstep.h>
#include "sundials4j_glue.h"

/* The tables Method.ERK offers, in the order of org.sundials4j.ode.ErkTable. */
static const int s4j_erk_tables[] = {ARKODE_DORMAND_PRINCE_7_4_5, ARKODE_VERNER_8_5_6, ARKODE_VERNER_10_6_7,
                                     ARKODE_VERNER_13_7_8, ARKODE_VERNER_16_8_9};

/* ---- forward sensitivities: the augmented system ------------------------------------------------ */

/* The user_data of an augmented ERKStep memory: its bridge (whose replay and Java callbacks serve
 * the JVPs) and vector views that are pointed into z and z' on every call (no allocation there). */
typedef struct S4jErkSens {
  S4jBridge* bridge;
  int ns;
  N_Vector y, ydot, v, vdot;
} S4jErkSens;

/* z' = [f(t, y), f_y s_j + f_p e_param(j)]: the glue's shims on views of z, so each part takes the
 * replay or the Java path exactly as a CVODES run would. */
static int s4j_erk_sens_rhs(sunrealtype t, N_Vector z, N_Vector zdot, void* user_data)
{
  S4jErkSens* a   = (S4jErkSens*)user_data;
  S4jBridge* b    = a->bridge;
  double* zz      = N_VGetArrayPointer(z);
  double* zd      = N_VGetArrayPointer(zdot);
  sunindextype n  = b->n;
  N_VSetArrayPointer(zz, a->y);
  N_VSetArrayPointer(zd, a->ydot);
  int r = s4j_rhs(t, a->y, a->ydot, b);
  for (int j = 0; j < a->ns && r == 0; j++)
  {
    N_VSetArrayPointer(zz + (size_t)(j + 1) * (size_t)n, a->v);
    N_VSetArrayPointer(zd + (size_t)(j + 1) * (size_t)n, a->vdot);
    r = s4j_sens_rhs(a->ns, t, a->y, a->ydot, j, a->v, a->vdot, b, NULL, NULL);
  }
  return r;
}

inline void s4j_erk_sens_free(S4jErkSens* a)
{
  if (a == NULL) { return; }
  N_VDestroy(a->y);
  N_VDestroy(a->ydot);
  N_VDestroy(a->v);
  N_VDestroy(a->vdot);
  free(a);
}

/* The views of an augmented system of ns sensitivities on bridge b (NULL when out of memory). */
inline S4jErkSens* s4j_erk_sens_new(S4jBridge* b, int ns, SUNContext ctx)
{
  S4jErkSens* a = (S4jErkSens*)calloc(1, sizeof(S4jErkSens));
  if (a == NULL) { return NULL; }
  a->bridge = b;
  a->ns     = ns;
  a->y      = N_VNewEmpty_Serial(b->n, ctx);
  a->ydot   = N_VNewEmpty_Serial(b->n, ctx);
  a->v      = N_VNewEmpty_Serial(b->n, ctx);
  a->vdot   = N_VNewEmpty_Serial(b->n, ctx);
  if (a->y == NULL || a->ydot == NULL || a->v == NULL || a->vdot == NULL)
  {
    s4j_erk_sens_free(a); /* N_VDestroy ignores NULL */
    return NULL;
  }
  return a;
}

/* ---- the integrator ------------------------------------------------------------------------- */

/* An ERKStep memory on `table` (an index of s4j_erk_tables) for vectors like y0 at t0: the state
 * system (sens == NULL: the glue's RHS shim, user data the bridge) or an augmented one (its shim,
 * user data sens). NULL when ARKODE refuses (the message is in the bridge). */
inline void* s4j_erk_create(S4jBridge* b, S4jErkSens* sens, int table, double t0, N_Vector y0, SUNContext ctx)
{
  int ntables = (int)(sizeof s4j_erk_tables / sizeof s4j_erk_tables[0]);
  if (table < 0 || table >= ntables) { return NULL; }
  /* Fused vector operations (one loop per stage combination instead of one per term), inherited by
   * every vector ERKStep clones from y0: 20-25 % less time per run on lotka-volterra in C
   * (tests/c/erk_climit.c --fused), same steps. */
  if (N_VEnableFusedOps_Serial(y0, 1) != SUN_SUCCESS) { return NULL; }
  void* mem = ERKStepCreate(sens ? s4j_erk_sens_rhs : s4j_rhs, t0, y0, ctx);
  if (mem == NULL) { return NULL; }
  if (ERKStepSetTableNum(mem, (ARKODE_ERKTableID)s4j_erk_tables[table]) != ARK_SUCCESS
      || ARKodeSetUserData(mem, sens ? (void*)sens : (void*)b) != ARK_SUCCESS)
  {
    ARKodeFree(&mem);
    return NULL;
  }
  return mem;
}

inline void s4j_erk_free(void* mem) { ARKodeFree(&mem); }

/* s4j_begin for an ERKStep memory, in one call: the bridge's path counters and error message
 * cleared, the replay's parameters p (when the bridge has a replay and p is given), the initial
 * step hin (0: ARKODE's estimate), y = y0 (y's length: the augmented system's too) and
 * ERKStepReInit at t0 with the RHS the memory was made with (counters restart). 0, or the failed
 * call's flag; s4j_begin_failed_call says which (0 ARKodeSetInitStep, 1 ERKStepReInit). */
inline int s4j_erk_begin(S4jBridge* b, void* mem, S4jErkSens* sens, N_Vector y, double t0, const double* y0, double hin,
                         const double* p)
{
  s4j_begin_counts(b, p);
  int flag = ARKodeSetInitStep(mem, hin);
  if (flag < 0) { return flag; }
  memcpy(N_VGetArrayPointer(y), y0, (size_t)N_VGetLength(y) * sizeof(double));
  b->run.begin_failed = 1;
  flag                = ERKStepReInit(mem, sens ? s4j_erk_sens_rhs : s4j_rhs, t0, y);
  return flag < 0 ? flag : 0;
}

/* Thin forwards: JavaCPP binds this header only. */
inline int s4j_erk_ss_tolerances(void* mem, double rtol, double atol) { return ARKodeSStolerances(mem, rtol, atol); }
inline int s4j_erk_sv_tolerances(void* mem, double rtol, N_Vector atol) { return ARKodeSVtolerances(mem, rtol, atol); }
inline int s4j_erk_set_max_steps(void* mem, long long steps) { return ARKodeSetMaxNumSteps(mem, (long int)steps); }
inline int s4j_erk_set_min_step(void* mem, double h) { return ARKodeSetMinStep(mem, h); }
inline int s4j_erk_set_max_step(void* mem, double h) { return ARKodeSetMaxStep(mem, h); }

/* The symbolic name of an ARKODE flag into out (cap bytes, NUL-terminated), e.g. ARK_TOO_MUCH_WORK. */
inline void s4j_erk_flag_name(int flag, char* out, int cap)
{
  if (cap <= 0) { return; }
  char* name = ARKodeGetReturnFlagName((long int)flag);
  snprintf(out, (size_t)cap, "%s", name ? name : "ARK_UNKNOWN");
  free(name);
}

/* ---- runs ----------------------------------------------------------------------------------- */

/* After an ERK run, what Java reads through the io view, as s4j_run_finish leaves it for CVODES:
 * [2] the last step (0 when none was taken), [3] the outputs done. */
static int s4j_erk_run_finish(S4jRun* r, int flag)
{
  sunrealtype h = 0;
  ARKodeGetLastStep(r->mem, &h);
  r->io[2] = h;
  r->io[3] = r->done;
  return flag;
}

/* ARKodeEvolve to every output time in turn, each one the stop time of the call, keeping each
 * state (the run's vector's full length: the augmented z too); stops at a failure or at a state
 * that is not finite, as the glue's CVODES output run does. */
static int s4j_erk_outputs_loop(S4jBridge* b)
{
  S4jRun* r        = &b->run;
  sunindextype len = N_VGetLength(r->y);
  const double* y  = N_VGetArrayPointer(r->y);
  for (r->done = 0; r->done < r->nt;)
  {
    double tout = r->times[r->done];
    int flag    = ARKodeSetStopTime(r->mem, tout);
    if (flag < 0) { return flag; }
    flag = ARKodeEvolve(r->mem, tout, r->y, &r->io[1], ARK_NORMAL);
    if (flag < 0) { return flag; }
    int finite = s4j_keep_state(r->states + (size_t)r->done * (size_t)len, y, len);
    r->done++;
    if (!finite) { return flag; }
  }
  return ARK_SUCCESS;
}

static int s4j_job_erk_outputs(S4jBridge* b) { return s4j_erk_run_finish(&b->run, s4j_erk_outputs_loop(b)); }

/* s4j_run_outputs for an ERKStep memory: the outputs are reached exactly (stop times); the states
 * have y's length each (s4j_erk_copy_outputs); the io view as after s4j_run_outputs ([1] the time
 * reached, [2] the last step, [3] the outputs done). Same return convention. */
inline int s4j_erk_run_outputs(S4jBridge* b, void* arkode_mem, N_Vector y, const double* times, int nt)
{
  S4jRun* r        = s4j_run_args(b);
  sunindextype len = N_VGetLength(y);
  r->nt            = 0;
  r->done          = 0;
  if (nt < 0 || s4j_run_reserve(&r->times, &r->cap_times, nt) != 0
      || s4j_run_reserve(&r->states, &r->cap_states, (long long)nt * len) != 0)
  {
    snprintf(b->err_msg, sizeof(b->err_msg), "s4j_erk_run_outputs: out of memory for %d outputs of %ld values", nt,
             (long)len);
    return ARK_MEM_FAIL;
  }
  memcpy(r->times, times, (size_t)nt * sizeof(double));
  r->nt = nt;
  return s4j_run_forward(b, arkode_mem, y, 0.0, s4j_job_erk_outputs);
}

/* Copies the states of the last s4j_erk_run_outputs (its vector's length per output done) into
 * Java's array; returns the outputs done. */
inline int s4j_erk_copy_outputs(S4jBridge* b, double* states)
{
  S4jRun* r = &b->run;
  if (states != NULL && r->done > 0 && r->y != NULL)
  {
    memcpy(states, r->states, (size_t)r->done * (size_t)N_VGetLength(r->y) * sizeof(double));
  }
  return r->done;
}

/* ERKStep's counters in the layout of s4j_stats (steps, RHS evals, 0, 0, 0, error-test fails, 0, 0,
 * the table's order, last step, initial step, current time) into the bridge's statistics buffer;
 * 0, or the first negative flag (out[12] = which call: 0 steps, 1 RHS evals, 2 the rest). */
inline int s4j_erk_stats_to(void* mem, S4jBridge* b, int order)
{
  if (b->buf[S4J_BUF_STATS] == NULL || b->buflen[S4J_BUF_STATS] < 13) { return -1; }
  double* out = b->buf[S4J_BUF_STATS];
  long int nst = 0, nfe = 0, netf = 0;
  sunrealtype hlast = 0, h0 = 0, tcur = 0;
  int flags[3];
  flags[0] = ARKodeGetNumSteps(mem, &nst);
  flags[1] = ERKStepGetNumRhsEvals(mem, &nfe);
  flags[2] = ARKodeGetNumErrTestFails(mem, &netf);
  if (flags[2] >= 0) { flags[2] = ARKodeGetLastStep(mem, &hlast); }
  if (flags[2] >= 0) { flags[2] = ARKodeGetActualInitStep(mem, &h0); }
  if (flags[2] >= 0) { flags[2] = ARKodeGetCurrentTime(mem, &tcur); }
  for (int k = 0; k < 3; k++)
  {
    if (flags[k] < 0)
    {
      out[12] = k;
      return flags[k];
    }
  }
  double v[12] = {(double)nst, (double)nfe, 0, 0, 0, (double)netf, 0, 0, (double)order, hlast, h0, tcur};
  memcpy(out, v, sizeof(v));
  return 0;
}

#endif
